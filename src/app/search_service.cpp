#include "app/search_service.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <utility>

#include "app/errors.hpp"
#include "app/free_memory.hpp"
#include "domain/id_table.hpp"
#include "domain/search_text.hpp"
#include "domain/search_who.hpp"
#include "domain/text.hpp"

namespace sas::app {

namespace fields = search_fields;
using domain::Checked;
using domain::FieldError;

namespace {

constexpr std::size_t kMaxWhatLength = 200;
constexpr std::size_t kMaxPage = 1'000'000;
constexpr int kMaxRadiusKm = static_cast<int>(domain::kMaxSearchRadiusMetres / 1000);
// A change id missing below a higher one is a transaction still committing; after this long it
// is taken for rolled back (a user action's transaction lasts milliseconds).
constexpr std::chrono::seconds kGapPatience{10};
// Ids re-read below the last one at a rebuild, for the transactions still committing then.
constexpr std::int64_t kRebuildOverlap = 1000;
// Beyond this many ids between two polls (a bulk import), gaps are not tracked one by one.
constexpr std::int64_t kMaxTrackedSpan = 100'000;

// Digits only, no sign, fits the type.
template <class T>
bool parseWhole(const std::string& text, T& out) {
  const auto t = domain::trim(text);
  if (t.empty() || !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  const auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), out);
  return error == std::errc{} && end == t.data() + t.size();
}

std::uint64_t newSeed() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  // Kept below 2^53 so that a JavaScript client reads it back unchanged.
  return rng() >> 11;
}

domain::Day utcDay(domain::Instant t) {
  return date::floor<date::days>(t);
}

}  // namespace

struct SearchService::State {
  State(domain::Instant start, domain::Instant end, std::chrono::seconds plageCloses)
      : index(start, end, plageCloses) {}
  domain::SearchIndex index;
  mutable std::shared_mutex cardsMutex;
  // Shared, not copied, with each result: a page of 20 copied 9 % of the JSON search's CPU.
  domain::IdTable<PlaceCard::Ptr> cards;
  CardProfiles profiles;
  std::unordered_map<std::string, std::set<std::int64_t>> byKey;  // keysOf → places

  // The earliest local date put() reads, whatever the zone: the day before the horizon's
  // (a plage of the evening before may still be offered).
  domain::Day firstDay() const { return utcDay(index.horizonStart()) - date::days{2}; }

  void put(SearchRecord&& r) {
    const auto* zone = domain::findZone(r.place.timeZone);
    if (!zone) return;  // cannot be searched without its days; the agenda says so too
    domain::SearchPlace p;
    p.id = r.place.id;
    p.position = {r.place.latitude, r.place.longitude};
    p.zone = zone;
    p.participates = r.structure.participation.participates;
    p.acceptsContact = r.structure.participation.acceptsContact;
    p.unavailability = std::move(r.unavailability);
    // From the day before the horizon's: a plage of the evening before may still be offered.
    const auto first = domain::localDay(*zone, index.horizonStart()) - date::days{1};
    const auto last = domain::localDay(*zone, index.horizonEnd());
    // A series has about one occurrence in the horizon: room for that, grown if need be.
    p.occurrences.reserve(r.availabilities.size() + r.pulled.size());
    for (const auto& a : r.availabilities)
      domain::appendOccurrencesBetween(a, *zone, first, last, p.occurrences);
    domain::applyTakings(p.occurrences, r.takings);
    for (const auto& pulled : r.pulled) {
      domain::Occurrence o;
      o.start = pulled.start;
      o.end = pulled.end;
      o.values.date = domain::localDay(*zone, pulled.start);
      o.values.types = pulled.types;
      o.publisher = pulled.publisherId;
      p.occurrences.push_back(o);
    }
    auto card = PlaceCard::make(
        PlaceDetails{std::move(r.place), std::move(r.structure), std::move(r.specialties),
                     std::move(r.regulatorNote), std::move(r.professionals), std::move(r.pulled)},
        &profiles);
    p.text = domain::placeSearchText(card->ownWords(), card->specialties(), card->professionals());
    index.put(p);
    std::unique_lock lock(cardsMutex);
    forgetKeys(p.id);
    for (const auto& key : keysOf(*card)) byKey[key].insert(p.id);
    cards.set(p.id, std::move(card));
  }

