#include "storage/sql_store.hpp"

#include "storage/rows.hpp"

#include <soci/soci.h>

#include <map>
#include <stdexcept>
#include <vector>

namespace sas::storage {

using domain::Day;
using domain::Instant;

namespace {

Day day(const std::string& iso) {
  auto d = domain::parseDate(iso);
  if (!d) throw std::runtime_error("stored date is not a date: " + iso);
  return *d;
}

std::string kindCode(domain::AvailabilityKind k) {
  return k == domain::AvailabilityKind::Slot ? "creneau" : "plage";
}
domain::AvailabilityKind kindFrom(const std::string& code) {
  return code == "plage" ? domain::AvailabilityKind::Range : domain::AvailabilityKind::Slot;
}

void recordChange(soci::session& sql, std::int64_t placeId, Instant now) {
  long long at = seconds(now);
  long long place = placeId;
  sql << "INSERT INTO changes (at, place_id) VALUES (:at, :place)", soci::use(at), soci::use(place);
}

// The last date any occurrence of `a` can fall on; none for a series with no end.
std::optional<Day> spanEnd(const domain::Availability& a) {
  if (a.weekly && !a.lastDate) return std::nullopt;
  Day end = a.weekly ? *a.lastDate : a.base.date;
  for (const auto& e : a.exceptions)
    if (!e.deleted && e.values.date > end) end = e.values.date;
  return end;
}

struct PlaceRow {
  long long id = 0, structureId = 0;
  std::string name, street, postalCode, town, insee, timeZone, phone;
  double latitude = 0, longitude = 0;
};

const char* const kPlaceColumns =
    "SELECT id, structure_id, name, street, postal_code, town, insee_code, latitude, longitude, "
    "time_zone, phone FROM places ";

app::Place toPlace(const PlaceRow& r) {
  return {r.id,    r.structureId, r.name,      r.street,   r.postalCode, r.town,
          r.insee, r.latitude,    r.longitude, r.timeZone, r.phone};
}

std::vector<app::Place> queryPlaces(soci::session& sql, const std::string& where, long long key) {
  PlaceRow r;
  std::vector<app::Place> out;
  soci::statement st =
      (sql.prepare << std::string(kPlaceColumns) + where, soci::use(key), soci::into(r.id),
       soci::into(r.structureId), soci::into(r.name), soci::into(r.street),
       soci::into(r.postalCode), soci::into(r.town), soci::into(r.insee), soci::into(r.latitude),
       soci::into(r.longitude), soci::into(r.timeZone), soci::into(r.phone));
  st.execute();
  while (st.fetch()) out.push_back(toPlace(r));
  return out;
}

struct StructureRow {
  long long id = 0;
  std::string name, type, finess, siret, phone, departement;
  int participates = 0, professionals = 0, acceptsContact = 0, honour = 0;
};

const char* const kStructureColumns =
    "SELECT id, name, type, finess, siret, phone, departement, participates, professionals, "
    "accepts_contact, honour_declared FROM structures ";

app::Structure toStructure(const StructureRow& r) {
  app::Structure s{r.id, r.name, r.type, r.finess, r.siret, r.phone, r.departement, {}};
  s.participation = {r.participates != 0, r.professionals, r.acceptsContact != 0, r.honour != 0};
  return s;
}

std::optional<app::Structure> queryStructure(soci::session& sql, long long id) {
  StructureRow r;
  sql << std::string(kStructureColumns) + "WHERE id = :id", soci::use(id), soci::into(r.id),
      soci::into(r.name), soci::into(r.type), soci::into(r.finess), soci::into(r.siret),
      soci::into(r.phone), soci::into(r.departement), soci::into(r.participates),
      soci::into(r.professionals), soci::into(r.acceptsContact), soci::into(r.honour);
  if (!sql.got_data()) return std::nullopt;
  return toStructure(r);
}

struct AvailabilityRow {
  long long id = 0, placeId = 0;
  int weekly = 0, start = 0, end = 0, capacity = 0, types = 0;
  std::string firstDate, lastDate, kind;
  soci::indicator lastInd = soci::i_null;
};

const char* const kAvailabilityColumns =
    "SELECT id, place_id, weekly, first_date, last_date, start_minute, end_minute, kind, "
    "capacity, types FROM availabilities ";

domain::Availability toAvailability(const AvailabilityRow& r) {
  domain::Availability a;
  a.id = r.id;
  a.placeId = r.placeId;
  a.weekly = r.weekly != 0;
  a.base = {
      day(r.firstDate), r.start,    r.end,
      kindFrom(r.kind), r.capacity, domain::ConsultationTypes{static_cast<std::uint8_t>(r.types)}};
  if (r.lastInd == soci::i_ok) a.lastDate = day(r.lastDate);
  return a;
}

void loadExceptions(soci::session& sql, domain::Availability& a) {
  long long id = a.id;
  std::string original, date, kind;
  int deleted = 0, start = 0, end = 0, capacity = 0, types = 0;
  soci::statement st =
      (sql.prepare << "SELECT original_date, deleted, date, start_minute, end_minute, kind, "
                      "capacity, types FROM availability_exceptions WHERE availability_id = :id "
                      "ORDER BY original_date",
       soci::use(id), soci::into(original), soci::into(deleted), soci::into(date),
       soci::into(start), soci::into(end), soci::into(kind), soci::into(capacity),
       soci::into(types));
  st.execute();
  while (st.fetch()) {
    domain::AvailabilityException e;
    e.originalDate = day(original);
    e.deleted = deleted != 0;
    e.values = {day(date), start,
                end,       kindFrom(kind),
                capacity,  domain::ConsultationTypes{static_cast<std::uint8_t>(types)}};
    a.exceptions.push_back(e);
  }
}

void writeExceptions(soci::session& sql, const domain::Availability& a) {
  long long id = a.id;
  sql << "DELETE FROM availability_exceptions WHERE availability_id = :id", soci::use(id);
  for (const auto& e : a.exceptions) {
    // A deleted date keeps the series' values in its row, so that every column stays NOT NULL.
    const auto& v = e.deleted ? a.base : e.values;
    std::string original = domain::formatIsoDate(e.originalDate);
    std::string date = domain::formatIsoDate(e.deleted ? e.originalDate : v.date);
    std::string kind = kindCode(v.kind);
    int deleted = e.deleted ? 1 : 0, types = v.types.bits;
    sql << "INSERT INTO availability_exceptions (availability_id, original_date, deleted, date, "
           "start_minute, end_minute, kind, capacity, types) VALUES (:id, :original, :deleted, "
           ":date, :start, :end, :kind, :capacity, :types)",
        soci::use(id), soci::use(original), soci::use(deleted), soci::use(date),
        soci::use(v.startMinute), soci::use(v.endMinute), soci::use(kind), soci::use(v.capacity),
        soci::use(types);
  }
}

struct AvailabilityParams {
  int weekly, start, end, capacity, types;
  std::string firstDate, lastDate, spanEnd, kind;
  soci::indicator lastInd, spanInd;
  explicit AvailabilityParams(const domain::Availability& a)
      : weekly(a.weekly ? 1 : 0),
        start(a.base.startMinute),
        end(a.base.endMinute),
        capacity(a.base.capacity),
        types(a.base.types.bits),
        firstDate(domain::formatIsoDate(a.base.date)),
        lastDate(a.lastDate ? domain::formatIsoDate(*a.lastDate) : ""),
        spanEnd(spanEnd_(a)),
        kind(kindCode(a.base.kind)),
        lastInd(a.lastDate ? soci::i_ok : soci::i_null),
        spanInd(storage::spanEnd(a) ? soci::i_ok : soci::i_null) {}
  static std::string spanEnd_(const domain::Availability& a) {
    auto e = storage::spanEnd(a);
    return e ? domain::formatIsoDate(*e) : "";
  }
};

// The statements of every agenda page, prepared once per connection (storage/prepared.hpp).

struct SessionQuery final : PreparedQuery {
  std::string digest, csrf;
  long long user = 0, created = 0, seen = 0;
  soci::statement statement;
  explicit SessionQuery(soci::session& sql)
      : statement((sql.prepare << "SELECT user_id, csrf_token, created_at, last_seen_at FROM "
                                  "sessions WHERE id_digest = :digest",
                   soci::use(digest), soci::into(user), soci::into(csrf), soci::into(created),
                   soci::into(seen))) {}
};

struct LinkedStructuresQuery final : PreparedQuery {
  long long user = 0, structure = 0;
  soci::statement statement;
  explicit LinkedStructuresQuery(soci::session& sql)
      : statement((sql.prepare << "SELECT structure_id FROM user_structures WHERE user_id = :id "
                                  "ORDER BY structure_id",
                   soci::use(user), soci::into(structure))) {}
};

struct PlaceWithStructureQuery final : PreparedQuery {
  long long key = 0;
  PlaceRow p;
  StructureRow s;
  soci::statement statement;
  explicit PlaceWithStructureQuery(soci::session& sql)
      : statement((sql.prepare << "SELECT p.id, p.structure_id, p.name, p.street, p.postal_code, "
                                  "p.town, p.insee_code, p.latitude, p.longitude, p.time_zone, "
                                  "p.phone, s.id, s.name, s.type, s.finess, s.siret, s.phone, "
                                  "s.departement, s.participates, s.professionals, "
                                  "s.accepts_contact, s.honour_declared FROM places p JOIN "
                                  "structures s ON s.id = p.structure_id WHERE p.id = :id",
                   soci::use(key), soci::into(p.id), soci::into(p.structureId), soci::into(p.name),
                   soci::into(p.street), soci::into(p.postalCode), soci::into(p.town),
                   soci::into(p.insee), soci::into(p.latitude), soci::into(p.longitude),
                   soci::into(p.timeZone), soci::into(p.phone), soci::into(s.id),
                   soci::into(s.name), soci::into(s.type), soci::into(s.finess),
                   soci::into(s.siret), soci::into(s.phone), soci::into(s.departement),
                   soci::into(s.participates), soci::into(s.professionals),
                   soci::into(s.acceptsContact), soci::into(s.honour))) {}
};

// The place's unavailability and note with its periods: one row per period, or one row with
// no period.
struct UnavailabilityAndNoteQuery final : PreparedQuery {
  long long place = 0;
  int indefinite = 0;
  std::string note, first, last;
  soci::indicator firstInd = soci::i_null, lastInd = soci::i_null;
  soci::statement statement;
  explicit UnavailabilityAndNoteQuery(soci::session& sql)
      : statement((sql.prepare << "SELECT p.unavailable_indefinite, p.regulator_note, "
                                  "u.first_date, u.last_date FROM places p LEFT JOIN "
                                  "unavailability_periods u ON u.place_id = p.id WHERE p.id = :id "
                                  "ORDER BY u.position",
                   soci::use(place), soci::into(indefinite), soci::into(note),
                   soci::into(first, firstInd), soci::into(last, lastInd))) {}
};

struct StructureByIdQuery final : PreparedQuery {
  long long key = 0;
  StructureRow r;
  soci::statement statement;
  explicit StructureByIdQuery(soci::session& sql)
      : statement((sql.prepare << std::string(kStructureColumns) + "WHERE id = :id", soci::use(key),
                   soci::into(r.id), soci::into(r.name), soci::into(r.type), soci::into(r.finess),
                   soci::into(r.siret), soci::into(r.phone), soci::into(r.departement),
                   soci::into(r.participates), soci::into(r.professionals),
                   soci::into(r.acceptsContact), soci::into(r.honour))) {}
};

// Rows come in batches: SOCI's work per fetch, not per row, is what a 50-series week costs.
constexpr std::size_t kBatch = 64;

struct AvailabilitiesOfPlaceQuery final : PreparedQuery {
  long long place = 0;
  std::string from;
  std::vector<long long> id, placeId;
  std::vector<int> weekly, start, end, capacity, types;
  std::vector<std::string> firstDate, lastDate, kind;
  std::vector<soci::indicator> lastInd;
  soci::statement statement;
  explicit AvailabilitiesOfPlaceQuery(soci::session& sql)
      : id(kBatch),
        placeId(kBatch),
        weekly(kBatch),
        start(kBatch),
        end(kBatch),
        capacity(kBatch),
        types(kBatch),
        firstDate(kBatch),
        lastDate(kBatch),
        kind(kBatch),
        lastInd(kBatch),
        statement((sql.prepare << std::string(kAvailabilityColumns) +
                                      "WHERE place_id = :place AND (span_end IS NULL OR "
                                      "span_end >= :from) ORDER BY id",
                   soci::use(place), soci::use(from), soci::into(id), soci::into(placeId),
                   soci::into(weekly), soci::into(firstDate), soci::into(lastDate, lastInd),
                   soci::into(start), soci::into(end), soci::into(kind), soci::into(capacity),
                   soci::into(types))) {}
  void resize() {
    for (auto* v : {&id, &placeId}) v->resize(kBatch);
    for (auto* v : {&weekly, &start, &end, &capacity, &types}) v->resize(kBatch);
    for (auto* v : {&firstDate, &lastDate, &kind}) v->resize(kBatch);
    lastInd.resize(kBatch);
  }
  domain::Availability row(std::size_t i) const {
    domain::Availability a;
    a.id = id[i];
    a.placeId = placeId[i];
    a.weekly = weekly[i] != 0;
    a.base = {day(firstDate[i]),
              start[i],
              end[i],
              kindFrom(kind[i]),
              capacity[i],
              domain::ConsultationTypes{static_cast<std::uint8_t>(types[i])}};
    if (lastInd[i] == soci::i_ok) a.lastDate = day(lastDate[i]);
    return a;
  }
};

struct ExceptionsOfPlaceQuery final : PreparedQuery {
  long long place = 0, availability = 0;
  std::string from, original, date, kind;
  int deleted = 0, start = 0, end = 0, capacity = 0, types = 0;
  soci::statement statement;
  explicit ExceptionsOfPlaceQuery(soci::session& sql)
      : statement((sql.prepare << "SELECT e.availability_id, e.original_date, e.deleted, e.date, "
                                  "e.start_minute, e.end_minute, e.kind, e.capacity, e.types FROM "
                                  "availability_exceptions e JOIN availabilities a ON a.id = "
                                  "e.availability_id WHERE a.place_id = :place AND (a.span_end IS "
                                  "NULL OR a.span_end >= :from) ORDER BY e.availability_id, "
                                  "e.original_date",
                   soci::use(place), soci::use(from), soci::into(availability),
                   soci::into(original), soci::into(deleted), soci::into(date), soci::into(start),
                   soci::into(end), soci::into(kind), soci::into(capacity), soci::into(types))) {}
};

struct AgendaVersionQuery final : PreparedQuery {
  long long place = 0, version = 0;
  soci::statement statement;
  explicit AgendaVersionQuery(soci::session& sql)
      : statement((sql.prepare << "SELECT agenda_version FROM places WHERE id = :id",
                   soci::use(place), soci::into(version))) {}
};

long long agendaVersion(Connection& c, std::int64_t placeId) {
  auto& q = c.statements().get<AgendaVersionQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.place = placeId;
  return q.statement.execute(true) ? q.version : -1;
}

}  // namespace

// ---------------------------------------------------------------- users

std::optional<app::User> SqlStore::findByEmail(const std::string& email) {
  Connection c(db_);
  auto users = queryUsers(c.sql(), "WHERE email = :v", email);
  if (users.empty()) return std::nullopt;
  return users.front();
}

std::optional<app::User> SqlStore::findById(std::int64_t id) {
  Connection c(db_);
  return findUserById(c, id);
}

std::int64_t SqlStore::create(const app::User& user, const std::vector<std::int64_t>& structureIds,
                              Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_.dialect());
  long long id = 0, at = seconds(now);
  std::string role = app::roleCode(user.role);
  int disabled = user.disabled ? 1 : 0;
  soci::indicator changedInd = user.passwordHash.empty() ? soci::i_null : soci::i_ok;
  long long territory = user.territoryId.value_or(0);
  soci::indicator territoryInd = user.territoryId ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO users (email, first_name, last_name, role, password_hash, "
         "password_changed_at, disabled, created_at, territory_id) VALUES (:email, :first, "
         ":last, :role, :hash, :changed, :disabled, :created, :territory) RETURNING id",
      soci::use(user.email), soci::use(user.firstName), soci::use(user.lastName), soci::use(role),
      soci::use(user.passwordHash), soci::use(at, changedInd), soci::use(disabled), soci::use(at),
      soci::use(territory, territoryInd), soci::into(id);
  for (long long s : structureIds)
    sql << "INSERT INTO user_structures (user_id, structure_id) VALUES (:u, :s)", soci::use(id),
        soci::use(s);
  writeAudit(sql, {std::nullopt, "user.create", "user:" + std::to_string(id), user.email, ""}, now);
  tx.commit();
  return id;
}

void SqlStore::setPassword(std::int64_t userId, const std::string& hash, Instant now) {
  Connection c(db_);
  long long id = userId, at = seconds(now);
  c.sql() << "UPDATE users SET password_hash = :hash, password_changed_at = :at WHERE id = :id",
      soci::use(hash), soci::use(at), soci::use(id);
}

std::vector<std::int64_t> SqlStore::linkedStructureIds(std::int64_t userId) {
  Connection c(db_);
  auto& q = c.statements().get<LinkedStructuresQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.user = userId;
  std::vector<std::int64_t> out;
  q.statement.execute();
  while (q.statement.fetch()) out.push_back(q.structure);
  return out;
}

// ---------------------------------------------------------------- sessions

void SqlStore::create(const app::StoredSession& s) {
  Connection c(db_);
  long long user = s.userId, created = seconds(s.createdAt), seen = seconds(s.lastSeenAt);
  c.sql() << "INSERT INTO sessions (id_digest, user_id, csrf_token, created_at, last_seen_at) "
             "VALUES (:digest, :user, :csrf, :created, :seen)",
      soci::use(s.idDigest), soci::use(user), soci::use(s.csrfToken), soci::use(created),
      soci::use(seen);
}

std::optional<app::StoredSession> SqlStore::find(const std::string& idDigest) {
  Connection c(db_);
  auto& q = c.statements().get<SessionQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.digest = idDigest;
  if (!q.statement.execute(true)) return std::nullopt;
  return app::StoredSession{idDigest, q.user, q.csrf, instant(q.created), instant(q.seen)};
}

std::optional<std::pair<app::StoredSession, app::User>> SqlStore::findWithUser(
    const std::string& idDigest) {
  Connection c(db_);
  return findSessionWithUser(c, idDigest);
}

void SqlStore::touch(const std::string& idDigest, Instant lastSeen) {
  Connection c(db_);
  long long seen = seconds(lastSeen);
  c.sql() << "UPDATE sessions SET last_seen_at = :seen WHERE id_digest = :digest", soci::use(seen),
      soci::use(idDigest);
}

void SqlStore::remove(const std::string& idDigest) {
  Connection c(db_);
  c.sql() << "DELETE FROM sessions WHERE id_digest = :digest", soci::use(idDigest);
}

// ---------------------------------------------------------------- structures and places

std::optional<app::Structure> SqlStore::findStructure(std::int64_t id) {
  Connection c(db_);
  auto& q = c.statements().get<StructureByIdQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.key = id;
  if (!q.statement.execute(true)) return std::nullopt;
  return toStructure(q.r);
}

std::vector<app::Structure> SqlStore::structuresByIds(const std::vector<std::int64_t>& ids) {
  Connection c(db_);
  std::vector<app::Structure> out;
  for (auto id : ids)
    if (auto s = queryStructure(c.sql(), id)) out.push_back(std::move(*s));
  return out;
}

std::vector<app::Place> SqlStore::placesOfStructure(std::int64_t structureId) {
  Connection c(db_);
  return queryPlaces(c.sql(), "WHERE structure_id = :id ORDER BY id", structureId);
}

std::optional<std::pair<app::Place, app::Structure>> SqlStore::findPlaceWithStructure(
    std::int64_t id) {
  Connection c(db_);
  auto& q = c.statements().get<PlaceWithStructureQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.key = id;
  if (!q.statement.execute(true)) return std::nullopt;
  return std::make_pair(toPlace(q.p), toStructure(q.s));
}

void SqlStore::saveParticipation(std::int64_t structureId, const domain::Participation& p,
                                 const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_.dialect());
  long long id = structureId, at = seconds(now);
  int participates = p.participates, contact = p.acceptsContact, honour = p.honourDeclared;
  sql << "UPDATE structures SET participates = :p, professionals = :n, accepts_contact = :c, "
         "honour_declared = :h, updated_at = :at WHERE id = :id",
      soci::use(participates), soci::use(p.professionals), soci::use(contact), soci::use(honour),
      soci::use(at), soci::use(id);
  writeAudit(sql, audit, now);
  long long place = 0;
  soci::statement st = (sql.prepare << "SELECT id FROM places WHERE structure_id = :id",
                        soci::use(id), soci::into(place));
  st.execute();
  std::vector<long long> places;
  while (st.fetch()) places.push_back(place);
  for (auto pl : places) recordChange(sql, pl, now);
  tx.commit();
}

