#include "storage/search_source.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "storage/prepared.hpp"
#include "storage/rows.hpp"

namespace sas::storage {
namespace {

constexpr long long kChunk = 2000;    // places read at a time
constexpr std::size_t kBatch = 5000;  // rows fetched at a time

domain::Day day(const std::string& iso) {
  auto d = domain::parseDate(iso);
  if (!d) throw std::runtime_error("stored date is not a date: " + iso);
  return *d;
}

domain::AvailabilityKind kindFrom(const std::string& code) {
  return code == "plage" ? domain::AvailabilityKind::Range : domain::AvailabilityKind::Slot;
}

domain::ConsultationTypes typesFrom(int bits) {
  return domain::ConsultationTypes{static_cast<std::uint8_t>(bits)};
}

}  // namespace

std::vector<app::SearchRecord> SqlSearchSource::readRange(long long low, long long high,
                                                          domain::Day from) {
  Connection c(db_);
  auto& sql = c.sql();
  std::vector<app::SearchRecord> records;
  std::unordered_map<long long, std::size_t> byId;
  {
    app::SearchRecord r;
    long long id = 0, structureId = 0;
    int indefinite = 0, participates = 0, professionals = 0, contact = 0, honour = 0;
    soci::statement st =
        (sql.prepare << "SELECT p.id, p.structure_id, p.name, p.street, p.postal_code, p.town, "
                        "p.insee_code, p.latitude, p.longitude, p.time_zone, p.phone, "
                        "p.regulator_note, p.unavailable_indefinite, s.name, s.type, s.finess, "
                        "s.siret, s.phone, s.departement, s.participates, s.professionals, "
                        "s.accepts_contact, s.honour_declared, s.specialties FROM places p "
                        "JOIN structures s ON s.id = p.structure_id "
                        "WHERE p.id >= :low AND p.id <= :high ORDER BY p.id",
         soci::use(low), soci::use(high), soci::into(id), soci::into(structureId),
         soci::into(r.place.name), soci::into(r.place.street), soci::into(r.place.postalCode),
         soci::into(r.place.town), soci::into(r.place.inseeCode), soci::into(r.place.latitude),
         soci::into(r.place.longitude), soci::into(r.place.timeZone), soci::into(r.place.phone),
         soci::into(r.regulatorNote), soci::into(indefinite), soci::into(r.structure.name),
         soci::into(r.structure.type), soci::into(r.structure.finess),
         soci::into(r.structure.siret), soci::into(r.structure.phone),
         soci::into(r.structure.departement), soci::into(participates), soci::into(professionals),
         soci::into(contact), soci::into(honour), soci::into(r.specialties));
    st.execute();
    while (st.fetch()) {
      r.place.id = id;
      r.place.structureId = structureId;
      r.structure.id = structureId;
      r.structure.participation = {participates != 0, professionals, contact != 0, honour != 0};
      r.unavailability = {};
      r.unavailability.indefinite = indefinite != 0;
      byId[id] = records.size();
      records.push_back(r);
    }
  }
  if (records.empty()) return records;
  {
    long long place = 0;
    std::string first, last;
    soci::statement st =
        (sql.prepare << "SELECT place_id, first_date, last_date FROM unavailability_periods "
                        "WHERE place_id >= :low AND place_id <= :high ORDER BY place_id, position",
         soci::use(low), soci::use(high), soci::into(place), soci::into(first), soci::into(last));
    st.execute();
    while (st.fetch())
      if (auto it = byId.find(place); it != byId.end())
        records[it->second].unavailability.periods.push_back({day(first), day(last)});
  }
  const std::string fromText = domain::formatIsoDate(from);
  // Availabilities and their exceptions, fetched by batches of rows.
  std::unordered_map<long long, std::vector<domain::AvailabilityException>> exceptions;
  {
    std::vector<long long> ids(kBatch);
    std::vector<std::string> original(kBatch), date(kBatch), kind(kBatch);
    std::vector<int> deleted(kBatch), start(kBatch), end(kBatch), capacity(kBatch), types(kBatch);
    soci::statement st =
        (sql.prepare << "SELECT e.availability_id, e.original_date, e.deleted, e.date, "
                        "e.start_minute, e.end_minute, e.kind, e.capacity, e.types "
                        "FROM availability_exceptions e JOIN availabilities a "
                        "ON a.id = e.availability_id WHERE a.place_id >= :low AND "
                        "a.place_id <= :high AND (a.span_end IS NULL OR a.span_end >= :from) "
                        "ORDER BY e.availability_id, e.original_date",
         soci::use(low), soci::use(high), soci::use(fromText), soci::into(ids),
         soci::into(original), soci::into(deleted), soci::into(date), soci::into(start),
         soci::into(end), soci::into(kind), soci::into(capacity), soci::into(types));
    st.execute();
    while (st.fetch()) {
      for (std::size_t i = 0; i < ids.size(); ++i) {
        domain::AvailabilityException e;
        e.originalDate = day(original[i]);
        e.deleted = deleted[i] != 0;
        e.values = {day(date[i]),      start[i],    end[i],
                    kindFrom(kind[i]), capacity[i], typesFrom(types[i])};
        exceptions[ids[i]].push_back(e);
      }
      ids.resize(kBatch), original.resize(kBatch), date.resize(kBatch), kind.resize(kBatch);
      deleted.resize(kBatch), start.resize(kBatch), end.resize(kBatch), capacity.resize(kBatch),
          types.resize(kBatch);
    }
  }
  {
    std::vector<long long> ids(kBatch), places(kBatch);
    std::vector<std::string> first(kBatch), last(kBatch), kind(kBatch);
    std::vector<soci::indicator> lastInd(kBatch);
    std::vector<int> weekly(kBatch), start(kBatch), end(kBatch), capacity(kBatch), types(kBatch);
    soci::statement st =
        (sql.prepare << "SELECT id, place_id, weekly, first_date, last_date, start_minute, "
                        "end_minute, kind, capacity, types FROM availabilities "
                        "WHERE place_id >= :low AND place_id <= :high "
                        "AND (span_end IS NULL OR span_end >= :from) ORDER BY place_id, id",
         soci::use(low), soci::use(high), soci::use(fromText), soci::into(ids), soci::into(places),
         soci::into(weekly), soci::into(first), soci::into(last, lastInd), soci::into(start),
         soci::into(end), soci::into(kind), soci::into(capacity), soci::into(types));
    st.execute();
    while (st.fetch()) {
      for (std::size_t i = 0; i < ids.size(); ++i) {
        auto it = byId.find(places[i]);
        if (it == byId.end()) continue;
        domain::Availability a;
        a.id = ids[i];
        a.placeId = places[i];
        a.weekly = weekly[i] != 0;
        a.base = {day(first[i]),     start[i],    end[i],
                  kindFrom(kind[i]), capacity[i], typesFrom(types[i])};
        if (lastInd[i] == soci::i_ok) a.lastDate = day(last[i]);
        if (auto e = exceptions.find(a.id); e != exceptions.end())
          a.exceptions = std::move(e->second);
        records[it->second].availabilities.push_back(std::move(a));
      }
      ids.resize(kBatch), places.resize(kBatch), first.resize(kBatch), last.resize(kBatch),
          kind.resize(kBatch), lastInd.resize(kBatch), weekly.resize(kBatch), start.resize(kBatch),
          end.resize(kBatch), capacity.resize(kBatch), types.resize(kBatch);
    }
  }
  return records;
}

void SqlSearchSource::forEachPlace(domain::Day from,
                                   const std::function<void(app::SearchRecord&&)>& visit) {
  long long low = 0, high = 0;
  soci::indicator lowInd = soci::i_null, highInd = soci::i_null;
  {
    Connection c(db_);
    c.sql() << "SELECT MIN(id), MAX(id) FROM places", soci::into(low, lowInd),
        soci::into(high, highInd);
  }
  if (lowInd != soci::i_ok || highInd != soci::i_ok) return;
  for (long long start = low; start <= high; start += kChunk)
    for (auto& r : readRange(start, std::min(high, start + kChunk - 1), from)) visit(std::move(r));
}

std::optional<app::SearchRecord> SqlSearchSource::findPlace(std::int64_t placeId,
                                                            domain::Day from) {
  auto records = readRange(placeId, placeId, from);
  if (records.empty()) return std::nullopt;
  return std::move(records.front());
}

std::int64_t SqlSearchSource::lastChange() {
  Connection c(db_);
  long long last = 0;
  soci::indicator ind = soci::i_null;
  c.sql() << "SELECT MAX(id) FROM changes", soci::into(last, ind);
  return ind == soci::i_ok ? last : 0;
}

std::vector<app::ChangeRow> SqlSearchSource::changesSince(std::int64_t after) {
  Connection c(db_);
  long long from = after, id = 0, place = 0;
  std::vector<app::ChangeRow> out;
  soci::statement st = (c.sql().prepare << "SELECT id, place_id FROM changes WHERE id > :after "
                                           "ORDER BY id",
                        soci::use(from), soci::into(id), soci::into(place));
  st.execute();
  while (st.fetch()) out.push_back({id, place});
  return out;
}

void SqlSearchSource::pruneChanges(domain::Instant before) {
  Connection c(db_);
  long long at = seconds(before);
  c.sql() << "DELETE FROM changes WHERE at < :at AND id < (SELECT MAX(id) FROM changes)",
      soci::use(at);
}

app::PendingChanges SqlSearchSource::changesAfter(std::int64_t after) {
  Connection c(db_);
  long long from = after, count = 0, oldest = 0;
  soci::indicator oldestInd = soci::i_null;
  c.sql() << "SELECT COUNT(*), MIN(at) FROM changes WHERE id > :after", soci::use(from),
      soci::into(count), soci::into(oldest, oldestInd);
  app::PendingChanges out;
  out.count = count;
  if (oldestInd == soci::i_ok) out.oldest = instant(oldest);
  return out;
}

void SqlSearchSource::setSpecialties(std::int64_t structureId, const std::string& specialties,
                                     domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_.dialect());
  long long id = structureId, at = seconds(now);
  sql << "UPDATE structures SET specialties = :s WHERE id = :id", soci::use(specialties),
      soci::use(id);
  // Its places change for the search of every process.
  long long place = 0;
  std::vector<long long> places;
  soci::statement st = (sql.prepare << "SELECT id FROM places WHERE structure_id = :id",
                        soci::use(id), soci::into(place));
  st.execute();
  while (st.fetch()) places.push_back(place);
  for (auto p : places)
    sql << "INSERT INTO changes (at, place_id) VALUES (:at, :place)", soci::use(at), soci::use(p);
  tx.commit();
}

