// Issue 18, items 4, 5, 7 and 8, over real HTTP (and on PostgreSQL by ctest's "postgres:"
// copies): accounts that age, the CGU at every account's first login, the account managers'
// filters and CSV, and « Journal des modifications ».
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "app/account_service.hpp"
#include "app/demo_data.hpp"
#include "domain/account_rules.hpp"
#include "storage/account_store.hpp"
#include "storage/database.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using std::chrono::seconds;

const char* const kPassword = "Correct-Horse-42!";

class AccountManagementTest : public ::testing::Test {
 protected:
  AccountManagementTest()
      : platform_(parisTime(2026, 3, 4, 10), [this](config::Config& c) {
          c.mailTransport = "smtp";
          c.smtpHost = "127.0.0.1";
          c.smtpPort = smtp_.port();
        }) {
    territory_ = platform_.addTerritory("ARS Île-de-France", {"75", "92"});
    otherTerritory_ = platform_.addTerritory("ARS Auvergne-Rhône-Alpes", {"69"});
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    lyon_ = platform_.structures().createStructure(
        {0, "Centre de santé Lyon", "Centre de santé", "", "", "", "69", {}});
    ars_ =
        platform_.addUser("ars75@sas.test", kPassword, app::Role::AccountManager, {}, territory_);
    ars69_ = platform_.addUser("ars69@sas.test", kPassword, app::Role::AccountManager, {},
                               otherTerritory_);
    admin_ = platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  }

  domain::Instant now() { return platform_.clock().now(); }
  app::User user(std::int64_t id) { return *platform_.users().findById(id); }
  app::AgeingRun age() { return platform_.platform().ageAccounts(); }

  std::int64_t addManager(const std::string& email, std::optional<std::int64_t> structure = {}) {
    return platform_.addUser(email, kPassword, app::Role::StructureManager,
                             {structure.value_or(structure_)}, territory_);
  }

  /// A password set now: months later, an expired one would lead every page to its change.
  void freshPassword(std::int64_t id) {
    platform_.users().setPassword(id, platform_.platform().hasher().hash(kPassword), now());
  }

  int sessionsOf(std::int64_t id) {
    storage::Connection c(platform_.platform().database());
    long long key = id;
    int n = 0;
    c.sql() << "SELECT COUNT(*) FROM sessions WHERE user_id = :u", soci::use(key), soci::into(n);
    return n;
  }

  int auditCount(const std::string& action) {
    storage::Connection c(platform_.platform().database());
    int n = 0;
    c.sql() << "SELECT COUNT(*) FROM audit_log WHERE action = :a", soci::use(action), soci::into(n);
    return n;
  }

  /// An account manager's browser, logged in (his own clock restarts: he is in use), on the
  /// account list (whose CSRF token his forms send).
  Browser managerOf(const std::string& email = "ars75@sas.test") {
    Browser b(platform_.port());
    auto in = b.login(email, kPassword);
    EXPECT_EQ(in.status, 303) << in.body.substr(in.body.find("<main"), 1500);
    EXPECT_EQ(b.get("/comptes").status, 200);
    return b;
  }

  SmtpSink smtp_;
  TestPlatform platform_;
  std::int64_t territory_ = 0, otherTerritory_ = 0, structure_ = 0, place_ = 0, lyon_ = 0;
  std::int64_t ars_ = 0, ars69_ = 0, admin_ = 0;
};

// --- Item 4: accounts that age ------------------------------------------------------------

