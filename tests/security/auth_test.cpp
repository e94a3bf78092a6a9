// Issue 12, items 1–3, replayed against the real server: where a login may send the browser,
// the per-address limit and what it says, and password hashing under load.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <future>
#include <latch>
#include <thread>

#include "app/auth_service.hpp"
#include "http/login_redirect.hpp"
#include "security/hashing_pool.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";
const char* const kWrong = "Wrong-Horse-42!";
const std::string kThrottled = "Trop de tentatives depuis cette adresse.";
const std::string kRefused = "Adresse électronique ou mot de passe incorrect.";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// A Location the browser follows on this site and that cannot have split the header.
void expectStaysOnSite(const Page& page, const std::string& payload) {
  const std::string& to = page.location;
  ASSERT_FALSE(to.empty()) << payload;
  EXPECT_EQ(to[0], '/') << payload;
  if (to.size() > 1) {
    EXPECT_NE(to[1], '/') << payload;
    EXPECT_NE(to[1], '\\') << payload;
  }
  for (unsigned char c : to) {
    EXPECT_TRUE(c > 0x20 && c < 0x7f && c != '\\') << payload << " gave byte " << int(c);
  }
  for (const char* escape : {"%0d", "%0a", "%09", "%00", "%5c", "%250"})
    EXPECT_EQ(lower(to).find(escape), std::string::npos) << payload;
  for (const auto& [name, value] : page.headers) {
    EXPECT_EQ(lower(name).find("injected"), std::string::npos) << payload;
    EXPECT_EQ(lower(value).find("injected"), std::string::npos) << payload;
  }
}

// Open redirects, header splitting, encodings and oddities (at least 50, issue 12 item 1).
const std::vector<std::string>& hostilePayloads() {
  static const std::vector<std::string> p{
      "//evil.example",
      "///evil.example",
      "////evil.example/",
      "/\\evil.example",
      "\\/evil.example",
      "\\\\evil.example",
      "/\t/evil.example/",
      "/%09/evil.example/",
      "\t//evil.example",
      "/%0d%0aSet-Cookie:%20injected=1",
      "/\r\nSet-Cookie: injected=1",
      "/%0D%0AX-Injected:%201",
      "/\nX-Injected: 1",
      "/\rX-Injected: 1",
      "/%0aX-Injected:1",
      "/%0dX-Injected:1",
      "/tableau-de-bord%0d%0aX-Injected:1",
      "/tableau-de-bord\r\nX-Injected: 1",
      "/%250d%250aX-Injected:1",
      "/%25250aX-Injected:1",
      "https://evil.example",
      "http://evil.example/",
      "HTTPS://evil.example",
      "https:evil.example",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "evil.example",
      "tableau-de-bord",
      " /tableau-de-bord",
      "/ /evil.example",
      "%2F%2Fevil.example",
      "/%2F/evil.example",
      "/%2f%2fevil.example",
      "/%5Cevil.example",
      "/%5c%5cevil.example",
      "/%252F%252Fevil.example",
      "/%00",
      "/%00//evil.example",
      std::string("/\0//evil.example", 16),
      "/\x7f",
      "/%7F",
      "/\xe2\x80\xa8//evil.example",
      "/caf\xc3\xa9",
      "//",
      "/\\",
      "\\",
      "",
      "@evil.example",
      ":evil.example",
      "/" + std::string(3000, 'a'),
      "/%",
      "/%zz",
      "/%%",
      "/a%0",
      "%0d%0a",
      "/ ",
      "/\x0b//evil.example",
      "/\x0c//evil.example",
      "/%0b/evil.example",
      "/%1f/evil.example",
      "/\xef\xbc\x8f\xef\xbc\x8f"
      "evil.example",
      "/%E3%80%82//evil.example\r\n",
  };
  return p;
}

class AuthSecurityTest : public ::testing::Test {
 protected:
  explicit AuthSecurityTest(std::function<void(config::Config&)> adjust = nullptr)
      : platform_(parisTime(2026, 3, 4, 10), std::move(adjust)) {
    auto [structure, place] = platform_.addCentre("Centre de santé Michel-Ange");
    platform_.addManager("camille@sas.test", kPassword, {structure});
  }

  Page loginWithSuite(Browser& b, const std::string& suite) {
    b.get("/connexion");
    return b.post("/connexion",
                  {{"email", "camille@sas.test"}, {"password", kPassword}, {"suite", suite}});
  }

  TestPlatform platform_;
};

TEST_F(AuthSecurityTest, HostileSuitesNeverLeaveTheSiteNorSplitTheHeader) {
  ASSERT_GE(hostilePayloads().size(), 50u);
  for (const auto& payload : hostilePayloads()) {
    Browser b(platform_.port());
    auto r = loginWithSuite(b, payload);
    ASSERT_EQ(r.status, 303) << payload;
    expectStaysOnSite(r, payload);
    // Already logged in, the login page sends the browser on with the same rule.
    auto again = b.get("/connexion?suite=" + encodeForm({{"", payload}}).substr(1));
    ASSERT_EQ(again.status, 303) << payload;
    expectStaysOnSite(again, payload);
  }
}

