#include "domain/search_index.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <tuple>

#include "domain/search_index_cell.hpp"
#include "domain/search_text.hpp"

namespace sas::domain {

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
