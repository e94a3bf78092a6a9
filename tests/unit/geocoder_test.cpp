// The offline geocoder on the real data/ files, and the Base Adresse Nationale client against a
// local stand-in that answers in the BAN's GeoJSON format.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "geo/ban_geocoder.hpp"
#include "geo/gazetteer.hpp"
#include "geo/offline_geocoder.hpp"

namespace sas::geo {
namespace {

using app::GeocodeResult;
using app::LocationKind;
using Status = GeocodeResult::Status;

const Gazetteer& gazetteer() {
  static const Gazetteer g(std::filesystem::path(SAS_SOURCE_DIR) / "data");
  return g;
}

class OfflineGeocoderTest : public ::testing::Test {
 protected:
  OfflineGeocoder geocoder_{gazetteer()};
};

TEST_F(OfflineGeocoderTest, ReadsEveryTownAndDepartement) {
  EXPECT_EQ(gazetteer().communes().size(), 14769u);
  EXPECT_EQ(gazetteer().arrondissements().size(), 45u);  // Paris 20, Lyon 9, Marseille 16
  const auto reunion = gazetteer().departement("974");
  ASSERT_TRUE(reunion);
  EXPECT_EQ(reunion->townRadiusKm, 10);
  EXPECT_EQ(reunion->departementRadiusKm, 0);  // none published
  EXPECT_EQ(gazetteer().departement("01")->townRadiusKm, 20);
  EXPECT_EQ(gazetteer().departement("01")->widenKm, 10);
  EXPECT_FALSE(gazetteer().departement("99"));
  EXPECT_EQ(Gazetteer::timeZoneOf("974"), "Indian/Reunion");
  EXPECT_EQ(Gazetteer::timeZoneOf("973"), "America/Cayenne");
  EXPECT_EQ(Gazetteer::timeZoneOf("2A"), "Europe/Paris");
}

TEST_F(OfflineGeocoderTest, MissingDataFileIsNamed) {
  try {
    Gazetteer g("/nonexistent");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("communes.csv"), std::string::npos);
  }
}

TEST_F(OfflineGeocoderTest, DepartementByCodeOrNameAndCode) {
  for (const char* text : {"75", "Paris 75", "paris 75"}) {
    auto r = geocoder_.geocode(text);
    ASSERT_EQ(r.status, Status::Found) << text;
    EXPECT_EQ(r.location.kind, LocationKind::Departement) << text;
    EXPECT_EQ(r.location.departement, "75");
  }
  auto gironde = geocoder_.geocode("Gironde");
  ASSERT_EQ(gironde.status, Status::Found);
  EXPECT_EQ(gironde.location.kind, LocationKind::Departement);
  EXPECT_EQ(gironde.location.departement, "33");
  // Ain's published barycentre.
  auto ain = geocoder_.geocode("1");
  ASSERT_EQ(ain.status, Status::Found);
  EXPECT_NEAR(ain.location.latitude, 46.09944444, 1e-6);
  // Guyane publishes none: the centre of its towns.
  auto guyane = geocoder_.geocode("973");
  ASSERT_EQ(guyane.status, Status::Found);
  EXPECT_GT(guyane.location.latitude, 2);
  EXPECT_LT(guyane.location.latitude, 6);
}

TEST_F(OfflineGeocoderTest, TownIgnoringAccentsAndCase) {
  for (const char* text : {"Saint-Étienne", "SAINT ETIENNE", "saint-etienne "}) {
    auto r = geocoder_.geocode(text);
    ASSERT_EQ(r.status, Status::Found) << text;
    EXPECT_EQ(r.location.kind, LocationKind::Town);
    EXPECT_EQ(r.location.label, "Saint-Étienne (42)");
    EXPECT_FALSE(r.location.approximate);
  }
  auto paris = geocoder_.geocode("Paris");
  ASSERT_EQ(paris.status, Status::Found);
  EXPECT_EQ(paris.location.kind, LocationKind::Town);
  EXPECT_NEAR(paris.location.latitude, 48.85341, 1e-9);
  EXPECT_FALSE(paris.location.approximate);
  EXPECT_EQ(paris.location.label, "Paris (75)");
}

TEST_F(OfflineGeocoderTest, PostalCodeOfOneTownOrAShortList) {
  auto r = geocoder_.geocode("29200");
  ASSERT_EQ(r.status, Status::Found);
  EXPECT_EQ(r.location.kind, LocationKind::PostalCode);
  EXPECT_EQ(r.location.label, "29200 Brest");
  auto shared = geocoder_.geocode("01500");
  ASSERT_EQ(shared.status, Status::Ambiguous);
  EXPECT_GE(shared.choices.size(), 2u);
  EXPECT_LE(shared.choices.size(), kMaxChoices);
  EXPECT_EQ(shared.choices.front().label, "Ambérieu-en-Bugey (01)");  // the largest first
  auto chosen = geocoder_.resolve(shared.choices[1].key);
  ASSERT_EQ(chosen.status, Status::Found);
  EXPECT_EQ(chosen.location.label, shared.choices[1].label);
  // A town typed beside the code settles it.
  auto named = geocoder_.geocode("01500 Ambronay");
  ASSERT_EQ(named.status, Status::Found);
  EXPECT_EQ(named.location.label, "01500 Ambronay");
  EXPECT_EQ(geocoder_.geocode("99999").status, Status::NotFound);
  // Morlaix and Plourin-lès-Morlaix share 29600: the longer name typed is the one meant.
  auto plourin = geocoder_.geocode("1 rue de la Gare 29600 Plourin-lès-Morlaix");
  ASSERT_EQ(plourin.status, Status::Found);
  EXPECT_NEAR(plourin.location.latitude, gazetteer().byInsee("29207")->latitude, 1e-9);
  EXPECT_EQ(geocoder_.geocode("29600 Morlaix").location.label, "29600 Morlaix");
}

TEST_F(OfflineGeocoderTest, LocationsNameTheirTown) {
  auto lilas = geocoder_.geocode("93260");
  ASSERT_EQ(lilas.status, Status::Found);
  EXPECT_EQ(lilas.location.town, "Les Lilas");
  auto street = geocoder_.geocode("5 Avenue Pasteur 93260");
  ASSERT_EQ(street.status, Status::Found);
  EXPECT_EQ(street.location.town, "Les Lilas");
  auto lyon = geocoder_.geocode("Lyon 3e");
  ASSERT_EQ(lyon.status, Status::Found);
  EXPECT_EQ(lyon.location.town, "Lyon");
  auto choice = geocoder_.geocode("Saint-Denis");
  ASSERT_EQ(choice.status, Status::Ambiguous);
  auto chosen = geocoder_.resolve(choice.choices.front().key);
  ASSERT_EQ(chosen.status, Status::Found);
  EXPECT_EQ(chosen.location.town, "Saint-Denis");
  auto departement = geocoder_.geocode("93");
  ASSERT_EQ(departement.status, Status::Found);
  EXPECT_EQ(departement.location.town, "");  // a département is no town
}

TEST_F(OfflineGeocoderTest, SaintDenisIsAmbiguousUnlessTheDepartementIsGiven) {
  auto r = geocoder_.geocode("Saint-Denis");
  ASSERT_EQ(r.status, Status::Ambiguous);
  std::vector<std::string> labels;
  for (const auto& c : r.choices) labels.push_back(c.label);
  EXPECT_NE(std::find(labels.begin(), labels.end(), "Saint-Denis (93)"), labels.end());
  EXPECT_NE(std::find(labels.begin(), labels.end(), "Saint-Denis (974)"), labels.end());
  auto reunion = geocoder_.geocode("Saint-Denis 974");
  ASSERT_EQ(reunion.status, Status::Found);
  EXPECT_EQ(reunion.location.departement, "974");
  EXPECT_LT(reunion.location.latitude, -20);
  auto choice = geocoder_.resolve("commune:93066");
  ASSERT_EQ(choice.status, Status::Found);
  EXPECT_EQ(choice.location.label, "Saint-Denis (93)");
}

TEST_F(OfflineGeocoderTest, StreetAddressIsPlacedAtItsTownApproximately) {
  auto r = geocoder_.geocode("3 rue de Siam 29200 Brest");
  ASSERT_EQ(r.status, Status::Found);
  EXPECT_EQ(r.location.kind, LocationKind::Address);
  EXPECT_TRUE(r.location.approximate);
  EXPECT_EQ(r.location.label, "3 rue de Siam 29200 Brest");
  EXPECT_NEAR(r.location.latitude, gazetteer().byInsee("29019")->latitude, 1e-9);
  // Blanks of any kind and number between the words, and around them: the same place.
  for (const char* spaced :
       {"  3 rue de Siam\t29200   Brest ", "3\nrue de\r\nSiam 29200\fBrest\v"}) {
    auto same = geocoder_.geocode(spaced);
    ASSERT_EQ(same.status, Status::Found) << spaced;
    EXPECT_EQ(same.location.kind, LocationKind::Address);
    EXPECT_EQ(same.location.departement, "29");
    EXPECT_NEAR(same.location.latitude, r.location.latitude, 1e-9);
  }
  // Paris without its postal code: the town's centre.
  auto paris = geocoder_.geocode("12 rue de la Paix, Paris");
  ASSERT_EQ(paris.status, Status::Found);
  EXPECT_EQ(paris.location.kind, LocationKind::Address);
  EXPECT_TRUE(paris.location.approximate);
  EXPECT_NEAR(paris.location.latitude, 48.85341, 1e-9);
  auto noCode = geocoder_.geocode("3 avenue Jean Jaurès, Lyon");
  ASSERT_EQ(noCode.status, Status::Found);
  EXPECT_EQ(noCode.location.kind, LocationKind::Address);
  EXPECT_EQ(noCode.location.departement, "69");
  auto ambiguous = geocoder_.geocode("1 place de la Gare Saint-Denis");
  ASSERT_EQ(ambiguous.status, Status::Ambiguous);
  auto chosen = geocoder_.resolve(ambiguous.choices.front().key);
  ASSERT_EQ(chosen.status, Status::Found);
  EXPECT_EQ(chosen.location.kind, LocationKind::Address);
  EXPECT_TRUE(chosen.location.approximate);
}

TEST_F(OfflineGeocoderTest, UnknownPlacesAreNotFound) {
  EXPECT_EQ(geocoder_.geocode("Nulle-Part-sur-Rien").status, Status::NotFound);
  EXPECT_EQ(geocoder_.geocode("  ").status, Status::NotFound);
  EXPECT_EQ(geocoder_.resolve("commune:00000").status, Status::NotFound);
  EXPECT_EQ(geocoder_.resolve("n'importe quoi").status, Status::NotFound);
}

// ---------------------------------------------------------------- arrondissements

struct ArrondissementRow {
  std::string insee, name, commune, departement;
  std::vector<std::string> postalCodes;
  double latitude = 0, longitude = 0;
};

// data/arrondissements.csv read here on its own, so that the geocoder is checked against the
// file and not against what the gazetteer made of it.
std::vector<ArrondissementRow> arrondissementRows() {
  std::ifstream in(std::filesystem::path(SAS_SOURCE_DIR) / "data" / "arrondissements.csv");
  std::vector<ArrondissementRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
    EXPECT_EQ(f.size(), 8u) << line;
    if (f.size() != 8) continue;
    ArrondissementRow r{f[0], f[1], f[3], f[4], {}, std::stod(f[6]), std::stod(f[7])};
    std::istringstream codes(f[2]);
    for (std::string code; codes >> code;) r.postalCodes.push_back(code);
    rows.push_back(r);
  }
  return rows;
}

