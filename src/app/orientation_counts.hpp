#pragma once
// The counter « n / N » of an orientation's occurrence as it is now, for the answers that follow
// a change (the JSON API's cancellation, docs/api.md).
#include "app/ports/orientations.hpp"

namespace sas::app {

/// How many orientations in force the occurrence of `o` holds now; 0 beyond availabilities.
int takenNow(OrientationRepository& repository, const Orientation& o);

}  // namespace sas::app
