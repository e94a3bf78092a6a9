// The FHIR listener's front without a server (http/fhir): fhir.allowed_clients read, the order
// of its checks (open routes, certificate, method, route), and the OperationOutcome bodies.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/errors.hpp"
#include "http/fhir/access.hpp"
#include "http/fhir/metadata.hpp"
#include "http/fhir/outcome.hpp"
#include "http/fhir/routes.hpp"

namespace sas::http::fhir {
namespace {

TEST(FhirAllowedClients, CommaSeparatedCnSlashOuPairsTrimmed) {
  const auto clients = parseAllowedClients(" lrm-paris/SAMU 75 ,agregateur / ANS,x/a/b");
  ASSERT_TRUE(clients);
  EXPECT_EQ(*clients, (std::vector<AllowedClient>{
                          {"lrm-paris", "SAMU 75"}, {"agregateur", "ANS"}, {"x", "a/b"}}));
  EXPECT_TRUE(parseAllowedClients("")->empty());
  EXPECT_TRUE(parseAllowedClients("  ")->empty());
}

TEST(FhirAllowedClients, AnEntryWithoutBothPartsIsNamed) {
  for (const auto& [text, entry] :
       std::vector<std::pair<std::string, std::string>>{{"lrm-paris", "lrm-paris"},
                                                        {"a/b, /ANS", "/ANS"},
                                                        {"a/b, lrm/ ", "lrm/"},
                                                        {"a/b,,c/d", ""},
                                                        {"a/b,", ""}}) {
    std::string bad = "untouched";
    EXPECT_FALSE(parseAllowedClients(text, &bad)) << text;
    EXPECT_EQ(bad, entry) << text;
  }
}

Request requestFor(const std::string& method, const std::string& path,
                   std::optional<ClientIdentity> client) {
  Request r;
  r.method = method;
  r.path = path;
  r.clientIdentity = std::move(client);
  return r;
}

const ClientIdentity kAllowed{"lrm-paris", "SAMU 75"};

Handler testFront() {
  Routes routes;
  addMetadata(routes, {"https://sas.test/fhir"});
  routes.forClients.add(
      "GET", "/fhir/Slot", [](Request&) { return Response::html("slots"); }, Audience::Programs);
  return front(std::move(routes), {{"lrm-paris", "SAMU 75"}, {"agregateur", "ANS"}});
}

app::ErrorCode refusalOf(const Handler& handler, Request request) {
  try {
    handler(request);
  } catch (const app::AppError& e) {
    return e.code();
  }
  ADD_FAILURE() << request.method << " " << request.path << " was served";
  return app::ErrorCode::Internal;
}

TEST(FhirFront, TheCapabilityStatementIsOpen) {
  const auto handler = testFront();
  for (const auto& client : {std::optional<ClientIdentity>{}, std::optional{kAllowed},
                             std::optional<ClientIdentity>{ClientIdentity{"x", "y"}}}) {
    for (const char* method : {"GET", "HEAD"}) {
      auto request = requestFor(method, "/fhir/metadata", client);
      const auto response = handler(request);
      EXPECT_EQ(response.status, 200);
      EXPECT_EQ(response.contentType, kContentType);
      EXPECT_EQ(nlohmann::json::parse(response.body)["resourceType"], "CapabilityStatement");
    }
  }
}

TEST(FhirFront, TheRestNeedsAListedCertificateFirst) {
  const auto handler = testFront();
  using app::ErrorCode;
  for (const char* path : {"/fhir/Slot", "/fhir/Nothing", "/fhir"}) {
    EXPECT_EQ(refusalOf(handler, requestFor("GET", path, std::nullopt)), ErrorCode::Unauthenticated)
        << path;
    EXPECT_EQ(refusalOf(handler, requestFor("POST", path, std::nullopt)),
              ErrorCode::Unauthenticated)
        << path;
    EXPECT_EQ(refusalOf(handler, requestFor("GET", path, ClientIdentity{"lrm-paris", "SAMU 69"})),
              ErrorCode::Forbidden)
        << path;
    EXPECT_EQ(refusalOf(handler, requestFor("GET", path, ClientIdentity{"agregateur", "SAMU 75"})),
              ErrorCode::Forbidden)
        << path;
  }
  auto slots = requestFor("GET", "/fhir/Slot", ClientIdentity{"agregateur", "ANS"});
  EXPECT_EQ(handler(slots).body, "slots");
  auto head = requestFor("HEAD", "/fhir/Slot", kAllowed);
  EXPECT_EQ(handler(head).status, 200);
}

TEST(FhirFront, ThenTheMethodThenTheRoute) {
  const auto handler = testFront();
  for (const char* path : {"/fhir/Slot", "/fhir/Nothing", "/fhir/metadata"}) {
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
      auto request = requestFor(method, path, kAllowed);
      const auto response = handler(request);
      EXPECT_EQ(response.status, 405) << method << " " << path;
      EXPECT_EQ(response.contentType, kContentType);
      EXPECT_EQ(nlohmann::json::parse(response.body)["issue"][0]["code"], "not-supported");
    }
  }
  // The CapabilityStatement's 405 needs no certificate, as its GET.
  auto post = requestFor("POST", "/fhir/metadata", std::nullopt);
  EXPECT_EQ(handler(post).status, 405);
  EXPECT_EQ(refusalOf(handler, requestFor("GET", "/fhir/Patient", kAllowed)),
            app::ErrorCode::NotFound);
  EXPECT_EQ(refusalOf(handler, requestFor("GET", "/fhir", kAllowed)), app::ErrorCode::NotFound);
}

TEST(FhirFront, PathsOutsideTheBaseAreUnknownToAnyone) {
  const auto handler = testFront();
  for (const char* path : {"/", "/connexion", "/fhirx", "/fhirx/metadata", "/api/fhir"}) {
    EXPECT_EQ(refusalOf(handler, requestFor("GET", path, kAllowed)), app::ErrorCode::NotFound)
        << path;
    EXPECT_EQ(refusalOf(handler, requestFor("GET", path, std::nullopt)), app::ErrorCode::NotFound)
        << path;
  }
}

TEST(FhirOutcome, EachRefusalIsAnOperationOutcomeWithItsIssueType) {
  const std::vector<std::tuple<app::ErrorCode, int, std::string>> cases{
      {app::ErrorCode::Unauthenticated, 401, "login"},
      {app::ErrorCode::Forbidden, 403, "forbidden"},
      {app::ErrorCode::NotFound, 404, "not-found"},
      {app::ErrorCode::MethodNotAllowed, 405, "not-supported"},
      {app::ErrorCode::BadRequest, 400, "invalid"},
      {app::ErrorCode::PayloadTooLarge, 413, "too-long"},
      {app::ErrorCode::HeadersTooLarge, 431, "too-long"},
      {app::ErrorCode::TooManyRequests, 429, "throttled"},
      {app::ErrorCode::Unavailable, 503, "transient"},
      {app::ErrorCode::Internal, 500, "exception"}};
  for (const auto& [code, status, issueType] : cases) {
    const auto response = refusalResponse(Request{}, {.code = code});
    EXPECT_EQ(response.status, status);
    EXPECT_EQ(response.contentType, "application/fhir+json; charset=utf-8");
    const auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body["resourceType"], "OperationOutcome");
    ASSERT_EQ(body["issue"].size(), 1u);
    EXPECT_EQ(body["issue"][0]["severity"], "error");
    EXPECT_EQ(body["issue"][0]["code"], issueType);
    EXPECT_FALSE(body["issue"][0]["diagnostics"].get<std::string>().empty());
  }
}

