#include "storage/orientation_store.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "storage/account_store.hpp"
#include "storage/prepared.hpp"
#include "storage/rows.hpp"

namespace sas::storage {

using domain::Instant;
using domain::OrientationStatus;

namespace {

// Counts one more on the occurrence unless it holds `capacity` already: no row comes back when
// it was full. Both SQLite (3.35+) and PostgreSQL take this form; PostgreSQL locks the row and
// checks the condition against its latest version, SQLite has one writer at a time.
const char* const kTakeOne =
    "INSERT INTO occurrence_takings (availability_id, occurrence_date, place_id, starts_at, "
    "taken) VALUES (:availability, :date, :place, :start, 1) ON CONFLICT (availability_id, "
    "occurrence_date) DO UPDATE SET taken = occurrence_takings.taken + 1 WHERE "
    "occurrence_takings.taken < :capacity RETURNING taken";
const char* const kGiveBackOne =
    "UPDATE occurrence_takings SET taken = taken - 1 WHERE availability_id = :availability AND "
    "occurrence_date = :date";
const char* const kDropEmptyTaking =
    "DELETE FROM occurrence_takings WHERE availability_id = :availability AND occurrence_date = "
    ":date AND taken <= 0";
const char* const kInsertOrientation =
    "INSERT INTO orientations (made_at, place_id, availability_id, occurrence_date, starts_at, "
    "ends_at, kind, types, capacity, regulator_id, regulator_role, territory_id, reference, "
    "status, status_at) VALUES (:made, :place, :availability, :date, :start, :end, :kind, "
    ":types, :capacity, :regulator, :role, :territory, :reference, :status, :made2) RETURNING id";
const char* const kMoveStatus =
    "UPDATE orientations SET status = :to, status_at = :at, status_by = :by WHERE id = :id AND "
    "status = :from";
const char* const kOccurrenceOfOrientation =
    "SELECT place_id, availability_id, occurrence_date FROM orientations WHERE id = :id";
const char* const kTerritoryName = "SELECT name FROM territories WHERE id = :id";
const char* const kBumpAgendaVersion =
    "UPDATE places SET agenda_version = agenda_version + 1 WHERE id = :place";
const char* const kOrientationColumns =
    "SELECT o.id, o.made_at, o.place_id, o.availability_id, o.occurrence_date, o.starts_at, "
    "o.ends_at, o.kind, o.types, o.capacity, o.regulator_id, o.regulator_role, o.territory_id, "
    "o.reference, o.status, o.status_at FROM orientations o ";
const char* const kOrientationById = "WHERE o.id = :id";
const char* const kOrientationsOfPlace =
    "WHERE o.place_id = :place AND o.starts_at >= :from AND o.starts_at < :to ORDER BY "
    "o.starts_at, o.id";
const char* const kTakingsOfPlace =
    "SELECT availability_id, occurrence_date, taken FROM occurrence_takings WHERE place_id = "
    ":place AND starts_at >= :from AND taken > 0";
const char* const kTakingsOfPlaces =
    "SELECT place_id, availability_id, occurrence_date, taken FROM occurrence_takings WHERE "
    "place_id >= :low AND place_id <= :high AND starts_at >= :from AND taken > 0 ORDER BY "
    "place_id";
const char* const kOrientationsMade =
    "SELECT o.id, o.made_at, o.place_id, o.availability_id, o.occurrence_date, o.starts_at, "
    "o.ends_at, o.kind, o.types, o.capacity, o.regulator_id, o.regulator_role, o.territory_id, "
    "o.reference, o.status, o.status_at, p.name, s.name, s.finess, s.siret, "
    "COALESCE(t.name, ''), COALESCE((SELECT MIN(d.national_id) FROM directory_places d WHERE "
    "d.structure_id = s.id), '') FROM orientations o JOIN places p ON p.id = o.place_id JOIN "
    "structures s ON s.id = p.structure_id LEFT JOIN territories t ON t.id = o.territory_id "
    "WHERE o.made_at >= :from AND o.made_at < :to AND (:all = 1 OR o.territory_id = :territory) "
    "ORDER BY o.made_at, o.id";

// The columns of kOrientationColumns, bound in their order.
struct OrientationRow {
  long long id = 0, made = 0, place = 0, availability = 0, start = 0, end = 0, regulator = 0,
            territory = 0, statusAt = 0;
  int types = 0, capacity = 0;
  std::string date, kind, role, reference, status;
  soci::indicator availabilityInd = soci::i_null, dateInd = soci::i_null,
                  territoryInd = soci::i_null;

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(made));
    st.exchange(soci::into(place));
    st.exchange(soci::into(availability, availabilityInd));
    st.exchange(soci::into(date, dateInd));
    st.exchange(soci::into(start));
    st.exchange(soci::into(end));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(types));
    st.exchange(soci::into(capacity));
    st.exchange(soci::into(regulator));
    st.exchange(soci::into(role));
    st.exchange(soci::into(territory, territoryInd));
    st.exchange(soci::into(reference));
    st.exchange(soci::into(status));
    st.exchange(soci::into(statusAt));
  }

  app::Orientation value() const {
    app::Orientation o;
    o.id = id;
    o.madeAt = instant(made);
    o.placeId = place;
    if (availabilityInd == soci::i_ok) o.availabilityId = availability;
    if (dateInd == soci::i_ok) o.occurrenceDate = storedDay(date);
    o.start = instant(start);
    o.end = instant(end);
    const auto k = domain::orientationKindFromCode(kind);
    const auto r = app::roleFromCode(role);
    const auto s = domain::statusFromCode(status);
    if (!k || !r || !s) throw std::runtime_error("orientations: unknown code in row");
    o.kind = *k;
    o.types = typesFrom(types);
    o.capacity = capacity;
    o.regulatorId = regulator;
    o.regulatorRole = *r;
    if (territoryInd == soci::i_ok) o.territoryId = territory;
    o.reference = reference;
    o.status = *s;
    o.statusAt = instant(statusAt);
    return o;
  }
};