TEST_F(OfflineGeocoderTest, EveryPostalCodeOfParisLyonMarseilleIsItsArrondissement) {
  const auto rows = arrondissementRows();
  ASSERT_EQ(rows.size(), 45u);
  std::map<std::string, int> cities;
  std::size_t codes = 0;
  for (const auto& row : rows) {
    ++cities[row.commune];
    const std::string city = gazetteer().byInsee(row.commune)->name;
    // « Lyon 3e », as its name says.
    const std::string named = row.name.substr(0, row.name.find(" Arrondissement"));
    auto byName = geocoder_.geocode(named);
    ASSERT_EQ(byName.status, Status::Found) << named;
    EXPECT_EQ(byName.location.label, row.name + " (" + row.departement + ")");
    EXPECT_DOUBLE_EQ(byName.location.latitude, row.latitude) << named;
    for (const auto& code : row.postalCodes) {
      ++codes;
      for (const auto& text : {code, code + " " + city}) {
        auto r = geocoder_.geocode(text);
        ASSERT_EQ(r.status, Status::Found) << text;
        EXPECT_EQ(r.location.kind, LocationKind::PostalCode) << text;
        EXPECT_EQ(r.location.label, code + " " + row.name) << text;
        EXPECT_DOUBLE_EQ(r.location.latitude, row.latitude) << text;
        EXPECT_DOUBLE_EQ(r.location.longitude, row.longitude) << text;
        EXPECT_EQ(r.location.departement, row.departement) << text;
        EXPECT_FALSE(r.location.approximate) << text;
        EXPECT_EQ(r.location.town, city) << text;  // « Paris », not its arrondissement
      }
      // A street of the arrondissement: at its centre, approximately.
      const std::string street = "1 rue de la Mairie " + code + " " + city;
      auto r = geocoder_.geocode(street);
      ASSERT_EQ(r.status, Status::Found) << street;
      EXPECT_EQ(r.location.kind, LocationKind::Address) << street;
      EXPECT_EQ(r.location.label, street);
      EXPECT_TRUE(r.location.approximate) << street;
      EXPECT_DOUBLE_EQ(r.location.latitude, row.latitude) << street;
      EXPECT_DOUBLE_EQ(r.location.longitude, row.longitude) << street;
    }
  }
  EXPECT_EQ(codes, 46u);  // the 16e has two
  EXPECT_EQ(cities, (std::map<std::string, int>{{"13055", 16}, {"69123", 9}, {"75056", 20}}));
}

