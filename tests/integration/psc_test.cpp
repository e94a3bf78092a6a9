// « S'identifier avec Pro Santé Connect » (docs/rules.md#psc-first-login) end to end: the real
// `oidc-provider` (tests/oidc/provider.mjs, a child process) for the sign-in and the provider's
// logout, and a stand-in provider signing what each test asks for the callback's refusals.
#include <gtest/gtest.h>

#include <soci/soci.h>

#include <Poco/URI.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "app/directory_import.hpp"
#include "app/ports/security.hpp"
#include "oidc/test_signer.hpp"
#include "storage/database.hpp"
#include "storage/psc_store.hpp"
#include "support/oidc_provider.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";

domain::Instant realNow() {
  // oidc-provider signs with the real time: the platform's clock must agree for these tests.
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

int auditCount(TestPlatform& t, const std::string& action) {
  storage::Connection c(t.platform().database());
  int n = 0;
  c.sql() << "SELECT COUNT(*) FROM audit_log WHERE action = :a", soci::use(action), soci::into(n);
  return n;
}

std::string lastAuditDetail(TestPlatform& t, const std::string& action) {
  storage::Connection c(t.platform().database());
  std::string detail;
  c.sql() << "SELECT detail FROM audit_log WHERE action = :a ORDER BY id DESC LIMIT 1",
      soci::use(action), soci::into(detail);
  return detail;
}

bool loggedIn(Browser& b) {
  return b.get("/tableau-de-bord").status == 200;
}

class PscProviderTest : public ::testing::Test {
 protected:
  PscProviderTest()
      : port_(freePort()), platform_(realNow(), [this](config::Config& c) {
          c.port = port_;
          c.pscIssuer = provider_.issuer();
          c.pscClientId = OidcProviderProcess::kClientId;
          c.pscClientSecret = OidcProviderProcess::kClientSecret;
          c.pscRedirectUri = "http://127.0.0.1:" + std::to_string(port_) + "/psc/retour";
          c.pscPostLogoutRedirectUri =
              "http://127.0.0.1:" + std::to_string(port_) + "/connexion?deconnecte=1";
        }) {}

  OidcProviderProcess provider_;
  int port_;
  TestPlatform platform_;
};

TEST_F(PscProviderTest, LoginPageOffersProSanteConnect) {
  Browser b(platform_.port());
  auto page = b.get("/connexion");
  EXPECT_NE(page.body.find("S'identifier avec Pro Santé Connect"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/psc/connexion\""), std::string::npos);
}

TEST_F(PscProviderTest, AuthorizationRequestCarriesStateNoncePkceAndAcr) {
  Browser b(platform_.port());
  auto start = b.get("/psc/connexion");
  ASSERT_EQ(start.status, 303);
  EXPECT_EQ(start.location.rfind(provider_.issuer() + "/auth?", 0), 0u) << start.location;
  EXPECT_EQ(queryParam(start.location, "scope"), "openid scope_all");
  EXPECT_EQ(queryParam(start.location, "acr_values"), "eidas1");
  EXPECT_EQ(queryParam(start.location, "code_challenge_method"), "S256");
  EXPECT_GE(queryParam(start.location, "state").size(), 32u);
  EXPECT_GE(queryParam(start.location, "nonce").size(), 32u);
  EXPECT_EQ(queryParam(start.location, "code_challenge").size(), 43u);
  EXPECT_EQ(b.cookies().count("sas_psc"), 1u);
}

TEST_F(PscProviderTest, AlreadyLinkedIdentityLogsInAndLogoutEndsAtTheProvider) {
  const auto user = platform_.addManager("marie.lien@sas.test", kPassword, {});
  storage::SqlPscStore(platform_.platform().database())
      .link(provider_.issuer(), OidcProviderProcess::subject("899700000001"), "899700000001", user,
            platform_.clock().now());

  Browser b(platform_.port());
  UrlClient psc;
  auto page = signInWithPsc(b, psc, "899700000001");
  ASSERT_EQ(page.status, 303) << page.body;
  EXPECT_EQ(page.location, "/tableau-de-bord");
  EXPECT_TRUE(loggedIn(b));
  EXPECT_EQ(auditCount(platform_, "psc.login"), 1);

  // « Se déconnecter »: the session ends here, then at the provider.
  auto out = b.post("/deconnexion", {});
  ASSERT_EQ(out.status, 303);
  EXPECT_EQ(out.location.rfind(provider_.issuer() + "/session/end?", 0), 0u) << out.location;
  EXPECT_FALSE(queryParam(out.location, "id_token_hint").empty());
  EXPECT_FALSE(queryParam(out.location, "state").empty());
  EXPECT_EQ(queryParam(out.location, "post_logout_redirect_uri"),
            "http://127.0.0.1:" + std::to_string(port_) + "/connexion?deconnecte=1");
  EXPECT_FALSE(loggedIn(b));
  auto end = psc.get(out.location);  // the provider accepts the hint and the return address
  EXPECT_EQ(end.status, 200) << end.body;

  // The next sign-in is seamless again (the provider still knows him or asks again).
  Browser again(platform_.port());
  UrlClient psc2;
  EXPECT_EQ(signInWithPsc(again, psc2, "899700000001").location, "/tableau-de-bord");
}

TEST_F(PscProviderTest, SignInFromALoginPageWithATargetComesBackToIt) {
  const auto user = platform_.addManager("marie.lien@sas.test", kPassword, {});
  storage::SqlPscStore(platform_.platform().database())
      .link(provider_.issuer(), OidcProviderProcess::subject("899700000001"), "899700000001", user,
            platform_.clock().now());
  // A page asked before the login (a search with its criteria): the login page's button
  // carries it to the sign-in, which lands there.
  const std::string target = "/recherche?quoi=p%C3%A9diatrie&adresse=Paris&rayon=10";
  Browser b(platform_.port());
  auto login = b.get(b.get(target).location);
  const std::string button =
      "/psc/connexion?suite=/recherche%3Fquoi%3Dp%25C3%25A9diatrie%26adresse%3DParis%26rayon%3D10";
  EXPECT_NE(login.body.find("href=\"" + button + "\""), std::string::npos) << login.body;
  UrlClient psc;
  auto page = signInWithPsc(b, psc, "899700000001", button);
  ASSERT_EQ(page.status, 303) << page.body;
  EXPECT_EQ(page.location, target);
  EXPECT_EQ(b.cookies().count("sas_psc_suite"), 0u);  // forgotten once used

  // A target that would leave the site is not kept: the usual home.
  Browser other(platform_.port());
  UrlClient psc2;
  EXPECT_EQ(
      signInWithPsc(other, psc2, "899700000001", "/psc/connexion?suite=%2F%2Fevil.test").location,
      "/tableau-de-bord");
}

TEST_F(PscProviderTest, IdentityNotLinkedLogsNobodyIn) {
  Browser b(platform_.port());
  UrlClient psc;
  auto page = signInWithPsc(b, psc, "899700000004");
  ASSERT_EQ(page.status, 303) << page.body;
  EXPECT_EQ(page.location, "/psc/compte");
  EXPECT_NE(b.get("/psc/compte").body.find("Mise à jour du compte"), std::string::npos);
  EXPECT_FALSE(loggedIn(b));
}

TEST_F(PscProviderTest, CallbackFromAnotherBrowserIsRefused) {
  Browser b(platform_.port());
  auto start = b.get("/psc/connexion");
  ASSERT_EQ(start.status, 303);
  // Another browser (no sas_psc cookie) brings the state back.
  Browser other(platform_.port());
  auto page = other.get("/psc/retour?state=" + queryParam(start.location, "state") + "&code=x");
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("PSC-"), std::string::npos);
  EXPECT_FALSE(loggedIn(other));
}