// The statements of every orientation, prepared once per connection (storage/prepared.hpp):
// parsing them again cost more than running them (bench/orientations.sh).
struct TakeOneQuery final : PreparedQuery {
  long long availability = 0, place = 0, start = 0;
  std::string date;
  int capacity = 0, taken = 0;
  soci::statement statement;
  explicit TakeOneQuery(soci::session& sql)
      : statement((sql.prepare << kTakeOne, soci::use(availability, "availability"),
                   soci::use(date, "date"), soci::use(place, "place"), soci::use(start, "start"),
                   soci::use(capacity, "capacity"), soci::into(taken))) {}
};

struct InsertOrientationQuery final : PreparedQuery {
  long long made = 0, place = 0, availability = 0, start = 0, end = 0, regulator = 0, territory = 0,
            id = 0;
  std::string date, kind, role, reference, status;
  int types = 0, capacity = 0;
  soci::indicator occurrenceInd = soci::i_null, territoryInd = soci::i_null;
  soci::statement statement;
  explicit InsertOrientationQuery(soci::session& sql)
      : statement((sql.prepare << kInsertOrientation, soci::use(made, "made"),
                   soci::use(place, "place"),
                   soci::use(availability, occurrenceInd, "availability"),
                   soci::use(date, occurrenceInd, "date"), soci::use(start, "start"),
                   soci::use(end, "end"), soci::use(kind, "kind"), soci::use(types, "types"),
                   soci::use(capacity, "capacity"), soci::use(regulator, "regulator"),
                   soci::use(role, "role"), soci::use(territory, territoryInd, "territory"),
                   soci::use(reference, "reference"), soci::use(status, "status"),
                   soci::use(made, "made2"), soci::into(id))) {}
};

struct BumpAgendaVersionQuery final : PreparedQuery {
  long long place = 0;
  soci::statement statement;
  explicit BumpAgendaVersionQuery(soci::session& sql)
      : statement((sql.prepare << kBumpAgendaVersion, soci::use(place, "place"))) {}
};

struct TakingsOfPlaceQuery final : PreparedQuery {
  long long place = 0, from = 0, availability = 0;
  std::string date;
  int taken = 0;
  soci::statement statement;
  explicit TakingsOfPlaceQuery(soci::session& sql)
      : statement((sql.prepare << kTakingsOfPlace, soci::use(place, "place"),
                   soci::use(from, "from"), soci::into(availability), soci::into(date),
                   soci::into(taken))) {}
};