TEST_F(OfflineGeocoderTest, ArrondissementByItsName) {
  const auto* sixteenth = gazetteer().arrondissementByInsee("75116");
  ASSERT_NE(sixteenth, nullptr);
  for (const char* text : {"Paris 16e", "Paris 16", "paris 16eme", "PARIS 16ème",
                           "Paris 16e arrondissement", "Paris 16e Arrondissement"}) {
    auto r = geocoder_.geocode(text);
    ASSERT_EQ(r.status, Status::Found) << text;
    EXPECT_EQ(r.location.kind, LocationKind::Town) << text;
    EXPECT_EQ(r.location.label, "Paris 16e Arrondissement (75)") << text;
    EXPECT_DOUBLE_EQ(r.location.latitude, sixteenth->latitude) << text;
    EXPECT_DOUBLE_EQ(r.location.longitude, sixteenth->longitude) << text;
    EXPECT_FALSE(r.location.approximate) << text;
  }
  const std::pair<const char*, const char*> named[] = {
      {"Lyon 3e", "69383"},   {"Marseille 8e", "13208"},  {"Paris 1er", "75101"},
      {"Lyon 1er", "69381"},  {"Lyon 9e", "69389"},       {"Marseille 16e", "13216"},
      {"Paris 20e", "75120"}, {"Lyon 9", "69389"},        {"Marseille 13e", "13213"},
      {"Paris 1", "75101"},   {"Marseille 1ere", "13201"}};
  for (const auto& [text, insee] : named) {
    auto r = geocoder_.geocode(text);
    ASSERT_EQ(r.status, Status::Found) << text;
    const auto* a = gazetteer().arrondissementByInsee(insee);
    ASSERT_NE(a, nullptr) << insee;
    EXPECT_EQ(r.location.label, a->name + " (" + a->departement + ")") << text;
    EXPECT_DOUBLE_EQ(r.location.latitude, a->latitude) << text;
  }
  // Beyond the last arrondissement: the town; « Marseille 13 » is the town in its département
  // (as « Paris 75 » is the département), « Marseille 13e » the arrondissement above.
  for (const char* text : {"Paris 21e", "Lyon 10e", "Marseille 17e", "Marseille 13"}) {
    auto r = geocoder_.geocode(text);
    ASSERT_EQ(r.status, Status::Found) << text;
    EXPECT_EQ(r.location.label.find("Arrondissement"), std::string::npos) << text;
    EXPECT_EQ(r.location.kind, LocationKind::Town) << text;
  }
  EXPECT_EQ(geocoder_.geocode("Paris 75").location.kind, LocationKind::Departement);
  EXPECT_EQ(geocoder_.geocode("Lyon 0").location.label.find("Arrondissement"), std::string::npos);
  // A choice's key of an arrondissement resolves to it.
  auto chosen = geocoder_.resolve("commune:69383");
  ASSERT_EQ(chosen.status, Status::Found);
  EXPECT_EQ(chosen.location.label, "Lyon 3e Arrondissement (69)");
  auto street = geocoder_.resolve("adresse:69383:10 rue de la Villette");
  ASSERT_EQ(street.status, Status::Found);
  EXPECT_EQ(street.location.label, "10 rue de la Villette, Lyon 3e Arrondissement (69)");
  EXPECT_TRUE(street.location.approximate);
}

