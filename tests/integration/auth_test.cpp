// Login, sessions, logout, CSRF and the server's safety nets, over real HTTP.
#include <gtest/gtest.h>

#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";

class AuthTest : public ::testing::Test {
 protected:
  AuthTest() : platform_(parisTime(2026, 3, 4, 10)) {
    auto [structure, place] = platform_.addCentre("Centre de santé Michel-Ange");
    platform_.addManager("camille@sas.test", kPassword, {structure});
  }
  TestPlatform platform_;
};

// Every request reads the session, its user and his structures in one statement: none, one, and
// several structures (in id order, whatever order they were linked in) all come back.
TEST_F(AuthTest, ASessionIsReadWithEveryStructureOfItsUser) {
  const auto first = platform_.addCentre("Centre A").first;
  const auto second = platform_.addCentre("Centre B").first;
  const auto none = platform_.addUser("regul@sas.test", kPassword, app::Role::Regulator, {});
  const auto one = platform_.addManager("one@sas.test", kPassword, {second});
  const auto two = platform_.addManager("two@sas.test", kPassword, {second, first});
  const auto now = platform_.clock().now();
  for (auto [digest, user] : {std::pair{"d-none", none}, {"d-one", one}, {"d-two", two}})
    platform_.sessions().create({digest, user, "csrf", now, now});

  const auto readNone = platform_.sessions().findWithUser("d-none");
  ASSERT_TRUE(readNone);
  EXPECT_EQ(readNone->user.id, none);
  EXPECT_EQ(readNone->session.userId, none);
  EXPECT_TRUE(readNone->structureIds.empty());
  const auto readOne = platform_.sessions().findWithUser("d-one");
  ASSERT_TRUE(readOne);
  EXPECT_EQ(readOne->user.email, "one@sas.test");
  EXPECT_EQ(readOne->structureIds, std::vector<std::int64_t>{second});
  const auto readTwo = platform_.sessions().findWithUser("d-two");
  ASSERT_TRUE(readTwo);
  EXPECT_EQ(readTwo->structureIds, (std::vector<std::int64_t>{first, second}));
  EXPECT_EQ(readTwo->structureIds, platform_.users().linkedStructureIds(two));
  EXPECT_FALSE(platform_.sessions().findWithUser("d-unknown"));
}

TEST_F(AuthTest, HomeOffersToLogIn) {
  Browser b(platform_.port());
  auto home = b.get("/");
  EXPECT_EQ(home.status, 200);
  EXPECT_GE(count(home.body, "Se connecter"), 2u);  // header and page centre
  auto login = b.get("/connexion");
  EXPECT_NE(login.body.find("Adresse électronique"), std::string::npos);
  EXPECT_NE(login.body.find("Mot de passe"), std::string::npos);
  EXPECT_NE(login.body.find(">Connexion</button>"), std::string::npos);
  // Capabilities not built yet are not offered as dead links.
  EXPECT_EQ(login.body.find("Pro Santé Connect"), std::string::npos);
}

TEST_F(AuthTest, WrongPasswordAndUnknownEmailGetTheSameAnswer) {
  Browser a(platform_.port()), b(platform_.port());
  auto wrongPassword = a.login("camille@sas.test", "Wrong-Horse-42!");
  auto unknownEmail = b.login("personne@sas.test", kPassword);
  EXPECT_EQ(wrongPassword.status, 422);
  EXPECT_EQ(unknownEmail.status, 422);
  const std::string message = "Adresse électronique ou mot de passe incorrect.";
  EXPECT_NE(wrongPassword.body.find(message), std::string::npos);
  EXPECT_NE(unknownEmail.body.find(message), std::string::npos);
  EXPECT_EQ(a.cookies().count("sas_session"), 0u);
  // The email typed stays in the form.
  EXPECT_NE(wrongPassword.body.find("value=\"camille@sas.test\""), std::string::npos);
}

TEST_F(AuthTest, LoginLandsOnTheDashboardWithASafeCookie) {
  Browser b(platform_.port());
  b.get("/connexion");
  auto r = b.post("/connexion", {{"email", " Camille@SAS.test "}, {"password", kPassword}});
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.location, "/tableau-de-bord");
  ASSERT_EQ(b.cookies().count("sas_session"), 1u);
  auto dash = b.get("/tableau-de-bord");
  EXPECT_EQ(dash.status, 200);
  EXPECT_NE(dash.body.find("Bonjour Camille Martin"), std::string::npos);
  EXPECT_NE(dash.body.find("Vos structures liées"), std::string::npos);
}

TEST_F(AuthTest, SessionCookieIsHttpOnlyAndSameSiteLax) {
  Browser b(platform_.port());
  b.get("/connexion");
  auto r = b.post("/connexion", {{"email", "camille@sas.test"}, {"password", kPassword}});
  ASSERT_EQ(r.status, 303);
  const auto& all = r.headers["Set-Cookie"];
  const auto start = all.find("sas_session=");
  ASSERT_NE(start, std::string::npos) << all;
  const auto setCookie = all.substr(start, all.find('\n', start) - start);
  EXPECT_NE(setCookie.find("HttpOnly"), std::string::npos) << setCookie;
  EXPECT_NE(setCookie.find("SameSite=Lax"), std::string::npos) << setCookie;
}

