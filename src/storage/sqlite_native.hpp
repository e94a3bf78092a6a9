#pragma once
// SQLite's own C API under a SOCI session, for what SOCI does slowly (a build's 37 million rows,
// a transaction's BEGIN at every request) or not at all (a connection's hooks, checkpoints,
// backups). Inside storage/ only, as SOCI is.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

namespace sas::storage::sqlite {

using Statement = std::unique_ptr<sqlite_api::sqlite3_stmt, int (*)(sqlite_api::sqlite3_stmt*)>;

/// The connection of a session opened on SQLite (SOCI's backend type is not exported for a
/// dynamic_cast: the caller knows the dialect).
inline sqlite_api::sqlite3* handle(soci::session& sql) {
  return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
}

/// Throws `what` with SQLite's last message on `db`.
[[noreturn]] void fail(sqlite_api::sqlite3* db, const char* what);

/// Prepared once; SOCI's `:name` placeholders are SQLite's too.
Statement prepare(sqlite_api::sqlite3* db, const std::string& text, const char* what);

void bindNumber(sqlite_api::sqlite3* db, sqlite_api::sqlite3_stmt* st, const char* name,
                long long value, const char* what);

/// A text column of the current row (empty when NULL), valid until the next step.
std::string_view text(sqlite_api::sqlite3_stmt* st, int column);

}  // namespace sas::storage::sqlite
