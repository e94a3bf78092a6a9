#pragma once
// The regulators' search index (docs/rules.md#search; how each process keeps it up to date:
// docs/deploy.md#the-sas-processes): every place with the visible occurrences of the coming
// days, in a grid of latitude/longitude cells, so that a search is a radius query, a time
// window and filters answered from memory.
//
// Rules decided here:
// - the window runs from `now` to the end of the day after tomorrow in each place's own zone;
//   an occurrence is searched until offeredUntil (a créneau up to its start, a plage up to
//   `plageCloses` before its end: search.plage_closes_minutes_before_end) and if it starts
//   before the window's end;
// - an occurrence that an unavailability hides (occurrenceVisible) is never kept, and a place
//   whose unavailability is in force at `now` (placeVisibleAt) is left out in every mode;
// - « Disponible sous »: an occurrence matches when [start, end) overlaps one of the ticked
//   intervals [now + from, now + to) (a started plage thus counts from now); none ticked means
//   the whole window;
// - order: participants with a matching availability, then non-participants with one (and in
//   the mode « Créneaux en sus des disponibilités », then participants without, then
//   non-participants without); within a group by geodesic distance (ties by place id) or by a
//   draw from the search's seed (ties by place id).
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/availability.hpp"
#include "domain/calendar.hpp"
#include "domain/id_table.hpp"
#include "domain/orientation.hpp"
#include "domain/search_geo.hpp"
#include "domain/unavailability.hpp"

namespace sas::domain {

/// « Disponible sous » : from and to, in hours after now.
struct HourRange {
  int fromHours = 0;
  int toHours = 0;
  bool operator==(const HourRange&) const = default;
};
inline constexpr std::array<HourRange, 6> kAvailableWithin{
    {{0, 4}, {4, 8}, {8, 12}, {12, 24}, {24, 48}, {48, 72}}};

enum class SearchMode {
  Availabilities,        // places with a matching availability
  BeyondAvailabilities,  // « Créneaux en sus des disponibilités »: places that accept contact
};
enum class SearchOrder { Distance, Random };

/// One occurrence as the search keeps it.
struct SearchSlot {
  Instant start;
  Instant end;
  AvailabilityKind kind = AvailabilityKind::Slot;
  int capacity = 1;
  int taken = 0;  // orientations it holds already: a plage shows « n / N »
  ConsultationTypes types;
  std::int64_t publisher = 0;  // Occurrence::publisher
  bool operator==(const SearchSlot&) const = default;
};

/// What the index needs to know of a place.
struct SearchPlace {
  std::int64_t id = 0;
  GeoPoint position;
  const date::time_zone* zone = nullptr;
  bool participates = false;
  bool acceptsContact = false;  // « J'accepte d'être directement contacté par la régulation … »
  Unavailability unavailability;
  std::string text;  // foldText of the name, structure type, specialties… (« spécialité »)
  std::vector<Occurrence> occurrences;  // any dates: the index keeps its horizon's visible ones
};

struct SearchQuery {
  GeoPoint centre;
  double radiusMetres = 20'000;
  Instant now;
  SearchMode mode = SearchMode::Availabilities;
  SearchOrder order = SearchOrder::Distance;
  std::uint64_t seed = 0;          // the draw of SearchOrder::Random
  ConsultationTypes types;         // empty: any type
  std::vector<HourRange> within;   // empty: the whole window
  std::vector<std::string> words;  // searchWords of « spécialité, structure »; empty: any
  std::size_t offset = 0;
  std::size_t limit = 10;
  /// The count is exact up to this many places; past it the answer says « more than
  /// countLimit » (SearchAnswer::totalIsLowerBound) and, by distance, the walk stops counting
  /// as soon as the page is settled, so that its cost does not grow with local density (a drawn
  /// order still sees every place: any may be on the page). The page itself, whatever its
  /// offset, is always exact.
  std::size_t countLimit = std::numeric_limits<std::size_t>::max();
};

struct SearchHit {
  std::int64_t placeId = 0;
  GeoPoint position;          // the place's, as put
  double distanceMetres = 0;  // geodesic, from the query's centre
  bool participates = false;
  bool acceptsContact = false;
  bool available = false;                 // has a matching availability in the window
  Instant earliestStart;                  // of the matching availabilities, when available
  const date::time_zone* zone = nullptr;  // the place's
  std::vector<SearchSlot> slots;          // the matching availabilities, by start
  bool unavailableNow = false;            // set by SearchIndex::place only
};

struct SearchAnswer {
  /// Exact when totalIsLowerBound is false (then ≤ SearchQuery::countLimit); else the count
  /// went past countLimit and total = countLimit: there are more than that.
  std::size_t total = 0;
  std::size_t available = 0;  // of total, the places with a matching availability (same bound)
  bool totalIsLowerBound = false;
  std::vector<SearchHit> hits;  // [offset, offset + limit) of the ordered results
};

/// The end of the search window for a place in `zone`: 00:00 after the day after tomorrow.
Instant windowEnd(const date::time_zone& zone, Instant now);

/// The draw of SearchOrder::Random: the same seed gives the same order, page after page.
std::uint64_t drawKey(std::uint64_t seed, std::int64_t placeId);

/// Thread-safe: searches share a lock, changes take it alone.
class SearchIndex {
 public:
  /// Keeps the occurrences that start before horizonEnd and are offered at or after
  /// horizonStart (offeredUntil with `plageCloses`).
  SearchIndex(Instant horizonStart, Instant horizonEnd,
              std::chrono::seconds plageCloses = kDefaultPlageClosesBeforeEnd);
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  Instant horizonStart() const { return horizonStart_; }
  Instant horizonEnd() const { return horizonEnd_; }
  std::chrono::seconds plageCloses() const { return std::chrono::seconds{plageCloses_}; }
  /// Whether a search at `now` has all its window in the horizon.
  bool covers(Instant now) const;

