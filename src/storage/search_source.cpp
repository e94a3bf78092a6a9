#include "storage/search_source.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/search_text.hpp"
#include "storage/agenda_digest.hpp"
#include "storage/orientation_store.hpp"
#include "storage/prepared.hpp"
#include "storage/rows.hpp"
#include "storage/sqlite_native.hpp"

namespace sas::storage {
namespace {

constexpr std::size_t kBatch = 5000;  // rows fetched at a time by a build of the index
// Rows fetched at a time when one place is read again (after each orientation or change of
// its agenda): a batch allocates its rows up front, and 5000 of them cost about 1.5 ms of
// malloc/free per refresh, for a few rows read: half the CPU time of a burst of orientations
// (bench/orientations.sh, docs/benchmarks.md).
constexpr std::size_t kPlaceBatch = 64;

// By the exceptions' own place (migration 063): through the availabilities' place, SQLite
// walked every availability of the range to find the few with exceptions.
const char* const kExceptionsInRange =
    "JOIN availabilities a ON a.id = e.availability_id WHERE e.place_id >= :low AND e.place_id "
    "<= :high AND (a.span_end IS NULL OR a.span_end >= :from) ORDER BY e.place_id, "
    "e.availability_id, e.original_date";
const char* const kAvailabilitiesInRange =
    "WHERE place_id >= :low AND place_id <= :high AND (span_end IS NULL OR span_end >= :from) "
    "ORDER BY place_id, id";
const char* const kPlacesInRange =
    "SELECT p.id, p.structure_id, p.name, p.street, p.postal_code, p.town, "
    "p.insee_code, p.latitude, p.longitude, p.time_zone, p.phone, "
    "p.regulator_note, p.unavailable_indefinite, s.name, s.type, s.finess, "
    "s.siret, s.phone, s.departement, s.participates, s.professionals, "
    "s.accepts_contact, s.honour_declared, s.specialties, s.rpps_rang FROM places p "
    "JOIN structures s ON s.id = p.structure_id "
    "WHERE p.id >= :low AND p.id <= :high ORDER BY p.id";
// Who practises at each place: the directory's professionals of its structure, and the accounts
// linked to Pro Santé Connect that work there (names, profession and specialty from the
// directory when their national id is in it, else the account's names). A directory professional
// with a PSC account is read twice: the union keeps one row.
const char* const kProfessionalsInRange =
    "SELECT p.id, d.first_name, d.last_name, d.profession, d.specialty, d.national_id "
    "FROM places p "
    "JOIN directory_places dp ON dp.structure_id = p.structure_id "
    "JOIN directory_professionals d ON d.national_id = dp.national_id "
    "WHERE p.id >= :low AND p.id <= :high "
    "UNION "
    "SELECT p.id, COALESCE(d.first_name, u.first_name), COALESCE(d.last_name, u.last_name), "
    "COALESCE(d.profession, ''), "
    "COALESCE(d.specialty, ''), i.national_id FROM places p "
    "JOIN user_structures us ON us.structure_id = p.structure_id "
    "JOIN users u ON u.id = us.user_id AND u.disabled = 0 "
    "JOIN psc_identities i ON i.user_id = u.id "
    "LEFT JOIN directory_professionals d ON d.national_id = i.national_id "
    "WHERE p.id >= :low2 AND p.id <= :high2 "
    "ORDER BY 1, 3, 2";
// The slots pulled from the enabled publishers (docs/rules.md#publishers) not over yet.
const char* const kPulledInRange =
    "SELECT ps.place_id, ps.publisher_id, pb.name, ps.start_at, ps.end_at, ps.types, "
    "ps.booking_url FROM pulled_slots ps JOIN publishers pb ON pb.id = ps.publisher_id "
    "AND pb.enabled = 1 WHERE ps.place_id >= :low AND ps.place_id <= :high "
    "AND ps.end_at >= :after ORDER BY ps.place_id, ps.start_at, ps.end_at, ps.publisher_id";
const char* const kPeriodsInRange =
    "SELECT place_id, first_date, last_date FROM unavailability_periods "
    "WHERE place_id >= :low AND place_id <= :high ORDER BY place_id, position";
const char* const kPlaceIdBounds = "SELECT MIN(id), MAX(id) FROM places";
const char* const kLastChange = "SELECT MAX(id) FROM changes";
const char* const kLastChangeOrNone = "SELECT COALESCE(MAX(id), 0) FROM changes";
const char* const kPlaceCount = "SELECT COUNT(*) FROM places";
const char* const kChangesAfter =
    "SELECT id, place_id FROM changes WHERE id > :after "
    "ORDER BY id";
const char* const kPruneChanges =
    "DELETE FROM changes WHERE at < :at AND id < (SELECT MAX(id) FROM changes)";
const char* const kChangesBacklog = "SELECT COUNT(*), MIN(at) FROM changes WHERE id > :after";
const char* const kSetSpecialties = "UPDATE structures SET specialties = :s WHERE id = :id";
const char* const kTokenNameCount = "SELECT COUNT(*) FROM api_tokens WHERE name = :name";
const char* const kInsertApiToken =
    "INSERT INTO api_tokens (name, digest, created_at, scopes, user_id) "
    "VALUES (:name, :digest, :at, :scopes, :user)";
const char* const kLiveTokenNameCount =
    "SELECT COUNT(*) FROM api_tokens WHERE name = :name AND revoked_at IS NULL";
const char* const kRevokeApiToken = "UPDATE api_tokens SET revoked_at = :at WHERE name = :name";
const char* const kApiTokenByDigest =
    "SELECT id, name, created_at, scopes, user_id FROM api_tokens "
    "WHERE digest = :d AND revoked_at IS NULL";
const char* const kApiTokens =
    "SELECT id, name, created_at, revoked_at, scopes, user_id FROM api_tokens ORDER BY id";

void bindRange(soci::statement& st, long long& low, long long& high, std::string& from) {
  st.exchange(soci::use(low, "low"));
  st.exchange(soci::use(high, "high"));
  st.exchange(soci::use(from, "from"));
}

// The columns of kAvailabilityColumns, then the span's end (which a digest keeps).
const std::string kNativeAvailabilityColumns =
    std::string("SELECT ") + kAvailabilityColumnList + ", span_end FROM availabilities ";
const char* const kDigestsInRange =
    "SELECT place_id, series FROM agenda_digests WHERE place_id >= :low AND place_id <= :high "
    "ORDER BY place_id";
// Not when the place's agenda changed since the build began reading it (a change row after
// `seen`): the rows read may be older than the writer's, whose trigger found no digest to
// delete.
const char* const kWriteDigest =
    "INSERT OR REPLACE INTO agenda_digests (place_id, series) SELECT :place, :series "
    "WHERE NOT EXISTS (SELECT 1 FROM changes WHERE id > :seen AND place_id = :place)";

// A build's availabilities on SQLite, straight from its rows: through SOCI each text column of
// each row was copied to the heap, then into a batch's strings, a third of a build
// (docs/benchmarks.md). A place with a digest (migration 064) is read from it rather than from
// its rows, some 37 a place, whose stepping was half of a build; the places without one are
// read from their rows and given one in `fresh`. Each place's series go to `keep` in id order.
// PostgreSQL's build, and one place's read, go through SOCI.
template <class Keep>
void readAgendasFromSqlite(soci::session& sql, const std::vector<app::SearchRecord>& records,
                           long long low, long long high, domain::Day fromDay,
                           const std::string& from, Keep&& keep, std::vector<PlaceDigest>& fresh,
                           long long& seen) {
  using namespace sqlite_api;  // where SOCI's header puts SQLite's C API
  auto* db = sqlite::handle(sql);
  const char* const what = "reading the availabilities";
  std::vector<long long> covered;  // in id order
  {
    const auto st = sqlite::prepare(db, kDigestsInRange, what);
    sqlite::bindNumber(db, st.get(), ":low", low, what);
    sqlite::bindNumber(db, st.get(), ":high", high, what);
    std::vector<domain::Availability> read;
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(st.get())) == SQLITE_ROW) {
      const long long place = sqlite3_column_int64(st.get(), 0);
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(st.get(), 1));
      const std::string_view digest(bytes ? bytes : "",
                                    static_cast<std::size_t>(sqlite3_column_bytes(st.get(), 1)));
      read.clear();
      if (!readDigest(digest, place, fromDay, read)) continue;
      for (auto& a : read) keep(std::move(a));
      covered.push_back(place);
    }
    if (step != SQLITE_DONE) sqlite::fail(db, what);
  }
  // The others' rows, by runs of places without a digest.
  std::vector<std::pair<long long, long long>> runs;
  std::vector<long long> uncovered;
  auto next = covered.begin();
  bool inRun = false;
  for (const auto& r : records) {
    const long long id = r.place.id;
    while (next != covered.end() && *next < id) ++next;
    if (next != covered.end() && *next == id) {
      inRun = false;
      continue;
    }
    if (inRun)
      runs.back().second = id;
    else
      runs.emplace_back(id, id);
    inRun = true;
    uncovered.push_back(id);
  }
  if (runs.empty()) return;
  // Before the rows: a change committed after this may or may not be in them.
  {
    const auto st = sqlite::prepare(db, kLastChangeOrNone, what);
    if (sqlite3_step(st.get()) != SQLITE_ROW) sqlite::fail(db, what);
    seen = sqlite3_column_int64(st.get(), 0);
  }
  // By place: the runs ascend, and each one's rows come by place.
  std::vector<std::pair<long long, std::string>> made;
  DigestWriter writer(fromDay);
  long long writerPlace = 0;  // 0: none yet
  const auto close = [&] {
    if (writerPlace != 0) made.emplace_back(writerPlace, std::move(writer).finish());
    writer = DigestWriter(fromDay);
  };
  const auto st = sqlite::prepare(db, kNativeAvailabilityColumns + kAvailabilitiesInRange, what);
  for (const auto& [runLow, runHigh] : runs) {
    sqlite3_reset(st.get());
    sqlite::bindNumber(db, st.get(), ":low", runLow, what);
    sqlite::bindNumber(db, st.get(), ":high", runHigh, what);
    if (sqlite3_bind_text(st.get(), sqlite3_bind_parameter_index(st.get(), ":from"), from.data(),
                          static_cast<int>(from.size()), SQLITE_STATIC) != SQLITE_OK)
      sqlite::fail(db, what);
    const auto intOf = [&](int column) { return sqlite3_column_int(st.get(), column); };
    int step = SQLITE_ROW;
    // The columns of kNativeAvailabilityColumns, in its order.
    while ((step = sqlite3_step(st.get())) == SQLITE_ROW) {
      const auto dateOf = [&](int column) {
        return sqlite3_column_type(st.get(), column) == SQLITE_NULL
                   ? std::nullopt
                   : std::optional(sqlite::text(st.get(), column));
      };
      auto a =
          availabilityFrom(sqlite3_column_int64(st.get(), 0), sqlite3_column_int64(st.get(), 1),
                           intOf(2), sqlite::text(st.get(), 3), dateOf(4), intOf(5), intOf(6),
                           sqlite::text(st.get(), 7), intOf(8), intOf(9));
      const auto span = dateOf(10);
      if (a.placeId != writerPlace) {
        close();
        writerPlace = a.placeId;
      }
      writer.add(a, span ? std::optional(storedDay(*span)) : std::nullopt);
      keep(std::move(a));
    }
    if (step != SQLITE_DONE) sqlite::fail(db, what);
  }
  close();
  // Each place without a digest gets the one its rows made, or an empty one (no rows).
  auto it = made.begin();
  for (const auto id : uncovered) {
    while (it != made.end() && it->first < id) ++it;
    fresh.push_back({id, it != made.end() && it->first == id
                             ? std::move(it->second)
                             : std::move(DigestWriter(fromDay)).finish()});
  }
}

}  // namespace

