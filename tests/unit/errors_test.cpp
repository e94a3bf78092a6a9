// Every app::ErrorCode has its status, its JSON code and its French words in the one mapping
// (src/http/errors.cpp), and renders both as a page and as JSON.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "http/errors.hpp"
#include "http/views.hpp"
#include "security/sodium.hpp"

namespace sas::http {
namespace {

const Views& views() {
  static const Views v(std::filesystem::path(SAS_SOURCE_DIR) / "templates");
  return v;
}

Request at(const std::string& path) {
  Request r;
  r.method = "GET";
  r.path = path;
  r.target = path;
  return r;
}

TEST(ErrorMapping, EveryCodeHasItsOwnStatusCodeAndFrenchWords) {
  std::set<int> statuses;
  std::set<std::string> codes;
  for (auto code : app::kAllErrorCodes) {
    const auto text = errorText(code);
    EXPECT_GE(text.status, 400);
    EXPECT_LT(text.status, 600);
    EXPECT_TRUE(statuses.insert(text.status).second) << text.status << " mapped twice";
    EXPECT_TRUE(codes.insert(text.code).second) << text.code;
    EXPECT_GT(std::string(text.title).size(), 5u) << text.code;
    EXPECT_GT(std::string(text.message).size(), 20u) << text.code;
  }
  // Only Internal falls to 500: a code forgotten in the switch would answer 500 too, and
  // its status would then be counted twice above.
  EXPECT_EQ(errorText(app::ErrorCode::Internal).status, 500);
  EXPECT_EQ(errorText(app::ErrorCode::MethodNotAllowed).status, 405);
  EXPECT_EQ(errorText(app::ErrorCode::TooManyRequests).status, 429);
  EXPECT_EQ(statusOf(app::ErrorCode::Gone), 410);
}

TEST(ErrorMapping, EveryCodeRendersAsAFrenchPage) {
  for (auto code : app::kAllErrorCodes) {
    const auto text = errorText(code);
    const auto r = refusalResponse(at("/lieux/1/agenda"), views(), {.code = code});
    EXPECT_EQ(r.status, text.status);
    EXPECT_EQ(r.contentType.rfind("text/html", 0), 0u);
    EXPECT_NE(r.body.find(text.title), std::string::npos) << text.code;
    // Apostrophes are escaped in the page: compare the first words only.
    const std::string message = text.message;
    EXPECT_NE(r.body.find(message.substr(0, message.find('\''))), std::string::npos) << text.code;
  }
}

TEST(ErrorMapping, EveryCodeRendersAsJsonOnApiPaths) {
  for (auto code : app::kAllErrorCodes) {
    const auto text = errorText(code);
    const auto r = refusalResponse(at("/api/v1/search"), views(), {.code = code});
    EXPECT_EQ(r.status, text.status);
    EXPECT_EQ(r.contentType, "application/json; charset=utf-8");
    const auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["error"], text.code);
    EXPECT_EQ(body["message"], text.message);
    EXPECT_FALSE(body.contains("reference"));
  }
}

TEST(ErrorMapping, ARefusalCarriesItsWordsReferenceAndHeaders) {
  const auto r = refusalResponse(at("/api/v1/search"), views(),
                                 {.code = app::ErrorCode::Unauthenticated,
                                  .message = "Jeton d'accès inconnu ou révoqué.",
                                  .reference = "ABCD2345",
                                  .retryAfter = std::chrono::seconds{30},
                                  .allow = "GET, HEAD"});
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["message"], "Jeton d'accès inconnu ou révoqué.");
  EXPECT_EQ(body["reference"], "ABCD2345");
  const std::vector<std::pair<std::string, std::string>> expected{
      {"WWW-Authenticate", "Bearer"}, {"Retry-After", "30"}, {"Allow", "GET, HEAD"}};
  EXPECT_EQ(r.headers, expected);
  const auto page = refusalResponse(at("/psc/retour"), views(),
                                    {.code = app::ErrorCode::BadRequest,
                                     .title = "Connexion avec Pro Santé Connect impossible",
                                     .reference = "PSC-1234"});
  EXPECT_NE(page.body.find("Connexion avec Pro Santé Connect impossible"), std::string::npos);
  EXPECT_NE(page.body.find("PSC-1234"), std::string::npos);
  EXPECT_TRUE(page.headers.empty());
}

TEST(ErrorMapping, OnlyApiPathsAreApi) {
  EXPECT_TRUE(isApiPath("/api/v1/search"));
  EXPECT_TRUE(isApiPath("/api"));
  EXPECT_FALSE(isApiPath("/apis"));
  EXPECT_FALSE(isApiPath("/recherche"));
  EXPECT_FALSE(isApiPath("/"));
}

TEST(ErrorMapping, ReferencesAreEightCharactersWithoutLookAlikes) {
  const security::SodiumTokens tokens;
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const auto ref = newReference(tokens);
    ASSERT_EQ(ref.size(), 8u);
    EXPECT_EQ(ref.find_first_of("01IO"), std::string::npos) << ref;
    seen.insert(ref);
  }
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace sas::http