  void remove(std::int64_t placeId) {
    index.remove(placeId);
    std::unique_lock lock(cardsMutex);
    forgetKeys(placeId);
    cards.erase(placeId);
  }

  // What other systems ask a place by: its professionals' national ids ("p" + id) and its
  // structure's FINESS ("s1" + FINESS) and SIRET ("s3" + SIRET).
  static std::vector<std::string> keysOf(const PlaceCard& card) {
    std::vector<std::string> keys;
    for (const auto& pro : card.professionals())
      if (!pro.nationalId.empty()) keys.push_back("p" + pro.nationalId);
    if (!card.finess().empty()) keys.push_back("s1" + std::string(card.finess()));
    if (!card.siret().empty()) keys.push_back("s3" + std::string(card.siret()));
    return keys;
  }

  void forgetKeys(std::int64_t placeId) {  // with cardsMutex held
    const auto* card = cards.find(placeId);
    if (!card) return;
    for (const auto& key : keysOf(**card))
      if (auto k = byKey.find(key);
          k != byKey.end() && k->second.erase(placeId) && k->second.empty())
        byKey.erase(k);
  }

  std::set<std::int64_t> placesOf(const std::vector<std::string>& keys) const {
    std::set<std::int64_t> out;
    std::shared_lock lock(cardsMutex);
    for (const auto& key : keys)
      if (auto k = byKey.find(key); k != byKey.end())
        out.insert(k->second.begin(), k->second.end());
    return out;
  }

  PlaceCard::Ptr card(std::int64_t placeId) const {
    std::shared_lock lock(cardsMutex);
    const auto* card = cards.find(placeId);
    return card ? *card : nullptr;
  }

  /// The cards of a page's hits (null where a place has just left), under one hold of the lock
  /// rather than one per hit: every request's workers take it, and its counter's cache line
  /// went from core to core twice per result.
  std::vector<PlaceCard::Ptr> cardsOf(const std::vector<domain::SearchHit>& hits) const {
    std::vector<PlaceCard::Ptr> out;
    out.reserve(hits.size());
    std::shared_lock lock(cardsMutex);
    for (const auto& hit : hits) {
      const auto* card = cards.find(hit.placeId);
      out.push_back(card ? *card : nullptr);
    }
    return out;
  }
};

SearchService::SearchService(SearchSource& source, Geocoder& geocoder, const SearchAreas& areas,
                             const Clock& clock, SearchSettings settings)
    : source_(source),
      geocoder_(geocoder),
      areas_(areas),
      clock_(clock),
      settings_(std::move(settings)) {}

void SearchService::rebuild() {
  std::lock_guard poll(pollMutex_);
  const auto began = std::chrono::steady_clock::now();
  const auto now = clock_.now();
  auto next = std::make_shared<State>(now, now + date::days{settings_.horizonDays},
                                      settings_.plageClosesBeforeEnd);
  // Changes committed while the index is read are applied again afterwards; so are those whose
  // id was given before `last` and whose transaction had not committed yet (gaps).
  const auto last = source_.lastChange();
  const auto from = std::max<std::int64_t>(0, last - kRebuildOverlap);
  auto recent = source_.changesSince(from);
  std::erase_if(recent, [&](const ChangeRow& r) { return r.id > last; });
  source_.forEachPlace(
      next->firstDay(), [&](SearchRecord&& r) { next->put(std::move(r)); }, settings_.buildReaders);
  next->index.prepare();
  next->index.shrinkToFit();
  next->cards.shrinkToFit();
  std::shared_ptr<State> previous;
  {
    std::lock_guard lock(stateMutex_);
    previous = std::exchange(state_, std::move(next));
  }
  previous.reset();  // out of the lock: freeing an index of a million places takes a while
  // The allocator keeps what a build and the index it replaced freed for later use: the process
  // stayed at twice its index's size after each rebuild (docs/benchmarks.md); given back here.
  releaseFreeMemory();
  lastChange_ = from;
  highApplied_ = from;
  appliedAbove_.clear();
  gaps_.clear();
  takeChanges(recent);
  lastPoll_ = now;
  rebuildWanted_ = false;
  lastBuildMs_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - began)
                     .count();
  ++builds_;
}