void writeAgendaDigests(Connection& c, Database& database, long long seen,
                        const std::vector<PlaceDigest>& digests) {
  using namespace sqlite_api;
  auto* db = sqlite::handle(c.sql());
  const char* const what = "writing the agendas' digests";
  Transaction tx(c.sql(), database);
  const auto st = sqlite::prepare(db, kWriteDigest, what);
  sqlite::bindNumber(db, st.get(), ":seen", seen, what);
  for (const auto& d : digests) {
    sqlite3_reset(st.get());
    sqlite::bindNumber(db, st.get(), ":place", d.placeId, what);
    if (sqlite3_bind_blob(st.get(), sqlite3_bind_parameter_index(st.get(), ":series"),
                          d.series.data(), static_cast<int>(d.series.size()),
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st.get()) != SQLITE_DONE)
      sqlite::fail(db, what);
  }
  tx.commit();
}

namespace {

// The statements that read places with their agenda, prepared together. Reading one place
// again after each orientation or change of its agenda keeps them on its connection
// (OnePlaceRead): parsing them again cost more than running them (bench/orientations.sh).
struct RangeRead : PreparedQuery {
  // A build's read on SQLite (not one place's, not PostgreSQL's): its availabilities come
  // straight from SQLite's rows, and SOCI's statement for them is not prepared.
  bool nativeAvailabilities;
  // The digests made by the last run, and the last change before it read their rows.
  std::vector<PlaceDigest> fresh;
  long long seen = 0;
  long long low = 0, high = 0;
  std::string from;
  // A place's row.
  app::SearchRecord r;
  long long id = 0, structureId = 0;
  int indefinite = 0, participates = 0, professionalCount = 0, contact = 0, honour = 0;
  soci::statement places;
  // Its unavailability periods.
  long long periodPlace = 0;
  std::string first, last;
  soci::statement periods;
  // The professionals who practise there.
  long long proPlace = 0;
  domain::SearchProfessional pro;
  soci::statement practitioners;
  // The slots its publishers published.
  long long after = 0;
  long long pulledPlace = 0, pulledStart = 0, pulledEnd = 0;
  int pulledTypes = 0;
  app::PulledSlotRecord pulled;
  soci::statement pulledSlots;
  // Its availabilities and their exceptions, by batches of rows.
  ExceptionBatch exceptionRows;
  soci::statement exceptions;
  AvailabilityBatch availabilityRows;
  soci::statement availabilities;

