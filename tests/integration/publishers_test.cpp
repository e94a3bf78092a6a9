// Interfaced booking software (issue 21, docs/rules.md#publishers) end to end: a second
// instance of our platform in FHIR publisher mode is the publisher, reached over mutual TLS with
// certificates made by openssl at test time; the SAS under test pulls it, matches its slots to
// places and shows them in the regulators' search; the publisher's changes, its silence and its
// switching off reach the search as the rules say. Both run the demo set of issue 20 at
// Wednesday 4 March 2026 10:00 in Paris: Dr Dupont (Paris 18e, SIRET 12345678200010) has a
// plage today at 14:00, nothing on Thursday, a créneau at 09:00 and a plage at 14:00 on Friday,
// a créneau at 09:00 on Saturday (71 h from now: in the 72 h pulled).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "app/directory_import.hpp"
#include "app/errors.hpp"
#include "app/publisher_service.hpp"
#include "app/search_service.hpp"
#include "storage/psc_store.hpp"
#include "support/fhir_client.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

void loadDemoSet(TestPlatform& t) {
  auto& p = t.platform();
  storage::SqlPscStore directory(p.database());
  app::addPublisherDemoSet(directory, t.structures(), t.agenda(), p.geocoder(), p.clock());
  p.search().rebuild();
}

app::Actor administrator(TestPlatform& t) {
  app::Actor a;
  a.user.id = 1;
  a.user.role = app::Role::Administrator;
  (void)t;
  return a;
}

class Publishers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new FhirPki;
    editor_ =
        new TestPlatform(parisTime(2026, 3, 4, 10), [](config::Config& c) { fhirOn(c, *pki_); });
    // The retries do not wait in tests (fhir.pull_retry_ms).
    loadDemoSet(*editor_);
  }
  static void TearDownTestSuite() {
    delete editor_;
    delete pki_;
    editor_ = nullptr;
    pki_ = nullptr;
  }
  void SetUp() override {
    editor_->clock().set(parisTime(2026, 3, 4, 10));
    sas_ = std::make_unique<TestPlatform>(parisTime(2026, 3, 4, 10),
                                          [](config::Config& c) { c.fhirPullRetryMs = 0; });
    loadDemoSet(*sas_);
    dupontStructure_ = sas_->structures().findByIdentifiers("", "12345678200010")->id;
    dupontPlace_ = sas_->structures().placesOfStructure(dupontStructure_).at(0).id;
  }

  app::PublisherForm form(int port, const std::string& name = "Agenda Libre") const {
    app::PublisherForm f;
    f.name = name;
    f.baseUrl = "https://127.0.0.1:" + std::to_string(port) + "/fhir";
    f.certificateFile = pki_->file("valid.pem");
    f.keyFile = pki_->file("valid-key.pem");
    f.caFile = pki_->file("ca.pem");
    return f;
  }
  std::int64_t registerEditor(const std::string& name = "Agenda Libre") {
    auto& service = sas_->platform().publishers();
    auto id = service.create(administrator(*sas_), form(editor_->fhirPort(), name));
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE(
        service.setStructurePublisher(dupontStructure_, true, std::to_string(*id.value)).empty());
    return *id.value;
  }
  // The slots of Dr Dupont's place as the regulators' search gives them.
  std::vector<domain::SearchSlot> dupontSlots() {
    app::Actor regulator;
    regulator.user.role = app::Role::Regulator;
    return sas_->platform().search().placeSheet(regulator, dupontPlace_).hit.slots;
  }
  std::vector<domain::SearchSlot> pulledOf(const std::vector<domain::SearchSlot>& slots) {
    std::vector<domain::SearchSlot> out;
    for (const auto& s : slots)
      if (s.publisher != 0) out.push_back(s);
    return out;
  }

  static FhirPki* pki_;
  static TestPlatform* editor_;
  std::unique_ptr<TestPlatform> sas_;
  std::int64_t dupontStructure_ = 0;
  std::int64_t dupontPlace_ = 0;
};

FhirPki* Publishers::pki_ = nullptr;
TestPlatform* Publishers::editor_ = nullptr;