// ---- the code exchanged over mutual TLS (psc.client_certificate, psc.ca_file) ----

// The provider's token and userinfo endpoints on an mTLS port (mtls_endpoint_aliases) that
// requires a client certificate of the test CA; its plain-HTTP token endpoint refuses all.
class PscMutualTlsTest : public ::testing::Test {
 protected:
  PscMutualTlsTest() : provider_(pki_), port_(freePort()) {}

  /// A platform for this provider; `certificate` / `key` empty: no client certificate.
  std::unique_ptr<TestPlatform> platform(const std::string& certificate, const std::string& key,
                                         const std::string& caFile) {
    return std::make_unique<TestPlatform>(
        realNow(), [this, certificate, key, caFile](config::Config& c) {
          c.port = port_;
          c.pscIssuer = provider_.issuer();
          c.pscClientId = OidcProviderProcess::kClientId;
          c.pscClientSecret = OidcProviderProcess::kClientSecret;
          c.pscRedirectUri = "http://127.0.0.1:" + std::to_string(port_) + "/psc/retour";
          c.pscClientCertificate = certificate;
          c.pscClientKey = key;
          c.pscCaFile = caFile;
        });
  }

  /// Signs in as the linked 899700000001 and expects the refusal page, then the audit entry.
  void expectRefused(TestPlatform& t, const std::string& problem) {
    const auto user = t.addManager("marie.lien@sas.test", kPassword, {});
    storage::SqlPscStore(t.platform().database())
        .link(provider_.issuer(), OidcProviderProcess::subject("899700000001"), "899700000001",
              user, t.clock().now());
    Browser b(t.port());
    UrlClient psc;
    auto page = signInWithPsc(b, psc, "899700000001");
    EXPECT_EQ(page.status, 400) << page.body;
    EXPECT_NE(page.body.find("Connexion avec Pro Santé Connect impossible"), std::string::npos);
    EXPECT_NE(page.body.find("Recommencez depuis la page de connexion"), std::string::npos);
    EXPECT_NE(page.body.find("PSC-"), std::string::npos);
    const auto detail = lastAuditDetail(t, "psc.failed");
    EXPECT_NE(detail.find(problem), std::string::npos) << detail;
    EXPECT_EQ(auditCount(t, "psc.login"), 0);
    EXPECT_FALSE(loggedIn(b));
  }

  TestPki pki_;
  OidcProviderProcess provider_;
  int port_;
};

TEST_F(PscMutualTlsTest, LoginSucceedsWithTheClientCertificate) {
  auto t = platform(pki_.file("client.pem"), pki_.file("client-key.pem"), pki_.file("ca.pem"));
  const auto user = t->addManager("marie.lien@sas.test", kPassword, {});
  storage::SqlPscStore(t->platform().database())
      .link(provider_.issuer(), OidcProviderProcess::subject("899700000001"), "899700000001", user,
            t->clock().now());
  Browser b(t->port());
  UrlClient psc;
  auto page = signInWithPsc(b, psc, "899700000001");
  ASSERT_EQ(page.status, 303) << page.body << lastAuditDetail(*t, "psc.failed");
  EXPECT_EQ(page.location, "/tableau-de-bord");
  EXPECT_TRUE(loggedIn(b));
  EXPECT_EQ(auditCount(*t, "psc.failed"), 0);

  // A first login too: userinfo (over mTLS as well) brings the names of the form.
  Browser other(t->port());
  UrlClient psc2;
  auto first = signInWithPsc(other, psc2, "899700000003");
  ASSERT_EQ(first.status, 303) << first.body << lastAuditDetail(*t, "psc.failed");
  EXPECT_EQ(first.location, "/psc/compte");
  EXPECT_NE(other.get("/psc/compte").body.find("value=\"LIEUX\""), std::string::npos);
}

