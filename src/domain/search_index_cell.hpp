#pragma once
// The search index's inside, shared by its storage (search_index.cpp: places put and removed, the
// cells' counts made) and a search's walk over it (search_walk.cpp). No other module includes it.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <numbers>
#include <string_view>
#include <tuple>
#include <vector>

#include "domain/search_geo.hpp"
#include "domain/search_index.hpp"

namespace sas::domain {

namespace search_index_parts {

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
inline bool packable(const Occurrence& o, std::int64_t base) {
  const auto since = o.start.time_since_epoch().count() - base;
  return since >= 0 && since <= kSinceMax && (o.end - o.start).count() <= kDurationMax;
}

/// `o` must be packable from `base`.
inline PackedSlot pack(const Occurrence& o, std::int64_t base) {
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

inline std::int64_t cellRow(double latitude) {
  return static_cast<std::int64_t>(std::floor((latitude + 90) / kCellDegrees));
}
inline std::int64_t cellColumn(double longitude) {
  return static_cast<std::int64_t>(std::floor((longitude + 180) / kCellDegrees));
}
// The southern edge of a row of cells, the western edge of a column.
inline double rowLatitude(std::int64_t row) {
  return static_cast<double>(row) * kCellDegrees - 90;
}
inline double columnLongitude(std::int64_t column) {
  return static_cast<double>(column) * kCellDegrees - 180;
}
inline std::int64_t cellKey(std::int64_t row, std::int64_t column) {
  return row * kColumns + column;
}

inline std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

inline std::int64_t seconds(Instant t) {
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

}  // namespace search_index_parts

// The two files of the index read these names as their own.
using namespace search_index_parts;

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

}  // namespace sas::domain
