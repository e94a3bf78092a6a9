// Accounts for life over real HTTP and a real SMTP server: account managers create accounts,
// the welcome email's link sets the first password, forgotten passwords, changes of password
// and email, expiry, throttling, and emails that survive an SMTP outage.
#include <gtest/gtest.h>

#include "app/account_service.hpp"
#include "domain/account_rules.hpp"
#include "storage/account_store.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";
const char* const kNewPassword = "Battery-Staple-43?";

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest()
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
    platform_.addUser("ars75@sas.test", kPassword, app::Role::AccountManager, {}, territory_);
    platform_.addUser("ars69@sas.test", kPassword, app::Role::AccountManager, {}, otherTerritory_);
  }

  domain::Instant now() { return platform_.clock().now(); }

  // An account manager creates a structure manager; returns the activation link received.
  std::string createAccount(const std::string& email) {
    Browser ars(platform_.port());
    ars.login("ars75@sas.test", kPassword);
    ars.get("/comptes/nouveau");
    auto r = ars.post("/comptes", {{"email", email},
                                   {"prenom", "Camille"},
                                   {"nom", "Martin"},
                                   {"role", "gestionnaire_structure"},
                                   {"structures", std::to_string(structure_)}});
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(platform_.platform().deliverMail(), 1);
    auto mails = smtp_.messagesTo(email);
    EXPECT_EQ(mails.size(), 1u);
    return mails.empty() ? "" : SmtpSink::link(mails.back(), "http://sas.test/activation/");
  }

  static std::string pathOf(const std::string& link) {
    return link.substr(std::string("http://sas.test").size());
  }

  SmtpSink smtp_;
  TestPlatform platform_;
  std::int64_t territory_ = 0, otherTerritory_ = 0, structure_ = 0, place_ = 0, lyon_ = 0;
};

TEST_F(AccountsTest, WelcomeEmailLinkSetsThePasswordWithTheCguAndLogsIn) {
  const auto link = createAccount("nouveau@sas.test");
  ASSERT_FALSE(link.empty());
  auto mail = smtp_.messagesTo("nouveau@sas.test").back();
  EXPECT_NE(mail.find("Mail d'activation SAS"), std::string::npos);

  Browser b(platform_.port());
  auto page = b.get(pathOf(link));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Vos identifiants de connexion"), std::string::npos);
  EXPECT_NE(page.body.find("nouveau@sas.test"), std::string::npos);
  EXPECT_NE(page.body.find("Accepter les CGU"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/cgu\""), std::string::npos);

  auto shortOne = b.post(pathOf(link), {{"mot_de_passe", "Abcdefghij1!"}, {"cgu", "1"}});
  EXPECT_EQ(shortOne.status, 303);  // 12 characters: accepted
  // The link is spent now: a second use is refused and points to « Mot de passe oublié ? ».
  Browser again(platform_.port());
  auto used = again.get(pathOf(link));
  EXPECT_EQ(used.status, 410);
  EXPECT_NE(used.body.find("Mot de passe oublié ?"), std::string::npos);
  EXPECT_EQ(b.get("/tableau-de-bord").status, 200);
}

TEST_F(AccountsTest, ActivationRefusesAWeakPasswordOrMissingCguAndSavesNothing) {
  const auto path = pathOf(createAccount("faible@sas.test"));
  Browser b(platform_.port());
  b.get(path);
  auto eleven = b.post(path, {{"mot_de_passe", "Abcdefghi1!"}, {"cgu", "1"}});
  EXPECT_EQ(eleven.status, 422);
  EXPECT_NE(eleven.body.find("au moins 12 caractères"), std::string::npos);
  auto noDigit = b.post(path, {{"mot_de_passe", "Abcdefghijk!"}, {"cgu", "1"}});
  EXPECT_NE(noDigit.body.find("au moins 1 chiffre"), std::string::npos);
  auto noCgu = b.post(path, {{"mot_de_passe", kNewPassword}});
  EXPECT_EQ(noCgu.status, 422);
  EXPECT_NE(noCgu.body.find("conditions générales"), std::string::npos);
  EXPECT_TRUE(platform_.users().findByEmail("faible@sas.test")->passwordHash.empty());
  EXPECT_EQ(b.get(path).status, 200);  // still usable
}

