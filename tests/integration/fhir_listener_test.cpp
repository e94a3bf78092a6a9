// The FHIR publisher's listener (issue 20, docs/fhir.md): a second port over TLS, client
// certificates checked at the handshake (CA, CRL) and then against fhir.allowed_clients,
// OperationOutcome errors, and the CapabilityStatement. The certificates are made with the
// openssl command once for the suite; the client is POCO's HTTPS session.
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "support/fhir_client.hpp"
#include "support/raw_socket.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class FhirListener : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new FhirPki;
    platform_ =
        new TestPlatform(parisTime(2026, 3, 4, 10), [](config::Config& c) { fhirOn(c, *pki_); });
  }
  static void TearDownTestSuite() {
    delete platform_;
    delete pki_;
    platform_ = nullptr;
    pki_ = nullptr;
  }
  Answer get(const std::string& path, const std::string& client) {
    return fhirRequest(*pki_, platform_->fhirPort(), path, client);
  }

  static FhirPki* pki_;
  static TestPlatform* platform_;
};

FhirPki* FhirListener::pki_ = nullptr;
TestPlatform* FhirListener::platform_ = nullptr;

TEST_F(FhirListener, ListensOnAPortOfItsOwn) {
  EXPECT_GT(platform_->fhirPort(), 0);
  EXPECT_NE(platform_->fhirPort(), platform_->port());
}

TEST_F(FhirListener, AnAllowedClientReadsTheCapabilityStatement) {
  const auto a = get("/fhir/metadata", "valid");
  ASSERT_EQ(a.status, 200) << a.failure << a.body;
  EXPECT_EQ(a.contentType, "application/fhir+json; charset=utf-8");
  EXPECT_FALSE(a.setsCookie);
  const auto doc = a.document();
  ASSERT_TRUE(doc.is_object()) << a.body;
  EXPECT_EQ(doc["resourceType"], "CapabilityStatement");
  EXPECT_EQ(doc["kind"], "instance");
  EXPECT_EQ(doc["status"], "active");
  EXPECT_EQ(doc["fhirVersion"], "4.0.1");
  EXPECT_EQ(doc["format"], json::array({"json"}));
  EXPECT_EQ(doc["instantiates"],
            json::array({"https://interop.esante.gouv.fr/ig/fhir/sas/CapabilityStatement/"
                         "SAS-GestionnaireAgenda-PsIndiv",
                         "https://interop.esante.gouv.fr/ig/fhir/sas/CapabilityStatement/"
                         "SAS-GestionnaireAgenda-SOS"}));
  EXPECT_EQ(doc["implementation"]["url"], "https://sas.test:8443/fhir");
  ASSERT_EQ(doc["rest"].size(), 1u);
  EXPECT_EQ(doc["rest"][0]["mode"], "server");
  const auto& resources = doc["rest"][0]["resource"];
  ASSERT_EQ(resources.size(), 2u);
  EXPECT_EQ(resources[0]["type"], "Slot");
  EXPECT_EQ(resources[1]["type"], "Schedule");
  auto names = [](const json& resource) {
    std::vector<std::string> out;
    for (const auto& p : resource["searchParam"]) out.push_back(p["name"]);
    return out;
  };
  EXPECT_EQ(names(resources[0]), (std::vector<std::string>{"start", "status", "schedule"}));
  EXPECT_EQ(names(resources[1]), (std::vector<std::string>{"actor", "_has"}));
  EXPECT_EQ(resources[0]["searchParam"][0]["definition"],
            "https://interop.esante.gouv.fr/ig/fhir/sas/SearchParameter/slot-sp-start");
  EXPECT_EQ(resources[1]["searchRevInclude"], json::array({"Slot:schedule"}));
}

TEST_F(FhirListener, TheCapabilityStatementIsOpenToAClientWithoutCertificate) {
  const auto a = get("/fhir/metadata", "");
  ASSERT_EQ(a.status, 200) << a.failure;
  EXPECT_EQ(a.document()["resourceType"], "CapabilityStatement");
  // … and to a certificate of the right CA that is not listed.
  EXPECT_EQ(get("/fhir/metadata", "wrong-cn").status, 200);
}

TEST_F(FhirListener, OnlyJsonIsServedTheCapabilityStatementIncluded) {
  const auto ask = [&](const std::string& path, const std::string& accept) {
    return fhirRequest(*pki_, platform_->fhirPort(), path, "valid", "GET", Protocol::Modern, 0,
                       accept);
  };
  EXPECT_EQ(ask("/fhir/metadata", "application/json").status, 200);
  EXPECT_EQ(ask("/fhir/metadata?_format=json", "").status, 200);
  for (const auto& [path, accept] :
       {std::pair{"/fhir/metadata", "application/fhir+xml"},
        std::pair{"/fhir/metadata?_format=xml", "application/fhir+json"}}) {
    const auto a = ask(path, accept);
    EXPECT_EQ(a.status, 406) << path << " " << accept;
    EXPECT_EQ(outcomeIssue(a).value("code", ""), "not-supported");
  }
}