  RangeRead(soci::session& sql, std::size_t batch, bool native)
      : nativeAvailabilities(native),
        places((sql.prepare << kPlacesInRange, soci::use(low, "low"), soci::use(high, "high"),
                soci::into(id), soci::into(structureId), soci::into(r.place.name),
                soci::into(r.place.street), soci::into(r.place.postalCode),
                soci::into(r.place.town), soci::into(r.place.inseeCode),
                soci::into(r.place.latitude), soci::into(r.place.longitude),
                soci::into(r.place.timeZone), soci::into(r.place.phone),
                soci::into(r.regulatorNote), soci::into(indefinite), soci::into(r.structure.name),
                soci::into(r.structure.type), soci::into(r.structure.finess),
                soci::into(r.structure.siret), soci::into(r.structure.phone),
                soci::into(r.structure.departement), soci::into(participates),
                soci::into(professionalCount), soci::into(contact), soci::into(honour),
                soci::into(r.specialties), soci::into(r.structure.rppsRang))),
        periods((sql.prepare << kPeriodsInRange, soci::use(low, "low"), soci::use(high, "high"),
                 soci::into(periodPlace), soci::into(first), soci::into(last))),
        practitioners((sql.prepare << kProfessionalsInRange, soci::use(low, "low"),
                       soci::use(high, "high"), soci::use(low, "low2"), soci::use(high, "high2"),
                       soci::into(proPlace), soci::into(pro.firstName), soci::into(pro.lastName),
                       soci::into(pro.profession), soci::into(pro.specialty),
                       soci::into(pro.nationalId))),
        pulledSlots((sql.prepare << kPulledInRange, soci::use(low, "low"), soci::use(high, "high"),
                     soci::use(after, "after"), soci::into(pulledPlace),
                     soci::into(pulled.publisherId), soci::into(pulled.publisherName),
                     soci::into(pulledStart), soci::into(pulledEnd), soci::into(pulledTypes),
                     soci::into(pulled.bookingUrl))),
        exceptionRows(batch),
        exceptions(sql),
        availabilityRows(native ? 0 : batch),
        availabilities(sql) {
    exceptionRows.bind(exceptions);
    bindRange(exceptions, low, high, from);
    prepareBound(exceptions, std::string(kExceptionColumns) + kExceptionsInRange);
    if (nativeAvailabilities) return;
    availabilityRows.bind(availabilities);
    bindRange(availabilities, low, high, from);
    prepareBound(availabilities, std::string(kAvailabilityColumns) + kAvailabilitiesInRange);
  }

