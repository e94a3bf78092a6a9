#include "domain/search_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <tuple>

#include "domain/search_text.hpp"

namespace sas::domain {

namespace {

// About 5.5 km × 3.7 km in mainland France: most cells of a search lie wholly inside its
// circle, where no place's distance is needed unless it may be on the page.
constexpr double kCellDegrees = 0.05;
constexpr std::int64_t kColumns = 7200;
constexpr double kMetresPerDegreeMin = 110'574;   // a degree of latitude at the equator
constexpr double kMetresPerDegreeLon = 111'320;   // a degree of longitude at the equator
constexpr std::chrono::hours kLongestWindow{73};  // 72 h, and one more on a daylight-saving day
constexpr double kPi = std::numbers::pi;
constexpr double kEquatorialRadius = kWgs84SemiMajorAxis;

enum Flag : std::uint8_t {
  kParticipates = 1,
  kAcceptsContact = 2,
  kIndefinite = 4,  // hidden in every search until the box is unticked
  kHasPeriods = 8,  // its periods may hide it: by day (Summary::hiddenDays) unless kOddPeriods
  kNoSummary = 16,  // a start not on a whole minute: the day summary cannot tell, read slots
  // Periods that do not hide whole local days of the horizon (its zone's clock going back across
  // midnight there): the cell's counts cannot leave the place out by day (Cell::Counts).
  kOddPeriods = 32,
};

// A cell of this many places or more is divided in kSubdivisions × kSubdivisions sub-squares for
// the page (Cell::Counts::subBegin): about 700 m × 460 m in mainland France.
constexpr std::size_t kSubdivideAt = 64;
constexpr std::int64_t kSubdivisions = 8;
constexpr double kSubDegrees = kCellDegrees / kSubdivisions;  // a sub-square's side

// The day summary of a place covers this many local days from the horizon's first.
constexpr int kSummaryDays = 10;
constexpr std::array<std::uint8_t, 3> kTypeBits{1, 2, 4};

// 8 bytes, so that a place's occurrences share a cache line (and 43 million of them, ten times
// France's, take 350 MB rather than 520). A start is kept to the second from the index's own
// base (its horizon's start less kBaseMargin, for plages started earlier) in 22 bits: 48 days,
// more than any horizon (SearchIndex's constructor checks).
constexpr std::int64_t kBaseMargin = 7 * 86'400;
constexpr std::int64_t kSinceMax = (std::int64_t{1} << 22) - 1;
// 36 h 24 min: an agenda's occurrence lasts a day at most (25 h when the clocks go back), a
// publisher's slot at most 24 h (docs/rules.md#publishers); a longer one is not kept.
constexpr std::int64_t kDurationMax = (std::int64_t{1} << 17) - 1;
// A plage receives at most 999 patients (domain/availability); a row of an older rule over
// 1,023 is shown as 1,023, with room while it has some.
constexpr int kCapacityMax = (1 << 10) - 1;
// A pulled slot (a publisher's, capacity 1, never taken here) keeps its publisher's id in
// capacity and taken instead: 20 bits, far more publishers than exist.
constexpr std::int64_t kPublisherMax = (std::int64_t{1} << 20) - 1;

struct PackedSlot {
  std::uint64_t since : 22;     // the start, in seconds after the index's base
  std::uint64_t duration : 17;  // seconds
  std::uint64_t typeBits : 3;
  std::uint64_t isRange : 1;
  std::uint64_t isPulled : 1;
  std::uint64_t capacity : 10;
  std::uint64_t taken : 10;

  /// Seconds since 1970, from the index's base (SearchIndex::slotBase_).
  std::int64_t start(std::int64_t base) const { return base + static_cast<std::int64_t>(since); }
  std::int64_t end(std::int64_t base) const {
    return start(base) + static_cast<std::int64_t>(duration);
  }
  /// The last second it is offered (offeredUntil): `plageCloses` in seconds.
  std::int64_t until(std::int64_t base, std::int64_t plageCloses) const {
    return range() ? std::max(start(base), end(base) - plageCloses) : start(base);
  }
  std::uint8_t types() const { return static_cast<std::uint8_t>(typeBits); }
  bool range() const { return isRange; }
  bool pulled() const { return isPulled; }
  std::int64_t publisher() const {
    return pulled() ? static_cast<std::int64_t>(capacity | (taken << 10)) : 0;
  }
  /// The same occurrence, whatever it holds already.
  bool sameAs(const PackedSlot& o) const {
    return since == o.since && duration == o.duration && typeBits == o.typeBits &&
           isRange == o.isRange && isPulled == o.isPulled && capacity == o.capacity &&
           (!pulled() || taken == o.taken);
  }
};
static_assert(sizeof(PackedSlot) == 8);

/// Whether the index can keep `o` exactly, from `base`.
bool packable(const Occurrence& o, std::int64_t base) {
  const auto since = o.start.time_since_epoch().count() - base;
  return since >= 0 && since <= kSinceMax && (o.end - o.start).count() <= kDurationMax;
}

/// `o` must be packable from `base`.
PackedSlot pack(const Occurrence& o, std::int64_t base) {
  PackedSlot p{};
  p.since = static_cast<std::uint64_t>(o.start.time_since_epoch().count() - base);
  // An end before the start (hours in a spring-forward gap) is kept as the start, as
  // offeredUntil reads it.
  p.duration = static_cast<std::uint64_t>(std::max<std::int64_t>(0, (o.end - o.start).count()));
  p.typeBits = o.values.types.bits & 0x7;
  p.isRange = o.values.kind == AvailabilityKind::Range;
  if (o.publisher > 0) {
    const auto id = static_cast<std::uint64_t>(std::min(o.publisher, kPublisherMax));
    p.isPulled = 1;
    p.capacity = id & 0x3FF;
    p.taken = id >> 10;
    return p;
  }
  const int capacity = std::clamp(o.values.capacity, 0, kCapacityMax);
  // One with room keeps some, so that it is still kept when put again from the index.
  const int taken = std::clamp(o.taken, 0, hasRoom(o) ? std::max(0, capacity - 1) : capacity);
  p.capacity = static_cast<std::uint64_t>(capacity);
  p.taken = static_cast<std::uint64_t>(taken);
  return p;
}

inline SearchSlot unpack(const PackedSlot& p, std::int64_t base) {
  SearchSlot s;
  s.start = Instant{std::chrono::seconds{p.start(base)}};
  s.end = Instant{std::chrono::seconds{p.end(base)}};
  s.kind = p.range() ? AvailabilityKind::Range : AvailabilityKind::Slot;
  s.capacity = p.pulled() ? 1 : static_cast<int>(p.capacity);
  s.taken = p.pulled() ? 0 : static_cast<int>(p.taken);
  s.publisher = p.publisher();
  s.types = ConsultationTypes{p.types()};
  return s;
}

std::int64_t cellRow(double latitude) {
  return static_cast<std::int64_t>(std::floor((latitude + 90) / kCellDegrees));
}
std::int64_t cellColumn(double longitude) {
  return static_cast<std::int64_t>(std::floor((longitude + 180) / kCellDegrees));
}
// The southern edge of a row of cells, the western edge of a column.
double rowLatitude(std::int64_t row) {
  return static_cast<double>(row) * kCellDegrees - 90;
}
double columnLongitude(std::int64_t column) {
  return static_cast<double>(column) * kCellDegrees - 180;
}
std::int64_t cellKey(std::int64_t row, std::int64_t column) {
  return row * kColumns + column;
}

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::int64_t seconds(Instant t) {
  return t.time_since_epoch().count();
}

// A place's search text in one allocation of its size, the size in front (a std::string took 32
// bytes in its cell beside it: 24 MB at a million places).
class PackedText {
 public:
  PackedText() = default;
  explicit PackedText(std::string_view text) {
    if (text.empty()) return;
    const auto size = static_cast<std::uint32_t>(text.size());
    data_ = std::make_unique_for_overwrite<char[]>(sizeof size + text.size());
    std::memcpy(data_.get(), &size, sizeof size);
    std::memcpy(data_.get() + sizeof size, text.data(), text.size());
  }
  std::string_view view() const {
    if (!data_) return {};
    std::uint32_t size;
    std::memcpy(&size, data_.get(), sizeof size);
    return {data_.get() + sizeof size, size};
  }

 private:
  std::unique_ptr<char[]> data_;
};

}  // namespace

// A cell's places, each in one record, with their texts and slots beside them: a search decides
// most places by their day summary (the types of each local day's slots, and per type the last
// second one of them is offered: its start, or a plage's close, see offeredUntil) without
// reading their slots.
struct SearchIndex::Cell {
  struct Extra {
    struct Away {
      Unavailability unavailability;
      // The periods as instants [00:00 of « Du », 00:00 after « Au »): what placeVisibleAt
      // asks, without time zone arithmetic at each search (SearchIndexProperty checks they agree).
      std::vector<std::pair<std::int64_t, std::int64_t>> periods;
    };
    PackedText text;
    // Apart, and only for a place with an unavailability: most have none, and the two empty
    // members took half of each place's extra.
    std::unique_ptr<const Away> away;

