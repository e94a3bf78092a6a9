#pragma once
// « Pourquoi ne suis-je pas visible ? » (docs/rules.md#visibility-self-check): why a regulator
// would not see a place now and in the search's window, in the search's own terms (windowEnd,
// offeredUntil, occurrenceVisible, placeVisibleAt, hasRoom), so that the self-check and the
// search cannot disagree.
#include <chrono>
#include <string>
#include <vector>

#include "domain/availability.hpp"
#include "domain/calendar.hpp"
#include "domain/unavailability.hpp"

namespace sas::domain {

/// What the self-check knows of a place.
struct VisibilityFacts {
  bool participates = false;  // « Je participe au SAS »
  /// Placed somewhere: a place the geocoder could not find is stored at 0, 0, far from any
  /// regulator's radius (docs/rules.md#search).
  bool positioned = true;
  bool approximate = false;  // at its town's centre, not its address (Place::approximate)
  Unavailability unavailability;
  /// The occurrences from the day before today on (a plage of the evening before may still be
  /// offered), with `taken` set.
  std::vector<Occurrence> occurrences;
};

/// Each reason a regulator would not see the place, or would see it badly, in display order.
enum class InvisibilityReason {
  UnavailableNow,    // an unavailability is in force: found by no search at all
  NoAvailability,    // nothing in the window
  NoneOffered,       // some in the window, but every one past, full or hidden
  NotPositioned,     // at 0, 0: no search near the place finds it
  NotParticipating,  // found, but after every participant
  Approximate,       // found around its town's centre: distances and order are off
};

struct VisibilityCheck {
  std::vector<InvisibilityReason> reasons;
  /// Occurrences of the window (from now to windowEnd) as the search would treat them.
  int offered = 0;  // what a regulator finds
  int past = 0;     // offeredUntil passed
  int hidden = 0;   // under an unavailability
  int full = 0;     // no room left
  Instant windowEnd;
  /// Found by a search near the place with at least one availability: offered, no
  /// unavailability in force, positioned. NotParticipating and Approximate do not prevent it.
  bool visible() const;
  bool has(InvisibilityReason reason) const;
};

/// The check at `now` for a place in `zone`; `plageCloses` as the search's
/// (search.plage_closes_minutes_before_end). An occurrence of the window counts once, in the
/// first of: past, hidden by an unavailability, full, offered.
VisibilityCheck checkVisibility(const VisibilityFacts& facts, const date::time_zone& zone,
                                Instant now, std::chrono::seconds plageCloses);

/// « 3 disponibilités » / « 1 disponibilité » / « aucune disponibilité ».
std::string availabilityCount(int n);

/// The reason in plain French, with the counts it needs (docs/rules.md#visibility-self-check).
std::string reasonText(InvisibilityReason reason, const VisibilityCheck& check);

/// « Visible des régulateurs : N disponibilités dans les 72 h ».
std::string visibleText(const VisibilityCheck& check);

}  // namespace sas::domain