TEST_F(Publishers, APullBringsThePublishersFreeSlotsIntoTheSearchMatchedByIdentifier) {
  const auto id = registerEditor();
  const auto report = sas_->platform().publishers().pull(id);
  ASSERT_TRUE(report.ran);
  ASSERT_TRUE(report.succeeded) << report.health.errors;
  EXPECT_EQ(report.health.professionals, 1);
  EXPECT_EQ(report.health.received, 4);
  EXPECT_EQ(report.health.matched, 4);
  EXPECT_EQ(report.health.unmatched, 0);
  EXPECT_EQ(report.health.errors, "");
  EXPECT_EQ(report.changedPlaces, std::vector<std::int64_t>{dupontPlace_});

  const auto pulled = pulledOf(dupontSlots());
  ASSERT_EQ(pulled.size(), 3u);  // the search's window ends on Saturday 00:00 in Paris
  EXPECT_EQ(pulled[0].start, parisTime(2026, 3, 4, 14));
  EXPECT_EQ(pulled[0].end, parisTime(2026, 3, 4, 17));
  EXPECT_EQ(pulled[0].kind, domain::AvailabilityKind::Slot);
  EXPECT_EQ(pulled[0].capacity, 1);
  EXPECT_EQ(pulled[0].publisher, id);
  EXPECT_EQ(pulled[1].start, parisTime(2026, 3, 6, 9));
  EXPECT_EQ(pulled[2].start, parisTime(2026, 3, 6, 14));
  // The card tells the publisher's name and its booking page.
  app::Actor regulator;
  regulator.user.role = app::Role::Regulator;
  const auto sheet = sas_->platform().search().placeSheet(regulator, dupontPlace_);
  const auto* record = sheet.card->pulledSlot(pulled[1]);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->publisherName, "Agenda Libre");
  EXPECT_EQ(record->bookingUrl.rfind(editor_->config().baseUrl + "/recherche/lieux/", 0), 0u)
      << record->bookingUrl;
  // The same pull again changes no place.
  sas_->clock().advance(std::chrono::minutes{5});
  const auto again = sas_->platform().publishers().pull(id);
  ASSERT_TRUE(again.succeeded);
  EXPECT_TRUE(again.changedPlaces.empty());
}

TEST_F(Publishers, WhatThePublisherNoLongerOffersLeavesAfterTheNextPull) {
  const auto id = registerEditor();
  ASSERT_TRUE(sas_->platform().publishers().pull(id).succeeded);
  ASSERT_EQ(pulledOf(dupontSlots()).size(), 3u);
  // On the publisher's side, Dr Dupont is away on Friday.
  const auto editorStructure = editor_->structures().findByIdentifiers("", "12345678200010")->id;
  const auto editorPlace = editor_->structures().placesOfStructure(editorStructure).at(0).id;
  auto away = editor_->agenda().unavailability(editorPlace);
  const auto before = away;
  away.periods.push_back(
      {domain::Day{date::year{2026} / 3 / 6}, domain::Day{date::year{2026} / 3 / 6}});
  editor_->agenda().saveUnavailability(editorPlace, away, {}, editor_->clock().now());
  editor_->platform().search().rebuild();
  // Not before the period has passed: the pull is not due.
  sas_->clock().advance(std::chrono::minutes{5} - std::chrono::seconds{1});
  EXPECT_FALSE(sas_->platform().publishers().pull(id).ran);
  sas_->clock().advance(std::chrono::seconds{1});
  const auto report = sas_->platform().publishers().pull(id);
  editor_->agenda().saveUnavailability(editorPlace, before, {}, editor_->clock().now());
  editor_->platform().search().rebuild();
  ASSERT_TRUE(report.succeeded);
  const auto pulled = pulledOf(dupontSlots());
  ASSERT_EQ(pulled.size(), 1u);
  EXPECT_EQ(pulled[0].start, parisTime(2026, 3, 4, 14));
}

