// Issue 12, item 5: « Formulaire d'assistance » cannot be turned into a mail cannon or a store
// of personal data kept for ever. Each defence replayed against the real server: the throttle
// per typed email and per client address (a burst included), the acknowledgement that carries
// nothing the visitor wrote, the files and body deleted after support.retention_days, files
// that every server process serves and sends, and the systemd unit of docs/deploy.md that
// lets the service write where the code writes.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "config/config.hpp"
#include "storage/account_store.hpp"
#include "storage/database.hpp"
#include "support/assistance_form.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_platform.hpp"
#include "wiring.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";

class SupportSecurityTest : public ::testing::Test {
 protected:
  void start(std::function<void(config::Config&)> adjust = nullptr) {
    platform_ = std::make_unique<TestPlatform>(parisTime(2026, 3, 4, 10), [&](config::Config& c) {
      c.mailTransport = "smtp";
      c.smtpHost = "127.0.0.1";
      c.smtpPort = smtp_.port();
      c.supportDefaultAddress = "support@sas.test";
      if (adjust) adjust(c);
    });
    platform_->addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  }

  int port() { return platform_->port(); }
  ManualClock& clock() { return platform_->clock(); }

  /// A visitor opens the form and sends it with this email, from this address.
  Page send(const std::string& email, const std::string& from = "127.0.0.1",
            const std::vector<FilePart>& files = {}) {
    Browser b(port());
    auto form = b.get("/assistance");
    EXPECT_EQ(form.status, 200);
    return postMultipart(b, port(), "/assistance", filledAssistanceForm(form.body, email), files,
                         from);
  }

  int rows(const std::string& sql) {
    storage::Connection c(platform_->platform().database());
    int n = 0;
    c.sql() << sql, soci::into(n);
    return n;
  }

  SmtpSink smtp_;
  std::unique_ptr<TestPlatform> platform_;
};

TEST_F(SupportSecurityTest, OneTypedEmailSendsItsQuotaThenWaitsForTheWindow) {
  start([](config::Config& c) {
    c.supportMaxPerEmail = 2;
    c.supportMaxPerAddress = 100;
    c.supportLimitWindowMinutes = 60;
  });
  EXPECT_EQ(send("camille@example.fr").status, 303);
  clock().advance(std::chrono::seconds{60});
  EXPECT_EQ(send("camille@example.fr").status, 303);  // the N-th is taken

  auto refused = send("camille@example.fr");  // the N+1-th is not
  ASSERT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("Vous pourrez envoyer celle-ci dans 59 minutes."), std::string::npos);
  EXPECT_EQ(refused.headers["Retry-After"], "3540");
  // The form keeps what was typed.
  EXPECT_NE(refused.body.find("value=\"Martin\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"camille@example.fr\""), std::string::npos);
  EXPECT_NE(refused.body.find("Je ne vois pas mes disponibilités de mardi."), std::string::npos);
  EXPECT_NE(refused.body.find("<option value=\"disponibilites\" selected>"), std::string::npos);
  // Nothing stored, nothing sent; from another address the same email is refused too.
  EXPECT_EQ(rows("SELECT COUNT(*) FROM support_requests"), 2);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM outbox"), 4);
  EXPECT_EQ(send("camille@example.fr", "127.0.0.2").status, 429);
  EXPECT_EQ(send("dominique@example.fr").status, 303);  // another email is free

  // The first request leaves the window one hour after it was sent: not a second earlier.
  clock().advance(std::chrono::seconds{3600 - 60 - 1});
  auto stillRefused = send("camille@example.fr");
  EXPECT_EQ(stillRefused.status, 429);
  EXPECT_EQ(stillRefused.headers["Retry-After"], "1");
  clock().advance(std::chrono::seconds{1});
  EXPECT_EQ(send("camille@example.fr").status, 303);
  EXPECT_EQ(send("camille@example.fr").status, 429);  // the second is still in the window
}

