// Issue 12, items 4 and 7, replayed against the real server: links voided when the password is
// set, « Mot de passe oublié ? » and current-password checks throttled, and account managers
// who can neither drop links they cannot see, nor remove the last administrator, nor learn who
// has an account elsewhere, nor store texts of any length.
#include <gtest/gtest.h>

#include <soci/soci.h>

#include <algorithm>

#include "storage/account_store.hpp"
#include "storage/database.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";
const char* const kNewPassword = "Battery-Staple-43?";
const char* const kThirdPassword = "Tunnel-Lantern-44#";

class AccountSecurityTest : public ::testing::Test {
 protected:
  AccountSecurityTest()
      : platform_(parisTime(2026, 3, 4, 10), [this](config::Config& c) {
          c.mailTransport = "smtp";
          c.smtpHost = "127.0.0.1";
          c.smtpPort = smtp_.port();
          c.loginMaxAccountsPerAddress = 3;
        }) {
    paris_ = platform_.addTerritory("ARS Île-de-France", {"75"});
    lyonTerritory_ = platform_.addTerritory("ARS Auvergne-Rhône-Alpes", {"69"});
    parisCentre_ = platform_.addCentre("Centre de santé Michel-Ange").first;
    lyonCentre_ = platform_.structures().createStructure(
        {0, "Centre de santé Lyon", "Centre de santé", "", "", "", "69", {}});
    platform_.addUser("ars75@sas.test", kPassword, app::Role::AccountManager, {}, paris_);
    camille_ = platform_.addUser("camille@sas.test", kPassword, app::Role::StructureManager,
                                 {parisCentre_, lyonCentre_}, paris_);
  }

  domain::Instant now() { return platform_.clock().now(); }

  static std::string pathOf(const std::string& link) {
    return link.substr(std::string("http://sas.test").size());
  }

  /// Asks for a reset link for camille and returns its path.
  std::string resetLink() {
    Browser b(platform_.port());
    b.get("/mot-de-passe-oublie");
    EXPECT_EQ(b.post("/mot-de-passe-oublie", {{"email", "camille@sas.test"}}).status, 303);
    platform_.platform().deliverMail();
    return pathOf(SmtpSink::link(smtp_.messagesTo("camille@sas.test").back(),
                                 "http://sas.test/reinitialisation/"));
  }

  /// Camille, logged in on `b`, asks to move to `address`; returns the link's path.
  std::string emailChangeLink(Browser& b, const std::string& address, const char* password) {
    b.get("/compte/adresse");
    EXPECT_EQ(b.post("/compte/adresse",
                     {{"nouvelle_adresse", address}, {"mot_de_passe_actuel", password}})
                  .status,
              303);
    platform_.platform().deliverMail();
    return pathOf(
        SmtpSink::link(smtp_.messagesTo(address).back(), "http://sas.test/compte/adresse/"));
  }

  Page resetRequest(Browser& b, const std::string& email) {
    b.get("/mot-de-passe-oublie");
    return b.post("/mot-de-passe-oublie", {{"email", email}});
  }

  std::size_t mailsTo(const std::string& email) {
    platform_.platform().deliverMail();
    return smtp_.messagesTo(email).size();
  }

  SmtpSink smtp_;
  TestPlatform platform_;
  std::int64_t paris_ = 0, lyonTerritory_ = 0, parisCentre_ = 0, lyonCentre_ = 0, camille_ = 0;
};

// Item 4: a password set again voids every pending link of the account.

TEST_F(AccountSecurityTest, AResetVoidsThePendingEmailChangeAndResetLinks) {
  Browser b(platform_.port());
  b.login("camille@sas.test", kPassword);
  const auto change = emailChangeLink(b, "camille.nouvelle@sas.test", kPassword);
  const auto reset = resetLink();
  ASSERT_EQ(b.get(change).status, 200);  // valid until the reset is used
  Browser anyone(platform_.port());
  anyone.get(reset);
  ASSERT_EQ(anyone.post(reset, {{"mot_de_passe", kNewPassword}}).status, 303);
  EXPECT_EQ(Browser(platform_.port()).get(change).status, 410);
  EXPECT_EQ(Browser(platform_.port()).get(reset).status, 410);
}

