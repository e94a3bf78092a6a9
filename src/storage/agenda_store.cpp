#include "storage/agenda_store.hpp"

#include <soci/soci.h>

#include <map>
#include <numeric>

#include "storage/prepared.hpp"
#include "storage/rows.hpp"

namespace sas::storage {

using domain::Day;
using domain::Instant;

namespace {

// The availabilities of a place that may still have an occurrence on or after :from.
const char* const kAvailabilitiesOfPlace =
    "WHERE place_id = :place AND (span_end IS NULL OR span_end >= :from) ORDER BY id";
const char* const kExceptionsOfAvailability =
    "WHERE e.availability_id = :id ORDER BY e.original_date";
const char* const kExceptionsOfPlace =
    "JOIN availabilities a ON a.id = e.availability_id WHERE e.place_id = :place AND "
    "(a.span_end IS NULL OR a.span_end >= :from) ORDER BY e.availability_id, e.original_date";
const char* const kAgendaVersion = "SELECT agenda_version FROM places WHERE id = :id";
const char* const kRowsVersion = "SELECT rows_version FROM places WHERE id = :id";
// A change of the availabilities moves both versions; of what else the agenda shows, one.
const char* const kBumpVersions =
    "UPDATE places SET agenda_version = agenda_version + 1, rows_version = rows_version + 1 "
    "WHERE id = :place";
// Takes the place's row (PostgreSQL holds it to the commit) if its version is the one planned.
const char* const kClaimVersion =
    "UPDATE places SET agenda_version = agenda_version WHERE id = :place AND agenda_version = "
    ":version";
const char* const kBumpAgendaVersion =
    "UPDATE places SET agenda_version = agenda_version + 1 WHERE id = :place";
const char* const kDeleteExceptions =
    "DELETE FROM availability_exceptions WHERE availability_id = :id AND place_id = :place";
const char* const kInsertException =
    "INSERT INTO availability_exceptions (availability_id, place_id, original_date, deleted, "
    "date, start_minute, end_minute, kind, capacity, types) VALUES (:id, :place, :original, "
    ":deleted, :date, :start, :end, :kind, :capacity, :types)";
const char* const kDeleteAvailability =
    "DELETE FROM availabilities WHERE id = :id AND place_id = :place";
const char* const kUpdateAvailability =
    "UPDATE availabilities SET weekly = :weekly, first_date = :first, last_date = :last, "
    "span_end = :span, start_minute = :start, end_minute = :end, kind = :kind, capacity = "
    ":capacity, types = :types WHERE id = :id AND place_id = :place";
const char* const kInsertAvailability =
    "INSERT INTO availabilities (place_id, weekly, first_date, last_date, span_end, start_minute, "
    "end_minute, kind, capacity, types) VALUES (:place, :weekly, :first, :last, :span, :start, "
    ":end, :kind, :capacity, :types) RETURNING id";
const char* const kUnavailabilityAndNote =
    "SELECT p.unavailable_indefinite, p.regulator_note, u.first_date, u.last_date FROM places p "
    "LEFT JOIN unavailability_periods u ON u.place_id = p.id WHERE p.id = :id ORDER BY "
    "u.position";
const char* const kSetIndefinite = "UPDATE places SET unavailable_indefinite = :i WHERE id = :id";
const char* const kDeletePeriods = "DELETE FROM unavailability_periods WHERE place_id = :id";
const char* const kInsertPeriod =
    "INSERT INTO unavailability_periods (place_id, position, first_date, last_date) VALUES "
    "(:place, :position, :first, :last)";
const char* const kSetRegulatorNote = "UPDATE places SET regulator_note = :note WHERE id = :id";
const char* const kAvailabilityById = "WHERE id = :id";
// A kept occurrence (docs/rules.md#orientation): its orientations and count follow it to its
// one-off.
const char* const kMoveOrientations =
    "UPDATE orientations SET availability_id = :to, occurrence_date = :toDate WHERE "
    "availability_id = :from AND occurrence_date = :fromDate";
const char* const kMoveTaking =
    "UPDATE occurrence_takings SET availability_id = :to, occurrence_date = :toDate WHERE "
    "availability_id = :from AND occurrence_date = :fromDate";
const char* const kTakingsFrom =
    "SELECT COUNT(*) FROM occurrence_takings WHERE availability_id = :id AND occurrence_date >= "
    ":from AND taken > 0";

// Rows come in batches: SOCI's work per fetch, not per row, is what a 50-series week costs.
constexpr std::size_t kBatch = 64;

// The last date any occurrence of `a` can fall on; none for a series with no end.
std::optional<Day> spanEnd(const domain::Availability& a) {
  if (a.weekly && !a.lastDate) return std::nullopt;
  Day end = a.weekly ? *a.lastDate : a.base.date;
  for (const auto& e : a.exceptions)
    if (!e.deleted && e.values.date > end) end = e.values.date;
  return end;
}

// The availability's exceptions, written again; `place` is the availability's.
void writeExceptions(soci::session& sql, const domain::Availability& a, long long place) {
  long long id = a.id;
  sql << kDeleteExceptions, soci::use(id), soci::use(place);
  for (const auto& e : a.exceptions) {
    // A deleted date keeps the series' values in its row, so that every column stays NOT NULL.
    const auto& v = e.deleted ? a.base : e.values;
    std::string original = domain::formatIsoDate(e.originalDate);
    std::string date = domain::formatIsoDate(e.deleted ? e.originalDate : v.date);
    std::string kind = kindCode(v.kind);
    int deleted = e.deleted ? 1 : 0, types = v.types.bits;
    sql << kInsertException, soci::use(id), soci::use(place), soci::use(original),
        soci::use(deleted), soci::use(date), soci::use(v.startMinute), soci::use(v.endMinute),
        soci::use(kind), soci::use(v.capacity), soci::use(types);
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

// The place's unavailability and note with its periods: one row per period, or one row with
// no period.
struct UnavailabilityAndNoteQuery final : PreparedQuery {
  long long place = 0;
  int indefinite = 0;
  std::string note, first, last;
  soci::indicator firstInd = soci::i_null, lastInd = soci::i_null;
  soci::statement statement;
  explicit UnavailabilityAndNoteQuery(soci::session& sql)
      : statement((sql.prepare << kUnavailabilityAndNote, soci::use(place), soci::into(indefinite),
                   soci::into(note), soci::into(first, firstInd), soci::into(last, lastInd))) {}
};

struct AvailabilitiesOfPlaceQuery final : PreparedQuery {
  long long place = 0;
  std::string from;
  AvailabilityBatch rows{kBatch};
  soci::statement statement;
  explicit AvailabilitiesOfPlaceQuery(soci::session& sql) : statement(sql) {
    rows.bind(statement);
    statement.exchange(soci::use(place, "place"));
    statement.exchange(soci::use(from, "from"));
    prepareBound(statement, std::string(kAvailabilityColumns) + kAvailabilitiesOfPlace);
  }
};

struct ExceptionsOfPlaceQuery final : PreparedQuery {
  long long place = 0;
  std::string from;
  ExceptionBatch rows{kBatch};
  soci::statement statement;
  explicit ExceptionsOfPlaceQuery(soci::session& sql) : statement(sql) {
    rows.bind(statement);
    statement.exchange(soci::use(place, "place"));
    statement.exchange(soci::use(from, "from"));
    prepareBound(statement, std::string(kExceptionColumns) + kExceptionsOfPlace);
  }
};

struct AgendaVersionQuery final : PreparedQuery {
  long long place = 0, version = 0;
  soci::statement statement;
  explicit AgendaVersionQuery(soci::session& sql)
      : statement((sql.prepare << kAgendaVersion, soci::use(place), soci::into(version))) {}
};

struct RowsVersionQuery final : PreparedQuery {
  long long place = 0, version = 0;
  soci::statement statement;
  explicit RowsVersionQuery(soci::session& sql)
      : statement((sql.prepare << kRowsVersion, soci::use(place), soci::into(version))) {}
};

template <class Query>
long long readVersion(Connection& c, std::int64_t placeId) {
  auto& q = c.statements().get<Query>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.place = placeId;
  return q.statement.execute(true) ? q.version : -1;
}

}  // namespace

long long SqlAgendaStore::agendaVersion(std::int64_t placeId) {
  Connection c(db_);
  return readVersion<AgendaVersionQuery>(c, placeId);
}

std::vector<domain::Availability> SqlAgendaStore::availabilitiesOfPlace(std::int64_t placeId,
                                                                        Day from) {
  Connection c(db_);
  const long long version = readVersion<RowsVersionQuery>(c, placeId);
  if (auto rows = rowsCache_->find(placeId, from, version)) return std::move(*rows);
  auto rows = readAvailabilities(c, placeId, from);
  // Kept only if no change was committed while they were read (the version moves with each).
  if (readVersion<RowsVersionQuery>(c, placeId) == version)
    rowsCache_->store(placeId, from, version, rows);
  return rows;
}

std::vector<domain::Availability> SqlAgendaStore::readAvailabilities(Connection& c,
                                                                     std::int64_t placeId,
                                                                     Day from) {
  std::vector<domain::Availability> out;
  std::map<long long, std::size_t> index;
  {
    auto& q = c.statements().get<AvailabilitiesOfPlaceQuery>(c.sql());
    StatementRun run(q.statement, c.sqlite());
    q.place = placeId;
    q.from = domain::formatIsoDate(from);
    q.rows.reset();
    q.statement.execute();
    while (q.statement.fetch()) {
      for (std::size_t i = 0; i < q.rows.size(); ++i) {
        index[q.rows.id[i]] = out.size();
        out.push_back(q.rows.row(i));
      }
      q.rows.reset();
    }
  }
  // All their exceptions in one query, not one per availability.
  auto& q = c.statements().get<ExceptionsOfPlaceQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.place = placeId;
  q.from = domain::formatIsoDate(from);
  q.rows.reset();
  q.statement.execute();
  while (q.statement.fetch()) {
    for (std::size_t i = 0; i < q.rows.size(); ++i)
      if (auto it = index.find(q.rows.availability[i]); it != index.end())
        out[it->second].exceptions.push_back(q.rows.row(i));
    q.rows.reset();
  }
  return out;
}

std::optional<domain::Availability> SqlAgendaStore::findAvailability(std::int64_t id) {
  Connection c(db_);
  auto& sql = c.sql();
  long long key = id;
  AvailabilityBatch one(1);
  soci::statement st(sql);
  one.bind(st);
  st.exchange(soci::use(key, "id"));
  prepareBound(st, std::string(kAvailabilityColumns) + kAvailabilityById);
  st.execute();
  if (!st.fetch() || one.size() == 0) return std::nullopt;
  auto a = one.row(0);
  ExceptionBatch exceptions(kBatch);
  soci::statement ex(sql);
  exceptions.bind(ex);
  ex.exchange(soci::use(key, "id"));
  prepareBound(ex, std::string(kExceptionColumns) + kExceptionsOfAvailability);
  ex.execute();
  while (ex.fetch()) {
    for (std::size_t i = 0; i < exceptions.size(); ++i) a.exceptions.push_back(exceptions.row(i));
    exceptions.reset();
  }
  return a;
}

namespace {

// The writes of a change, inside the caller's transaction; the ids of the created ones.
std::vector<std::int64_t> writeChange(soci::session& sql, std::int64_t placeId,
                                      const domain::AgendaChange& change) {
  long long place = placeId;
  for (auto id : change.deleted) {
    long long key = id;
    sql << kDeleteExceptions, soci::use(key), soci::use(place);
    sql << kDeleteAvailability, soci::use(key), soci::use(place);
  }
  for (const auto& a : change.updated) {
    AvailabilityParams p(a);
    long long key = a.id;
    soci::statement update =
        (sql.prepare << kUpdateAvailability, soci::use(p.weekly), soci::use(p.firstDate),
         soci::use(p.lastDate, p.lastInd), soci::use(p.spanEnd, p.spanInd), soci::use(p.start),
         soci::use(p.end), soci::use(p.kind), soci::use(p.capacity), soci::use(p.types),
         soci::use(key), soci::use(place));
    update.execute(true);
    // Another place's availability (the service checks before, this is the floor): its
    // exceptions are not this place's to write.
    if (update.get_affected_rows() == 1) writeExceptions(sql, a, place);
  }
  std::vector<std::int64_t> ids;
  for (auto a : change.created) {
    AvailabilityParams p(a);
    long long id = 0;
    sql << kInsertAvailability, soci::use(place), soci::use(p.weekly), soci::use(p.firstDate),
        soci::use(p.lastDate, p.lastInd), soci::use(p.spanEnd, p.spanInd), soci::use(p.start),
        soci::use(p.end), soci::use(p.kind), soci::use(p.capacity), soci::use(p.types),
        soci::into(id);
    a.id = id;
    writeExceptions(sql, a, place);
    ids.push_back(id);
  }
  sql << kBumpVersions, soci::use(place);
  return ids;
}

}  // namespace

std::vector<std::int64_t> SqlAgendaStore::applyChange(std::int64_t placeId,
                                                      const domain::AgendaChange& change,
                                                      const app::AuditEntry& audit, Instant now) {
  return std::move(applyChanges({{placeId, change, audit, std::nullopt}}, now)->front());
}

std::optional<std::vector<std::int64_t>> SqlAgendaStore::applyChangeKeeping(
    std::int64_t placeId, const domain::AgendaChange& change, std::int64_t seriesId, Day from,
    const std::vector<domain::KeptOccurrence>& kept, const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long series = seriesId, place = placeId;
  // First, the place's row (PostgreSQL holds it to the commit, as an orientation's writes do).
  sql << kBumpVersions, soci::use(place);
  // An occurrence taken since the service read the takings would lose its place: nothing is
  // written, the manager is asked to look again. Counted before the writes, since SQLite may
  // give a deleted series' id to a new one-off.
  long long taken = 0;
  std::string first = domain::formatIsoDate(from);
  sql << kTakingsFrom, soci::use(series), soci::use(first), soci::into(taken);
  if (taken != static_cast<long long>(kept.size())) return std::nullopt;  // rolled back
  auto ids = writeChange(sql, placeId, change);
  for (const auto& k : kept) {
    long long to = ids.at(k.createdIndex);
    std::string toDate = domain::formatIsoDate(k.date),
                fromDate = domain::formatIsoDate(k.originalDate);
    sql << kMoveOrientations, soci::use(to), soci::use(toDate), soci::use(series),
        soci::use(fromDate);
    sql << kMoveTaking, soci::use(to), soci::use(toDate), soci::use(series), soci::use(fromDate);
  }
  writeAudit(c, audit, now);
  recordChange(c, placeId, now);
  tx.commit();
  return ids;
}

std::optional<std::vector<std::vector<std::int64_t>>> SqlAgendaStore::applyChanges(
    const std::vector<app::PlaceAgendaChange>& changes, Instant now) {
  // The places in the order of their ids: two copies between the same places, confirmed at once
  // on PostgreSQL, take the places' rows in the same order and never wait on each other.
  std::vector<std::size_t> order(changes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return changes[a].placeId < changes[b].placeId;
  });
  Connection c(db_);
  auto& sql = c.sql();
  // One transaction for every place: a failure on any of them rolls back the others.
  Transaction tx(sql, db_);
  for (const auto i : order) {
    if (!changes[i].expectedVersion) continue;
    long long place = changes[i].placeId, version = *changes[i].expectedVersion;
    soci::statement claim =
        (sql.prepare << kClaimVersion, soci::use(place, "place"), soci::use(version, "version"));
    claim.execute(true);
    if (claim.get_affected_rows() != 1) return std::nullopt;  // rolled back
  }
  std::vector<std::vector<std::int64_t>> ids(changes.size());
  for (const auto i : order) {
    const auto& one = changes[i];
    ids[i] = writeChange(sql, one.placeId, one.change);
    writeAudit(c, one.audit, now);
    recordChange(c, one.placeId, now);
  }
  tx.commit();
  return ids;
}

domain::Unavailability SqlAgendaStore::unavailability(std::int64_t placeId) {
  return unavailabilityAndNote(placeId).first;
}

void SqlAgendaStore::saveUnavailability(std::int64_t placeId, const domain::Unavailability& u,
                                        const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long place = placeId;
  int indefinite = u.indefinite ? 1 : 0;
  sql << kSetIndefinite, soci::use(indefinite), soci::use(place);
  sql << kDeletePeriods, soci::use(place);
  int position = 0;
  for (const auto& p : u.periods) {
    std::string first = domain::formatIsoDate(p.from), last = domain::formatIsoDate(p.to);
    sql << kInsertPeriod, soci::use(place), soci::use(position), soci::use(first), soci::use(last);
    ++position;
  }
  sql << kBumpAgendaVersion, soci::use(place);  // the agenda shows the unavailability
  writeAudit(c, audit, now);
  recordChange(c, placeId, now);
  tx.commit();
}

std::pair<domain::Unavailability, std::string> SqlAgendaStore::unavailabilityAndNote(
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
      out.first.periods.push_back({storedDay(q.first), storedDay(q.last)});
  }
  return out;
}

void SqlAgendaStore::saveRegulatorNote(std::int64_t placeId, const std::string& note,
                                       const app::AuditEntry& audit, Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long place = placeId;
  sql << kSetRegulatorNote, soci::use(note), soci::use(place);
  sql << kBumpAgendaVersion, soci::use(place);  // the agenda shows the note
  writeAudit(c, audit, now);
  recordChange(c, placeId, now);
  tx.commit();
}

}  // namespace sas::storage