TEST_F(SupportSecurityTest, OneClientAddressSendsItsQuotaWhateverTheEmailsTyped) {
  start([](config::Config& c) {
    c.supportMaxPerEmail = 100;
    c.supportMaxPerAddress = 3;
    c.supportLimitWindowMinutes = 10;
  });
  EXPECT_EQ(send("a@example.fr").status, 303);
  EXPECT_EQ(send("b@example.fr").status, 303);
  EXPECT_EQ(send("c@example.fr").status, 303);
  auto refused = send("d@example.fr");
  ASSERT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("dans 10 minutes"), std::string::npos);
  EXPECT_EQ(send("d@example.fr", "127.0.0.3").status, 303);  // another address is free
  clock().advance(std::chrono::seconds{599});
  EXPECT_EQ(send("e@example.fr").status, 429);
  clock().advance(std::chrono::seconds{1});
  EXPECT_EQ(send("e@example.fr").status, 303);
}

TEST_F(SupportSecurityTest, ABurstOfParallelRequestsCannotPassTheQuotaTogether) {
  start([](config::Config& c) {
    c.supportMaxPerEmail = 3;
    c.supportMaxPerAddress = 100;
  });
  constexpr int kVisitors = 8;
  std::vector<std::unique_ptr<Browser>> browsers;
  std::vector<Form> forms;
  for (int i = 0; i < kVisitors; ++i) {
    browsers.push_back(std::make_unique<Browser>(port()));
    forms.push_back(filledAssistanceForm(browsers.back()->get("/assistance").body, "cible@a.fr"));
  }
  std::atomic<int> taken{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kVisitors; ++i)
    threads.emplace_back([&, i] {
      const auto status = postMultipart(*browsers[static_cast<std::size_t>(i)], port(),
                                        "/assistance", forms[static_cast<std::size_t>(i)], {})
                              .status;
      (status == 303 ? taken : status == 429 ? refused : other)++;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(taken.load(), 3);
  EXPECT_EQ(refused.load(), kVisitors - 3);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM support_requests"), 3);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM outbox WHERE recipient = 'cible@a.fr'"), 3);
}

TEST_F(SupportSecurityTest, TheAcknowledgementCarriesNoneOfTheVisitorsText) {
  start();
  Browser b(port());
  auto form = b.get("/assistance");
  auto fields = filledAssistanceForm(form.body, "victime@example.fr");
  const std::map<std::string, std::string> typed{
      {"nom", "Achetez-Zorglub"},
      {"prenom", "https://arnaque.example/promo"},
      {"telephone", "06 99 88 77 66"},
      {"message", "Gagnez 1000 euros sur https://arnaque.example/gain"}};
  for (auto& [k, v] : fields)
    if (typed.count(k)) v = typed.at(k);
  auto r = postMultipart(b, port(), "/assistance", fields,
                         {{"offre-speciale-arnaque.png", sampleFile("capture.png").content}});
  ASSERT_EQ(r.status, 303) << r.body;
  const auto reference = referenceOf(r);
  EXPECT_EQ(platform_->platform().deliverMail(), 2);
  const auto acks = smtp_.messagesTo("victime@example.fr");
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_NE(acks[0].find(reference), std::string::npos);
  EXPECT_NE(acks[0].find("Les disponibilit"), std::string::npos);  // the subject's label
  for (const auto& [field, text] : typed) EXPECT_EQ(acks[0].find(text), std::string::npos) << field;
  for (const char* text : {"Zorglub", "arnaque", "06 99 88 77 66", "offre-speciale"})
    EXPECT_EQ(acks[0].find(text), std::string::npos) << text;
  // The support team gets all of it.
  const auto routed = smtp_.messagesTo("support@sas.test");
  ASSERT_EQ(routed.size(), 1u);
  for (const char* text : {"Achetez-Zorglub", "Gagnez 1000 euros", "offre-speciale-arnaque.png"})
    EXPECT_NE(routed[0].find(text), std::string::npos) << text;
}