TEST_F(AccountSecurityTest, APasswordChangeVoidsThePendingEmailChangeAndResetLinks) {
  Browser b(platform_.port());
  b.login("camille@sas.test", kPassword);
  const auto change = emailChangeLink(b, "camille.nouvelle@sas.test", kPassword);
  const auto reset = resetLink();
  ASSERT_EQ(Browser(platform_.port()).get(reset).status, 200);
  b.get("/compte/mot-de-passe");
  ASSERT_EQ(b.post("/compte/mot-de-passe",
                   {{"mot_de_passe_actuel", kPassword}, {"nouveau_mot_de_passe", kNewPassword}})
                .status,
            303);
  EXPECT_EQ(Browser(platform_.port()).get(change).status, 410);
  EXPECT_EQ(Browser(platform_.port()).get(reset).status, 410);
  // A link asked for after the change works.
  const auto later = emailChangeLink(b, "camille.autre@sas.test", kNewPassword);
  EXPECT_EQ(b.get(later).status, 200);
}

// Item 4: « Mot de passe oublié ? » throttled per email typed and per address.

TEST_F(AccountSecurityTest, ResetRequestsPerAccountStopAtTheLimitWithTheSameAnswer) {
  Browser b(platform_.port());
  std::vector<Page> known, unknown;
  for (int i = 0; i < 6; ++i) {
    known.push_back(resetRequest(b, "camille@sas.test"));
    unknown.push_back(resetRequest(b, "personne@sas.test"));
  }
  for (const auto& pages : {known, unknown})
    for (const auto& p : pages) {
      EXPECT_EQ(p.status, 303);
      EXPECT_EQ(p.location, "/mot-de-passe-oublie/envoye");
    }
  EXPECT_EQ(mailsTo("camille@sas.test"), 5u);  // the 5th sent, the 6th not
  // Free again 15 minutes after the 5th.
  platform_.clock().advance(std::chrono::minutes{15} - std::chrono::seconds{1});
  resetRequest(b, "camille@sas.test");
  EXPECT_EQ(mailsTo("camille@sas.test"), 5u);
  platform_.clock().advance(std::chrono::seconds{1});
  resetRequest(b, "camille@sas.test");
  EXPECT_EQ(mailsTo("camille@sas.test"), 6u);
}

TEST_F(AccountSecurityTest, ResetRequestsPerAddressAreRefusedAndSaidSo) {
  Browser b(platform_.port());
  EXPECT_EQ(resetRequest(b, "a@sas.test").status, 303);
  EXPECT_EQ(resetRequest(b, "b@sas.test").status, 303);
  EXPECT_EQ(resetRequest(b, "camille@sas.test").status, 303);  // the 3rd email: allowed
  EXPECT_EQ(mailsTo("camille@sas.test"), 1u);
  auto refused = resetRequest(b, "camille@sas.test");  // the address has asked for 3 emails
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("Trop de tentatives depuis cette adresse."), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"camille@sas.test\""), std::string::npos);
  EXPECT_FALSE(refused.headers["Retry-After"].empty());
  EXPECT_EQ(mailsTo("camille@sas.test"), 1u);
}

// Item 4: the current password of « Vos identifiants » shares the login's budget.

