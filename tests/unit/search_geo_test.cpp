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

double libraryMetres(GeoPoint a, GeoPoint b) {
  double s12 = 0;
  GeographicLib::Geodesic::WGS84().Inverse(a.latitude, a.longitude, b.latitude, b.longitude, s12);
  return s12;
}

TEST(SearchGeo, GeodesicWithinAMicrometreOfTheLibraryUpTo100Km) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < 200'000; ++i) {
    // Any longitude (the antimeridian included), from the far south to the far north.
    const GeoPoint a{130 * unit(rng) - 60, 360 * unit(rng) - 180};
    const double metres = i % 2 ? 100'000 * unit(rng) : 20'000 * unit(rng);
    const auto b = destination(a, 360 * unit(rng), metres);
    ASSERT_NEAR(geodesicMetres(a, b), libraryMetres(a, b), 1e-6)
        << a.latitude << " " << a.longitude << " " << metres;
  }
  // Across the antimeridian, both ways.
  EXPECT_NEAR(geodesicMetres({-17.5, 179.99}, {-17.5, -179.99}),
              libraryMetres({-17.5, 179.99}, {-17.5, -179.99}), 1e-6);
  EXPECT_NEAR(geodesicMetres({-17.5, -179.99}, {-17.5, 179.99}),
              libraryMetres({-17.5, 179.99}, {-17.5, -179.99}), 1e-6);
}

TEST(SearchGeo, GeodesicPast100KmIsTheLibrarys) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < 2'000; ++i) {
    const GeoPoint a{130 * unit(rng) - 60, 360 * unit(rng) - 180};
    const auto b = destination(a, 360 * unit(rng), 100'100 + 900'000 * unit(rng));
    ASSERT_EQ(geodesicMetres(a, b), libraryMetres(a, b));
  }
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