std::shared_ptr<SearchService::State> SearchService::state() const {
  std::lock_guard lock(stateMutex_);
  return state_;
}

std::shared_ptr<SearchService::State> SearchService::fresh(domain::Instant now) {
  auto s = state();
  if (s && s->index.covers(now)) return s;
  if (s && settings_.rebuildInBackground) {
    // The job builds the next index; until then the one in use answers (its occurrences stop
    // at its horizon).
    rebuildWanted_ = true;
    return s;
  }
  std::lock_guard lock(rebuildMutex_);
  s = state();
  if (!s || !s->index.covers(now)) {
    rebuild();
    s = state();
  }
  return s;
}

void SearchService::refresh(State& s, std::int64_t placeId) {
  auto record = source_.findPlace(placeId, s.firstDay());
  if (record)
    s.put(std::move(*record));
  else
    s.remove(placeId);
  s.index.prepare();
}

void SearchService::placeChanged(std::int64_t placeId) {
  if (auto s = state()) refresh(*s, placeId);
}

void SearchService::placeChanged(std::int64_t placeId, std::int64_t changeId) {
  auto s = state();
  if (!s) return;
  refresh(*s, placeId);
  applied(s, {changeId, placeId});
}

void SearchService::occurrenceTaken(std::int64_t placeId, std::int64_t changeId,
                                    const domain::Occurrence& occurrence) {
  auto s = state();
  if (!s) return;
  // The orientation told what changed: no read of the place (it was a third of an
  // orientation's cost), unless the index cannot tell the occurrence apart.
  if (!s->index.setTaken(placeId, occurrence)) refresh(*s, placeId);
  applied(s, {changeId, placeId});
}

void SearchService::applied(const std::shared_ptr<State>& s, const ChangeRow& change) {
  // Applied after the change committed: the job need not read the place again for it (half the
  // cost of an orientation did go to reading its place twice). Not when a rebuild replaced the
  // index meanwhile, since the new one may have read the place before the change; and left to
  // the job when it is polling (it then reads the row itself).
  std::unique_lock lock(pollMutex_, std::try_to_lock);
  if (lock && state() == s) takeChanges({change});
}

void SearchService::catchUp() {
  std::unique_lock lock(pollMutex_, std::try_to_lock);
  if (!lock) return;  // another thread is at it
  const auto now = clock_.now();
  if (now >= lastPoll_ && now - lastPoll_ < settings_.pollEvery) return;
  applyChanges(now);
}

void SearchService::applyChanges(domain::Instant now) {
  lastPoll_ = now;
  const auto rows = source_.changesSince(lastChange_);
  // Refreshed before lastChange_ moves: status() never counts as applied what is not.
  std::vector<std::int64_t> fresh;
  for (const auto& r : rows)
    if (!appliedAbove_.contains(r.id) &&
        std::find(fresh.begin(), fresh.end(), r.placeId) == fresh.end())
      fresh.push_back(r.placeId);
  if (auto s = state())
    // Each place's cells counted at once (prepare() costs the cells changed): a publisher's pull
    // changes tens of thousands of places, whose cells, left stale until the end of the batch,
    // made every search that crossed them read their places one by one.
    for (auto id : fresh) refresh(*s, id);
  takeChanges(rows);
}

void SearchService::takeChanges(const std::vector<ChangeRow>& rows) {
  const auto seen = std::chrono::steady_clock::now();
  std::int64_t floor = lastChange_;
  std::int64_t high = std::max<std::int64_t>(floor, highApplied_);
  for (const auto& r : rows) {
    if (r.id <= floor || !appliedAbove_.insert(r.id).second) continue;
    gaps_.erase(r.id);
    if (r.id > high) {
      // The ids skipped on the way up: transactions still committing, or rolled back. (Not one
      // by one past a bulk import's span: those are let go.)
      if (r.id - high <= kMaxTrackedSpan)
        for (auto id = high + 1; id < r.id; ++id) gaps_.emplace(id, seen);
      high = r.id;
    }
  }
  std::erase_if(gaps_, [&](const auto& g) { return seen - g.second > kGapPatience; });
  for (;;) {
    const auto next = floor + 1;
    if (appliedAbove_.erase(next) == 1 || (next <= high && !gaps_.contains(next)))
      floor = next;
    else
      break;
  }
  lastChange_ = floor;
  highApplied_ = high;
}