TEST_F(AccountSecurityTest, CurrentPasswordChecksAreThrottledLikeLogins) {
  Browser b(platform_.port());
  ASSERT_EQ(b.login("camille@sas.test", kPassword).status, 303);
  auto wrongChange = [&] {
    b.get("/compte/mot-de-passe");
    return b.post("/compte/mot-de-passe", {{"mot_de_passe_actuel", "Pas-Le-Bon-1!"},
                                           {"nouveau_mot_de_passe", kNewPassword}});
  };
  for (int i = 0; i < 4; ++i) {
    auto r = wrongChange();
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("Le mot de passe actuel est incorrect."), std::string::npos);
  }
  // 4 wrong: the right one still works.
  b.get("/compte/mot-de-passe");
  ASSERT_EQ(b.post("/compte/mot-de-passe",
                   {{"mot_de_passe_actuel", kPassword}, {"nouveau_mot_de_passe", kNewPassword}})
                .status,
            303);
  EXPECT_EQ(wrongChange().status, 422);  // the 5th wrong one
  // Now locked: even the right current password is refused, on both forms, and at login.
  b.get("/compte/adresse");
  auto locked = b.post("/compte/adresse", {{"nouvelle_adresse", "camille.autre@sas.test"},
                                           {"mot_de_passe_actuel", kNewPassword}});
  EXPECT_EQ(locked.status, 422);
  EXPECT_NE(locked.body.find("Trop de tentatives"), std::string::npos);
  EXPECT_NE(locked.body.find("value=\"camille.autre@sas.test\""), std::string::npos);
  b.get("/compte/mot-de-passe");
  EXPECT_EQ(b.post("/compte/mot-de-passe", {{"mot_de_passe_actuel", kNewPassword},
                                            {"nouveau_mot_de_passe", kThirdPassword}})
                .status,
            422);
  EXPECT_EQ(Browser(platform_.port()).login("camille@sas.test", kNewPassword).status, 422);
  platform_.clock().advance(std::chrono::minutes{15});
  EXPECT_EQ(Browser(platform_.port()).login("camille@sas.test", kNewPassword).status, 303);
}

// Item 7: account managers.

Form accountForm(const std::string& email, const std::string& first, const std::string& last,
                 const std::string& role, const std::vector<std::int64_t>& structures) {
  Form f{{"email", email}, {"prenom", first}, {"nom", last}, {"role", role}};
  for (auto s : structures) f.emplace_back("structures", std::to_string(s));
  return f;
}

TEST_F(AccountSecurityTest, SavingAnAccountKeepsItsLinksOutsideTheManagersTerritory) {
  Browser ars(platform_.port());
  ars.login("ars75@sas.test", kPassword);
  const auto path = "/comptes/" + std::to_string(camille_);
  auto page = ars.get(path);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("Centre de santé Lyon"), std::string::npos);  // not shown to him
  // « Enregistrer » without change.
  ASSERT_EQ(ars.post(path, accountForm("camille@sas.test", "Alex", "Durand",
                                       "gestionnaire_structure", {parisCentre_}))
                .status,
            303);
  auto links = platform_.users().linkedStructureIds(camille_);
  std::sort(links.begin(), links.end());
  EXPECT_EQ(links, (std::vector<std::int64_t>{parisCentre_, lyonCentre_}));
  // Paris unticked: Lyon stays, and is enough for a structure manager.
  ars.get(path);
  ASSERT_EQ(ars.post(path, accountForm("camille@sas.test", "Alex", "Durand",
                                       "gestionnaire_structure", {}))
                .status,
            303);
  EXPECT_EQ(platform_.users().linkedStructureIds(camille_),
            (std::vector<std::int64_t>{lyonCentre_}));
}

TEST_F(AccountSecurityTest, TheLastAdministratorCannotRemoveHisRoleNorDisableHimself) {
  const auto admin = platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  Browser b(platform_.port());
  b.login("admin@sas.test", kPassword);
  const auto path = "/comptes/" + std::to_string(admin);
  b.get(path);
  auto demoted = b.post(path, accountForm("admin@sas.test", "Alex", "Durand", "regulateur", {}));
  EXPECT_EQ(demoted.status, 422);
  EXPECT_NE(demoted.body.find("dernier administrateur"), std::string::npos);
  EXPECT_EQ(platform_.users().findById(admin)->role, app::Role::Administrator);
  auto disabled = accountForm("admin@sas.test", "Alex", "Durand", "administrateur", {});
  disabled.emplace_back("desactive", "1");
  b.get(path);
  EXPECT_EQ(b.post(path, disabled).status, 422);
  EXPECT_FALSE(platform_.users().findById(admin)->disabled);
  // With a second administrator, he may step down.
  platform_.addUser("admin2@sas.test", kPassword, app::Role::Administrator, {});
  b.get(path);
  EXPECT_EQ(b.post(path, accountForm("admin@sas.test", "Alex", "Durand", "regulateur", {})).status,
            303);
  EXPECT_EQ(platform_.users().findById(admin)->role, app::Role::Regulator);
}