TEST_F(AccountsTest, ResetLinkIsValidFor72HoursOnceAndANewerOneVoidsOlderOnes) {
  platform_.addManager("camille@sas.test", kPassword, {structure_});
  Browser b(platform_.port());
  b.get("/mot-de-passe-oublie");
  auto known = b.post("/mot-de-passe-oublie", {{"email", "camille@sas.test"}});
  Browser c(platform_.port());
  c.get("/mot-de-passe-oublie");
  auto unknown = c.post("/mot-de-passe-oublie", {{"email", "personne@sas.test"}});
  EXPECT_EQ(known.status, unknown.status);
  EXPECT_EQ(known.location, unknown.location);
  EXPECT_EQ(b.get(known.location).body.size(), c.get(unknown.location).body.size());
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  ASSERT_EQ(smtp_.messagesTo("camille@sas.test").size(), 1u);
  EXPECT_TRUE(smtp_.messagesTo("personne@sas.test").empty());
  const auto first = pathOf(
      SmtpSink::link(smtp_.messagesTo("camille@sas.test")[0], "http://sas.test/reinitialisation/"));

  // 72 h − 1 s: valid.
  platform_.clock().advance(std::chrono::hours{72} - std::chrono::seconds{1});
  EXPECT_EQ(b.get(first).status, 200);
  // 72 h + 1 s: refused.
  platform_.clock().advance(std::chrono::seconds{2});
  EXPECT_EQ(b.get(first).status, 410);

  // Two new links: the newer voids the older.
  b.post("/mot-de-passe-oublie", {{"email", "camille@sas.test"}});
  b.get("/mot-de-passe-oublie");
  b.post("/mot-de-passe-oublie", {{"email", "camille@sas.test"}});
  platform_.platform().deliverMail();
  auto mails = smtp_.messagesTo("camille@sas.test");
  ASSERT_EQ(mails.size(), 3u);
  const auto older = pathOf(SmtpSink::link(mails[1], "http://sas.test/reinitialisation/"));
  const auto newer = pathOf(SmtpSink::link(mails[2], "http://sas.test/reinitialisation/"));
  EXPECT_EQ(b.get(older).status, 410);
  ASSERT_EQ(b.get(newer).status, 200);
  EXPECT_EQ(b.post(newer, {{"mot_de_passe", kNewPassword}}).status, 303);
  EXPECT_EQ(b.get("/tableau-de-bord").status, 200);             // logged in
  EXPECT_EQ(Browser(platform_.port()).get(newer).status, 410);  // once only
  Browser d(platform_.port());
  EXPECT_EQ(d.login("camille@sas.test", kNewPassword).status, 303);
}

TEST_F(AccountsTest, AnUnknownExpiredOrSpentResetLinkChangesNoPassword) {
  platform_.addManager("camille@sas.test", kPassword, {structure_});
  const auto hashBefore = platform_.users().findByEmail("camille@sas.test")->passwordHash;
  auto unchanged = [&](const std::string& password) {
    EXPECT_EQ(platform_.users().findByEmail("camille@sas.test")->passwordHash, hashBefore);
    EXPECT_EQ(Browser(platform_.port()).login("camille@sas.test", password).status, 303);
  };
  auto requestLink = [&] {
    Browser b(platform_.port());
    b.get("/mot-de-passe-oublie");
    b.post("/mot-de-passe-oublie", {{"email", "camille@sas.test"}});
    platform_.platform().deliverMail();
    return pathOf(SmtpSink::link(smtp_.messagesTo("camille@sas.test").back(),
                                 "http://sas.test/reinitialisation/"));
  };
  Browser b(platform_.port());
  b.get("/mot-de-passe-oublie");

  // Unknown: a token never issued.
  auto unknown = b.post("/reinitialisation/inconnu0123456789", {{"mot_de_passe", kNewPassword}});
  EXPECT_EQ(unknown.status, 410);
  unchanged(kPassword);

  // Expired: 72 h + 1 s after it was sent.
  const auto expired = requestLink();
  platform_.clock().advance(std::chrono::hours{72} + std::chrono::seconds{1});
  auto late = b.post(expired, {{"mot_de_passe", kNewPassword}});
  EXPECT_EQ(late.status, 410);
  EXPECT_NE(late.body.find("Mot de passe oublié ?"), std::string::npos);
  unchanged(kPassword);

  // Spent: voided by the change of password made from the account page, then sent again.
  const auto spent = requestLink();
  Browser owner(platform_.port());
  owner.login("camille@sas.test", kPassword);
  owner.get("/compte/mot-de-passe");
  ASSERT_EQ(owner
                .post("/compte/mot-de-passe",
                      {{"mot_de_passe_actuel", kPassword}, {"nouveau_mot_de_passe", kNewPassword}})
                .status,
            303);
  const auto hashAfterChange = platform_.users().findByEmail("camille@sas.test")->passwordHash;
  auto reused = b.post(spent, {{"mot_de_passe", "Third-Password-44#"}});
  EXPECT_EQ(reused.status, 410);
  EXPECT_EQ(platform_.users().findByEmail("camille@sas.test")->passwordHash, hashAfterChange);
  EXPECT_EQ(Browser(platform_.port()).login("camille@sas.test", kNewPassword).status, 303);
  EXPECT_NE(Browser(platform_.port()).login("camille@sas.test", "Third-Password-44#").status, 303);
}

