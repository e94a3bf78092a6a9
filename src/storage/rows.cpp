#include "storage/rows.hpp"

#include <stdexcept>

namespace sas::storage {

namespace {

const char* const kUserColumns =
    "SELECT id, email, first_name, last_name, role, password_hash, disabled, territory_id, "
    "password_changed_at, terms_accepted_at, last_login_at, inactive_since FROM users ";
const char* const kInsertAudit =
    "INSERT INTO audit_log (at, user_id, action, object, detail, client_address, on_behalf_of) "
    "VALUES (:at, :user_id, :action, :object, :detail, :client, :behalf)";
const char* const kInsertChange =
    "INSERT INTO changes (at, place_id) VALUES (:at, :place) RETURNING id";
const char* const kPlacesOfStructure = "SELECT id FROM places WHERE structure_id = :id";
const char* const kUserById = "WHERE id = :v";
const char* const kSessionWithUser =
    "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.id, u.email, "
    "u.first_name, u.last_name, u.role, u.password_hash, u.disabled, u.territory_id, "
    "u.password_changed_at, u.terms_accepted_at, u.last_login_at, u.inactive_since, "
    "us.structure_id FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_structures "
    "us ON us.user_id = u.id WHERE s.id_digest = :digest ORDER BY us.structure_id";

}  // namespace

namespace {

struct InsertAuditQuery final : PreparedQuery {
  long long at = 0, user = 0, behalf = 0;
  std::string action, object, detail, client;
  soci::indicator userInd = soci::i_null, behalfInd = soci::i_null;
  soci::statement statement;
  explicit InsertAuditQuery(soci::session& sql)
      : statement((sql.prepare << kInsertAudit, soci::use(at, "at"),
                   soci::use(user, userInd, "user_id"), soci::use(action, "action"),
                   soci::use(object, "object"), soci::use(detail, "detail"),
                   soci::use(client, "client"), soci::use(behalf, behalfInd, "behalf"))) {}
};

struct InsertChangeQuery final : PreparedQuery {
  long long at = 0, place = 0, id = 0;
  soci::statement statement;
  explicit InsertChangeQuery(soci::session& sql)
      : statement((sql.prepare << kInsertChange, soci::use(at, "at"), soci::use(place, "place"),
                   soci::into(id))) {}
};

}  // namespace

void writeAudit(Connection& c, const app::AuditEntry& e, domain::Instant now) {
  auto& q = c.statements().get<InsertAuditQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.at = seconds(now);
  q.user = e.userId.value_or(0);
  q.userInd = e.userId ? soci::i_ok : soci::i_null;
  q.action = e.action;
  q.object = e.object;
  q.detail = e.detail;
  q.client = e.clientAddress;
  q.behalf = e.onBehalfOf.value_or(0);
  q.behalfInd = e.onBehalfOf ? soci::i_ok : soci::i_null;
  q.statement.execute(true);
  q.detail.clear();  // kept with the connection's statement otherwise
}

std::int64_t recordChange(Connection& c, std::int64_t placeId, domain::Instant now) {
  auto& q = c.statements().get<InsertChangeQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.at = seconds(now);
  q.place = placeId;
  q.statement.execute(true);
  return q.id;
}

void recordStructureChange(Connection& c, std::int64_t structureId, domain::Instant now) {
  long long structure = structureId, place = 0;
  std::vector<long long> places;
  soci::statement st =
      (c.sql().prepare << kPlacesOfStructure, soci::use(structure), soci::into(place));
  st.execute();
  while (st.fetch()) places.push_back(place);
  for (const auto p : places) recordChange(c, p, now);
}

domain::Day storedDay(std::string_view iso) {
  auto d = domain::parseDate(iso);
  if (!d) throw std::runtime_error("stored date is not a date: " + std::string(iso));
  return *d;
}

std::string kindCode(domain::AvailabilityKind kind) {
  return kind == domain::AvailabilityKind::Slot ? "creneau" : "plage";
}

domain::AvailabilityKind kindFrom(std::string_view code) {
  return code == "plage" ? domain::AvailabilityKind::Range : domain::AvailabilityKind::Slot;
}

domain::ConsultationTypes typesFrom(int bits) {
  return domain::ConsultationTypes{static_cast<std::uint8_t>(bits)};
}

AvailabilityBatch::AvailabilityBatch(std::size_t size) : batch(size) {
  reset();
}

void AvailabilityBatch::reset() {
  for (auto* v : {&id, &placeId}) v->resize(batch);
  for (auto* v : {&weekly, &start, &end, &capacity, &types}) v->resize(batch);
  for (auto* v : {&firstDate, &lastDate, &kind}) v->resize(batch);
  lastInd.resize(batch);
}

void AvailabilityBatch::bind(soci::statement& st) {
  st.exchange(soci::into(id));
  st.exchange(soci::into(placeId));
  st.exchange(soci::into(weekly));
  st.exchange(soci::into(firstDate));
  st.exchange(soci::into(lastDate, lastInd));
  st.exchange(soci::into(start));
  st.exchange(soci::into(end));
  st.exchange(soci::into(kind));
  st.exchange(soci::into(capacity));
  st.exchange(soci::into(types));
}

domain::Availability availabilityFrom(long long id, long long placeId, int weekly,
                                      std::string_view firstDate,
                                      std::optional<std::string_view> lastDate, int startMinute,
                                      int endMinute, std::string_view kind, int capacity,
                                      int types) {
  domain::Availability a;
  a.id = id;
  a.placeId = placeId;
  a.weekly = weekly != 0;
  a.base = {storedDay(firstDate), startMinute, endMinute,
            kindFrom(kind),       capacity,    typesFrom(types)};
  if (lastDate) a.lastDate = storedDay(*lastDate);
  return a;
}

domain::Availability AvailabilityBatch::row(std::size_t i) const {
  return availabilityFrom(
      id[i], placeId[i], weekly[i], firstDate[i],
      lastInd[i] == soci::i_ok ? std::optional<std::string_view>(lastDate[i]) : std::nullopt,
      start[i], end[i], kind[i], capacity[i], types[i]);
}

ExceptionBatch::ExceptionBatch(std::size_t size) : batch(size) {
  reset();
}

void ExceptionBatch::reset() {
  availability.resize(batch);
  for (auto* v : {&original, &date, &kind}) v->resize(batch);
  for (auto* v : {&deleted, &start, &end, &capacity, &types}) v->resize(batch);
}

void ExceptionBatch::bind(soci::statement& st) {
  st.exchange(soci::into(availability));
  st.exchange(soci::into(original));
  st.exchange(soci::into(deleted));
  st.exchange(soci::into(date));
  st.exchange(soci::into(start));
  st.exchange(soci::into(end));
  st.exchange(soci::into(kind));
  st.exchange(soci::into(capacity));
  st.exchange(soci::into(types));
}

domain::AvailabilityException ExceptionBatch::row(std::size_t i) const {
  domain::AvailabilityException e;
  e.originalDate = storedDay(original[i]);
  e.deleted = deleted[i] != 0;
  e.values = {storedDay(date[i]), start[i],    end[i],
              kindFrom(kind[i]),  capacity[i], typesFrom(types[i])};
  return e;
}

void prepareBound(soci::statement& st, const std::string& query) {
  st.alloc();
  st.prepare(query);
  st.define_and_bind();
}

namespace {

// The columns of kUserColumns, bound to a statement built step by step (SOCI's documented way)
// so that the one parameter can be of any type.
struct UserFields {
  long long id = 0, territory = 0, changedAt = 0, termsAt = 0, loginAt = 0, inactiveAt = 0;
  std::string email, firstName, lastName, role, hash;
  int disabled = 0;
  soci::indicator territoryInd = soci::i_null, changedInd = soci::i_null, termsInd = soci::i_null,
                  loginInd = soci::i_null, inactiveInd = soci::i_null;

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
    st.exchange(soci::into(loginAt, loginInd));
    st.exchange(soci::into(inactiveAt, inactiveInd));
  }