TEST_F(Publishers, ASilentPublishersSlotsStayThirtyMinutesThenLeave) {
  const auto id = registerEditor();
  ASSERT_TRUE(sas_->platform().publishers().pull(id).succeeded);
  // The publisher moves away: every request fails to connect.
  auto& service = sas_->platform().publishers();
  auto f = form(1);  // nothing listens on port 1
  f.periodMinutes = "1";
  ASSERT_TRUE(service.update(administrator(*sas_), id, f).empty());
  for (int i = 0; i < 2; ++i) {
    sas_->clock().advance(std::chrono::minutes{5});
    service.pullDue();
    EXPECT_EQ(pulledOf(dupontSlots()).size(), 3u);
  }
  auto row = service.publisher(administrator(*sas_), id);
  EXPECT_EQ(row.health.breakerFailures, 2);
  EXPECT_NE(row.health.errors.find("connection="), std::string::npos) << row.health.errors;
  // Pulled at 10:00: shown at 10:29:59, gone at 10:30:00.
  sas_->clock().set(parisTime(2026, 3, 4, 10, 30) - std::chrono::seconds{1});
  service.pullDue();
  EXPECT_EQ(pulledOf(dupontSlots()).size(), 3u);
  sas_->clock().set(parisTime(2026, 3, 4, 10, 30));
  service.pullDue();
  EXPECT_TRUE(pulledOf(dupontSlots()).empty());
  // Our own availabilities stay.
  EXPECT_FALSE(dupontSlots().empty());
}

TEST_F(Publishers, TheBreakerOpensAtTheThirdFailureAndLetsOnePullTryAfterFifteenMinutes) {
  const auto id = registerEditor();
  auto& service = sas_->platform().publishers();
  auto f = form(1);
  f.periodMinutes = "1";
  ASSERT_TRUE(service.update(administrator(*sas_), id, f).empty());
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(service.pull(id).ran) << i;
    sas_->clock().advance(std::chrono::minutes{1});
  }
  const auto opened = sas_->clock().now() - std::chrono::minutes{1};
  EXPECT_EQ(service.publisher(administrator(*sas_), id).health.breakerFailures, 3);
  sas_->clock().set(opened + std::chrono::minutes{15} - std::chrono::seconds{1});
  EXPECT_FALSE(service.pull(id).ran);
  sas_->clock().set(opened + std::chrono::minutes{15});
  // Back where it was: the one pull tried succeeds and closes the breaker.
  f = form(editor_->fhirPort());
  ASSERT_TRUE(service.update(administrator(*sas_), id, f).empty());
  const auto report = service.pull(id);
  ASSERT_TRUE(report.ran);
  EXPECT_TRUE(report.succeeded) << report.health.errors;
  EXPECT_EQ(service.publisher(administrator(*sas_), id).health.breakerFailures, 0);
}

TEST_F(Publishers, SwitchedOffItsSlotsLeaveAtOnceAndItIsNoLongerPulled) {
  const auto id = registerEditor();
  auto& service = sas_->platform().publishers();
  ASSERT_TRUE(service.pull(id).succeeded);
  auto f = form(editor_->fhirPort());
  f.enabled = false;
  ASSERT_TRUE(service.update(administrator(*sas_), id, f).empty());
  EXPECT_TRUE(pulledOf(dupontSlots()).empty());
  sas_->clock().advance(std::chrono::minutes{10});
  EXPECT_FALSE(service.pull(id).ran);
  // And no structure can choose it any more.
  EXPECT_FALSE(service.setStructurePublisher(dupontStructure_, true, std::to_string(id)).empty());
}

TEST_F(Publishers, AWrongCertificateIsCountedAsATlsFailure) {
  auto& service = sas_->platform().publishers();
  auto f = form(editor_->fhirPort());
  f.certificateFile = pki_->file("stranger.pem");  // issued by another CA
  f.keyFile = pki_->file("stranger-key.pem");
  auto id = service.create(administrator(*sas_), f);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(
      service.setStructurePublisher(dupontStructure_, true, std::to_string(*id.value)).empty());
  const auto report = service.pull(*id.value);
  ASSERT_TRUE(report.ran);
  EXPECT_FALSE(report.succeeded);
  EXPECT_NE(report.health.errors.find("tls="), std::string::npos) << report.health.errors;
}

