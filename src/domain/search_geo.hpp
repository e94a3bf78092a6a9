#pragma once
// Distances for the regulators' search on the WGS 84 spheroid, the distances PostGIS gives for
// `geography` (so that the index and a SQL check agree): Karney's geodesics from GeographicLib
// (the one dependency of domain/ beyond std and date), and up to 100 km a shorter computation
// that stays within a micrometre of them (search_geo.cpp says why).
#include <cmath>
#include <numbers>

namespace sas::domain {

/// The WGS 84 spheroid.
inline constexpr double kWgs84SemiMajorAxis = 6378137.0;
inline constexpr double kWgs84Flattening = 1 / 298.257223563;
inline constexpr double kWgs84EccentricitySquared = kWgs84Flattening * (2 - kWgs84Flattening);

struct GeoPoint {
  double latitude = 0;   // degrees, WGS 84
  double longitude = 0;  // degrees, WGS 84
  bool operator==(const GeoPoint&) const = default;
};

/// Geodesic distance on the WGS 84 spheroid, in metres: within a micrometre of GeographicLib's
/// exact one up to 100 km, its own beyond.
double geodesicMetres(GeoPoint a, GeoPoint b);

/// Fast distances from one centre, good enough to decide most points without a geodesic: the
/// local flat-earth formula with the spheroid's radii of curvature at the mean latitude.
class DistanceProbe {
 public:
  explicit DistanceProbe(GeoPoint centre);

  /// Sine and cosine of half a latitude, kept per point so that no trigonometry is done per
  /// point and per search.
  struct HalfLatitude {
    double sine = 0;
    double cosine = 1;
  };
  static HalfLatitude halfLatitude(double latitudeDegrees);

  /// Approximate distance to a point whose half latitude is `half`, in metres (inline: a
  /// search calls it for every place of its circle).
  double approximate(GeoPoint p, HalfLatitude half) const {
    return std::sqrt(approximateSquared(p, half));
  }
  /// Along the parallel at `latitude` (half latitude `half`), the approximate distance squared
  /// is (east · Δλ)² + northSquared, Δλ the longitude difference in radians: what bounds the
  /// distances of a whole box from its edges.
  struct Parallel {
    double east;
    double northSquared;
  };
  Parallel parallel(double latitude, HalfLatitude half) const {
    constexpr double kPi = std::numbers::pi;
    constexpr double kA = kWgs84SemiMajorAxis;
    constexpr double kE2 = kWgs84EccentricitySquared;
    constexpr double kMeridionalFactor = kA * (1 - kE2);
    // sin and cos of the mean latitude (φ + φ0) / 2 from the half angles: no trigonometry.
    const double sinMean = half.sine * half_.cosine + half.cosine * half_.sine;
    const double cosMean = half.cosine * half_.cosine - half.sine * half_.sine;
    const double w = 1 - kE2 * sinMean * sinMean;
    const double sqrtW = std::sqrt(w);
    const double n = kA / sqrtW;                       // prime vertical radius
    const double m = kMeridionalFactor / (w * sqrtW);  // meridional radius
    const double y = m * (latitude * (kPi / 180) - latitudeRadians_);
    return {n * cosMean, y * y};
  }
  /// The longitude difference from the centre, in radians within [−π, π].
  double longitudeDifference(double longitude) const {
    constexpr double kPi = std::numbers::pi;
    double dLon = longitude * (kPi / 180) - longitudeRadians_;
    if (dLon > kPi) dLon -= 2 * kPi;
    if (dLon < -kPi) dLon += 2 * kPi;
    return dLon;
  }
  /// Its square, for comparisons that need no square root.
  double approximateSquared(GeoPoint p, HalfLatitude half) const {
    const auto along = parallel(p.latitude, half);
    const double x = along.east * longitudeDifference(p.longitude);
    return x * x + along.northSquared;
  }

  /// The geodesic distance to a point whose half latitude is `half`: geodesicMetres, with
  /// the centre's part and the latitudes' trigonometry done once (one sine and cosine a point).
  double geodesic(GeoPoint p, HalfLatitude half) const;

  /// A bound on |approximate − geodesic| / approximate for distances up to `metres`
  /// (measured against GeographicLib up to 400 km, with a margin; see search_geo_test).
  static double relativeError(double metres);

  GeoPoint centre() const { return centre_; }

 private:
  GeoPoint centre_;
  HalfLatitude half_;
  double latitudeRadians_;
  double longitudeRadians_;
  // The centre in Earth-centred coordinates, its meridian as the x–z plane (x, and z / (1 − e²)).
  double centreX_;
  double centreZ_;
};

/// The largest radius a search accepts (the error bound above is checked up to 400 km).
inline constexpr double kMaxSearchRadiusMetres = 300'000;

}  // namespace sas::domain
