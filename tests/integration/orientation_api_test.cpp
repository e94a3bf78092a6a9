// « Adresser un patient » over real HTTP (docs/api.md, docs/rules.md#orientation-figures), on
// SQLite and PostgreSQL: the JSON API for a regulator's session and a token of scope
// `orientation`, and the figures (CSV and weekly table) of account managers and administrators.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "app/orientation_service.hpp"
#include "app/search_service.hpp"
#include "storage/account_store.hpp"
#include "storage/psc_store.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using domain::AvailabilityKind;
using domain::OrientationStatus;

const char* const kPassword = "Correct-Horse-42!";

struct Answer {
  int status = 0;
  std::string raw;
  nlohmann::json body;
  std::map<std::string, std::string> headers;
};

// Wednesday 4 March 2026, 10:00 in Paris; the availabilities are on Thursday 5.
class OrientationApiTest : public ::testing::Test {
 protected:
  OrientationApiTest()
      : platform_(parisTime(2026, 3, 4, 10)),
        regulator_(platform_.port()),
        manager_(platform_.port()),
        browser_(platform_.port()) {
    auto& store = platform_.platform().accountStore();
    const app::AuditEntry audit{std::nullopt, "test", "", "", ""};
    idf_ = store.createTerritory({0, "ARS Île-de-France", {"75"}}, audit, now());
    ara_ = store.createTerritory({0, "ARS Auvergne-Rhône-Alpes", {"69"}}, audit, now());
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    regulatorA_ = platform_.addUser("a@sas.test", kPassword, app::Role::Regulator, {}, idf_);
    regulatorB_ = platform_.addUser("b@sas.test", kPassword, app::Role::Regulator, {}, idf_);
    farRegulator_ = platform_.addUser("lyon@sas.test", kPassword, app::Role::Regulator, {}, ara_);
    platform_.addManager("gestion@sas.test", kPassword, {structure_});
    platform_.addUser("ars-idf@sas.test", kPassword, app::Role::AccountManager, {}, idf_);
    platform_.addUser("ars-sans@sas.test", kPassword, app::Role::AccountManager, {});
    platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  }

  domain::Instant now() { return platform_.clock().now(); }
  app::OrientationService& orientations() { return platform_.platform().orientations(); }

  app::Actor actor(std::int64_t userId) {
    app::Actor a;
    a.user = *platform_.users().findById(userId);
    a.clientAddress = "127.0.0.1";
    return a;
  }

  // A one-off on Thursday 5 March, committed like a manager's.
  app::OccurrenceAsked offer(AvailabilityKind kind, int capacity, int fromHour = 14,
                             int toHour = 16, std::int64_t place = 0) {
    if (!place) place = place_;
    domain::Availability a;
    a.placeId = place;
    domain::ConsultationTypes office;
    office.add(domain::ConsultationType::Office);
    a.base = {
        domain::Day{date::year{2026} / 3 / 5}, fromHour * 60, toHour * 60, kind, capacity, office};
    domain::AgendaChange change;
    change.created.push_back(a);
    platform_.agenda().applyChange(place, change, {std::nullopt, "test", "", "", ""}, now());
    platform_.platform().search().placeChanged(place);
    return {place, parisTime(2026, 3, 5, fromHour), parisTime(2026, 3, 5, toHour), kind};
  }

  static std::string bodyFor(std::int64_t place, const std::string& start, const std::string& end,
                             const std::string& type, const std::string& reference = "") {
    nlohmann::json b = {{"lieu", place}, {"debut", start}, {"fin", end}, {"type", type}};
    if (!reference.empty()) b["reference"] = reference;
    return b.dump();
  }

