// `sas import-structures`: the FINESS extraction's layout, geocoding, updates without duplicates.
#include <gtest/gtest.h>

#include <sstream>

#include "app/structure_import.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

// Three establishments in the 32-column layout of the public extraction, a header and a line
// without any identifier.
const char* const kExtraction =
    "finess;etalab;95;2026-11-01\n"
    "structureet;750000011;750000010;CENTRE DE SANTE MICHEL ANGE;;;;81;R;MICHEL "
    "ANGE;;;116;75;PARIS;"
    "75016 PARIS;0145270000;;130;Centre de Santé;;;12345678900011;;;;;;2001-01-01;;2026-01-01;\n"
    "structureet;690000022;690000020;CENTRE DE SANTE PART DIEU;;;;10;R;DE LA "
    "VILLETTE;;;383;69;RHONE;"
    "69003 LYON;0426000002;;130;Centre de Santé;;;;;;;;;;;;\n"
    "structureet;;;SANS IDENTIFIANT;;;;1;R;NULLE PART;;;001;01;AIN;01000 BOURG EN BRESSE;;;130;"
    "Centre de Santé;;;;;;;;;;;;\n"
    "structureet;972000033;972000030;CENTRE DE SANTE FORT DE FRANCE;;;;5;R;VICTOR HUGO;;;209;972;"
    "MARTINIQUE;97200 FORT DE FRANCE;0596000003;;130;Centre de Santé;;;;;;;;;;;;\n";

TEST(StructureImport, ReadsTheExtractionGeocodesAndUpdatesWithoutDuplicates) {
  TestPlatform platform(parisTime(2026, 3, 4, 10));
  app::StructureImport import(platform.structures(), platform.platform().geocoder(),
                              platform.clock());
  std::istringstream first(kExtraction);
  auto report = import.run(first);
  EXPECT_EQ(report.created, 3);
  EXPECT_EQ(report.updated, 0);
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_NE(report.rejected[0].find("ligne 4"), std::string::npos);
  EXPECT_NE(report.rejected[0].find("ni FINESS ni SIRET"), std::string::npos);

  auto paris = platform.structures().findByIdentifiers("750000011", "");
  ASSERT_TRUE(paris.has_value());
  EXPECT_EQ(paris->name, "CENTRE DE SANTE MICHEL ANGE");
  EXPECT_EQ(paris->phone, "01 45 27 00 00");
  EXPECT_EQ(paris->siret, "12345678900011");
  auto places = platform.structures().placesOfStructure(paris->id);
  ASSERT_EQ(places.size(), 1u);
  EXPECT_EQ(places[0].street, "81 Rue MICHEL ANGE");
  EXPECT_EQ(places[0].postalCode, "75016");
  EXPECT_NEAR(places[0].latitude, 48.85, 0.1);  // Paris, offline: the town's centre
  EXPECT_NEAR(places[0].longitude, 2.35, 0.15);
  auto martinique = platform.structures().findByIdentifiers("972000033", "");
  ASSERT_TRUE(martinique.has_value());
  EXPECT_EQ(platform.structures().placesOfStructure(martinique->id).at(0).timeZone,
            "America/Martinique");

  // Again, with a new name: updated in place, nothing duplicated.
  std::string changed = kExtraction;
  changed.replace(changed.find("CENTRE DE SANTE PART DIEU"), 25, "CENTRE DE SANTE LYON 3E   ");
  std::istringstream second(changed);
  report = import.run(second);
  EXPECT_EQ(report.created, 0);
  EXPECT_EQ(report.updated, 3);
  auto lyon = platform.structures().findByIdentifiers("690000022", "");
  ASSERT_TRUE(lyon.has_value());
  EXPECT_EQ(lyon->name, "CENTRE DE SANTE LYON 3E");
  EXPECT_EQ(platform.structures().placesOfStructure(lyon->id).size(), 1u);
}

}  // namespace
}  // namespace sas::test