    const Unavailability& unavailability() const {
      static const Unavailability none;
      return away ? away->unavailability : none;
    }
  };
  struct Summary {
    std::array<std::uint8_t, kSummaryDays> dayTypes{};
    // Minutes from the horizon's start, plus one (0: none).
    std::array<std::array<std::uint16_t, 3>, kSummaryDays> lastUntil{};
    // Bit d: the place's periods hide the whole of local day d; a place without kOddPeriods is
    // hidden at `now` exactly when today's bit is set.
    std::uint16_t hiddenDays = 0;
  };

  // What a search reads of a place, in one record of two cache lines (the first holds all
  // but the last seconds offered and the days its periods hide): cells hold a few places each,
  // and a column per field cost a cache miss per field and cell, most of the walk's time.
  struct alignas(64) Place {
    std::uint8_t flags;
    std::uint8_t types;  // of all its slots: a place without the type asked is left
    std::uint16_t zone;
    std::uint32_t slotBegin;
    double latitude;
    double longitude;
    DistanceProbe::HalfLatitude half;
    std::int64_t id;
    std::uint32_t slotEnd;
    std::array<std::uint8_t, kSummaryDays> dayTypes;
    std::array<std::array<std::uint16_t, 3>, kSummaryDays> lastUntil;
    std::uint16_t hiddenDays;  // Summary::hiddenDays
  };
  static_assert(sizeof(Place) == 128);

  // Counts that answer « how many of this cell's places are available » for a plain search
  // (no text, no « Disponible sous », availabilities mode) at once, for cells wholly inside
  // a circle and too far to give a place to the page. Per today's day d and types asked m
  // (the entry d * 8 + m): the places with such a slot on d + 1 or d + 2, and for the others
  // the sorted last seconds offered of such slots on d, in lasts [its begin, the next entry's);
  // a place whose periods hide day d is not in d's entries (Summary::hiddenDays). Places without
  // a summary, with odd periods or of another zone are `special`, looked at one by one. Built
  // by SearchIndex::prepare after changes; unused while stale.
  struct Counts {
    struct Entry {
      std::uint32_t later = 0;
      std::uint32_t begin = 0;
    };
    std::uint16_t zone = 0;
    std::vector<std::uint32_t> special;
    std::array<Entry, (kSummaryDays - 2) * 8 + 1> entries{};
    std::vector<std::uint16_t> lasts;
    // A cell of kSubdivideAt places or more is divided in sub-squares (kSubdivisions² of them,
    // row by row): its places are arranged by sub-square, then the special ones, then the hidden
    // ones, and sub-square k holds places [subBegin[k], subBegin[k + 1]). A search reads for its
    // page only the sub-squares near enough, nearest first (a dense city's cell holds thousands
    // of places, the page wants twenty), and none wholly outside its circle; each one's places
    // in a row, as memory is best read.
    std::vector<std::uint32_t> subBegin;  // empty: the cell is not divided
  };
  // Counts made for the places as they will be once arranged: `arrangement` is the place to put
  // at each position (its index now), which take() applies under the exclusive lock; empty when
  // they are in place.
  struct Counted {
    Counts counts;
    std::vector<std::uint32_t> arrangement;
  };

  // The members a search reads of every cell it passes first, in the object's first cache line.
  bool countsValid = false;
  bool listedStale = false;  // in SearchIndex::stale_, for the next prepare()
  std::vector<Place> places;
  Counts counts;
  std::vector<Extra> extras;
  std::vector<PackedSlot> slots;
  std::int64_t row = 0;
  std::int64_t column = 0;

  std::size_t size() const { return places.size(); }

  /// Counted and read one by one (Counts::special), not from the cell's counts.
  static bool special(const Place& p, std::uint16_t zone) {
    return (p.flags & (kOddPeriods | kNoSummary)) || p.zone != zone;
  }

  /// The sub-square of the cell that holds a point of it.
  std::size_t subSquare(double latitude, double longitude) const {
    const auto at = [](double offset) {
      return static_cast<std::size_t>(
          std::clamp(static_cast<std::int64_t>(std::floor(offset / kCellDegrees * kSubdivisions)),
                     std::int64_t{0}, kSubdivisions - 1));
    };
    return at(latitude - rowLatitude(row)) * kSubdivisions +
           at(longitude - columnLongitude(column));
  }

  Counted countsNow() const {
    Counted counted;
    Counts& made = counted.counts;
    if (size() == 0) return counted;
    std::array<std::vector<std::uint16_t>, (kSummaryDays - 2) * 8> todayLast;
    made.zone = places[0].zone;
    const bool divided = size() >= kSubdivideAt;
    if (divided) made.subBegin.assign(kSubdivisions * kSubdivisions + 1, 0);
    for (std::size_t i = 0; i < size(); ++i) {
      const Place& p = places[i];
      if (p.flags & kIndefinite) continue;  // never counted
      if (special(p, made.zone)) {
        made.special.push_back(static_cast<std::uint32_t>(i));
        continue;
      }
      if (divided) ++made.subBegin[subSquare(p.latitude, p.longitude) + 1];
      const std::uint16_t hidden = p.hiddenDays;
      for (std::size_t d = 0; d + 2 < kSummaryDays; ++d)
        for (std::uint8_t m = 1; m < 8 && !((hidden >> d) & 1); ++m) {
          if ((p.dayTypes[d + 1] | p.dayTypes[d + 2]) & m) {
            ++made.entries[d * 8 + m].later;
            continue;
          }
          std::uint16_t last = 0;
          for (std::size_t t = 0; t < 3; ++t)
            if (m & (1u << t)) last = std::max(last, p.lastUntil[d][t]);
          if (last > 0) todayLast[d * 8 + m].push_back(last);
        }
    }
    for (std::size_t e = 0; e < todayLast.size(); ++e) {
      made.entries[e].begin = static_cast<std::uint32_t>(made.lasts.size());
      std::sort(todayLast[e].begin(), todayLast[e].end());
      made.lasts.insert(made.lasts.end(), todayLast[e].begin(), todayLast[e].end());
    }
    made.entries.back().begin = static_cast<std::uint32_t>(made.lasts.size());
    if (divided) {
      for (std::size_t k = 1; k < made.subBegin.size(); ++k)
        made.subBegin[k] += made.subBegin[k - 1];
      auto& order = counted.arrangement;
      order.resize(size());
      auto next = made.subBegin;
      std::size_t tail = made.subBegin.back() + made.special.size();  // the hidden ones
      for (std::size_t i = 0; i < size(); ++i) {
        const Place& p = places[i];
        if (p.flags & kIndefinite)
          order[tail++] = static_cast<std::uint32_t>(i);
        else if (!special(p, made.zone))
          order[next[subSquare(p.latitude, p.longitude)]++] = static_cast<std::uint32_t>(i);
      }
      for (std::size_t k = 0; k < made.special.size(); ++k) {
        order[made.subBegin.back() + k] = made.special[k];
        made.special[k] = static_cast<std::uint32_t>(made.subBegin.back() + k);
      }
      bool moved = false;
      for (std::size_t i = 0; i < order.size() && !moved; ++i) moved = order[i] != i;
      if (!moved) order.clear();
    }
    return counted;
  }

  /// Puts counts made by countsNow() in force, its places in the order they were made for. True
  /// when places moved: the index's record of their positions is then to be made again.
  bool take(Counted&& counted) {
    counts = std::move(counted.counts);
    countsValid = true;
    const auto& order = counted.arrangement;
    if (order.empty()) return false;
    std::vector<Place> arranged;
    std::vector<Extra> arrangedExtras;
    arranged.reserve(order.size());
    arrangedExtras.reserve(order.size());
    for (const auto i : order) {
      arranged.push_back(places[i]);
      arrangedExtras.push_back(std::move(extras[i]));
    }
    places = std::move(arranged);
    extras = std::move(arrangedExtras);
    return true;
  }

  /// Gives back what its columns hold beyond their sizes.
  void shrink() {
    places.shrink_to_fit();
    extras.shrink_to_fit();
    slots.shrink_to_fit();
  }

  void append(std::int64_t id, GeoPoint p, std::uint8_t flag, std::uint8_t type, std::uint16_t zone,
              std::uint32_t begin, std::uint32_t end, const Summary& summary, Extra extra) {
    places.push_back({flag, type, zone, begin, p.latitude, p.longitude,
                      DistanceProbe::halfLatitude(p.latitude), id, end, summary.dayTypes,
                      summary.lastUntil, summary.hiddenDays});
    extras.push_back(std::move(extra));
  }

