#include "app/place_geocoding.hpp"

#include <cmath>

#include "domain/text.hpp"

namespace sas::app {

GeocodeResult locateAddress(Geocoder& geocoder, const std::string& street,
                            const std::string& postalCode, const std::string& town) {
  auto located = geocoder.geocode(domain::joinWords({street, postalCode, town}));
  if (located.status != GeocodeResult::Status::Found)
    located = geocoder.geocode(postalCode.empty() ? town : postalCode);
  if (located.status == GeocodeResult::Status::Ambiguous && !located.choices.empty())
    located = geocoder.resolve(located.choices.front().key);
  return located;
}

bool placedApproximately(const GeocodeResult& located) {
  return located.status != GeocodeResult::Status::Found ||
         located.location.kind != LocationKind::Address || located.location.approximate;
}

GeocodeAgainReport geocodeAgain(StructureRepository& structures, Geocoder& geocoder,
                                const Clock& clock) {
  GeocodeAgainReport report;
  for (const auto& place : structures.approximatePlaces()) {
    ++report.examined;
    const auto located = locateAddress(geocoder, place.street, place.postalCode, place.town);
    if (located.status != GeocodeResult::Status::Found) {
      ++report.notFound;
      continue;
    }
    const auto& l = located.location;
    const bool approximate = placedApproximately(located);
    // Closer than about a metre is the same position (the stored value went through SQL).
    const bool moved = std::abs(l.latitude - place.latitude) > 1e-5 ||
                       std::abs(l.longitude - place.longitude) > 1e-5;
    if (!approximate) ++report.nowExact;
    if (!moved && approximate) continue;
    if (moved) ++report.moved;
    structures.placeAgain(
        place.id, l.latitude, l.longitude, approximate,
        {std::nullopt, "place.geocode", "place:" + std::to_string(place.id), l.label, ""},
        clock.now());
  }
  return report;
}

}  // namespace sas::app