  Answer call(const std::string& method, const std::string& path, const std::string& body,
              const std::string& bearer, Browser* session = nullptr, bool withCsrf = true) {
    Poco::Net::HTTPClientSession http("127.0.0.1", static_cast<Poco::UInt16>(platform_.port()));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!bearer.empty()) request.set("Authorization", "Bearer " + bearer);
    if (session) {
      request.set("Cookie", "sas_session=" + session->cookies()["sas_session"]);
      if (withCsrf) request.set("X-CSRF-Token", session->csrf());
    }
    if (!body.empty()) request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    http.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = http.receiveResponse(response);
    Answer a;
    Poco::StreamCopier::copyToString(in, a.raw);
    a.status = static_cast<int>(response.getStatus());
    a.body = nlohmann::json::parse(a.raw, nullptr, false);
    for (const auto& [k, v] : response) a.headers[k] = v;
    return a;
  }

  void logIn(Browser& b, const std::string& email) {
    ASSERT_EQ(b.login(email, kPassword).status, 303);
    b.get("/compte");  // a page of every role, with the session's CSRF token
  }

  std::string token(const std::string& name, const std::vector<std::string>& scopes,
                    const std::string& user) {
    auto created = platform_.platform().apiTokens().create(name, scopes, user);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.errors.front().message);
    return created.ok() ? *created.value : "";
  }

  TestPlatform platform_;
  Browser regulator_, manager_, browser_;
  std::int64_t idf_ = 0, ara_ = 0, structure_ = 0, place_ = 0;
  std::int64_t regulatorA_ = 0, regulatorB_ = 0, farRegulator_ = 0;
};

const char* const kStart = "2026-03-05T14:00:00+01:00";
const char* const kEnd = "2026-03-05T16:00:00+01:00";

TEST_F(OrientationApiTest, ASessionAndAScopedTokenOrientUntilFullThenCancel) {
  offer(AvailabilityKind::Range, 2);
  logIn(regulator_, "a@sas.test");
  const std::string path = "/api/v1/orientations";

  // A session must prove its request comes from our pages, like a form.
  EXPECT_EQ(
      call("POST", path, bodyFor(place_, kStart, kEnd, "plage"), "", &regulator_, false).status,
      400);
  auto first = call("POST", path, bodyFor(place_, kStart, kEnd, "plage", "DR-1"), "", &regulator_);
  ASSERT_EQ(first.status, 201) << first.raw;
  EXPECT_EQ(first.body["statut"], "en_attente");
  EXPECT_EQ(first.body["statut_libelle"], "En attente");
  EXPECT_EQ(first.body["reserves"], 1);
  EXPECT_EQ(first.body["capacite"], 2);
  EXPECT_EQ(first.body["type"], "plage");
  EXPECT_EQ(first.body["debut"], kStart);
  const std::int64_t firstId = first.body["id"];
  EXPECT_EQ(first.headers["Location"], "/api/v1/orientations/" + std::to_string(firstId));

  // A token of scope orientation orients as regulator B; UTC is accepted as well.
  const auto orienting = token("Logiciel 75", {"orientation"}, "b@sas.test");
  auto second =
      call("POST", path, bodyFor(place_, "2026-03-05T13:00:00Z", "2026-03-05T15:00Z", "plage"),
           orienting);
  ASSERT_EQ(second.status, 201) << second.raw;
  EXPECT_EQ(second.body["reserves"], 2);
  const std::int64_t secondId = second.body["id"];
  auto stored = platform_.platform().orientationStore().findOrientation(secondId);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->regulatorId, regulatorB_);
  EXPECT_EQ(stored->territoryId, idf_);

  // Full: 409 with the words of the pages and the counter.
  auto third = call("POST", path, bodyFor(place_, kStart, kEnd, "plage"), orienting);
  EXPECT_EQ(third.status, 409);
  EXPECT_EQ(third.body["message"], app::kOccurrenceGone);
  EXPECT_EQ(third.body["reserves"], 2);
  EXPECT_EQ(third.body["capacite"], 2);

  // B's token cancels A's (same territory): one place is free again.
  auto cancelled = call("DELETE", path + "/" + std::to_string(firstId), "", orienting);
  ASSERT_EQ(cancelled.status, 200) << cancelled.raw;
  EXPECT_EQ(cancelled.body["statut"], "annulee");
  EXPECT_EQ(cancelled.body["reserves"], 1);
  EXPECT_EQ(cancelled.body["capacite"], 2);
  EXPECT_EQ(call("DELETE", path + "/" + std::to_string(firstId), "", orienting).status, 409);
  // The session cancels with its CSRF token only.
  EXPECT_EQ(
      call("DELETE", path + "/" + std::to_string(secondId), "", "", &regulator_, false).status,
      400);
  auto bySession = call("DELETE", path + "/" + std::to_string(secondId), "", "", &regulator_);
  ASSERT_EQ(bySession.status, 200) << bySession.raw;
  EXPECT_EQ(bySession.body["reserves"], 0);
  EXPECT_EQ(call("DELETE", path + "/999999", "", orienting).status, 404);

  // Another territory's regulator does not see it.
  const auto lyon = token("Logiciel 69", {"orientation"}, "lyon@sas.test");
  auto again = call("POST", path, bodyFor(place_, kStart, kEnd, "plage"), orienting);
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(
      call("DELETE", path + "/" + std::to_string(again.body["id"].get<std::int64_t>()), "", lyon)
          .status,
      404);
}