TEST_F(AccountManagementTest, UnusedAccountIsWarnedOnceAtEightMonthsAndDisabledAtNine) {
  const auto camille = addManager("camille@sas.test");
  const auto start = now();
  Browser b(platform_.port());
  ASSERT_EQ(b.login("camille@sas.test", kPassword).status, 303);  // used at `start`
  ASSERT_EQ(sessionsOf(camille), 1);
  ASSERT_EQ(user(camille).lastLoginAt, start);

  const auto warnAt = domain::addCalendarMonths(start, 8);
  platform_.clock().set(warnAt - seconds{1});
  EXPECT_EQ(age().warned, 0);
  platform_.clock().set(warnAt + seconds{1});
  // Camille, and the fixture's accounts created at the same second.
  EXPECT_EQ(age().warned, 4);
  const auto again = age();  // idempotent: one warning per inactivity period
  EXPECT_EQ(again.warned, 0);
  EXPECT_EQ(again.disabled, 0);
  platform_.platform().deliverMail();
  auto mails = smtp_.messagesTo("camille@sas.test");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("04/03/2026"), std::string::npos);  // unused since (its last login)
  EXPECT_NE(mails[0].find("04/12/2026"), std::string::npos);  // the day it will be disabled
  EXPECT_NE(mails[0].find("http://sas.test/connexion"), std::string::npos);
  EXPECT_FALSE(user(camille).disabled);
  EXPECT_EQ(auditCount("account.inactivity_warning"), 4);

  const auto disableAt = domain::addCalendarMonths(start, 9);
  platform_.clock().set(disableAt - seconds{1});
  EXPECT_EQ(age().disabled, 0);
  EXPECT_FALSE(user(camille).disabled);
  EXPECT_EQ(sessionsOf(camille), 1);
  platform_.clock().set(disableAt + seconds{1});
  // Camille and the two account managers; not the last administrator (always one left).
  EXPECT_EQ(age().disabled, 3);
  EXPECT_EQ(age().disabled, 0);
  const auto aged = user(camille);
  EXPECT_TRUE(aged.disabled);
  EXPECT_EQ(aged.inactiveSince, disableAt + seconds{1});
  EXPECT_EQ(sessionsOf(camille), 0);  // its sessions ended
  EXPECT_FALSE(user(admin_).disabled);
  Browser refused(platform_.port());
  EXPECT_NE(refused.login("camille@sas.test", kPassword).location, "/tableau-de-bord");
  EXPECT_EQ(refused.get("/tableau-de-bord").status, 303);  // to the login page
}

TEST_F(AccountManagementTest, ItsManagerSeesInactiveSinceAndReactivationRestartsTheClock) {
  const auto camille = addManager("camille@sas.test");
  const auto start = now();
  platform_.clock().set(domain::addCalendarMonths(start, 9) + seconds{1});
  age();
  ASSERT_TRUE(user(camille).disabled);
  for (auto id : {camille, ars_, ars69_, admin_}) freshPassword(id);
  // The administrator (last one) is still enabled: he reactivates the account manager.
  Browser admin = managerOf("admin@sas.test");
  EXPECT_EQ(admin.post("/comptes/" + std::to_string(ars_) + "/reactiver", {}).location,
            "/comptes?message=reactive");
  Browser ars = managerOf();
  auto list = ars.get("/comptes");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("Inactif depuis le 04/12/2026"), std::string::npos) << list.body;
  auto sheet = ars.get("/comptes/" + std::to_string(camille));
  EXPECT_NE(sheet.body.find("Inactif depuis le 04/12/2026"), std::string::npos);
  EXPECT_NE(sheet.body.find("Réactiver le compte"), std::string::npos);
  // Another territory's manager (disabled too, reactivated by the administrator) can neither
  // see nor reactivate it.
  admin.post("/comptes/" + std::to_string(ars69_) + "/reactiver", {});
  Browser other = managerOf("ars69@sas.test");
  EXPECT_EQ(other.post("/comptes/" + std::to_string(camille) + "/reactiver", {}).status, 404);
  EXPECT_TRUE(user(camille).disabled);

  EXPECT_EQ(other.get("/comptes/" + std::to_string(camille)).status, 404);
  const auto reactivatedAt = now();
  ars.get("/comptes");
  // A forged form without the CSRF token reactivates nothing.
  EXPECT_EQ(ars.postRaw("/comptes/" + std::to_string(camille) + "/reactiver", {}).status, 400);
  EXPECT_TRUE(user(camille).disabled);
  EXPECT_EQ(ars.post("/comptes/" + std::to_string(camille) + "/reactiver", {}).status, 303);
  const auto back = user(camille);
  EXPECT_FALSE(back.disabled);
  EXPECT_FALSE(back.inactiveSince.has_value());
  EXPECT_EQ(auditCount("account.reactivate"), 3);
  Browser b(platform_.port());
  EXPECT_EQ(b.login("camille@sas.test", kPassword).location, "/tableau-de-bord");
  // Its inactivity counts from the reactivation (and the login just after it).
  platform_.clock().set(domain::addCalendarMonths(reactivatedAt, 8) - seconds{1});
  age();
  platform_.platform().deliverMail();
  EXPECT_TRUE(smtp_.messagesTo("camille@sas.test").empty());
  platform_.clock().set(domain::addCalendarMonths(reactivatedAt, 8) + seconds{1});
  age();
  platform_.platform().deliverMail();
  EXPECT_EQ(smtp_.messagesTo("camille@sas.test").size(), 1u);
  EXPECT_FALSE(user(camille).disabled);
}

