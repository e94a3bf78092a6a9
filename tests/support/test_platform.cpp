#include "support/test_platform.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cstdlib>
#include <random>
#include <regex>
#include <sstream>

#include <soci/soci.h>
#include "config/config.hpp"
#include "security/sodium.hpp"
#include "storage/account_store.hpp"
#include "storage/database.hpp"

namespace sas::test {

domain::Instant parisTime(int y, unsigned m, unsigned d, int hour, int minute) {
  const auto* zone = domain::findZone("Europe/Paris");
  const domain::Day day = date::year_month_day{date::year{y}, date::month{m}, date::day{d}};
  return domain::localToInstant(*zone, day, hour * 60 + minute);
}

TestPlatform::TestPlatform(domain::Instant now, std::function<void(config::Config&)> adjust)
    : clock_(now) {
  std::random_device rd;
  dir_ = std::filesystem::temp_directory_path() / ("sas-test-" + std::to_string(rd()));
  std::filesystem::create_directories(dir_);
  try {
    start(rd, adjust);
  } catch (...) {
    cleanUp();
    throw;
  }
}

void TestPlatform::start(std::random_device& rd,
                         const std::function<void(config::Config&)>& adjust) {
  auto& c = config_;
  c.port = 0;
  c.workers = 8;
  c.databaseUrl = "sqlite:" + (dir_ / "sas.sqlite").string();
  // The same tests on PostgreSQL (ctest's "postgres:" copies): each test in a schema of its own
  // on the server that scripts/test started.
  if (const char* use = std::getenv("SAS_TEST_USE_POSTGRES"); use && std::string(use) == "1") {
    const char* url = std::getenv("SAS_TEST_POSTGRES_URL");
    if (!url || !*url)
      throw std::runtime_error(
          "PostgreSQL tests skipped: SAS_TEST_POSTGRES_URL is not set (scripts/test starts a "
          "server and sets it)");
    schema_ = "t" + std::to_string(rd()) + std::to_string(rd());
    storage::Database admin(url, 1);
    storage::Connection conn(admin);
    conn.sql() << ("CREATE SCHEMA " + schema_);
    postgresUrl_ = url;
    c.databaseUrl = std::string(url) + "?options=-csearch_path%3D" + schema_;
  }
  c.databasePoolSize = 4;
  c.root = SAS_SOURCE_DIR;
  c.passwordHashing = "minimal";
  c.baseUrl = "http://sas.test";
  c.mailTransport = "file";
  c.mailDir = dir_ / "mailbox";
  c.backgroundJobs = false;
  if (adjust) adjust(c);
  platform_ = std::make_unique<Platform>(c, &clock_);
  platform_->startServer();
}

void TestPlatform::restart() {
  platform_.reset();
  platform_ = std::make_unique<Platform>(config_, &clock_);
  platform_->startServer();
}

std::int64_t TestPlatform::addUser(const std::string& email, const std::string& password,
                                   app::Role role, const std::vector<std::int64_t>& structures,
                                   std::optional<std::int64_t> territory) {
  app::User u{0, email, "Alex", "Durand", role, platform_->hasher().hash(password), false};
  u.territoryId = territory;
  u.termsAccepted = true;  // an account in use; a new one accepts them at its first login
  const auto id = users().create(u, structures, clock_.now());
  if (territory) {
    auto view = u;
    view.id = id;
    platform_->accountStore().updateAccount(view, structures, std::nullopt, std::nullopt,
                                            std::nullopt, {std::nullopt, "test", "", "", ""},
                                            clock_.now());
  }
  return id;
}

TestPlatform::~TestPlatform() {
  cleanUp();
}

void TestPlatform::cleanUp() {
  platform_.reset();
  if (!schema_.empty()) {
    try {
      storage::Database admin(postgresUrl_, 1);
      storage::Connection conn(admin);
      conn.sql() << "SET client_min_messages TO WARNING";
      conn.sql() << ("DROP SCHEMA " + schema_ + " CASCADE");
    } catch (...) {  // a leftover schema in a throwaway cluster harms nobody
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string TestPlatform::baseUrl() const {
  return "http://127.0.0.1:" + std::to_string(platform_->port());
}

std::int64_t TestPlatform::addManager(const std::string& email, const std::string& password,
                                      const std::vector<std::int64_t>& structures) {
  app::User u{0,
              email,
              "Camille",
              "Martin",
              app::Role::StructureManager,
              platform_->hasher().hash(password),
              false};
  u.termsAccepted = true;  // an account in use; a new one accepts them at its first login
  return users().create(u, structures, clock_.now());
}

std::int64_t TestPlatform::addTerritory(const std::string& name,
                                        const std::vector<std::string>& departements) {
  return platform_->accountStore().createTerritory(
      {0, name, departements}, {std::nullopt, "test", "", "", ""}, clock_.now());
}

std::pair<std::int64_t, std::int64_t> TestPlatform::addCentre(const std::string& name) {
  app::Structure s{0, name, "Centre de santé", "", "", "01 00 00 00 00", "75", {}};
  const auto sid = structures().createStructure(s);
  const auto pid =
      structures().createPlace({0, sid, "", "81 Rue Michel-Ange", "75016", "Paris", "75116",
                                48.8447, 2.263, "Europe/Paris", "01 00 00 00 00"});
  return {sid, pid};
}

std::string encodeForm(const Form& form) {
  std::string body;
  for (const auto& [k, v] : form) {
    std::string ek, ev;
    Poco::URI::encode(k, "&=+%#?/ ", ek);
    Poco::URI::encode(v, "&=+%#?/ ", ev);
    if (!body.empty()) body += '&';
    body += ek + '=' + ev;
  }
  return body;
}

Page exchange(const std::string& host, int port, const std::string& method,
              const std::string& target, const std::string& body,
              std::map<std::string, std::string>& jar) {
  Poco::Net::HTTPClientSession session(host, static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  Poco::Net::NameValueCollection cookies;
  for (const auto& [k, v] : jar) cookies.add(k, v);
  if (!jar.empty()) request.setCookies(cookies);
  if (method == "POST") {
    request.setContentType("application/x-www-form-urlencoded");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
  } else {
    session.sendRequest(request);
  }
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Page page;
  page.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, page.body);
  for (const auto& [k, v] : response) {
    auto& h = page.headers[k];
    h += (h.empty() ? "" : "\n") + v;  // Set-Cookie comes once a cookie
  }
  page.location = response.get("Location", "");
  std::vector<Poco::Net::HTTPCookie> set;
  response.getCookies(set);
  for (const auto& c : set) {
    if (c.getMaxAge() == 0)
      jar.erase(c.getName());
    else
      jar[c.getName()] = c.getValue();
  }
  return page;
}

Page Browser::send(const std::string& method, const std::string& path, const std::string& body) {
  Page page = exchange("127.0.0.1", port_, method, path, body, cookies_);
  static const std::regex csrfField(R"(name="csrf" value="([^"]+)\")");
  std::smatch m;
  if (std::regex_search(page.body, m, csrfField)) csrf_ = m[1];
  return page;
}

Page Browser::get(const std::string& path) {
  return send("GET", path, "");
}

Page Browser::post(const std::string& path, Form form) {
  bool has = false;
  for (const auto& [k, v] : form) has = has || k == "csrf";
  if (!has) form.emplace_back("csrf", csrf_);
  return send("POST", path, encodeForm(form));
}

Page Browser::postRaw(const std::string& path, const Form& form) {
  return send("POST", path, encodeForm(form));
}

Page Browser::postAnnouncing(const std::string& path, std::streamsize length) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  Poco::Net::HTTPRequest request("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType("application/x-www-form-urlencoded");
  request.setContentLength(length);
  session.sendRequest(request).flush();
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Page page;
  page.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, page.body);
  return page;
}

Page Browser::login(const std::string& email, const std::string& password) {
  get("/connexion");
  return post("/connexion", {{"email", email}, {"password", password}});
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

}  // namespace sas::test