std::int64_t SqlStore::createStructure(const app::Structure& s) {
  Connection c(db_);
  long long id = 0;
  int participates = s.participation.participates, contact = s.participation.acceptsContact,
      honour = s.participation.honourDeclared, professionals = s.participation.professionals;
  c.sql() << "INSERT INTO structures (name, type, finess, siret, phone, departement, "
             "participates, professionals, accepts_contact, honour_declared) VALUES (:name, "
             ":type, :finess, :siret, :phone, :dep, :p, :n, :c, :h) RETURNING id",
      soci::use(s.name), soci::use(s.type), soci::use(s.finess), soci::use(s.siret),
      soci::use(s.phone), soci::use(s.departement), soci::use(participates),
      soci::use(professionals), soci::use(contact), soci::use(honour), soci::into(id);
  return id;
}

std::int64_t SqlStore::createPlace(const app::Place& p) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_.dialect());
  long long id = 0, structure = p.structureId;
  double lat = p.latitude, lon = p.longitude;
  sql << "INSERT INTO places (structure_id, name, street, postal_code, town, insee_code, "
         "latitude, longitude, time_zone, phone) VALUES (:s, :name, :street, :pc, :town, "
         ":insee, :lat, :lon, :tz, :phone) RETURNING id",
      soci::use(structure), soci::use(p.name), soci::use(p.street), soci::use(p.postalCode),
      soci::use(p.town), soci::use(p.inseeCode), soci::use(lat), soci::use(lon),
      soci::use(p.timeZone), soci::use(p.phone), soci::into(id);
  // The search index of every process hears of the new place.
  recordChange(sql, id, clock_.now());
  tx.commit();
  return id;
}