bool SqlSearchSource::createToken(const std::string& name, const std::string& digest,
                                  domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_.dialect());
  int taken = 0;
  sql << "SELECT COUNT(*) FROM api_tokens WHERE name = :name", soci::use(name), soci::into(taken);
  if (taken > 0) return false;
  long long at = seconds(now);
  sql << "INSERT INTO api_tokens (name, digest, created_at) VALUES (:name, :digest, :at)",
      soci::use(name), soci::use(digest), soci::use(at);
  writeAudit(sql, {std::nullopt, "api_token.create", "api_token:" + name, "", ""}, now);
  tx.commit();
  return true;
}

bool SqlSearchSource::revokeToken(const std::string& name, domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_.dialect());
  int active = 0;
  sql << "SELECT COUNT(*) FROM api_tokens WHERE name = :name AND revoked_at IS NULL",
      soci::use(name), soci::into(active);
  if (active == 0) return false;
  long long at = seconds(now);
  sql << "UPDATE api_tokens SET revoked_at = :at WHERE name = :name", soci::use(at),
      soci::use(name);
  writeAudit(sql, {std::nullopt, "api_token.revoke", "api_token:" + name, "", ""}, now);
  tx.commit();
  return true;
}

namespace {

/// Every call of the JSON API checks its token: prepared once per connection, since parsing
/// the statement cost more than running it.
struct ActiveTokenQuery final : PreparedQuery {
  std::string digest, name;
  long long id = 0, created = 0;
  soci::statement statement;
  explicit ActiveTokenQuery(soci::session& sql)
      : statement((sql.prepare << "SELECT id, name, created_at FROM api_tokens "
                                  "WHERE digest = :d AND revoked_at IS NULL",
                   soci::use(digest), soci::into(id), soci::into(name), soci::into(created))) {}
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
  return t;
}

std::vector<app::ApiToken> SqlSearchSource::tokens() {
  Connection c(db_);
  std::vector<app::ApiToken> out;
  app::ApiToken t;
  long long id = 0, created = 0, revoked = 0;
  soci::indicator revokedInd = soci::i_null;
  soci::statement st =
      (c.sql().prepare << "SELECT id, name, created_at, revoked_at FROM api_tokens ORDER BY id",
       soci::into(id), soci::into(t.name), soci::into(created), soci::into(revoked, revokedInd));
  st.execute();
  while (st.fetch()) {
    t.id = id;
    t.createdAt = instant(created);
    t.revoked = revokedInd == soci::i_ok;
    out.push_back(t);
  }
  return out;
}

}  // namespace sas::storage
