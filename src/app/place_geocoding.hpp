#pragma once
// Where a structure's place is stored (docs/rules.md#search): the imports (FINESS, directory,
// Pro Santé Connect) and `sas geocode --again` place an address by the same rule, so that a
// place in 75011 is stored at the 11e's centre by the offline geocoder, and at its address
// once the Base Adresse Nationale is configured.
#include <cstdint>
#include <string>

#include "app/ports/clock.hpp"
#include "app/ports/geocoder.hpp"
#include "app/ports/repositories.hpp"

namespace sas::app {

/// The address as a whole, else its postal code (else its town); of a short list, the first
/// (the largest town).
GeocodeResult locateAddress(Geocoder& geocoder, const std::string& street,
                            const std::string& postalCode, const std::string& town);

/// Whether a place stored where `located` says is not at its street address: a town's, an
/// arrondissement's or a postal code's centre, or nowhere (not found).
bool placedApproximately(const GeocodeResult& located);

struct GeocodeAgainReport {
  int examined = 0;  // places whose stored position was approximate
  int moved = 0;     // now stored elsewhere
  int nowExact = 0;  // now at their street address
  int notFound = 0;  // the geocoder does not know their address: left where they are
};

/// `sas geocode --again`: each place stored approximately is placed again by the geocoder in
/// use, and moved (with an audit entry and a change for the search index) when its position
/// or its approximation changes. Exact places are left alone.
GeocodeAgainReport geocodeAgain(StructureRepository& structures, Geocoder& geocoder,
                                const Clock& clock);

}  // namespace sas::app
