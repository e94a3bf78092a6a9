#include "domain/search_geo.hpp"

#include <GeographicLib/Geodesic.hpp>

#include <cmath>
#include <numbers>

namespace sas::domain {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kRadians = kPi / 180;
constexpr double kA = kWgs84SemiMajorAxis;
constexpr double kE2 = kWgs84EccentricitySquared;

// Beyond this chord the short line's error grows past a micrometre: the library's answer.
constexpr double kShortLineMetres = 100'000;

}  // namespace

// GeographicLib's exact inverse costs 0.7 to 0.9 µs here, and a search computes one for each
// place of its page (about twenty). Up to 100 km the geodesic is the straight chord between
// the two points on the spheroid, lengthened to its arc by the curvature of the section there
// (a plane curve's chord c and arc s: s = c + κ²c³/24 + 3κ⁴c⁵/640, κ taken at the middle so
// that its change along the arc cancels to this order; κ by Euler's formula from the radii of
// curvature and the chord's azimuth; a normal section and the geodesic differ by nanometres at
// this length). Measured against GeographicLib over two million random lines: ≤ 5 nm up to
// 30 km, ≤ 0.3 µm up to 100 km (search_geo_test checks 1 µm), for a tenth of its time.
double geodesicMetres(GeoPoint a, GeoPoint b) {
  return DistanceProbe(a).geodesic(b, DistanceProbe::halfLatitude(b.latitude));
}

// The latitudes' sines and cosines, and their mean's, come from the half angles by the double
// angle and sum formulas, and the longitudes' difference's from its half's: a sine and a cosine
// for each point rather than five (a search's page asks twenty of these, and more near its
// circle's edge).
double DistanceProbe::geodesic(GeoPoint p, HalfLatitude half) const {
  const double sin2 = 2 * half.sine * half.cosine;
  const double cos2 = (half.cosine - half.sine) * (half.cosine + half.sine);
  double dLon = (p.longitude - centre_.longitude) * kRadians;
  if (dLon > kPi) dLon -= 2 * kPi;
  if (dLon < -kPi) dLon += 2 * kPi;
  // Half the longitudes' difference too, whose double gives the difference's own.
  const double sinLon = std::sin(dLon / 2), cosLon = std::cos(dLon / 2);
  const double sinL = 2 * sinLon * cosLon;
  const double cosL = (cosLon - sinLon) * (cosLon + sinLon);
  const double n2 = kA / std::sqrt(1 - kE2 * sin2 * sin2);
  // Earth-centred coordinates, the centre's meridian as the x–z plane.
  const double dx = n2 * cos2 * cosL - centreX_;
  const double dy = n2 * cos2 * sinL;
  const double dz = (1 - kE2) * (n2 * sin2 - centreZ_);
  const double chordSquared = dx * dx + dy * dy + dz * dz;
  if (chordSquared > kShortLineMetres * kShortLineMetres) {
    double s12 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(centre_.latitude, centre_.longitude, p.latitude,
                                             p.longitude, s12);
    return s12;
  }
  // The chord's east and north parts at the middle, then the curvature along it there.
  const double sinLat = half.sine * half_.cosine + half.cosine * half_.sine;
  const double cosLat = half.cosine * half_.cosine - half.sine * half_.sine;
  const double east = -sinLon * dx + cosLon * dy;
  const double north = -sinLat * (cosLon * dx + sinLon * dy) + cosLat * dz;
  const double w2 = 1 - kE2 * sinLat * sinLat;
  const double w = std::sqrt(w2);
  const double primeVertical = w / kA;                  // 1 / N
  const double meridional = w2 * w / (kA * (1 - kE2));  // 1 / M
  const double across = east * east + north * north;
  const double curvature = across > 0
                               ? (north * north * meridional + east * east * primeVertical) / across
                               : primeVertical;
  const double k2c2 = curvature * curvature * chordSquared;
  return std::sqrt(chordSquared) * (1 + k2c2 / 24 + 3 * k2c2 * k2c2 / 640);
}

DistanceProbe::DistanceProbe(GeoPoint centre)
    : centre_(centre),
      half_(halfLatitude(centre.latitude)),
      latitudeRadians_(centre.latitude * kRadians),
      longitudeRadians_(centre.longitude * kRadians) {
  const double sin1 = 2 * half_.sine * half_.cosine;
  const double cos1 = (half_.cosine - half_.sine) * (half_.cosine + half_.sine);
  const double n1 = kA / std::sqrt(1 - kE2 * sin1 * sin1);
  centreX_ = n1 * cos1;
  centreZ_ = n1 * sin1;
}

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
