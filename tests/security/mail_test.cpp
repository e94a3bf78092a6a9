// Issue 12, items 4 (outbox) and 9 (mail): emails sent through the real SMTP sink, then the
// outbox read back. A one-time link does not stay at rest once its email is out, a failure's
// message does not outlive the success, every email carries a Message-ID and a Date, and the
// demo accounts do not share one password hash.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <random>
#include <regex>
#include <set>

#include "app/demo_data.hpp"
#include "app/ports/security.hpp"
#include "domain/account_rules.hpp"
#include "mail/mail.hpp"
#include "storage/account_store.hpp"
#include "storage/database.hpp"
#include "support/assistance_form.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";

struct OutboxRow {
  std::string recipient, subject, text, html, lastError;
  long long createdAt = 0, sentAt = 0;
  int attempts = 0;
};

class MailSecurityTest : public ::testing::Test {
 protected:
  MailSecurityTest()
      : platform_(parisTime(2026, 3, 4, 10), [this](config::Config& c) {
          c.mailTransport = "smtp";
          c.smtpHost = "127.0.0.1";
          c.smtpPort = smtp_.port();
        }) {}

  /// The outbox rows to this address, oldest first.
  std::vector<OutboxRow> outboxTo(const std::string& recipient) {
    storage::Connection c(platform_.platform().database());
    std::vector<OutboxRow> out;
    OutboxRow r;
    soci::indicator sent = soci::i_null;
    soci::statement st =
        (c.sql().prepare << "SELECT recipient, subject, text_body, html_body, last_error, "
                            "created_at, sent_at, attempts FROM outbox WHERE recipient = :r "
                            "ORDER BY id",
         soci::use(recipient), soci::into(r.recipient), soci::into(r.subject), soci::into(r.text),
         soci::into(r.html), soci::into(r.lastError), soci::into(r.createdAt),
         soci::into(r.sentAt, sent), soci::into(r.attempts));
    st.execute();
    while (st.fetch()) {
      if (sent != soci::i_ok) r.sentAt = 0;
      out.push_back(r);
    }
    return out;
  }

  /// A body gone, what the outbox needs kept: recipient, subject, status and dates.
  static void expectForgotten(const OutboxRow& row) {
    EXPECT_TRUE(row.text.empty()) << row.text;
    EXPECT_TRUE(row.html.empty()) << row.html;
    EXPECT_FALSE(row.recipient.empty());
    EXPECT_FALSE(row.subject.empty());
    EXPECT_GT(row.createdAt, 0);
    EXPECT_GT(row.sentAt, 0);
  }

  SmtpSink smtp_;
  TestPlatform platform_;
};

TEST_F(MailSecurityTest, OneTimeLinksLeaveTheOutboxWithTheirEmail) {
  const auto territory = platform_.platform().accountStore().createTerritory(
      {0, "ARS Île-de-France", {"75"}}, {std::nullopt, "test", "", "", ""},
      platform_.clock().now());
  auto [structure, place] = platform_.addCentre("Centre de santé Michel-Ange");
  (void)place;
  platform_.addUser("ars@sas.test", kPassword, app::Role::AccountManager, {}, territory);
  platform_.addManager("camille@sas.test", kPassword, {structure});

  // Activation: an account manager creates an account.
  Browser ars(platform_.port());
  ars.login("ars@sas.test", kPassword);
  ars.get("/comptes/nouveau");
  ASSERT_EQ(ars.post("/comptes", {{"email", "nouveau@sas.test"},
                                  {"prenom", "Dominique"},
                                  {"nom", "Petit"},
                                  {"role", "gestionnaire_structure"},
                                  {"structures", std::to_string(structure)}})
                .status,
            303);
  // Reset: a forgotten password.
  Browser visitor(platform_.port());
  visitor.get("/mot-de-passe-oublie");
  ASSERT_EQ(visitor.post("/mot-de-passe-oublie", {{"email", "camille@sas.test"}}).status, 303);
  // Email change: to a new address.
  Browser camille(platform_.port());
  camille.login("camille@sas.test", kPassword);
  camille.get("/compte/adresse");
  ASSERT_EQ(camille
                .post("/compte/adresse", {{"nouvelle_adresse", "camille.martin@sas.test"},
                                          {"mot_de_passe_actuel", kPassword}})
                .status,
            303);

  const std::vector<std::pair<std::string, std::string>> links{
      {"nouveau@sas.test", "http://sas.test/activation/"},
      {"camille@sas.test", "http://sas.test/reinitialisation/"},
      {"camille.martin@sas.test", "http://sas.test/compte/adresse/"}};
  // Waiting to be sent, the link is in the row (the sender needs it).
  for (const auto& [to, prefix] : links) {
    const auto rows = outboxTo(to);
    ASSERT_EQ(rows.size(), 1u) << to;
    EXPECT_NE(rows[0].text.find(prefix), std::string::npos) << to;
  }
  EXPECT_EQ(platform_.platform().deliverMail(), 3);
  for (const auto& [to, prefix] : links) {
    const auto received = smtp_.messagesTo(to);
    ASSERT_EQ(received.size(), 1u) << to;
    const auto link = SmtpSink::link(received[0], prefix);
    EXPECT_FALSE(link.empty()) << to;
    const auto rows = outboxTo(to);
    ASSERT_EQ(rows.size(), 1u);
    expectForgotten(rows[0]);
    // The link received still works: only the copy at rest is gone.
    Browser b(platform_.port());
    EXPECT_EQ(b.get(link.substr(std::string("http://sas.test").size())).status, 200) << link;
  }
  // Nothing in the whole outbox holds one of these links any more.
  storage::Connection c(platform_.platform().database());
  int left = -1;
  c.sql() << "SELECT COUNT(*) FROM outbox WHERE text_body LIKE '%sas.test/%' OR html_body LIKE "
             "'%sas.test/%'",
      soci::into(left);
  EXPECT_EQ(left, 0);
}