TEST_F(FhirListener, WithoutCertificateTheRestIs401) {
  for (const char* path : {"/fhir/Slot", "/fhir/Schedule", "/fhir/nothing/here"}) {
    const auto a = get(path, "");
    ASSERT_EQ(a.status, 401) << path << " " << a.failure;
    EXPECT_EQ(outcomeIssue(a)["code"], "login") << path;
    EXPECT_FALSE(a.setsCookie);
  }
}

TEST_F(FhirListener, ASubjectNotListedIs403) {
  for (const char* client : {"wrong-cn", "wrong-ou"}) {
    const auto a = get("/fhir/Slot", client);
    ASSERT_EQ(a.status, 403) << client << " " << a.failure;
    const auto issue = outcomeIssue(a);
    EXPECT_EQ(issue["code"], "forbidden");
    EXPECT_NE(issue.value("diagnostics", "")
                  .find(client == std::string("wrong-cn") ? "CN « lrm-lyon », OU « SAMU 75 »"
                                                          : "CN « lrm-paris », OU « SAMU 69 »"),
              std::string::npos)
        << issue.dump();
  }
}

TEST_F(FhirListener, AnAllowedClientGets404OnAPathWithNoRoute) {
  for (const char* path : {"/fhir/Patient", "/fhir/metadata/extra", "/fhir"}) {
    const auto a = get(path, "valid");
    ASSERT_EQ(a.status, 404) << path << " " << a.failure;
    EXPECT_EQ(outcomeIssue(a)["code"], "not-found") << path;
  }
}

TEST_F(FhirListener, PathsOutsideFhirAreUnknownThere) {
  for (const char* path : {"/connexion", "/", "/static/css/sas.css", "/fhirx/metadata"}) {
    const auto a = get(path, "valid");
    ASSERT_EQ(a.status, 404) << path << " " << a.failure;
    EXPECT_EQ(outcomeIssue(a)["code"], "not-found") << path;
    EXPECT_FALSE(a.setsCookie) << path;
  }
}

TEST_F(FhirListener, OnlyGetIsServed) {
  for (const char* method : {"POST", "DELETE", "PUT"}) {
    for (const char* path : {"/fhir/metadata", "/fhir/Slot"}) {
      const auto a = fhirRequest(*pki_, platform_->fhirPort(), path, "valid", method);
      ASSERT_EQ(a.status, 405) << method << " " << path << " " << a.failure;
      EXPECT_EQ(outcomeIssue(a)["code"], "not-supported");
      EXPECT_EQ(a.allow, "GET, HEAD");
    }
  }
  // No CSRF token is asked for: the refusal is the method's, never a 400.
  // Without a certificate, the API's paths say 401 before anything else.
  EXPECT_EQ(fhirRequest(*pki_, platform_->fhirPort(), "/fhir/Slot", "", "POST").status, 401);
}

TEST_F(FhirListener, ARevokedCertificateFailsTheHandshake) {
  const auto a = get("/fhir/metadata", "revoked");
  EXPECT_EQ(a.status, 0);
  EXPECT_NE(a.failure, "");
  EXPECT_NE(a.failure.find("revoked"), std::string::npos) << a.failure;
}

TEST_F(FhirListener, ACertificateFromAnotherCaFailsTheHandshake) {
  const auto a = get("/fhir/metadata", "stranger");
  EXPECT_EQ(a.status, 0);
  EXPECT_NE(a.failure.find("unknown ca"), std::string::npos) << a.failure;
}

TEST_F(FhirListener, Tls11IsRefusedAndTls12Served) {
  const auto old = fhirRequest(*pki_, platform_->fhirPort(), "/fhir/metadata", "valid", "GET",
                               Protocol::Tls11Only);
  EXPECT_EQ(old.status, 0);
  EXPECT_NE(old.failure.find("protocol version"), std::string::npos) << old.failure;
  const auto tls12 = fhirRequest(*pki_, platform_->fhirPort(), "/fhir/Slot", "wrong-ou", "GET",
                                 Protocol::Tls12Only);
  EXPECT_EQ(tls12.status, 403) << tls12.failure;  // the certificate is read in TLS 1.2 too
  const auto valid = fhirRequest(*pki_, platform_->fhirPort(), "/fhir/metadata", "valid", "GET",
                                 Protocol::Tls12Only);
  EXPECT_EQ(valid.status, 200) << valid.failure;
}

