// The router: the route with the most literal segments wins whatever the order routes were
// added in; a path known under another method is told apart from an unknown one (405 / 404).
#include "http/router.hpp"

#include <gtest/gtest.h>

namespace sas::http {
namespace {

Handler answering(const std::string& text) {
  return [text](Request&) { return Response::html(text); };
}

std::string routed(const Router& router, const std::string& method, const std::string& path,
                   bool* known = nullptr) {
  Request request;
  request.method = method;
  request.path = path;
  bool pathKnown = false;
  const auto* handler = router.match(request, pathKnown);
  if (known) *known = pathKnown;
  if (!handler) return "";
  return (*handler)(request).body +
         (request.pathParams.count("id") ? ":" + request.pathParams["id"] : "");
}

TEST(Router, TheMostLiteralRouteWinsWhateverTheOrder) {
  Router router;
  router.add("GET", "/orientations/{id}", answering("one"));
  router.add("GET", "/orientations/chiffres", answering("figures"));
  router.add("GET", "/orientations/{id}/statut", answering("status"));
  EXPECT_EQ(routed(router, "GET", "/orientations/chiffres"), "figures");
  EXPECT_EQ(routed(router, "GET", "/orientations/42"), "one:42");
  EXPECT_EQ(routed(router, "GET", "/orientations/42/statut"), "status:42");
  EXPECT_EQ(routed(router, "HEAD", "/orientations/chiffres"), "figures");
}

TEST(Router, AnotherMethodOnAKnownPathIsNotAnUnknownPath) {
  Router router;
  router.add("POST", "/orientations", answering("orient"));
  router.add("GET", "/orientations/{id}", answering("one"));
  bool known = false;
  EXPECT_EQ(routed(router, "GET", "/orientations", &known), "");
  EXPECT_TRUE(known);
  EXPECT_EQ(routed(router, "GET", "/ailleurs", &known), "");
  EXPECT_FALSE(known);
  EXPECT_EQ(router.allowedMethods("/orientations"), "POST");
}

// A route for programs (a calendar feed) is said so to the server, which then reads no session
// and sets no cookie; only a GET may be one, since nothing then checks where a POST comes from.
TEST(Router, ARouteForProgramsIsToldAndIsAGet) {
  Router router;
  router.add("GET", "/lieux/{id}/agenda.ics", answering("feed"), Audience::Programs);
  router.add("GET", "/lieux/{id}/agenda", answering("page"));
  Request request;
  request.method = "GET";
  request.path = "/lieux/7/agenda.ics";
  bool known = false;
  Audience audience = Audience::Browsers;
  ASSERT_NE(router.match(request, known, &audience), nullptr);
  EXPECT_EQ(audience, Audience::Programs);
  request.path = "/lieux/7/agenda";
  ASSERT_NE(router.match(request, known, &audience), nullptr);
  EXPECT_EQ(audience, Audience::Browsers);
  EXPECT_THROW(router.add("POST", "/flux", answering("x"), Audience::Programs),
               std::invalid_argument);
}

}  // namespace
}  // namespace sas::http