TEST_F(AccountManagementTest, ALoginMeanwhileStartsANewPeriodAndTheDelaysAreConfiguration) {
  const auto camille = addManager("camille@sas.test");
  const auto start = now();
  platform_.clock().set(domain::addCalendarMonths(start, 7));
  const auto used = now();
  Browser b(platform_.port());
  ASSERT_EQ(b.login("camille@sas.test", kPassword).status, 303);
  platform_.clock().set(domain::addCalendarMonths(start, 9) + seconds{1});
  age();  // the others are disabled; not Camille, used two months ago
  EXPECT_FALSE(user(camille).disabled);
  platform_.platform().deliverMail();
  EXPECT_TRUE(smtp_.messagesTo("camille@sas.test").empty());
  platform_.clock().set(domain::addCalendarMonths(used, 9) - seconds{1});
  age();
  EXPECT_FALSE(user(camille).disabled);
  platform_.clock().set(domain::addCalendarMonths(used, 9) + seconds{1});
  age();
  EXPECT_TRUE(user(camille).disabled);
}

TEST(AccountAgeingConfiguration, OtherDelaysAreUsedAtTheSecond) {
  TestPlatform platform(parisTime(2026, 1, 15, 9), [](config::Config& c) {
    c.inactivityWarningMonths = 2;
    c.inactivityDisableMonths = 3;
  });
  const auto start = platform.clock().now();
  const auto id = platform.addManager("camille@sas.test", kPassword, {});
  platform.addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  platform.clock().set(domain::addCalendarMonths(start, 2) - seconds{1});
  EXPECT_EQ(platform.platform().ageAccounts().warned, 0);
  platform.clock().set(domain::addCalendarMonths(start, 2) + seconds{1});
  EXPECT_EQ(platform.platform().ageAccounts().warned, 2);
  platform.clock().set(domain::addCalendarMonths(start, 3) - seconds{1});
  EXPECT_EQ(platform.platform().ageAccounts().disabled, 0);
  platform.clock().set(domain::addCalendarMonths(start, 3) + seconds{1});
  EXPECT_EQ(platform.platform().ageAccounts().disabled, 1);  // not the only administrator
  EXPECT_TRUE(platform.users().findById(id)->disabled);
}

// --- Item 5: the CGU for everyone ---------------------------------------------------------