  std::vector<app::SearchRecord> run(Connection& c, long long lowId, long long highId,
                                     domain::Day fromDay) {
    low = lowId;
    high = highId;
    fresh.clear();
    from = domain::formatIsoDate(fromDay);
    after = seconds(domain::Instant{fromDay - date::days{1}});
    std::vector<app::SearchRecord> records;
    // Room for every id of the range (a build's chunk, dense ids): grown from nothing, the
    // records (a kilobyte each, strings and vectors) were moved eleven times for 2,000 places.
    records.reserve(static_cast<std::size_t>(std::clamp(high - low + 1, 1LL, 4096LL)));
    std::unordered_map<long long, std::size_t> byId;
    byId.reserve(records.capacity());
    {
      StatementRun run(places, c.sqlite());
      places.execute();
      while (places.fetch()) {
        r.place.id = id;
        r.place.structureId = structureId;
        r.structure.id = structureId;
        r.structure.participation = {participates != 0, professionalCount, contact != 0,
                                     honour != 0};
        r.unavailability = {};
        r.unavailability.indefinite = indefinite != 0;
        byId[id] = records.size();
        records.push_back(r);
      }
    }
    if (records.empty()) return records;
    {
      StatementRun run(periods, c.sqlite());
      periods.execute();
      while (periods.fetch())
        if (auto it = byId.find(periodPlace); it != byId.end())
          records[it->second].unavailability.periods.push_back({storedDay(first), storedDay(last)});
    }
    {
      StatementRun run(practitioners, c.sqlite());
      practitioners.execute();
      while (practitioners.fetch())
        if (auto it = byId.find(proPlace); it != byId.end()) {
          auto& pros = records[it->second].professionals;
          // The same person from the directory and from Pro Santé Connect (his account's names
          // typed differently, or no specialty in the directory): kept once, the fuller row.
          auto same = std::find_if(pros.begin(), pros.end(), [&](const auto& o) {
            if (!o.nationalId.empty() && !pro.nationalId.empty())
              return o.nationalId == pro.nationalId;
            return domain::foldText(o.firstName + " " + o.lastName) ==
                   domain::foldText(pro.firstName + " " + pro.lastName);
          });
          if (same == pros.end())
            pros.push_back(pro);
          else if (same->specialty.empty() && same->profession.empty())
            *same = pro;
        }
    }
    {
      StatementRun run(pulledSlots, c.sqlite());
      pulledSlots.execute();
      while (pulledSlots.fetch())
        if (auto it = byId.find(pulledPlace); it != byId.end()) {
          pulled.start = instant(pulledStart);
          pulled.end = instant(pulledEnd);
          pulled.types = typesFrom(pulledTypes);
          records[it->second].pulled.push_back(pulled);
        }
    }
    std::unordered_map<long long, std::vector<domain::AvailabilityException>> byAvailability;
    {
      StatementRun run(exceptions, c.sqlite());
      exceptionRows.reset();
      exceptions.execute();
      while (exceptions.fetch()) {
        for (std::size_t i = 0; i < exceptionRows.size(); ++i)
          byAvailability[exceptionRows.availability[i]].push_back(exceptionRows.row(i));
        exceptionRows.reset();
      }
    }
    // The rows come by place (ORDER BY place_id): a place's are gathered in `pending`, whose
    // room stays from one place to the next, then moved into a vector of their number, where
    // pushing each into the place's own grew it five or six times for 37 rows.
    std::vector<domain::Availability> pending;
    std::size_t pendingRecord = records.size();  // none
    long long pendingPlace = 0;
    const auto flush = [&] {
      if (pending.empty()) return;
      auto& kept = records[pendingRecord].availabilities;
      kept.reserve(kept.size() + pending.size());
      std::move(pending.begin(), pending.end(), std::back_inserter(kept));
      pending.clear();
    };
    const auto keep = [&](domain::Availability&& a) {
      if (pending.empty() || a.placeId != pendingPlace) {
        auto it = byId.find(a.placeId);
        if (it == byId.end()) return;
        flush();
        pendingRecord = it->second;
        pendingPlace = a.placeId;
      }
      if (auto e = byAvailability.find(a.id); e != byAvailability.end())
        a.exceptions = std::move(e->second);
      pending.push_back(std::move(a));
    };
    if (nativeAvailabilities) {
      readAgendasFromSqlite(c.sql(), records, low, high, fromDay, from, keep, fresh, seen);
    } else {
      StatementRun run(availabilities, c.sqlite());
      availabilityRows.reset();
      availabilities.execute();
      while (availabilities.fetch()) {
        for (std::size_t i = 0; i < availabilityRows.size(); ++i) keep(availabilityRows.row(i));
        availabilityRows.reset();
      }
    }
    flush();
    // The day before `from`: a zone ahead of UTC starts its day sooner.
    for (auto& [place, taking] :
         takingsOfPlaces(c, low, high, domain::Instant{fromDay - date::days{1}}))
      if (auto it = byId.find(place); it != byId.end())
        records[it->second].takings.push_back(taking);
    return records;
  }
};

struct OnePlaceRead final : RangeRead {
  explicit OnePlaceRead(soci::session& sql) : RangeRead(sql, kPlaceBatch, false) {}
};

}  // namespace