TEST_F(AccountSecurityTest, TheLastAdministratorIsKeptByTheStorageItself) {
  const auto admin = platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  auto user = *platform_.users().findById(admin);
  user.disabled = true;
  auto& store = platform_.platform().accountStore();
  EXPECT_FALSE(store.updateAccount(user, {}, std::nullopt, std::nullopt, std::nullopt,
                                   {std::nullopt, "test", "", "", ""}, now()));
  EXPECT_FALSE(platform_.users().findById(admin)->disabled);
}

TEST_F(AccountSecurityTest, AnAccountManagerDoesNotManageAdministrators) {
  const auto admin =
      platform_.addUser("admin75@sas.test", kPassword, app::Role::Administrator, {}, paris_);
  Browser ars(platform_.port());
  ars.login("ars75@sas.test", kPassword);
  EXPECT_EQ(ars.get("/comptes").body.find("admin75@sas.test"), std::string::npos);
  EXPECT_EQ(ars.get("/comptes/" + std::to_string(admin)).status, 404);
}

TEST_F(AccountSecurityTest, NamesAreLimitedTo100CharactersAndTheFormKeepsWhatWasTyped) {
  Browser ars(platform_.port());
  ars.login("ars75@sas.test", kPassword);
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "É";  // 100 characters, 200 bytes
  ars.get("/comptes/nouveau");
  auto tooLong = ars.post(
      "/comptes", accountForm("long@sas.test", hundred + "e", hundred + "e", "regulateur", {}));
  EXPECT_EQ(tooLong.status, 422);
  EXPECT_NE(tooLong.body.find("Le prénom ne doit pas dépasser 100 caractères."), std::string::npos);
  EXPECT_NE(tooLong.body.find("Le nom ne doit pas dépasser 100 caractères."), std::string::npos);
  EXPECT_NE(tooLong.body.find("value=\"" + hundred + "e\""), std::string::npos);
  EXPECT_NE(tooLong.body.find("value=\"long@sas.test\""), std::string::npos);
  EXPECT_FALSE(platform_.users().findByEmail("long@sas.test").has_value());
  ars.get("/comptes/nouveau");
  EXPECT_EQ(
      ars.post("/comptes", accountForm("long@sas.test", hundred, hundred, "regulateur", {})).status,
      303);
  EXPECT_EQ(platform_.users().findByEmail("long@sas.test")->firstName, hundred);
  // An address longer than any address can be.
  ars.get("/comptes/nouveau");
  auto longEmail = ars.post(
      "/comptes", accountForm(std::string(250, 'a') + "@x.fr", "A", "B", "regulateur", {}));
  EXPECT_EQ(longEmail.status, 422);
  EXPECT_NE(longEmail.body.find("ne doit pas dépasser 254 caractères"), std::string::npos);
  // 254 characters: the longest address accepted.
  const std::string longest = std::string(64, 'a') + "@" + std::string(186, 'b') + ".fr";
  ASSERT_EQ(longest.size(), 254u);
  ars.get("/comptes/nouveau");
  EXPECT_EQ(ars.post("/comptes", accountForm(longest, "A", "B", "regulateur", {})).status, 303);
}

