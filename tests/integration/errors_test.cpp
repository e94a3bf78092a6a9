// The one error path seen from a client (issue 14): a known path asked with another method gets
// 405 and the methods it takes; every refusal on /api/ is JSON, never an HTML page; the pages
// keep their French error page.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_platform.hpp"

namespace sas::test {
namespace {

class ErrorPath : public ::testing::Test {
 protected:
  Page send(const std::string& method, const std::string& target) {
    return exchange("127.0.0.1", platform_.port(), method, target, "", jar_);
  }
  static std::string header(const Page& page, const std::string& name) {
    auto it = page.headers.find(name);
    return it == page.headers.end() ? "" : it->second;
  }
  static nlohmann::json json(const Page& page) {
    return nlohmann::json::parse(page.body, nullptr, false);
  }

  TestPlatform platform_{parisTime(2026, 3, 4, 10)};
  std::map<std::string, std::string> jar_;
};

TEST_F(ErrorPath, AKnownPathWithAnotherMethodIs405WithItsMethods) {
  const auto deleted = send("DELETE", "/connexion");
  EXPECT_EQ(deleted.status, 405);
  EXPECT_EQ(header(deleted, "Allow"), "GET, HEAD, POST");
  EXPECT_NE(deleted.body.find("Cette adresse ne permet pas cette action"), std::string::npos);
  EXPECT_NE(header(deleted, "Content-Type").find("text/html"), std::string::npos);

  // A POST (with its CSRF token) to a page that only shows.
  Browser b(platform_.port());
  b.get("/connexion");  // a page with a form: its CSRF token
  const auto posted = b.post("/faq", {});
  EXPECT_EQ(posted.status, 405);
  EXPECT_EQ(header(posted, "Allow"), "GET, HEAD");

  // Paths with named segments too: the place's agenda takes GET only.
  EXPECT_EQ(send("PUT", "/lieux/1/agenda").status, 405);
}

TEST_F(ErrorPath, AnUnknownPathStays404AndHeadIsAGet) {
  const auto unknown = send("DELETE", "/nulle-part");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(header(unknown, "Allow"), "");
  EXPECT_EQ(send("GET", "/nulle-part").status, 404);
  const auto head = send("HEAD", "/connexion");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
}

TEST_F(ErrorPath, ApiPathsAnswerJsonErrors) {
  const auto unknown = send("GET", "/api/v1/inconnu");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(header(unknown, "Content-Type").find("application/json"), std::string::npos);
  EXPECT_EQ(json(unknown)["error"], "not_found");
  EXPECT_EQ(json(unknown)["message"],
            "La page que vous cherchez n'existe pas, ou vous n'y avez pas accès.");
  EXPECT_FALSE(json(unknown).contains("reference"));
  EXPECT_EQ(unknown.body.find("<html"), std::string::npos);

  const auto deleted = send("DELETE", "/api/v1/search");
  EXPECT_EQ(deleted.status, 405);
  EXPECT_EQ(header(deleted, "Allow"), "GET, HEAD");
  EXPECT_EQ(json(deleted)["error"], "method_not_allowed");

  // Without a session: 401 in JSON, not a redirection to the login page.
  const auto anonymous = send("GET", "/api/v1/search?adresse=Paris");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(header(anonymous, "WWW-Authenticate"), "Bearer");
  EXPECT_EQ(json(anonymous)["error"], "unauthenticated");

  // A POST without its CSRF token: refused before any route, still in JSON.
  jar_.clear();
  const auto forged =
      exchange("127.0.0.1", platform_.port(), "POST", "/api/v1/search", "a=1", jar_);
  EXPECT_EQ(forged.status, 400);
  EXPECT_EQ(json(forged)["error"], "bad_request");
}

TEST_F(ErrorPath, ApiPathsAnswerJsonEvenBeyondTheSizeCap) {
  Browser b(platform_.port());
  const auto tooLarge = b.postAnnouncing("/api/v1/search", 10 * 1024 * 1024);
  EXPECT_EQ(tooLarge.status, 413);
  EXPECT_EQ(json(tooLarge)["error"], "payload_too_large");
  const auto page = b.postAnnouncing("/connexion", 10 * 1024 * 1024);
  EXPECT_EQ(page.status, 413);
  EXPECT_NE(page.body.find("Demande trop volumineuse"), std::string::npos);
}

TEST_F(ErrorPath, ThePagesKeepTheirFrenchErrorPage) {
  const auto missing = send("GET", "/faq/theme-inconnu");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(header(missing, "Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(missing.body.find("Page introuvable"), std::string::npos);
  // No reference for a 4xx: nothing went wrong on our side.
  EXPECT_EQ(missing.body.find("indiquez au support la référence"), std::string::npos);
}

}  // namespace
}  // namespace sas::test
