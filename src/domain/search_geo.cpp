#include "domain/search_geo.hpp"

#include <GeographicLib/Geodesic.hpp>

#include <cmath>

namespace sas::domain {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kRadians = kPi / 180;

}  // namespace

double geodesicMetres(GeoPoint a, GeoPoint b) {
  double s12 = 0;
  GeographicLib::Geodesic::WGS84().Inverse(a.latitude, a.longitude, b.latitude, b.longitude, s12);
  return s12;
}

DistanceProbe::DistanceProbe(GeoPoint centre)
    : centre_(centre),
      half_(halfLatitude(centre.latitude)),
      latitudeRadians_(centre.latitude * kRadians),
      longitudeRadians_(centre.longitude * kRadians) {}

DistanceProbe::HalfLatitude DistanceProbe::halfLatitude(double latitudeDegrees) {
  const double h = latitudeDegrees * kRadians / 2;
  return {std::sin(h), std::cos(h)};
}

double DistanceProbe::relativeError(double metres) {
  // Measured: 8e-7 at 20 km, 2e-5 at 100 km, 3.4e-4 at 400 km (it grows as d²). Four times that.
  const double hundredsOfKm = metres / 100'000;
  return 1e-6 + 1e-4 * hundredsOfKm * hundredsOfKm;
}

}  // namespace sas::domain
