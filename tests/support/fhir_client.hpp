#pragma once
// The FHIR listener seen from a client (tests of issue 20): a test PKI made with the openssl
// command once per suite, and one request over TLS with POCO's HTTPS session, as a
// certificate's holder or without one.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "config/config.hpp"

namespace sas::test {

/// A CA and its CRL, a second CA, the server's certificate (127.0.0.1), a server certificate
/// of another name (editeur.invalid, for the publishers' feed), and the clients':
/// lrm-paris/SAMU 75 (allowed), a wrong CN, a wrong OU, the allowed subject revoked, and the
/// allowed subject from the other CA.
class FhirPki {
 public:
  FhirPki();
  ~FhirPki();
  FhirPki(const FhirPki&) = delete;
  FhirPki& operator=(const FhirPki&) = delete;
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

/// The FHIR listener on, on any free port, with the PKI's files; « lrm-paris/SAMU 75 » allowed.
void fhirOn(config::Config& c, const FhirPki& pki);

enum class Protocol { Modern, Tls12Only, Tls11Only };

struct Answer {
  int status = 0;  // 0: no answer
  std::string failure;
  std::string contentType;
  std::string allow;
  bool setsCookie = false;
  std::string body;
  nlohmann::json document() const { return nlohmann::json::parse(body, nullptr, false); }
};

/// One request over TLS as `client` (a certificate's name in the PKI, or "" for none).
Answer fhirRequest(const FhirPki& pki, int port, const std::string& path, const std::string& client,
                   const std::string& method = "GET", Protocol protocol = Protocol::Modern,
                   std::size_t extraHeaderBytes = 0,
                   const std::string& accept = "application/fhir+json");

/// The issue of an OperationOutcome answer, after checking its form.
nlohmann::json outcomeIssue(const Answer& a);

}  // namespace sas::test