TEST_F(OfflineGeocoderTest, StreetAddressInTheSixteenthIsAtItsCentreApproximately) {
  const auto* sixteenth = gazetteer().arrondissementByInsee("75116");
  const auto* paris = gazetteer().byInsee("75056");
  for (const char* text : {"81 rue Michel-Ange 75016 Paris", "81 rue Michel-Ange 75116 Paris",
                           "81 rue Michel-Ange 75016", "81 rue Michel-Ange, Paris 16e",
                           "81 rue Michel-Ange Paris 16"}) {
    auto r = geocoder_.geocode(text);
    ASSERT_EQ(r.status, Status::Found) << text;
    EXPECT_EQ(r.location.kind, LocationKind::Address) << text;
    EXPECT_EQ(r.location.label, text);
    EXPECT_TRUE(r.location.approximate) << text;
    EXPECT_DOUBLE_EQ(r.location.latitude, sixteenth->latitude) << text;
    EXPECT_DOUBLE_EQ(r.location.longitude, sixteenth->longitude) << text;
    EXPECT_EQ(r.location.departement, "75");
  }
  // Paris alone stays the town, at its centre (not an arrondissement's).
  auto town = geocoder_.geocode("Paris");
  ASSERT_EQ(town.status, Status::Found);
  EXPECT_EQ(town.location.label, "Paris (75)");
  EXPECT_DOUBLE_EQ(town.location.latitude, paris->latitude);
  EXPECT_NE(town.location.latitude, sixteenth->latitude);
}