TEST_F(AuthSecurityTest, RefusedSuitesGoToTheHomePage) {
  for (const char* payload : {"//evil.example", "/%09/evil.example/", "/%0d%0aX-Injected:1"}) {
    Browser b(platform_.port());
    EXPECT_EQ(loginWithSuite(b, payload).location, "/tableau-de-bord") << payload;
  }
}

TEST_F(AuthSecurityTest, PathsOfThePlatformAreFollowedExactly) {
  for (const char* target :
       {"/compte", "/recherche?adresse=Saint-%C3%89tienne&rayon=10&types=C%2CT",
        "/lieux/1/agenda?semaine=2026-03-02", "/recherche?q=100%25", "/tableau-de-bord#haut"}) {
    Browser b(platform_.port());
    EXPECT_EQ(loginWithSuite(b, target).location, target);
  }
}

TEST_F(AuthSecurityTest, ASearchLinkKeepsItsWholeQueryStringThroughTheLoginPage) {
  const std::string target = "/recherche?adresse=Saint-%C3%89tienne&rayon=10";
  Browser b(platform_.port());
  auto page = b.get(http::loginPageFor(target));
  ASSERT_EQ(page.status, 200);
  // The login form carries the whole target (HTML-escaped), as a browser would send it back.
  EXPECT_NE(page.body.find("name=\"suite\" value=\"/recherche?adresse=Saint-%C3%89tienne&amp;"
                           "rayon=10\""),
            std::string::npos);
  auto r = b.post("/connexion",
                  {{"email", "camille@sas.test"}, {"password", kPassword}, {"suite", target}});
  EXPECT_EQ(r.location, target);
}

// Needs the server's "log in first" redirect to call http::loginPageFor with the request's
// raw target (path and query string): the change is the lead's, in src/http/server.cpp.
TEST_F(AuthSecurityTest, AnUnauthenticatedSearchComesBackWithItsCriteriaAfterLogin) {
  const std::string target = "/recherche?adresse=Saint-%C3%89tienne&rayon=10";
  Browser b(platform_.port());
  auto r = b.get(target);
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.location, http::loginPageFor(target));
}

class AddressThrottleTest : public AuthSecurityTest {
 protected:
  AddressThrottleTest()
      : AuthSecurityTest([](config::Config& c) { c.loginMaxAccountsPerAddress = 3; }) {}
};

TEST_F(AddressThrottleTest, AThrottledAddressIsToldSoNotThatThePasswordIsWrong) {
  Browser b(platform_.port());
  // Successes never count: many logins from this address change nothing.
  for (int i = 0; i < 6; ++i) {
    b.cookies().clear();
    ASSERT_EQ(b.login("camille@sas.test", kPassword).status, 303) << i;
  }
  b.cookies().clear();
  // Two emails failed: the third attempt is still judged on its password.
  EXPECT_EQ(b.login("a@sas.test", kWrong).status, 422);
  EXPECT_EQ(b.login("b@sas.test", kWrong).status, 422);
  auto third = b.login("c@sas.test", kWrong);
  EXPECT_EQ(third.status, 422);
  EXPECT_NE(third.body.find(kRefused), std::string::npos);
  // Three emails failed from this address: the next attempt, even right, is refused for the
  // address, and said so.
  b.get("/connexion");
  auto blocked = b.post("/connexion", {{"email", "camille@sas.test"}, {"password", kPassword}});
  EXPECT_EQ(blocked.status, 429);
  EXPECT_NE(blocked.body.find(kThrottled), std::string::npos);
  EXPECT_EQ(blocked.body.find(kRefused), std::string::npos);
  EXPECT_NE(blocked.body.find("Réessayez dans 15 minutes."), std::string::npos);
  EXPECT_EQ(blocked.headers["Retry-After"], "900");
  EXPECT_NE(blocked.body.find("value=\"camille@sas.test\""), std::string::npos);
  EXPECT_EQ(b.cookies().count("sas_session"), 0u);
  // Free again when the first of the three failures leaves the window.
  platform_.clock().advance(std::chrono::minutes{15} - std::chrono::seconds{1});
  EXPECT_EQ(b.login("camille@sas.test", kPassword).status, 429);
  platform_.clock().advance(std::chrono::seconds{1});
  EXPECT_EQ(b.login("camille@sas.test", kPassword).status, 303);
}

TEST_F(AddressThrottleTest, TheAccountLockKeepsTheGuideWording) {
  Browser b(platform_.port());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(b.login("camille@sas.test", kWrong).status, 422);
  EXPECT_EQ(b.login("camille@sas.test", kPassword).status, 303);  // 4 failures: not locked
  b.cookies().clear();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(b.login("camille@sas.test", kWrong).status, 422);
  auto locked = b.login("camille@sas.test", kPassword);
  EXPECT_EQ(locked.status, 422);
  EXPECT_NE(locked.body.find(kRefused), std::string::npos);
  EXPECT_EQ(locked.body.find(kThrottled), std::string::npos);
}