void SearchService::maintain() {
  const auto now = clock_.now();
  {
    std::unique_lock lock(pollMutex_, std::try_to_lock);
    if (lock) {
      applyChanges(now);  // else a search is at it
      if (now >= nextPrune_) {
        source_.pruneChanges(now - settings_.keepChanges);
        nextPrune_ = now + std::chrono::hours{24};
      }
    }
  }
  // Rebuilt `rebuildAhead` before a search would need what lies past the horizon (the build
  // takes seconds at a national scale; searches go on meanwhile with the index in use). A
  // horizon too short for that margin is rebuilt when it no longer covers a search now.
  const auto longestWindow = date::days{4};  // 73 h, rounded up
  const auto ahead = date::days{settings_.horizonDays} > longestWindow + settings_.rebuildAhead
                         ? settings_.rebuildAhead
                         : std::chrono::hours{0};
  const auto due = [&](const std::shared_ptr<State>& s) {
    return !s || rebuildWanted_ || !s->index.covers(now) || !s->index.covers(now + ahead) ||
           (settings_.publishedDays > 0 &&
            s->index.horizonEnd() < now + date::days{settings_.publishedDays});
  };
  if (!due(state())) return;
  std::lock_guard lock(rebuildMutex_);
  if (due(state())) rebuild();
}

SearchIndexStatus SearchService::status() {
  SearchIndexStatus out;
  const auto now = clock_.now();
  if (auto s = state()) {
    out.built = true;
    out.places = s->index.placeCount();
    out.occurrences = s->index.slotCount();
    out.horizonStart = s->index.horizonStart();
    out.horizonEnd = s->index.horizonEnd();
    out.coversNow = s->index.covers(now);
  }
  // Pending: what was committed above the highest change applied (a late commit below it, in a
  // gap, is applied at the next poll).
  out.appliedChange = highApplied_;
  const auto pending = source_.changesAfter(out.appliedChange);
  out.pendingChanges = pending.count;
  if (pending.oldest && *pending.oldest < now) out.lag = now - *pending.oldest;
  out.lastBuild = std::chrono::milliseconds{lastBuildMs_.load()};
  out.builds = builds_;
  out.rebuildWaiting = rebuildWanted_;
  return out;
}

std::size_t SearchService::placeCount() const {
  auto s = state();
  return s ? s->index.placeCount() : 0;
}

std::size_t SearchService::slotCount() const {
  auto s = state();
  return s ? s->index.slotCount() : 0;
}

void SearchService::requireRegulator(const Actor& actor) {
  if (!regulates(actor.user.role)) throw AppError(ErrorCode::Forbidden, "search is for regulators");
}

