// Where imported places are stored (docs/rules.md#search): the offline geocoder's
// arrondissements in the FINESS and directory imports, `sas geocode --again` (the service
// behind it), and the demo centre of Paris 16e found at its own address.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "app/demo_data.hpp"
#include "app/directory_import.hpp"
#include "app/place_geocoding.hpp"
#include "app/search_service.hpp"
#include "app/structure_import.hpp"
#include "geo/gazetteer.hpp"
#include "storage/account_store.hpp"
#include "storage/psc_store.hpp"
#include "storage/search_source.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

// One establishment of the FINESS extraction's 32-column layout, in 75011.
const char* const kFiness11e =
    "structureet;750000111;750000110;CENTRE DE SANTE VOLTAIRE;;;;120;BD;VOLTAIRE;;;111;75;PARIS;"
    "75011 PARIS;0143000011;;130;Centre de Santé;;;;;;;;;;;;\n";

const char* const kDirectory11e =
    "Identification nationale PP|Nom d'exercice|Prénom d'exercice|Libellé profession|"
    "Numéro SIRET site|Raison sociale site|Numéro Voie|Libellé type de voie|Libellé Voie|"
    "Code postal|Libellé commune\n"
    "899700000011|ONZE|Lucie|Médecin|11111111100011|CABINET DE LA ROQUETTE|40|Rue|de la "
    "Roquette|75011|Paris\n";

class GeocodingTest : public ::testing::Test {
 protected:
  // Monday 2 March 2026, 08:00 in Paris: the demo's Monday plage (10:00–12:00) is ahead.
  GeocodingTest() : platform_(parisTime(2026, 3, 2, 8)) {}

  const geo::Arrondissement& arrondissement(const std::string& insee) {
    const auto* a = platform_.platform().gazetteer().arrondissementByInsee(insee);
    EXPECT_NE(a, nullptr) << insee;
    return *a;
  }

  app::Place onlyPlaceOf(std::int64_t structureId) {
    auto places = platform_.structures().placesOfStructure(structureId);
    EXPECT_EQ(places.size(), 1u);
    return places.empty() ? app::Place{} : places.front();
  }

  std::int64_t addPlace(const std::string& street, const std::string& postalCode,
                        const std::string& town, double latitude, double longitude,
                        bool approximate) {
    const auto sid = platform_.structures().createStructure(
        {0, "Centre " + street, "Centre de santé", "", "", "", "75", {true, 1, true, true}});
    app::Place p{0, sid, "", street, postalCode, town, "", latitude, longitude, "Europe/Paris", ""};
    p.approximate = approximate;
    return platform_.structures().createPlace(p);
  }

  app::Place place(std::int64_t id) {
    auto found = platform_.structures().findPlaceWithStructure(id);
    EXPECT_TRUE(found.has_value()) << id;
    return found ? found->first : app::Place{};
  }

  nlohmann::json api(const std::string& address, const std::string& token) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(platform_.port()));
    std::string query;
    Poco::URI::encode(address, "&=+?#", query);
    Poco::Net::HTTPRequest request("GET", "/api/v1/search?adresse=" + query,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + token);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::string body;
    Poco::StreamCopier::copyToString(in, body);
    EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK) << address << ": " << body;
    return nlohmann::json::parse(body, nullptr, false);
  }

  TestPlatform platform_;
};

TEST_F(GeocodingTest, AFinessPlaceIn75011IsStoredAtThe11eCentreApproximately) {
  app::StructureImport import(platform_.structures(), platform_.platform().geocoder(),
                              platform_.clock());
  std::istringstream in(kFiness11e);
  const auto report = import.run(in);
  ASSERT_EQ(report.created, 1) << (report.rejected.empty() ? "" : report.rejected.front());
  const auto structure = platform_.structures().findByIdentifiers("750000111", "");
  ASSERT_TRUE(structure.has_value());
  const auto p = onlyPlaceOf(structure->id);
  const auto& eleventh = arrondissement("75111");
  EXPECT_DOUBLE_EQ(p.latitude, eleventh.latitude);
  EXPECT_DOUBLE_EQ(p.longitude, eleventh.longitude);
  EXPECT_TRUE(p.approximate);
  // Not the Hôtel de Ville any more (Paris's centre, 2.6 km away).
  const auto* paris = platform_.platform().gazetteer().byInsee("75056");
  EXPECT_GT(std::abs(p.longitude - paris->longitude), 0.02);
}