TEST_F(AddressThrottleTest, OneAddressFailingBlocksThatAddressOnly) {
  auto& auth = platform_.platform().auth();
  using Outcome = app::LoginResult::Outcome;
  const std::string proxyA = "198.51.100.7", proxyB = "203.0.113.9";
  // Address A fails on camille, then on another email: two emails.
  EXPECT_EQ(auth.login("camille@sas.test", kWrong, proxyA).outcome, Outcome::Refused);
  EXPECT_EQ(auth.login("x@sas.test", kWrong, proxyA).outcome, Outcome::Refused);
  // Camille logs in from B: her lock is cleared, but A's count keeps her email.
  EXPECT_EQ(auth.login("camille@sas.test", kPassword, proxyB).outcome, Outcome::LoggedIn);
  EXPECT_EQ(auth.login("y@sas.test", kWrong, proxyA).outcome, Outcome::Refused);
  auto blocked = auth.login("camille@sas.test", kPassword, proxyA);
  EXPECT_EQ(blocked.outcome, Outcome::AddressThrottled);
  EXPECT_EQ(blocked.retryAfter, std::chrono::minutes{15});
  // B is another person: untouched.
  EXPECT_EQ(auth.login("camille@sas.test", kPassword, proxyB).outcome, Outcome::LoggedIn);
}

class HashingLoadTest : public AuthSecurityTest {
 protected:
  explicit HashingLoadTest(int waiting = 1)
      : AuthSecurityTest([waiting](config::Config& c) {
          c.maxConcurrentHashes = 1;
          c.maxWaitingHashes = waiting;
          c.loginMaxAccountsPerAddress = 3;
        }) {}

  /// Holds the pool's only place until `release` counts down.
  std::future<void> holdThePlace(std::latch& release) {
    auto& pool = platform_.platform().hashingPool();
    auto held = std::async(std::launch::async,
                           [&pool, &release] { pool.run([&release] { release.wait(); }); });
    EXPECT_TRUE(waitForLoad(1, 0));
    return held;
  }

  bool waitForLoad(int running, int waiting) {
    const auto& pool = platform_.platform().hashingPool();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    while (std::chrono::steady_clock::now() < deadline) {
      const auto load = pool.load();
      if (load.running == running && load.waiting == waiting) return true;
      std::this_thread::yield();
    }
    return false;
  }
};

TEST_F(HashingLoadTest, BeyondTheQueueALoginGets503WithRetryAfterAndPagesStillAnswer) {
  Browser user(platform_.port());
  ASSERT_EQ(user.login("camille@sas.test", kPassword).status, 303);
  std::latch release(1);
  auto held = holdThePlace(release);
  // One login may wait for the place…
  Browser waiting(platform_.port());
  waiting.get("/connexion");
  const auto csrf = waiting.csrf();
  auto queued = std::async(std::launch::async, [&] {
    return waiting.post("/connexion",
                        {{"email", "camille@sas.test"}, {"password", kPassword}, {"csrf", csrf}});
  });
  ASSERT_TRUE(waitForLoad(1, 1));
  // …the next one is turned away at once.
  Browser late(platform_.port());
  late.get("/connexion");
  auto refused = late.post("/connexion", {{"email", "camille@sas.test"}, {"password", kPassword}});
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.headers["Retry-After"], "1");
  EXPECT_NE(refused.body.find("Service momentanément indisponible"), std::string::npos);
  // Pages need no hashing: they answer while the hashing is full.
  EXPECT_EQ(user.get("/tableau-de-bord").status, 200);
  release.count_down();
  held.get();
  EXPECT_EQ(queued.get().status, 303);
  EXPECT_EQ(late.login("camille@sas.test", kPassword).status, 303);
}

// No queue: a login that hashed would get 503 here instead of hanging the test.
class HashingNoQueueTest : public HashingLoadTest {
 protected:
  HashingNoQueueTest() : HashingLoadTest(0) {}
};

TEST_F(HashingNoQueueTest, WhatTheThrottleRefusesIsRefusedBeforeAnyHashing) {
  Browser b(platform_.port());
  for (const char* email : {"a@sas.test", "b@sas.test", "c@sas.test"})
    EXPECT_EQ(b.login(email, kWrong).status, 422);
  auto& auth = platform_.platform().auth();
  for (int i = 0; i < 5; ++i) auth.login("locked@sas.test", kWrong, "192.0.2.1");
  std::latch release(1);
  auto held = holdThePlace(release);
  // With no place to hash in, a blocked address and a locked account are still answered.
  b.get("/connexion");
  EXPECT_EQ(b.post("/connexion", {{"email", "camille@sas.test"}, {"password", kPassword}}).status,
            429);
  EXPECT_EQ(auth.login("locked@sas.test", kPassword, "192.0.2.1").outcome,
            app::LoginResult::Outcome::Refused);
  EXPECT_EQ(platform_.platform().hashingPool().load().waiting, 0);
  release.count_down();
  held.get();
}

}  // namespace
}  // namespace sas::test