struct TerritoryNameQuery final : PreparedQuery {
  long long territory = 0;
  std::string name;
  soci::statement statement;
  explicit TerritoryNameQuery(soci::session& sql)
      : statement((sql.prepare << kTerritoryName, soci::use(territory, "id"), soci::into(name))) {}
};

struct TakingsOfPlacesQuery final : PreparedQuery {
  long long low = 0, high = 0, from = 0, place = 0, availability = 0;
  std::string date;
  int taken = 0;
  soci::statement statement;
  explicit TakingsOfPlacesQuery(soci::session& sql)
      : statement((sql.prepare << kTakingsOfPlaces, soci::use(low, "low"), soci::use(high, "high"),
                   soci::use(from, "from"), soci::into(place), soci::into(availability),
                   soci::into(date), soci::into(taken))) {}
};

std::vector<app::Orientation> queryOrientations(soci::statement& st, OrientationRow& row) {
  std::vector<app::Orientation> out;
  st.execute();
  while (st.fetch()) out.push_back(row.value());
  return out;
}

}  // namespace

std::optional<app::OrientationRepository::Taken> SqlOrientationStore::orient(
    const app::Orientation& o, int capacity, const app::AuditEntry& audit,
    const std::vector<app::EmailMessage>& mails) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  const std::string date = o.availabilityId ? domain::formatIsoDate(o.occurrenceDate) : "";
  int taken = 0;
  if (o.availabilityId) {
    auto& q = c.statements().get<TakeOneQuery>(sql);
    StatementRun run(q.statement, c.sqlite());
    q.availability = o.availabilityId;
    q.date = date;
    q.place = o.placeId;
    q.start = seconds(o.start);
    q.capacity = capacity;
    if (!q.statement.execute(true)) return std::nullopt;  // full: nothing written
    taken = q.taken;
  }
  long long id = 0;
  {
    auto& q = c.statements().get<InsertOrientationQuery>(sql);
    StatementRun run(q.statement, c.sqlite());
    q.made = seconds(o.madeAt);
    q.place = o.placeId;
    q.availability = o.availabilityId;
    q.date = date;
    q.occurrenceInd = o.availabilityId ? soci::i_ok : soci::i_null;
    q.start = seconds(o.start);
    q.end = seconds(o.end);
    q.kind = domain::orientationKindCode(o.kind);
    q.types = o.types.bits;
    q.capacity = o.capacity;
    q.regulator = o.regulatorId;
    q.role = app::roleCode(o.regulatorRole);
    q.territory = o.territoryId.value_or(0);
    q.territoryInd = o.territoryId ? soci::i_ok : soci::i_null;
    q.reference = o.reference;
    q.status = domain::statusCode(o.status);
    q.statement.execute(true);
    id = q.id;
  }
  {
    auto& q = c.statements().get<BumpAgendaVersionQuery>(sql);
    StatementRun run(q.statement, c.sqlite());
    q.place = o.placeId;
    q.statement.execute(true);
  }
  writeAudit(c, audit, o.madeAt);
  const auto change = recordChange(c, o.placeId, o.madeAt);
  for (const auto& m : mails) enqueueMail(c, m, o.madeAt);
  tx.commit();
  return Taken{id, taken, change};
}

std::optional<app::Orientation> SqlOrientationStore::findOrientation(std::int64_t id) {
  Connection c(db_);
  OrientationRow row;
  long long key = id;
  soci::statement st(c.sql());
  row.bind(st);
  st.exchange(soci::use(key, "id"));
  prepareBound(st, std::string(kOrientationColumns) + kOrientationById);
  auto found = queryOrientations(st, row);
  if (found.empty()) return std::nullopt;
  return found.front();
}