std::vector<app::SearchRecord> SqlSearchSource::readRange(Connection& c, long long low,
                                                          long long high, domain::Day from) {
  if (low == high) return c.statements().get<OnePlaceRead>(c.sql()).run(c, low, high, from);
  // A build's: its batches are large, not kept.
  RangeRead read(c.sql(), kBatch, c.sqlite());
  auto records = read.run(c, low, high, from);
  // Not inside the caller's ReadScope, where nothing is written: a later build writes them.
  if (!read.fresh.empty() && !c.scoped()) writeAgendaDigests(c, db_, read.seen, read.fresh);
  return records;
}

void SqlSearchSource::forEachPlace(domain::Day from,
                                   const std::function<void(app::SearchRecord&&)>& visit,
                                   std::size_t readers) {
  long long low = 0, high = 0;
  soci::indicator lowInd = soci::i_null, highInd = soci::i_null;
  {
    Connection c(db_);
    c.sql() << kPlaceIdBounds, soci::into(low, lowInd), soci::into(high, highInd);
  }
  if (lowInd != soci::i_ok || highInd != soci::i_ok) return;
  // The chunks are handed out in id order to whichever reader is free; reading (SQL, rows) is
  // two thirds of a build, so each reader reads its own chunks rather than one feeding others.
  std::atomic<long long> next{low};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(readers > 1 ? readers - 1 : 0);
  // Reads and visits chunks until none is left. A connection for each chunk, as a request takes
  // one; a helper takes one only if it is free now: waiting, it could wait for ever on threads
  // that wait for this build (the caller's read scope, say), so it leaves the rest to the caller.
  const auto readChunks = [&](bool helper) {
    while (!failed.load(std::memory_order_relaxed)) {
      std::vector<app::SearchRecord> records;
      {
        std::optional<Connection> c;
        helper ? c.emplace(db_, std::try_to_lock) : c.emplace(db_);
        if (!c->leased()) return;
        const long long start = next.fetch_add(chunk_);
        if (start > high) return;
        records = readRange(*c, start, std::min(high, start + chunk_ - 1), from);
      }
      for (auto& r : records) visit(std::move(r));
    }
  };
  const auto help = [&](std::size_t i) {
    try {
      readChunks(true);
    } catch (...) {
      errors[i] = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> helpers;
  for (std::size_t i = 0; i + 1 < readers; ++i) {
    try {
      helpers.emplace_back(help, i);
    } catch (const std::system_error&) {
      break;  // no thread to be had: the readers started so far read it all
    }
  }
  try {
    readChunks(false);
  } catch (...) {
    failed = true;
    for (auto& t : helpers) t.join();
    throw;
  }
  for (auto& t : helpers) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

std::optional<app::SearchRecord> SqlSearchSource::findPlace(std::int64_t placeId,
                                                            domain::Day from) {
  Connection c(db_);
  auto records = readRange(c, placeId, placeId, from);
  if (records.empty()) return std::nullopt;
  return std::move(records.front());
}

std::int64_t SqlSearchSource::lastChange() {
  Connection c(db_);
  long long last = 0;
  soci::indicator ind = soci::i_null;
  c.sql() << kLastChange, soci::into(last, ind);
  return ind == soci::i_ok ? last : 0;
}

std::int64_t SqlSearchSource::placeCount() {
  Connection c(db_);
  long long count = 0;
  c.sql() << kPlaceCount, soci::into(count);
  return count;
}

std::vector<app::ChangeRow> SqlSearchSource::changesSince(std::int64_t after) {
  Connection c(db_);
  long long from = after, id = 0, place = 0;
  std::vector<app::ChangeRow> out;
  soci::statement st =
      (c.sql().prepare << kChangesAfter, soci::use(from), soci::into(id), soci::into(place));
  st.execute();
  while (st.fetch()) out.push_back({id, place});
  return out;
}

void SqlSearchSource::pruneChanges(domain::Instant before) {
  Connection c(db_);
  long long at = seconds(before);
  c.sql() << kPruneChanges, soci::use(at);
}

app::PendingChanges SqlSearchSource::changesAfter(std::int64_t after) {
  Connection c(db_);
  long long from = after, count = 0, oldest = 0;
  soci::indicator oldestInd = soci::i_null;
  c.sql() << kChangesBacklog, soci::use(from), soci::into(count), soci::into(oldest, oldestInd);
  app::PendingChanges out;
  out.count = count;
  if (oldestInd == soci::i_ok) out.oldest = instant(oldest);
  return out;
}

void SqlSearchSource::setSpecialties(std::int64_t structureId, const std::string& specialties,
                                     domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long id = structureId;
  sql << kSetSpecialties, soci::use(specialties), soci::use(id);
  recordStructureChange(c, structureId, now);
  tx.commit();
}

bool SqlSearchSource::createToken(const std::string& name, const std::string& digest,
                                  const std::string& scopes, std::optional<std::int64_t> userId,
                                  domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  int taken = 0;
  sql << kTokenNameCount, soci::use(name), soci::into(taken);
  if (taken > 0) return false;
  long long at = seconds(now);
  long long user = userId.value_or(0);
  soci::indicator userInd = userId ? soci::i_ok : soci::i_null;
  sql << kInsertApiToken, soci::use(name), soci::use(digest), soci::use(at), soci::use(scopes),
      soci::use(user, userInd);
  writeAudit(c, {std::nullopt, "api_token.create", "api_token:" + name, scopes, ""}, now);
  tx.commit();
  return true;
}

bool SqlSearchSource::revokeToken(const std::string& name, domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  int active = 0;
  sql << kLiveTokenNameCount, soci::use(name), soci::into(active);
  if (active == 0) return false;
  long long at = seconds(now);
  sql << kRevokeApiToken, soci::use(at), soci::use(name);
  writeAudit(c, {std::nullopt, "api_token.revoke", "api_token:" + name, "", ""}, now);
  tx.commit();
  return true;
}

namespace {

/// Every call of the JSON API checks its token: prepared once per connection, since parsing
/// the statement cost more than running it.
struct ActiveTokenQuery final : PreparedQuery {
  std::string digest, name, scopes;
  long long id = 0, created = 0, user = 0;
  soci::indicator userInd = soci::i_null;
  soci::statement statement;
  explicit ActiveTokenQuery(soci::session& sql)
      : statement((sql.prepare << kApiTokenByDigest, soci::use(digest), soci::into(id),
                   soci::into(name), soci::into(created), soci::into(scopes),
                   soci::into(user, userInd))) {}
};

}  // namespace

std::optional<app::ApiToken> SqlSearchSource::activeToken(const std::string& digest) {
  Connection c(db_);
  auto& q = c.statements().get<ActiveTokenQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.digest = digest;
  if (!q.statement.execute(true)) return std::nullopt;
  app::ApiToken t;
  t.id = q.id;
  t.name = q.name;
  t.createdAt = instant(q.created);
  t.scopes = q.scopes;
  if (q.userInd == soci::i_ok) t.userId = q.user;
  return t;
}

std::vector<app::ApiToken> SqlSearchSource::tokens() {
  Connection c(db_);
  std::vector<app::ApiToken> out;
  app::ApiToken t;
  long long id = 0, created = 0, revoked = 0, user = 0;
  soci::indicator revokedInd = soci::i_null, userInd = soci::i_null;
  soci::statement st =
      (c.sql().prepare << kApiTokens, soci::into(id), soci::into(t.name), soci::into(created),
       soci::into(revoked, revokedInd), soci::into(t.scopes), soci::into(user, userInd));
  st.execute();
  while (st.fetch()) {
    t.id = id;
    t.createdAt = instant(created);
    t.revoked = revokedInd == soci::i_ok;
    t.userId = userInd == soci::i_ok ? std::optional<std::int64_t>(user) : std::nullopt;
    out.push_back(t);
  }
  return out;
}

}  // namespace sas::storage
