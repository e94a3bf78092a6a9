// Issue 12, the defences that live in the transport, replayed against the real server: the
// client's address behind a trusted proxy, the request log and the 500 page's reference,
// malformed %-encoding and UTF-8, HSTS, the Authorization scheme, Content-Length, /metrics,
// and the CSP's form-action for Pro Santé Connect's logout.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include <soci/soci.h>
#include "app/search_service.hpp"
#include "http/log.hpp"
#include "storage/database.hpp"
#include "support/raw_socket.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using namespace std::chrono_literals;

const char* const kPassword = "Correct-Horse-42!";

RawResponse rawGet(int port, const std::string& target, const std::string& extraHeaders = "") {
  RawSocket s(port);
  s.send("GET " + target + " HTTP/1.1\r\nHost: sas.test\r\n" + extraHeaders + "\r\n");
  auto r = s.response();
  return r ? *r : RawResponse{};
}

TEST(TransportSecurity, MalformedEncodingAnywhereIs400WithAFrenchPage) {
  TestPlatform t(parisTime(2026, 3, 4, 10));
  for (const std::string target :
       {"/connexion?suite=%zz", "/connexion?suite=%", "/connexion?suite=%FF",
        "/connexion?suite=%C3%28", "/recherche?adresse=%E9", "/lieux/%ZZ/agenda",
        "/lieux/%FF/agenda", "/connexion?%C0%AF=1"}) {
    auto r = rawGet(t.port(), target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_NE(r.body.find("Demande invalide"), std::string::npos) << target;
  }
  // Well-formed UTF-8 still goes through.
  EXPECT_EQ(rawGet(t.port(), "/connexion?suite=%2Fr%C3%A9sum%C3%A9").status, 200);

  Browser b(t.port());
  b.get("/connexion");
  // A form body with a bad escape, then with Latin-1 instead of UTF-8.
  for (const std::string body : {"email=a%zz&password=x&csrf=", "email=%E9t%E9&password=x&csrf="}) {
    RawSocket s(t.port());
    const std::string full = body + b.csrf();
    s.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\nCookie: sas_csrf=" +
           b.cookies()["sas_csrf"] +
           "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
           std::to_string(full.size()) + "\r\n\r\n" + full);
    auto r = s.response();
    ASSERT_TRUE(r) << body;
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_NE(r->body.find("Demande invalide"), std::string::npos);
  }
  // A multipart field that is not UTF-8.
  const std::string multipart =
      "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + b.csrf() +
      "\r\n--b\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n\xE9t\xE9\r\n--b--\r\n";
  RawSocket s(t.port());
  s.send(
      "POST /assistance HTTP/1.1\r\nHost: sas.test\r\nCookie: sas_csrf=" + b.cookies()["sas_csrf"] +
      "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " +
      std::to_string(multipart.size()) + "\r\n\r\n" + multipart);
  auto r = s.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST(TransportSecurity, ABadContentLengthIs400) {
  TestPlatform t(parisTime(2026, 3, 4, 10));
  for (const std::string length : {"abc", "-1", "1 2", "0x10"}) {
    RawSocket s(t.port());
    s.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\nContent-Length: " + length + "\r\n\r\n");
    auto r = s.response();
    ASSERT_TRUE(r) << length;
    EXPECT_EQ(r->status, 400) << length;
    EXPECT_TRUE(s.closedWithin(5s));
  }
}

TEST(TransportSecurity, StrictTransportSecurityOnlyWithSecureCookies) {
  {
    TestPlatform plain(parisTime(2026, 3, 4, 10));
    auto r = rawGet(plain.port(), "/connexion");
    EXPECT_EQ(r.headers.count("strict-transport-security"), 0u);
  }
  TestPlatform secure(parisTime(2026, 3, 4, 10), [](config::Config& c) { c.secureCookies = true; });
  auto r = rawGet(secure.port(), "/connexion");
  EXPECT_EQ(r.headers["strict-transport-security"], "max-age=31536000; includeSubDomains");
  EXPECT_NE(r.headers["set-cookie"].find("; Secure"), std::string::npos);
}

TEST(TransportSecurity, TheAuthorizationSchemeIsCaseInsensitive) {
  TestPlatform t(parisTime(2026, 3, 4, 10));
  t.addUser("regulateur@sas.test", kPassword, app::Role::Regulator, {});
  auto created = t.platform().apiTokens().create("Logiciel");
  ASSERT_TRUE(created.ok());
  const std::string token = *created.value;
  for (const std::string scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR  "}) {
    auto r = rawGet(t.port(), "/api/v1/search?adresse=75016",
                    "Authorization: " + scheme + token + "\r\n");
    EXPECT_EQ(r.status, 200) << scheme;
  }
  for (const std::string& wrong :
       {"Basic " + token, std::string("Bearer"), "Bearer " + token + "x", token}) {
    auto r = rawGet(t.port(), "/api/v1/search?adresse=75016", "Authorization: " + wrong + "\r\n");
    EXPECT_EQ(r.status, 401) << wrong;
  }
}

TEST(TransportSecurity, MetricsAnswerOnlyTheAllowedAddresses) {
  {
    TestPlatform t(parisTime(2026, 3, 4, 10));  // default: loopback
    EXPECT_EQ(rawGet(t.port(), "/metrics").status, 200);
    // A forwarded address from an untrusted peer changes nothing.
    EXPECT_EQ(rawGet(t.port(), "/metrics", "X-Forwarded-For: 203.0.113.5\r\n").status, 200);
  }
  {
    TestPlatform t(parisTime(2026, 3, 4, 10),
                   [](config::Config& c) { c.metricsAllow = "10.0.0.0/8"; });
    EXPECT_EQ(rawGet(t.port(), "/metrics").status, 404);
    EXPECT_EQ(rawGet(t.port(), "/healthz").status, 200);  // the rest is unchanged
  }
  // Behind a trusted proxy on loopback, the client is the forwarded address: refused.
  TestPlatform t(parisTime(2026, 3, 4, 10),
                 [](config::Config& c) { c.trustedProxies = "127.0.0.1"; });
  EXPECT_EQ(rawGet(t.port(), "/metrics", "X-Forwarded-For: 203.0.113.5\r\n").status, 404);
  EXPECT_EQ(rawGet(t.port(), "/metrics", "X-Forwarded-For: 127.0.0.1\r\n").status, 200);
}

/// The address the platform recorded for the last failed login.
std::string lastFailureAddress(TestPlatform& t) {
  storage::Connection c(t.platform().database());
  std::string address;
  c.sql() << "SELECT client_address FROM login_failures ORDER BY at DESC, client_address "
             "LIMIT 1",
      soci::into(address);
  return address;
}

/// A login POST as it reaches the server from a proxy that says the client is `forwardedFor`.
RawResponse loginFrom(TestPlatform& t, const std::string& forwardedFor, const std::string& email,
                      const std::string& password) {
  Browser b(t.port());
  b.get("/connexion");
  const std::string body =
      encodeForm({{"email", email}, {"password", password}, {"csrf", b.csrf()}});
  RawSocket s(t.port());
  s.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\nCookie: sas_csrf=" +
         b.cookies()["sas_csrf"] + "\r\nX-Forwarded-For: " + forwardedFor +
         "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body);
  auto r = s.response();
  return r ? *r : RawResponse{};
}

void failLogin(TestPlatform& t, const std::string& forwardedFor) {
  EXPECT_EQ(loginFrom(t, forwardedFor, "camille@sas.test", "Wrong-Horse-42!").status, 422);
}

TEST(TransportSecurity, TheForwardedAddressCountsOnlyFromTrustedProxies) {
  {
    TestPlatform t(parisTime(2026, 3, 4, 10));
    t.addManager("camille@sas.test", kPassword, {});
    failLogin(t, "198.51.100.7");
    EXPECT_EQ(lastFailureAddress(t), "127.0.0.1");  // anyone may send the header: ignored
  }
  TestPlatform t(parisTime(2026, 3, 4, 10),
                 [](config::Config& c) { c.trustedProxies = "127.0.0.0/8"; });
  t.addManager("camille@sas.test", kPassword, {});
  failLogin(t, "6.6.6.6, 198.51.100.7");  // the left part was forged by the client
  EXPECT_EQ(lastFailureAddress(t), "198.51.100.7");
}

// Today's incident: 10 failed logins from one client locked every user behind nginx out.
TEST(TransportSecurity, AClientBlockedBehindTheProxyLeavesEveryOtherClientFree) {
  TestPlatform t(parisTime(2026, 3, 4, 10),
                 [](config::Config& c) { c.trustedProxies = "127.0.0.0/8"; });
  t.addManager("camille@sas.test", kPassword, {});
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(loginFrom(t, "198.51.100.7", "x" + std::to_string(i) + "@sas.test", kPassword).status,
              422);
  const auto blocked = loginFrom(t, "198.51.100.7", "camille@sas.test", kPassword);
  EXPECT_EQ(blocked.status, 429);
  EXPECT_NE(blocked.body.find("Trop de tentatives depuis cette adresse"), std::string::npos);
  // Another client behind the same proxy logs in.
  EXPECT_EQ(loginFrom(t, "203.0.113.9", "camille@sas.test", kPassword).status, 303);
}

TEST(TransportSecurity, AnUntrustedPeerIsThrottledByItsOwnAddressWhateverItForwards) {
  TestPlatform t(parisTime(2026, 3, 4, 10));
  t.addManager("camille@sas.test", kPassword, {});
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(loginFrom(t, "198.51.100." + std::to_string(i), "x" + std::to_string(i) + "@sas.test",
                        kPassword)
                  .status,
              422);
  // A new forwarded address changes nothing: the peer itself is blocked.
  EXPECT_EQ(loginFrom(t, "203.0.113.9", "camille@sas.test", kPassword).status, 429);
}

/// Standard error, redirected to a file while it lives.
class CapturedStandardError {
 public:
  CapturedStandardError() {
    char name[] = "/tmp/sas-stderr-XXXXXX";
    const int fd = ::mkstemp(name);
    path_ = name;
    http::flushLog();  // lines logged before belong to the real standard error
    std::fflush(stderr);
    saved_ = ::dup(2);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~CapturedStandardError() {
    restore();
    std::remove(path_.c_str());
  }
  std::string text() {
    restore();
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    http::flushLog();  // the server's request lines are written in batches
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }
  std::string path_;
  int saved_ = -1;
};

TEST(TransportSecurity, EveryRequestIsLoggedAndThe500ReferenceIsInTheLog) {
  TestPlatform t(parisTime(2026, 3, 4, 10));
  auto [structure, place] = t.addCentre("Centre");
  t.addManager("camille@sas.test", kPassword, {structure});
  Browser b(t.port());
  ASSERT_EQ(b.login("camille@sas.test", kPassword).status, 303);
  {
    storage::Connection c(t.platform().database());
    c.sql() << "DROP TABLE unavailability_periods";  // the agenda page can no longer be read
  }
  CapturedStandardError captured;
  auto failed = b.get("/lieux/" + std::to_string(place) + "/agenda?semaine=2026-03-02");
  rawGet(t.port(), "/connexion?secret=do-not-log");
  const std::string log = captured.text();
  ASSERT_EQ(failed.status, 500);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(failed.body, m,
                                std::regex("référence <strong>([A-HJ-NP-Z2-9]{8})</strong>")));
  const std::string reference = m[1];
  EXPECT_NE(log.find("reference=" + reference), std::string::npos) << log;
  EXPECT_NE(log.find("msg=request method=GET path=/lieux/" + std::to_string(place) +
                     "/agenda status=500"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("msg=request method=GET path=/connexion status=200 duration_ms="),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("do-not-log"), std::string::npos);  // no query strings in the logs
  EXPECT_NE(log.find("client=127.0.0.1 request_id="), std::string::npos);
}

TEST(TransportSecurity, FormsMayPostToProSanteConnectsOriginAndNowhereElse) {
  {
    TestPlatform t(parisTime(2026, 3, 4, 10));
    auto r = rawGet(t.port(), "/connexion");
    EXPECT_NE(r.headers["content-security-policy"].find("form-action 'self'"), std::string::npos);
    EXPECT_TRUE(r.headers["content-security-policy"].ends_with("form-action 'self'"));
  }
  TestPlatform t(parisTime(2026, 3, 4, 10), [](config::Config& c) {
    c.pscIssuer = "https://auth.psc.test:8443/auth/realms/esante-wallet";
    c.pscClientId = "sas";
  });
  auto r = rawGet(t.port(), "/connexion");
  const auto csp = r.headers["content-security-policy"];
  EXPECT_TRUE(csp.ends_with("form-action 'self' https://auth.psc.test:8443")) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
}

}  // namespace
}  // namespace sas::test