TEST_F(AccountsTest, EmailsWaitInTheOutboxWhileTheSmtpServerIsDown) {
  platform_.addManager("camille@sas.test", kPassword, {structure_});
  smtp_.stop();
  Browser b(platform_.port());
  b.get("/mot-de-passe-oublie");
  b.post("/mot-de-passe-oublie", {{"email", "camille@sas.test"}});
  EXPECT_EQ(platform_.platform().deliverMail(), 0);
  EXPECT_EQ(platform_.platform().accountStore().pendingMailCount(), 1);
  smtp_.start();
  EXPECT_EQ(platform_.platform().deliverMail(), 0);  // not before its retry time
  platform_.clock().advance(app::OutboxSender::backoff(1));
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  EXPECT_EQ(platform_.platform().accountStore().pendingMailCount(), 0);
  EXPECT_EQ(smtp_.messagesTo("camille@sas.test").size(), 1u);
  EXPECT_EQ(platform_.platform().deliverMail(), 0);  // sent once
}

TEST_F(AccountsTest, ChangingThePasswordNeedsTheCurrentOneAndEndsOtherSessions) {
  platform_.addManager("camille@sas.test", kPassword, {structure_});
  Browser here(platform_.port()), elsewhere(platform_.port());
  here.login("camille@sas.test", kPassword);
  elsewhere.login("camille@sas.test", kPassword);
  here.get("/compte/mot-de-passe");
  auto wrong = here.post("/compte/mot-de-passe",
                         {{"mot_de_passe_actuel", "nope"}, {"nouveau_mot_de_passe", kNewPassword}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("Le mot de passe actuel est incorrect."), std::string::npos);
  auto ok = here.post("/compte/mot-de-passe",
                      {{"mot_de_passe_actuel", kPassword}, {"nouveau_mot_de_passe", kNewPassword}});
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(here.get("/tableau-de-bord").status, 200);
  EXPECT_EQ(elsewhere.get("/tableau-de-bord").status, 303);
}

TEST_F(AccountsTest, ChangingTheEmailTakesEffectWhenTheNewAddressConfirms) {
  platform_.addManager("camille@sas.test", kPassword, {structure_});
  Browser b(platform_.port());
  b.login("camille@sas.test", kPassword);
  b.get("/compte/adresse");
  auto r = b.post("/compte/adresse", {{"nouvelle_adresse", "camille.martin@sas.test"},
                                      {"mot_de_passe_actuel", kPassword}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_TRUE(platform_.users().findByEmail("camille@sas.test").has_value());  // not yet
  platform_.platform().deliverMail();
  const auto link = pathOf(SmtpSink::link(smtp_.messagesTo("camille.martin@sas.test").at(0),
                                          "http://sas.test/compte/adresse/"));
  b.get(link);
  EXPECT_EQ(b.post(link, {}).status, 200);
  EXPECT_TRUE(platform_.users().findByEmail("camille.martin@sas.test").has_value());
  EXPECT_FALSE(platform_.users().findByEmail("camille@sas.test").has_value());
  platform_.platform().deliverMail();
  EXPECT_EQ(smtp_.messagesTo("camille@sas.test").size(), 1u);  // the old address is told
}

TEST_F(AccountsTest, AnExpiredPasswordMustBeChangedBeforeAnythingElse) {
  platform_.addManager("camille@sas.test", kPassword, {structure_});  // changed now
  const auto expiry = domain::addCalendarMonths(now(), 4);
  platform_.clock().set(expiry - std::chrono::seconds{1});  // 4 months − 1 s
  Browser before(platform_.port());
  before.login("camille@sas.test", kPassword);
  EXPECT_EQ(before.get("/tableau-de-bord").status, 200);
  platform_.clock().advance(std::chrono::seconds{1});  // 4 calendar months exactly
  Browser b(platform_.port());
  b.login("camille@sas.test", kPassword);
  auto r = b.get("/tableau-de-bord");
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.location, "/compte/mot-de-passe");
  EXPECT_EQ(b.get("/lieux/" + std::to_string(place_) + "/agenda").location, "/compte/mot-de-passe");
  auto form = b.get("/compte/mot-de-passe");
  EXPECT_NE(form.body.find("Votre mot de passe a expiré"), std::string::npos);
  EXPECT_EQ(b.post("/compte/mot-de-passe",
                   {{"mot_de_passe_actuel", kPassword}, {"nouveau_mot_de_passe", kNewPassword}})
                .status,
            303);
  EXPECT_EQ(b.get("/tableau-de-bord").status, 200);
}

TEST_F(AccountsTest, OneExpiryWarningAfterThreeMonthsNotTwiceNotToDisabledAccounts) {
  platform_.addManager("camille@sas.test", kPassword, {structure_});
  const auto disabled = platform_.addManager("parti@sas.test", kPassword, {structure_});
  auto user = *platform_.users().findById(disabled);
  user.disabled = true;
  platform_.platform().accountStore().updateAccount(user, {structure_}, std::nullopt, std::nullopt,
                                                    std::nullopt,
                                                    {std::nullopt, "test", "", "", ""}, now());
  platform_.clock().set(domain::addCalendarMonths(now(), 3) - std::chrono::seconds{1});
  EXPECT_EQ(platform_.platform().sendExpiryWarnings(), 0);
  platform_.clock().advance(std::chrono::seconds{1});
  // Camille and the two account managers of the fixture; not the disabled account.
  EXPECT_EQ(platform_.platform().sendExpiryWarnings(), 3);
  EXPECT_EQ(platform_.platform().sendExpiryWarnings(), 0);
  platform_.platform().deliverMail();
  EXPECT_EQ(smtp_.messagesTo("camille@sas.test").size(), 1u);
  EXPECT_TRUE(smtp_.messagesTo("parti@sas.test").empty());
}

TEST_F(AccountsTest, AnExpiryWarningSentLateSaysThePasswordHasExpired) {
  // The warning job did not run between 3 and 4 months (issue 19): past tense, never a past
  // date in the future tense.
  platform_.addManager("camille@sas.test", kPassword, {structure_});
  const auto expires = domain::addCalendarMonths(now(), 4);
  platform_.clock().set(expires + std::chrono::hours{24});
  EXPECT_GE(platform_.platform().sendExpiryWarnings(), 1);
  platform_.platform().deliverMail();
  const auto mails = smtp_.messagesTo("camille@sas.test");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("a expir"), std::string::npos);
  EXPECT_EQ(mails[0].find("expirera"), std::string::npos);
}

TEST_F(AccountsTest, FiveFailuresLockTheAccountWithTheSameAnswerAndSurviveARestart) {
  platform_.addManager("camille@sas.test", kPassword, {structure_});
  Browser b(platform_.port());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(b.login("camille@sas.test", "Wrong-Horse-42!").status, 422);
  platform_.restart();
  Browser c(platform_.port());
  auto locked = c.login("camille@sas.test", kPassword);  // the right password, but locked
  EXPECT_EQ(locked.status, 422);
  EXPECT_NE(locked.body.find("Adresse électronique ou mot de passe incorrect."), std::string::npos);
  platform_.clock().advance(std::chrono::minutes{15});
  EXPECT_EQ(c.login("camille@sas.test", kPassword).status, 303);
}

TEST_F(AccountsTest, AccountManagersSeeAndChangeOnlyTheirTerritory) {
  const auto theirs =
      platform_.addUser("regul69@sas.test", kPassword, app::Role::Regulator, {}, otherTerritory_);
  Browser ars(platform_.port());
  ars.login("ars75@sas.test", kPassword);
  auto list = ars.get("/comptes");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find("regul69@sas.test"), std::string::npos);
  EXPECT_EQ(ars.get("/comptes/" + std::to_string(theirs)).status, 404);
  EXPECT_EQ(ars.post("/comptes/" + std::to_string(theirs) + "/bienvenue", {}).status, 404);
  ars.get("/comptes/nouveau");
  // A structure of another territory, by form field: not found, nothing created.
  EXPECT_EQ(ars.post("/comptes", {{"email", "x@sas.test"},
                                  {"prenom", "X"},
                                  {"nom", "Y"},
                                  {"role", "gestionnaire_structure"},
                                  {"structures", std::to_string(lyon_)}})
                .status,
            404);
  EXPECT_FALSE(platform_.users().findByEmail("x@sas.test").has_value());
  // A structure manager has no business here.
  platform_.addManager("camille@sas.test", kPassword, {structure_});
  Browser manager(platform_.port());
  manager.login("camille@sas.test", kPassword);
  EXPECT_EQ(manager.get("/comptes").status, 403);
}

