#include "app/orientation_counts.hpp"

namespace sas::app {

int takenNow(OrientationRepository& repository, const Orientation& o) {
  if (o.kind == domain::OrientationKind::Beyond) return 0;
  // Read from the occurrence's start: an exception may have moved it from its original date.
  for (const auto& t : repository.takingsOfPlace(o.placeId, date::floor<date::days>(o.start)))
    if (t.availabilityId == o.availabilityId && t.originalDate == o.occurrenceDate) return t.taken;
  return 0;
}

}  // namespace sas::app
