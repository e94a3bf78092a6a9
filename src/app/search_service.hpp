#pragma once
// The regulators' search (docs/rules.md#search): the form read and checked, the place typed
// found by the geocoder, the default radius of its département, and the answer from the
// in-memory index, which is built from storage at start and kept up to date by every committed
// change.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/actor.hpp"
#include "app/agenda_service.hpp"
#include "app/place_card.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/geocoder.hpp"
#include "app/ports/repositories.hpp"
#include "app/ports/search_source.hpp"
#include "app/ports/security.hpp"
#include "domain/checked.hpp"
#include "domain/search_index.hpp"

namespace sas::app {

struct SearchSettings {
  double fallbackRadiusKm = 20;  // where data/rayons-recherche.csv has no value
  double fallbackWidenKm = 10;
  /// Below this many places with availabilities in the radius, the answer offers to widen it
  /// (by the département's elargissement_km), as the real SAS does.
  std::size_t widenBelow = 5;
  /// The count of the results is exact up to this many places, then « plus de countLimit »
  /// (search.count_limit, docs/api.md#search); never below widenBelow, so that a bounded count
  /// never offers to widen.
  std::size_t countLimit = 1000;
  /// A plage stays offered until this long before its end (search.plage_closes_minutes_before_end,
  /// docs/rules.md#search).
  std::chrono::minutes plageClosesBeforeEnd = domain::kDefaultPlageClosesBeforeEnd;
  std::size_t pageSize = 10;
  std::size_t maxPageSize = 50;
  /// Occurrences the index keeps ahead: a search's window (73 h at most) and a day's margin for
  /// the next build (rebuildAhead), so that the job builds every two days. Each day more holds
  /// an eighth more of a million places' memory (docs/benchmarks.md).
  int horizonDays = 6;
  /// Threads that read and index the places at once in a build (each with its own database
  /// connection while the pool has one free): reading is two thirds of a build.
  std::size_t buildReaders = std::max(1u, std::thread::hardware_concurrency());
  /// The FHIR publisher reads this many days ahead (fhir.max_window_days + 1; 0: off):
  /// maintain() rebuilds before the horizon comes nearer.
  int publishedDays = 0;
  std::chrono::seconds pollEvery{1};  // changes made by other processes, read by searches
  /// When the background job keeps the index (maintain()): a search past the horizon answers
  /// from the index in use and leaves the rebuild to the job; else the search rebuilds.
  bool rebuildInBackground = false;
  /// maintain() rebuilds once the index would no longer cover a search this long from now.
  std::chrono::hours rebuildAhead{24};
  /// maintain() deletes, once a day, the changes older than this: every running process applied
  /// them within a second, and a process that starts reads the places themselves.
  std::chrono::hours keepChanges{24 * 7};
  std::string regulatorTimeZone = "Europe/Paris";
};

/// Field names of the search form and of the JSON API's query string.
namespace search_fields {
inline constexpr const char* kWhat = "quoi";  // « Renseigner une spécialité, une structure »
inline constexpr const char* kWhere = "adresse";   // « Renseigner une adresse »
inline constexpr const char* kChoice = "lieu";     // a line of the short list
inline constexpr const char* kRadius = "rayon";    // km
inline constexpr const char* kWithin = "sous";     // « Disponible sous »: "0-4" … "48-72"
inline constexpr const char* kOffice = "cabinet";  // types
inline constexpr const char* kTeleconsultation = "teleconsultation";
inline constexpr const char* kHomeVisit = "domicile";
inline constexpr const char* kMode = "mode";  // "sus": « Créneaux en sus des disponibilités »
inline constexpr const char* kSeed = "graine";
inline constexpr const char* kPage = "page";
inline constexpr const char* kPerPage = "par_page";
}  // namespace search_fields

/// The form as typed.
struct SearchForm {
  std::string what;
  std::string where;
  std::string choice;
  bool office = false;
  bool teleconsultation = false;
  bool homeVisit = false;
  std::vector<std::string> within;
  std::string radiusKm;
  bool beyond = false;
  std::string seed;
  std::string page;
  std::string perPage;
};

/// A place as other systems read it (the FHIR publisher): its card and its free occurrences.
struct PublishedPlace {
  PlaceDetails details;
  const date::time_zone* zone = nullptr;
  std::vector<domain::SearchSlot> slots;  // by start
};

struct SearchResult {
  PlaceCard::Ptr card;  // never null; the index's own, shared
  domain::SearchHit hit;
  /// The professionals the query named (a search), or every professional of the place (its
  /// sheet); shown as domain::professionalLabel.
  std::vector<domain::SearchProfessional> professionals;
};

struct SearchOutcome {
  enum class Status { Results, Ambiguous, Invalid };
  Status status = Status::Invalid;
  std::vector<domain::FieldError> errors;  // Invalid
  std::vector<LocationChoice> choices;     // Ambiguous
  Location location;
  int radiusKm = 0;
  int widerRadiusKm = 0;  // radius + the département's elargissement_km, at most 300
  /// Fewer than SearchSettings::widenBelow places with availabilities, and a wider radius exists:
  /// « Élargir à {widerRadiusKm} km » is offered, which would add `widerAdds` of them.
  bool widen = false;
  std::size_t widerAdds = 0;
  domain::SearchMode mode = domain::SearchMode::Availabilities;
  domain::SearchOrder order = domain::SearchOrder::Distance;
  std::uint64_t seed = 0;
  std::size_t page = 1;
  std::size_t perPage = 10;
  std::size_t pageCount = 0;
  std::size_t total = 0;
  std::size_t available = 0;  // of total, the places with a matching availability
  /// The count stopped at SearchSettings::countLimit (= total): there are more places.
  bool totalIsLowerBound = false;
  std::vector<SearchResult> results;
  domain::Instant now;
};

/// What /healthz and /metrics tell of a process's index.
struct SearchIndexStatus {
  bool built = false;
  std::size_t places = 0;
  std::size_t occurrences = 0;
  domain::Instant horizonStart;
  domain::Instant horizonEnd;
  bool coversNow = false;  // a search now has its whole window in the horizon
  std::int64_t appliedChange = 0;
  std::int64_t pendingChanges = 0;  // committed, not applied yet
  std::chrono::seconds lag{0};      // age of the oldest of them (0 when none)
  std::chrono::milliseconds lastBuild{0};
  std::uint64_t builds = 0;
  bool rebuildWaiting = false;  // past the horizon, the background job has yet to rebuild
};

class SearchService final : public PlaceChangeListener {
 public:
  SearchService(SearchSource& source, Geocoder& geocoder, const SearchAreas& areas,
                const Clock& clock, SearchSettings settings);