  /// Adds the place, or replaces what the index had of it.
  void put(const SearchPlace& place);
  void remove(std::int64_t placeId);
  /// An orientation took a place of this occurrence of the place (occurrence.taken is its new
  /// count; full, it leaves the search), without reading the place again, its cell's counts
  /// brought up to date (no prepare() needed). False, and nothing changed, when the index
  /// cannot tell it apart (not there, or two alike): put the place.
  bool setTaken(std::int64_t placeId, const Occurrence& occurrence);
  /// Brings up to date what speeds up the counting of the cells changed since the last call
  /// (searches are right without it, only slower where cells changed); costs those cells only.
  void prepare();

  /// Gives back the memory that put() grew its cells by beyond what they hold (a build puts
  /// place after place: a third of the slots' memory was spare), and its table of places. Once,
  /// after a build: a cell changed afterwards grows again as it must.
  void shrinkToFit();

  SearchAnswer search(const SearchQuery& query) const;
  /// The visible occurrences of one place in the window at `now` (for its sheet), whatever the
  /// filters; none when the index does not have the place.
  std::optional<SearchHit> place(std::int64_t placeId, Instant now) const;
  /// Where the place is, as put; none when the index does not have it.
  std::optional<GeoPoint> position(std::int64_t placeId) const;
  /// The place's occurrences that are free at `now` (still offered, room left, not hidden by
  /// an unavailability) and start in [from, to], by start: what other systems read of it
  /// (the FHIR publisher); none past the horizon, none when the index does not have the place,
  /// never a slot pulled from a publisher.
  std::vector<SearchSlot> freeSlots(std::int64_t placeId, Instant now, Instant from,
                                    Instant to) const;

  std::size_t placeCount() const;
  std::size_t slotCount() const;
  /// The cells whose counts are out of date (none after prepare()); walks every cell.
  std::size_t staleCellCount() const;

  struct Cell;

 private:
  struct Location {
    std::uint32_t cell = UINT32_MAX;  // none: IdTable's empty value
    std::uint32_t entry = 0;
    bool operator==(const Location&) const = default;
  };
  struct Entry;
  struct Walk;  // one search's, over the grid
  Entry entryOf(const SearchPlace& place) const;
  void putLocked(const SearchPlace& place, Entry&& entry);
  void removeLocked(std::int64_t placeId);
  /// Its counts out of date until the next prepare(), which will make them.
  void markStale(Cell& cell);
  /// Records again where each place of the cell is, after Cell::take moved them.
  void reindex(const Cell& cell);
  /// What put() was given of place `i` of the cell, as far as the index keeps it.
  SearchPlace placeLocked(const Cell& cell, std::size_t i) const;
  /// The start of the minute that holds horizonStart_, in seconds: day summaries count from it.
  std::int64_t baseMinute() const {
    const auto s = horizonStart_.time_since_epoch().count();
    return s - ((s % 60) + 60) % 60;
  }
  std::uint16_t zoneIndex(const date::time_zone* zone);

  Instant horizonStart_;
  Instant horizonEnd_;
  std::int64_t plageCloses_;  // seconds
  // Slots keep their starts in seconds from this one (see PackedSlot): a week before the horizon.
  std::int64_t slotBase_;
  // The longest any slot put stays offered after its start (never lowered: it only bounds how
  // far back a search reads a place's slots).
  std::int64_t longestOpen_ = 0;
  // Searches hold mutex_ shared, changes exclusively; every change first takes writer_, so
  // that prepare() can make counts under a shared hold with nothing changing meanwhile.
  std::mutex writer_;
  mutable std::shared_mutex mutex_;
  std::vector<std::unique_ptr<Cell>> cells_;
  std::vector<Cell*> stale_;  // cells whose counts changed since prepare(); cells_ owns them
  // Packed (row, column) → the square's participants' cell in cells_; the others' is next.
  std::unordered_map<std::int64_t, std::size_t> cellByKey_;
  // Per grid row, its squares by column with their cells' sizes: what a search's walk reads,
  // contiguous, rather than a hash look-up and two cells for every square it passes.
  struct Square {
    std::int64_t column;
    std::size_t cell;                      // as in cellByKey_
    std::array<std::uint32_t, 2> sizes{};  // participants, the others
    std::array<const Cell*, 2> cells{};    // cells_[cell], cells_[cell + 1]: one read fewer
  };
  std::vector<std::vector<Square>> rows_;  // by row, from the South Pole
  IdTable<Location> where_;
  std::vector<const date::time_zone*> zones_;
  std::vector<Day> zoneFirstDays_;  // the local day of horizonStart_ in each zone
  std::size_t slots_ = 0;
};

}  // namespace sas::domain