std::optional<app::Structure> SqlStore::findByIdentifiers(const std::string& finess,
                                                          const std::string& siret) {
  Connection c(db_);
  long long id = 0;
  soci::indicator ind = soci::i_null;
  if (!finess.empty())
    c.sql() << "SELECT MIN(id) FROM structures WHERE finess = :f", soci::use(finess),
        soci::into(id, ind);
  if (ind != soci::i_ok && !siret.empty())
    c.sql() << "SELECT MIN(id) FROM structures WHERE siret = :s", soci::use(siret),
        soci::into(id, ind);
  if (ind != soci::i_ok) return std::nullopt;
  return queryStructure(c.sql(), id);
}

std::int64_t SqlStore::saveImported(const app::Structure& s, const app::Place& p, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_.dialect());
  long long id = s.id, placeId = 0;
  if (id == 0) {
    sql << "INSERT INTO structures (name, type, finess, siret, phone, departement) VALUES "
           "(:name, :type, :finess, :siret, :phone, :dep) RETURNING id",
        soci::use(s.name), soci::use(s.type), soci::use(s.finess), soci::use(s.siret),
        soci::use(s.phone), soci::use(s.departement), soci::into(id);
  } else {
    sql << "UPDATE structures SET name = :name, type = :type, finess = :finess, siret = :siret, "
           "phone = :phone, departement = :dep WHERE id = :id",
        soci::use(s.name), soci::use(s.type), soci::use(s.finess), soci::use(s.siret),
        soci::use(s.phone), soci::use(s.departement), soci::use(id);
  }
  soci::indicator placeInd = soci::i_null;
  sql << "SELECT MIN(id) FROM places WHERE structure_id = :id", soci::use(id),
      soci::into(placeId, placeInd);
  double lat = p.latitude, lon = p.longitude;
  if (placeInd != soci::i_ok) {
    sql << "INSERT INTO places (structure_id, name, street, postal_code, town, insee_code, "
           "latitude, longitude, time_zone, phone) VALUES (:s, :name, :street, :pc, :town, "
           ":insee, :lat, :lon, :tz, :phone) RETURNING id",
        soci::use(id), soci::use(p.name), soci::use(p.street), soci::use(p.postalCode),
        soci::use(p.town), soci::use(p.inseeCode), soci::use(lat), soci::use(lon),
        soci::use(p.timeZone), soci::use(p.phone), soci::into(placeId);
  } else {
    sql << "UPDATE places SET street = :street, postal_code = :pc, town = :town, "
           "insee_code = :insee, latitude = :lat, longitude = :lon, time_zone = :tz, "
           "phone = :phone WHERE id = :id",
        soci::use(p.street), soci::use(p.postalCode), soci::use(p.town), soci::use(p.inseeCode),
        soci::use(lat), soci::use(lon), soci::use(p.timeZone), soci::use(p.phone),
        soci::use(placeId);
  }
  writeAudit(sql,
             {std::nullopt, "structure.import", "structure:" + std::to_string(id),
              s.finess.empty() ? s.siret : s.finess, ""},
             now);
  recordChange(sql, placeId, now);
  tx.commit();
  return id;
}