TEST_F(AccountManagementTest, AnAccountAddedOutsideTheWebAcceptsTheCguAtItsFirstLogin) {
  // As `sas user add` does: a password, no CGU accepted.
  app::User u{0,
              "cli@sas.test",
              "Claude",
              "Ligne",
              app::Role::StructureManager,
              platform_.platform().hasher().hash(kPassword),
              false};
  const auto id = platform_.users().create(u, {structure_}, now());
  Browser b(platform_.port());
  ASSERT_EQ(b.login("cli@sas.test", kPassword).location, "/tableau-de-bord");
  // The landing page, under the pop-in; without JavaScript a refresh leads to its page.
  auto landing = b.get("/tableau-de-bord");
  ASSERT_EQ(landing.status, 200);
  EXPECT_NE(landing.body.find("<dialog id=\"cgu-modale\" class=\"fr-modal sas-cgu-modale\" "
                              "aria-labelledby=\"cgu-modale-titre\""),
            std::string::npos);
  EXPECT_NE(landing.body.find("Refuser et se déconnecter"), std::string::npos);  // leaving
  EXPECT_NE(landing.body.find("<noscript><meta http-equiv=\"refresh\" content=\"0; "
                              "url=/cgu/accepter?suite=/tableau-de-bord\"></noscript>"),
            std::string::npos);
  EXPECT_NE(landing.body.find("action=\"/cgu/accepter\""), std::string::npos);
  EXPECT_NE(landing.body.find("name=\"suite\" value=\"/tableau-de-bord\""), std::string::npos);
  // Any other page, and any form, leads to the CGU's page; nothing is written.
  const std::vector<std::string> others{
      "/compte", "/lieux/" + std::to_string(place_) + "/agenda",
      "/structures/" + std::to_string(structure_) + "/parametres"};
  for (const auto& path : others) {
    auto page = b.get(path);
    EXPECT_EQ(page.status, 303) << path;
    EXPECT_EQ(page.location, "/cgu/accepter") << path;
  }
  auto note = b.post("/lieux/" + std::to_string(place_) + "/informations-complementaires",
                     {{"informations", "Sans rendez-vous"}});
  EXPECT_EQ(note.location, "/cgu/accepter");
  EXPECT_EQ(platform_.agenda().unavailabilityAndNote(place_).second, "");
  EXPECT_EQ(b.get("/cgu").status, 200);
  EXPECT_EQ(b.get("/confidentialite").status, 200);

  // A login without JavaScript (the form's <noscript> field): the CGU's page first, then the
  // page asked for.
  Browser noScript(platform_.port());
  noScript.get("/connexion");
  EXPECT_EQ(noScript
                .post("/connexion", {{"email", "cli@sas.test"},
                                     {"password", kPassword},
                                     {"sans_javascript", "1"},
                                     {"suite", "/compte"}})
                .location,
            "/cgu/accepter?suite=/compte");

  auto page = b.get("/cgu/accepter");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Accepter les CGU"), std::string::npos);
  EXPECT_EQ(page.body.find("cgu-modale"), std::string::npos);  // the page itself, no pop-in
  auto refused = b.post("/cgu/accepter", {});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Vous devez accepter les conditions générales d"), std::string::npos);
  EXPECT_NE(refused.body.find("aria-describedby=\"cgu-erreur\""), std::string::npos);
  EXPECT_FALSE(user(id).termsAccepted);
  // Accepted: back to the page the pop-in was over (a local one only).
  EXPECT_EQ(b.post("/cgu/accepter", {{"cgu", "1"}, {"suite", "/compte"}}).location, "/compte");
  EXPECT_TRUE(user(id).termsAccepted);
  EXPECT_EQ(auditCount("terms.accepted"), 1);
  auto after = b.get("/tableau-de-bord");
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body.find("cgu-modale"), std::string::npos);
  EXPECT_EQ(b.get("/compte").status, 200);
  EXPECT_EQ(b.get("/cgu/accepter").location, "/tableau-de-bord");  // once only
  // Without JavaScript, once accepted, the CGU's page goes straight on.
  EXPECT_EQ(noScript.get("/cgu/accepter?suite=/compte").location, "/compte");
  EXPECT_EQ(b.post("/cgu/accepter", {{"cgu", "1"}, {"suite", "//evil.test/"}}).location,
            "/tableau-de-bord");
  EXPECT_EQ(auditCount("terms.accepted"), 1);
}

// An account owing both steps (added outside the web, its password expired before its first
// login): the CGU first, then the change of password; neither page sends to the other.
TEST_F(AccountManagementTest, CguFirstThenAnExpiredPasswordNeverAroundInACircle) {
  app::User u{0,
              "cli@sas.test",
              "Claude",
              "Ligne",
              app::Role::StructureManager,
              platform_.platform().hasher().hash(kPassword),
              false};
  const auto id = platform_.users().create(u, {structure_}, now());
  platform_.clock().set(domain::addCalendarMonths(now(), 4) + seconds{1});
  Browser b(platform_.port());
  b.login("cli@sas.test", kPassword);
  EXPECT_EQ(b.get("/compte/mot-de-passe").location, "/cgu/accepter");
  EXPECT_EQ(b.get("/compte").location, "/cgu/accepter");
  // The landing pages, open under the CGU's pop-in otherwise, show nothing to an expired password.
  EXPECT_EQ(b.get("/tableau-de-bord").location, "/cgu/accepter");
  EXPECT_EQ(b.get("/recherche").location, "/cgu/accepter");
  const auto terms = b.get("/cgu/accepter");
  ASSERT_EQ(terms.status, 200);
  // Without the CSRF token, nothing is accepted.
  EXPECT_EQ(b.postRaw("/cgu/accepter", {{"cgu", "1"}}).status, 400);
  EXPECT_FALSE(user(id).termsAccepted);
  EXPECT_EQ(b.post("/cgu/accepter", {{"cgu", "1"}}).location, "/tableau-de-bord");
  EXPECT_TRUE(user(id).termsAccepted);
  EXPECT_EQ(b.get("/tableau-de-bord").location, "/compte/mot-de-passe");
  EXPECT_EQ(b.get("/cgu/accepter").location, "/compte/mot-de-passe");
  EXPECT_EQ(b.get("/compte/mot-de-passe").status, 200);
}