TEST_F(OrientationApiTest, TokensWithoutTheScopeOrOtherRolesAreRefused) {
  offer(AvailabilityKind::Slot, 1, 14, 15);
  const std::string path = "/api/v1/orientations";
  const auto body = bodyFor(place_, kStart, "2026-03-05T15:00:00+01:00", "creneau");
  const auto reading = token("Lecture", {}, "");
  auto refused = call("POST", path, body, reading);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body["error"], "forbidden");
  EXPECT_NE(refused.body["message"].get<std::string>().find("orientation"), std::string::npos);
  EXPECT_EQ(call("DELETE", path + "/1", "", reading).status, 403);
  // The same token still reads the search.
  EXPECT_EQ(call("GET", "/api/v1/search?adresse=Paris", "", reading).status, 200);

  // Neither a session nor a token: refused as a forged form before any route.
  EXPECT_EQ(call("POST", path, body, "").status, 400);
  EXPECT_EQ(call("POST", path, body, "not-a-token-at-all").status, 401);
  logIn(manager_, "gestion@sas.test");
  EXPECT_EQ(call("POST", path, body, "", &manager_).status, 403);
  EXPECT_EQ(call("DELETE", path + "/1", "", "", &manager_).status, 403);

  // The scope needs an active regulator's or IOA's account, and known scope names.
  auto& tokens = platform_.platform().apiTokens();
  EXPECT_FALSE(tokens.create("Sans compte", {"orientation"}, "").ok());
  EXPECT_FALSE(tokens.create("Gestionnaire", {"orientation"}, "gestion@sas.test").ok());
  EXPECT_FALSE(tokens.create("Inconnu", {"orientation"}, "personne@sas.test").ok());
  EXPECT_FALSE(tokens.create("Portée", {"ecriture"}, "a@sas.test").ok());
  const auto listed = tokens.list();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].scopes, "recherche");
  EXPECT_FALSE(listed[0].userId);

  // Nothing was taken.
  const auto ok = call("POST", path, body, token("Ok", {"orientation"}, "a@sas.test"));
  EXPECT_EQ(ok.status, 201) << ok.raw;
  EXPECT_EQ(ok.body["reserves"], 1);
  EXPECT_EQ(ok.body["capacite"], 1);
}

// The account's rights as they are now: once it is disabled, its tokens stop, within the second
// a token found in force is believed (docs/api.md#scopes).
TEST_F(OrientationApiTest, AScopedTokenStopsWithinASecondOnceItsAccountIsDisabled) {
  const auto t = token("Logiciel", {"orientation"}, "a@sas.test");
  const std::string search = "/api/v1/search?adresse=Paris";
  ASSERT_EQ(call("GET", search, "", t).status, 200);
  auto user = *platform_.users().findById(regulatorA_);
  user.disabled = true;
  platform_.platform().accountStore().updateAccount(
      user, {}, std::nullopt, std::nullopt, std::nullopt, {std::nullopt, "test", "", "", ""},
      platform_.clock().now());
  platform_.clock().advance(app::ApiTokenService::kBelievedFor - std::chrono::seconds{1});
  EXPECT_EQ(call("GET", search, "", t).status, 200);
  platform_.clock().advance(std::chrono::seconds{1});
  EXPECT_EQ(call("GET", search, "", t).status, 401);
  EXPECT_EQ(call("POST", "/api/v1/orientations", bodyFor(place_, kStart, kEnd, "plage"), t).status,
            401);
}

