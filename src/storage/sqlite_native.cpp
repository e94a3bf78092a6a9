#include "storage/sqlite_native.hpp"

#include <stdexcept>

namespace sas::storage::sqlite {

void fail(sqlite_api::sqlite3* db, const char* what) {
  throw std::runtime_error(std::string(what) + ": " + sqlite_api::sqlite3_errmsg(db));
}

Statement prepare(sqlite_api::sqlite3* db, const std::string& text, const char* what) {
  sqlite_api::sqlite3_stmt* raw = nullptr;
  if (sqlite_api::sqlite3_prepare_v2(db, text.c_str(), static_cast<int>(text.size()), &raw,
                                     nullptr) != SQLITE_OK)
    fail(db, what);
  return {raw, sqlite_api::sqlite3_finalize};
}

void bindNumber(sqlite_api::sqlite3* db, sqlite_api::sqlite3_stmt* st, const char* name,
                long long value, const char* what) {
  if (sqlite_api::sqlite3_bind_int64(st, sqlite_api::sqlite3_bind_parameter_index(st, name),
                                     value) != SQLITE_OK)
    fail(db, what);
}

std::string_view text(sqlite_api::sqlite3_stmt* st, int column) {
  const auto* bytes = reinterpret_cast<const char*>(sqlite_api::sqlite3_column_text(st, column));
  return std::string_view(bytes ? bytes : "",
                          static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(st, column)));
}

}  // namespace sas::storage::sqlite