// The API answers JSON, never a page (docs/api.md): a session owing the CGU or a change of its
// expired password gets a 403 saying which, not a redirect to that page.
TEST_F(AccountManagementTest, AnApiCallOfASessionOwingAStepIsRefusedInJsonNotSentToItsPage) {
  app::User u{0,         "regulation@sas.test", "Régis",
              "Ulateur", app::Role::Regulator,  platform_.platform().hasher().hash(kPassword),
              false};
  platform_.users().create(u, {}, now());
  Browser b(platform_.port());
  ASSERT_EQ(b.login("regulation@sas.test", kPassword).location, "/tableau-de-bord");
  const std::string search = "/api/v1/search?adresse=Paris";
  auto owing = b.get(search);
  EXPECT_EQ(owing.status, 403);
  EXPECT_EQ(owing.location, "");
  EXPECT_EQ(owing.headers["Content-Type"], "application/json; charset=utf-8");
  EXPECT_NE(owing.body.find("\"error\":\"forbidden\""), std::string::npos) << owing.body;
  EXPECT_NE(owing.body.find("Acceptez d'abord les conditions générales d'utilisation"),
            std::string::npos)
      << owing.body;
  // Pages still lead to the CGU's page.
  EXPECT_EQ(b.get("/compte").location, "/cgu/accepter");

  b.get("/cgu/accepter");
  ASSERT_EQ(b.post("/cgu/accepter", {{"cgu", "1"}}).location, "/tableau-de-bord");
  EXPECT_EQ(b.get(search).status, 200);

  // Months later, its password expired: a new session, the same refusal for that step.
  platform_.clock().set(domain::addCalendarMonths(now(), 4) + seconds{1});
  Browser later(platform_.port());
  later.login("regulation@sas.test", kPassword);
  auto expired = later.get(search);
  EXPECT_EQ(expired.status, 403);
  EXPECT_EQ(expired.headers["Content-Type"], "application/json; charset=utf-8");
  EXPECT_NE(expired.body.find("Votre mot de passe a expiré"), std::string::npos) << expired.body;
  EXPECT_EQ(later.get("/compte").location, "/compte/mot-de-passe");
}

TEST(AccountCgu, TheDemoAccountsAcceptTheCguAtTheirFirstLoginToo) {
  TestPlatform platform(parisTime(2026, 3, 4, 10));
  const auto logins = app::loadDemoData(platform.users(), platform.structures(), platform.agenda(),
                                        platform.platform().accountStore(),
                                        platform.platform().hasher(), platform.clock());
  ASSERT_EQ(logins.size(), 6u);
  for (const auto& login : logins) {
    Browser b(platform.port());
    const auto in = b.login(login.email, login.password);
    ASSERT_EQ(in.status, 303) << login.email;
    const auto landing = b.get(in.location);
    // The regulator lands on the search, the others on their dashboard: under the pop-in.
    const auto shown = landing.status == 303 ? b.get(landing.location) : landing;
    EXPECT_EQ(shown.status, 200) << login.email;
    EXPECT_NE(shown.body.find("cgu-modale"), std::string::npos) << login.email;
    if (landing.status == 303) {  // the search: the pop-in sends him back to it
      EXPECT_NE(shown.body.find("name=\"suite\" value=\"/recherche\""), std::string::npos);
    }
    EXPECT_EQ(b.get("/compte").location, "/cgu/accepter") << login.email;
    EXPECT_EQ(b.post("/cgu/accepter", {{"cgu", "1"}}).location, "/tableau-de-bord");
    EXPECT_EQ(b.get("/compte").status, 200) << login.email;
  }
}

// --- Item 7: the account managers' list, its filters and its CSV --------------------------

class AccountListTest : public AccountManagementTest {
 protected:
  AccountListTest() {
    active_ = addManager("active@sas.test");
    regulator_ =
        platform_.addUser("regul@sas.test", kPassword, app::Role::Regulator, {}, territory_);
    disabled_ = addManager("parti@sas.test");
    auto u = user(disabled_);
    u.disabled = true;
    platform_.platform().accountStore().updateAccount(u, {structure_}, std::nullopt, std::nullopt,
                                                      std::nullopt,
                                                      {std::nullopt, "test", "", "", ""}, now());
    const auto other = platform_.addCentre("Centre de santé Marcadet");
    otherStructure_ = other.first;
    formula_ = platform_.addUser("formule@sas.test", kPassword, app::Role::StructureManager,
                                 {otherStructure_}, territory_);
    auto f = user(formula_);
    f.lastName = "=HYPERLINK(\"http://x\";\"y\")";
    f.firstName = "Zoé; \"la\"";
    platform_.platform().accountStore().updateAccount(f, {otherStructure_}, std::nullopt,
                                                      std::nullopt, std::nullopt,
                                                      {std::nullopt, "test", "", "", ""}, now());
    platform_.addUser("lyon@sas.test", kPassword, app::Role::StructureManager, {lyon_},
                      otherTerritory_);
  }