  /// Reads every place from storage into a new index (at start, and when time has moved past
  /// the horizon of the one in use).
  void rebuild();
  /// The place changed and was committed: the next search sees it.
  void placeChanged(std::int64_t placeId) override;
  void placeChanged(std::int64_t placeId, std::int64_t changeId) override;
  /// Changes the occurrence's count in the index, without reading the place from storage.
  void occurrenceTaken(std::int64_t placeId, std::int64_t changeId,
                       const domain::Occurrence& occurrence) override;
  /// Applies the changes that other processes committed (read from storage at most once per
  /// `pollEvery`).
  void catchUp();
  /// The background job's turn: applies the changes committed since the last turn, and builds a
  /// new index while the one in use still answers, before time passes its horizon.
  void maintain();
  /// Reads the changes not applied yet from storage (the rest from memory).
  SearchIndexStatus status();

  /// Forbidden unless the actor is a regulator.
  SearchOutcome search(const Actor& actor, const SearchForm& form);
  /// A place's sheet: NotFound when the index does not have it.
  SearchResult placeSheet(const Actor& actor, std::int64_t placeId);
  /// The places where one of these professionals (national ids, « 8 » + RPPS or « 0 » +
  /// ADELI) practises, or of one of these structures (« 1 » + FINESS or « 3 » + SIRET), by
  /// place id, each with its occurrences free now that start in [from, to] (none past the
  /// index's horizon); places with none are left out. For programs: no access check here.
  std::vector<PublishedPlace> publishedByProfessionals(const std::vector<std::string>& nationalIds,
                                                       domain::Instant from, domain::Instant to);
  std::vector<PublishedPlace> publishedByStructures(const std::vector<std::string>& identifiers,
                                                    domain::Instant from, domain::Instant to);
  /// The index's answer to a query as it is (for benchmarks and tools: no access check, no
  /// geocoding; the index is brought up to date first).
  domain::SearchAnswer query(const domain::SearchQuery& query);

  /// Forbidden unless the actor is a regulator (the search form itself is for them only).
  static void requireRegulator(const Actor& actor);

  const SearchSettings& settings() const { return settings_; }
  std::size_t placeCount() const;
  std::size_t slotCount() const;