TEST_F(SupportSecurityTest, BodyAndFilesAreDeletedWhenTheRetentionEndsToTheSecond) {
  start([](config::Config& c) { c.supportRetentionDays = 90; });
  const auto sentAt = clock().now();
  const auto pdf = sampleFile("capture.pdf");
  ASSERT_EQ(send("ancien@example.fr", "127.0.0.1", {pdf}).status, 303);
  clock().advance(std::chrono::hours{24});
  ASSERT_EQ(send("recent@example.fr", "127.0.0.1", {sampleFile("capture.png")}).status, 303);
  const auto end = sentAt + std::chrono::hours{24 * 90};
  clock().set(end - std::chrono::seconds{1});
  EXPECT_EQ(platform_->platform().purgeSupportRequests(), 0);
  Browser admin(port());
  admin.login("admin@sas.test", kPassword);
  EXPECT_EQ(admin.get("/support/1/fichiers/1").body, pdf.content);
  EXPECT_NE(admin.get("/support").body.find("ancien@example.fr"), std::string::npos);

  clock().set(end + std::chrono::seconds{1});
  EXPECT_EQ(platform_->platform().purgeSupportRequests(), 1);
  admin.login("admin@sas.test", kPassword);  // the session of a second ago has not ended
  EXPECT_EQ(admin.get("/support/1/fichiers/1").status, 404);
  const auto list = admin.get("/support").body;
  EXPECT_EQ(list.find("ancien@example.fr"), std::string::npos);
  EXPECT_EQ(count(list, "Je ne vois pas mes disponibilités de mardi."), 1u);
  EXPECT_NE(list.find("au terme de leur durée de conservation"), std::string::npos);
  EXPECT_NE(list.find("recent@example.fr"), std::string::npos);  // a day younger: kept
  EXPECT_EQ(admin.get("/support/2/fichiers/1").status, 200);
  // In the database: the reference and the subject stay; what the visitor typed and sent goes.
  EXPECT_EQ(rows("SELECT COUNT(*) FROM support_requests WHERE id = 1 AND email = '' AND "
                 "last_name = '' AND first_name = '' AND phone = '' AND message = '' AND "
                 "client_address = '' AND purged_at IS NOT NULL AND reference <> ''"),
            1);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM support_attachments WHERE request_id = 1"), 0);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM support_attachments WHERE request_id = 2"), 1);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM outbox_attachments WHERE support_file IS NOT NULL"), 1);
  EXPECT_EQ(platform_->platform().purgeSupportRequests(), 0);  // once
}

TEST_F(SupportSecurityTest, AnotherServerProcessServesAndSendsTheFiles) {
  start();
  const auto pdf = sampleFile("capture.pdf");
  ASSERT_EQ(send("camille@example.fr", "127.0.0.1", {pdf}).status, 303);

  // A second process on the same database, with folders of its own (another machine).
  auto config = platform_->config();
  const auto elsewhere = std::filesystem::temp_directory_path() /
                         ("sas-second-" + std::to_string(std::random_device{}()));
  config.mailDir = elsewhere / "mailbox";
  Platform second(config, &clock());
  second.startServer();
  Browser admin(second.port());
  admin.login("admin@sas.test", kPassword);
  auto file = admin.get("/support/1/fichiers/1");
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, pdf.content);
  EXPECT_EQ(file.headers["Content-Type"], "application/pdf");
  // Its outbox sender sends the request with the file.
  EXPECT_EQ(second.deliverMail(), 2);
  const auto routed = smtp_.messagesTo("support@sas.test");
  ASSERT_EQ(routed.size(), 1u);
  EXPECT_NE(routed[0].find(mailBase64(pdf.content.substr(0, 48))), std::string::npos);
  second.stopServer();
  std::error_code ec;
  std::filesystem::remove_all(elsewhere, ec);
}

// docs/deploy.md, read as systemd and the code would: every place the process writes lies in a
// folder that the unit leaves writable.
std::string fencedBlockAfter(const std::string& doc, const std::string& marker) {
  const auto at = doc.find(marker);
  if (at == std::string::npos) return "";
  const auto open = doc.find("```\n", at);
  const auto close = doc.find("\n```", open + 4);
  if (open == std::string::npos || close == std::string::npos) return "";
  return doc.substr(open + 4, close - open - 4);
}