// ---------------------------------------------------------------- the BAN client

const char* const kPaixFeature = R"({"type":"Feature","geometry":{"type":"Point",
  "coordinates":[2.331,48.8687]},"properties":{"label":"12 Rue de la Paix 75002 Paris",
  "score":0.97,"housenumber":"12","id":"75102_7128_00012","type":"housenumber",
  "name":"12 Rue de la Paix","postcode":"75002","citycode":"75102","city":"Paris",
  "context":"75, Paris, Île-de-France","importance":0.6,"street":"Rue de la Paix"}})";

std::string collection(const std::string& features) {
  return R"({"type":"FeatureCollection","version":"draft","features":[)" + features +
         R"(],"attribution":"BAN","licence":"ETALAB-2.0","query":"q","limit":5})";
}

// Answers /search/ like the BAN: the body depends on the words of q.
class BanStandIn {
 public:
  BanStandIn() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket,
                                                      new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~BanStandIn() { server_->stopAll(true); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_; }
  std::string lastQuery() const { return lastQuery_; }

 private:
  struct Handler final : Poco::Net::HTTPRequestHandler {
    explicit Handler(BanStandIn& s) : s_(s) {}
    void handleRequest(Poco::Net::HTTPServerRequest& in,
                       Poco::Net::HTTPServerResponse& out) override {
      ++s_.requests_;
      Poco::URI uri(in.getURI());
      std::string q;
      for (const auto& [k, v] : uri.getQueryParameters())
        if (k == "q") q = v;
      s_.lastQuery_ = q;
      std::string body;
      if (uri.getPath() != "/search/") {
        out.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
      } else if (q.find("panne") != std::string::npos) {
        out.setStatus(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
        body = "oops";
      } else if (q.find("illisible") != std::string::npos) {
        body = "<html>not json</html>";
      } else if (q.find("Gare") != std::string::npos) {
        body = collection(
            R"({"type":"Feature","geometry":{"type":"Point","coordinates":[2.3538,48.9357]},
            "properties":{"label":"1 Place de la Gare 93200 Saint-Denis","score":0.9,
            "type":"housenumber","citycode":"93066","postcode":"93200","city":"Saint-Denis"}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[55.45,-20.88]},
            "properties":{"label":"1 Place de la Gare 97400 Saint-Denis","score":0.88,
            "type":"housenumber","citycode":"97411","postcode":"97400","city":"Saint-Denis"}})");
      } else if (q.find("Paix") != std::string::npos) {
        body = collection(kPaixFeature);
      } else {
        body = collection("");
      }
      out.setContentType("application/json");
      out.setContentLength(static_cast<std::streamsize>(body.size()));
      out.send() << body;
    }
    BanStandIn& s_;
  };
  struct Factory final : Poco::Net::HTTPRequestHandlerFactory {
    explicit Factory(BanStandIn& s) : s_(s) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(s_);
    }
    BanStandIn& s_;
  };
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::string lastQuery_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

class BanGeocoderTest : public ::testing::Test {
 protected:
  BanStandIn ban_;
  OfflineGeocoder offline_{gazetteer()};
  BanGeocoder geocoder_{ban_.url(), std::chrono::milliseconds{2000}, offline_};
};