TEST_F(PscMutualTlsTest, LoginFailsWithoutClientCertificate) {
  // No certificate: the platform uses the ordinary token endpoint, which refuses the client.
  auto t = platform("", "", pki_.file("ca.pem"));
  expectRefused(*t, "invalid_client");
}

TEST_F(PscMutualTlsTest, LoginFailsWithACertificateTheProviderDoesNotAccept) {
  // A certificate of another CA: the provider ends the TLS handshake.
  auto t = platform(pki_.file("other-client.pem"), pki_.file("other-client-key.pem"),
                    pki_.file("ca.pem"));
  expectRefused(*t, "certificat client refusé");
}

TEST_F(PscMutualTlsTest, ProviderWhoseCertificateIsNotTrustedIsRefused) {
  // psc.ca_file not set: the test CA is not among the system's, the provider is not trusted.
  auto t = platform(pki_.file("client.pem"), pki_.file("client-key.pem"), "");
  expectRefused(*t, "certificat du fournisseur non reconnu");
}

TEST_F(PscMutualTlsTest, ClientCertificateWithoutItsKeyIsRefusedAtStart) {
  EXPECT_THROW(platform(pki_.file("client.pem"), "", pki_.file("ca.pem")), std::exception);
  EXPECT_THROW(
      platform(pki_.file("client.pem"), pki_.file("other-client-key.pem"), pki_.file("ca.pem")),
      std::exception);  // a key that is not the certificate's
}

TEST(PscConfiguration, TlsFilesAreCheckedAtStart) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("sas-psc-config-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  auto load = [&](const std::string& lines) {
    const auto file = (dir / "sas.properties").string();
    std::ofstream(file) << "psc.issuer = https://auth.psc.test\npsc.client_id = sas\n" << lines;
    return config::loadConfig(file, {{"SAS_ROOT", SAS_SOURCE_DIR}});
  };
  auto refusal = [&](const std::string& lines) {
    try {
      load(lines);
    } catch (const config::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refusal("psc.client_certificate = " + std::string(SAS_SOURCE_DIR) + "/README.md\n")
                .find("psc.client_key"),
            std::string::npos);
  EXPECT_NE(refusal("psc.client_certificate = /nonexistent/c.pem\n"
                    "psc.client_key = /nonexistent/k.pem\n")
                .find("psc.client_certificate"),
            std::string::npos);
  EXPECT_NE(refusal("psc.ca_file = /nonexistent/ca.pem\n").find("psc.ca_file"), std::string::npos);
  EXPECT_EQ(
      load("psc.discovery_url = https://auth.psc.test/.well-known/wallet-openid-configuration\n")
          .pscDiscoveryUrl,
      "https://auth.psc.test/.well-known/wallet-openid-configuration");
  std::filesystem::remove_all(dir);
}

// ---- first login: « Mise à jour du compte » and the guide's three cases ----

class PscFirstLoginTest : public ::testing::Test {
 protected:
  PscFirstLoginTest()
      : port_(freePort()), platform_(realNow(), [this](config::Config& c) {
          c.port = port_;
          c.mailTransport = "smtp";
          c.smtpHost = "127.0.0.1";
          c.smtpPort = smtp_.port();
          c.pscIssuer = provider_.issuer();
          c.pscClientId = OidcProviderProcess::kClientId;
          c.pscClientSecret = OidcProviderProcess::kClientSecret;
          c.pscRedirectUri = "http://127.0.0.1:" + std::to_string(port_) + "/psc/retour";
        }) {}

  /// Signs in as `rpps` and lands on « Mise à jour du compte ».
  void reachUpdateForm(Browser& b, const std::string& rpps) {
    UrlClient psc;
    auto page = signInWithPsc(b, psc, rpps);
    ASSERT_EQ(page.status, 303) << page.body;
    ASSERT_EQ(page.location, "/psc/compte");
    auto form = b.get("/psc/compte");
    ASSERT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("Mise à jour du compte"), std::string::npos);
    EXPECT_NE(form.body.find("Soumettre"), std::string::npos);
  }

  std::string lastLink(const std::string& to) {
    auto mails = smtp_.messagesTo(to);
    if (mails.empty()) return {};
    auto link = SmtpSink::link(mails.back(), "http://sas.test/psc/lien/");
    return link.empty() ? "" : link.substr(std::string("http://sas.test").size());
  }

  SmtpSink smtp_;
  OidcProviderProcess provider_;
  int port_;
  TestPlatform platform_;
};