  app::User user() const {
    auto r = app::roleFromCode(role);
    if (!r) throw std::runtime_error("unknown role in database: " + role);
    app::User u{id, email, firstName, lastName, *r, hash, disabled != 0};
    if (territoryInd == soci::i_ok) u.territoryId = territory;
    if (changedInd == soci::i_ok) u.passwordChangedAt = instant(changedAt);
    u.termsAccepted = termsInd == soci::i_ok;
    if (loginInd == soci::i_ok) u.lastLoginAt = instant(loginAt);
    if (inactiveInd == soci::i_ok) u.inactiveSince = instant(inactiveAt);
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
    prepareBound(statement, std::string(kUserColumns) + kUserById);
  }
};

// The active managers and professionals of a structure (by the stored codes of app::roleCode):
// the people told of each orientation, read at each one.
const char* const kStructureContactsWhere =
    "WHERE disabled = 0 AND role IN ('gestionnaire_structure', 'effecteur') AND id IN (SELECT "
    "user_id FROM user_structures WHERE structure_id = :v) ORDER BY id";

struct StructureContactsQuery final : PreparedQuery {
  long long key = 0;
  UserFields row;
  soci::statement statement;
  explicit StructureContactsQuery(soci::session& sql) : statement(sql) {
    row.bind(statement);
    statement.exchange(soci::use(key, "v"));
    prepareBound(statement, std::string(kUserColumns) + kStructureContactsWhere);
  }
};

// One row per linked structure (a single one, its structure NULL, when none): every page asks
// for all three, and on SQLite each statement is a read transaction of its own (shared-memory
// locks that the server's threads contend for: docs/benchmarks.md, « Agenda page »).
struct SessionWithUserQuery final : PreparedQuery {
  std::string digest, csrf;
  long long user = 0, created = 0, seen = 0, structure = 0;
  soci::indicator structureSet = soci::i_null;
  UserFields row;
  soci::statement statement;
  explicit SessionWithUserQuery(soci::session& sql) : statement(sql) {
    statement.exchange(soci::into(user));
    statement.exchange(soci::into(csrf));
    statement.exchange(soci::into(created));
    statement.exchange(soci::into(seen));
    row.bind(statement);
    statement.exchange(soci::into(structure, structureSet));
    statement.exchange(soci::use(digest, "digest"));
    prepareBound(statement, kSessionWithUser);
  }
};

}  // namespace