  /// An account created by the manager (pending), then one aged (inactive).
  void addPendingAndInactive(Browser& ars) {
    ars.get("/comptes/nouveau");
    ASSERT_EQ(ars.post("/comptes", {{"email", "nouveau@sas.test"},
                                    {"prenom", "Nina"},
                                    {"nom", "Nouvelle"},
                                    {"role", "gestionnaire_structure"},
                                    {"structures", std::to_string(structure_)}})
                  .status,
              303);
    inactive_ = addManager("inactif@sas.test");
    platform_.platform().accountStore().disableInactive(inactive_, now(),
                                                        {std::nullopt, "test", "", "", ""}, now());
  }

  std::int64_t active_ = 0, regulator_ = 0, disabled_ = 0, inactive_ = 0, formula_ = 0;
  std::int64_t otherStructure_ = 0;
};

TEST_F(AccountListTest, FiltersByRoleStatusAndStructureWithinTheTerritory) {
  Browser ars = managerOf();
  addPendingAndInactive(ars);
  auto all = ars.get("/comptes");
  ASSERT_EQ(all.status, 200);
  for (const char* email : {"active@sas.test", "regul@sas.test", "parti@sas.test",
                            "nouveau@sas.test", "inactif@sas.test", "formule@sas.test"})
    EXPECT_NE(all.body.find(email), std::string::npos) << email;
  EXPECT_EQ(all.body.find("lyon@sas.test"), std::string::npos);
  EXPECT_EQ(all.body.find("admin@sas.test"), std::string::npos);

  auto shows = [&](const std::string& query, std::vector<std::string> in,
                   std::vector<std::string> out) {
    auto page = ars.get("/comptes?" + query);
    ASSERT_EQ(page.status, 200) << query;
    for (const auto& e : in) EXPECT_NE(page.body.find(e), std::string::npos) << query << " " << e;
    for (const auto& e : out)
      EXPECT_EQ(page.body.find(e), std::string::npos)
          << query << " " << e << " "
          << page.body.substr(page.body.find(e) > 300 ? page.body.find(e) - 300 : 0, 600);
  };
  shows("role=regulateur", {"regul@sas.test"}, {"active@sas.test", "parti@sas.test"});
  shows("statut=actif", {"active@sas.test", "regul@sas.test"},
        {"parti@sas.test", "nouveau@sas.test", "inactif@sas.test"});
  shows("statut=desactive", {"parti@sas.test"}, {"active@sas.test", "inactif@sas.test"});
  shows("statut=inactif", {"inactif@sas.test", "Inactif depuis le 04/03/2026"},
        {"parti@sas.test", "active@sas.test"});
  shows("statut=en_attente", {"nouveau@sas.test", "En attente d&apos;activation"},
        {"active@sas.test"});
  shows("structure=" + std::to_string(otherStructure_), {"formule@sas.test"},
        {"active@sas.test", "regul@sas.test"});
  shows("role=gestionnaire_structure&statut=actif&structure=" + std::to_string(structure_),
        {"active@sas.test"}, {"parti@sas.test", "regul@sas.test", "formule@sas.test"});
  // The filters are kept in the form and in the export's link.
  auto kept = ars.get("/comptes?role=regulateur&statut=actif");
  EXPECT_NE(kept.body.find("<option value=\"regulateur\" selected>"), std::string::npos);
  EXPECT_NE(kept.body.find("<option value=\"actif\" selected>"), std::string::npos);
  EXPECT_NE(kept.body.find("/comptes/export.csv?role=regulateur&amp;statut=actif"),
            std::string::npos);
  // Another territory's structure, by filter: not found, as by URL; an unknown value refused.
  EXPECT_EQ(ars.get("/comptes?structure=" + std::to_string(lyon_)).status, 404);
  EXPECT_EQ(ars.get("/comptes/export.csv?structure=" + std::to_string(lyon_)).status, 404);
  EXPECT_EQ(ars.get("/comptes?statut=supprime").status, 400);
  EXPECT_EQ(ars.get("/comptes?role=pape").status, 400);
}