 private:
  struct State;
  std::shared_ptr<State> state() const;
  std::shared_ptr<State> fresh(domain::Instant now);
  enum class Key { Professional, Structure };
  std::vector<PublishedPlace> published(Key key, const std::vector<std::string>& ids,
                                        domain::Instant from, domain::Instant to);
  /// Reads the place again into the index, the counts of its cells brought up to date.
  void refresh(State& state, std::int64_t placeId);
  /// The change is applied to `state`: the job need not read it again.
  void applied(const std::shared_ptr<State>& state, const ChangeRow& change);
  void applyChanges(domain::Instant now);  // with pollMutex_ held
  /// Marks the rows read after lastChange_ as applied, notes the ids skipped below them (gaps)
  /// and moves lastChange_ up to the first gap still awaited.
  void takeChanges(const std::vector<ChangeRow>& rows);

  SearchSource& source_;
  Geocoder& geocoder_;
  const SearchAreas& areas_;
  const Clock& clock_;
  SearchSettings settings_;
  mutable std::mutex stateMutex_;
  std::shared_ptr<State> state_;
  std::mutex rebuildMutex_;
  std::mutex pollMutex_;
  /// Every change up to this one is applied (or was given up as a rolled-back id).
  std::atomic<std::int64_t> lastChange_{0};
  std::atomic<std::int64_t> highApplied_{0};  // the highest change applied
  // With pollMutex_ held: the changes above lastChange_ applied already, and the ids below the
  // highest of them not seen yet, since when (a transaction that has not committed yet).
  std::set<std::int64_t> appliedAbove_;
  std::map<std::int64_t, std::chrono::steady_clock::time_point> gaps_;
  domain::Instant lastPoll_;
  domain::Instant nextPrune_;  // with pollMutex_ held
  std::atomic<bool> rebuildWanted_{false};
  std::atomic<std::int64_t> lastBuildMs_{0};
  std::atomic<std::uint64_t> builds_{0};
};

/// What an API token may do besides reading the search (docs/api.md#scopes).
inline constexpr const char* kScopeSearch = "recherche";
inline constexpr const char* kScopeOrientation = "orientation";

/// The caller of a token in force: the actor it acts as, and its scopes.
struct TokenCaller {
  Actor actor;
  std::string scopes;  // space-separated
  bool allows(std::string_view scope) const;
};

/// API tokens that an administrator issues to an integration (`sas token create`): every token
/// reads the search; one with the scope `orientation` orients and cancels as the regulator's
/// (or IOA's) account it was issued for. Only its digest is stored.
class ApiTokenService {
 public:
  ApiTokenService(ApiTokenRepository& repository, UserRepository& users, const Tokens& tokens,
                  const Clock& clock)
      : repository_(repository), users_(users), tokens_(tokens), clock_(clock) {}

  /// The new token, to be shown once; refused when the name is empty or taken, a scope is
  /// unknown, or `orientation` is asked without an active regulator's or IOA's account.
  domain::Checked<std::string> create(const std::string& name,
                                      const std::vector<std::string>& scopes = {},
                                      const std::string& userEmail = "");
  bool revoke(const std::string& name);
  std::vector<ApiToken> list() { return repository_.tokens(); }
  /// The caller of a token in force, or none (also when its account was disabled or no longer
  /// regulates): a token without account is a regulator-like reader.
  ///
  /// A token found in force is believed for kBelievedFor after that check without reading the
  /// database again: an integration sends many requests with one token, and its read was a
  /// tenth of the JSON search's CPU. So a token revoked by another process (`sas token
  /// revoke`), or whose account was disabled, stops within that time; revoked through this
  /// service, at once. Refusals are not remembered (unknown tokens cannot fill the memory).
  std::optional<TokenCaller> authenticate(const std::string& token,
                                          const std::string& clientAddress);

  static constexpr std::chrono::seconds kBelievedFor{1};
  static constexpr std::size_t kBelievedAtMost = 1024;  // tokens in force; beyond, forgotten

 private:
  std::optional<TokenCaller> check(const std::string& digest);

  struct Believed {
    TokenCaller caller;
    domain::Instant checkedAt;
  };

  ApiTokenRepository& repository_;
  UserRepository& users_;
  const Tokens& tokens_;
  const Clock& clock_;
  std::mutex believedMutex_;
  std::unordered_map<std::string, Believed> believed_;  // by digest
  std::uint64_t revocations_ = 0;                       // through revoke(), under the mutex
};

}  // namespace sas::app