TEST_F(FhirListener, TheHeadCapHoldsThereAndIsAnsweredInFhir) {
  const auto a = fhirRequest(*pki_, platform_->fhirPort(), "/fhir/metadata", "valid", "GET",
                             Protocol::Modern, 17 * 1024);
  ASSERT_EQ(a.status, 431) << a.failure;
  EXPECT_EQ(outcomeIssue(a)["code"], "too-long");
  const auto under = fhirRequest(*pki_, platform_->fhirPort(), "/fhir/metadata", "valid", "GET",
                                 Protocol::Modern, 15 * 1024);
  EXPECT_EQ(under.status, 200) << under.failure;
}

TEST_F(FhirListener, ThePlainPortDoesNotServeFhir) {
  Browser browser(platform_->port());
  const auto page = browser.get("/fhir/metadata");
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.body.find("CapabilityStatement"), std::string::npos);
  EXPECT_NE(page.body.find("Page introuvable"), std::string::npos);
  EXPECT_EQ(browser.get("/fhir/Slot").status, 404);
}

// The head's deadline counts from the connection, handshake included.
TEST_F(FhirListener, ASilentConnectionIsClosedAtTheHeadTimeout) {
  const FhirPki& pki = *pki_;
  TestPlatform platform(parisTime(2026, 3, 4, 10), [&](config::Config& c) {
    fhirOn(c, pki);
    c.headTimeoutMs = 600;
  });
  RawSocket silent(platform.fhirPort());
  const auto began = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.quietFor(300ms));
  EXPECT_TRUE(silent.closedWithin(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - began, 550ms);
  EXPECT_EQ(silent.received(), "");
  // Clear text is no handshake: closed at once, without an answer in clear text.
  RawSocket plain(platform.fhirPort());
  ASSERT_TRUE(plain.send("GET /fhir/metadata HTTP/1.1\r\nHost: sas.test\r\n\r\n"));
  EXPECT_TRUE(plain.closedWithin(5s));
  EXPECT_EQ(plain.received().find("HTTP/1.1"), std::string::npos);
  // The listener still serves.
  EXPECT_EQ(fhirRequest(pki, platform.fhirPort(), "/fhir/metadata", "valid").status, 200);
}

/// Whether starting the platform with `adjust` fails, and its message (a platform that fails
/// to start removes its folder and schema itself).
std::string startFailure(const FhirPki& pki, const std::function<void(config::Config&)>& adjust) {
  try {
    TestPlatform platform(parisTime(2026, 3, 4, 10), [&](config::Config& c) {
      fhirOn(c, pki);
      adjust(c);
    });
  } catch (const std::exception& e) {
    return e.what();
  }
  return "started";
}

TEST_F(FhirListener, AFileThatIsNotPemStopsTheStartNamingIt) {
  const FhirPki& pki = *pki_;
  const auto garbage = pki.file("garbage.pem");
  EXPECT_NE(startFailure(pki, [&](config::Config& c) { c.fhirCertificate = garbage; })
                .find("certificat du serveur TLS illisible (PEM attendu) : " + garbage),
            std::string::npos);
  EXPECT_NE(startFailure(pki, [&](config::Config& c) { c.fhirKey = garbage; })
                .find("clé privée du serveur TLS illisible"),
            std::string::npos);
  EXPECT_NE(startFailure(pki, [&](config::Config& c) { c.fhirKey = pki.file("valid-key.pem"); })
                .find("la clé privée ne correspond pas au certificat du serveur TLS"),
            std::string::npos);
  EXPECT_NE(startFailure(pki, [&](config::Config& c) { c.fhirClientCa = garbage; })
                .find("autorité des certificats clients illisible (PEM attendu) : " + garbage),
            std::string::npos);
  EXPECT_NE(startFailure(pki, [&](config::Config& c) { c.fhirClientCrl = garbage; })
                .find("liste de révocation des certificats clients illisible"),
            std::string::npos);
  EXPECT_NE(startFailure(pki, [&](config::Config& c) { c.fhirClientCrl = pki.file("none.pem"); })
                .find("fichier absent"),
            std::string::npos);
  EXPECT_NE(startFailure(
                pki, [&](config::Config& c) { c.fhirAllowedClients = "lrm-paris, agregateur/ANS"; })
                .find("fhir.allowed_clients : « lrm-paris » n'est pas de la forme CN/OU"),
            std::string::npos);
  EXPECT_EQ(startFailure(pki, [](config::Config&) {}), "started");
}

}  // namespace
}  // namespace sas::test