  /// The last place takes the place of the one at `i`.
  void swapRemove(std::size_t i) {
    const auto remove = [i](auto& column) {
      if (i + 1 != column.size()) column[i] = std::move(column.back());
      column.pop_back();
    };
    remove(places);
    remove(extras);
  }
};

Instant windowEnd(const date::time_zone& zone, Instant now) {
  return localToInstant(zone, localDay(zone, now) + date::days{3}, 0);
}

std::uint64_t drawKey(std::uint64_t seed, std::int64_t placeId) {
  return splitmix(splitmix(seed) ^ static_cast<std::uint64_t>(placeId));
}

SearchIndex::SearchIndex(Instant horizonStart, Instant horizonEnd, std::chrono::seconds plageCloses)
    : horizonStart_(horizonStart),
      horizonEnd_(horizonEnd),
      plageCloses_(std::max<std::int64_t>(0, plageCloses.count())),
      slotBase_(seconds(horizonStart) - kBaseMargin),
      rows_(static_cast<std::size_t>(cellRow(90) + 1)) {
  if (horizonEnd < horizonStart || seconds(horizonEnd) - slotBase_ > kSinceMax)
    throw std::out_of_range("search index: a horizon of more than 41 days");
}

SearchIndex::~SearchIndex() = default;

bool SearchIndex::covers(Instant now) const {
  return now >= horizonStart_ && now + kLongestWindow <= horizonEnd_;
}

std::uint16_t SearchIndex::zoneIndex(const date::time_zone* zone) {
  auto it = std::find(zones_.begin(), zones_.end(), zone);
  if (it != zones_.end()) return static_cast<std::uint16_t>(it - zones_.begin());
  zones_.push_back(zone);
  zoneFirstDays_.push_back(localDay(*zone, horizonStart_));
  return static_cast<std::uint16_t>(zones_.size() - 1);
}

namespace {

/// The local days from `firstDay` (the day summary's first) that the place's periods hide
/// wholly (Summary::hiddenDays), or none and kOddPeriods in `flags` when they may hide part of
/// one. `periods`: the periods as instants (Away::periods).
std::uint16_t hideWholeDays(const SearchPlace& place, Day firstDay,
                            const std::vector<std::pair<std::int64_t, std::int64_t>>& periods,
                            std::uint8_t& flags) {
  const auto& zone = *place.zone;
  const auto odd = [&] {
    flags |= kOddPeriods;
    return std::uint16_t{0};
  };
  // Local days follow one another over the summary's days (and one each side): no change of
  // the zone's clock there takes it back to the day before.
  const Instant from = localToInstant(zone, firstDay - date::days{1}, 0);
  const Instant to = localToInstant(zone, firstDay + date::days{kSummaryDays + 1}, 0);
  for (Instant t = from; t < to;) {
    const Instant change{
        std::chrono::floor<std::chrono::seconds>(zone.get_info(t).end.time_since_epoch())};
    if (change >= to) break;
    if (localDay(zone, change) < localDay(zone, change - std::chrono::seconds{1})) return odd();
    t = change;
  }
  // Each period's ends (Away::periods) are the first seconds of « Du » and of the day after
  // « Au »: a period then hides those days whole, and no other in part.
  const auto startsDay = [&](std::int64_t edge, Day day) {
    const Instant at{std::chrono::seconds{edge}};
    return localDay(zone, at) == day && localDay(zone, at - std::chrono::seconds{1}) < day;
  };
  for (std::size_t k = 0; k < periods.size(); ++k) {
    const auto& period = place.unavailability.periods[k];
    if (!startsDay(periods[k].first, period.from) ||
        !startsDay(periods[k].second, period.to + date::days{1}))
      return odd();
  }
  std::uint16_t hidden = 0;
  for (int d = 0; d < kSummaryDays; ++d) {
    const Day day = firstDay + date::days{d};
    for (const auto& p : place.unavailability.periods)
      if (p.from <= day && day <= p.to) hidden |= static_cast<std::uint16_t>(1u << d);
  }
  return hidden;
}

}  // namespace

// What put() computes of a place before it takes the lock.
struct SearchIndex::Entry {
  std::vector<PackedSlot> kept;
  std::uint8_t types = 0;
  std::int64_t longestOpen = 0;
  std::uint8_t flags = 0;
  Cell::Extra extra;
  Cell::Summary summary;
};

SearchIndex::Entry SearchIndex::entryOf(const SearchPlace& place) const {
  Entry e;
  auto& kept = e.kept;
  kept.reserve(place.occurrences.size());
  for (const auto& o : place.occurrences) {
    // A plage started before the horizon is kept while it is still offered.
    const auto until = offeredUntil(o, std::chrono::seconds{plageCloses_});
    if (until < horizonStart_ || o.start >= horizonEnd_) continue;
    if (!occurrenceVisible(place.unavailability, *place.zone, o.start, o.end)) continue;
    if (!hasRoom(o)) continue;  // full: it leaves the search (docs/rules.md#orientation)
    if (!packable(o, slotBase_)) continue;  // longer than any the rules allow: see PackedSlot
    kept.push_back(pack(o, slotBase_));
    e.types |= o.values.types.bits;
    e.longestOpen = std::max<std::int64_t>(e.longestOpen, (until - o.start).count());
  }
  // By start, then a full order so that equal starts always come out the same way.
  std::sort(kept.begin(), kept.end(), [](const PackedSlot& a, const PackedSlot& b) {
    const auto key = [](const PackedSlot& x) {
      return std::make_tuple(x.since, x.duration, x.typeBits, x.isRange, x.isPulled, x.capacity,
                             x.taken);
    };
    return key(a) < key(b);
  });
  if (place.participates) e.flags |= kParticipates;
  if (place.acceptsContact) e.flags |= kAcceptsContact;
  if (place.unavailability.indefinite) e.flags |= kIndefinite;
  if (!place.unavailability.periods.empty()) e.flags |= kHasPeriods;
  e.extra.text = PackedText(place.text);
  const Day firstDay = localDay(*place.zone, horizonStart_);  // as zoneFirstDays_ holds it
  if (place.unavailability.indefinite || !place.unavailability.periods.empty()) {
    auto away = std::make_unique<Cell::Extra::Away>();
    away->unavailability = place.unavailability;
    for (const auto& p : place.unavailability.periods)
      away->periods.emplace_back(seconds(localToInstant(*place.zone, p.from, 0)),
                                 seconds(localToInstant(*place.zone, p.to + date::days{1}, 0)));
    if (!away->periods.empty())
      e.summary.hiddenDays = hideWholeDays(place, firstDay, away->periods, e.flags);
    e.extra.away = std::move(away);
  }
  // The day summary, here rather than under the lock: its local days are most of put()'s work.
  const std::int64_t base = baseMinute();
  for (const auto& slot : kept) {
    // Counted on its start's day, by the last minute it is offered. A plage offered into another
    // day, or started before the horizon's first day, is not told by the summary: its slots are.
    const auto until = slot.until(slotBase_, plageCloses_);
    const auto minute = (until - base) / 60;
    const Day startDay =
        localDay(*place.zone, Instant{std::chrono::seconds{slot.start(slotBase_)}});
    const auto day = (startDay - firstDay).count();
    if (until % 60 != 0 || minute < 0 || minute + 1 > 0xFFFF || day < 0) e.flags |= kNoSummary;
    if (until != slot.start(slotBase_) &&
        localDay(*place.zone, Instant{std::chrono::seconds{until}}) != startDay)
      e.flags |= kNoSummary;
    if (day < 0 || day >= kSummaryDays) continue;
    const auto d = static_cast<std::size_t>(day);
    e.summary.dayTypes[d] |= slot.types();
    for (std::size_t t = 0; t < kTypeBits.size(); ++t)
      if (slot.types() & kTypeBits[t])
        e.summary.lastUntil[d][t] =
            std::max(e.summary.lastUntil[d][t], static_cast<std::uint16_t>(minute + 1));
  }
  return e;
}

void SearchIndex::put(const SearchPlace& place) {
  if (!place.zone) return;  // a place without a zone cannot say when its days end
  auto entry = entryOf(place);
  std::lock_guard writing(writer_);
  std::unique_lock lock(mutex_);
  putLocked(place, std::move(entry));
}

void SearchIndex::putLocked(const SearchPlace& place, Entry&& e) {
  const auto& kept = e.kept;
  auto flags = e.flags;
  auto& extra = e.extra;
  const auto types = e.types;
  const auto longestOpen = e.longestOpen;
  removeLocked(place.id);
  const auto zone = zoneIndex(place.zone);
  longestOpen_ = std::max(longestOpen_, longestOpen);

  // A latitude past a pole (none is valid) is kept in the last row on its side.
  const auto row = std::clamp<std::int64_t>(cellRow(place.position.latitude), 0, cellRow(90));
  // 180° east is 180° west: kept in the last column, or its key would be the next row's first.
  const auto column =
      std::clamp<std::int64_t>(cellColumn(place.position.longitude), 0, kColumns - 1);
  const auto key = cellKey(row, column);
  // Each square of the grid has two cells, participants then the others: the two walks of a
  // search read one kind each.
  auto [it, added] = cellByKey_.try_emplace(key, cells_.size());
  auto& squares = rows_[static_cast<std::size_t>(row)];
  auto square = std::lower_bound(squares.begin(), squares.end(), column,
                                 [](const Square& sq, std::int64_t c) { return sq.column < c; });
  if (added) {
    for (int kind = 0; kind < 2; ++kind) {
      cells_.push_back(std::make_unique<Cell>());
      cells_.back()->row = row;
      cells_.back()->column = column;
      markStale(*cells_.back());
    }
    square = squares.insert(
        square,
        Square{column, it->second, {}, {cells_[it->second].get(), cells_[it->second + 1].get()}});
  }
  const std::size_t kind = place.participates ? 0 : 1;
  const std::size_t cellIndex = it->second + kind;
  ++square->sizes[kind];
  Cell& cell = *cells_[cellIndex];
  const auto begin = static_cast<std::uint32_t>(cell.slots.size());
  cell.slots.insert(cell.slots.end(), kept.begin(), kept.end());
  markStale(cell);
  cell.append(place.id, place.position, flags, types, zone, begin,
              static_cast<std::uint32_t>(cell.slots.size()), e.summary, std::move(extra));
  where_.set(place.id,
             {static_cast<std::uint32_t>(cellIndex), static_cast<std::uint32_t>(cell.size() - 1)});
  slots_ += kept.size();
}

bool SearchIndex::setTaken(std::int64_t placeId, const Occurrence& occurrence) {
  // Not one the index could hold (outside its horizon): not here.
  if (!packable(occurrence, slotBase_)) return false;
  const auto wanted = pack(occurrence, slotBase_);
  std::lock_guard writing(writer_);
  std::unique_lock lock(mutex_);
  const auto* found = where_.find(placeId);
  if (!found) return false;
  const auto [cellIndex, entry] = *found;
  Cell& cell = *cells_[cellIndex];
  auto* const first = cell.slots.data() + cell.places[entry].slotBegin;
  auto* const last = cell.slots.data() + cell.places[entry].slotEnd;
  const auto same = [&](const PackedSlot& s) { return s.sameAs(wanted); };
  auto* const slot = std::find_if(first, last, same);
  // Not here (hidden, or not put yet), or two alike that cannot be told apart: read it again.
  if (slot == last || std::find_if(slot + 1, last, same) != last) return false;
  if (hasRoom(occurrence)) {
    // Orientations only raise it (a cancellation reads the place again): two told out of
    // order keep the higher.
    slot->taken = std::max<std::uint64_t>(slot->taken, wanted.taken);
    return true;
  }
  // Full: it leaves the search, and the place's summary is made again from what remains.
  auto place = placeLocked(cell, entry);
  std::erase_if(place.occurrences, [&](const Occurrence& o) {
    return packable(o, slotBase_) && same(pack(o, slotBase_));
  });
  putLocked(place, entryOf(place));
  // Its cell's counts at once, rather than prepare()'s walk over every cell.
  Cell& changed = *cells_[where_.find(placeId)->cell];
  if (changed.take(changed.countsNow())) reindex(changed);
  return true;
}

void SearchIndex::reindex(const Cell& cell) {
  for (std::size_t k = 0; k < cell.places.size(); ++k)
    where_.find(cell.places[k].id)->entry = static_cast<std::uint32_t>(k);
}

SearchPlace SearchIndex::placeLocked(const Cell& cell, std::size_t i) const {
  const Cell::Place& kept = cell.places[i];
  SearchPlace p;
  p.id = kept.id;
  p.position = {kept.latitude, kept.longitude};
  p.zone = zones_[kept.zone];
  p.participates = kept.flags & kParticipates;
  p.acceptsContact = kept.flags & kAcceptsContact;
  p.unavailability = cell.extras[i].unavailability();
  p.text = cell.extras[i].text.view();
  for (auto k = kept.slotBegin; k < kept.slotEnd; ++k) {
    const auto& s = cell.slots[k];
    Occurrence o;
    const auto slot = unpack(s, slotBase_);
    o.start = slot.start;
    o.end = slot.end;
    o.values.kind = slot.kind;
    o.values.capacity = slot.capacity;
    o.values.types = slot.types;
    o.taken = slot.taken;
    o.publisher = slot.publisher;
    p.occurrences.push_back(o);
  }
  return p;
}

void SearchIndex::remove(std::int64_t placeId) {
  std::lock_guard writing(writer_);
  std::unique_lock lock(mutex_);
  removeLocked(placeId);
}

void SearchIndex::removeLocked(std::int64_t placeId) {
  const auto* found = where_.find(placeId);
  if (!found) return;
  const auto [cellIndex, entry] = *found;
  where_.erase(placeId);
  Cell& cell = *cells_[cellIndex];
  const auto begin = cell.places[entry].slotBegin;
  const auto end = cell.places[entry].slotEnd;
  const auto count = end - begin;
  cell.slots.erase(cell.slots.begin() + begin, cell.slots.begin() + end);
  for (auto& p : cell.places)
    if (p.slotBegin >= end) {
      p.slotBegin -= count;
      p.slotEnd -= count;
    }
  slots_ -= count;
  markStale(cell);
  cell.swapRemove(entry);
  auto& squares = rows_[static_cast<std::size_t>(cell.row)];
  const auto square =
      std::lower_bound(squares.begin(), squares.end(), cell.column,
                       [](const Square& sq, std::int64_t c) { return sq.column < c; });
  --square->sizes[cellIndex - square->cell];
  if (entry < cell.size()) where_.set(cell.places[entry].id, {cellIndex, entry});
}

void SearchIndex::markStale(Cell& cell) {
  cell.countsValid = false;
  if (!cell.listedStale) {
    cell.listedStale = true;
    stale_.push_back(&cell);
  }
}

void SearchIndex::prepare() {
  // The counts are made while searches go on (a shared hold: only writers, kept out by
  // writer_, change cells), then put in place under a short exclusive hold: a publisher's pull
  // changes thousands of cells at once, whose counting would otherwise stop every search. Only
  // the cells changed since the last call: a change of one place costs its own cells, not a
  // walk over the country's, so that the job can make them current after each place.
  std::lock_guard writing(writer_);
  if (stale_.empty()) return;
  std::vector<std::pair<Cell*, Cell::Counted>> made;
  made.reserve(stale_.size());
  {
    std::shared_lock lock(mutex_);
    for (Cell* cell : stale_) made.emplace_back(cell, cell->countsNow());
  }
  std::unique_lock lock(mutex_);
  for (auto& [cell, counted] : made) {
    if (cell->take(std::move(counted))) reindex(*cell);
    cell->listedStale = false;
  }
  stale_.clear();
}

void SearchIndex::shrinkToFit() {
  std::lock_guard writing(writer_);
  std::unique_lock lock(mutex_);
  for (auto& cell : cells_) cell->shrink();
  where_.shrinkToFit();
}

std::size_t SearchIndex::staleCellCount() const {
  std::shared_lock lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(cells_.begin(), cells_.end(), [](const auto& c) { return !c->countsValid; }));
}