bool SqlOrientationStore::moveStatus(std::int64_t id, OrientationStatus from, OrientationStatus to,
                                     std::int64_t byUserId, const app::AuditEntry& audit,
                                     Instant now, const std::vector<app::EmailMessage>& mails) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long key = id, by = byUserId, at = seconds(now);
  std::string fromCode = domain::statusCode(from), toCode = domain::statusCode(to);
  soci::statement move = (sql.prepare << kMoveStatus, soci::use(toCode, "to"), soci::use(at, "at"),
                          soci::use(by, "by"), soci::use(key, "id"), soci::use(fromCode, "from"));
  move.execute(true);
  if (move.get_affected_rows() != 1) return false;  // moved meanwhile by someone else
  long long place = 0, availability = 0;
  std::string date;
  soci::indicator availabilityInd = soci::i_null, dateInd = soci::i_null;
  sql << kOccurrenceOfOrientation, soci::use(key), soci::into(place),
      soci::into(availability, availabilityInd), soci::into(date, dateInd);
  if (to == OrientationStatus::Cancelled && availabilityInd == soci::i_ok) {
    sql << kGiveBackOne, soci::use(availability), soci::use(date);
    sql << kDropEmptyTaking, soci::use(availability), soci::use(date);
  }
  sql << kBumpAgendaVersion, soci::use(place);
  writeAudit(c, audit, now);
  recordChange(c, place, now);
  for (const auto& m : mails) enqueueMail(c, m, now);
  tx.commit();
  return true;
}

app::OrientationContacts SqlOrientationStore::contacts(std::int64_t structureId,
                                                       std::optional<std::int64_t> territoryId) {
  Connection c(db_);
  app::OrientationContacts out;
  out.recipients = structureContacts(c, structureId);
  if (territoryId) {
    auto& q = c.statements().get<TerritoryNameQuery>(c.sql());
    StatementRun run(q.statement, c.sqlite());
    q.territory = *territoryId;
    if (q.statement.execute(true)) out.territoryName = q.name;
  }
  return out;
}

std::vector<domain::Taking> SqlOrientationStore::takingsOfPlace(std::int64_t placeId,
                                                                domain::Day from) {
  Connection c(db_);
  auto& q = c.statements().get<TakingsOfPlaceQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.place = placeId;
  // A zone ahead of UTC starts its day up to 14 hours sooner.
  q.from = seconds(domain::Instant{from}) - 24 * 3600;
  std::vector<domain::Taking> out;
  q.statement.execute();
  while (q.statement.fetch()) out.push_back({q.availability, storedDay(q.date), q.taken});
  return out;
}

std::vector<app::Orientation> SqlOrientationStore::orientationsOfPlace(std::int64_t placeId,
                                                                       Instant from, Instant to) {
  Connection c(db_);
  OrientationRow row;
  long long place = placeId, low = seconds(from), high = seconds(to);
  soci::statement st(c.sql());
  row.bind(st);
  st.exchange(soci::use(place, "place"));
  st.exchange(soci::use(low, "from"));
  st.exchange(soci::use(high, "to"));
  prepareBound(st, std::string(kOrientationColumns) + kOrientationsOfPlace);
  return queryOrientations(st, row);
}

std::vector<app::OrientationLine> SqlOrientationStore::orientationsMade(
    Instant from, Instant to, std::optional<std::int64_t> territoryId) {
  Connection c(db_);
  OrientationRow row;
  app::OrientationLine line;
  long long low = seconds(from), high = seconds(to), territory = territoryId.value_or(0);
  int all = territoryId ? 0 : 1;
  soci::statement st(c.sql());
  row.bind(st);
  st.exchange(soci::into(line.placeName));
  st.exchange(soci::into(line.structureName));
  st.exchange(soci::into(line.finess));
  st.exchange(soci::into(line.siret));
  st.exchange(soci::into(line.territoryName));
  st.exchange(soci::into(line.nationalId));
  st.exchange(soci::use(low, "from"));
  st.exchange(soci::use(high, "to"));
  st.exchange(soci::use(all, "all"));
  st.exchange(soci::use(territory, "territory"));
  prepareBound(st, kOrientationsMade);
  st.execute();
  std::vector<app::OrientationLine> out;
  while (st.fetch()) {
    line.orientation = row.value();
    out.push_back(line);
  }
  return out;
}

std::vector<std::pair<std::int64_t, domain::Taking>> takingsOfPlaces(Connection& c, long long low,
                                                                     long long high,
                                                                     domain::Instant from) {
  auto& q = c.statements().get<TakingsOfPlacesQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.low = low;
  q.high = high;
  q.from = seconds(from);
  q.statement.execute();
  std::vector<std::pair<std::int64_t, domain::Taking>> out;
  while (q.statement.fetch())
    out.push_back({q.place, {q.availability, storedDay(q.date), q.taken}});
  return out;
}

}  // namespace sas::storage
