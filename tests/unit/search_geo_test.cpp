#include "domain/search_geo.hpp"

#include <gtest/gtest.h>
#include <GeographicLib/Geodesic.hpp>

#include <cmath>
#include <random>

namespace sas::domain {
namespace {

GeoPoint destination(GeoPoint from, double azimuth, double metres) {
  GeoPoint to;
  GeographicLib::Geodesic::WGS84().Direct(from.latitude, from.longitude, azimuth, metres,
                                          to.latitude, to.longitude);
  return to;
}

TEST(SearchGeo, GeodesicMatchesKnownDistances) {
  // Paris (Notre-Dame) to Lyon (Bellecour): about 392 km on the spheroid.
  const double d = geodesicMetres({48.85296, 2.34990}, {45.75780, 4.83200});
  EXPECT_NEAR(d, 392'200, 1'000);
  EXPECT_DOUBLE_EQ(geodesicMetres({48.8, 2.3}, {48.8, 2.3}), 0);
  const GeoPoint paris{48.85341, 2.34880};
  EXPECT_NEAR(geodesicMetres(paris, destination(paris, 37, 12'345.678)), 12'345.678, 1e-6);
}

TEST(SearchGeo, ApproximationStaysWithinItsBoundFromTheTropicsToTheNorth) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0, 1);
  for (double latitude : {-21.1, -12.8, 4.9, 14.6, 16.2, 43.3, 48.85, 51.05}) {
    const GeoPoint centre{latitude, 55.0 * unit(rng) - 10};
    const DistanceProbe probe(centre);
    for (int i = 0; i < 20'000; ++i) {
      const double metres = 420'000 * unit(rng);
      const auto p = destination(centre, 360 * unit(rng), metres);
      const double approx = probe.approximate(p, DistanceProbe::halfLatitude(p.latitude));
      const double exact = geodesicMetres(centre, p);
      ASSERT_LE(std::abs(approx - exact), DistanceProbe::relativeError(approx) * approx + 1e-9)
          << latitude << " " << metres;
    }
  }
}

TEST(SearchGeo, ApproximationHandlesTheAntimeridian) {
  const DistanceProbe probe({-17.5, 179.9});
  const GeoPoint p{-17.5, -179.9};
  const double approx = probe.approximate(p, DistanceProbe::halfLatitude(p.latitude));
  EXPECT_NEAR(approx, geodesicMetres({-17.5, 179.9}, p), 1);
}

}  // namespace
}  // namespace sas::domain