SearchOutcome SearchService::search(const Actor& actor, const SearchForm& form) {
  requireRegulator(actor);
  SearchOutcome out;
  out.now = clock_.now();
  std::vector<FieldError> errors;

  const std::string what = domain::trimmed(form.what);
  if (domain::foldText(what).size() > kMaxWhatLength)
    errors.push_back({fields::kWhat, "Saisissez au plus " + std::to_string(kMaxWhatLength) +
                                         " caractères pour la spécialité ou la structure."});
  domain::SearchQuery q;
  q.now = out.now;
  q.words = domain::searchWords(what);
  if (form.office) q.types.add(domain::ConsultationType::Office);
  if (form.teleconsultation) q.types.add(domain::ConsultationType::Teleconsultation);
  if (form.homeVisit) q.types.add(domain::ConsultationType::HomeVisit);
  for (const auto& w : form.within) {
    auto it =
        std::find_if(domain::kAvailableWithin.begin(), domain::kAvailableWithin.end(),
                     [&](const domain::HourRange& r) {
                       return w == std::to_string(r.fromHours) + "-" + std::to_string(r.toHours);
                     });
    if (it == domain::kAvailableWithin.end()) {
      errors.push_back({fields::kWithin, "Choisissez un délai « Disponible sous » de la liste."});
      break;
    }
    if (std::find(q.within.begin(), q.within.end(), *it) == q.within.end()) q.within.push_back(*it);
  }
  int radiusKm = 0;
  if (!domain::trim(form.radiusKm).empty() &&
      (!parseWhole(form.radiusKm, radiusKm) || radiusKm < 1 || radiusKm > kMaxRadiusKm))
    errors.push_back({fields::kRadius, "Le rayon est un nombre entier de kilomètres, de 1 à " +
                                           std::to_string(kMaxRadiusKm) + "."});
  std::size_t page = 1;
  if (!domain::trim(form.page).empty() &&
      (!parseWhole(form.page, page) || page < 1 || page > kMaxPage))
    errors.push_back({fields::kPage, "La page demandée n'existe pas."});
  std::size_t perPage = settings_.pageSize;
  if (!domain::trim(form.perPage).empty() &&
      (!parseWhole(form.perPage, perPage) || perPage < 1 || perPage > settings_.maxPageSize))
    errors.push_back({fields::kPerPage, "Le nombre de résultats par page va de 1 à " +
                                            std::to_string(settings_.maxPageSize) + "."});
  std::uint64_t seed = 0;
  const bool seeded = !domain::trim(form.seed).empty();
  if (seeded && !parseWhole(form.seed, seed))
    errors.push_back(
        {fields::kSeed, "Le tirage de cette recherche n'est pas valide : relancez-la."});

  const std::string where = domain::trimmed(form.where);
  GeocodeResult place;
  if (!domain::trim(form.choice).empty()) {
    place = geocoder_.resolve(domain::trimmed(form.choice));
    if (place.status != GeocodeResult::Status::Found)
      errors.push_back(
          {fields::kWhere, "Ce lieu n'est plus proposé : saisissez l'adresse à nouveau."});
  } else if (where.empty()) {
    errors.push_back(
        {fields::kWhere, "Renseignez une adresse, une ville, un code postal ou un département."});
  } else {
    place = geocoder_.geocode(where);
    if (place.status == GeocodeResult::Status::NotFound)
      errors.push_back(
          {fields::kWhere, "Nous n'avons pas trouvé « " + where +
                               " ». Vérifiez l'orthographe, ou saisissez une ville, un code postal "
                               "(75016) ou un numéro de département (75)."});
  }
  if (!errors.empty()) {
    out.status = SearchOutcome::Status::Invalid;
    out.errors = std::move(errors);
    return out;
  }
  if (place.status == GeocodeResult::Status::Ambiguous) {
    out.status = SearchOutcome::Status::Ambiguous;
    out.choices = std::move(place.choices);
    return out;
  }

  out.location = place.location;
  const auto area = areas_.departement(out.location.departement);
  const bool wholeDepartement = out.location.kind == LocationKind::Departement;
  double defaultKm = settings_.fallbackRadiusKm;
  if (area) {
    const double published = wholeDepartement ? area->departementRadiusKm : area->townRadiusKm;
    if (published > 0) defaultKm = published;
  }
  out.radiusKm = radiusKm > 0 ? radiusKm : static_cast<int>(std::lround(defaultKm));
  const double widen = area && area->widenKm > 0 ? area->widenKm : settings_.fallbackWidenKm;
  out.widerRadiusKm = std::min(kMaxRadiusKm, out.radiusKm + static_cast<int>(std::lround(widen)));
  out.mode =
      form.beyond ? domain::SearchMode::BeyondAvailabilities : domain::SearchMode::Availabilities;
  // By distance from a street address; from a town, a postal code or a département, in an
  // order drawn for this search, so that nobody is favoured for being near the town hall.
  out.order = out.location.kind == LocationKind::Address ? domain::SearchOrder::Distance
                                                         : domain::SearchOrder::Random;
  out.seed = out.order == domain::SearchOrder::Random ? (seeded ? seed : newSeed()) : 0;
  out.page = page;
  out.perPage = perPage;

  q.centre = {out.location.latitude, out.location.longitude};
  q.radiusMetres = out.radiusKm * 1000.0;
  q.mode = out.mode;
  q.order = out.order;
  q.seed = out.seed;
  q.offset = (page - 1) * perPage;
  q.limit = perPage;
  q.countLimit = std::max(settings_.countLimit, settings_.widenBelow);

  catchUp();
  const auto s = fresh(out.now);
  auto answer = s->index.search(q);
  out.total = answer.total;
  out.available = answer.available;
  out.totalIsLowerBound = answer.totalIsLowerBound;
  out.pageCount = (answer.total + perPage - 1) / perPage;
  if (answer.available < settings_.widenBelow && out.widerRadiusKm > out.radiusKm) {
    // What the next step would add: the same search, counted only, in the wider radius.
    auto wider = q;
    wider.radiusMetres = out.widerRadiusKm * 1000.0;
    wider.offset = 0;
    wider.limit = 0;
    // Exact: widerAdds is told as is (this radius holds fewer than widenBelow of them).
    wider.countLimit = std::numeric_limits<std::size_t>::max();
    const auto more = s->index.search(wider).available;
    out.widen = true;
    out.widerAdds = more > answer.available ? more - answer.available : 0;
  }
  auto cards = s->cardsOf(answer.hits);
  for (std::size_t i = 0; i < answer.hits.size(); ++i)
    if (auto& card = cards[i]) {
      auto& hit = answer.hits[i];
      std::vector<domain::SearchProfessional> named;
      if (!q.words.empty() && !card->professionals().empty()) {
        // The place's own words, made again for the page's few results rather than kept twice.
        const auto own = domain::placeSearchText(card->ownWords(), card->specialties(), {});
        for (const auto& p : card->professionals())
          if (domain::namesProfessional(q.words, own, p)) named.push_back(p);
      }
      out.results.push_back({std::move(card), std::move(hit), std::move(named)});
    }
  out.status = SearchOutcome::Status::Results;
  return out;
}