std::size_t SearchIndex::placeCount() const {
  std::shared_lock lock(mutex_);
  return where_.size();
}

std::size_t SearchIndex::slotCount() const {
  std::shared_lock lock(mutex_);
  return slots_;
}

namespace {

// What one search asks of each place's slots.
class SlotFilter {
 public:
  SlotFilter(const SearchQuery& q, const std::vector<const date::time_zone*>& zones,
             const std::vector<Day>& firstDays, std::int64_t baseMinute, std::int64_t slotBase,
             std::int64_t plageCloses, std::int64_t longestOpen)
      : zones_(zones),
        firstDays_(firstDays),
        now_(seconds(q.now)),
        base_(slotBase),
        plageCloses_(plageCloses),
        longestOpen_(longestOpen),
        // The first whole minute at or after now, counted like the day summaries (+1).
        nowMark_((now_ - baseMinute + 59) / 60 + 1),
        types_(q.types.bits),
        days_(zones.size()) {
    for (const auto& r : q.within)
      ranges_.push_back({now_ + r.fromHours * 3600LL, now_ + r.toHours * 3600LL});
  }

  std::int64_t end(std::uint16_t zone) { return know(zone).end; }

  /// Today's local day in `zone`, counted from the horizon's first.
  long today(std::uint16_t zone) { return know(zone).today; }
  std::int64_t nowMark() const { return nowMark_; }
  std::uint8_t types() const { return types_; }
  bool plain() const { return ranges_.empty(); }

  bool wantsTypes(std::uint8_t placeTypes) const { return types_ == 0 || (placeTypes & types_); }

  bool matches(const PackedSlot& s) const {
    if (types_ != 0 && !(s.types() & types_)) return false;
    if (ranges_.empty()) return true;
    for (const auto& [from, to] : ranges_)
      if (s.start(base_) < to && s.end(base_) > from) return true;
    return false;
  }

  /// The first slot of [first, last) that may still be offered: none that starts before
  /// now − the longest time any slot stays offered after its start is.
  const PackedSlot* firstOffered(const PackedSlot* first, const PackedSlot* last) const {
    return std::partition_point(
        first, last, [&](const PackedSlot& s) { return s.start(base_) < now_ - longestOpen_; });
  }
  bool offered(const PackedSlot& s) const { return s.until(base_, plageCloses_) >= now_; }
  std::int64_t base() const { return base_; }