TEST_F(AccountSecurityTest, ANewAddressLongerThanAnyAddressIsRefusedAndKept) {
  Browser b(platform_.port());
  b.login("camille@sas.test", kPassword);
  b.get("/compte/adresse");
  const std::string tooLong = std::string(64, 'a') + "@" + std::string(187, 'b') + ".fr";
  ASSERT_EQ(tooLong.size(), 255u);
  auto r = b.post("/compte/adresse",
                  {{"nouvelle_adresse", tooLong}, {"mot_de_passe_actuel", kPassword}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("ne doit pas dépasser 254 caractères"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"" + tooLong + "\""), std::string::npos);
}

TEST_F(AccountSecurityTest, TerritoryNamesAndDepartementListsHaveLimits) {
  platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  Browser b(platform_.port());
  b.login("admin@sas.test", kPassword);
  b.get("/territoires");
  const std::string name100 = "ARS " + std::string(96, 'x');
  auto longName = b.post("/territoires", {{"nom", name100 + "x"}, {"departements", "13"}});
  EXPECT_EQ(longName.status, 422);
  EXPECT_NE(longName.body.find("ne doit pas dépasser 100 caractères"), std::string::npos);
  EXPECT_NE(longName.body.find(name100 + "x"), std::string::npos);
  EXPECT_EQ(b.post("/territoires", {{"nom", name100}, {"departements", "13"}}).status, 303);
  b.get("/territoires");
  auto longList = b.post("/territoires",
                         {{"nom", "ARS Corse"}, {"departements", "2A" + std::string(1999, ' ')}});
  EXPECT_EQ(longList.status, 422);
  EXPECT_NE(longList.body.find("ne doit pas dépasser 2000 caractères"), std::string::npos);
  EXPECT_EQ(b.post("/territoires",
                   {{"nom", "ARS Corse"}, {"departements", "2A" + std::string(1998, ' ')}})
                .status,
            303);
}

TEST_F(AccountSecurityTest, AnAccountOutsideTheTerritoryIsNeverSaidToExist) {
  platform_.addUser("regul69@sas.test", kPassword, app::Role::Regulator, {}, lyonTerritory_);
  const auto before = platform_.users().findByEmail("regul69@sas.test");
  Browser ars(platform_.port());
  ars.login("ars75@sas.test", kPassword);
  ars.get("/comptes/nouveau");
  auto free = ars.post("/comptes", accountForm("libre@sas.test", "Léa", "Petit", "regulateur", {}));
  ars.get("/comptes/nouveau");
  auto elsewhere =
      ars.post("/comptes", accountForm("regul69@sas.test", "Léa", "Petit", "regulateur", {}));
  // The same answer as for a free address…
  EXPECT_EQ(elsewhere.status, free.status);
  EXPECT_EQ(elsewhere.location, free.location);
  EXPECT_EQ(elsewhere.body.find("existe déjà"), std::string::npos);
  // …and nothing written: the other territory's account is as it was, no welcome email.
  const auto after = platform_.users().findByEmail("regul69@sas.test");
  EXPECT_EQ(after->firstName, before->firstName);
  EXPECT_EQ(after->territoryId, before->territoryId);
  EXPECT_EQ(mailsTo("regul69@sas.test"), 0u);
  // The attempt is in the audit log for administrators.
  storage::Connection c(platform_.platform().database());
  int audited = 0;
  c.sql() << "SELECT COUNT(*) FROM audit_log WHERE action = 'account.create_refused'",
      soci::into(audited);
  EXPECT_EQ(audited, 1);
  // Changing an account's address to that one: the same answer as a change that worked, and
  // nothing written either.
  const auto path = "/comptes/" + std::to_string(camille_);
  ars.get(path);
  auto change = ars.post(path, accountForm("regul69@sas.test", "Alex", "Durand",
                                           "gestionnaire_structure", {parisCentre_}));
  EXPECT_EQ(change.status, 303);
  EXPECT_EQ(change.location, "/comptes?message=modifie");
  EXPECT_EQ(platform_.users().findById(camille_)->email, "camille@sas.test");
  EXPECT_EQ(platform_.users().findByEmail("regul69@sas.test")->id, before->id);
  // Inside his territory, he is told.
  ars.get("/comptes/nouveau");
  auto inside =
      ars.post("/comptes", accountForm("camille@sas.test", "Léa", "Petit", "regulateur", {}));
  EXPECT_EQ(inside.status, 422);
  EXPECT_NE(inside.body.find("Un compte existe déjà avec cette adresse électronique."),
            std::string::npos);
}

}  // namespace
}  // namespace sas::test