SearchResult SearchService::placeSheet(const Actor& actor, std::int64_t placeId) {
  requireRegulator(actor);
  const auto now = clock_.now();
  catchUp();
  const auto s = fresh(now);
  auto card = s->card(placeId);
  auto hit = s->index.place(placeId, now);
  if (!card || !hit) throw AppError(ErrorCode::NotFound, "place " + std::to_string(placeId));
  auto everyone = card->professionals();
  return {std::move(card), std::move(*hit), std::move(everyone)};
}

std::vector<PublishedPlace> SearchService::publishedByProfessionals(
    const std::vector<std::string>& nationalIds, domain::Instant from, domain::Instant to) {
  return published(Key::Professional, nationalIds, from, to);
}

std::vector<PublishedPlace> SearchService::publishedByStructures(
    const std::vector<std::string>& identifiers, domain::Instant from, domain::Instant to) {
  return published(Key::Structure, identifiers, from, to);
}

std::vector<PublishedPlace> SearchService::published(Key key, const std::vector<std::string>& ids,
                                                     domain::Instant from, domain::Instant to) {
  const auto now = clock_.now();
  catchUp();
  const auto s = fresh(now);
  std::vector<std::string> keys;
  for (const auto& id : ids) keys.push_back((key == Key::Professional ? "p" : "s") + id);
  std::vector<PublishedPlace> out;
  for (const auto placeId : s->placesOf(keys)) {
    auto slots = s->index.freeSlots(placeId, now, from, to);
    if (slots.empty()) continue;
    auto card = s->card(placeId);
    const auto position = s->index.position(placeId);
    if (!card || !position) continue;  // removed meanwhile
    const auto* zone = domain::findZone(card->timeZone());
    auto details = card->details();
    details.place.latitude = position->latitude;
    details.place.longitude = position->longitude;
    out.push_back({std::move(details), zone, std::move(slots)});
  }
  return out;
}

domain::SearchAnswer SearchService::query(const domain::SearchQuery& query) {
  return fresh(query.now)->index.search(query);
}

bool TokenCaller::allows(std::string_view scope) const {
  std::string_view rest = scopes;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    if (rest.substr(0, space) == scope) return true;
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return false;
}