std::multimap<std::string, std::string> unitSettings(const std::string& unit) {
  std::multimap<std::string, std::string> out;
  std::istringstream in(unit);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || line[0] == '[' || eq == std::string::npos) continue;
    out.emplace(line.substr(0, eq), line.substr(eq + 1));
  }
  return out;
}

bool inside(const std::filesystem::path& p, const std::filesystem::path& dir) {
  const auto rel = p.lexically_normal().lexically_relative(dir.lexically_normal());
  return !rel.empty() && *rel.begin() != "..";
}

TEST(DeployUnit, TheDocumentedServiceMayWriteEverywhereTheCodeWrites) {
  const auto doc = readBytes(std::filesystem::path(SAS_SOURCE_DIR) / "docs/deploy.md");
  const auto unit = unitSettings(fencedBlockAfter(doc, "`/etc/systemd/system/sas.service`:"));
  ASSERT_FALSE(unit.empty()) << "no unit in docs/deploy.md";
  auto one = [&](const std::string& key) {
    auto it = unit.find(key);
    return it == unit.end() ? std::string() : it->second;
  };
  ASSERT_EQ(one("ProtectSystem"), "strict");
  EXPECT_EQ(one("User"), "sas");
  EXPECT_EQ(one("ExecStart"), "/opt/sas/bin/sas serve --config /etc/sas/sas.properties");
  // Folders writable under ProtectSystem=strict: ReadWritePaths, and /var/lib/<StateDirectory>.
  std::vector<std::filesystem::path> writable;
  for (auto [it, end] = unit.equal_range("ReadWritePaths"); it != end; ++it)
    writable.emplace_back(it->second);
  if (!one("StateDirectory").empty()) writable.push_back("/var/lib/" + one("StateDirectory"));
  auto writableDir = [&](const std::filesystem::path& p) {
    for (const auto& w : writable)
      if (p == w || inside(p, w)) return true;
    return false;
  };
  // Uploads are streamed to the temporary folder: /tmp is read-only unless private.
  EXPECT_EQ(one("PrivateTmp"), "true") << "uploads in progress are written to /tmp";
  // Relative paths resolve against the working directory (/ when the unit sets none).
  const std::filesystem::path cwd = one("WorkingDirectory").empty() ? "/" : one("WorkingDirectory");
  EXPECT_TRUE(writableDir(cwd)) << cwd;
  EXPECT_TRUE(std::filesystem::path(one("StateDirectory")).is_relative());

  // The documented properties, loaded by the real configuration reader.
  const auto props = fencedBlockAfter(doc, "write them absolute in `/etc/sas/sas.properties`:");
  ASSERT_FALSE(props.empty());
  const auto file = std::filesystem::temp_directory_path() /
                    ("sas-deploy-" + std::to_string(std::random_device{}()) + ".properties");
  std::ofstream(file) << props;
  const auto c = config::loadConfig(file.string(), {{"SAS_ROOT", SAS_SOURCE_DIR}});
  std::filesystem::remove(file);
  auto resolved = [&](const std::filesystem::path& p) { return p.is_absolute() ? p : cwd / p; };
  // The SQLite file and its -wal/-shm beside it: the folder must be writable.
  ASSERT_EQ(c.databaseUrl.rfind("sqlite:", 0), 0u);
  const auto database = resolved(c.databaseUrl.substr(7));
  EXPECT_TRUE(database.is_absolute()) << database;
  EXPECT_TRUE(writableDir(database.parent_path())) << database;
  // The mailbox of mail.transport = file (created by the process).
  EXPECT_TRUE(c.mailDir.is_absolute()) << c.mailDir;
  EXPECT_TRUE(writableDir(resolved(c.mailDir))) << c.mailDir;
}

}  // namespace
}  // namespace sas::test