  /// Whether place `i` of the cell has a matching slot in the window: from its day summary
  /// when it can tell (no « Disponible sous »), else from its slots.
  bool available(const SearchIndex::Cell& cell, std::size_t i) {
    const auto& p = cell.places[i];
    if (!wantsTypes(p.types)) return false;
    const auto zone = p.zone;
    const auto& day = know(zone);
    const auto today = day.today;
    if (ranges_.empty() && !(p.flags & kNoSummary) && today >= 0 && today + 2 < kSummaryDays) {
      const auto d = static_cast<std::size_t>(today);
      const std::uint8_t wanted = types_ == 0 ? 7 : types_;
      if ((p.dayTypes[d + 1] | p.dayTypes[d + 2]) & wanted) return true;
      if (!(p.dayTypes[d] & wanted)) return false;
      for (std::size_t t = 0; t < kTypeBits.size(); ++t)
        if ((wanted & kTypeBits[t]) && p.lastUntil[d][t] >= nowMark_) return true;
      return false;
    }
    const PackedSlot* first = cell.slots.data() + p.slotBegin;
    const PackedSlot* last = cell.slots.data() + p.slotEnd;
    const auto windowEnd = day.end;
    for (auto* s = firstOffered(first, last); s != last && s->start(base_) < windowEnd; ++s)
      if (offered(*s) && matches(*s)) return true;
    return false;
  }

 private:
  // Today's local day in a zone and the window's end there, learnt at the zone's first place.
  struct ZoneDay {
    bool known = false;
    long today = 0;
    std::int64_t end = 0;
  };
  const ZoneDay& know(std::uint16_t zone) {
    auto& day = days_[zone];
    if (!day.known) [[unlikely]]
      learn(zone, day);
    return day;
  }
  [[gnu::noinline]] void learn(std::uint16_t zone, ZoneDay& day) const {
    const Instant now{std::chrono::seconds{now_}};
    day.end = seconds(windowEnd(*zones_[zone], now));
    day.today = (localDay(*zones_[zone], now) - firstDays_[zone]).count();
    day.known = true;
  }

  const std::vector<const date::time_zone*>& zones_;
  const std::vector<Day>& firstDays_;
  std::int64_t now_;
  std::int64_t base_;  // of the index's slots
  std::int64_t plageCloses_;
  std::int64_t longestOpen_;
  std::int64_t nowMark_;
  std::uint8_t types_;
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges_;
  std::vector<ZoneDay> days_;
};

struct Candidate {
  std::uint8_t group;
  bool exact;
  double distance;  // approximate until `exact`
  std::uint64_t draw;
  std::int64_t id;
  const SearchIndex::Cell* cell;
  std::uint32_t entry;
};

bool byDraw(const Candidate& a, const Candidate& b) {
  if (a.group != b.group) return a.group < b.group;
  if (a.draw != b.draw) return a.draw < b.draw;
  return a.id < b.id;
}

bool byDistance(const Candidate& a, const Candidate& b) {
  if (a.group != b.group) return a.group < b.group;
  if (a.distance != b.distance) return a.distance < b.distance;
  return a.id < b.id;
}

bool inAPeriod(const SearchIndex::Cell::Extra& extra, std::int64_t t) {
  if (!extra.away) return false;
  for (const auto& [from, to] : extra.away->periods)
    if (from <= t && t < to) return true;
  return false;
}

// The approximate distances within which a candidate may still be before `d` once geodesics
// are known (|approximate − geodesic| ≤ ε · approximate).
double reach(double d) {
  const double error = DistanceProbe::relativeError(d * 1.01 + 1);
  return d * (1 + error) / (1 - error) + 1e-6;
}

// The nearest and farthest approximate distances of a cell's points from the centre, with a
// margin for what the flat formula does not see across a whole cell.
struct CellReach {
  double nearest;
  double farthest;
};

// The half latitudes of a row's edges and of the centre, computed once per search rather than
// once per cell (each is a sine and a cosine).
struct RowEdges {
  DistanceProbe::HalfLatitude low;
  DistanceProbe::HalfLatitude high;
};

// Every row's, from the South Pole to the North: made once, each search reads its rows'.
const std::vector<RowEdges>& allRowEdges() {
  static const std::vector<RowEdges> edges = [] {
    std::vector<RowEdges> made;
    for (std::int64_t row = 0; row <= cellRow(90); ++row) {
      const double low = rowLatitude(row);
      made.push_back(
          {DistanceProbe::halfLatitude(low), DistanceProbe::halfLatitude(low + kCellDegrees)});
    }
    return made;
  }();
  return edges;
}

// The approximate distance from the centre to the nearest point of a box (a cell, or a
// sub-square of one) whose southern and northern edges have the half latitudes `edges`, less a
// margin for what the flat formula does not see across the box.
double boxNearest(const DistanceProbe& probe, DistanceProbe::HalfLatitude centreHalf,
                  const RowEdges& edges, double latLow, double latHigh, double lonLow,
                  double lonHigh) {
  const GeoPoint c = probe.centre();
  const auto& half = c.latitude <= latLow    ? edges.low
                     : c.latitude >= latHigh ? edges.high
                                             : centreHalf;
  const double squared = probe.approximateSquared(
      {std::clamp(c.latitude, latLow, latHigh), std::clamp(c.longitude, lonLow, lonHigh)}, half);
  return std::max(0.0, std::sqrt(squared) * 0.999 - 1);
}

CellReach cellReach(const DistanceProbe& probe, DistanceProbe::HalfLatitude centreHalf,
                    const RowEdges& edges, std::int64_t row, std::int64_t column) {
  const double latLow = rowLatitude(row), latHigh = latLow + kCellDegrees;
  const double lonLow = columnLongitude(column), lonHigh = lonLow + kCellDegrees;
  double farthest = 0;
  for (double lon : {lonLow, lonHigh})
    farthest = std::max({farthest, probe.approximateSquared({latLow, lon}, edges.low),
                         probe.approximateSquared({latHigh, lon}, edges.high)});
  return {boxNearest(probe, centreHalf, edges, latLow, latHigh, lonLow, lonHigh),
          std::sqrt(farthest) * 1.001 + 1};
}

}  // namespace

// One search's walk over the grid: the question, what follows from it (the circle's box in
// cells, the distance bounds, the filter), the candidates for the page and the answer being
// counted. Best first: rings of cells outward from the centre's, participants and the others as
// two walks over the same rings (run); a cell is read for the page while it may still hold a
// place better than the worst kept (pageWants), else only counted, and not even that once the
// count passed its cut-off.
struct SearchIndex::Walk {
  Walk(const SearchIndex& index, const SearchQuery& q, SearchAnswer& answer, double radius);
  /// Counts the places of the circle (up to the cut-off) and keeps the page's candidates.
  void run();
  /// The answer's hits: the candidates kept, in order, [offset, offset + limit).
  void writePage();

 private:
  struct RingSquare {
    const Square* square;
    CellReach reach;
  };
  // A search's working vectors, kept by each thread from one search to the next.
  struct Buffers {
    std::vector<const std::vector<Square>*> rowSquares;
    std::vector<Candidate> heap;
    std::vector<Candidate> aside;
    std::vector<std::pair<std::size_t, std::size_t>> taken;
    std::vector<RingSquare> ring;
    std::vector<std::pair<double, std::size_t>> subs;
  };
  static Buffers& buffers() {
    thread_local Buffers b;
    return b;
  }
  static constexpr std::size_t kNoEntry = ~std::size_t{0};

  /// A geodesic lower bound on the distance to any point of a cell r rings away or more: it is
  /// r − 1 whole cells away in latitude (the meridian is the shortest way between parallels) or
  /// in longitude (at least the chord between two meridians at the box's extreme latitude).
  double ringFloor(std::int64_t r) const {
    if (r <= 1) return 0.0;
    const double degrees = static_cast<double>(r - 1) * kCellDegrees;
    return std::min(degrees * kMetresPerDegreeMin,
                    2 * parallelRadius_ * std::sin(degrees * kPi / 360)) *
           0.9999;
  }
  void keepAside(const Candidate& c, const Candidate& top) {
    if (!random_ && c.group == top.group && c.distance <= reach(top.distance))
      buf_.aside.push_back(c);
  }
  /// Whether the page may still take a place of `kind` (0 participants, 1 the others) that is
  /// at least `nearest` away: a participant's best group is 0 (with availabilities), the
  /// others' 1; a better group always enters, the same one only within reach of the worst kept.
  bool pageWants(std::uint8_t kind, double nearest) const {
    if (wanted_ == 0) return false;
    if (random_ || buf_.heap.size() < wanted_) return true;
    const Candidate& top = buf_.heap.front();
    if (kind != top.group) return kind < top.group;
    return nearest <= reach(top.distance);
  }
  /// Past the cut-off, a cell that can only be counted is not visited. Places with
  /// availabilities must pass it too, so that a bounded `available` never asks to widen.
  bool countedEnough() const {
    return answer_.total > q_.countLimit && answer_.available > q_.countLimit;
  }
  /// The entry of a cell's counts for today and the types asked (Cell::Counts), if it has one.
  std::size_t countsEntry(const Cell& cell) {
    if (!cell.countsValid) return kNoEntry;
    const auto today = filter_.today(cell.counts.zone);
    if (today < 0 || today + 2 >= kSummaryDays) return kNoEntry;
    return static_cast<std::size_t>(today) * 8 + typesAsked_;
  }
  /// The half latitudes of a divided cell's sub-rows' edges, south to north, each from the one
  /// below by a rotation of half a sub-square's height: a sine and a cosine for all searches,
  /// not one for each sub-row.
  std::array<DistanceProbe::HalfLatitude, kSubdivisions + 1> subRowEdges(const Cell& cell) const {
    static const DistanceProbe::HalfLatitude subStep = DistanceProbe::halfLatitude(kSubDegrees);
    std::array<DistanceProbe::HalfLatitude, kSubdivisions + 1> edges;
    edges[0] = rowEdges_[static_cast<std::size_t>(cell.row)].low;
    for (std::size_t j = 1; j < edges.size(); ++j)
      edges[j] = {edges[j - 1].sine * subStep.cosine + edges[j - 1].cosine * subStep.sine,
                  edges[j - 1].cosine * subStep.cosine - edges[j - 1].sine * subStep.sine};
    return edges;
  }
  /// How many of the cell's places but the special ones are available, from its counts' entry.
  std::size_t availableByCounts(const Cell& cell, std::size_t e) const {
    const auto& entry = cell.counts.entries[e];
    const auto* first = cell.counts.lasts.data() + entry.begin;
    const auto* last = cell.counts.lasts.data() + cell.counts.entries[e + 1].begin;
    return entry.later +
           static_cast<std::size_t>(
               last - std::lower_bound(first, last,
                                       static_cast<std::uint16_t>(
                                           std::min<std::int64_t>(filter_.nowMark(), 0xFFFF))));
  }
  /// Whether the periods of place i of the cell hide it now: by its record's days where they
  /// tell (Summary::hiddenDays), else by the periods' instants.
  bool hiddenNow(const Cell& cell, std::size_t i) {
    const auto& p = cell.places[i];
    if (!(p.flags & kHasPeriods)) return false;
    if (!(p.flags & kOddPeriods)) {
      const auto today = filter_.today(p.zone);
      if (today >= 0 && today < kSummaryDays) return ((p.hiddenDays >> today) & 1) != 0;
    }
    return inAPeriod(cell.extras[i], nowSeconds_);
  }