TEST_F(GeocodingTest, ADirectoryPlaceIn75011IsStoredAtThe11eCentreApproximately) {
  storage::SqlPscStore directory(platform_.platform().database());
  app::DirectoryImport import(directory, platform_.structures(), platform_.platform().geocoder());
  std::istringstream in(kDirectory11e);
  const auto report = import.run(in);
  ASSERT_EQ(report.placesCreated, 1);
  const auto structures = directory.directoryStructures("899700000011");
  ASSERT_EQ(structures.size(), 1u);
  const auto p = onlyPlaceOf(structures.front());
  const auto& eleventh = arrondissement("75111");
  EXPECT_DOUBLE_EQ(p.latitude, eleventh.latitude);
  EXPECT_DOUBLE_EQ(p.longitude, eleventh.longitude);
  EXPECT_TRUE(p.approximate);
  EXPECT_EQ(platform_.structures().findStructure(structures.front())->departement, "75");
}

TEST_F(GeocodingTest, GeocodeAgainMovesTheApproximatePlacesAndLeavesTheExactOnes) {
  const auto* paris = platform_.platform().gazetteer().byInsee("75056");
  const auto& eleventh = arrondissement("75111");
  const auto& third = arrondissement("69383");
  // Stored at the Hôtel de Ville by the geocoder of before: moved to the 11e.
  const auto legacy =
      addPlace("120 Boulevard Voltaire", "75011", "Paris", paris->latitude, paris->longitude, true);
  // At its address (the BAN, or a manager): never touched, though in 75011 too.
  const auto exact = addPlace("3 Rue de la Roquette", "75011", "Paris", 48.85420, 2.37180, false);
  // Already where the geocoder puts it: stays, still approximate.
  const auto settled =
      addPlace("10 Rue de la Villette", "69003", "Lyon", third.latitude, third.longitude, true);
  // An address the geocoder does not know: left where it is.
  const auto unknown = addPlace("1 Rue Nulle", "99999", "Nulle-Part", 45.0, 3.0, true);
  const auto before = platform_.platform().searchStore().lastChange();

  const auto report =
      app::geocodeAgain(platform_.structures(), platform_.platform().geocoder(), platform_.clock());
  EXPECT_EQ(report.examined, 3);
  EXPECT_EQ(report.moved, 1);
  EXPECT_EQ(report.nowExact, 0);  // offline, a street stays approximate
  EXPECT_EQ(report.notFound, 1);

  const auto moved = place(legacy);
  EXPECT_DOUBLE_EQ(moved.latitude, eleventh.latitude);
  EXPECT_DOUBLE_EQ(moved.longitude, eleventh.longitude);
  EXPECT_TRUE(moved.approximate);
  const auto untouched = place(exact);
  EXPECT_DOUBLE_EQ(untouched.latitude, 48.85420);
  EXPECT_DOUBLE_EQ(untouched.longitude, 2.37180);
  EXPECT_FALSE(untouched.approximate);
  EXPECT_DOUBLE_EQ(place(settled).latitude, third.latitude);
  EXPECT_DOUBLE_EQ(place(unknown).latitude, 45.0);
  EXPECT_TRUE(place(unknown).approximate);
  // The search index of every process hears of the one move.
  EXPECT_EQ(platform_.platform().searchStore().changesAfter(before).count, 1);

  // Again: nothing left to move.
  const auto second =
      app::geocodeAgain(platform_.structures(), platform_.platform().geocoder(), platform_.clock());
  EXPECT_EQ(second.examined, 3);
  EXPECT_EQ(second.moved, 0);
}

TEST_F(GeocodingTest, TheParis16eDemoCentreIsFoundAtItsAddressPostalCodeAndArrondissement) {
  auto& p = platform_.platform();
  app::loadDemoData(p.ports().users, p.ports().structures, p.ports().agenda, p.accountStore(),
                    p.hasher(), p.clock());
  p.search().rebuild();
  auto created = p.apiTokens().create("Régulation");
  ASSERT_TRUE(created.ok());
  for (const char* address : {"81 rue Michel-Ange 75016 Paris", "75016", "Paris 16e"}) {
    const auto body = api(address, *created.value);
    EXPECT_EQ(body["radius_km"], 5) << address;  // Paris's default
    bool found = false;
    for (const auto& r : body["results"])
      if (r["name"] == "Centre de santé Michel-Ange") found = true;
    EXPECT_TRUE(found) << address << ": " << body.dump();
  }
}

}  // namespace
}  // namespace sas::test