TEST_F(Publishers, TheRegistryChecksWhatIsTypedAndIsTheAdministratorsOnly) {
  auto& service = sas_->platform().publishers();
  app::PublisherForm bad;
  bad.name = "";
  bad.baseUrl = "http://editeur.example/fhir";
  bad.certificateFile = "relative.pem";
  bad.keyFile = "/nonexistent/key.pem";
  bad.caFile = "";
  bad.periodMinutes = "0";
  auto result = service.create(administrator(*sas_), bad);
  ASSERT_FALSE(result.ok());
  std::set<std::string> fields;
  for (const auto& e : result.errors) fields.insert(e.field);
  EXPECT_EQ(fields,
            (std::set<std::string>{"nom", "url", "certificat", "cle", "autorite", "periode"}));
  auto f = form(editor_->fhirPort());
  for (const auto& [period, ok] : std::vector<std::pair<std::string, bool>>{
           {"1", true}, {"60", true}, {"61", false}, {"0", false}, {"5 ", true}, {"x", false}}) {
    f.name = "Éditeur " + period;
    f.periodMinutes = period;
    EXPECT_EQ(service.create(administrator(*sas_), f).ok(), ok) << period;
  }
  f.name = "Éditeur 1";
  f.periodMinutes = "5";
  auto twice = service.create(administrator(*sas_), f);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.errors.at(0).message, "Un éditeur porte déjà ce nom.");
  app::Actor manager;
  manager.user.role = app::Role::AccountManager;
  EXPECT_THROW(service.publishers(manager), app::AppError);
  EXPECT_THROW(service.create(manager, form(editor_->fhirPort(), "Autre")), app::AppError);
}

TEST_F(Publishers, AdministratorsRegisterPublishersOnTheirPageAndReadTheirHealth) {
  sas_->addUser("admin@sas.test", "Motdepasse-123", app::Role::Administrator, {});
  Browser admin(sas_->port());
  ASSERT_EQ(admin.login("admin@sas.test", "Motdepasse-123").status, 303);
  auto list = admin.get("/editeurs");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("<h1>Éditeurs interfacés</h1>"), std::string::npos);
  EXPECT_NE(list.body.find("Aucun éditeur n'est enregistré."), std::string::npos);
  ASSERT_EQ(admin.get("/editeurs/nouveau").status, 200);
  // Refused: every message in French, what was typed kept, nothing saved.
  auto refused = admin.post("/editeurs", {{"nom", "Agenda Libre"},
                                          {"url", "ftp://editeur.example"},
                                          {"certificat", "/nulle/part.pem"},
                                          {"cle", pki_->file("valid-key.pem")},
                                          {"autorite", pki_->file("ca.pem")},
                                          {"periode", "90"},
                                          {"active", "1"}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("value=\"ftp://editeur.example\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"Agenda Libre\""), std::string::npos);
  EXPECT_NE(refused.body.find("en https://"), std::string::npos);
  EXPECT_NE(refused.body.find("est introuvable ou illisible sur le serveur"), std::string::npos);
  EXPECT_NE(refused.body.find("entre 1 et 60"), std::string::npos);
  EXPECT_TRUE(sas_->platform().publishers().publishers(administrator(*sas_)).empty());

  admin.get("/editeurs/nouveau");
  auto saved = admin.post(
      "/editeurs", {{"nom", "Agenda Libre"},
                    {"url", "https://127.0.0.1:" + std::to_string(editor_->fhirPort()) + "/fhir"},
                    {"certificat", pki_->file("valid.pem")},
                    {"cle", pki_->file("valid-key.pem")},
                    {"autorite", pki_->file("ca.pem")},
                    {"periode", "5"},
                    {"active", "1"}});
  ASSERT_EQ(saved.status, 303);
  const auto id = sas_->platform().publishers().publishers(administrator(*sas_)).at(0).publisher.id;
  EXPECT_EQ(saved.location, "/editeurs/" + std::to_string(id) + "?enregistre=1");
  ASSERT_TRUE(sas_->platform()
                  .publishers()
                  .setStructurePublisher(dupontStructure_, true, std::to_string(id))
                  .empty());
  ASSERT_TRUE(sas_->platform().publishers().pull(id).succeeded);
  auto sheet = admin.get("/editeurs/" + std::to_string(id));
  ASSERT_EQ(sheet.status, 200);
  EXPECT_NE(sheet.body.find("04/03/2026 à 10h00"), std::string::npos);
  EXPECT_NE(sheet.body.find("<dt>Créneaux reçus</dt><dd>4</dd>"), std::string::npos);
  EXPECT_NE(sheet.body.find("<dt>Créneaux non rattachés</dt><dd>0</dd>"), std::string::npos);
  EXPECT_EQ(admin.get("/editeurs/999").status, 404);
  // « Interroger maintenant »: due at once, though its period has not passed.
  EXPECT_FALSE(sas_->platform().publishers().pull(id).ran);
  auto asked = admin.post("/editeurs/" + std::to_string(id) + "/interroger", {});
  ASSERT_EQ(asked.status, 303);
  EXPECT_NE(admin.get(asked.location).body.find("interrogé dans les prochaines secondes"),
            std::string::npos);
  EXPECT_TRUE(sas_->platform().publishers().pull(id).ran);

  // Not an administrator: no access, by list or by object.
  sas_->addUser("gestionnaire@sas.test", "Motdepasse-123", app::Role::AccountManager, {},
                sas_->addTerritory("Île-de-France", {"75"}));
  Browser manager(sas_->port());
  ASSERT_EQ(manager.login("gestionnaire@sas.test", "Motdepasse-123").status, 303);
  EXPECT_EQ(manager.get("/editeurs").status, 403);
  EXPECT_EQ(manager.get("/editeurs/" + std::to_string(id)).status, 403);
  manager.get("/tableau-de-bord");
  EXPECT_EQ(manager.post("/editeurs/" + std::to_string(id) + "/interroger", {}).status, 403);
}