TEST_F(BanGeocoderTest, StreetAddressComesBackPrecise) {
  auto r = geocoder_.geocode("12 rue de la Paix 75002 Paris");
  ASSERT_EQ(r.status, Status::Found);
  EXPECT_EQ(ban_.requests(), 1);
  EXPECT_EQ(ban_.lastQuery(), "12 rue de la Paix 75002 Paris");
  EXPECT_EQ(r.location.kind, LocationKind::Address);
  EXPECT_FALSE(r.location.approximate);
  EXPECT_EQ(r.location.label, "12 Rue de la Paix 75002 Paris");
  EXPECT_DOUBLE_EQ(r.location.latitude, 48.8687);
  EXPECT_DOUBLE_EQ(r.location.longitude, 2.331);
  EXPECT_EQ(r.location.departement, "75");
}

TEST_F(BanGeocoderTest, TownsPostalCodesAndDepartementsAreNotAsked) {
  EXPECT_EQ(geocoder_.geocode("Lyon").location.kind, LocationKind::Town);
  EXPECT_EQ(geocoder_.geocode("69003").location.kind, LocationKind::PostalCode);
  EXPECT_EQ(geocoder_.geocode("69").location.kind, LocationKind::Departement);
  EXPECT_EQ(geocoder_.geocode("Saint-Denis").status, Status::Ambiguous);
  EXPECT_EQ(ban_.requests(), 0);
}

TEST_F(BanGeocoderTest, SeveralTownsCloseInScoreGiveAShortList) {
  auto r = geocoder_.geocode("1 place de la Gare Saint-Denis");
  ASSERT_EQ(r.status, Status::Ambiguous);
  ASSERT_EQ(r.choices.size(), 2u);
  EXPECT_EQ(r.choices[1].label, "1 Place de la Gare 97400 Saint-Denis");
  auto chosen = geocoder_.resolve(r.choices[1].key);
  ASSERT_EQ(chosen.status, Status::Found);
  EXPECT_EQ(chosen.location.departement, "974");
  EXPECT_DOUBLE_EQ(chosen.location.latitude, -20.88);
  EXPECT_EQ(chosen.location.label, "1 Place de la Gare 97400 Saint-Denis");
  EXPECT_FALSE(chosen.location.approximate);
}

TEST_F(BanGeocoderTest, FailuresFallBackToTheTownApproximately) {
  for (const char* text : {"5 rue en panne, Lyon", "5 rue illisible, Lyon"}) {
    auto r = geocoder_.geocode(text);
    ASSERT_EQ(r.status, Status::Found) << text;
    EXPECT_TRUE(r.location.approximate) << text;
    EXPECT_EQ(r.location.departement, "69");
  }
  // Nothing found by the BAN either: the offline answer stands.
  auto r = geocoder_.geocode("5 chemin inconnu, Lyon");
  ASSERT_EQ(r.status, Status::Found);
  EXPECT_TRUE(r.location.approximate);
}

TEST(BanGeocoder, UnreachableServerFallsBack) {
  OfflineGeocoder offline(gazetteer());
  int port = 0;
  {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = socket.address().port();
  }  // closed: nothing listens there any more
  BanGeocoder geocoder("http://127.0.0.1:" + std::to_string(port), std::chrono::milliseconds{500},
                       offline);
  auto r = geocoder.geocode("12 rue de la Paix 75002 Paris");
  ASSERT_EQ(r.status, Status::Found);
  EXPECT_TRUE(r.location.approximate);
}

TEST(BanAnswer, ReadsTheGeoJsonOrRefusesIt) {
  auto r = readBanAnswer(collection(kPaixFeature));
  ASSERT_EQ(r.status, Status::Found);
  EXPECT_EQ(r.location.label, "12 Rue de la Paix 75002 Paris");
  EXPECT_EQ(r.location.town, "Paris");
  EXPECT_EQ(readBanAnswer(collection("")).status, Status::NotFound);
  EXPECT_THROW(readBanAnswer("{}"), std::runtime_error);
  EXPECT_THROW(readBanAnswer("nope"), std::runtime_error);
  EXPECT_THROW(readBanAnswer(collection(R"({"type":"Feature"})")), std::runtime_error);
  auto town = readBanAnswer(collection(
      R"({"type":"Feature","geometry":{"type":"Point","coordinates":[4.83,45.76]},
      "properties":{"label":"Lyon","score":0.9,"type":"municipality","citycode":"69123"}})"));
  EXPECT_EQ(town.location.kind, LocationKind::Town);
  EXPECT_EQ(town.location.departement, "69");
}

}  // namespace
}  // namespace sas::geo
