#pragma once
// A publisher's answer to the search by professional (INT_R01) read into checked slots: what
// is refused is counted by kind, never thrown (docs/rules.md#publishers).
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/publisher_feed.hpp"
#include "domain/publisher_feed.hpp"

namespace sas::publishers {

struct BundleReading {
  /// False when the body as a whole is refused (`problem`): not JSON, not a searchset Bundle,
  /// more than maxSlots Slots.
  bool ok = false;
  app::FeedProblem problem = app::FeedProblem::NotJson;
  std::string detail;  // one line for the log, when refused
  std::vector<domain::PulledSlot> slots;
  std::map<app::FeedProblem, int> refused;  // Slots left out, by kind
};

/// Reads a Bundle whose Slots reference a Schedule whose actor is a Practitioner with an IDNPS
/// (contained in the Bundle, as `_include=Slot:schedule&_include:iterate=Schedule:actor` asks),
/// and, when the Schedule's actors include a PractitionerRole or a Location, the Location's
/// identifiers, its Organization's and its position. A Location identifier of system
/// `placeSystem` (ours, « <site>/lieux », as our own publisher writes it) names one of our
/// places (domain::placeIdentifier); another system's ids are the publisher's own and name
/// nothing here. Empty: none is read.
BundleReading readSlotBundle(std::string_view body, std::size_t maxSlots,
                             std::string_view placeSystem = {});

}  // namespace sas::publishers
