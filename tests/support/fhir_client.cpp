#include "support/fhir_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace sas::test {

using nlohmann::json;

FhirPki::FhirPki() {
  char pattern[] = "/tmp/sas-fhir-pki-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp");
  dir_ = pattern;
  const std::string script = R"(set -e
key="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
ca() { openssl req -x509 $key -keyout "$1-key.pem" -out "$1.pem" -days 2 -subj "$2"; }
issue() {
  printf "$4\n" > "$1.ext"
  openssl req $key -keyout "$1-key.pem" -out "$1.csr" -subj "$2"
  openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3-key.pem" -CAcreateserial \
    -out "$1.pem" -days 2 -extfile "$1.ext"
}
ca ca "/CN=AC de test FHIR"
ca other-ca "/CN=Autre AC"
issue server "/CN=127.0.0.1" ca "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth"
issue other-name "/CN=editeur.invalid" ca "subjectAltName=DNS:editeur.invalid\nextendedKeyUsage=serverAuth"
issue valid "/CN=lrm-paris/OU=SAMU 75" ca "extendedKeyUsage=clientAuth"
issue wrong-cn "/CN=lrm-lyon/OU=SAMU 75" ca "extendedKeyUsage=clientAuth"
issue wrong-ou "/CN=lrm-paris/OU=SAMU 69" ca "extendedKeyUsage=clientAuth"
issue revoked "/CN=lrm-paris/OU=SAMU 75" ca "extendedKeyUsage=clientAuth"
issue stranger "/CN=lrm-paris/OU=SAMU 75" other-ca "extendedKeyUsage=clientAuth"
: > index.txt
echo 01 > crlnumber
printf '[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 2\ncertificate = ca.pem\nprivate_key = ca-key.pem\n' > ca.cnf
openssl ca -config ca.cnf -revoke revoked.pem
openssl ca -config ca.cnf -gencrl -out crl.pem
printf 'not a certificate\n' > garbage.pem
)";
  std::ofstream(dir_ / "make.sh") << script;
  const std::string command = "cd '" + dir_.string() + "' && sh make.sh > openssl.log 2>&1";
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("openssl could not make the test PKI (see " + dir_.string() +
                             "/openssl.log)");
}

FhirPki::~FhirPki() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void fhirOn(config::Config& c, const FhirPki& pki) {
  c.fhirListen = "127.0.0.1:0";
  c.fhirBaseUrl = "https://sas.test:8443/fhir";
  c.fhirCertificate = pki.file("server.pem");
  c.fhirKey = pki.file("server-key.pem");
  c.fhirClientCa = pki.file("ca.pem");
  c.fhirClientCrl = pki.file("crl.pem");
  c.fhirAllowedClients = "lrm-paris/SAMU 75, agregateur/ANS";
}

/// One request over TLS as `client` (a certificate's name in the PKI, or "" for none).
Answer fhirRequest(const FhirPki& pki, int port, const std::string& path, const std::string& client,
                   const std::string& method, Protocol protocol, std::size_t extraHeaderBytes,
                   const std::string& accept) {
  Poco::Net::Context::Params p;
  p.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  p.loadDefaultCAs = false;
  p.caLocation = pki.file("ca.pem");
  if (!client.empty()) {
    p.certificateFile = pki.file(client + ".pem");
    p.privateKeyFile = pki.file(client + "-key.pem");
  }
  Answer answer;
  try {
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
    SSL_CTX* ctx = context->sslContext();
    if (protocol == Protocol::Tls12Only) {
      SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    } else if (protocol == Protocol::Tls11Only) {
      // OpenSSL 3 offers TLS 1.1 only at security level 0.
      SSL_CTX_set_security_level(ctx, 0);
      SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
      SSL_CTX_set_min_proto_version(ctx, TLS1_1_VERSION);
      SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
    }
    Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port), context);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!accept.empty()) request.set("Accept", accept);
    if (extraHeaderBytes > 0) request.set("X-Padding", std::string(extraHeaderBytes, 'x'));
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Poco::StreamCopier::copyToString(in, answer.body);
    answer.status = static_cast<int>(response.getStatus());
    answer.contentType = response.getContentType();
    answer.allow = response.get("Allow", "");
    answer.setsCookie = response.has("Set-Cookie");
  } catch (const Poco::Exception& e) {
    answer.failure = e.displayText();
  }
  return answer;
}

/// The issue of an OperationOutcome answer, after checking its form.
json outcomeIssue(const Answer& a) {
  EXPECT_EQ(a.contentType, "application/fhir+json; charset=utf-8");
  const auto doc = a.document();
  if (!doc.is_object() || doc.value("resourceType", "") != "OperationOutcome" ||
      !doc.contains("issue") || doc["issue"].size() != 1) {
    ADD_FAILURE() << "not an OperationOutcome with one issue: " << a.body;
    return json::object();
  }
  EXPECT_EQ(doc["issue"][0].value("severity", ""), "error");
  EXPECT_FALSE(doc["issue"][0].value("diagnostics", "").empty());
  return doc["issue"][0];
}

}  // namespace sas::test
