// The regulators' search over real HTTP (docs/rules.md#search): the page and its rules, the
// place's sheet, the JSON API with sessions and tokens, the index kept up to date by the
// managers' changes, and regulators refused on every write route.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <GeographicLib/Geodesic.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include <unistd.h>

#include "app/search_service.hpp"
#include "geo/gazetteer.hpp"
#include "storage/agenda_digest.hpp"
#include "storage/database.hpp"
#include "storage/psc_store.hpp"
#include "storage/search_source.hpp"
#include "support/days.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using domain::Day;

const char* const kPassword = "Correct-Horse-42!";
const domain::GeoPoint kParis{48.85341, 2.34880};  // data/communes.csv: Paris

domain::GeoPoint towards(domain::GeoPoint from, double azimuth, double metres) {
  domain::GeoPoint to;
  GeographicLib::Geodesic::WGS84().Direct(from.latitude, from.longitude, azimuth, metres,
                                          to.latitude, to.longitude);
  return to;
}

using test::ymd;

domain::ConsultationTypes typesOf(std::initializer_list<domain::ConsultationType> list) {
  domain::ConsultationTypes t;
  for (auto x : list) t.add(x);
  return t;
}
const auto kOffice = typesOf({domain::ConsultationType::Office});
const auto kTele = typesOf({domain::ConsultationType::Teleconsultation});

struct ApiAnswer {
  int status = 0;
  nlohmann::json body;
  bool setsCookie = false;
};

// Wednesday 4 March 2026, 10:00 in Paris: the window ends on Saturday 7 March at 00:00.
class SearchTest : public ::testing::Test {
 protected:
  explicit SearchTest(std::function<void(config::Config&)> adjust = nullptr)
      : platform_(parisTime(2026, 3, 4, 10), std::move(adjust)),
        regulator_(platform_.port()),
        manager_(platform_.port()) {
    platform_.addUser("regulateur@sas.test", kPassword, app::Role::Regulator, {});
  }

  struct PlaceSpec {
    std::string name;
    domain::GeoPoint at = kParis;
    bool participates = true;
    bool acceptsContact = false;
    std::string type = "Centre de santé";
    std::string specialties = "Médecine générale";
    std::string timeZone = "Europe/Paris";
    std::string departement = "75";
  };

  std::pair<std::int64_t, std::int64_t> addPlace(const PlaceSpec& p) {
    app::Structure s{0,
                     p.name,
                     p.type,
                     "",
                     "",
                     "01 02 03 04 05",
                     p.departement,
                     {p.participates, p.participates ? 2 : 0, p.acceptsContact, p.participates}};
    const auto sid = platform_.structures().createStructure(s);
    const auto pid = platform_.structures().createPlace(
        {0, sid, "", "1 rue de l'Essai", "75001", "Paris", "75056", p.at.latitude, p.at.longitude,
         p.timeZone, "01 02 03 04 05"});
    platform_.platform().searchStore().setSpecialties(sid, p.specialties, platform_.clock().now());
    return {sid, pid};
  }

  // A one-off availability on a local date of the place, committed like a manager's.
  void offer(std::int64_t place, Day day, int fromMinute, int toMinute,
             domain::ConsultationTypes types = kOffice,
             domain::AvailabilityKind kind = domain::AvailabilityKind::Slot, int capacity = 1) {
    domain::Availability a;
    a.placeId = place;
    a.base = {day, fromMinute, toMinute, kind, capacity, types};
    domain::AgendaChange change;
    change.created.push_back(a);
    platform_.agenda().applyChange(place, change, {std::nullopt, "test", "", "", ""},
                                   platform_.clock().now());
  }

  // Places added behind the services' back: the index reads them again, as at a start.
  void reindex() { platform_.platform().search().rebuild(); }

  bool sqlite() { return platform_.platform().database().dialect() == storage::Dialect::Sqlite; }

  // Whether a build wrote the place's digest (SQLite, migration 064).
  bool hasDigest(std::int64_t place) {
    storage::Connection c(platform_.platform().database());
    long long id = place;
    int count = 0;
    c.sql() << "SELECT COUNT(*) FROM agenda_digests WHERE place_id = :p", soci::use(id),
        soci::into(count);
    return count == 1;
  }

  Page search(const std::string& query) { return regulator_.get("/recherche?" + query); }

  ApiAnswer api(const std::string& query, const std::string& bearer = "",
                const std::string& cookie = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(platform_.port()));
    Poco::Net::HTTPRequest request("GET", "/api/v1/search?" + query,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    if (!bearer.empty()) request.set("Authorization", "Bearer " + bearer);
    if (!cookie.empty()) request.set("Cookie", cookie);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::string body;
    Poco::StreamCopier::copyToString(in, body);
    ApiAnswer a;
    a.status = static_cast<int>(response.getStatus());
    a.body = nlohmann::json::parse(body, nullptr, false);
    a.setsCookie = response.has("Set-Cookie");
    return a;
  }

  std::string sessionCookie(Browser& b) { return "sas_session=" + b.cookies()["sas_session"]; }

  void loginRegulator() {
    auto r = regulator_.login("regulateur@sas.test", kPassword);
    ASSERT_EQ(r.status, 303);
  }

  // The names of the results, in order.
  static std::vector<std::string> names(const std::string& page) {
    static const std::regex title(R"re(<h3 class="fr-card__title"><a href="[^"]*">([^<]*)</a>)re");
    std::vector<std::string> out;
    for (std::sregex_iterator it(page.begin(), page.end(), title), end; it != end; ++it)
      out.push_back((*it)[1]);
    return out;
  }

  static std::string link(const std::string& page, const std::string& text) {
    const std::regex a("<a [^>]*href=\"([^\"]*)\"[^>]*>" + text);
    std::smatch m;
    if (!std::regex_search(page, m, a)) return {};
    std::string url = m[1];
    for (std::string::size_type p; (p = url.find("&amp;")) != std::string::npos;)
      url.replace(p, 5, "&");
    return url;
  }

  TestPlatform platform_;
  Browser regulator_;
  Browser manager_;
  const Day today_ = ymd(2026, 3, 4);
};

TEST_F(SearchTest, ARegulatorLandsOnTheSearchForm) {
  loginRegulator();
  auto dashboard = regulator_.get("/tableau-de-bord");
  EXPECT_EQ(dashboard.status, 303);
  EXPECT_EQ(dashboard.location, "/recherche");
  auto page = regulator_.get("/recherche");
  ASSERT_EQ(page.status, 200);
  for (const char* text :
       {"Renseigner une spécialité, une structure", "Renseigner une adresse", "for=\"quoi\"",
        "id=\"quoi\"", "for=\"adresse\"", "id=\"adresse\"", "Disponible sous", "0 - 4 h",
        "48 - 72 h", "Créneaux en sus des disponibilités", "Téléconsultation", "for=\"rayon\""})
    EXPECT_NE(page.body.find(text), std::string::npos) << text;
}

TEST_F(SearchTest, OnlyRegulatorsSearch) {
  const auto [sid, pid] = addPlace({"Centre Alpha"});
  platform_.addManager("camille@sas.test", kPassword, {sid});
  manager_.login("camille@sas.test", kPassword);
  EXPECT_EQ(manager_.get("/recherche").status, 403);
  EXPECT_EQ(manager_.get("/recherche?adresse=Paris").status, 403);
  EXPECT_EQ(manager_.get("/recherche/lieux/" + std::to_string(pid)).status, 403);
  EXPECT_EQ(api("adresse=Paris", "", sessionCookie(manager_)).status, 403);
  Browser anonymous(platform_.port());
  auto page = anonymous.get("/recherche?adresse=Paris");
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(page.location.rfind("/connexion", 0), 0u);
  const auto answer = api("adresse=Paris");
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.body["error"], "unauthenticated");
}