TEST_F(AccountListTest, ExportsTheSameAccountsAsCsvQuotedAndNeutralised) {
  Browser ars = managerOf();
  addPendingAndInactive(ars);
  auto csv = ars.get("/comptes/export.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers["Content-Type"], "text/csv; charset=utf-8");
  EXPECT_NE(csv.headers["Content-Disposition"].find("comptes.csv"), std::string::npos);
  ASSERT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);  // UTF-8 with its BOM
  EXPECT_NE(csv.body.find("Nom;Prénom;Adresse électronique;Rôle;État;Dernière connexion;"
                          "Structures liées\r\n"),
            std::string::npos);
  // Formula neutralised and quoted (it holds ; and "), accents as they are.
  EXPECT_NE(csv.body.find("\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\";\"Zoé; \"\"la\"\"\";"
                          "formule@sas.test;Gestionnaire de structure;Actif;;"
                          "Centre de santé Marcadet\r\n"),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find("inactif@sas.test;Gestionnaire de structure;Inactif depuis le "
                          "04/03/2026;;Centre de santé Michel-Ange\r\n"),
            std::string::npos);
  // The manager's last login, today.
  EXPECT_NE(csv.body.find("ars75@sas.test;Gestionnaire de comptes;Actif;04/03/2026;\r\n"),
            std::string::npos);
  EXPECT_EQ(csv.body.find("lyon@sas.test"), std::string::npos);
  EXPECT_EQ(csv.body.find("admin@sas.test"), std::string::npos);
  EXPECT_EQ(count(csv.body, "\r\n"), 8u);  // the header and the seven accounts of the territory
  // The same filters as the list.
  auto filtered = ars.get("/comptes/export.csv?statut=desactive");
  EXPECT_EQ(count(filtered.body, "\r\n"), 2u);
  EXPECT_NE(filtered.body.find("parti@sas.test"), std::string::npos);
  // Nobody else exports accounts.
  Browser manager(platform_.port());
  manager.login("active@sas.test", kPassword);
  EXPECT_EQ(manager.get("/comptes/export.csv").status, 403);
  // The administrator exports every territory.
  Browser admin = managerOf("admin@sas.test");
  auto everything = admin.get("/comptes/export.csv");
  EXPECT_NE(everything.body.find("lyon@sas.test"), std::string::npos);
  EXPECT_NE(everything.body.find("admin@sas.test"), std::string::npos);
}

// --- Item 8: « Journal des modifications » -------------------------------------------------

TEST_F(AccountManagementTest, TheJournalShowsTheTerritorysLinesToItsManagerAndAllToAdmins) {
  const auto camille = addManager("camille@sas.test");
  const auto lyonManager = platform_.addUser("lyon@sas.test", kPassword,
                                             app::Role::StructureManager, {lyon_}, otherTerritory_);
  Browser c(platform_.port());
  c.login("camille@sas.test", kPassword);
  c.get("/lieux/" + std::to_string(place_) + "/informations-complementaires");
  ASSERT_EQ(c.post("/lieux/" + std::to_string(place_) + "/informations-complementaires",
                   {{"informations", "Sonnez au 2e"}})
                .status,
            303);
  Browser l(platform_.port());
  l.login("lyon@sas.test", kPassword);
  auto& audit = platform_.platform().ports().audit;
  audit.record({lyonManager, "participation.save", "structure:" + std::to_string(lyon_), "", ""},
               now());

  Browser ars = managerOf();
  auto page = ars.get("/journal");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Journal des modifications"), std::string::npos);
  EXPECT_NE(page.body.find("camille@sas.test"), std::string::npos);
  EXPECT_NE(page.body.find("Informations complémentaires enregistrées"), std::string::npos);
  EXPECT_NE(page.body.find("Lieu n° " + std::to_string(place_)), std::string::npos);
  EXPECT_NE(page.body.find("04/03/2026 à 10h00"), std::string::npos);
  // Nothing of the other territory: neither its people nor its structures.
  EXPECT_EQ(page.body.find("lyon@sas.test"), std::string::npos);
  EXPECT_EQ(page.body.find("Structure n° " + std::to_string(lyon_)), std::string::npos);
  // Read-only: no form sends anything to it.
  EXPECT_EQ(page.body.find("method=\"post\" action=\"/journal"), std::string::npos);
  EXPECT_EQ(ars.post("/journal", {}).status, 405);

  // By person, by object; outside the territory: 404, what was typed kept.
  auto mine = ars.get("/journal?personne=camille%40sas.test");
  EXPECT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body.find("ars75@sas.test</span>"), std::string::npos);
  auto theirs = ars.get("/journal?personne=lyon%40sas.test");
  EXPECT_EQ(theirs.status, 404);
  EXPECT_NE(theirs.body.find("value=\"lyon@sas.test\""), std::string::npos);
  EXPECT_NE(theirs.body.find("Aucun compte de votre territoire n&apos;a cette adresse."),
            std::string::npos);
  EXPECT_EQ(ars.get("/journal?personne=personne%40sas.test").status, 404);  // the same answer
  EXPECT_EQ(ars.get("/journal?personne=admin%40sas.test").status, 404);
  EXPECT_EQ(ars.get("/journal?objet_type=compte&objet=" + std::to_string(camille)).status, 200);
  EXPECT_EQ(ars.get("/journal?objet_type=lieu&objet=" + std::to_string(place_)).status, 200);
  EXPECT_EQ(ars.get("/journal?objet_type=structure&objet=" + std::to_string(lyon_)).status, 404);
  EXPECT_EQ(ars.get("/journal?objet_type=compte&objet=" + std::to_string(lyonManager)).status, 404);
  EXPECT_EQ(ars.get("/journal?objet_type=compte&objet=999999").status, 404);
  auto bad = ars.get("/journal?du=2026-03-05&au=2026-03-04&objet_type=lieu&objet=douze");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("value=\"douze\""), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"2026-03-05\""), std::string::npos);

  // The administrator reads every territory.
  Browser admin = managerOf("admin@sas.test");
  auto all = admin.get("/journal");
  EXPECT_NE(all.body.find("lyon@sas.test"), std::string::npos);
  EXPECT_EQ(admin.get("/journal?personne=lyon%40sas.test").status, 200);
  // Nobody else reads it.
  EXPECT_EQ(c.get("/journal").status, 403);
}