TEST_F(OrientationApiTest, BadBodiesAnswer400InFrenchAndUnknownOccurrences404) {
  offer(AvailabilityKind::Range, 2);
  const auto t = token("Logiciel", {"recherche", "orientation"}, "a@sas.test");
  const std::string path = "/api/v1/orientations";
  const std::vector<std::pair<std::string, std::string>> bad{
      {"{not json", ""},
      {"[1, 2]", ""},
      {R"({"debut": "2026-03-05T14:00:00+01:00", "fin": "2026-03-05T16:00:00+01:00", "type": "plage"})",
       "lieu"},
      {R"({"lieu": "douze", "debut": "2026-03-05T14:00:00+01:00", "fin": "2026-03-05T16:00:00+01:00", "type": "plage"})",
       "lieu"},
      {bodyFor(place_, "2026-03-05 14:00", kEnd, "plage"), "debut"},
      {bodyFor(place_, "2026-03-05T14:00:00", kEnd, "plage"), "debut"},
      {bodyFor(place_, kStart, "2026-02-30T16:00:00+01:00", "plage"), "fin"},
      {bodyFor(place_, kEnd, kStart, "plage"), "fin"},
      {bodyFor(place_, kStart, kEnd, "sus"), "type"},
      {R"({"lieu": 1, "debut": "2026-03-05T14:00:00+01:00", "fin": "2026-03-05T16:00:00+01:00", "type": "plage", "reference": 42})",
       "reference"},
  };
  for (const auto& [body, field] : bad) {
    auto a = call("POST", path, body, t);
    EXPECT_EQ(a.status, 400) << body;
    EXPECT_EQ(a.body["error"], "bad_request") << body;
    EXPECT_FALSE(a.body["message"].get<std::string>().empty()) << body;
    if (!field.empty()) {
      EXPECT_EQ(a.body["errors"][0]["field"], field) << body;
    }
  }
  EXPECT_EQ(call("POST", path, "", t).status, 400);
  // No such occurrence (wrong hour, wrong kind) or place: 404.
  EXPECT_EQ(
      call("POST", path, bodyFor(place_, "2026-03-05T15:00:00+01:00", kEnd, "plage"), t).status,
      404);
  EXPECT_EQ(call("POST", path, bodyFor(place_, kStart, kEnd, "creneau"), t).status, 404);
  EXPECT_EQ(call("POST", path, bodyFor(987654, kStart, kEnd, "plage"), t).status, 404);
  // The reference's own rule: 422 next to its field.
  auto tooLong =
      call("POST", path, bodyFor(place_, kStart, kEnd, "plage", std::string(31, 'x')), t);
  EXPECT_EQ(tooLong.status, 422);
  EXPECT_EQ(tooLong.body["errors"][0]["field"], "reference");
  // None of these took a place.
  auto ok = call("POST", path, bodyFor(place_, kStart, kEnd, "plage", std::string(30, 'x')), t);
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(ok.body["reserves"], 1);
}

// ---- figures ----