TEST_F(AccountsTest, TheAccountMenuOffersWhatEachRoleMayOpen) {
  platform_.addManager("camille@sas.test", kPassword, {structure_});
  platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  Browser manager(platform_.port()), ars(platform_.port()), admin(platform_.port());
  manager.login("camille@sas.test", kPassword);
  ars.login("ars75@sas.test", kPassword);
  admin.login("admin@sas.test", kPassword);
  const auto m = manager.get("/tableau-de-bord").body;
  const auto a = ars.get("/tableau-de-bord").body;
  const auto d = admin.get("/tableau-de-bord").body;
  for (const auto* page : {&m, &a, &d})
    EXPECT_NE(page->find("href=\"/compte\">Vos identifiants de connexion"), std::string::npos);
  EXPECT_EQ(m.find("href=\"/comptes\""), std::string::npos);
  EXPECT_NE(a.find("href=\"/comptes\">Comptes"), std::string::npos);
  EXPECT_EQ(a.find("href=\"/support\""), std::string::npos);
  EXPECT_NE(d.find("href=\"/comptes\">Comptes"), std::string::npos);
  EXPECT_NE(d.find("href=\"/support\">Demandes d'assistance"), std::string::npos);
}

TEST_F(AccountsTest, ChangingAnEmailResendsTheWelcomeAndDisablingEndsSessions) {
  createAccount("premier@sas.test");
  const auto id = platform_.users().findByEmail("premier@sas.test")->id;
  Browser ars(platform_.port());
  ars.login("ars75@sas.test", kPassword);
  ars.get("/comptes/" + std::to_string(id));
  auto r = ars.post("/comptes/" + std::to_string(id), {{"email", "second@sas.test"},
                                                       {"prenom", "Camille"},
                                                       {"nom", "Martin"},
                                                       {"role", "gestionnaire_structure"},
                                                       {"structures", std::to_string(structure_)}});
  ASSERT_EQ(r.status, 303) << r.body;
  platform_.platform().deliverMail();
  ASSERT_EQ(smtp_.messagesTo("second@sas.test").size(), 1u);
  const auto link =
      pathOf(SmtpSink::link(smtp_.messagesTo("second@sas.test")[0], "http://sas.test/activation/"));
  Browser user(platform_.port());
  user.get(link);
  ASSERT_EQ(user.post(link, {{"mot_de_passe", kNewPassword}, {"cgu", "1"}}).status, 303);
  EXPECT_EQ(user.get("/tableau-de-bord").status, 200);
  ars.get("/comptes/" + std::to_string(id));
  ars.post("/comptes/" + std::to_string(id), {{"email", "second@sas.test"},
                                              {"prenom", "Camille"},
                                              {"nom", "Martin"},
                                              {"role", "gestionnaire_structure"},
                                              {"structures", std::to_string(structure_)},
                                              {"desactive", "1"}});
  EXPECT_EQ(user.get("/tableau-de-bord").status, 303);
  EXPECT_EQ(Browser(platform_.port()).login("second@sas.test", kNewPassword).status, 422);
}

}  // namespace
}  // namespace sas::test