// ---------------------------------------------------------------- agenda

std::vector<domain::Availability> SqlStore::availabilitiesOfPlace(std::int64_t placeId, Day from) {
  Connection c(db_);
  const long long version = agendaVersion(c, placeId);
  if (auto rows = rowsCache_->find(placeId, from, version)) return std::move(*rows);
  auto rows = readAvailabilities(c, placeId, from);
  // Kept only if no change was committed while they were read (the version moves with each).
  if (agendaVersion(c, placeId) == version) rowsCache_->store(placeId, from, version, rows);
  return rows;
}

std::vector<domain::Availability> SqlStore::readAvailabilities(Connection& c, std::int64_t placeId,
                                                               Day from) {
  std::vector<domain::Availability> out;
  std::map<long long, std::size_t> index;
  {
    auto& q = c.statements().get<AvailabilitiesOfPlaceQuery>(c.sql());
    StatementRun run(q.statement, c.sqlite());
    q.place = placeId;
    q.from = domain::formatIsoDate(from);
    q.resize();
    q.statement.execute();
    while (q.statement.fetch()) {
      for (std::size_t i = 0; i < q.id.size(); ++i) {
        index[q.id[i]] = out.size();
        out.push_back(q.row(i));
      }
    }
  }
  // All their exceptions in one query, not one per availability.
  auto& q = c.statements().get<ExceptionsOfPlaceQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.place = placeId;
  q.from = domain::formatIsoDate(from);
  q.statement.execute();
  while (q.statement.fetch()) {
    auto it = index.find(q.availability);
    if (it == index.end()) continue;
    domain::AvailabilityException e;
    e.originalDate = day(q.original);
    e.deleted = q.deleted != 0;
    e.values = {day(q.date), q.start,
                q.end,       kindFrom(q.kind),
                q.capacity,  domain::ConsultationTypes{static_cast<std::uint8_t>(q.types)}};
    out[it->second].exceptions.push_back(e);
  }
  return out;
}

