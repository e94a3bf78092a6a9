// The configuration file's keys (src/config/config.cpp, one table): each kind of value is read,
// numbers are checked against their bounds on both sides, and an unknown key stops the start.
#include "config/config.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

namespace sas::config {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest()
      : file_(std::filesystem::temp_directory_path() /
              ("sas-config-" + std::to_string(::getpid()) + ".properties")) {}
  ~ConfigTest() override { std::filesystem::remove(file_); }

  // `lines` after paths.root (which must hold templates/).
  Config load(const std::string& lines, const std::map<std::string, std::string>& env = {}) {
    std::ofstream(file_) << "paths.root = " << SAS_SOURCE_DIR << "\n" << lines;
    return loadConfig(file_.string(), env);
  }

  std::string refusal(const std::string& lines) {
    try {
      load(lines);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "accepted";
  }

  std::filesystem::path file_;
};

TEST_F(ConfigTest, EachKindOfValueIsRead) {
  const auto c = load(
      "server.host = 0.0.0.0\n"
      "server.port = 9090\n"
      "server.access_log = false\n"
      "server.max_request_bytes = 2048\n"
      "mail.dir = /tmp/boite\n");
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.port, 9090);
  EXPECT_FALSE(c.accessLog);
  EXPECT_EQ(c.maxRequestBytes, 2048u);
  EXPECT_EQ(c.mailDir, std::filesystem::path("/tmp/boite"));
  EXPECT_EQ(c.root, std::filesystem::path(SAS_SOURCE_DIR));
}

TEST_F(ConfigTest, TheFormerNameOfAKeyStillSetsIt) {
  EXPECT_EQ(load("server.threads = 7\n").workers, 7);
}

TEST_F(ConfigTest, NumbersAreReadUpToTheirBoundsAndRefusedPastThem) {
  EXPECT_EQ(load("server.stop_grace_seconds = 0\n").stopGraceSeconds, 0);
  EXPECT_EQ(load("server.stop_grace_seconds = 24\n").stopGraceSeconds, 24);
  EXPECT_EQ(refusal("server.stop_grace_seconds = 25\n"),
            "server.stop_grace_seconds = '25' : un nombre entier entre 0 et 24 est attendu");
  EXPECT_NE(refusal("server.stop_grace_seconds = -1\n"), "accepted");
  EXPECT_NE(refusal("server.stop_grace_seconds = 2x\n"), "accepted");
  EXPECT_EQ(load("search.build_readers = 64\n").searchBuildReaders, 64);
  EXPECT_EQ(load("search.build_readers = 0\n").searchBuildReaders, 0);
  EXPECT_NE(refusal("search.build_readers = 65\n"), "accepted");
  EXPECT_EQ(load("server.max_request_bytes = 1024\n").maxRequestBytes, 1024u);
  EXPECT_NE(refusal("server.max_request_bytes = 1023\n"), "accepted");
}

// Tests only (browser journeys): the server's clock ahead of the system's, never behind.
TEST_F(ConfigTest, TheClockOffsetIsZeroUnlessSetAndNeverNegative) {
  EXPECT_EQ(load("").clockOffsetSeconds, 0);
  EXPECT_EQ(load("clock.offset_seconds = 90000\n").clockOffsetSeconds, 90000);
  EXPECT_EQ(load("clock.offset_seconds = 2678400\n").clockOffsetSeconds, 31 * 24 * 3600);
  EXPECT_NE(refusal("clock.offset_seconds = 2678401\n"), "accepted");
  EXPECT_NE(refusal("clock.offset_seconds = -1\n"), "accepted");
}

TEST_F(ConfigTest, BooleansAreTrueOrFalse) {
  EXPECT_TRUE(load("security.secure_cookies = true\n").secureCookies);
  EXPECT_EQ(refusal("security.secure_cookies = oui\n"),
            "security.secure_cookies = 'oui' : true ou false est attendu");
}

TEST_F(ConfigTest, AnUnknownKeyStopsTheStart) {
  EXPECT_EQ(refusal("server.prot = 8080\n"), "clé de configuration inconnue : server.prot");
}

TEST_F(ConfigTest, TheEnvironmentOverridesTheFileAndIsCheckedTheSameWay) {
  EXPECT_EQ(load("server.port = 9090\n", {{"SAS_PORT", "9191"}}).port, 9191);
  EXPECT_THROW(load("", {{"SAS_PORT", "65536"}}), ConfigError);
}