  void consider(const Cell& cell, std::size_t i, bool inside, bool count, bool page,
                bool within = false);
  void visit(const Cell& cell, std::uint8_t kind, const CellReach& bounds, bool countOnly);
  void countAcrossTheEdgeBySubSquares(const Cell& cell);
  void pageBySubSquares(const Cell& cell, std::uint8_t kind, bool inside, bool counted);
  void gather(std::int64_t r, std::vector<RingSquare>& out);
  void take(std::int64_t row, const Square& sq, std::vector<RingSquare>& out) const;
  void open(std::int64_t row, std::int64_t left, std::int64_t right, std::vector<RingSquare>& out);

  const SearchIndex& index_;
  const SearchQuery& q_;
  SearchAnswer& answer_;
  Buffers& buf_;
  const double radius_;
  const DistanceProbe probe_;
  const bool random_;
  bool (*const before_)(const Candidate&, const Candidate&);
  const std::size_t wanted_;
  const bool beyond_;
  SlotFilter filter_;
  const std::int64_t nowSeconds_;
  // The circle's bounding box in cells.
  const double dLat_, latLow_, latHigh_, extremeLat_, dLon_, lonLow_, lonHigh_;
  const double edgeError_;
  // Approximate distances beyond this are outside, within that inside (squared).
  const double outsideSquared_, insideSquared_;
  // No row beyond the poles: none holds a place, and each row's edges are kept (allRowEdges).
  const std::int64_t rowLow_, rowHigh_, columnLow_, columnHigh_, row0_, column0_, rings_;
  const double parallelRadius_;
  const DistanceProbe::HalfLatitude centreHalf_;
  const std::vector<RowEdges>& rowEdges_;
  const double outside_;
  // Counts per cell serve plain searches only (see Cell::Counts).
  const bool plainCounting_;
  const std::uint8_t typesAsked_;
};

SearchIndex::Walk::Walk(const SearchIndex& index, const SearchQuery& q, SearchAnswer& answer,
                        double radius)
    : index_(index),
      q_(q),
      answer_(answer),
      buf_(buffers()),
      radius_(radius),
      probe_(q.centre),
      random_(q.order == SearchOrder::Random),
      before_(random_ ? byDraw : byDistance),
      wanted_(q.offset + q.limit),
      beyond_(q.mode == SearchMode::BeyondAvailabilities),
      filter_(q, index.zones_, index.zoneFirstDays_, index.baseMinute(), index.slotBase_,
              index.plageCloses_, index.longestOpen_),
      nowSeconds_(seconds(q.now)),
      dLat_(radius / kMetresPerDegreeMin * 1.001 + 1e-9),
      latLow_(q.centre.latitude - dLat_),
      latHigh_(q.centre.latitude + dLat_),
      extremeLat_(std::min(89.0, std::max(std::abs(latLow_), std::abs(latHigh_)))),
      dLon_(radius / (kMetresPerDegreeLon * std::cos(extremeLat_ * kPi / 180)) * 1.001 + 1e-9),
      lonLow_(q.centre.longitude - dLon_),
      lonHigh_(q.centre.longitude + dLon_),
      edgeError_(DistanceProbe::relativeError(radius * 1.5)),
      outsideSquared_(std::pow(radius / (1 - edgeError_), 2)),
      insideSquared_(std::pow(radius / (1 + edgeError_), 2)),
      rowLow_(std::max<std::int64_t>(0, cellRow(latLow_))),
      rowHigh_(std::min(cellRow(90), cellRow(latHigh_))),
      columnLow_(cellColumn(lonLow_)),
      columnHigh_(cellColumn(lonHigh_)),
      row0_(cellRow(q.centre.latitude)),
      column0_(cellColumn(q.centre.longitude)),
      rings_(std::max({row0_ - rowLow_, rowHigh_ - row0_, column0_ - columnLow_,
                       columnHigh_ - column0_, std::int64_t{0}})),
      parallelRadius_(kEquatorialRadius *
                      std::cos(std::min(90.0, extremeLat_ + kCellDegrees) * kPi / 180)),
      centreHalf_(DistanceProbe::halfLatitude(q.centre.latitude)),
      rowEdges_(allRowEdges()),
      outside_(radius * (1 + edgeError_)),
      plainCounting_(!beyond_ && q.words.empty() && filter_.plain()),
      typesAsked_(filter_.types() == 0 ? 7 : filter_.types()) {
  buf_.rowSquares.clear();
  for (auto row = rowLow_; row <= rowHigh_; ++row)
    buf_.rowSquares.push_back(&index.rows_[static_cast<std::size_t>(row)]);
  // The best `wanted` by approximate distance (or draw) in a heap whose top is the worst of
  // them; by distance, those that miss it narrowly are kept aside, since geodesics may yet put
  // them in (SearchIndexProperty checks this against a plain scan).
  buf_.heap.clear();
  buf_.aside.clear();
}

// Counts place i of the cell when `count`, offers it to the page when `page`. `inside`: the
// cell lies wholly inside the circle; `within`: the caller knows the place does (its
// sub-square does).
void SearchIndex::Walk::consider(const Cell& cell, std::size_t i, bool inside, bool count,
                                 bool page, bool within) {
  const Cell::Place& place = cell.places[i];
  const auto flags = place.flags;
  if (flags & kIndefinite) return;
  if (beyond_ && !(flags & kAcceptsContact)) return;
  if (!beyond_ && !filter_.wantsTypes(place.types)) return;
  double squared = -1;  // of the approximate distance, once computed
  double distance = 0;
  bool exact = false;
  if (!inside && !within) {
    const GeoPoint position{place.latitude, place.longitude};
    squared = probe_.approximateSquared(position, place.half);
    if (squared > outsideSquared_) return;
    if (squared > insideSquared_) {  // too near the edge to tell: the geodesic
      distance = probe_.geodesic(position, place.half);
      exact = true;
      if (distance > radius_) return;
    }
  }
  if ((flags & kHasPeriods) && hiddenNow(cell, i)) return;
  if (!q_.words.empty() && !matchesWords(q_.words, cell.extras[i].text.view())) return;
  const bool available = filter_.available(cell, i);
  if (!available && !beyond_) return;

  if (count) {
    ++answer_.total;
    if (available) ++answer_.available;
  }
  if (!page) return;
  if (!exact)
    distance = squared >= 0 ? std::sqrt(squared)
                            : probe_.approximate({place.latitude, place.longitude}, place.half);
  const bool participates = flags & kParticipates;
  const Candidate c{static_cast<std::uint8_t>((available ? 0 : 2) + (participates ? 0 : 1)),
                    exact,
                    distance,
                    random_ ? drawKey(q_.seed, place.id) : 0,
                    place.id,
                    &cell,
                    static_cast<std::uint32_t>(i)};
  auto& heap = buf_.heap;
  if (heap.size() < wanted_) {
    heap.push_back(c);
    std::push_heap(heap.begin(), heap.end(), before_);
  } else if (before_(c, heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), before_);
    const Candidate evicted = heap.back();
    heap.back() = c;
    std::push_heap(heap.begin(), heap.end(), before_);
    keepAside(evicted, evicted);
  } else {
    keepAside(c, heap.front());
  }
}

