// A search's walk over the index's grid (SearchIndex::search): the rings of cells outward from
// the centre, each cell counted or read for the page, then the page written.
#include <algorithm>
#include <cmath>
#include <mutex>
#include <shared_mutex>

#include "domain/search_index.hpp"
#include "domain/search_index_cell.hpp"
#include "domain/search_text.hpp"

namespace sas::domain {

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
}  // namespace sas::domain