Checked<std::string> ApiTokenService::create(const std::string& name,
                                             const std::vector<std::string>& scopes,
                                             const std::string& userEmail) {
  const auto n = domain::trimmed(name);
  if (n.empty()) return Checked<std::string>::failure({{"name", "Le jeton doit avoir un nom."}});
  // Every token reads the search; the scopes are kept in a fixed order.
  bool orientation = false;
  for (const auto& scope : scopes) {
    const auto s = domain::trimmed(scope);
    if (s == kScopeOrientation) {
      orientation = true;
    } else if (s != kScopeSearch) {
      return Checked<std::string>::failure(
          {{"scope", "Portée inconnue : « " + s + " » (portées : recherche, orientation)."}});
    }
  }
  std::optional<std::int64_t> userId;
  const auto email = normalizeEmail(userEmail);
  if (!email.empty()) {
    const auto user = users_.findByEmail(email);
    if (!user || user->disabled || !regulates(user->role))
      return Checked<std::string>::failure(
          {{"user", "Aucun compte actif de régulateur ou d'IOA n'a l'adresse " + email + "."}});
    userId = user->id;
  } else if (orientation) {
    // An orientation records who made it and his territory (docs/api.md#scopes).
    return Checked<std::string>::failure(
        {{"user",
          "Un jeton de portée « orientation » oriente au nom d'un compte de régulateur "
          "ou d'IOA : indiquez son adresse avec --user."}});
  }
  const std::string token = tokens_.random();
  const std::string stored =
      orientation ? std::string(kScopeSearch) + " " + kScopeOrientation : kScopeSearch;
  if (!repository_.createToken(n, tokens_.digest(token), stored, userId, clock_.now()))
    return Checked<std::string>::failure({{"name", "Un jeton porte déjà ce nom : " + n + "."}});
  return Checked<std::string>::success(token);
}

bool ApiTokenService::revoke(const std::string& name) {
  const bool revoked = repository_.revokeToken(domain::trimmed(name), clock_.now());
  if (revoked) {
    std::lock_guard lock(believedMutex_);
    believed_.clear();  // its digest is not known by name; revocations are rare
    ++revocations_;
  }
  return revoked;
}

std::optional<TokenCaller> ApiTokenService::authenticate(const std::string& token,
                                                         const std::string& clientAddress) {
  if (token.size() < 16) return std::nullopt;
  const auto digest = tokens_.digest(token);
  const auto now = clock_.now();
  std::optional<TokenCaller> caller;
  std::uint64_t revocationsBefore = 0;
  {
    std::lock_guard lock(believedMutex_);
    revocationsBefore = revocations_;
    if (auto it = believed_.find(digest); it != believed_.end()) {
      const auto age = now - it->second.checkedAt;
      if (age >= domain::Instant::duration::zero() && age < kBelievedFor)
        caller = it->second.caller;
      else
        believed_.erase(it);
    }
  }
  if (!caller) {
    caller = check(digest);
    if (!caller) return std::nullopt;
    std::lock_guard lock(believedMutex_);
    // Not when a revocation came during the read: what it read may be what was revoked.
    if (revocations_ == revocationsBefore) {
      if (believed_.size() >= kBelievedAtMost) believed_.clear();
      believed_.insert_or_assign(digest, Believed{*caller, now});
    }
  }
  caller->actor.clientAddress = clientAddress;
  return caller;
}

std::optional<TokenCaller> ApiTokenService::check(const std::string& digest) {
  auto found = repository_.activeToken(digest);
  if (!found) return std::nullopt;
  TokenCaller c;
  c.scopes = std::move(found->scopes);
  if (found->userId) {
    // The account's rights as they are now: a disabled account's tokens stop with it.
    auto user = users_.findById(*found->userId);
    if (!user || user->disabled || !regulates(user->role)) return std::nullopt;
    c.actor.user = std::move(*user);
    return c;
  }
  c.actor.user.id = 0;
  c.actor.user.firstName = "Jeton";
  c.actor.user.lastName = found->name;
  c.actor.user.role = Role::Regulator;
  return c;
}

}  // namespace sas::app