TEST_F(SearchTest, AddressOrdersParticipantsFirstByDistanceAndShowsIt) {
  const auto near = addPlace({"Centre Proche", towards(kParis, 10, 850), true}).second;
  const auto far = addPlace({"Centre Loin", towards(kParis, 200, 3'210), true}).second;
  const auto other = addPlace({"Cabinet Voisin", towards(kParis, 90, 500), false}).second;
  const auto out = addPlace({"Centre Hors Rayon", towards(kParis, 0, 5'100), true}).second;
  for (auto p : {near, far, other, out}) offer(p, today_, 11 * 60, 11 * 60 + 30);
  reindex();
  loginRegulator();
  auto page = search("adresse=12+rue+de+la+Paix+Paris");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(names(page.body),
            (std::vector<std::string>{"Centre Proche", "Centre Loin", "Cabinet Voisin"}));
  EXPECT_NE(page.body.find("à 850 m"), std::string::npos);
  EXPECT_NE(page.body.find("à 3,2 km"), std::string::npos);
  EXPECT_NE(page.body.find("à 500 m"), std::string::npos);
  EXPECT_NE(page.body.find("Position approximative"), std::string::npos);
  EXPECT_NE(page.body.find("3 résultats"), std::string::npos);
  EXPECT_NE(page.body.find("rayon de 5 km"), std::string::npos);  // Paris's rayon_ville_km
  // A wider radius takes the fourth.
  auto wider = search("adresse=12+rue+de+la+Paix+Paris&rayon=6");
  EXPECT_EQ(names(wider.body).size(), 4u);
}

TEST_F(SearchTest, TownOrderIsDrawnPerSearchAndItsPagesNeitherRepeatNorSkip) {
  for (int i = 0; i < 26; ++i) {
    const auto p = addPlace({"Centre " + std::to_string(100 + i),
                             towards(kParis, 13.0 * i, 100.0 + 150 * i), i < 21})
                       .second;
    offer(p, today_, 15 * 60, 16 * 60);
  }
  reindex();
  loginRegulator();
  auto first = search("adresse=Paris");
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("26 résultats"), std::string::npos);
  EXPECT_EQ(first.body.find(" · <strong>à "), std::string::npos);  // no distance for a town
  EXPECT_NE(first.body.find("ordre tiré au hasard"), std::string::npos);
  std::vector<std::string> all = names(first.body);
  ASSERT_EQ(all.size(), 10u);
  const auto page2 = link(first.body, "2<");
  ASSERT_NE(page2.find("graine="), std::string::npos) << page2;
  auto second = regulator_.get(page2);
  const auto page3 = link(second.body, "3<");
  auto third = regulator_.get(page3);
  for (const auto* p : {&second, &third})
    for (const auto& n : names(p->body)) all.push_back(n);
  ASSERT_EQ(all.size(), 26u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 26u);
  // Participants (Centre 100 … 120) before the others.
  for (std::size_t k = 0; k < 21; ++k) EXPECT_LT(all[k], "Centre 121") << k;
  // The same page with the same draw gives the same order; a new search draws again.
  EXPECT_EQ(names(regulator_.get(page2).body), names(second.body));
  bool differs = false;
  for (int attempt = 0; attempt < 5 && !differs; ++attempt)
    differs = names(search("adresse=Paris").body) != names(first.body);
  EXPECT_TRUE(differs);
  // Not the order of distance either (that would favour the town hall's neighbours).
  std::vector<std::string> byDistance;
  for (int i = 0; i < 10; ++i) byDistance.push_back("Centre " + std::to_string(100 + i));
  EXPECT_NE(names(first.body), byDistance);
}

TEST_F(SearchTest, WindowAndFiltersDecideWhatIsFound) {
  const auto tele = addPlace({"Centre Télé", towards(kParis, 0, 300)}).second;
  offer(tele, today_, 11 * 60, 12 * 60, kTele);
  const auto later = addPlace({"Centre Vendredi", towards(kParis, 90, 300)}).second;
  offer(later, ymd(2026, 3, 6), 23 * 60 + 45, 23 * 60 + 59);
  const auto saturday = addPlace({"Centre Samedi", towards(kParis, 180, 300)}).second;
  offer(saturday, ymd(2026, 3, 7), 9 * 60, 10 * 60);
  const auto started = addPlace({"Centre Commencé", towards(kParis, 270, 300)}).second;
  offer(started, today_, 9 * 60 + 45, 12 * 60);
  reindex();
  loginRegulator();
  auto all = names(search("adresse=Paris").body);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{"Centre Télé", "Centre Vendredi"}));
  EXPECT_EQ(names(search("adresse=Paris&cabinet=1").body),
            (std::vector<std::string>{"Centre Vendredi"}));
  EXPECT_EQ(names(search("adresse=Paris&teleconsultation=1").body),
            (std::vector<std::string>{"Centre Télé"}));
  // 11h00 is within 0–4 h of 10h00; Friday 23h45 is within 48–72 h.
  EXPECT_EQ(names(search("adresse=Paris&sous=0-4").body),
            (std::vector<std::string>{"Centre Télé"}));
  EXPECT_EQ(names(search("adresse=Paris&sous=48-72").body),
            (std::vector<std::string>{"Centre Vendredi"}));
  EXPECT_TRUE(names(search("adresse=Paris&sous=4-8").body).empty());
  auto bad = search("adresse=Paris&sous=1-2");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("id=\"sous-erreur\""), std::string::npos);
}

// SPEC §10 « Past »: plage Wednesday 09h00–12h00 for 3 is searched until 11h30 (that second
// included, as a créneau at its start), its card, its sheet and the API saying until when.
TEST_F(SearchTest, AStartedPlageIsOfferedUntilThirtyMinutesBeforeItsEndWithItsRemainingTime) {
  const auto plage = addPlace({"Centre Plage", towards(kParis, 0, 300)}).second;
  offer(plage, today_, 9 * 60, 12 * 60, kOffice, domain::AvailabilityKind::Range, 3);
  const auto later = addPlace({"Centre Après-midi", towards(kParis, 90, 300)}).second;
  offer(later, today_, 14 * 60, 16 * 60, kOffice, domain::AvailabilityKind::Range, 2);
  reindex();
  loginRegulator();
  const auto page = search("adresse=Paris");
  auto all = names(page.body);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{"Centre Après-midi", "Centre Plage"}));
  EXPECT_NE(page.body.find("09h00 - 12h00</strong> · Plage"), std::string::npos);
  EXPECT_NE(page.body.find("en cours, jusqu&apos;à 12h00"), std::string::npos);
  EXPECT_EQ(page.body.find("jusqu&apos;à 16h00"), std::string::npos);  // not started
  const auto sheet = regulator_.get("/recherche/lieux/" + std::to_string(plage));
  EXPECT_NE(sheet.body.find("en cours, jusqu&apos;à 12h00"), std::string::npos);
  // « Disponible sous 0–4 h » counts it from now.
  EXPECT_EQ(names(search("adresse=Paris&sous=0-4").body),
            (std::vector<std::string>{"Centre Plage"}));

  const auto json = api("adresse=Paris", "", sessionCookie(regulator_));
  ASSERT_EQ(json.status, 200);
  bool seen = false;
  for (const auto& r : json.body["results"])
    if (r["id"] == plage) {
      seen = true;
      ASSERT_EQ(r["availabilities"].size(), 1u);
      EXPECT_EQ(r["availabilities"][0]["start"], "2026-03-04T09:00:00+01:00");
      EXPECT_EQ(r["availabilities"][0]["offered_until"], "2026-03-04T11:30:00+01:00");
    } else {
      EXPECT_EQ(r["availabilities"][0]["offered_until"], "2026-03-04T15:30:00+01:00");
    }
  EXPECT_TRUE(seen);

  // The session would have expired meanwhile: logged in again at each hour asked.
  platform_.clock().set(parisTime(2026, 3, 4, 11, 30));
  loginRegulator();
  all = names(search("adresse=Paris").body);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{"Centre Après-midi", "Centre Plage"}));
  platform_.clock().advance(std::chrono::seconds{1});
  EXPECT_EQ(names(search("adresse=Paris").body), (std::vector<std::string>{"Centre Après-midi"}));
  EXPECT_EQ(regulator_.get("/recherche/lieux/" + std::to_string(plage))
                .body.find("en cours, jusqu&apos;à 12h00"),
            std::string::npos);
}

