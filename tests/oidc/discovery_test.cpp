// The provider's discovery document: the endpoints, the issuer it must announce, and the mTLS
// aliases (RFC 8705 §5) that a client with a certificate uses instead.
#include <gtest/gtest.h>

#include "oidc/client.hpp"

using namespace sas::oidc;

namespace {

const char* const kIssuer = "https://auth.psc.test/auth/realms/esante-wallet";

nlohmann::json document() {
  const std::string i = kIssuer;
  return {{"issuer", i},
          {"authorization_endpoint", "https://wallet.psc.test/auth"},
          {"token_endpoint", i + "/protocol/openid-connect/token"},
          {"userinfo_endpoint", i + "/protocol/openid-connect/userinfo"},
          {"jwks_uri", i + "/protocol/openid-connect/certs"},
          {"end_session_endpoint", i + "/protocol/openid-connect/logout"}};
}

}  // namespace

TEST(Discovery, ReadsTheEndpoints) {
  auto m = parseDiscovery(document().dump(), kIssuer);
  EXPECT_EQ(m.authorizationEndpoint, "https://wallet.psc.test/auth");
  EXPECT_EQ(m.tokenEndpoint, std::string(kIssuer) + "/protocol/openid-connect/token");
  EXPECT_EQ(m.endSessionEndpoint, std::string(kIssuer) + "/protocol/openid-connect/logout");
  EXPECT_TRUE(m.mtlsTokenEndpoint.empty());
  EXPECT_TRUE(m.mtlsUserinfoEndpoint.empty());
}

TEST(Discovery, ReadsTheMtlsAliases) {
  auto doc = document();
  doc["mtls_endpoint_aliases"] = {{"token_endpoint", "https://mtls.psc.test/token"},
                                  {"userinfo_endpoint", "https://mtls.psc.test/userinfo"}};
  auto m = parseDiscovery(doc.dump(), kIssuer);
  EXPECT_EQ(m.mtlsTokenEndpoint, "https://mtls.psc.test/token");
  EXPECT_EQ(m.mtlsUserinfoEndpoint, "https://mtls.psc.test/userinfo");
  EXPECT_EQ(m.tokenEndpoint, std::string(kIssuer) + "/protocol/openid-connect/token");
}

TEST(Discovery, RefusesAnotherIssuerOrAMissingEndpoint) {
  EXPECT_THROW(parseDiscovery(document().dump(), "https://other.test"), OidcError);
  auto doc = document();
  doc.erase("token_endpoint");
  EXPECT_THROW(parseDiscovery(doc.dump(), kIssuer), OidcError);
  EXPECT_THROW(parseDiscovery("not json", kIssuer), OidcError);
}

TEST(Discovery, ClientCertificateGoesWithItsKey) {
  ClientSettings s;
  s.issuer = kIssuer;
  s.clientCertificate = "/nonexistent/client.pem";
  EXPECT_THROW(Client{s}, OidcError);  // no key
  s.clientKey = "/nonexistent/client-key.pem";
  EXPECT_THROW(Client{s}, OidcError);  // files that cannot be read
}