TEST_F(PscFirstLoginTest, FormAsksForAValidEmail) {
  Browser b(platform_.port());
  reachUpdateForm(b, "899700000004");
  auto form = b.get("/psc/compte");
  EXPECT_NE(form.body.find("value=\"Jean\""), std::string::npos);
  EXPECT_NE(form.body.find("value=\"SANSLIEU\""), std::string::npos);
  auto empty = b.post("/psc/compte", {{"email", ""}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.body.find("Renseignez votre adresse électronique"), std::string::npos);
  auto bad = b.post("/psc/compte", {{"email", "pas-une-adresse"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_FALSE(loggedIn(b));
}

TEST_F(PscFirstLoginTest, Case1LinksTheExistingAccountAfterTheEmailLinkOnly) {
  auto [structure, place] = platform_.addCentre("Centre de santé Paul");
  platform_.addManager("paul.existant@sas.test", kPassword, {structure});
  Browser b(platform_.port());
  reachUpdateForm(b, "899700000002");

  auto exists = b.post("/psc/compte", {{"email", "paul.existant@sas.test"}});
  ASSERT_EQ(exists.status, 200) << exists.body;
  EXPECT_NE(exists.body.find("Ce compte existe déjà"), std::string::npos);
  EXPECT_NE(exists.body.find("Vérifiez vos informations de profil"), std::string::npos);
  EXPECT_NE(exists.body.find("Souhaitez-vous lier"), std::string::npos);
  // Never linked on a matching email alone: no email, nobody logged in yet.
  EXPECT_EQ(platform_.platform().deliverMail(), 0);
  EXPECT_FALSE(loggedIn(b));

  auto sent = b.post("/psc/lier", {{"email", "paul.existant@sas.test"}});
  ASSERT_EQ(sent.status, 200);
  EXPECT_NE(sent.body.find("Association avec SAS-Pro Santé Connect"), std::string::npos);
  EXPECT_NE(sent.body.find("Cliquez ici"), std::string::npos);
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  auto mails = smtp_.messagesTo("paul.existant@sas.test");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("une tentative de connexion"), std::string::npos);
  EXPECT_NE(mails[0].find("5 minutes"), std::string::npos);
  const auto first = lastLink("paul.existant@sas.test");
  ASSERT_FALSE(first.empty());

  // 5 minutes: past them the link is refused; « Cliquez ici » sends a new one.
  platform_.clock().advance(std::chrono::seconds{301});
  Browser clicker(platform_.port());
  auto late = clicker.get(first);
  EXPECT_EQ(late.status, 410);
  EXPECT_NE(late.body.find("expiré"), std::string::npos);
  b.post("/psc/lier", {{"email", "paul.existant@sas.test"}});
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  const auto second = lastLink("paul.existant@sas.test");
  ASSERT_NE(second, first);
  auto linked = clicker.get(second);
  ASSERT_EQ(linked.status, 303) << linked.body;
  EXPECT_EQ(linked.location, "/tableau-de-bord");
  auto dashboard = clicker.get("/tableau-de-bord");
  EXPECT_EQ(dashboard.status, 200);
  EXPECT_NE(dashboard.body.find("Centre de santé Paul"), std::string::npos);  // his rights
  EXPECT_EQ(clicker.get(second).status, 410);                                 // single use
  EXPECT_EQ(auditCount(platform_, "psc.link"), 1);

  // The next Pro Santé Connect login is seamless.
  Browser next(platform_.port());
  UrlClient psc;
  EXPECT_EQ(signInWithPsc(next, psc, "899700000002").location, "/tableau-de-bord");
}

// The quota counts the emails sent (5 per PSC identity and hour), never the pages shown:
// « Ce compte existe déjà » can be seen again and again, and « Cliquez ici » still sends.
TEST_F(PscFirstLoginTest, Case1PagesShownDoNotCountOnlyEmailsSent) {
  platform_.addManager("paul.existant@sas.test", kPassword, {});
  Browser b(platform_.port());
  reachUpdateForm(b, "899700000002");
  const Form email{{"email", "paul.existant@sas.test"}};
  for (int i = 0; i < 3; ++i) {
    auto page = b.post("/psc/compte", email);
    ASSERT_EQ(page.status, 200) << i;
    EXPECT_NE(page.body.find("Ce compte existe déjà"), std::string::npos);
  }
  EXPECT_EQ(auditCount(platform_, "psc.account_exists"), 3);
  EXPECT_EQ(platform_.platform().deliverMail(), 0);

  // Three pages, then five emails: each is sent (the fifth is the last within the hour).
  for (int i = 1; i <= 5; ++i) {
    auto sent = b.post("/psc/lier", email);
    ASSERT_EQ(sent.status, 200) << "email " << i;
    EXPECT_NE(sent.body.find("Association avec SAS-Pro Santé Connect"), std::string::npos);
    EXPECT_EQ(platform_.platform().deliverMail(), 1) << "email " << i;
    // A page shown between two emails counts for nothing.
    EXPECT_EQ(b.post("/psc/compte", email).status, 200);
  }
  EXPECT_EQ(smtp_.messagesTo("paul.existant@sas.test").size(), 5u);
  EXPECT_EQ(auditCount(platform_, "psc.link_sent"), 5);

  // The sixth within the hour is refused, and sends nothing; the page is still shown.
  auto blocked = b.post("/psc/lier", email);
  EXPECT_EQ(blocked.status, 429);
  EXPECT_NE(blocked.body.find("Trop de courriels envoyés pour cette identité Pro Santé Connect"),
            std::string::npos);
  EXPECT_EQ(platform_.platform().deliverMail(), 0);
  EXPECT_EQ(auditCount(platform_, "psc.link_sent"), 5);
  auto again = b.post("/psc/compte", email);
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("Ce compte existe déjà"), std::string::npos);
}

TEST_F(PscFirstLoginTest, QuotaOfEmailsIsPerHourToTheSecond) {
  platform_.addManager("paul.existant@sas.test", kPassword, {});
  Browser b(platform_.port());
  reachUpdateForm(b, "899700000002");
  // Five emails an hour ago to the second (sent, say, from another sign-in of his).
  storage::SqlPscStore store(platform_.platform().database());
  const auto subject = OidcProviderProcess::subject("899700000002");
  for (int i = 0; i < 5; ++i)
    store.recordAttempt(subject, platform_.clock().now() - std::chrono::seconds{3600});
  const Form email{{"email", "paul.existant@sas.test"}};
  EXPECT_EQ(b.post("/psc/compte", email).status, 200);  // the page, still
  EXPECT_EQ(b.post("/psc/lier", email).status, 429);    // 3600 s ago: within the hour
  EXPECT_EQ(platform_.platform().deliverMail(), 0);
  platform_.clock().advance(std::chrono::seconds{1});
  auto sent = b.post("/psc/lier", email);  // 3601 s ago: no longer
  EXPECT_EQ(sent.status, 200);
  EXPECT_EQ(platform_.platform().deliverMail(), 1);

  // The email verification of case 2 counts alike: four more sent, then refused.
  Browser claire(platform_.port());
  reachUpdateForm(claire, "899700000003");
  const Form verify{{"email", "claire.lieux@cabinet.test"}};
  ASSERT_EQ(claire.post("/psc/compte", verify).status, 200);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(claire.post("/psc/verification", verify).status, 200) << i;
  EXPECT_EQ(platform_.platform().deliverMail(), 5);
  EXPECT_EQ(claire.post("/psc/verification", verify).status, 429);
  EXPECT_EQ(platform_.platform().deliverMail(), 0);
}

TEST_F(PscFirstLoginTest, DisabledAccountGetsNoEmailAndNothingCounts) {
  platform_.users().create(
      {0, "paul.existant@sas.test", "Paul", "Existant", app::Role::StructureManager,
       platform_.platform().hasher().hash(kPassword), true},
      {}, platform_.clock().now());
  Browser b(platform_.port());
  reachUpdateForm(b, "899700000002");
  const Form email{{"email", "paul.existant@sas.test"}};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(b.post("/psc/lier", email).status, 200) << i;
  EXPECT_EQ(platform_.platform().deliverMail(), 0);
  storage::SqlPscStore store(platform_.platform().database());
  EXPECT_EQ(store.attemptsSince(OidcProviderProcess::subject("899700000002"),
                                platform_.clock().now() - std::chrono::seconds{3600}),
            0);
}

TEST_F(PscFirstLoginTest, Case2CreatesTheHealthProfessionalWithHisPracticePlaces) {
  auto [otherStructure, otherPlace] = platform_.addCentre("Centre d'un autre");
  Browser b(platform_.port());
  reachUpdateForm(b, "899700000003");
  auto verify = b.post("/psc/compte", {{"email", "claire.lieux@cabinet.test"}});
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_NE(verify.body.find("Vérification du courriel"), std::string::npos);
  EXPECT_NE(verify.body.find("Cliquez ici"), std::string::npos);
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  auto mails = smtp_.messagesTo("claire.lieux@cabinet.test");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("vient de cr"), std::string::npos);
  EXPECT_FALSE(loggedIn(b));

  // « Cliquez ici pour renvoyer le courriel ».
  EXPECT_EQ(b.post("/psc/verification", {{"email", "claire.lieux@cabinet.test"}}).status, 200);
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  auto created = b.get(lastLink("claire.lieux@cabinet.test"));
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(created.location, "/psc/cgu");
  auto cgu = b.get("/psc/cgu");
  EXPECT_EQ(cgu.status, 200);
  EXPECT_NE(cgu.body.find("Accepter les CGU"), std::string::npos);
  EXPECT_NE(cgu.body.find("href=\"/cgu\""), std::string::npos);
  auto refused = b.post("/psc/cgu", {});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Vous devez accepter les conditions générales d"), std::string::npos);
  EXPECT_EQ(auditCount(platform_, "terms.accepted"), 0);
  EXPECT_EQ(b.post("/psc/cgu", {{"cgu", "1"}}).location, "/tableau-de-bord");
  EXPECT_EQ(auditCount(platform_, "terms.accepted"), 1);
  EXPECT_EQ(b.get("/psc/cgu").location, "/tableau-de-bord");  // once only

  auto space = b.get("/tableau-de-bord");
  ASSERT_EQ(space.status, 200);
  EXPECT_NE(space.body.find("Vos lieux d'exercice"), std::string::npos);
  EXPECT_NE(space.body.find("CABINET DU DR LIEUX"), std::string::npos);
  EXPECT_NE(space.body.find("MAISON DE SANTE DES LILAS"), std::string::npos);
  auto user = platform_.users().findByEmail("claire.lieux@cabinet.test");
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->role, app::Role::Practitioner);
  // Each place with its real type and its town: the MSP's, which PSC does not give, from its
  // postal code (docs/rules.md#psc-first-login).
  EXPECT_NE(space.body.find("Cabinet · ne participe pas au SAS"), std::string::npos);
  EXPECT_NE(space.body.find("Maison de santé pluriprofessionnelle · ne participe pas au SAS"),
            std::string::npos);
  EXPECT_NE(space.body.find("RUE DE LA PAIX 75002 Paris"), std::string::npos);
  EXPECT_NE(space.body.find("AVENUE PASTEUR 93260 Les Lilas"), std::string::npos);
  std::map<std::string, std::string> typeOf;
  for (auto id : platform_.users().linkedStructureIds(user->id)) {
    auto structure = platform_.structures().findStructure(id);
    ASSERT_TRUE(structure.has_value());
    typeOf[structure->name] = structure->type;
    // The phone PSC gave for each place, kept through the profile saved between the sign-in
    // and the account's creation.
    const auto places = platform_.structures().placesOfStructure(id);
    ASSERT_EQ(places.size(), 1u);
    EXPECT_EQ(places[0].phone,
              structure->name == "CABINET DU DR LIEUX" ? "0142000001" : "0143000002");
    // His cabinet speaks for him alone, the MSP as an MSP.
    auto form = b.get("/structures/" + std::to_string(id) + "/parametres");
    ASSERT_EQ(form.status, 200);
    EXPECT_EQ(form.body.find("en tant que Centre de Santé"), std::string::npos);
    EXPECT_NE(form.body.find(structure->name == "CABINET DU DR LIEUX"
                                 ? "for=\"participe\">Je participe au SAS</label>"
                                 : "Je participe au SAS en tant que Maison de Santé "
                                   "Pluriprofessionnelle</label>"),
              std::string::npos)
        << structure->name;
  }
  EXPECT_EQ(typeOf["CABINET DU DR LIEUX"], "Cabinet");
  EXPECT_EQ(typeOf["MAISON DE SANTE DES LILAS"], "Maison de santé pluriprofessionnelle");

  // The same pages as a structure manager for his places; none for another structure's.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(space.body, m, std::regex(R"(/lieux/(\d+)/agenda)")));
  EXPECT_EQ(b.get(std::string(m[0])).status, 200);
  EXPECT_EQ(b.get("/lieux/" + std::string(m[1]) + "/indisponibilite").status, 200);
  EXPECT_EQ(b.get("/lieux/" + std::string(m[1]) + "/informations-complementaires").status, 200);
  EXPECT_NE(b.get("/lieux/" + std::to_string(otherPlace) + "/agenda").status, 200);
  (void)otherStructure;

  // Seamless next time.
  Browser next(platform_.port());
  UrlClient psc;
  EXPECT_EQ(signInWithPsc(next, psc, "899700000003").location, "/tableau-de-bord");
}