// « Élargir à N km » when the radius holds fewer than 5 places with availabilities: Paris, 5 km
// then 5 + 3 (data/rayons-recherche.csv), every other criterion kept; the API says what it adds.
TEST_F(SearchTest, FewerThanFivePlacesWithAvailabilitiesOfferToWiden) {
  for (int i = 0; i < 4; ++i) {
    const auto p = addPlace({"Centre Proche " + std::to_string(i), towards(kParis, 90 * i, 300)});
    offer(p.second, today_, 11 * 60, 12 * 60);
  }
  for (int i = 0; i < 2; ++i) {
    const auto p = addPlace({"Centre Loin " + std::to_string(i), towards(kParis, 90 * i, 6'500)});
    offer(p.second, today_, 11 * 60, 12 * 60);
  }
  const auto far = addPlace({"Centre Très Loin", towards(kParis, 0, 9'000)}).second;
  offer(far, today_, 11 * 60, 12 * 60);
  reindex();
  loginRegulator();
  const std::string criteria = "adresse=Paris&quoi=centre&cabinet=1&sous=0-4";
  auto page = search(criteria);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(names(page.body).size(), 4u);
  EXPECT_NE(page.body.find("Moins de 5 structures avec des disponibilités dans ce rayon."),
            std::string::npos);
  EXPECT_NE(page.body.find("2 structures avec des disponibilités de plus"), std::string::npos);
  const auto wider = link(page.body, "Élargir à 8 km");
  ASSERT_FALSE(wider.empty());
  for (const auto* kept : {"adresse=Paris", "quoi=centre", "cabinet=1", "sous=0-4", "rayon=8"})
    EXPECT_NE(wider.find(kept), std::string::npos) << kept << " in " << wider;
  EXPECT_EQ(wider.find("graine="), std::string::npos);  // a new search: a new draw
  EXPECT_EQ(names(regulator_.get(wider).body).size(), 6u);

  auto json = api(criteria, "", sessionCookie(regulator_));
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(json.body["radius_km"], 5);
  EXPECT_EQ(json.body["widening"]["radius_km"], 8);
  EXPECT_EQ(json.body["widening"]["more_available"], 2);

  // A fifth place with an availability in the radius: no longer offered.
  const auto fifth = addPlace({"Centre Proche 4", towards(kParis, 45, 300)}).second;
  offer(fifth, today_, 11 * 60, 12 * 60);
  reindex();
  page = search(criteria);
  EXPECT_EQ(names(page.body).size(), 5u);
  EXPECT_EQ(page.body.find("Élargir à"), std::string::npos);
  json = api(criteria, "", sessionCookie(regulator_));
  EXPECT_EQ(json.body["total"], 5);
  EXPECT_TRUE(json.body["widening"].is_null());
}

TEST_F(SearchTest, SpecialtyOrStructureTextNarrowsTheResults) {
  const auto a = addPlace({"Maison de santé des Lilas", towards(kParis, 0, 300), true, false,
                           "Maison de santé pluriprofessionnelle", "Pédiatrie, Médecine générale"})
                     .second;
  const auto b = addPlace({"SOS Médecins Paris", towards(kParis, 90, 300), true, false,
                           "SOS Médecins", "Médecine générale"})
                     .second;
  offer(a, today_, 11 * 60, 12 * 60);
  offer(b, today_, 11 * 60, 12 * 60);
  reindex();
  loginRegulator();
  EXPECT_EQ(names(search("adresse=Paris&quoi=p%C3%A9diatre").body),
            (std::vector<std::string>{"Maison de santé des Lilas"}));
  EXPECT_EQ(names(search("adresse=Paris&quoi=SOS+medecins").body),
            (std::vector<std::string>{"SOS Médecins Paris"}));
  EXPECT_EQ(names(search("adresse=Paris&quoi=maison+de+sant%C3%A9").body),
            (std::vector<std::string>{"Maison de santé des Lilas"}));
  EXPECT_EQ(names(search("adresse=Paris&quoi=m%C3%A9decine+g%C3%A9n%C3%A9rale").body).size(), 2u);
}

TEST_F(SearchTest, AProfessionalsNameOrSpecialtyFindsHisPlaceAndThePageNamesHim) {
  // Dr Lieux is in the directory at the first centre; Dr Béranger has a Pro Santé Connect
  // account at the second, his specialty from the directory by his national id.
  const auto [sa, a] = addPlace({"Centre de santé Michel-Ange", towards(kParis, 0, 300), true,
                                 false, "Centre de santé", "Soins infirmiers"});
  const auto [sb, b] = addPlace({"Maison de santé Auteuil", towards(kParis, 90, 300), true, false,
                                 "Maison de santé", "Soins infirmiers"});
  offer(a, today_, 11 * 60, 12 * 60);
  offer(b, today_, 11 * 60, 12 * 60);
  storage::SqlPscStore directory(platform_.platform().database());
  directory.saveProfessional({"899700000003", "LIEUX", "Claire", "Médecin", "Médecine générale"});
  directory.addDirectoryPlace("899700000003", "12345678900011", sa);
  directory.saveProfessional({"899700000077", "BÉRANGER", "Noël", "Médecin", "Pédiatrie"});
  const auto doctor =
      platform_.addUser("noel.beranger@sas.test", kPassword, app::Role::Practitioner, {sb});
  directory.link("https://psc.test", "f:psc-test:899700000077", "899700000077", doctor,
                 platform_.clock().now());
  reindex();
  loginRegulator();

  const auto byName = search("adresse=Paris&quoi=lieu+cla");
  EXPECT_EQ(names(byName.body), (std::vector<std::string>{"Centre de santé Michel-Ange"}));
  EXPECT_NE(byName.body.find("Dr Claire Lieux — Médecine générale"), std::string::npos);
  EXPECT_EQ(names(search("adresse=Paris&quoi=Claire+LIEUX").body).size(), 1u);
  EXPECT_TRUE(names(search("adresse=Paris&quoi=lai").body).empty());  // inside « Claire »
  const auto bySynonym = search("adresse=Paris&quoi=g%C3%A9n%C3%A9raliste");
  EXPECT_EQ(names(bySynonym.body), (std::vector<std::string>{"Centre de santé Michel-Ange"}));
  EXPECT_NE(bySynonym.body.find("Dr Claire Lieux — Médecine générale"), std::string::npos);
  EXPECT_EQ(names(search("adresse=Paris&quoi=m%C3%A9decine+g%C3%A9n%C3%A9rale").body),
            (std::vector<std::string>{"Centre de santé Michel-Ange"}));

  // Pro Santé Connect: his account's names, his specialty.
  const auto psc = search("adresse=Paris&quoi=p%C3%A9diatre");
  EXPECT_EQ(names(psc.body), (std::vector<std::string>{"Maison de santé Auteuil"}));
  EXPECT_NE(psc.body.find("Dr Noël Béranger — Pédiatrie"), std::string::npos);
  EXPECT_EQ(psc.body.find("Claire Lieux"), std::string::npos);
  EXPECT_EQ(names(search("adresse=Paris&quoi=beranger+noel").body),
            (std::vector<std::string>{"Maison de santé Auteuil"}));
  EXPECT_TRUE(names(search("adresse=Paris&quoi=lieux+p%C3%A9diatre").body).empty());

  // The structure's own words find both and name nobody.
  const auto byType = search("adresse=Paris&quoi=soins+infirmiers");
  EXPECT_EQ(names(byType.body).size(), 2u);
  EXPECT_EQ(byType.body.find("Dr Claire"), std::string::npos);

  // The sheet names who practises there.
  EXPECT_NE(regulator_.get("/recherche/lieux/" + std::to_string(a))
                .body.find("Dr Claire Lieux — Médecine générale"),
            std::string::npos);

  // The JSON API names the professionals too.
  const auto json = api("adresse=Paris&quoi=lieu+cla", "", sessionCookie(regulator_));
  ASSERT_EQ(json.status, 200);
  ASSERT_EQ(json.body["results"].size(), 1u);
  const auto& pros = json.body["results"][0]["professionals"];
  ASSERT_EQ(pros.size(), 1u);
  EXPECT_EQ(pros[0]["last_name"], "LIEUX");
  EXPECT_EQ(pros[0]["specialty"], "Médecine générale");
  EXPECT_EQ(pros[0]["label"], "Dr Claire Lieux — Médecine générale");
  const auto none = api("adresse=Paris&quoi=soins", "", sessionCookie(regulator_));
  ASSERT_EQ(none.status, 200);
  EXPECT_TRUE(none.body["results"][0]["professionals"].empty());

  // A professional linked to Pro Santé Connect later is found without a rebuild: the link
  // records a change of his places, which the index reads at its next poll.
  EXPECT_TRUE(names(search("adresse=Paris&quoi=garcia").body).empty());
  app::User ines{0,    "ines.garcia@sas.test", "Inès", "GARCIA", app::Role::Practitioner, "!psc",
                 false};
  const auto nurse = platform_.users().create(ines, {sa}, platform_.clock().now());
  directory.link("https://psc.test", "f:psc-test:899700000088", "899700000088", nurse,
                 platform_.clock().now());
  platform_.clock().advance(std::chrono::seconds{1});
  const auto later = search("adresse=Paris&quoi=garcia+in%C3%A8s");
  EXPECT_EQ(names(later.body), (std::vector<std::string>{"Centre de santé Michel-Ange"}));
  EXPECT_NE(later.body.find("Inès Garcia"), std::string::npos);  // not in the directory
}

TEST_F(SearchTest, EachResultShowsItsDaysFourSlotsAndTheRestOnItsSheet) {
  const auto p = addPlace({"Centre Michel-Ange", towards(kParis, 0, 300), true, true}).second;
  for (int i = 0; i < 6; ++i) offer(p, today_, (11 + i) * 60, (11 + i) * 60 + 30);
  offer(p, ymd(2026, 3, 5), 9 * 60, 12 * 60,
        typesOf({domain::ConsultationType::Office, domain::ConsultationType::HomeVisit}),
        domain::AvailabilityKind::Range, 3);
  platform_.agenda().saveRegulatorNote(p, "Appeler la ligne dédiée SAS au 01 84 60 00 01.",
                                       {std::nullopt, "test", "", "", ""}, platform_.clock().now());
  reindex();
  loginRegulator();
  auto page = search("adresse=Paris");
  ASSERT_EQ(page.status, 200);
  for (const char* text :
       {"Aujourd&apos;hui", "mercredi 4 mars 2026", "Demain", "Après-demain", "11h00 - 11h30",
        "14h00 - 14h30", "Créneau · 1 patient", "09h00 - 12h00", "Plage · 3 patients",
        "<abbr title=\"Consultation en cabinet\">C</abbr>",
        "<abbr title=\"Visite à domicile\">D</abbr>", "Voir plus de créneaux", "Participe au SAS",
        "Accepte d'être contacté en sus de ses disponibilités", "href=\"tel:0102030405\""})
    EXPECT_NE(page.body.find(text), std::string::npos) << text;
  EXPECT_EQ(page.body.find("15h00 - 15h30"), std::string::npos);  // the fifth of the day
  EXPECT_EQ(page.body.find("Horaires à l&apos;heure locale"), std::string::npos);
  const auto sheetUrl = link(page.body, "Centre Michel-Ange");
  ASSERT_FALSE(sheetUrl.empty());
  auto sheet = regulator_.get(sheetUrl);
  ASSERT_EQ(sheet.status, 200);
  for (const char* text : {"Informations complémentaires", "Appeler la ligne dédiée SAS",
                           "15h00 - 15h30", "16h00 - 16h30", "Retour aux résultats"})
    EXPECT_NE(sheet.body.find(text), std::string::npos) << text;
  EXPECT_NE(sheet.body.find("href=\"/recherche?adresse=Paris"), std::string::npos);
}

TEST_F(SearchTest, PlacesInAnotherZoneShowTheirLocalTimeWithANotice) {
  const auto p = addPlace({"Centre de Saint-Denis",
                           {-20.88231, 55.45040},
                           true,
                           false,
                           "Centre de santé",
                           "Médecine générale",
                           "Indian/Reunion",
                           "974"})
                     .second;
  // 18h00 in Saint-Denis (La Réunion) is 15h00 in Paris.
  offer(p, today_, 18 * 60, 19 * 60);
  reindex();
  loginRegulator();
  auto page = search("adresse=Saint-Denis+974");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(names(page.body), (std::vector<std::string>{"Centre de Saint-Denis"}));
  EXPECT_NE(page.body.find("18h00 - 19h00"), std::string::npos);
  EXPECT_NE(page.body.find("Horaires à l&apos;heure locale du lieu (UTC+04:00)"),
            std::string::npos);
}

TEST_F(SearchTest, AmbiguousPlacesOfferAShortList) {
  const auto p = addPlace({"Centre Basilique",
                           {48.93564, 2.35387},
                           true,
                           false,
                           "Centre de santé",
                           "Médecine générale",
                           "Europe/Paris",
                           "93"})
                     .second;
  offer(p, today_, 11 * 60, 12 * 60);
  reindex();
  loginRegulator();
  auto page = search("adresse=Saint-Denis");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Plusieurs lieux correspondent à « Saint-Denis »"), std::string::npos);
  EXPECT_NE(page.body.find("Saint-Denis (974)"), std::string::npos);
  const auto choice = link(page.body, "Saint-Denis \\(93\\)");
  ASSERT_NE(choice.find("lieu=commune"), std::string::npos) << choice;
  auto chosen = regulator_.get(choice);
  EXPECT_EQ(names(chosen.body), (std::vector<std::string>{"Centre Basilique"}));
  EXPECT_NE(chosen.body.find("value=\"Saint-Denis\""), std::string::npos);
}

TEST_F(SearchTest, AnUnknownPlaceOrABadRadiusIsRefusedNextToItsFieldKeepingTheInput) {
  loginRegulator();
  auto unknown = search("adresse=Nulle-Part-sur-Rien&quoi=p%C3%A9diatrie");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_NE(unknown.body.find("Nous n&apos;avons pas trouvé « Nulle-Part-sur-Rien »"),
            std::string::npos);
  EXPECT_NE(unknown.body.find("id=\"adresse-erreur\""), std::string::npos);
  EXPECT_NE(unknown.body.find("value=\"Nulle-Part-sur-Rien\""), std::string::npos);
  EXPECT_NE(unknown.body.find("value=\"pédiatrie\""), std::string::npos);
  auto empty = search("adresse=");
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.body.find("Renseignez une adresse"), std::string::npos);
  auto radius = search("adresse=Paris&rayon=abc");
  EXPECT_EQ(radius.status, 422);
  EXPECT_NE(radius.body.find("id=\"rayon-erreur\""), std::string::npos);
  EXPECT_NE(radius.body.find("value=\"abc\""), std::string::npos);
  EXPECT_EQ(search("adresse=Paris&rayon=301").status, 422);
  EXPECT_EQ(search("adresse=Paris&page=0").status, 422);
  EXPECT_EQ(search("adresse=Paris&graine=-4").status, 422);
}

TEST_F(SearchTest, NothingFoundSaysSoAndOffersToWiden) {
  const auto p = addPlace({"Centre Quimper",
                           {47.9960, -4.1024},
                           true,
                           false,
                           "Centre de santé",
                           "Médecine générale",
                           "Europe/Paris",
                           "29"})
                     .second;
  offer(p, today_, 11 * 60, 12 * 60);
  reindex();
  loginRegulator();
  auto page = search("adresse=Brest");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Aucune structure ne correspond à votre recherche"), std::string::npos);
  EXPECT_NE(page.body.find("rayon de 10 km"), std::string::npos);  // Finistère: 10, then +5
  const auto wider = link(page.body, "Élargir la recherche à 15 km");
  ASSERT_NE(wider.find("rayon=15"), std::string::npos) << wider;
  // Quimper is about 64 km from Brest.
  auto far = search("adresse=Brest&rayon=70");
  EXPECT_EQ(names(far.body), (std::vector<std::string>{"Centre Quimper"}));
}

TEST_F(SearchTest, BeyondAvailabilitiesListsPlacesThatAcceptContact) {
  const auto withSlots = addPlace({"Centre Avec", towards(kParis, 0, 300), true, true}).second;
  offer(withSlots, today_, 11 * 60, 12 * 60);
  addPlace({"Centre Sans", towards(kParis, 90, 300), true, true});
  addPlace({"Centre Refuse", towards(kParis, 180, 300), true, false});
  reindex();
  loginRegulator();
  EXPECT_EQ(names(search("adresse=Paris").body), (std::vector<std::string>{"Centre Avec"}));
  EXPECT_EQ(names(search("adresse=Paris&mode=sus").body),
            (std::vector<std::string>{"Centre Avec", "Centre Sans"}));
}

TEST_F(SearchTest, AManagersChangesShowInTheNextSearch) {
  const auto [sid, pid] = addPlace({"Centre Vivant", towards(kParis, 0, 300), true, true});
  reindex();
  platform_.addManager("camille@sas.test", kPassword, {sid});
  manager_.login("camille@sas.test", kPassword);
  loginRegulator();
  EXPECT_TRUE(names(search("adresse=Paris").body).empty());

  const auto agenda = "/lieux/" + std::to_string(pid) + "/agenda";
  manager_.get(agenda);
  auto created = manager_.post("/lieux/" + std::to_string(pid) + "/disponibilites",
                               {{"date", "2026-03-05"},
                                {"de", "14:00"},
                                {"a", "15:00"},
                                {"type_disponibilite", "creneau"},
                                {"cabinet", "1"}});
  ASSERT_EQ(created.status, 303) << created.body;
  auto page = search("adresse=Paris");
  EXPECT_EQ(names(page.body), (std::vector<std::string>{"Centre Vivant"}));
  EXPECT_NE(page.body.find("14h00 - 15h00"), std::string::npos);

  // An unavailability in force hides the place in every mode, at once.
  manager_.get("/lieux/" + std::to_string(pid) + "/indisponibilite");
  auto hidden = manager_.post("/lieux/" + std::to_string(pid) + "/indisponibilite",
                              {{"indetermine", "1"}, {"action", "enregistrer"}});
  ASSERT_EQ(hidden.status, 303) << hidden.body;
  EXPECT_TRUE(names(search("adresse=Paris").body).empty());
  EXPECT_TRUE(names(search("adresse=Paris&mode=sus").body).empty());
  EXPECT_NE(regulator_.get("/recherche/lieux/" + std::to_string(pid))
                .body.find("Une indisponibilité est en cours"),
            std::string::npos);

  // A period that covers tomorrow hides tomorrow's availability only while it overlaps.
  manager_.get("/lieux/" + std::to_string(pid) + "/indisponibilite");
  manager_.post("/lieux/" + std::to_string(pid) + "/indisponibilite",
                {{"du_1", "2026-03-05"}, {"au_1", "2026-03-05"}, {"action", "enregistrer"}});
  EXPECT_TRUE(names(search("adresse=Paris").body).empty());
  EXPECT_EQ(names(search("adresse=Paris&mode=sus").body),
            (std::vector<std::string>{"Centre Vivant"}));

  // Participation: no longer participating nor accepting contact leaves the « en sus » mode.
  manager_.get("/structures/" + std::to_string(sid) + "/parametres");
  manager_.post("/structures/" + std::to_string(sid) + "/parametres",
                {{"nombre_professionnels", "2"}});
  auto after = search("adresse=Paris&mode=sus");
  EXPECT_TRUE(names(after.body).empty()) << after.body.substr(0, 200);

  // Extra information shows on the sheet at once.
  manager_.get("/lieux/" + std::to_string(pid) + "/informations-complementaires");
  manager_.post("/lieux/" + std::to_string(pid) + "/informations-complementaires",
                {{"informations", "Demander le Dr Martin."}});
  EXPECT_NE(
      regulator_.get("/recherche/lieux/" + std::to_string(pid)).body.find("Demander le Dr Martin."),
      std::string::npos);
}

TEST_F(SearchTest, ChangesCommittedByAnotherProcessArriveWithinASecond) {
  const auto p = addPlace({"Centre Ailleurs", towards(kParis, 0, 300)}).second;
  reindex();
  loginRegulator();
  EXPECT_TRUE(names(search("adresse=Paris").body).empty());
  offer(p, today_, 11 * 60, 12 * 60);  // straight to the database, as another process would
  platform_.clock().advance(std::chrono::seconds{2});
  EXPECT_EQ(names(search("adresse=Paris").body), (std::vector<std::string>{"Centre Ailleurs"}));
}

// A place read again after a change comes back whole, whatever the number of its rows against
// the 64 fetched at a time then (search_source.cpp): one, a batch, a batch and one, two and two.
TEST_F(SearchTest, APlaceReadAgainKeepsEveryAvailabilityWhateverItsNumber) {
  for (const std::size_t count : {1u, 64u, 65u, 130u}) {
    const auto p = addPlace({"Centre " + std::to_string(count)}).second;
    for (std::size_t i = 0; i < count; ++i)  // five-minute créneaux from 08:00 tomorrow
      offer(p, ymd(2026, 3, 5), 8 * 60 + 5 * static_cast<int>(i),
            8 * 60 + 5 * static_cast<int>(i) + 5);
    const auto record = platform_.platform().searchStore().findPlace(p, today_);
    ASSERT_TRUE(record);
    EXPECT_EQ(record->availabilities.size(), count);
    EXPECT_EQ(record->availabilities.back().base.startMinute,
              8 * 60 + 5 * static_cast<int>(count - 1));
  }
}

// A build reads its places a chunk at a time, several chunks at once (SearchSettings::
// buildReaders, each reader on a connection of its own): every place is read once and whole,
// whichever reader and chunk it falls in, and the index answers as one reader's would.
TEST_F(SearchTest, ABuildReadByManyThreadsSeesEachPlaceOnceAndWhole) {
  std::map<std::int64_t, std::size_t> offered;  // place → its availabilities
  for (int i = 0; i < 23; ++i) {
    const auto p =
        addPlace({"Centre " + std::to_string(100 + i), towards(kParis, 90, 150.0 * i)}).second;
    for (int k = 0; k <= i % 4; ++k)
      offer(p, ymd(2026, 3, 5), 8 * 60 + 30 * k, 8 * 60 + 30 * k + 15);
    offered[p] = static_cast<std::size_t>(i % 4 + 1);
  }
  storage::SqlSearchSource chunked(platform_.platform().database(), 3);  // 8 chunks
  const auto read = [&](std::size_t readers) {
    std::mutex m;
    std::condition_variable cv;
    std::map<std::int64_t, std::size_t> seen;
    std::set<std::thread::id> threads;
    std::size_t visits = 0;
    chunked.forEachPlace(
        today_,
        [&](app::SearchRecord&& r) {
          std::unique_lock lock(m);
          ++visits;
          seen[r.place.id] = r.availabilities.size();
          threads.insert(std::this_thread::get_id());
          cv.notify_all();
          // With several readers, the first to visit waits for another one: two read at once.
          if (readers > 1)
            cv.wait_for(lock, std::chrono::seconds{10}, [&] { return threads.size() > 1; });
        },
        readers);
    EXPECT_EQ(visits, seen.size()) << "a place visited twice";
    return std::pair{seen, threads.size()};
  };
  const auto [alone, oneThread] = read(1);
  EXPECT_EQ(alone, offered);
  EXPECT_EQ(oneThread, 1u);
  const auto [together, threads] = read(4);
  EXPECT_EQ(together, offered);
  EXPECT_GT(threads, 1u);

  const auto answer = [&](std::size_t readers) {
    app::SearchSettings settings;
    settings.buildReaders = readers;
    app::SearchService index(chunked, platform_.platform().geocoder(),
                             platform_.platform().gazetteer(), platform_.clock(), settings);
    index.rebuild();
    domain::SearchQuery q;
    q.centre = kParis;
    q.radiusMetres = 10'000;
    q.now = platform_.clock().now();
    q.limit = 50;
    std::vector<std::pair<std::int64_t, std::size_t>> hits;
    for (const auto& h : index.query(q).hits) hits.emplace_back(h.placeId, h.slots.size());
    return hits;
  };
  const auto one = answer(1);
  EXPECT_EQ(one.size(), offered.size());
  EXPECT_EQ(answer(4), one);
}

// A build reads a place's availabilities as reading the place alone does (a build straight from
// SQLite's rows, one place through SOCI's batches): series with an end and without, plages,
// capacities, types, and a series' exceptions.
TEST_F(SearchTest, ABuildReadsEachAvailabilityAsReadingThePlaceAloneDoes) {
  using domain::AvailabilityKind;
  using domain::ConsultationType;
  const auto series = addPlace({"Centre Série", towards(kParis, 0, 300)}).second;
  const auto plage = addPlace({"Centre Plage", towards(kParis, 90, 300)}).second;
  domain::Availability ended;
  ended.placeId = series;
  ended.weekly = true;
  ended.base = {today_, 9 * 60, 10 * 60, AvailabilityKind::Slot, 1, kOffice};
  ended.lastDate = ymd(2026, 3, 25);
  ended.exceptions.push_back({ymd(2026, 3, 11), true, {}});
  ended.exceptions.push_back(
      {ymd(2026, 3, 18),
       false,
       {ymd(2026, 3, 19), 14 * 60, 15 * 60, AvailabilityKind::Range, 2,
        typesOf({ConsultationType::Office, ConsultationType::Teleconsultation})}});
  domain::Availability open;
  open.placeId = series;
  open.weekly = true;
  open.base = {ymd(2026, 3, 5),        8 * 60, 8 * 60 + 20,
               AvailabilityKind::Slot, 1,      typesOf({ConsultationType::Teleconsultation})};
  domain::AgendaChange change;
  change.created = {ended, open};
  platform_.agenda().applyChange(series, change, {std::nullopt, "test", "", "", ""},
                                 platform_.clock().now());
  offer(plage, ymd(2026, 3, 6), 10 * 60, 12 * 60,
        typesOf({ConsultationType::Office, ConsultationType::HomeVisit}), AvailabilityKind::Range,
        3);

  storage::SqlSearchSource source(platform_.platform().database());
  std::map<std::int64_t, std::vector<domain::Availability>> built;
  // On SQLite the first build reads the rows and writes each place's digest (migration 064),
  // the second reads the digests: both as the place alone.
  for (int build = 0; build < 2; ++build) {
    built.clear();
    source.forEachPlace(
        today_, [&](app::SearchRecord&& r) { built[r.place.id] = std::move(r.availabilities); }, 1);
    for (const auto id : {series, plage}) {
      const auto alone = source.findPlace(id, today_);
      ASSERT_TRUE(alone);
      EXPECT_EQ(built.at(id), alone->availabilities) << id << " build " << build;
    }
  }
  if (sqlite()) {
    EXPECT_TRUE(hasDigest(series));
    EXPECT_TRUE(hasDigest(plage));
  }
  const auto& read = built.at(series);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_TRUE(read[0].weekly);
  EXPECT_EQ(read[0].base.date, today_);
  EXPECT_EQ(read[0].lastDate, ymd(2026, 3, 25));
  ASSERT_EQ(read[0].exceptions.size(), 2u);
  EXPECT_TRUE(read[0].exceptions[0].deleted);
  EXPECT_EQ(read[0].exceptions[1].values.capacity, 2);
  EXPECT_TRUE(read[1].weekly);
  EXPECT_FALSE(read[1].lastDate);
  EXPECT_EQ(read[1].base.startMinute, 8 * 60);
  EXPECT_EQ(read[1].base.endMinute, 8 * 60 + 20);
  EXPECT_EQ(read[1].base.types, typesOf({ConsultationType::Teleconsultation}));
  ASSERT_EQ(built.at(plage).size(), 1u);
  const auto& range = built.at(plage)[0];
  EXPECT_FALSE(range.weekly);
  EXPECT_EQ(range.base.kind, AvailabilityKind::Range);
  EXPECT_EQ(range.base.capacity, 3);
  EXPECT_EQ(range.base.types, typesOf({ConsultationType::Office, ConsultationType::HomeVisit}));
}

// The store's own floor under the service's check: a change that names another place's
// availability as its own updates or deletes nothing of it, its exceptions included.
TEST_F(SearchTest, AChangeNamingAnotherPlacesAvailabilityLeavesItAndItsExceptions) {
  const auto owner = addPlace({"Centre Propriétaire", towards(kParis, 0, 300)}).second;
  const auto intruder = addPlace({"Centre Intrus", towards(kParis, 90, 300)}).second;
  domain::Availability series;
  series.placeId = owner;
  series.weekly = true;
  series.base = {today_, 9 * 60, 10 * 60, domain::AvailabilityKind::Slot, 1, kOffice};
  series.exceptions.push_back({ymd(2026, 3, 11), true, {}});
  domain::AgendaChange create;
  create.created = {series};
  const auto ids = platform_.agenda().applyChange(owner, create, {std::nullopt, "test", "", "", ""},
                                                  platform_.clock().now());
  storage::SqlSearchSource source(platform_.platform().database());
  const auto before = source.findPlace(owner, today_);
  ASSERT_TRUE(before);
  ASSERT_EQ(before->availabilities.size(), 1u);
  ASSERT_EQ(before->availabilities[0].exceptions.size(), 1u);

  auto forged = before->availabilities[0];
  forged.base.startMinute = 11 * 60;
  forged.base.endMinute = 12 * 60;
  forged.exceptions = {{ymd(2026, 3, 18), true, {}}};
  domain::AgendaChange update;
  update.updated = {forged};
  platform_.agenda().applyChange(intruder, update, {std::nullopt, "test", "", "", ""},
                                 platform_.clock().now());
  domain::AgendaChange removal;
  removal.deleted = {forged.id};
  platform_.agenda().applyChange(intruder, removal, {std::nullopt, "test", "", "", ""},
                                 platform_.clock().now());
  const auto after = source.findPlace(owner, today_);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->availabilities, before->availabilities);
  EXPECT_EQ(after->availabilities.at(0).id, ids.at(0));
  const auto other = source.findPlace(intruder, today_);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->availabilities.empty());
  storage::Connection c(platform_.platform().database());
  long long place = intruder;
  int exceptions = 0;
  c.sql() << "SELECT COUNT(*) FROM availability_exceptions WHERE place_id = :p", soci::use(place),
      soci::into(exceptions);
  EXPECT_EQ(exceptions, 0);
}

// A place's digest stands for its rows only until they change: any write to its availabilities
// deletes it in the writer's transaction (creating, modifying, deleting one), and the next build
// reads the rows again and writes it anew.
TEST_F(SearchTest, AChangeToAPlacesAvailabilitiesDeletesItsDigest) {
  const auto place = addPlace({"Centre Digest", towards(kParis, 0, 300)}).second;
  const auto other = addPlace({"Centre Voisin", towards(kParis, 90, 300)}).second;
  offer(place, ymd(2026, 3, 5), 9 * 60, 10 * 60);
  offer(other, ymd(2026, 3, 5), 9 * 60, 10 * 60);
  storage::SqlSearchSource source(platform_.platform().database());
  std::map<std::int64_t, std::vector<domain::Availability>> built;
  const auto build = [&] {
    built.clear();
    source.forEachPlace(
        today_, [&](app::SearchRecord&& r) { built[r.place.id] = std::move(r.availabilities); }, 1);
  };
  const auto change = [&](const domain::AgendaChange& c) {
    platform_.agenda().applyChange(place, c, {std::nullopt, "test", "", "", ""},
                                   platform_.clock().now());
  };
  build();
  if (sqlite()) {
    ASSERT_TRUE(hasDigest(place));
  }

  offer(place, ymd(2026, 3, 6), 14 * 60, 15 * 60);  // created
  if (sqlite()) {
    EXPECT_FALSE(hasDigest(place));
    EXPECT_TRUE(hasDigest(other));
  }
  build();
  ASSERT_EQ(built.at(place).size(), 2u);
  if (sqlite()) {
    EXPECT_TRUE(hasDigest(place));
  }

  auto moved = built.at(place)[1];  // updated
  moved.base.startMinute = 16 * 60;
  moved.base.endMinute = 17 * 60;
  domain::AgendaChange update;
  update.updated = {moved};
  change(update);
  if (sqlite()) {
    EXPECT_FALSE(hasDigest(place));
  }
  build();
  ASSERT_EQ(built.at(place).size(), 2u);
  EXPECT_EQ(built.at(place)[1].base.startMinute, 16 * 60);

  domain::AgendaChange removal;  // deleted
  removal.deleted = {built.at(place)[0].id};
  change(removal);
  if (sqlite()) {
    EXPECT_FALSE(hasDigest(place));
  }
  build();
  ASSERT_EQ(built.at(place).size(), 1u);
  EXPECT_EQ(built.at(place)[0].base.startMinute, 16 * 60);
  ASSERT_EQ(built.at(other).size(), 1u);
}

// A build writes a place's digest only if no change to the place came after the last one it saw
// before reading the rows: such a change may be newer than the rows read, and its trigger found
// no digest to delete.
TEST_F(SearchTest, ADigestIsNotWrittenOverAChangeTheBuildDidNotSee) {
  if (!sqlite()) {
    // No digests on PostgreSQL: its build reads the rows.
    storage::Connection c(platform_.platform().database());
    int tables = 0;
    c.sql() << "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = "
               "'agenda_digests'",
        soci::into(tables);
    EXPECT_EQ(tables, 0);
    return;
  }
  const auto place = addPlace({"Centre Course", towards(kParis, 0, 300)}).second;
  offer(place, ymd(2026, 3, 5), 9 * 60, 10 * 60);
  auto& db = platform_.platform().database();
  storage::SqlSearchSource source(db);
  const auto last = source.lastChange();
  ASSERT_GT(last, 0);
  storage::DigestWriter writer(today_);
  const std::vector<storage::PlaceDigest> digests = {{place, std::move(writer).finish()}};
  {
    storage::Connection c(db);
    storage::writeAgendaDigests(c, db, last - 1, digests);  // the place's change is after it
  }
  EXPECT_FALSE(hasDigest(place));
  {
    storage::Connection c(db);
    storage::writeAgendaDigests(c, db, last, digests);
  }
  EXPECT_TRUE(hasDigest(place));
}

// Migration 063 gives the exceptions already there their availability's place: a build reads
// them by it, and one left without would silently lose its date's change.
TEST(ExceptionPlaceMigration, GivesEachExceptionItsAvailabilitysPlace) {
  namespace fs = std::filesystem;
  const fs::path work = fs::temp_directory_path() / ("sas-063-" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work / "before" / "sqlite");
  for (const auto& f : fs::directory_iterator(fs::path(SAS_SOURCE_DIR) / "migrations" / "sqlite"))
    if (f.path().filename().string() < "063")
      fs::copy_file(f.path(), work / "before" / "sqlite" / f.path().filename());
  {
    storage::Database db("sqlite:" + (work / "sas.sqlite").string(), 1);
    db.migrate(work / "before");
    {
      storage::Connection c(db);
      c.sql() << "PRAGMA foreign_keys=OFF";  // no place or structure rows needed for this
      c.sql() << "INSERT INTO availabilities (id, place_id, weekly, first_date, start_minute, "
                 "end_minute, kind, capacity, types) VALUES (7, 41, 1, '2026-03-02', 540, 600, "
                 "'creneau', 1, 1), (8, 42, 1, '2026-03-02', 540, 600, 'creneau', 1, 1)";
      c.sql() << "INSERT INTO availability_exceptions (availability_id, original_date, deleted, "
                 "date, start_minute, end_minute, kind, capacity, types) VALUES (7, "
                 "'2026-03-09', 1, '2026-03-09', 540, 600, 'creneau', 1, 1), (8, '2026-03-16', 0, "
                 "'2026-03-17', 600, 660, 'creneau', 1, 1)";
      c.sql() << "PRAGMA foreign_keys=ON";
    }               // the pool's one connection, which migrate() takes
    int later = 0;  // 063 and those after it
    for (const auto& f : fs::directory_iterator(fs::path(SAS_SOURCE_DIR) / "migrations" / "sqlite"))
      later += f.path().filename().string() >= "063" ? 1 : 0;
    EXPECT_EQ(db.migrate(fs::path(SAS_SOURCE_DIR) / "migrations"), later);
    storage::Connection c(db);
    long long seven = 0, eight = 0;
    c.sql() << "SELECT place_id FROM availability_exceptions WHERE availability_id = 7",
        soci::into(seven);
    c.sql() << "SELECT place_id FROM availability_exceptions WHERE availability_id = 8",
        soci::into(eight);
    EXPECT_EQ(seven, 41);
    EXPECT_EQ(eight, 42);
  }
  fs::remove_all(work);
}

// With no connection free for them, the other readers leave the whole build to the calling
// thread rather than wait (a thread waiting for a connection may be what holds the last one).
class OneConnectionTest : public SearchTest {
 protected:
  OneConnectionTest() : SearchTest([](config::Config& c) { c.databasePoolSize = 1; }) {}
};

TEST_F(OneConnectionTest, ABuildWithNoConnectionToSpareReadsEveryPlaceOnItsThread) {
  std::set<std::int64_t> added;
  for (int i = 0; i < 7; ++i)
    added.insert(addPlace({"Centre " + std::to_string(i), towards(kParis, 0, 100.0 * i)}).second);
  storage::SqlSearchSource chunked(platform_.platform().database(), 2);
  std::set<std::int64_t> seen;
  std::set<std::thread::id> threads;
  std::mutex m;
  {
    // The pool's only connection, held by this thread's read scope, which the build reads on.
    storage::ReadScope held(platform_.platform().database());
    chunked.forEachPlace(
        today_,
        [&](app::SearchRecord&& r) {
          std::lock_guard lock(m);
          seen.insert(r.place.id);
          threads.insert(std::this_thread::get_id());
        },
        4);
  }
  EXPECT_EQ(seen, added);
  EXPECT_EQ(threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

// The changes table would grow for ever: the background turn keeps a week of it, and never
// the newest row, whose id keeps the next ones above those every process has seen.
TEST_F(SearchTest, TheBackgroundTurnPrunesChangesOlderThanAWeekButKeepsTheNewest) {
  auto& search = platform_.platform().search();
  auto changes = [&] {
    storage::Connection c(platform_.platform().database());
    long long n = 0, last = 0;
    c.sql() << "SELECT COUNT(*), MAX(id) FROM changes", soci::into(n), soci::into(last);
    return std::make_pair(n, last);
  };
  const auto p = addPlace({"Centre Ancien", towards(kParis, 0, 300)}).second;
  offer(p, today_, 11 * 60, 12 * 60);
  offer(p, today_, 14 * 60, 15 * 60);
  const auto before = changes();
  ASSERT_GE(before.first, 2);

  platform_.clock().advance(std::chrono::hours{24 * 7 - 1});
  search.maintain();  // less than a week old: all kept
  EXPECT_EQ(changes(), before);

  platform_.clock().advance(std::chrono::hours{25});
  search.maintain();  // the next day's turn: older than a week, all but the newest go
  EXPECT_EQ(changes(), std::make_pair(1LL, before.second));

  offer(p, today_ + date::days{8}, 9 * 60, 10 * 60);
  EXPECT_GT(changes().second, before.second);  // ids go on upwards
  platform_.clock().advance(std::chrono::hours{24 * 8});
  offer(p, today_ + date::days{20}, 9 * 60, 10 * 60);
  platform_.clock().advance(std::chrono::hours{1});
  search.maintain();  // a day after the last pruning: the week-old ones go
  EXPECT_EQ(changes().first, 1);
}

TEST_F(SearchTest, TheIndexFollowsTimeBeyondItsHorizon) {
  const auto p = addPlace({"Centre Futur", towards(kParis, 0, 300)}).second;
  offer(p, ymd(2026, 3, 20), 11 * 60, 12 * 60);
  reindex();
  loginRegulator();
  EXPECT_TRUE(names(search("adresse=Paris").body).empty());
  platform_.clock().set(parisTime(2026, 3, 19, 9));
  loginRegulator();  // the session ended long ago
  EXPECT_EQ(names(search("adresse=Paris").body), (std::vector<std::string>{"Centre Futur"}));
}

TEST_F(SearchTest, APlaceCreatedByAnotherProcessArrivesWithoutARebuild) {
  loginRegulator();
  EXPECT_TRUE(names(search("adresse=Paris&mode=sus").body).empty());
  // Only the place's creation, straight to the database: no availability, no specialty.
  const auto before = platform_.platform().search().status().appliedChange;
  const auto sid = platform_.structures().createStructure({0,
                                                           "Centre Nouveau",
                                                           "Centre de santé",
                                                           "",
                                                           "",
                                                           "01 02 03 04 05",
                                                           "75",
                                                           {true, 2, true, true}});
  const auto place = towards(kParis, 0, 300);
  platform_.structures().createPlace({0, sid, "", "1 rue de l'Essai", "75001", "Paris", "75056",
                                      place.latitude, place.longitude, "Europe/Paris",
                                      "01 02 03 04 05"});
  EXPECT_EQ(platform_.platform().searchStore().changesAfter(before).count, 1);
  platform_.clock().advance(std::chrono::seconds{2});
  EXPECT_EQ(names(search("adresse=Paris&mode=sus").body),
            (std::vector<std::string>{"Centre Nouveau"}));
}

TEST_F(SearchTest, AChangeWhoseCommitIsSeenAfterAHigherOnesIsStillApplied) {
  const auto slow = addPlace({"Centre Lent", towards(kParis, 0, 300)}).second;
  const auto quick = addPlace({"Centre Rapide", towards(kParis, 90, 300)}).second;
  reindex();
  loginRegulator();
  EXPECT_TRUE(names(search("adresse=Paris").body).empty());
  // On PostgreSQL a change's id is given when it is written, and its transaction may commit
  // after that of a higher id: here the index reads the higher one alone, then the other.
  offer(slow, today_, 11 * 60, 12 * 60);
  offer(quick, today_, 11 * 60, 12 * 60);
  storage::Connection c(platform_.platform().database());
  long long id = 0, at = 0, place = slow;
  c.sql() << "SELECT MAX(id) FROM changes WHERE place_id = :p", soci::use(place), soci::into(id);
  c.sql() << "SELECT at FROM changes WHERE id = :id", soci::use(id), soci::into(at);
  c.sql() << "DELETE FROM changes WHERE id = :id", soci::use(id);
  platform_.clock().advance(std::chrono::seconds{2});
  EXPECT_EQ(names(search("adresse=Paris").body), (std::vector<std::string>{"Centre Rapide"}));
  c.sql() << "INSERT INTO changes (id, at, place_id) VALUES (:id, :at, :p)", soci::use(id),
      soci::use(at), soci::use(place);
  platform_.clock().advance(std::chrono::seconds{2});
  auto both = names(search("adresse=Paris").body);
  std::sort(both.begin(), both.end());
  EXPECT_EQ(both, (std::vector<std::string>{"Centre Lent", "Centre Rapide"}));
}

// search.count_limit set to 5 (its least): the count is exact up to 5 places, then « plus de ».
class BoundedCountTest : public SearchTest {
 protected:
  BoundedCountTest() : SearchTest([](config::Config& c) { c.searchCountLimit = 5; }) {}

  // `count` places with an availability, 200 m apart going east from Paris's centre.
  void addPlaces(int from, int count) {
    for (int i = from; i < from + count; ++i) {
      const auto p =
          addPlace({"Centre " + std::to_string(100 + i), towards(kParis, 90, 200.0 * i)});
      offer(p.second, today_, 11 * 60, 12 * 60);
    }
    reindex();
  }
};

TEST_F(BoundedCountTest, FivePlacesAreCountedExactly) {
  addPlaces(1, 5);
  loginRegulator();
  const auto page = search("adresse=12+rue+de+la+Paix+Paris&par_page=2");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find(">5 résultats<"), std::string::npos);
  EXPECT_EQ(page.body.find("plus de 5"), std::string::npos);
  const auto json =
      api("adresse=12+rue+de+la+Paix+Paris&par_page=2", "", sessionCookie(regulator_));
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(json.body["total"], 5);
  EXPECT_EQ(json.body["total_is_lower_bound"], false);
  EXPECT_EQ(json.body["pages"], 3);
}

TEST_F(BoundedCountTest, PastTheCutOffThePageSaysMoreThanAndPagesStayExact) {
  addPlaces(1, 9);
  loginRegulator();
  const std::string criteria = "adresse=12+rue+de+la+Paix+Paris&par_page=2";
  auto page = search(criteria);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find(">plus de 5 résultats<"), std::string::npos);
  EXPECT_EQ(page.body.find("Élargir à"), std::string::npos);  // far more than 5 available
  // Past the three counted pages, a next one is always offered, and each is exact.
  std::vector<std::string> all = names(page.body);
  for (int n = 2; n <= 5; ++n) {
    const auto next = link(page.body, "Page suivante");
    ASSERT_FALSE(next.empty()) << "page " << n;
    page = regulator_.get(next);
    ASSERT_EQ(page.status, 200);
    for (const auto& name : names(page.body)) all.push_back(name);
  }
  std::vector<std::string> byDistance;
  for (int i = 1; i <= 9; ++i) byDistance.push_back("Centre " + std::to_string(100 + i));
  EXPECT_EQ(all, byDistance);
  EXPECT_TRUE(link(page.body, "Page suivante").empty());  // page 5 is not full: the last

  auto json = api(criteria + "&page=4", "", sessionCookie(regulator_));
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(json.body["total"], 5);
  EXPECT_EQ(json.body["total_is_lower_bound"], true);
  ASSERT_EQ(json.body["results"].size(), 2u);
  EXPECT_EQ(json.body["results"][0]["name"], "Centre 107");
  EXPECT_EQ(json.body["results"][1]["name"], "Centre 108");
  EXPECT_TRUE(json.body["widening"].is_null());
  json = api(criteria + "&page=5", "", sessionCookie(regulator_));
  ASSERT_EQ(json.body["results"].size(), 1u);
  EXPECT_EQ(json.body["results"][0]["name"], "Centre 109");
}

// The index as the background job keeps it (jobs.enabled): no search waits for a rebuild.
class BackgroundIndexTest : public SearchTest {
 protected:
  BackgroundIndexTest() {
    settings_.rebuildInBackground = true;
    index_ = std::make_unique<app::SearchService>(
        platform_.platform().searchStore(), platform_.platform().geocoder(),
        platform_.platform().gazetteer(), platform_.clock(), settings_);
    index_->rebuild();
  }

  std::size_t found() {
    domain::SearchQuery q;
    q.centre = kParis;
    q.radiusMetres = 5000;
    q.now = platform_.clock().now();
    return index_->query(q).total;
  }

  app::SearchSettings settings_;
  std::unique_ptr<app::SearchService> index_;
};

TEST_F(BackgroundIndexTest, PastTheHorizonSearchesAnswerFromTheIndexInUseUntilTheJobRebuilds) {
  const auto p = addPlace({"Centre Futur", towards(kParis, 0, 300)}).second;
  offer(p, ymd(2026, 3, 20), 11 * 60, 12 * 60);
  index_->rebuild();
  EXPECT_EQ(found(), 0u);
  platform_.clock().set(parisTime(2026, 3, 19, 9));
  // The search is answered at once by the index in use, which stops at its horizon.
  EXPECT_EQ(found(), 0u);
  auto status = index_->status();
  EXPECT_EQ(status.builds, 2u);  // the constructor's, and the one after addPlace
  EXPECT_TRUE(status.rebuildWaiting);
  EXPECT_FALSE(status.coversNow);
  index_->maintain();  // the job's turn
  status = index_->status();
  EXPECT_EQ(status.builds, 3u);
  EXPECT_FALSE(status.rebuildWaiting);
  EXPECT_TRUE(status.coversNow);
  EXPECT_EQ(found(), 1u);
}

TEST_F(BackgroundIndexTest, TheJobBuildsTheNextIndexADayBeforeSearchesNeedIt) {
  const auto built = index_->status();
  // 6 days kept; a search needs 73 hours: 47 hours without a rebuild (6 days − 73 h − a day).
  platform_.clock().advance(std::chrono::hours{47});
  index_->maintain();
  EXPECT_EQ(index_->status().builds, built.builds);
  // Less than a day before the last search it covers: built again, searches never wait.
  platform_.clock().advance(std::chrono::seconds{1});
  EXPECT_TRUE(index_->status().coversNow);
  index_->maintain();
  const auto rebuilt = index_->status();
  EXPECT_EQ(rebuilt.builds, built.builds + 1);
  EXPECT_EQ(rebuilt.horizonStart, platform_.clock().now());
}

TEST(SearchJobs, TheIndexJobAppliesOtherProcessesChangesAndRebuildsWithoutASearch) {
  TestPlatform platform(parisTime(2026, 3, 4, 10),
                        [](config::Config& c) { c.backgroundJobs = true; });
  auto& search = platform.platform().search();
  const auto waitFor = [&](const std::function<bool()>& done) {
    for (int i = 0; i < 100 && !done(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    return done();
  };
  // A place committed straight to the database, as another process would: no search comes.
  platform.addCentre("Centre Ailleurs");
  EXPECT_TRUE(waitFor([&] { return search.placeCount() == 1; }));
  EXPECT_TRUE(waitFor([&] { return search.status().pendingChanges == 0; }));
  // Past the horizon: the job builds the next index.
  const auto builds = search.status().builds;
  platform.clock().advance(std::chrono::hours{24 * 9});
  EXPECT_TRUE(waitFor([&] { return search.status().builds > builds; }));
  EXPECT_TRUE(search.status().coversNow);
}

TEST_F(SearchTest, RegulatorsChangeNothing) {
  const auto [sid, pid] = addPlace({"Centre Protégé", towards(kParis, 0, 300), true, true});
  offer(pid, ymd(2026, 3, 5), 11 * 60, 12 * 60);
  const auto availability = platform_.agenda().availabilitiesOfPlace(pid, today_).at(0);
  platform_.agenda().saveRegulatorNote(pid, "Note d'origine", {std::nullopt, "test", "", "", ""},
                                       platform_.clock().now());
  loginRegulator();
  regulator_.get("/recherche");  // a page with the session's CSRF token
  const std::string place = "/lieux/" + std::to_string(pid);
  const std::string occurrence =
      place + "/disponibilites/" + std::to_string(availability.id) + "/2026-03-05";
  const std::vector<std::pair<std::string, Form>> writes{
      {"/structures/" + std::to_string(sid) + "/parametres",
       {{"participe", "1"},
        {"nombre_professionnels", "9"},
        {"accepte_contact", "1"},
        {"declaration_honneur", "1"}}},
      {place + "/disponibilites",
       {{"date", "2026-03-05"},
        {"de", "14:00"},
        {"a", "15:00"},
        {"type_disponibilite", "creneau"},
        {"cabinet", "1"}}},
      {occurrence + "/modifier",
       {{"date", "2026-03-05"},
        {"de", "15:00"},
        {"a", "16:00"},
        {"type_disponibilite", "creneau"},
        {"cabinet", "1"},
        {"portee", "occurrence"}}},
      {occurrence + "/supprimer", {{"portee", "occurrence"}}},
      {place + "/indisponibilite", {{"indetermine", "1"}, {"action", "enregistrer"}}},
      {place + "/informations-complementaires", {{"informations", "Changée"}}},
  };
  for (const auto& [path, form] : writes) {
    EXPECT_EQ(regulator_.post(path, form).status, 403) << path;
    // A path that takes POST only answers 405 to a GET.
    const auto shown = regulator_.get(path).status;
    EXPECT_TRUE(shown == 403 || shown == 405) << path << ": " << shown;
  }
  for (const char* get :
       {"/agenda", "/disponibilites/nouvelle", "/indisponibilite", "/informations-complementaires"})
    EXPECT_EQ(regulator_.get(place + get).status, 403) << get;
  EXPECT_EQ(regulator_.get(occurrence + "/modifier").status, 403);
  EXPECT_EQ(regulator_.get("/structures/" + std::to_string(sid) + "/parametres").status, 403);

  // Nothing changed.
  const auto stored = platform_.agenda().availabilitiesOfPlace(pid, today_);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0], availability);
  EXPECT_EQ(platform_.agenda().unavailability(pid), domain::Unavailability{});
  EXPECT_EQ(platform_.agenda().unavailabilityAndNote(pid).second, "Note d'origine");
  const auto structure = platform_.structures().findStructure(sid);
  EXPECT_EQ(structure->participation.professionals, 2);
  // The account manager's and the administrator's pages are not theirs either.
  for (const char* path : {"/comptes", "/territoires"}) {
    const auto status = regulator_.post(path, {{"nom", "x"}}).status;
    EXPECT_TRUE(status == 403 || status == 404) << path << " " << status;
  }
}

// Each card's members are written once and kept with it (PlaceCard::apiMembers): a changed
// place gets a new card, so the next answer says what changed.
TEST_F(SearchTest, TheApiAnswersAChangedPlaceAsItIsNow) {
  const auto [sid, pid] = addPlace({"Centre Changeant", towards(kParis, 10, 850), true, true});
  offer(pid, today_, 11 * 60, 11 * 60 + 30);
  reindex();
  auto created = platform_.platform().apiTokens().create("Logiciel de régulation");
  ASSERT_TRUE(created.ok());
  const std::string token = *created.value;
  const auto before = api("adresse=12+rue+de+la+Paix+Paris", token);
  ASSERT_EQ(before.status, 200) << before.body.dump();
  ASSERT_EQ(before.body["results"].size(), 1u);
  EXPECT_EQ(before.body["results"][0]["specialties"], "Médecine générale");
  EXPECT_EQ(api("adresse=12+rue+de+la+Paix+Paris", token).body, before.body);

  platform_.platform().searchStore().setSpecialties(sid, "Pédiatrie", platform_.clock().now());
  platform_.platform().search().placeChanged(pid);
  const auto after = api("adresse=12+rue+de+la+Paix+Paris", token);
  ASSERT_EQ(after.status, 200);
  ASSERT_EQ(after.body["results"].size(), 1u);
  EXPECT_EQ(after.body["results"][0]["specialties"], "Pédiatrie");
  EXPECT_EQ(after.body["results"][0]["name"], "Centre Changeant");
}

TEST_F(SearchTest, TheApiAnswersRegulatorsSessionsAndTokensUntilRevoked) {
  const auto nearAt = towards(kParis, 10, 850);
  const auto near = addPlace({"Centre Proche", nearAt, true, true}).second;
  const auto far = addPlace({"Centre Loin", towards(kParis, 200, 3'210), false}).second;
  offer(near, today_, 11 * 60, 11 * 60 + 30,
        typesOf({domain::ConsultationType::Office, domain::ConsultationType::Teleconsultation}));
  offer(far, ymd(2026, 3, 5), 9 * 60, 12 * 60, kOffice, domain::AvailabilityKind::Range, 4);
  reindex();

  auto created = platform_.platform().apiTokens().create("Logiciel de régulation");
  ASSERT_TRUE(created.ok());
  const std::string token = *created.value;
  EXPECT_FALSE(platform_.platform().apiTokens().create("Logiciel de régulation").ok());

  const auto answer = api("adresse=12+rue+de+la+Paix+Paris", token);
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  const auto& body = answer.body;
  EXPECT_EQ(body["total"], 2);
  EXPECT_EQ(body["order"], "distance");
  EXPECT_EQ(body["radius_km"], 5);
  EXPECT_EQ(body["location"]["kind"], "adresse");
  EXPECT_EQ(body["location"]["approximate"], true);
  ASSERT_EQ(body["results"].size(), 2u);
  const auto& first = body["results"][0];
  EXPECT_EQ(first["name"], "Centre Proche");
  EXPECT_EQ(first["distance_m"], 850);
  EXPECT_EQ(first["participates"], true);
  EXPECT_EQ(first["accepts_contact"], true);
  EXPECT_EQ(first["phone"], "01 02 03 04 05");
  EXPECT_DOUBLE_EQ(first["latitude"].get<double>(), nearAt.latitude);
  EXPECT_DOUBLE_EQ(first["longitude"].get<double>(), nearAt.longitude);
  EXPECT_EQ(first["availabilities"][0]["start"], "2026-03-04T11:00:00+01:00");
  EXPECT_EQ(first["availabilities"][0]["end"], "2026-03-04T11:30:00+01:00");
  EXPECT_EQ(first["availabilities"][0]["kind"], "creneau");
  EXPECT_EQ(first["availabilities"][0]["types"], nlohmann::json::array({"C", "T"}));
  EXPECT_EQ(body["results"][1]["availabilities"][0]["capacity"], 4);
  EXPECT_EQ(body["results"][1]["availabilities"][0]["kind"], "plage");

  // A town: drawn order with its seed, which the next page takes back.
  auto town = api("adresse=Paris&par_page=1", token);
  ASSERT_EQ(town.status, 200);
  EXPECT_EQ(town.body["order"], "aleatoire");
  EXPECT_FALSE(town.body["results"][0].contains("distance_m"));
  const std::string seed = town.body["seed"];
  auto next = api("adresse=Paris&par_page=1&page=2&graine=" + seed, token);
  EXPECT_NE(next.body["results"][0]["id"], town.body["results"][0]["id"]);
  EXPECT_EQ(api("adresse=Paris&par_page=1&graine=" + seed, token).body["results"][0]["id"],
            town.body["results"][0]["id"]);

  // A regulator's session works too.
  loginRegulator();
  EXPECT_EQ(api("adresse=Paris", "", sessionCookie(regulator_)).status, 200);

  // Errors: 422 with the field; ambiguous: the choices to send back.
  auto invalid = api("adresse=Nulle-Part-sur-Rien", token);
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.body["errors"][0]["field"], "adresse");
  auto ambiguous = api("adresse=Saint-Denis", token);
  EXPECT_EQ(ambiguous.status, 422);
  EXPECT_EQ(ambiguous.body["error"], "ambiguous");
  const std::string key = ambiguous.body["choices"][0]["key"];
  EXPECT_EQ(api("lieu=" + key, token).status, 200);

  // Revoked, or never issued: refused.
  EXPECT_EQ(api("adresse=Paris", "not-a-token-at-all").status, 401);
  EXPECT_TRUE(platform_.platform().apiTokens().revoke("Logiciel de régulation"));
  EXPECT_EQ(api("adresse=Paris", token).status, 401);
  EXPECT_FALSE(platform_.platform().apiTokens().revoke("Logiciel de régulation"));
}

// A program calling with its token keeps no cookie: it is given none, and a session cookie it
// sends along is not read (the token decides; docs/api.md).
TEST_F(SearchTest, ATokenCallIsGivenNoCookieAndItsSessionCookieIsIgnored) {
  const std::string token = *platform_.platform().apiTokens().create("Programme").value;
  const auto byToken = api("adresse=Paris", token);
  EXPECT_EQ(byToken.status, 200);
  EXPECT_FALSE(byToken.setsCookie);
  // Without a token, a caller is a browser: it gets its CSRF cookie with the refusal.
  const auto anonymous = api("adresse=Paris");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_TRUE(anonymous.setsCookie);

  loginRegulator();
  const auto cookie = sessionCookie(regulator_);
  EXPECT_EQ(api("adresse=Paris", "", cookie).status, 200);
  // A revoked token with a regulator's session cookie: refused, the session not taken instead.
  ASSERT_TRUE(platform_.platform().apiTokens().revoke("Programme"));
  const auto revoked = api("adresse=Paris", token, cookie);
  EXPECT_EQ(revoked.status, 401);
  EXPECT_FALSE(revoked.setsCookie);
}

TEST_F(SearchTest, ATokenRevokedByAnotherProcessStopsWithinASecondAndByThisOneAtOnce) {
  auto& tokens = platform_.platform().apiTokens();
  const std::string token = *tokens.create("Intégration").value;
  ASSERT_EQ(api("adresse=Paris", token).status, 200);
  // Another process revokes it: its own service, whose memory this one does not share.
  ASSERT_TRUE(
      platform_.platform().searchStore().revokeToken("Intégration", platform_.clock().now()));
  platform_.clock().advance(app::ApiTokenService::kBelievedFor - std::chrono::seconds{1});
  EXPECT_EQ(api("adresse=Paris", token).status, 200);  // checked less than a second ago
  platform_.clock().advance(std::chrono::seconds{1});
  EXPECT_EQ(api("adresse=Paris", token).status, 401);
  platform_.clock().advance(std::chrono::seconds{5});
  EXPECT_EQ(api("adresse=Paris", token).status, 401);  // a refusal is not remembered as one

  // Revoked through this process: refused at once, though checked this very second.
  const std::string second = *tokens.create("Seconde intégration").value;
  ASSERT_EQ(api("adresse=Paris", second).status, 200);
  EXPECT_TRUE(tokens.revoke("Seconde intégration"));
  EXPECT_EQ(api("adresse=Paris", second).status, 401);
}

}  // namespace
}  // namespace sas::test