TEST_F(Publishers, AStructureSaysItsAvailabilitiesArePublishedByItsSoftwareInItsParameters) {
  const auto id =
      *sas_->platform().publishers().create(administrator(*sas_), form(editor_->fhirPort())).value;
  sas_->addManager("dupont@sas.test", "Motdepasse-123", {dupontStructure_});
  Browser manager(sas_->port());
  ASSERT_EQ(manager.login("dupont@sas.test", "Motdepasse-123").status, 303);
  const auto url = "/structures/" + std::to_string(dupontStructure_) + "/parametres";
  auto page = manager.get(url);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(
      page.body.find("Mes disponibilités sont publiées par mon logiciel de prise de rendez-vous"),
      std::string::npos);
  EXPECT_NE(page.body.find(">Agenda Libre</option>"), std::string::npos);
  // Ticked without a publisher: refused, as typed, nothing saved.
  auto refused = manager.post(url, {{"publie_par_logiciel", "1"}, {"editeur", ""}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(
      refused.body.find("Choisissez l&apos;éditeur de votre logiciel de prise de rendez-vous."),
      std::string::npos);
  EXPECT_NE(refused.body.find("name=\"publie_par_logiciel\" value=\"1\" checked"),
            std::string::npos);
  EXPECT_FALSE(sas_->platform().publishers().structurePublisher(dupontStructure_));
  manager.get(url);
  auto saved = manager.post(url, {{"publie_par_logiciel", "1"}, {"editeur", std::to_string(id)}});
  ASSERT_EQ(saved.status, 303);
  EXPECT_EQ(sas_->platform().publishers().structurePublisher(dupontStructure_), id);
  page = manager.get(url);
  EXPECT_NE(page.body.find("value=\"" + std::to_string(id) + "\" selected>Agenda Libre"),
            std::string::npos);
  // Unticked: no publisher any more.
  ASSERT_EQ(manager.post(url, {{"editeur", std::to_string(id)}}).status, 303);
  EXPECT_FALSE(sas_->platform().publishers().structurePublisher(dupontStructure_));
  // Another structure's manager cannot set it, by URL.
  const auto [otherStructure, otherPlace] = sas_->addCentre("Centre de santé Marcadet");
  (void)otherPlace;
  sas_->addManager("autre@sas.test", "Motdepasse-123", {otherStructure});
  Browser other(sas_->port());
  ASSERT_EQ(other.login("autre@sas.test", "Motdepasse-123").status, 303);
  other.get("/structures/" + std::to_string(otherStructure) + "/parametres");
  EXPECT_EQ(other.post(url, {{"publie_par_logiciel", "1"}, {"editeur", std::to_string(id)}}).status,
            404);
  EXPECT_FALSE(sas_->platform().publishers().structurePublisher(dupontStructure_));
}

TEST_F(Publishers, RegulatorsSeeAPublishersSlotAsALinkToItsBookingPage) {
  const auto id = registerEditor();
  ASSERT_TRUE(sas_->platform().publishers().pull(id).succeeded);
  sas_->addUser("regulateur@sas.test", "Motdepasse-123", app::Role::Regulator, {});
  Browser regulator(sas_->port());
  ASSERT_EQ(regulator.login("regulateur@sas.test", "Motdepasse-123").status, 303);
  auto sheet = regulator.get("/recherche/lieux/" + std::to_string(dupontPlace_));
  ASSERT_EQ(sheet.status, 200);
  EXPECT_EQ(count(sheet.body, "Agenda de l&apos;éditeur Agenda Libre<span class=\"fr-sr-only\">"),
            3u);
  EXPECT_NE(sheet.body.find("?origin=sas\" target=\"_blank\" rel=\"noopener\""), std::string::npos);
  // Ours keep « Adresser un patient »; the publisher's are booked on its side.
  EXPECT_EQ(count(sheet.body, ">Adresser un patient<span"), dupontSlots().size() - 3);

  // The JSON search names the publisher and its booking page on its slots only.
  const auto place = sas_->structures().placesOfStructure(dupontStructure_).at(0);
  auto found = regulator.get(
      "/api/v1/search?" +
      encodeForm(
          {{"adresse", place.postalCode + " " + place.town}, {"rayon", "1"}, {"par_page", "50"}}));
  ASSERT_EQ(found.status, 200) << found.body.substr(0, 400);
  const auto json = nlohmann::json::parse(found.body);
  std::size_t published = 0, ours = 0;
  for (const auto& r : json["results"]) {
    if (r["id"] != dupontPlace_) continue;
    for (const auto& a : r["availabilities"]) {
      if (!a.contains("publisher")) {
        EXPECT_FALSE(a.contains("booking_url"));
        ++ours;
        continue;
      }
      ++published;
      EXPECT_EQ(a["publisher"], "Agenda Libre");
      EXPECT_EQ(a["booking_url"].get<std::string>().rfind(
                    editor_->config().baseUrl + "/recherche/lieux/", 0),
                0u)
          << a.dump();
      // Our six members (start, end, kind, capacity, offered_until, types) and those two.
      EXPECT_EQ(a.size(), 8u) << a.dump();
    }
  }
  EXPECT_EQ(published, 3u);
  EXPECT_EQ(ours + published, dupontSlots().size());
}

// This week's visible hours on the dashboard, in minutes (« 12 h 30 »).
int visibleThisWeek(const std::string& dashboard) {
  const std::string row = "<th scope=\"row\">Cette semaine (du 02/03/2026 au 08/03/2026)</th><td>";
  const auto at = dashboard.find(row);
  if (at == std::string::npos) return -1;
  const auto text = dashboard.substr(at + row.size(),
                                     dashboard.find("</td>", at + row.size()) - (at + row.size()));
  int hours = 0, minutes = 0;
  std::sscanf(text.c_str(), "%d h %d", &hours, &minutes);
  return hours * 60 + minutes;
}

TEST_F(Publishers, ThePulledHoursCountForTheAvenantOfTheirPlace) {
  sas_->addManager("dupont@sas.test", "Motdepasse-123", {dupontStructure_});
  Browser manager(sas_->port());
  ASSERT_EQ(manager.login("dupont@sas.test", "Motdepasse-123").status, 303);
  const auto before = visibleThisWeek(manager.get("/tableau-de-bord").body);
  ASSERT_GE(before, 0);
  const auto id = registerEditor();
  ASSERT_TRUE(sas_->platform().publishers().pull(id).succeeded);
  // Wednesday's plage 14:00-17:00, Friday's 09:00-09:30 and 14:00-17:00, Saturday's 09:00-09:30.
  EXPECT_EQ(visibleThisWeek(manager.get("/tableau-de-bord").body), before + 7 * 60);
}

TEST_F(Publishers, AccountManagersSetTheSoftwareOfTheirTerritorysStructures) {
  const auto id =
      *sas_->platform().publishers().create(administrator(*sas_), form(editor_->fhirPort())).value;
  sas_->addUser("idf@sas.test", "Motdepasse-123", app::Role::AccountManager, {},
                sas_->addTerritory("Île-de-France", {"75"}));
  sas_->addUser("ara@sas.test", "Motdepasse-123", app::Role::AccountManager, {},
                sas_->addTerritory("Auvergne-Rhône-Alpes", {"69"}));
  Browser idf(sas_->port());
  ASSERT_EQ(idf.login("idf@sas.test", "Motdepasse-123").status, 303);
  auto list = idf.get("/structures");
  ASSERT_EQ(list.status, 200);
  const auto action = "/structures/" + std::to_string(dupontStructure_) + "/logiciel";
  EXPECT_NE(list.body.find("action=\"" + action + "\""), std::string::npos);
  auto saved = idf.post(action, {{"editeur", std::to_string(id)}});
  ASSERT_EQ(saved.status, 303);
  EXPECT_EQ(sas_->platform().publishers().structurePublisher(dupontStructure_), id);
  EXPECT_NE(idf.get(saved.location).body.find("a été enregistré"), std::string::npos);
  // An unknown publisher (switched off since the page was shown, or forged): the list again,
  // the message beside this structure's select, nothing changed.
  const auto refused = idf.post(action, {{"editeur", "999"}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("n'a pas été enregistré"), std::string::npos) << refused.body;
  const auto field = "id=\"editeur-" + std::to_string(dupontStructure_) + "-erreur\"";
  EXPECT_NE(refused.body.find(field + ">Choisissez l&apos;éditeur de votre logiciel"),
            std::string::npos);
  EXPECT_NE(refused.body.find("aria-describedby=\"editeur-" + std::to_string(dupontStructure_) +
                              "-erreur\""),
            std::string::npos);
  EXPECT_EQ(refused.body.find("a été enregistré."), std::string::npos);
  EXPECT_EQ(sas_->platform().publishers().structurePublisher(dupontStructure_), id);
  // Another territory's manager: the structure is not his, by URL.
  Browser ara(sas_->port());
  ASSERT_EQ(ara.login("ara@sas.test", "Motdepasse-123").status, 303);
  ara.get("/structures");
  EXPECT_EQ(ara.post(action, {{"editeur", ""}}).status, 404);
  EXPECT_EQ(sas_->platform().publishers().structurePublisher(dupontStructure_), id);
  // Back to none.
  idf.get("/structures");
  ASSERT_EQ(idf.post(action, {{"editeur", ""}}).status, 303);
  EXPECT_FALSE(sas_->platform().publishers().structurePublisher(dupontStructure_));
}

TEST_F(Publishers, TwoPublishersEachForTheStructuresThatChoseIt) {
  // A second publisher, another instance with other data: Dr Martin's MSP is away on Friday.
  TestPlatform second(parisTime(2026, 3, 4, 10), [](config::Config& c) { fhirOn(c, *pki_); });
  loadDemoSet(second);
  const auto secondMsp = second.structures().findByIdentifiers("690000013", "")->id;
  const auto secondMspPlace = second.structures().placesOfStructure(secondMsp).at(0).id;
  domain::Unavailability away;
  away.periods.push_back(
      {domain::Day{date::year{2026} / 3 / 6}, domain::Day{date::year{2026} / 3 / 6}});
  second.agenda().saveUnavailability(secondMspPlace, away, {}, second.clock().now());
  second.platform().search().rebuild();

  const auto first = registerEditor("Agenda Libre");
  auto& service = sas_->platform().publishers();
  auto secondId =
      service.create(administrator(*sas_), form(second.fhirPort(), "Rendez-vous Santé"));
  ASSERT_TRUE(secondId.ok());
  const auto msp = sas_->structures().findByIdentifiers("690000013", "")->id;
  const auto mspPlace = sas_->structures().placesOfStructure(msp).at(0).id;
  const auto villeurbanne = sas_->structures().findByIdentifiers("", "55012345900020")->id;
  const auto villeurbannePlace = sas_->structures().placesOfStructure(villeurbanne).at(0).id;
  ASSERT_TRUE(service.setStructurePublisher(msp, true, std::to_string(*secondId.value)).empty());

  ASSERT_TRUE(service.pull(first).succeeded);
  const auto report = service.pull(*secondId.value);
  ASSERT_TRUE(report.succeeded) << report.health.errors;
  // Dr Martin only: his Lyon slots matched by the MSP's FINESS; those of Villeurbanne, whose
  // structure did not choose this publisher, counted as not matched.
  EXPECT_EQ(report.health.professionals, 1);
  EXPECT_GT(report.health.matched, 0);
  EXPECT_GT(report.health.unmatched, 0);
  EXPECT_EQ(report.changedPlaces, std::vector<std::int64_t>{mspPlace});

  app::Actor regulator;
  regulator.user.role = app::Role::Regulator;
  const auto lyon = sas_->platform().search().placeSheet(regulator, mspPlace);
  const auto pulled = pulledOf(lyon.hit.slots);
  ASSERT_FALSE(pulled.empty());
  for (const auto& s : pulled) {
    EXPECT_EQ(s.publisher, *secondId.value);
    EXPECT_NE(domain::localDay(*lyon.hit.zone, s.start), (domain::Day{date::year{2026} / 3 / 6}));
    EXPECT_EQ(lyon.card->pulledSlot(s)->publisherName, "Rendez-vous Santé");
  }
  EXPECT_TRUE(pulledOf(sas_->platform().search().placeSheet(regulator, villeurbannePlace).hit.slots)
                  .empty());
  for (const auto& s : pulledOf(dupontSlots())) EXPECT_EQ(s.publisher, first);
  EXPECT_EQ(pulledOf(dupontSlots()).size(), 3u);
}

TEST_F(Publishers, TheNewFormsRefuseAMissingCsrfTokenAndUnknownObjects) {
  const auto id = registerEditor();
  sas_->addUser("admin@sas.test", "Motdepasse-123", app::Role::Administrator, {});
  Browser admin(sas_->port());
  ASSERT_EQ(admin.login("admin@sas.test", "Motdepasse-123").status, 303);
  const auto sheet = "/editeurs/" + std::to_string(id);
  // Without the CSRF token: refused, nothing saved.
  EXPECT_EQ(admin.postRaw("/editeurs", {{"nom", "Sans jeton"}}).status, 400);
  EXPECT_EQ(admin.postRaw(sheet, {{"nom", "Renommé"}}).status, 400);
  EXPECT_EQ(admin.postRaw(sheet + "/interroger", {}).status, 400);
  EXPECT_EQ(admin
                .postRaw("/structures/" + std::to_string(dupontStructure_) + "/logiciel",
                         {{"editeur", ""}})
                .status,
            400);
  const auto rows = sas_->platform().publishers().publishers(administrator(*sas_));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].publisher.name, "Agenda Libre");
  EXPECT_EQ(sas_->platform().publishers().structurePublisher(dupontStructure_), id);
  // Unknown or malformed objects: 404, never 500.
  admin.get("/editeurs");
  EXPECT_EQ(admin.get("/editeurs/abc").status, 404);
  EXPECT_EQ(admin.post("/editeurs/999", {{"nom", "X"}}).status, 404);
  admin.get("/editeurs");
  EXPECT_EQ(admin.post("/editeurs/999/interroger", {}).status, 404);
  admin.get("/structures");
  EXPECT_EQ(admin.post("/structures/999999/logiciel", {{"editeur", ""}}).status, 404);
}

}  // namespace
}  // namespace sas::test
