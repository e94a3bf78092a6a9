#include "storage/rows.hpp"

#include <stdexcept>

namespace sas::storage {

void writeAudit(soci::session& sql, const app::AuditEntry& e, domain::Instant now) {
  long long at = seconds(now);
  long long userId = e.userId.value_or(0);
  soci::indicator userInd = e.userId ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO audit_log (at, user_id, action, object, detail, client_address) "
         "VALUES (:at, :user_id, :action, :object, :detail, :client)",
      soci::use(at), soci::use(userId, userInd), soci::use(e.action), soci::use(e.object),
      soci::use(e.detail), soci::use(e.clientAddress);
}

namespace {

const char* const kUserColumns =
    "SELECT id, email, first_name, last_name, role, password_hash, disabled, territory_id, "
    "password_changed_at, terms_accepted_at FROM users ";

// The columns of kUserColumns, bound to a statement built step by step (SOCI's documented way)
// so that the one parameter can be of any type.
struct UserFields {
  long long id = 0, territory = 0, changedAt = 0, termsAt = 0;
  std::string email, firstName, lastName, role, hash;
  int disabled = 0;
  soci::indicator territoryInd = soci::i_null, changedInd = soci::i_null, termsInd = soci::i_null;

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(email));
    st.exchange(soci::into(firstName));
    st.exchange(soci::into(lastName));
    st.exchange(soci::into(role));
    st.exchange(soci::into(hash));
    st.exchange(soci::into(disabled));
    st.exchange(soci::into(territory, territoryInd));
    st.exchange(soci::into(changedAt, changedInd));
    st.exchange(soci::into(termsAt, termsInd));
  }

  app::User user() const {
    auto r = app::roleFromCode(role);
    if (!r) throw std::runtime_error("unknown role in database: " + role);
    app::User u{id, email, firstName, lastName, *r, hash, disabled != 0};
    if (territoryInd == soci::i_ok) u.territoryId = territory;
    if (changedInd == soci::i_ok) u.passwordChangedAt = instant(changedAt);
    u.termsAccepted = termsInd == soci::i_ok;
    return u;
  }
};

struct UserByIdQuery final : PreparedQuery {
  long long key = 0;
  UserFields row;
  soci::statement statement;
  explicit UserByIdQuery(soci::session& sql) : statement(sql) {
    row.bind(statement);
    statement.exchange(soci::use(key, "v"));
    statement.alloc();
    statement.prepare(std::string(kUserColumns) + "WHERE id = :v");
    statement.define_and_bind();
  }
};

struct SessionWithUserQuery final : PreparedQuery {
  std::string digest, csrf;
  long long user = 0, created = 0, seen = 0;
  UserFields row;
  soci::statement statement;
  explicit SessionWithUserQuery(soci::session& sql) : statement(sql) {
    statement.exchange(soci::into(user));
    statement.exchange(soci::into(csrf));
    statement.exchange(soci::into(created));
    statement.exchange(soci::into(seen));
    row.bind(statement);
    statement.exchange(soci::use(digest, "digest"));
    statement.alloc();
    statement.prepare(
        "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.id, u.email, "
        "u.first_name, u.last_name, u.role, u.password_hash, u.disabled, u.territory_id, "
        "u.password_changed_at, u.terms_accepted_at FROM sessions s JOIN users u ON u.id = "
        "s.user_id WHERE s.id_digest = :digest");
    statement.define_and_bind();
  }
};

}  // namespace

std::optional<std::pair<app::StoredSession, app::User>> findSessionWithUser(
    Connection& c, const std::string& digest) {
  auto& q = c.statements().get<SessionWithUserQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.digest = digest;
  if (!q.statement.execute(true)) return std::nullopt;
  return std::make_pair(
      app::StoredSession{digest, q.user, q.csrf, instant(q.created), instant(q.seen)},
      q.row.user());
}

std::vector<app::User> queryUsers(soci::session& sql, const std::string& where,
                                  const Param& param) {
  UserFields row;
  soci::statement st(sql);
  row.bind(st);
  if (const auto* i = std::get_if<long long>(&param)) st.exchange(soci::use(*i, "v"));
  if (const auto* t = std::get_if<std::string>(&param)) st.exchange(soci::use(*t, "v"));
  st.alloc();
  st.prepare(kUserColumns + where);
  st.define_and_bind();
  st.execute();
  std::vector<app::User> out;
  while (st.fetch()) out.push_back(row.user());
  return out;
}

std::optional<app::User> findUserById(Connection& c, long long id) {
  auto& q = c.statements().get<UserByIdQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.key = id;
  if (!q.statement.execute(true)) return std::nullopt;
  return q.row.user();
}

}  // namespace sas::storage