TEST_F(PscFirstLoginTest, Case2SpaceWaitsForTheCgu) {
  Browser b(platform_.port());
  reachUpdateForm(b, "899700000003");
  ASSERT_EQ(b.post("/psc/compte", {{"email", "claire.lieux@cabinet.test"}}).status, 200);
  ASSERT_EQ(platform_.platform().deliverMail(), 1);
  ASSERT_EQ(b.get(lastLink("claire.lieux@cabinet.test")).location, "/psc/cgu");
  auto user = platform_.users().findByEmail("claire.lieux@cabinet.test");
  ASSERT_TRUE(user.has_value());
  const auto structures = platform_.users().linkedStructureIds(user->id);
  ASSERT_FALSE(structures.empty());
  const auto places = platform_.structures().placesOfStructure(structures.front());
  ASSERT_FALSE(places.empty());
  const std::string place = "/lieux/" + std::to_string(places.front().id);
  const std::vector<std::string> space{
      place + "/agenda", place + "/indisponibilite", place + "/informations-complementaires",
      "/compte", "/structures/" + std::to_string(structures.front()) + "/parametres"};

  // Before: every page of his space, and every form sent to it, leads to the CGU; his
  // dashboard shows them in the pop-in over it (a page of its own without JavaScript).
  for (const auto& path : space) {
    auto page = b.get(path);
    EXPECT_EQ(page.status, 303) << path;
    EXPECT_EQ(page.location, "/cgu/accepter") << path;
  }
  auto dashboard = b.get("/tableau-de-bord");
  EXPECT_EQ(dashboard.status, 200);
  EXPECT_NE(dashboard.body.find("id=\"cgu-modale\""), std::string::npos);
  ASSERT_EQ(b.get("/psc/cgu").status, 200);  // a page with the session's CSRF token
  auto note =
      b.post(place + "/informations-complementaires", {{"informations", "Sans rendez-vous"}});
  EXPECT_EQ(note.status, 303);
  EXPECT_EQ(note.location, "/cgu/accepter");
  EXPECT_EQ(platform_.agenda().unavailabilityAndNote(places.front().id).second, "");
  // The CGU and the privacy policy themselves can be read, and he can leave.
  EXPECT_EQ(b.get("/cgu").status, 200);
  EXPECT_EQ(b.get("/confidentialite").status, 200);
  // Still so after a new Pro Santé Connect login: the acceptance is the account's, not the
  // session's.
  Browser again(platform_.port());
  UrlClient psc;
  ASSERT_EQ(signInWithPsc(again, psc, "899700000003").location, "/tableau-de-bord");
  EXPECT_NE(again.get("/tableau-de-bord").body.find("id=\"cgu-modale\""), std::string::npos);
  EXPECT_EQ(again.get("/compte").location, "/cgu/accepter");

  // After accepting: reachable.
  ASSERT_EQ(b.post("/psc/cgu", {{"cgu", "1"}}).location, "/tableau-de-bord");
  for (const auto& path : space) {
    auto page = b.get(path);
    EXPECT_NE(page.status, 303) << path << " " << page.location;
    EXPECT_NE(page.location, "/cgu/accepter") << path;
  }
  EXPECT_EQ(b.get("/tableau-de-bord").body.find("cgu-modale"), std::string::npos);
  EXPECT_EQ(b.get(place + "/agenda").status, 200);
  EXPECT_EQ(again.get("/tableau-de-bord").status, 200);
  EXPECT_EQ(auditCount(platform_, "terms.accepted"), 1);
}