std::optional<app::SessionWithUser> findSessionWithUser(Connection& c, const std::string& digest) {
  auto& q = c.statements().get<SessionWithUserQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.digest = digest;
  if (!q.statement.execute(true)) return std::nullopt;
  app::SessionWithUser out{
      app::StoredSession{digest, q.user, q.csrf, instant(q.created), instant(q.seen)},
      q.row.user(),
      {}};
  do {
    if (q.structureSet == soci::i_ok) out.structureIds.push_back(q.structure);
  } while (q.statement.fetch());
  return out;
}

std::vector<app::User> queryUsers(soci::session& sql, const std::string& where,
                                  const Param& param) {
  UserFields row;
  soci::statement st(sql);
  row.bind(st);
  if (const auto* i = std::get_if<long long>(&param)) st.exchange(soci::use(*i, "v"));
  if (const auto* t = std::get_if<std::string>(&param)) st.exchange(soci::use(*t, "v"));
  prepareBound(st, kUserColumns + where);
  st.execute();
  std::vector<app::User> out;
  while (st.fetch()) out.push_back(row.user());
  return out;
}

std::vector<app::User> structureContacts(Connection& c, long long structureId) {
  auto& q = c.statements().get<StructureContactsQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.key = structureId;
  q.statement.execute();
  std::vector<app::User> out;
  while (q.statement.fetch()) out.push_back(q.row.user());
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