void SearchIndex::Walk::visit(const Cell& cell, std::uint8_t kind, const CellReach& bounds,
                              bool countOnly) {
  // Wholly inside the circle: no distance to check.
  const bool inside = bounds.farthest * (1 + edgeError_) < radius_;
  // Plain counting of a cell wholly inside: its counts say how many of its places are
  // available but the special ones, looked at one by one.
  bool counted = false;
  if (inside && plainCounting_) {
    if (const auto e = countsEntry(cell); e != kNoEntry) {
      const auto n = availableByCounts(cell, e);
      answer_.total += n;  // all available: plain counting is the availabilities mode
      answer_.available += n;
      counted = true;
    }
  }
  if (counted && countOnly) {
    for (auto i : cell.counts.special) consider(cell, i, inside, true, false);
    return;
  }
  if (countOnly && !inside && cell.countsValid && !cell.counts.subBegin.empty())
    return countAcrossTheEdgeBySubSquares(cell);
  // Only counted, or not divided: every place, in the order they are kept.
  if (countOnly || !cell.countsValid || cell.counts.subBegin.empty()) {
    for (std::size_t i = 0; i < cell.size(); ++i) {
      if (!counted) {
        consider(cell, i, inside, true, !countOnly);
        if (countOnly && countedEnough()) return;
      } else {
        // The counts counted it, unless special: the page only.
        consider(cell, i, inside, Cell::special(cell.places[i], cell.counts.zone), true);
      }
    }
    return;
  }
  // Divided: the special places, then the sub-squares nearest first.
  for (auto i : cell.counts.special) consider(cell, i, inside, true, true);
  pageBySubSquares(cell, kind, inside, counted);
}

// Only counted, across the circle's edge, divided (a dense town's cell): by sub-squares, none of
// those wholly outside read, no distance for those wholly inside; each sub-row's extent from its
// edges (DistanceProbe::parallel), not each sub-square's corners.
void SearchIndex::Walk::countAcrossTheEdgeBySubSquares(const Cell& cell) {
  for (auto i : cell.counts.special) {
    consider(cell, i, false, true, false);
    if (countedEnough()) return;
  }
  const double cellLow = rowLatitude(cell.row);
  const double cellWest = columnLongitude(cell.column);
  // Each sub-column's longitude differences from the centre, west and east edges.
  std::array<double, kSubdivisions + 1> west;
  for (std::size_t c = 0; c < west.size(); ++c)
    west[c] = probe_.longitudeDifference(cellWest + static_cast<double>(c) * kSubDegrees);
  const auto edges = subRowEdges(cell);
  auto low = probe_.parallel(cellLow, edges[0]);
  // Each sub-square's side: 0 wholly inside, 1 across the edge, 2 wholly outside.
  std::array<std::uint8_t, kSubdivisions * kSubdivisions> side{};
  std::size_t insidePlaces = 0, outsidePlaces = 0;
  const double centreLatitude = q_.centre.latitude;
  for (std::size_t j = 0; j < static_cast<std::size_t>(kSubdivisions); ++j) {
    const double bandLow = cellLow + static_cast<double>(j) * kSubDegrees;
    const double bandHigh = bandLow + kSubDegrees;
    const auto high = probe_.parallel(bandHigh, edges[j + 1]);
    // Both vary monotonically across a band this narrow; the margins below cover the rest.
    const double eastMost = std::max(low.east, high.east);
    const double eastLeast = std::min(low.east, high.east);
    const double northMost = std::max(low.northSquared, high.northSquared);
    const bool straddles = bandLow <= centreLatitude && centreLatitude <= bandHigh;
    const double northLeast = straddles ? 0 : std::min(low.northSquared, high.northSquared);
    for (std::size_t c = 0; c < static_cast<std::size_t>(kSubdivisions); ++c) {
      const auto k = j * static_cast<std::size_t>(kSubdivisions) + c;
      const auto places = cell.counts.subBegin[k + 1] - cell.counts.subBegin[k];
      const double a = west[c], b = west[c + 1];
      // A sub-square across the antimeridian's opposite (b < a) is read place by place.
      const bool ordered = a < b;
      const double farthest = std::max(std::abs(a), std::abs(b));
      const double nearest = a <= 0 && 0 <= b ? 0 : std::min(std::abs(a), std::abs(b));
      const double most = eastMost * farthest * (eastMost * farthest) + northMost;
      const double least = eastLeast * nearest * (eastLeast * nearest) + northLeast;
      if (ordered && least > outsideSquared_ * (1 + 1e-6)) {
        side[k] = 2;
        outsidePlaces += places;
      } else if (ordered && most < insideSquared_ * (1 - 1e-6)) {
        insidePlaces += places;
      } else {
        side[k] = 1;
      }
    }
    low = high;
  }
  // A plain search may count the inside ones as the cell's counts less the others, when fewer
  // places lie outside than inside: the outside ones are then read, not the inside.
  const auto e = plainCounting_ ? countsEntry(cell) : kNoEntry;
  const bool byComplement = e != kNoEntry && outsidePlaces < insidePlaces;
  std::size_t inside = byComplement ? availableByCounts(cell, e) : 0;
  for (std::size_t k = 0; k < side.size(); ++k) {
    const auto begin = cell.counts.subBegin[k], end = cell.counts.subBegin[k + 1];
    if (side[k] == 0) {
      if (byComplement) continue;
      for (auto o = begin; o < end; ++o) {
        consider(cell, o, false, true, false, true);
        if (countedEnough()) return;
      }
      continue;
    }
    // Those the counts counted: available, and not hidden now (Summary::hiddenDays).
    if (byComplement)
      for (auto o = begin; o < end; ++o)
        inside -= filter_.available(cell, o) && !hiddenNow(cell, o) ? 1 : 0;
    if (side[k] == 2) continue;
    for (auto o = begin; o < end; ++o) {
      consider(cell, o, false, true, false);
      if (countedEnough()) return;
    }
  }
  answer_.total += inside;  // plain counting: all available
  answer_.available += inside;
}

// For the page, a divided cell (Cell::Counts::subBegin): its sub-squares nearest first; none
// wholly outside the circle, and none the page no longer wants once the cell is counted (by its
// counts, `counted`, or enough). `inside`: the cell lies wholly inside the circle.
void SearchIndex::Walk::pageBySubSquares(const Cell& cell, std::uint8_t kind, bool inside,
                                         bool counted) {
  auto& subs = buf_.subs;
  subs.clear();
  const auto edges = subRowEdges(cell);
  const double cellLow = rowLatitude(cell.row);
  const double cellWest = columnLongitude(cell.column);
  for (std::size_t k = 0; k + 1 < cell.counts.subBegin.size(); ++k) {
    if (cell.counts.subBegin[k] == cell.counts.subBegin[k + 1]) continue;
    const auto j = k / static_cast<std::size_t>(kSubdivisions);
    const double latLow = cellLow + static_cast<double>(j) * kSubDegrees;
    const double lonLow =
        cellWest + static_cast<double>(k % static_cast<std::size_t>(kSubdivisions)) * kSubDegrees;
    subs.emplace_back(boxNearest(probe_, centreHalf_, {edges[j], edges[j + 1]}, latLow,
                                 latLow + kSubDegrees, lonLow, lonLow + kSubDegrees),
                      k);
  }
  std::sort(subs.begin(), subs.end());
  for (const auto& [nearest, k] : subs) {
    if (nearest > outside_) return;
    const bool page = pageWants(kind, nearest);
    if (!page && (counted || countedEnough())) return;
    for (auto o = cell.counts.subBegin[k]; o < cell.counts.subBegin[k + 1]; ++o) {
      consider(cell, o, inside, !counted, page);
      if (!page && countedEnough()) return;
    }
  }
}

// Square `sq` of `row` for the ring being gathered, unless empty or wholly outside the circle;
// its cells asked for at once.
void SearchIndex::Walk::take(std::int64_t row, const Square& sq,
                             std::vector<RingSquare>& out) const {
  if (sq.sizes[0] == 0 && sq.sizes[1] == 0) return;
  const auto cr =
      cellReach(probe_, centreHalf_, rowEdges_[static_cast<std::size_t>(row)], row, sq.column);
  if (cr.nearest > outside_) return;
  for (std::uint8_t kind = 0; kind < 2; ++kind)
    if (sq.sizes[kind] != 0) {
      const auto* cell = reinterpret_cast<const char*>(sq.cells[kind]);
      __builtin_prefetch(cell);
      __builtin_prefetch(cell + 64);
    }
  out.push_back({&sq, cr});
}

// The squares of `row` from column `left` to `right`, clipped to the box; they are then the
// row's squares taken so far (Buffers::taken).
void SearchIndex::Walk::open(std::int64_t row, std::int64_t left, std::int64_t right,
                             std::vector<RingSquare>& out) {
  if (row < rowLow_ || row > rowHigh_) return;
  const auto& squares = *buf_.rowSquares[static_cast<std::size_t>(row - rowLow_)];
  const auto from = std::max(left, columnLow_), to = std::min(right, columnHigh_);
  auto i = static_cast<std::size_t>(
      std::lower_bound(squares.begin(), squares.end(), from,
                       [](const Square& x, std::int64_t c) { return x.column < c; }) -
      squares.begin());
  auto& [first, last] = buf_.taken[static_cast<std::size_t>(row - rowLow_)];
  first = i;
  for (; i < squares.size() && squares[i].column <= to; ++i) take(row, squares[i], out);
  last = i;
}