TEST_F(PscFirstLoginTest, LinkedAccountsAcceptedTheCguAtActivation) {
  // Case 1 links an ordinary account: its CGU were accepted when it was activated, so no
  // CGU page comes after a Pro Santé Connect login (the rule concerns the accounts that
  // Pro Santé Connect opens).
  auto [structure, place] = platform_.addCentre("Centre de santé Paul");
  const auto user = platform_.addManager("paul.existant@sas.test", kPassword, {structure});
  storage::SqlPscStore(platform_.platform().database())
      .link(provider_.issuer(), OidcProviderProcess::subject("899700000002"), "899700000002", user,
            platform_.clock().now());
  Browser b(platform_.port());
  UrlClient psc;
  ASSERT_EQ(signInWithPsc(b, psc, "899700000002").location, "/tableau-de-bord");
  EXPECT_EQ(b.get("/tableau-de-bord").status, 200);
  EXPECT_EQ(b.get("/lieux/" + std::to_string(place) + "/agenda").status, 200);
}

TEST_F(PscFirstLoginTest, Case3WithoutPracticePlaceHasNoRights) {
  Browser b(platform_.port());
  reachUpdateForm(b, "899700000004");
  auto page = b.post("/psc/compte", {{"email", "jean.sanslieu@test.fr"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("habilitations"), std::string::npos);
  EXPECT_NE(page.body.find("Rapprochez-vous de votre ARS"), std::string::npos);
  EXPECT_NE(page.body.find("votre ordre"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/faq\""), std::string::npos);
  EXPECT_EQ(platform_.platform().deliverMail(), 0);
  EXPECT_FALSE(loggedIn(b));
}

// The layout of the Annuaire Santé extraction PS_LibreAcces_Personne_activite (its header
// names, a subset of its columns in another order: columns are found by name).
const char* const kDirectory =
    "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|"
    "Prénom d'exercice|Libellé profession|Libellé savoir-faire|Numéro SIRET site|"
    "Numéro FINESS site|Identifiant technique de la structure|Raison sociale site|"
    "Numéro Voie (coord. structure)|Libellé type de voie (coord. structure)|"
    "Libellé Voie (coord. structure)|Code postal (coord. structure)|"
    "Libellé commune (coord. structure)|Téléphone (coord. structure)|\n"
    "8|99700000004|899700000004|SANSLIEU|Jean|Médecin|Médecine générale|98765432100011||"
    "R198765|CABINET MEDICAL DES ARTS|12|Rue|des Arts|69001|Lyon|0478000001|\n"
    "8|99700000004|899700000004|SANSLIEU|Jean|Médecin|Médecine générale||||"
    "||||||||\n"  // an activity without a practice place
    "8|99700000005|899700000005|AUTRE|Anne|Infirmier||12312312300011||R1999|CABINET INFIRMIER|"
    "3|Place|du Marché|13001|Marseille||\n";

TEST_F(PscFirstLoginTest, DirectoryImportGivesPracticePlacesWithoutDuplicates) {
  storage::SqlPscStore directory(platform_.platform().database());
  app::DirectoryImport import(directory, platform_.structures(), platform_.platform().geocoder());
  std::istringstream first(kDirectory);
  auto report = import.run(first);
  EXPECT_EQ(report.professionals, 2);
  EXPECT_EQ(report.placesCreated, 2);
  EXPECT_EQ(report.skipped, 1);
  EXPECT_TRUE(report.rejected.empty());
  std::istringstream again(kDirectory);
  report = import.run(again);
  EXPECT_EQ(report.placesCreated, 0);
  EXPECT_EQ(report.placesKept, 2);
  ASSERT_EQ(directory.directoryStructures("899700000004").size(), 1u);

  // Jean has no place in his PSC claims, but one in the directory: case 2, not case 3.
  Browser b(platform_.port());
  reachUpdateForm(b, "899700000004");
  auto verify = b.post("/psc/compte", {{"email", "jean.sanslieu@test.fr"}});
  ASSERT_EQ(verify.status, 200);
  EXPECT_NE(verify.body.find("Vérification du courriel"), std::string::npos);
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  EXPECT_EQ(b.get(lastLink("jean.sanslieu@test.fr")).location, "/psc/cgu");
  b.get("/psc/cgu");
  b.post("/psc/cgu", {{"cgu", "1"}});
  auto space = b.get("/tableau-de-bord");
  EXPECT_NE(space.body.find("Vos lieux d'exercice"), std::string::npos);
  EXPECT_NE(space.body.find("CABINET MEDICAL DES ARTS"), std::string::npos);
  EXPECT_EQ(space.body.find("CABINET INFIRMIER"), std::string::npos);
}

TEST(DirectoryImportFile, RefusesAFileWithoutTheExtractionsHeader) {
  struct NoDirectory : app::DirectoryRepository {
    void saveProfessional(const app::DirectoryProfessional&) override {}
    std::optional<std::int64_t> directoryPlace(const std::string&, const std::string&) override {
      return std::nullopt;
    }
    void addDirectoryPlace(const std::string&, const std::string&, std::int64_t) override {}
    std::vector<std::int64_t> directoryStructures(const std::string&) override { return {}; }
  } directory;
  TestPlatform t(parisTime(2026, 3, 4, 10));
  app::DirectoryImport import(directory, t.structures(), t.platform().geocoder());
  std::istringstream in("a;b;c\n1;2;3\n");
  auto report = import.run(in);
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_NE(report.rejected[0].find("Identification nationale PP"), std::string::npos);
}

// A practice place's town: PSC's « libellé commune », else the commune of its postal code
// (the offline table), else its post office without the code; its type from its name.
TEST(PracticePlaces, TownAndTypeWhenProSanteConnectGivesLittle) {
  TestPlatform t(parisTime(2026, 3, 4, 10));
  auto place = [&](const std::string& name, const std::string& postcode, const std::string& city,
                   const std::string& postOffice) {
    app::PracticeActivity a;
    a.name = name;
    a.street = "1 RUE DU TEST";
    a.postcode = postcode;
    a.city = city;
    a.postOffice = postOffice;
    const auto sid =
        app::createPracticePlace(t.structures(), t.platform().geocoder(), a, "Cabinet de Test");
    auto places = t.structures().placesOfStructure(sid);
    EXPECT_EQ(places.size(), 1u);
    return std::make_pair(*t.structures().findStructure(sid), places.front());
  };
  auto [msp, lilas] = place("MAISON DE SANTE DES LILAS", "93260", "", "");
  EXPECT_EQ(lilas.town, "Les Lilas");
  EXPECT_EQ(msp.type, "Maison de santé pluriprofessionnelle");
  EXPECT_EQ(msp.departement, "93");
  auto [cabinet, paris] = place("CABINET DU DR LIEUX", "75002", "", "75002 PARIS");
  EXPECT_EQ(paris.town, "Paris");  // the city, not « Paris 2e Arrondissement », nor the cedex
  EXPECT_EQ(cabinet.type, "Cabinet");
  auto [given, lyon] = place("CENTRE DE SANTE DES PENTES", "69001", "Lyon 1er", "");
  EXPECT_EQ(lyon.town, "Lyon 1er");  // PSC's own word is kept
  EXPECT_EQ(given.type, "Centre de santé");
  auto [sos, nowhere] = place("SOS MEDECINS", "00000", "", "00000 NULLE PART CEDEX");
  EXPECT_EQ(nowhere.town, "NULLE PART CEDEX");  // a postal code no commune has
  EXPECT_EQ(sos.type, "SOS Médecins");
  auto [unnamed, blank] = place("", "", "", "");
  EXPECT_EQ(blank.town, "");
  EXPECT_EQ(unnamed.name, "Cabinet de Test");
  EXPECT_EQ(unnamed.type, "Cabinet");
}

// ---- the callback's refusals, with a stand-in provider ----

class PscCallbackTest : public ::testing::Test {
 protected:
  PscCallbackTest()
      : platform_(parisTime(2026, 3, 4, 10), [this](config::Config& c) {
          c.pscIssuer = standIn_.issuer();
          c.pscClientId = "sas-client";
          c.pscClientSecret = "secret";
        }) {}

  long long now() { return platform_.clock().now().time_since_epoch().count(); }

  nlohmann::json goodClaims(const std::string& nonce) {
    return {{"iss", standIn_.issuer()}, {"aud", "sas-client"}, {"sub", "f:standin:1"},
            {"exp", now() + 300},       {"iat", now() - 5},    {"nonce", nonce},
            {"acr", "eidas1"}};
  }

  /// Starts a sign-in, lets the stand-in answer with `change(claims)`, brings the callback.
  Page callback(Browser& b, std::function<void(nlohmann::json&)> change,
                const sas::oidc::testing::TestSigner* signer = nullptr) {
    auto start = b.get("/psc/connexion");
    EXPECT_EQ(start.status, 303) << start.body;
    standIn_.expectNonce(queryParam(start.location, "nonce"));
    standIn_.answer(
        [this, change](const std::string& nonce) {
          auto c = goodClaims(nonce);
          change(c);
          return c;
        },
        signer);
    std::string state;
    Poco::URI::encode(queryParam(start.location, "state"), "&=+%#?/ ", state);
    return b.get("/psc/retour?state=" + state + "&code=code-1");
  }

  void expectRefused(Browser& b, const Page& page, const std::string& problem) {
    EXPECT_EQ(page.status, 400) << page.body;
    EXPECT_NE(page.body.find("Connexion avec Pro Santé Connect impossible"), std::string::npos);
    EXPECT_NE(page.body.find("PSC-"), std::string::npos);  // the reference for the support
    EXPECT_NE(lastAuditDetail(platform_, "psc.failed").find(problem), std::string::npos)
        << lastAuditDetail(platform_, "psc.failed");
    EXPECT_FALSE(loggedIn(b));
  }

  StandInProvider standIn_;
  TestPlatform platform_;
};

TEST_F(PscCallbackTest, GoodTokenIsAcceptedByTheSameCheckSequence) {
  Browser b(platform_.port());
  auto page = callback(b, [](nlohmann::json&) {});
  EXPECT_EQ(page.status, 303) << page.body;
  EXPECT_EQ(page.location, "/psc/compte");
  EXPECT_EQ(auditCount(platform_, "psc.failed"), 0);
}

TEST_F(PscCallbackTest, BadStateIsRefused) {
  Browser b(platform_.port());
  b.get("/psc/connexion");
  expectRefused(b, b.get("/psc/retour?state=forged&code=code-1"), "state");
  expectRefused(b, b.get("/psc/retour?code=code-1"), "state");
}

TEST_F(PscCallbackTest, StateIsSingleUse) {
  Browser b(platform_.port());
  auto start = b.get("/psc/connexion");
  standIn_.expectNonce(queryParam(start.location, "nonce"));
  standIn_.answer([this](const std::string& n) { return goodClaims(n); });
  const auto state = queryParam(start.location, "state");
  EXPECT_EQ(b.get("/psc/retour?state=" + state + "&code=c").status, 303);
  expectRefused(b, b.get("/psc/retour?state=" + state + "&code=c"), "state");
}

TEST_F(PscCallbackTest, BadNonceIsRefused) {
  Browser b(platform_.port());
  expectRefused(b, callback(b, [](nlohmann::json& c) { c["nonce"] = "another"; }), "nonce");
}

TEST_F(PscCallbackTest, BadIssuerIsRefused) {
  Browser b(platform_.port());
  expectRefused(b, callback(b, [](nlohmann::json& c) { c["iss"] = "https://evil.test"; }),
                "issuer");
}

TEST_F(PscCallbackTest, BadAudienceIsRefused) {
  Browser b(platform_.port());
  expectRefused(b, callback(b, [](nlohmann::json& c) { c["aud"] = "another-client"; }), "audience");
}

TEST_F(PscCallbackTest, ExpiredTokenIsRefused) {
  Browser b(platform_.port());
  expectRefused(b, callback(b, [this](nlohmann::json& c) { c["exp"] = now() - 120; }), "expired");
}

TEST_F(PscCallbackTest, BadSignatureIsRefused) {
  // Same kid as the published key, another private key.
  sas::oidc::testing::TestSigner impostor(sas::oidc::testing::TestSigner::Kind::Rsa, "standin-rsa");
  Browser b(platform_.port());
  expectRefused(b,
                callback(
                    b, [](nlohmann::json&) {}, &impostor),
                "signature");
}

TEST_F(PscCallbackTest, AcrBelowEidas1IsRefused) {
  Browser b(platform_.port());
  expectRefused(b, callback(b, [](nlohmann::json& c) { c["acr"] = "eidas0"; }), "acr");
}

TEST_F(PscCallbackTest, ProviderErrorIsRefused) {
  Browser b(platform_.port());
  auto start = b.get("/psc/connexion");
  expectRefused(
      b, b.get("/psc/retour?state=" + queryParam(start.location, "state") + "&error=access_denied"),
      "access_denied");
}

}  // namespace
}  // namespace sas::test