TEST_F(MailSecurityTest, EmailsWithoutAOneTimeLinkKeepTheirBody) {
  platform_.addManager("camille@sas.test", kPassword, {});
  platform_.clock().set(domain::addCalendarMonths(platform_.clock().now(), 3));
  ASSERT_EQ(platform_.platform().sendExpiryWarnings(), 1);
  // A support request: the acknowledgement has no link; the routed copy is the request's.
  Browser b(platform_.port());
  auto form = b.get("/assistance");
  ASSERT_EQ(postMultipart(b, platform_.port(), "/assistance",
                          filledAssistanceForm(form.body, "visiteur@example.fr"), {})
                .status,
            303);
  EXPECT_EQ(platform_.platform().deliverMail(), 3);

  const auto warning = outboxTo("camille@sas.test");
  ASSERT_EQ(warning.size(), 1u);
  EXPECT_GT(warning[0].sentAt, 0);
  EXPECT_NE(warning[0].text.find("expirera le"), std::string::npos);  // a link with no key
  EXPECT_NE(warning[0].html.find("/compte/mot-de-passe"), std::string::npos);
  const auto ack = outboxTo("visiteur@example.fr");
  ASSERT_EQ(ack.size(), 1u);
  EXPECT_NE(ack[0].text.find("Nous avons bien reçu votre demande"), std::string::npos);
  const auto routed = outboxTo("support@sas.localhost");
  ASSERT_EQ(routed.size(), 1u);
  expectForgotten(routed[0]);  // the request itself is kept, and purged in time
}

TEST(MailTemplates, EveryTemplateWithAOneTimeLinkIsForgottenOnceSent) {
  // A template that puts a link in its body ({{lien}}) is a one-time key unless it is listed
  // here as a plain link (the expiry warning's points to the account page, the inactivity
  // warning's to the login page, an orientation's and the freshness reminder's to the place's
  // agenda).
  const std::set<std::string> plainLinks{"expiry_warning", "inactivity_warning", "orientation",
                                         "orientation_cancelled", "freshness_reminder"};
  const auto dir = std::filesystem::path(SAS_SOURCE_DIR) / "templates/email";
  int withLink = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const auto file = e.path().filename().string();
    if (!file.ends_with(".txt.mustache")) continue;
    const auto name = file.substr(0, file.size() - std::string(".txt.mustache").size());
    const auto text = readBytes(e.path());
    if (text.find("{{lien}}") == std::string::npos) continue;
    ++withLink;
    EXPECT_EQ(mail::forgetsBodyOnceSent(name), !plainLinks.contains(name)) << name;
  }
  // welcome, reset, email_change, psc_link, psc_verify, expiry_warning, inactivity_warning,
  // orientation{,_cancelled}, freshness_reminder
  EXPECT_EQ(withLink, 10);
  EXPECT_TRUE(mail::forgetsBodyOnceSent("support_request"));
  EXPECT_FALSE(mail::forgetsBodyOnceSent("support_ack"));
  EXPECT_FALSE(mail::forgetsBodyOnceSent("email_changed"));
}

