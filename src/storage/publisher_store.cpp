#include "storage/publisher_store.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "domain/fhir_identifiers.hpp"
#include "storage/rows.hpp"

namespace sas::storage {
namespace {

const char* const kPublisherColumns =
    "SELECT p.id, p.name, p.base_url, p.certificate_file, p.key_file, p.ca_file, "
    "p.period_minutes, p.enabled, p.next_pull_at, p.last_pull_at, p.last_success_at, "
    "p.last_duration_ms, p.last_professionals, p.last_received, p.last_matched, "
    "p.last_unmatched, p.last_errors, p.breaker_failures, p.breaker_open_until, "
    "(SELECT COUNT(*) FROM pulled_slots ps WHERE ps.publisher_id = p.id), "
    "(SELECT COUNT(*) FROM structures s WHERE s.publisher_id = p.id) FROM publishers p "
    "WHERE :all = 1 OR p.id = :id ORDER BY p.name";
const char* const kNameTaken = "SELECT COUNT(*) FROM publishers WHERE name = :n AND id <> :id";
const char* const kInsertPublisher =
    "INSERT INTO publishers (name, base_url, certificate_file, key_file, ca_file, "
    "period_minutes, enabled, created_at) VALUES (:n, :u, :c, :k, :a, :m, :e, :at)";
const char* const kLastPublisher = "SELECT MAX(id) FROM publishers";
const char* const kUpdatePublisher =
    "UPDATE publishers SET name = :n, base_url = :u, certificate_file = :c, key_file = :k, "
    "ca_file = :a, period_minutes = :m, enabled = :e WHERE id = :id";
const char* const kClaimPull =
    "UPDATE publishers SET claimed_until = :until WHERE id = :id AND enabled = 1 "
    "AND next_pull_at <= :now AND claimed_until <= :now2";
// Who a publisher publishes for: the directory's professionals of the structures that chose it
// and the Pro Santé Connect accounts that work there; then every place each of them practises
// at, with the publisher its structure chose, so that a slot at one of his other places is told
// apart (and not published there) rather than taken for one of the chosen ones.
const char* const kRoster =
    "WITH chosen AS ("
    "SELECT dp.national_id FROM structures s JOIN directory_places dp ON dp.structure_id = s.id "
    "WHERE s.publisher_id = :pub "
    "UNION SELECT i.national_id FROM structures s "
    "JOIN user_structures us ON us.structure_id = s.id "
    "JOIN users u ON u.id = us.user_id AND u.disabled = 0 "
    "JOIN psc_identities i ON i.user_id = u.id "
    "WHERE s.publisher_id = :pub2 AND i.national_id <> '') "
    "SELECT c.national_id, p.id, p.latitude, p.longitude, s.finess, s.siret, "
    "COALESCE(s.publisher_id, 0) FROM chosen c "
    "JOIN directory_places dp ON dp.national_id = c.national_id "
    "JOIN structures s ON s.id = dp.structure_id JOIN places p ON p.structure_id = s.id "
    "UNION SELECT c.national_id, p.id, p.latitude, p.longitude, s.finess, s.siret, "
    "COALESCE(s.publisher_id, 0) FROM chosen c "
    "JOIN psc_identities i ON i.national_id = c.national_id "
    "JOIN users u ON u.id = i.user_id AND u.disabled = 0 "
    "JOIN user_structures us ON us.user_id = u.id "
    "JOIN structures s ON s.id = us.structure_id JOIN places p ON p.structure_id = s.id "
    "ORDER BY 1, 2";
const char* const kSlotsOfPublisher =
    "SELECT place_id, start_at, end_at, types, booking_url FROM pulled_slots "
    "WHERE publisher_id = :p";
const char* const kDeletePlaceSlots =
    "DELETE FROM pulled_slots WHERE publisher_id = :p AND place_id = :place";
const char* const kInsertSlot =
    "INSERT INTO pulled_slots (publisher_id, place_id, start_at, end_at, types, booking_url) "
    "VALUES (:p, :place, :s, :e, :t, :u)";
const char* const kPlacesOfPublisher =
    "SELECT DISTINCT place_id FROM pulled_slots WHERE publisher_id = :p";
const char* const kDeletePublisherSlots = "DELETE FROM pulled_slots WHERE publisher_id = :p";
const char* const kSaveHealth =
    "UPDATE publishers SET claimed_until = 0, next_pull_at = :next, last_pull_at = :pull, "
    "last_success_at = :success, last_duration_ms = :ms, last_professionals = :pros, "
    "last_received = :rec, last_matched = :mat, last_unmatched = :unm, last_errors = :err, "
    "breaker_failures = :fail, breaker_open_until = :open WHERE id = :id";
const char* const kSlotsOfPlace =
    "SELECT ps.start_at, ps.end_at, ps.types, ps.booking_url FROM pulled_slots ps "
    "JOIN publishers pb ON pb.id = ps.publisher_id AND pb.enabled = 1 "
    "WHERE ps.place_id = :place AND ps.start_at >= :from AND ps.start_at < :to "
    "ORDER BY ps.start_at, ps.end_at";
const char* const kPullSoon = "UPDATE publishers SET next_pull_at = 0 WHERE id = :id";
const char* const kStructurePublisher = "SELECT publisher_id FROM structures WHERE id = :s";
const char* const kSetStructurePublisher =
    "UPDATE structures SET publisher_id = :p, updated_at = :at WHERE id = :s";

using SlotKey = std::tuple<long long, long long, int, std::string>;  // start, end, types, url

void saveHealth(soci::session& sql, long long id, const app::PublisherHealth& h) {
  long long next = seconds(h.nextPullAt), ms = h.lastDuration.count();
  long long pull = h.lastPullAt ? seconds(*h.lastPullAt) : 0;
  long long success = h.lastSuccessAt ? seconds(*h.lastSuccessAt) : 0;
  soci::indicator pullSet = h.lastPullAt ? soci::i_ok : soci::i_null;
  soci::indicator successSet = h.lastSuccessAt ? soci::i_ok : soci::i_null;
  long long pros = h.professionals, rec = h.received, mat = h.matched, unm = h.unmatched;
  long long fail = h.breakerFailures, open = seconds(h.breakerOpenUntil);
  std::string errors = h.errors;
  sql << kSaveHealth, soci::use(next, "next"), soci::use(pull, pullSet, "pull"),
      soci::use(success, successSet, "success"), soci::use(ms, "ms"), soci::use(pros, "pros"),
      soci::use(rec, "rec"), soci::use(mat, "mat"), soci::use(unm, "unm"), soci::use(errors, "err"),
      soci::use(fail, "fail"), soci::use(open, "open"), soci::use(id, "id");
}

}  // namespace

std::vector<app::PublisherRow> SqlPublisherStore::query(std::optional<std::int64_t> one) {
  Connection c(db_);
  app::PublisherRow r;
  long long pid = 0, period = 0, enabled = 0, next = 0, pull = 0, success = 0, ms = 0, pros = 0,
            rec = 0, mat = 0, unm = 0, fail = 0, open = 0, slots = 0, structures = 0;
  soci::indicator pullSet = soci::i_null, successSet = soci::i_null;
  std::string errors;
  auto& p = r.publisher;
  long long all = one ? 0 : 1, id = one.value_or(0);
  soci::statement st =
      (c.sql().prepare << kPublisherColumns, soci::use(all, "all"), soci::use(id, "id"),
       soci::into(pid), soci::into(p.name), soci::into(p.baseUrl), soci::into(p.certificateFile),
       soci::into(p.keyFile), soci::into(p.caFile), soci::into(period), soci::into(enabled),
       soci::into(next), soci::into(pull, pullSet), soci::into(success, successSet), soci::into(ms),
       soci::into(pros), soci::into(rec), soci::into(mat), soci::into(unm), soci::into(errors),
       soci::into(fail), soci::into(open), soci::into(slots), soci::into(structures));
  st.execute();
  std::vector<app::PublisherRow> out;
  while (st.fetch()) {
    auto row = r;
    row.publisher.id = pid;
    row.publisher.periodMinutes = static_cast<int>(period);
    row.publisher.enabled = enabled != 0;
    auto& h = row.health;
    h.nextPullAt = instant(next);
    if (pullSet == soci::i_ok) h.lastPullAt = instant(pull);
    if (successSet == soci::i_ok) h.lastSuccessAt = instant(success);
    h.lastDuration = std::chrono::milliseconds{ms};
    h.professionals = static_cast<int>(pros);
    h.received = static_cast<int>(rec);
    h.matched = static_cast<int>(mat);
    h.unmatched = static_cast<int>(unm);
    h.errors = errors;
    h.breakerFailures = static_cast<int>(fail);
    h.breakerOpenUntil = instant(open);
    row.slots = static_cast<std::size_t>(slots);
    row.structures = static_cast<std::size_t>(structures);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<app::PublisherRow> SqlPublisherStore::publishers() {
  return query(std::nullopt);
}

std::optional<app::PublisherRow> SqlPublisherStore::findPublisher(std::int64_t id) {
  auto rows = query(id);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::optional<std::int64_t> SqlPublisherStore::createPublisher(const app::Publisher& p,
                                                               domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long taken = 0, none = 0;
  sql << kNameTaken, soci::use(p.name, "n"), soci::use(none, "id"), soci::into(taken);
  if (taken > 0) return std::nullopt;
  long long period = p.periodMinutes, enabled = p.enabled ? 1 : 0, at = seconds(now);
  sql << kInsertPublisher, soci::use(p.name, "n"), soci::use(p.baseUrl, "u"),
      soci::use(p.certificateFile, "c"), soci::use(p.keyFile, "k"), soci::use(p.caFile, "a"),
      soci::use(period, "m"), soci::use(enabled, "e"), soci::use(at, "at");
  long long id = 0;
  sql << kLastPublisher, soci::into(id);
  tx.commit();
  return id;
}

bool SqlPublisherStore::updatePublisher(const app::Publisher& p) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long taken = 0, id = p.id;
  sql << kNameTaken, soci::use(p.name, "n"), soci::use(id, "id"), soci::into(taken);
  if (taken > 0) return false;
  long long period = p.periodMinutes, enabled = p.enabled ? 1 : 0;
  sql << kUpdatePublisher, soci::use(p.name, "n"), soci::use(p.baseUrl, "u"),
      soci::use(p.certificateFile, "c"), soci::use(p.keyFile, "k"), soci::use(p.caFile, "a"),
      soci::use(period, "m"), soci::use(enabled, "e"), soci::use(id, "id");
  tx.commit();
  return true;
}

bool SqlPublisherStore::claimPull(std::int64_t publisherId, domain::Instant now,
                                  domain::Instant until) {
  Connection c(db_);
  long long id = publisherId, at = seconds(now), at2 = at, end = seconds(until);
  soci::statement st = (c.sql().prepare << kClaimPull, soci::use(end, "until"), soci::use(id, "id"),
                        soci::use(at, "now"), soci::use(at2, "now2"));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void SqlPublisherStore::pullSoon(std::int64_t publisherId) {
  Connection c(db_);
  long long id = publisherId;
  c.sql() << kPullSoon, soci::use(id);
}

std::vector<app::RosterEntry> SqlPublisherStore::roster(std::int64_t publisherId) {
  Connection c(db_);
  long long pub = publisherId, pub2 = publisherId, place = 0, chosenBy = 0;
  std::string nationalId, finess, siret;
  double latitude = 0, longitude = 0;
  soci::statement st =
      (c.sql().prepare << kRoster, soci::use(pub, "pub"), soci::use(pub2, "pub2"),
       soci::into(nationalId), soci::into(place), soci::into(latitude), soci::into(longitude),
       soci::into(finess), soci::into(siret), soci::into(chosenBy));
  st.execute();
  std::vector<app::RosterEntry> out;
  while (st.fetch()) {
    if (out.empty() || out.back().nationalId != nationalId) out.push_back({nationalId, {}, {}});
    // The same place twice (directory and account): once.
    if (!out.back().places.empty() && out.back().places.back().id == place) continue;
    domain::CandidatePlace candidate{
        place, {latitude, longitude}, {domain::placeIdentifier(place)}};
    if (auto f = domain::fhir::structureIdentifier("1" + finess); f && !finess.empty())
      candidate.identifiers.push_back(*f);
    if (auto s = domain::fhir::structureIdentifier("3" + siret); s && !siret.empty())
      candidate.identifiers.push_back(*s);
    out.back().places.push_back(std::move(candidate));
    if (chosenBy == publisherId) out.back().publishedPlaces.push_back(place);
  }
  return out;
}

std::vector<std::int64_t> SqlPublisherStore::replacePulledSlots(
    std::int64_t publisherId, const std::vector<app::StoredPulledSlot>& slots,
    const app::PublisherHealth& health, domain::Instant now) {
  std::map<long long, std::vector<SlotKey>> wanted;
  for (const auto& s : slots)
    wanted[s.placeId].emplace_back(seconds(s.start), seconds(s.end), s.types.bits, s.bookingUrl);
  for (auto& [place, keys] : wanted) std::sort(keys.begin(), keys.end());

  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long pub = publisherId;
  std::map<long long, std::vector<SlotKey>> held;
  {
    long long place = 0, start = 0, end = 0;
    int types = 0;
    std::string url;
    soci::statement st = (sql.prepare << kSlotsOfPublisher, soci::use(pub), soci::into(place),
                          soci::into(start), soci::into(end), soci::into(types), soci::into(url));
    st.execute();
    while (st.fetch()) held[place].emplace_back(start, end, types, url);
  }
  for (auto& [place, keys] : held) std::sort(keys.begin(), keys.end());

  // Only the places whose slots changed are written and told to the indexes: a pull that
  // brings what the last one brought costs a read.
  std::set<long long> changed;
  for (const auto& [place, keys] : held) {
    auto it = wanted.find(place);
    if (it == wanted.end() || it->second != keys) changed.insert(place);
  }
  for (const auto& [place, keys] : wanted)
    if (!held.contains(place)) changed.insert(place);

  std::vector<long long> pubs, places, starts, ends;
  std::vector<int> types;
  std::vector<std::string> urls;
  for (auto place : changed) {
    long long p = place;
    sql << kDeletePlaceSlots, soci::use(pub, "p"), soci::use(p, "place");
    auto it = wanted.find(place);
    if (it != wanted.end())
      for (const auto& [start, end, t, url] : it->second) {
        pubs.push_back(pub);
        places.push_back(place);
        starts.push_back(start);
        ends.push_back(end);
        types.push_back(t);
        urls.push_back(url);
      }
    recordChange(c, place, now);
  }
  if (!pubs.empty())
    sql << kInsertSlot, soci::use(pubs, "p"), soci::use(places, "place"), soci::use(starts, "s"),
        soci::use(ends, "e"), soci::use(types, "t"), soci::use(urls, "u");
  saveHealth(sql, pub, health);
  tx.commit();
  return {changed.begin(), changed.end()};
}

void SqlPublisherStore::savePullFailure(std::int64_t publisherId,
                                        const app::PublisherHealth& health) {
  Connection c(db_);
  saveHealth(c.sql(), publisherId, health);
}

std::vector<std::int64_t> SqlPublisherStore::dropPulledSlots(std::int64_t publisherId,
                                                             domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long pub = publisherId;
  std::vector<long long> places;
  {
    long long place = 0;
    soci::statement st = (sql.prepare << kPlacesOfPublisher, soci::use(pub), soci::into(place));
    st.execute();
    while (st.fetch()) places.push_back(place);
  }
  sql << kDeletePublisherSlots, soci::use(pub);
  for (auto place : places) recordChange(c, place, now);
  tx.commit();
  return {places.begin(), places.end()};
}

std::vector<app::StoredPulledSlot> SqlPublisherStore::pulledSlotsOfPlace(std::int64_t placeId,
                                                                         domain::Instant from,
                                                                         domain::Instant to) {
  Connection c(db_);
  long long place = placeId, first = seconds(from), last = seconds(to), start = 0, end = 0;
  int types = 0;
  std::string url;
  soci::statement st = (c.sql().prepare << kSlotsOfPlace, soci::use(place, "place"),
                        soci::use(first, "from"), soci::use(last, "to"), soci::into(start),
                        soci::into(end), soci::into(types), soci::into(url));
  st.execute();
  std::vector<app::StoredPulledSlot> out;
  while (st.fetch()) out.push_back({placeId, instant(start), instant(end), typesFrom(types), url});
  return out;
}

std::optional<std::int64_t> SqlPublisherStore::structurePublisher(std::int64_t structureId) {
  Connection c(db_);
  long long id = structureId, publisher = 0;
  soci::indicator set = soci::i_null;
  c.sql() << kStructurePublisher, soci::use(id), soci::into(publisher, set);
  if (!c.sql().got_data() || set != soci::i_ok) return std::nullopt;
  return publisher;
}

void SqlPublisherStore::setStructurePublisher(std::int64_t structureId,
                                              std::optional<std::int64_t> publisherId,
                                              domain::Instant now) {
  Connection c(db_);
  auto& sql = c.sql();
  Transaction tx(sql, db_);
  long long id = structureId, publisher = publisherId.value_or(0), at = seconds(now);
  soci::indicator set = publisherId ? soci::i_ok : soci::i_null;
  sql << kSetStructurePublisher, soci::use(publisher, set, "p"), soci::use(at, "at"),
      soci::use(id, "s");
  tx.commit();
}

}  // namespace sas::storage