std::optional<domain::Availability> SqlStore::findAvailability(std::int64_t id) {
  Connection c(db_);
  auto& sql = c.sql();
  long long key = id;
  AvailabilityRow r;
  sql << std::string(kAvailabilityColumns) + "WHERE id = :id", soci::use(key), soci::into(r.id),
      soci::into(r.placeId), soci::into(r.weekly), soci::into(r.firstDate),
      soci::into(r.lastDate, r.lastInd), soci::into(r.start), soci::into(r.end), soci::into(r.kind),
      soci::into(r.capacity), soci::into(r.types);
  if (!sql.got_data()) return std::nullopt;
  auto a = toAvailability(r);
  loadExceptions(sql, a);
  return a;
}

std::vector<std::int64_t> SqlStore::applyChange(std::int64_t placeId,
                                                const domain::AgendaChange& change,
                                                const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_.dialect());
  long long place = placeId;
  for (auto id : change.deleted) {
    long long key = id;
    sql << "DELETE FROM availability_exceptions WHERE availability_id = :id", soci::use(key);
    sql << "DELETE FROM availabilities WHERE id = :id AND place_id = :place", soci::use(key),
        soci::use(place);
  }
  for (const auto& a : change.updated) {
    AvailabilityParams p(a);
    long long key = a.id;
    sql << "UPDATE availabilities SET weekly = :weekly, first_date = :first, last_date = :last, "
           "span_end = :span, start_minute = :start, end_minute = :end, kind = :kind, "
           "capacity = :capacity, types = :types WHERE id = :id AND place_id = :place",
        soci::use(p.weekly), soci::use(p.firstDate), soci::use(p.lastDate, p.lastInd),
        soci::use(p.spanEnd, p.spanInd), soci::use(p.start), soci::use(p.end), soci::use(p.kind),
        soci::use(p.capacity), soci::use(p.types), soci::use(key), soci::use(place);
    writeExceptions(sql, a);
  }
  std::vector<std::int64_t> ids;
  for (auto a : change.created) {
    AvailabilityParams p(a);
    long long id = 0;
    sql << "INSERT INTO availabilities (place_id, weekly, first_date, last_date, span_end, "
           "start_minute, end_minute, kind, capacity, types) VALUES (:place, :weekly, :first, "
           ":last, :span, :start, :end, :kind, :capacity, :types) RETURNING id",
        soci::use(place), soci::use(p.weekly), soci::use(p.firstDate),
        soci::use(p.lastDate, p.lastInd), soci::use(p.spanEnd, p.spanInd), soci::use(p.start),
        soci::use(p.end), soci::use(p.kind), soci::use(p.capacity), soci::use(p.types),
        soci::into(id);
    a.id = id;
    writeExceptions(sql, a);
    ids.push_back(id);
  }
  sql << "UPDATE places SET agenda_version = agenda_version + 1 WHERE id = :place",
      soci::use(place);
  writeAudit(sql, audit, now);
  recordChange(sql, placeId, now);
  tx.commit();
  return ids;
}