TEST_F(AuthTest, LoginAfterFollowingANextLinkGoesThereButNeverOffSite) {
  Browser b(platform_.port());
  auto r = b.get("/tableau-de-bord");
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.location, "/connexion?suite=/tableau-de-bord");
  b.get("/connexion");
  auto off =
      b.post("/connexion",
             {{"email", "camille@sas.test"}, {"password", kPassword}, {"suite", "//evil.example"}});
  EXPECT_EQ(off.location, "/tableau-de-bord");
}

TEST_F(AuthTest, LoginGivesANewSessionIdEachTime) {
  Browser b(platform_.port());
  b.login("camille@sas.test", kPassword);
  const auto first = b.cookies()["sas_session"];
  b.get("/connexion");  // already logged in: redirected, no new id
  b.cookies().erase("sas_session");
  b.login("camille@sas.test", kPassword);
  EXPECT_NE(b.cookies()["sas_session"], first);
}

TEST_F(AuthTest, LogoutEndsTheSessionOnTheServer) {
  Browser b(platform_.port());
  b.login("camille@sas.test", kPassword);
  const auto token = b.cookies()["sas_session"];
  b.get("/tableau-de-bord");
  auto out = b.post("/deconnexion", {});
  ASSERT_EQ(out.status, 303);
  EXPECT_EQ(out.location, "/connexion?deconnecte=1");
  EXPECT_EQ(b.cookies().count("sas_session"), 0u);
  // The old cookie, replayed, is worth nothing.
  Browser replay(platform_.port());
  replay.cookies()["sas_session"] = token;
  EXPECT_EQ(replay.get("/tableau-de-bord").status, 303);
}

TEST_F(AuthTest, SessionEndsAfterThirtyMinutesIdle) {
  Browser b(platform_.port());
  b.login("camille@sas.test", kPassword);
  platform_.clock().advance(std::chrono::minutes{29} + std::chrono::seconds{59});
  EXPECT_EQ(b.get("/tableau-de-bord").status, 200);  // activity: last seen moves
  platform_.clock().advance(std::chrono::minutes{29} + std::chrono::seconds{59});
  EXPECT_EQ(b.get("/tableau-de-bord").status, 200);
  platform_.clock().advance(std::chrono::minutes{30});
  EXPECT_EQ(b.get("/tableau-de-bord").status, 303);
}

TEST_F(AuthTest, SessionEndsAfterTwelveHoursInAllEvenWhenActive) {
  Browser b(platform_.port());
  b.login("camille@sas.test", kPassword);
  for (int i = 0; i < 47; ++i) {  // 11 h 45 of activity every 15 minutes
    platform_.clock().advance(std::chrono::minutes{15});
    ASSERT_EQ(b.get("/tableau-de-bord").status, 200) << i;
  }
  platform_.clock().advance(std::chrono::minutes{14} + std::chrono::seconds{59});
  EXPECT_EQ(b.get("/tableau-de-bord").status, 200);
  platform_.clock().advance(std::chrono::seconds{1});
  EXPECT_EQ(b.get("/tableau-de-bord").status, 303);
}

TEST_F(AuthTest, PostWithoutOrWithAWrongCsrfTokenIsRefused) {
  Browser b(platform_.port());
  b.login("camille@sas.test", kPassword);
  auto none = b.postRaw("/deconnexion", {});
  EXPECT_EQ(none.status, 400);
  auto wrong = b.postRaw("/deconnexion", {{"csrf", "x" + b.csrf()}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(b.get("/tableau-de-bord").status, 200);  // still logged in
  // The login form itself needs the token too.
  Browser anon(platform_.port());
  EXPECT_EQ(
      anon.postRaw("/connexion", {{"email", "camille@sas.test"}, {"password", kPassword}}).status,
      400);
}

TEST_F(AuthTest, PagesCarrySecurityHeaders) {
  Browser b(platform_.port());
  auto r = b.get("/connexion");
  EXPECT_NE(r.headers["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(r.headers["Referrer-Policy"], "same-origin");
}

TEST_F(AuthTest, UnknownPagesAndBadInputGetFrenchPagesNotCrashes) {
  Browser b(platform_.port());
  auto missing = b.get("/nulle-part");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("Page introuvable"), std::string::npos);
  b.login("camille@sas.test", kPassword);
  EXPECT_EQ(b.get("/lieux/abc/agenda").status, 404);
  EXPECT_EQ(b.get("/lieux/-1/agenda").status, 404);
  EXPECT_EQ(b.get("/lieux/99999999999999999999999/agenda").status, 404);
  EXPECT_EQ(b.get("/lieux/1/disponibilites/1/pas-une-date/modifier").status, 404);
  EXPECT_EQ(b.get("/static/../CMakeLists.txt").status, 404);
}

TEST_F(AuthTest, OversizedBodyIsRefusedBeforeBeingRead) {
  Browser b(platform_.port());
  b.get("/connexion");
  auto r = b.postAnnouncing("/connexion", 2 << 20);
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("trop volumineuse"), std::string::npos);
  // Just under the cap the body is read; a field that long is refused in French, not a crash.
  b.get("/connexion");
  auto under =
      b.post("/connexion", {{"email", std::string((64 << 10) - 200, 'a')}, {"password", "x"}});
  EXPECT_EQ(under.status, 400);
  EXPECT_NE(under.body.find("Demande invalide"), std::string::npos);
}

}  // namespace
}  // namespace sas::test
