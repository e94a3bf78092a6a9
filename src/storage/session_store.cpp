#include "storage/session_store.hpp"

#include <soci/soci.h>

#include "storage/prepared.hpp"
#include "storage/rows.hpp"

namespace sas::storage {
namespace {

const char* const kInsertSession =
    "INSERT INTO sessions (id_digest, user_id, csrf_token, created_at, last_seen_at) VALUES "
    "(:digest, :user, :csrf, :created, :seen)";
// A session opened is a use of the account: the ageing counts from it
// (docs/rules.md#delegates-and-ageing-accounts).
const char* const kRecordLogin =
    "UPDATE users SET last_login_at = :at, last_used_at = :used WHERE id = :user";
const char* const kSessionById =
    "SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE id_digest = :digest";
const char* const kTouchSession =
    "UPDATE sessions SET last_seen_at = :seen WHERE id_digest = :digest";
const char* const kDeleteSession = "DELETE FROM sessions WHERE id_digest = :digest";

// Read on every request (storage/prepared.hpp).
struct SessionQuery final : PreparedQuery {
  std::string digest, csrf;
  long long user = 0, created = 0, seen = 0;
  soci::statement statement;
  explicit SessionQuery(soci::session& sql)
      : statement((sql.prepare << kSessionById, soci::use(digest), soci::into(user),
                   soci::into(csrf), soci::into(created), soci::into(seen))) {}
};

}  // namespace

void SqlSessionStore::create(const app::StoredSession& s) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long user = s.userId, created = seconds(s.createdAt), seen = seconds(s.lastSeenAt);
  sql << kInsertSession, soci::use(s.idDigest), soci::use(user), soci::use(s.csrfToken),
      soci::use(created), soci::use(seen);
  sql << kRecordLogin, soci::use(created), soci::use(created), soci::use(user);
  tx.commit();
}

std::optional<app::StoredSession> SqlSessionStore::find(const std::string& idDigest) {
  Connection c(db_);
  auto& q = c.statements().get<SessionQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.digest = idDigest;
  if (!q.statement.execute(true)) return std::nullopt;
  return app::StoredSession{idDigest, q.user, q.csrf, instant(q.created), instant(q.seen)};
}

std::optional<app::SessionWithUser> SqlSessionStore::findWithUser(const std::string& idDigest) {
  Connection c(db_);
  return findSessionWithUser(c, idDigest);
}

void SqlSessionStore::touch(const std::string& idDigest, domain::Instant lastSeen) {
  Connection c(db_);
  long long seen = seconds(lastSeen);
  c.sql() << kTouchSession, soci::use(seen), soci::use(idDigest);
}

void SqlSessionStore::remove(const std::string& idDigest) {
  Connection c(db_);
  c.sql() << kDeleteSession, soci::use(idDigest);
}

}  // namespace sas::storage