class FiguresTest : public OrientationApiTest {
 protected:
  // Orientations of both territories: in Île-de-France one pending, one received, one
  // cancelled (week of 2 March), one pending the week after; in Auvergne-Rhône-Alpes one.
  void orientSome() {
    app::Structure s{0,
                     "=HYPERLINK(\"http://x.test\";\"clic\")",
                     "Centre de santé",
                     "750000001",
                     "12345678900011",
                     "01 00 00 00 00",
                     "75",
                     {}};
    const auto sid = platform_.structures().createStructure(s);
    // A professional's practice place in the directory: his RPPS goes to the CSV.
    storage::SqlPscStore directory(platform_.platform().database());
    directory.saveProfessional({"810001234567", "Martin", "Camille", "Médecin", ""});
    directory.addDirectoryPlace("810001234567", "site-1", sid);
    const auto pid =
        platform_.structures().createPlace({0, sid, "", "1 rue de l'Essai", "75001", "Paris",
                                            "75101", 48.86, 2.34, "Europe/Paris", ""});
    const auto plage = offer(AvailabilityKind::Range, 5);
    const auto other = offer(AvailabilityKind::Range, 5, 9, 12, pid);
    const auto a = actor(regulatorA_), lyon = actor(farRegulator_);
    auto made = [&](const app::Actor& who, const app::OccurrenceAsked& asked, const char* ref) {
      auto out = orientations().orient(who, asked, ref);
      EXPECT_TRUE(out.result.ok());
      return out.result.ok() ? out.result.value->id : 0;
    };
    made(a, plage, "DR-SECRET-1");
    const auto received = made(a, plage, "DR-SECRET-2");
    const auto cancelled = made(a, other, "DR-SECRET-3");
    made(lyon, plage, "DR-SECRET-4");
    ASSERT_TRUE(orientations().cancel(a, cancelled).ok());
    platform_.clock().set(parisTime(2026, 3, 9, 8));  // Monday of the next week
    domain::Availability next;
    next.placeId = place_;
    domain::ConsultationTypes office;
    office.add(domain::ConsultationType::Office);
    next.base = {domain::Day{date::year{2026} / 3 / 10},
                 14 * 60,
                 15 * 60,
                 AvailabilityKind::Slot,
                 1,
                 office};
    domain::AgendaChange change;
    change.created.push_back(next);
    platform_.agenda().applyChange(place_, change, {std::nullopt, "test", "", "", ""}, now());
    made(a,
         {place_, parisTime(2026, 3, 10, 14), parisTime(2026, 3, 10, 15), AvailabilityKind::Slot},
         "");
    auto m = actor(platform_.users().findByEmail("gestion@sas.test")->id);
    m.structureIds = platform_.users().linkedStructureIds(m.user.id);
    ASSERT_TRUE(orientations().setOutcome(m, received, OrientationStatus::Received).ok());
  }

  static std::vector<std::string> lines(const std::string& csv) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < csv.size()) {
      const auto end = csv.find("\r\n", at);
      if (end == std::string::npos) break;
      out.push_back(csv.substr(at, end - at));
      at = end + 2;
    }
    return out;
  }
};

TEST_F(FiguresTest, AnAccountManagersCsvHoldsHisTerritoryAndAnAdministratorsAll) {
  orientSome();
  logIn(browser_, "ars-idf@sas.test");
  auto csv = browser_.get("/orientations/export.csv?du=2026-03-01&au=2026-03-31");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers["Content-Type"], "text/csv; charset=utf-8");
  EXPECT_NE(csv.headers["Content-Disposition"].find("orientations-2026-03-01-2026-03-31.csv"),
            std::string::npos);
  ASSERT_TRUE(csv.body.starts_with("\xEF\xBB\xBF"));
  auto rows = lines(csv.body.substr(3));
  ASSERT_EQ(rows.size(), 5u);  // the header and IDF's four
  EXPECT_EQ(rows[0],
            "Date de l'orientation;Date du rendez-vous;Heure du rendez-vous;Type;Lieu;Structure;"
            "FINESS;SIRET;RPPS du professionnel;Territoire;Statut");
  EXPECT_EQ(rows[1],
            "04/03/2026 10:00;05/03/2026;14h00 - 16h00;Plage;Centre de santé Michel-Ange;"
            "Centre de santé Michel-Ange;;;;ARS Île-de-France;En attente");
  EXPECT_EQ(rows[2].substr(rows[2].rfind(';') + 1), "Patient reçu");
  // A name that a spreadsheet would run is neutralised and quoted.
  EXPECT_EQ(rows[3],
            "04/03/2026 10:00;05/03/2026;09h00 - 12h00;Plage;"
            "\"'=HYPERLINK(\"\"http://x.test\"\";\"\"clic\"\")\";"
            "\"'=HYPERLINK(\"\"http://x.test\"\";\"\"clic\"\")\";750000001;12345678900011;"
            "10001234567;ARS Île-de-France;Annulée");
  EXPECT_EQ(rows[4],
            "09/03/2026 08:00;10/03/2026;14h00 - 15h00;Créneau;Centre de santé Michel-Ange;"
            "Centre de santé Michel-Ange;;;;ARS Île-de-France;En attente");
  // No patient datum, not even the regulation's reference.
  EXPECT_EQ(csv.body.find("DR-SECRET"), std::string::npos);
  EXPECT_EQ(csv.body.find("Auvergne"), std::string::npos);

  // A shorter period: the last week only.
  EXPECT_EQ(lines(browser_.get("/orientations/export.csv?du=2026-03-09&au=2026-03-09").body).size(),
            2u);
  EXPECT_EQ(lines(browser_.get("/orientations/export.csv?du=2026-03-05&au=2026-03-08").body).size(),
            1u);
  EXPECT_EQ(browser_.get("/orientations/export.csv?du=2026-03-09&au=2026-03-01").status, 400);
  EXPECT_EQ(browser_.get("/orientations/export.csv?du=hier").status, 400);

  Browser admin(platform_.port());
  logIn(admin, "admin@sas.test");
  auto all = admin.get("/orientations/export.csv?du=2026-03-01&au=2026-03-31");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(lines(all.body).size(), 6u);
  EXPECT_NE(all.body.find("ARS Auvergne-Rhône-Alpes"), std::string::npos);
}