TEST_F(AccountManagementTest, TheJournalIsFilteredByDayAndPagedByFifty) {
  const auto camille = addManager("camille@sas.test");
  auto& audit = platform_.platform().ports().audit;
  const auto object = "user:" + std::to_string(camille);
  // 60 lines on 10 March (Paris), one on 9 March 23h59 and one on 11 March 00h00.
  for (int i = 0; i < 60; ++i)
    audit.record({ars_, "account.update", object, "ligne " + std::to_string(i), ""},
                 parisTime(2026, 3, 10, 9) + seconds{i});
  audit.record({ars_, "account.update", object, "veille", ""},
               parisTime(2026, 3, 10, 0) - seconds{1});
  audit.record({ars_, "account.update", object, "lendemain", ""}, parisTime(2026, 3, 11, 0));
  Browser ars = managerOf();
  const std::string day = "/journal?du=2026-03-10&au=10%2F03%2F2026";
  auto first = ars.get(day);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(count(first.body, ">ligne "), 50u);
  EXPECT_NE(first.body.find(">ligne 59<"), std::string::npos);  // newest first
  EXPECT_EQ(first.body.find(">veille<"), std::string::npos);
  EXPECT_EQ(first.body.find(">lendemain<"), std::string::npos);
  EXPECT_NE(first.body.find("Page suivante"), std::string::npos);
  EXPECT_NE(first.body.find("/journal?page=2&amp;du=2026-03-10&amp;au=10%2F03%2F2026"),
            std::string::npos);
  auto second = ars.get("/journal?page=2&du=2026-03-10&au=10%2F03%2F2026");
  EXPECT_EQ(count(second.body, ">ligne "), 10u);
  EXPECT_NE(second.body.find(">ligne 0<"), std::string::npos);
  EXPECT_NE(second.body.find("/journal?page=1&amp;"), std::string::npos);
  // Three days of one account's lines: the newest first, the oldest last.
  const auto threeDays =
      "/journal?du=2026-03-09&au=2026-03-11&objet_type=compte&objet=" + std::to_string(camille);
  EXPECT_NE(ars.get(threeDays).body.find(">lendemain<"), std::string::npos);
  auto last = ars.get(threeDays + "&page=2");
  EXPECT_NE(last.body.find(">veille<"), std::string::npos);
  EXPECT_EQ(count(last.body, ">ligne "), 11u);
  EXPECT_EQ(last.body.find("/journal?page=3"), std::string::npos);  // no next page
}

}  // namespace
}  // namespace sas::test