TEST_F(ConfigTest, TheMapsTileServerIsAnHttpTemplateWithItsAttribution) {
  const auto map = [&](const std::string& url, const std::string& attribution) {
    return "map.tiles_url = " + url + "\nmap.attribution = " + attribution + "\n";
  };
  // None by default: no map, no other image origin.
  EXPECT_EQ(load("").mapTilesUrl, "");
  EXPECT_EQ(load("").mapTilesOrigin(), "");
  const auto ign = load(
      map("https://data.geopf.fr/wmts?SERVICE=WMTS&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}", "IGN"));
  EXPECT_EQ(ign.mapTilesUrl,
            "https://data.geopf.fr/wmts?SERVICE=WMTS&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}");
  EXPECT_EQ(ign.mapAttribution, "IGN");
  EXPECT_EQ(ign.mapTilesOrigin(), "https://data.geopf.fr");
  EXPECT_EQ(load(map("http://127.0.0.1:9000/{z}/{x}/{y}.png", "Test")).mapTilesOrigin(),
            "http://127.0.0.1:9000");
  EXPECT_EQ(refusal(map("ftp://tuiles.test/{z}/{x}/{y}.png", "Test")),
            "map.tiles_url = 'ftp://tuiles.test/{z}/{x}/{y}.png' : une adresse http:// ou "
            "https:// est attendue");
  EXPECT_EQ(refusal(map("https://tuiles.test/{z}/{x}.png", "Test")),
            "map.tiles_url = 'https://tuiles.test/{z}/{x}.png' : {y} manque");
  EXPECT_EQ(refusal(map("https://tuiles.test/{z}/{x}/{y}.png", "")),
            "map.attribution est vide : la licence des tuiles demande de la citer");
  // The origin goes into the Content-Security-Policy: nothing but a host and a port.
  EXPECT_NE(refusal(map("https://tuiles.test;script-src*/{z}/{x}/{y}.png", "Test")), "accepted");
  EXPECT_NE(refusal(map("https://tuiles.test,x/{z}/{x}/{y}.png", "Test")), "accepted");
}

TEST_F(ConfigTest, TheFhirListenerNeedsItsAddressAndItsFourFiles) {
  // Off by default.
  EXPECT_EQ(load("").fhirListen, "");
  const auto dir =
      std::filesystem::temp_directory_path() / ("sas-config-fhir-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string files;
  for (const char* name : {"certificate", "key", "client_ca", "client_crl"}) {
    std::ofstream(dir / (std::string(name) + ".pem")) << "-\n";
    files += "fhir." + std::string(name) + " = " + (dir / name).string() + ".pem\n";
  }
  const auto c = load("fhir.listen = 127.0.0.1:8443\n" + files +
                      "fhir.allowed_clients = lrm-paris/SAMU 75, agregateur/ANS\n"
                      "fhir.base_url = https://sas.example.fr:8443/fhir\n");
  EXPECT_EQ(c.fhirListen, "127.0.0.1:8443");
  EXPECT_EQ(c.fhirClientCrl, (dir / "client_crl.pem").string());
  EXPECT_EQ(c.fhirAllowedClients, "lrm-paris/SAMU 75, agregateur/ANS");
  EXPECT_EQ(refusal("fhir.listen = 127.0.0.1:8443\n"),
            "fhir.listen est renseigné mais fhir.certificate est vide (un fichier PEM est "
            "attendu)");
  EXPECT_EQ(
      refusal("fhir.listen = 127.0.0.1:8443\nfhir.certificate = " +
              (dir / "certificate.pem").string() + "\nfhir.key = " + (dir / "key.pem").string() +
              "\nfhir.client_ca = " + (dir / "client_ca.pem").string() + "\n"),
      "fhir.listen est renseigné mais fhir.client_crl est vide (un fichier PEM est "
      "attendu)");
  EXPECT_EQ(refusal("fhir.listen = 127.0.0.1:8443\n" + files +
                    "fhir.key = " + (dir / "absent.pem").string() + "\n"),
            "fhir.key = '" + (dir / "absent.pem").string() + "' : fichier absent");
  EXPECT_EQ(refusal("fhir.listen = 8443\n" + files),
            "fhir.listen = '8443' : hôte:port attendu (par exemple 127.0.0.1:8443)");
  EXPECT_EQ(refusal("fhir.listen = 127.0.0.1:8443\n" + files +
                    "fhir.base_url = http://sas.example.fr/fhir\n"),
            "fhir.base_url = 'http://sas.example.fr/fhir' : une adresse https:// est attendue");
  std::filesystem::remove_all(dir);
}

TEST(ListenAddress, HostAndPortUpToTheirBounds) {
  const auto v4 = parseListenAddress("127.0.0.1:8443");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8443);
  const auto v6 = parseListenAddress("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_EQ(parseListenAddress("localhost:65535")->port, 65535);
  for (const char* bad : {"", "8443", ":8443", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
                          "127.0.0.1:84a3", "::1:8443", "[]:8443", "[::1:8443", "a b:1"})
    EXPECT_FALSE(parseListenAddress(bad)) << bad;
}

}  // namespace
}  // namespace sas::config