TEST_F(FiguresTest, OtherRolesAreRefused) {
  orientSome();
  const std::string csv = "/orientations/export.csv?du=2026-03-01&au=2026-03-31";
  for (const char* email : {"a@sas.test", "gestion@sas.test", "ars-sans@sas.test"}) {
    Browser b(platform_.port());
    logIn(b, email);
    EXPECT_EQ(b.get(csv).status, 403) << email;
    EXPECT_EQ(b.get("/orientations/chiffres").status, 403) << email;
  }
  Browser anonymous(platform_.port());
  EXPECT_EQ(anonymous.get(csv).status, 303);
}

TEST_F(FiguresTest, TheWeeklyTableCountsEachTerritorysOrientations) {
  orientSome();
  Browser admin(platform_.port());
  logIn(admin, "admin@sas.test");
  auto page = admin.get("/orientations/chiffres?du=2026-03-01&au=2026-03-31");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<caption>Orientations par semaine et par territoire, du 01/03/2026 "
                           "au 31/03/2026</caption>"),
            std::string::npos);
  // Week, territory, made, received, not come, pending, cancelled.
  EXPECT_NE(page.body.find("<td>02/03/2026</td><td>ARS Auvergne-Rhône-Alpes</td><td>1</td><td>0"
                           "</td><td>0</td><td>1</td><td>0</td>"),
            std::string::npos);
  EXPECT_NE(page.body.find("<td>02/03/2026</td><td>ARS Île-de-France</td><td>3</td><td>1</td>"
                           "<td>0</td><td>1</td><td>1</td>"),
            std::string::npos);
  EXPECT_NE(page.body.find("<td>09/03/2026</td><td>ARS Île-de-France</td><td>1</td><td>0</td>"
                           "<td>0</td><td>1</td><td>0</td>"),
            std::string::npos);
  EXPECT_NE(page.body.find("<td>5</td><td>1</td><td>0</td><td>3</td><td>1</td>"),
            std::string::npos);  // the total
  EXPECT_NE(page.body.find("href=\"/orientations/export.csv?du=2026-03-01&amp;au=2026-03-31\""),
            std::string::npos);

  logIn(browser_, "ars-idf@sas.test");
  auto mine = browser_.get("/orientations/chiffres?du=2026-03-01&au=2026-03-31");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body.find("Auvergne"), std::string::npos);
  EXPECT_NE(mine.body.find("href=\"/orientations/chiffres\">Chiffres des orientations</a>"),
            std::string::npos);  // in the account managers' menu
  EXPECT_NE(mine.body.find("<td>4</td><td>1</td><td>0</td><td>2</td><td>1</td>"),
            std::string::npos);
  // Without a period: the current month up to today.
  auto current = browser_.get("/orientations/chiffres");
  EXPECT_EQ(current.status, 200);
  EXPECT_NE(current.body.find("value=\"2026-03-01\""), std::string::npos);
  EXPECT_NE(current.body.find("value=\"2026-03-09\""), std::string::npos);
  // A period the wrong way round: said next to the field.
  auto wrong = browser_.get("/orientations/chiffres?du=2026-03-09&au=2026-03-01");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("id=\"au-erreur\""), std::string::npos);
}

}  // namespace
}  // namespace sas::test
