// Where a login may send the browser next (issue 12, item 1): the rule alone. The same payloads
// are replayed against the real server in tests/security/auth_test.cpp.
#include "http/login_redirect.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sas::http {
namespace {

TEST(LoginRedirect, PathsOfThePlatformAreFollowed) {
  for (const char* target : {"/", "/tableau-de-bord", "/lieux/12/agenda?semaine=2026-03-02",
                             "/recherche?adresse=Saint-%C3%89tienne&rayon=10&types=C%2CT",
                             "/recherche?adresse=12%2F14+rue+de+Paris", "/a/../b", "/compte#haut",
                             "/recherche?q=100%25"})
    EXPECT_TRUE(isLocalTarget(target)) << target;
}

TEST(LoginRedirect, AnythingThatCouldLeaveTheSiteOrSplitTheHeaderIsRefused) {
  for (const char* target : {"",
                             "tableau-de-bord",
                             "//evil.example",
                             "/\\evil.example",
                             "\\\\evil.example",
                             "https://evil.example/",
                             "javascript:alert(1)",
                             "/%0d%0aSet-Cookie:x=1",
                             "/\r\nSet-Cookie:x=1",
                             "/\t/evil.example/",
                             "/%09/evil.example/",
                             "/%2F/evil.example",
                             "/%5Cevil.example",
                             "/%5c",
                             "/a\\b",
                             "/a b",
                             "/%00",
                             "/%7f",
                             "/%zz",
                             "/%",
                             "/%2",
                             "/%252F%252Fevil.example",
                             "/%250d%250a",
                             "/%25250a",
                             "/caf\xc3\xa9"})
    EXPECT_FALSE(isLocalTarget(target)) << target;
}

TEST(LoginRedirect, LengthIsBoundedOnBothSides) {
  EXPECT_TRUE(isLocalTarget("/" + std::string(1999, 'a')));
  EXPECT_FALSE(isLocalTarget("/" + std::string(2000, 'a')));
}

TEST(LoginRedirect, RefusedTargetsGoToTheHomeOfTheRole) {
  EXPECT_EQ(afterLogin("//evil.example"), "/tableau-de-bord");
  EXPECT_EQ(afterLogin(""), "/tableau-de-bord");
  EXPECT_EQ(afterLogin("/recherche?adresse=Lyon"), "/recherche?adresse=Lyon");
}

TEST(LoginRedirect, TheLoginPageCarriesTheWholeTargetAsOneParameter) {
  EXPECT_EQ(loginPageFor("/tableau-de-bord"), "/connexion?suite=/tableau-de-bord");
  EXPECT_EQ(loginPageFor("/recherche?adresse=Lyon&rayon=10"),
            "/connexion?suite=/recherche%3Fadresse%3DLyon%26rayon%3D10");
  EXPECT_EQ(loginPageFor("/recherche?adresse=Saint-%C3%89tienne"),
            "/connexion?suite=/recherche%3Fadresse%3DSaint-%25C3%2589tienne");
  EXPECT_EQ(loginPageFor("//evil.example"), "/connexion");
  EXPECT_EQ(loginPageFor("/%0d%0a"), "/connexion");
}

TEST(LoginRedirect, ProSanteConnectCarriesTheTargetInACookieAndBack) {
  EXPECT_EQ(withSuite("/psc/connexion", "/recherche?adresse=Lyon&rayon=10"),
            "/psc/connexion?suite=/recherche%3Fadresse%3DLyon%26rayon%3D10");
  EXPECT_EQ(withSuite("/psc/connexion", ""), "/psc/connexion");
  EXPECT_EQ(withSuite("/psc/connexion", "https://evil.example/"), "/psc/connexion");
  // A cookie's value holds no « ; », « , », « " » nor blank: %-encoded, then decoded once.
  const std::string target = "/recherche?quoi=a;b,c&adresse=Saint-%C3%89tienne";
  const auto value = suiteCookieValue(target);
  EXPECT_EQ(value.find_first_of(";,\" \t"), std::string::npos) << value;
  EXPECT_EQ(suiteFromCookie(value), target);
  // Whatever a cookie was set to, only a local target comes back.
  EXPECT_EQ(suiteFromCookie("%2F%2Fevil.example"), "");
  EXPECT_EQ(suiteFromCookie("https%3A%2F%2Fevil.example"), "");
  EXPECT_EQ(suiteFromCookie("%2F%0d%0aSet-Cookie"), "");
  EXPECT_EQ(suiteFromCookie("%zz"), "");
  EXPECT_EQ(suiteFromCookie(""), "");
}

}  // namespace
}  // namespace sas::http