// The squares of ring r that may hold a place of the circle. Each row's squares taken so far are
// [from, to) of its vector: a row is opened by the ring whose top or bottom it is (a binary
// search), then each ring after takes at most the square before `from` and the one at `to`,
// without searching the row again.
void SearchIndex::Walk::gather(std::int64_t r, std::vector<RingSquare>& out) {
  out.clear();
  const std::int64_t top = row0_ - r, bottom = row0_ + r, left = column0_ - r, right = column0_ + r;
  if (r == 0) return open(row0_, left, right, out);
  open(top, left, right, out);
  open(bottom, left, right, out);
  for (auto row = std::max(top + 1, rowLow_); row <= std::min(bottom - 1, rowHigh_); ++row) {
    const auto& squares = *buf_.rowSquares[static_cast<std::size_t>(row - rowLow_)];
    auto& [first, last] = buf_.taken[static_cast<std::size_t>(row - rowLow_)];
    if (left >= columnLow_ && first > 0 && squares[first - 1].column == left)
      take(row, squares[--first], out);
    if (right <= columnHigh_ && last < squares.size() && squares[last].column == right)
      take(row, squares[last++], out);
  }
}

void SearchIndex::Walk::run() {
  buf_.taken.assign(static_cast<std::size_t>(rowHigh_ - rowLow_ + 1), {0, 0});
  // No cell of a ring whose floor is beyond the circle, or beyond what both walks still want
  // once counted enough, is looked at: the walk ends there. The walk waited on memory most of
  // its time, a cell after the other: a ring's cells are asked for together (gather), then the
  // lines each one's reading starts with, then read. (Asking for the next ring's while this one
  // is read was tried: no faster.)
  auto& ring = buf_.ring;
  for (std::int64_t r = 0; r <= rings_; ++r) {
    const double floor = ringFloor(r);
    if (floor > radius_) break;
    if (countedEnough() && !pageWants(0, floor) && !pageWants(1, floor)) break;
    gather(r, ring);
    for (const auto& [sq, cr] : ring)
      for (std::uint8_t kind = 0; kind < 2; ++kind)
        if (sq->sizes[kind] != 0) {
          const Cell& cell = *sq->cells[kind];
          __builtin_prefetch(cell.places.data());
          if (const auto e = countsEntry(cell); e != kNoEntry)
            __builtin_prefetch(&cell.counts.entries[e]);
        }
    for (const auto& [sq, cr] : ring)
      for (std::uint8_t kind = 0; kind < 2; ++kind) {
        if (sq->sizes[kind] == 0) continue;
        const bool page = pageWants(kind, cr.nearest);
        if (!page && countedEnough()) continue;
        visit(*sq->cells[kind], kind, cr, !page);
      }
  }
}

void SearchIndex::Walk::writePage() {
  const auto& heap = buf_.heap;
  std::vector<Candidate> page(heap.begin(), heap.end());
  if (!random_ && !heap.empty()) {
    const Candidate& pivot = heap.front();  // the worst kept: the last that may be wanted
    for (const auto& c : buf_.aside)
      if (c.group == pivot.group && c.distance <= reach(pivot.distance)) page.push_back(c);
  }
  // The page's slots, read below and scattered in memory, asked for now: they arrive while the
  // geodesics are computed.
  for (const auto& c : page) {
    const auto& p = c.cell->places[c.entry];
    const char* first = reinterpret_cast<const char*>(c.cell->slots.data() + p.slotBegin);
    const char* last = reinterpret_cast<const char*>(c.cell->slots.data() + p.slotEnd);
    for (const char* line = first; line < last; line += 64) __builtin_prefetch(line);
  }
  if (!random_ && !heap.empty()) {
    for (auto& c : page)
      if (!c.exact) {
        const auto& p = c.cell->places[c.entry];
        c.distance = probe_.geodesic({p.latitude, p.longitude}, p.half);
        c.exact = true;
      }
  }
  std::sort(page.begin(), page.end(), before_);
  page.resize(std::min(page.size(), wanted_));

  if (page.size() > q_.offset) answer_.hits.reserve(page.size() - q_.offset);
  for (std::size_t k = q_.offset; k < page.size(); ++k) {
    const auto& c = page[k];
    const Cell& cell = *c.cell;
    const auto& p = cell.places[c.entry];
    SearchHit hit;
    hit.placeId = p.id;
    hit.position = {p.latitude, p.longitude};
    hit.distanceMetres = c.exact ? c.distance : probe_.geodesic(hit.position, p.half);
    hit.participates = p.flags & kParticipates;
    hit.acceptsContact = p.flags & kAcceptsContact;
    hit.available = c.group < 2;
    hit.zone = index_.zones_[p.zone];
    const PackedSlot* first = cell.slots.data() + p.slotBegin;
    const PackedSlot* last = cell.slots.data() + p.slotEnd;
    const auto windowEnd = filter_.end(p.zone);
    const auto* from = filter_.firstOffered(first, last);
    const auto* to = std::partition_point(
        from, last, [&](const PackedSlot& s) { return s.start(filter_.base()) < windowEnd; });
    // One allocation, written in place, then cut to what was kept: a push for each slot, its
    // growth check and its call, cost a tenth of a search.
    hit.slots.resize(static_cast<std::size_t>(to - from));
    auto* kept = hit.slots.data();
    for (auto* s = from; s != to; ++s)
      if (filter_.offered(*s) && filter_.matches(*s)) *kept++ = unpack(*s, filter_.base());
    hit.slots.resize(static_cast<std::size_t>(kept - hit.slots.data()));
    if (!hit.slots.empty()) hit.earliestStart = hit.slots.front().start;
    answer_.hits.push_back(std::move(hit));
  }
}

SearchAnswer SearchIndex::search(const SearchQuery& q) const {
  SearchAnswer answer;
  const double radius = std::min(q.radiusMetres, kMaxSearchRadiusMetres);
  if (!(radius >= 0)) return answer;
  std::shared_lock lock(mutex_);
  Walk walk(*this, q, answer, radius);
  walk.run();
  const std::size_t counted = answer.total;
  if (counted > q.countLimit) {
    answer.total = q.countLimit;
    answer.available = std::min(answer.available, q.countLimit);
    answer.totalIsLowerBound = true;
  }
  if (q.offset >= counted || q.limit == 0) return answer;
  walk.writePage();
  return answer;
}

std::optional<GeoPoint> SearchIndex::position(std::int64_t placeId) const {
  std::shared_lock lock(mutex_);
  const auto* found = where_.find(placeId);
  if (!found) return std::nullopt;
  const auto& p = cells_[found->cell]->places[found->entry];
  return GeoPoint{p.latitude, p.longitude};
}

std::optional<SearchHit> SearchIndex::place(std::int64_t placeId, Instant now) const {
  std::shared_lock lock(mutex_);
  const auto* found = where_.find(placeId);
  if (!found) return std::nullopt;
  const Cell& cell = *cells_[found->cell];
  const auto i = found->entry;
  const auto& p = cell.places[i];
  SearchHit hit;
  hit.placeId = p.id;
  hit.position = {p.latitude, p.longitude};
  hit.participates = p.flags & kParticipates;
  hit.acceptsContact = p.flags & kAcceptsContact;
  hit.zone = zones_[p.zone];
  hit.unavailableNow = !placeVisibleAt(cell.extras[i].unavailability(), *hit.zone, now);
  const auto nowSeconds = seconds(now);
  const auto end = seconds(windowEnd(*hit.zone, now));
  for (auto k = p.slotBegin; k < p.slotEnd; ++k) {
    const auto& s = cell.slots[k];
    if (s.until(slotBase_, plageCloses_) >= nowSeconds && s.start(slotBase_) < end)
      hit.slots.push_back(unpack(s, slotBase_));
  }
  hit.available = !hit.slots.empty() && !hit.unavailableNow;
  if (hit.available) hit.earliestStart = hit.slots.front().start;
  return hit;
}

std::vector<SearchSlot> SearchIndex::freeSlots(std::int64_t placeId, Instant now, Instant from,
                                               Instant to) const {
  std::vector<SearchSlot> out;
  std::shared_lock lock(mutex_);
  const auto* found = where_.find(placeId);
  if (!found) return out;
  const Cell& cell = *cells_[found->cell];
  const auto& p = cell.places[found->entry];
  const auto nowSeconds = seconds(now);
  const auto first = seconds(from);
  const auto last = seconds(to);
  // Slots are kept by start: the walk stops at the first one past `to`.
  for (auto k = p.slotBegin; k < p.slotEnd; ++k) {
    const auto& s = cell.slots[k];
    if (s.start(slotBase_) > last) break;
    // A publisher's slot is its own to publish, not ours.
    if (s.pulled()) continue;
    if (s.start(slotBase_) >= first && s.until(slotBase_, plageCloses_) >= nowSeconds)
      out.push_back(unpack(s, slotBase_));
  }
  return out;
}

}  // namespace sas::domain