TEST_F(MailSecurityTest, ASuccessClearsTheLastFailure) {
  platform_.addManager("camille@sas.test", kPassword, {});
  Browser b(platform_.port());
  b.get("/mot-de-passe-oublie");
  ASSERT_EQ(b.post("/mot-de-passe-oublie", {{"email", "camille@sas.test"}}).status, 303);
  smtp_.stop();
  EXPECT_EQ(platform_.platform().deliverMail(), 0);
  auto rows = outboxTo("camille@sas.test");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_FALSE(rows[0].lastError.empty());
  smtp_.start();
  platform_.clock().advance(std::chrono::seconds{30});
  EXPECT_EQ(platform_.platform().deliverMail(), 1);
  rows = outboxTo("camille@sas.test");
  EXPECT_GT(rows[0].sentAt, 0);
  EXPECT_EQ(rows[0].lastError, "");
  EXPECT_EQ(rows[0].attempts, 1);  // how many failures it took stays
}

void expectMessageIdAndDate(const std::vector<std::string>& messages) {
  const std::regex id(R"((^|\r?\n)Message-ID: (<[A-Za-z0-9.-]+@sas\.localhost>)\r?\n)",
                      std::regex::icase);
  // RFC 5322: "Wed, 4 Mar 2026 09:00:00 +0000" (GMT is its obsolete but accepted zone).
  const std::regex date(
      R"((^|\r?\n)Date: [A-Z][a-z]{2}, {1,2}\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT)\r?\n)");
  std::set<std::string> ids;
  for (const auto& m : messages) {
    const auto headers = m.substr(0, m.find("\r\n\r\n"));
    std::smatch found;
    ASSERT_TRUE(std::regex_search(headers, found, id)) << headers;
    ids.insert(found[2]);
    EXPECT_TRUE(std::regex_search(headers, date)) << headers;
  }
  EXPECT_EQ(ids.size(), messages.size());  // one id each
}

TEST_F(MailSecurityTest, EveryEmailCarriesAMessageIdAndADate) {
  platform_.addManager("camille@sas.test", kPassword, {});
  platform_.addManager("dominique@sas.test", kPassword, {});
  for (const char* email : {"camille@sas.test", "dominique@sas.test"}) {
    Browser b(platform_.port());
    b.get("/mot-de-passe-oublie");
    b.post("/mot-de-passe-oublie", {{"email", email}});
  }
  // With attachments too (multipart/mixed): a support request with a file.
  Browser b(platform_.port());
  auto form = b.get("/assistance");
  postMultipart(b, platform_.port(), "/assistance",
                filledAssistanceForm(form.body, "visiteur@example.fr"),
                {sampleFile("capture.pdf")});
  EXPECT_EQ(platform_.platform().deliverMail(), 4);
  expectMessageIdAndDate(smtp_.messages());
}

TEST(MailFiles, TheEmlFilesCarryAMessageIdAndADateToo) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sas-eml-" + std::to_string(std::random_device{}()));
  mail::FileTransport transport(dir, "Plateforme SAS <nepasrepondre@sas.localhost>");
  app::EmailMessage m;
  m.to = "camille@sas.test";
  m.subject = "Essai";
  m.text = "Bonjour";
  m.html = "<p>Bonjour</p>";
  transport.send(m);
  transport.send(m);
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(readBytes(e));
  ASSERT_EQ(files.size(), 2u);
  expectMessageIdAndDate(files);
  std::filesystem::remove_all(dir);
}

TEST_F(MailSecurityTest, DemoAccountsEachHaveTheirOwnSalt) {
  auto& p = platform_.platform();
  const auto logins = app::loadDemoData(p.ports().users, p.ports().structures, p.ports().agenda,
                                        p.accountStore(), p.hasher(), p.clock());
  ASSERT_EQ(logins.size(), 6u);
  std::set<std::string> hashes;
  for (const auto& login : logins) {
    const auto user = p.ports().users.findByEmail(login.email);
    ASSERT_TRUE(user.has_value()) << login.email;
    EXPECT_TRUE(p.hasher().verify(user->passwordHash, login.password)) << login.email;
    hashes.insert(user->passwordHash);
  }
  EXPECT_EQ(hashes.size(), logins.size());
}

}  // namespace
}  // namespace sas::test