TEST(FhirOutcome, ItSaysWhatTheRefusalSaysAndNamesTheSubjectRefused) {
  auto request = requestFor("GET", "/fhir/Slot", ClientIdentity{"lrm-lyon", "SAMU 69"});
  auto forbidden =
      nlohmann::json::parse(refusalResponse(request, {.code = app::ErrorCode::Forbidden}).body);
  EXPECT_EQ(forbidden["issue"][0]["diagnostics"],
            "Ce certificat client n'est pas autorisé à lire les disponibilités. (CN « lrm-lyon », "
            "OU « SAMU 69 »)");
  const auto internal =
      refusalResponse(Request{}, {.code = app::ErrorCode::Internal, .reference = "ABCD2345"});
  EXPECT_NE(internal.body.find("Référence : ABCD2345."), std::string::npos);
  const auto bad = refusalResponse(
      Request{}, {.code = app::ErrorCode::BadRequest, .message = "start : date illisible"});
  EXPECT_EQ(nlohmann::json::parse(bad.body)["issue"][0]["diagnostics"], "start : date illisible");
  const auto busy = refusalResponse(
      Request{}, {.code = app::ErrorCode::Unavailable, .retryAfter = std::chrono::seconds{2}});
  ASSERT_EQ(busy.headers.size(), 1u);
  EXPECT_EQ(busy.headers[0], (std::pair<std::string, std::string>{"Retry-After", "2"}));
  const auto tooCostly = operationOutcome(400, "too-costly", "Période de plus de 7 jours.");
  EXPECT_EQ(nlohmann::json::parse(tooCostly.body),
            nlohmann::json::parse(R"({"resourceType":"OperationOutcome","issue":[{"severity":
            "error","code":"too-costly","diagnostics":"Période de plus de 7 jours."}]})"));
}

TEST(FhirMetadata, ImplementationUrlOnlyWhenKnown) {
  EXPECT_EQ(capabilityStatement("https://sas.test/fhir")["implementation"]["url"],
            "https://sas.test/fhir");
  EXPECT_FALSE(capabilityStatement("")["implementation"].contains("url"));
}

}  // namespace
}  // namespace sas::http::fhir