domain::Unavailability SqlStore::unavailability(std::int64_t placeId) {
  return unavailabilityAndNote(placeId).first;
}

void SqlStore::saveUnavailability(std::int64_t placeId, const domain::Unavailability& u,
                                  const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_.dialect());
  long long place = placeId;
  int indefinite = u.indefinite ? 1 : 0;
  sql << "UPDATE places SET unavailable_indefinite = :i WHERE id = :id", soci::use(indefinite),
      soci::use(place);
  sql << "DELETE FROM unavailability_periods WHERE place_id = :id", soci::use(place);
  int position = 0;
  for (const auto& p : u.periods) {
    std::string first = domain::formatIsoDate(p.from), last = domain::formatIsoDate(p.to);
    sql << "INSERT INTO unavailability_periods (place_id, position, first_date, last_date) "
           "VALUES (:place, :position, :first, :last)",
        soci::use(place), soci::use(position), soci::use(first), soci::use(last);
    ++position;
  }
  writeAudit(sql, audit, now);
  recordChange(sql, placeId, now);
  tx.commit();
}

std::pair<domain::Unavailability, std::string> SqlStore::unavailabilityAndNote(
    std::int64_t placeId) {
  Connection c(db_);
  auto& q = c.statements().get<UnavailabilityAndNoteQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.place = placeId;
  std::pair<domain::Unavailability, std::string> out;
  q.statement.execute();
  while (q.statement.fetch()) {
    out.first.indefinite = q.indefinite != 0;
    out.second = q.note;
    if (q.firstInd == soci::i_ok && q.lastInd == soci::i_ok)
      out.first.periods.push_back({day(q.first), day(q.last)});
  }
  return out;
}

void SqlStore::saveRegulatorNote(std::int64_t placeId, const std::string& note,
                                 const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_.dialect());
  long long place = placeId;
  sql << "UPDATE places SET regulator_note = :note WHERE id = :id", soci::use(note),
      soci::use(place);
  writeAudit(sql, audit, now);
  recordChange(sql, placeId, now);
  tx.commit();
}

void SqlStore::record(const app::AuditEntry& entry, Instant now) {
  Connection c(db_);
  writeAudit(c.sql(), entry, now);
}

}  // namespace sas::storage
