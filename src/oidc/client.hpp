#pragma once
// An OpenID Connect relying party for Pro Santé Connect: the provider's metadata from its
// discovery document, the authorization request (state, nonce, PKCE S256, acr_values), the
// code exchange (client secret, optional mTLS client certificate), userinfo and end session.
#include <Poco/Net/Context.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "oidc/id_token.hpp"
#include "oidc/jose.hpp"

namespace sas::oidc {

/// A provider that cannot be reached or answers something unusable.
class OidcError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ClientSettings {
  std::string issuer;        // e.g. https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet
  std::string discoveryUrl;  // empty: issuer + /.well-known/openid-configuration
  std::string clientId;
  std::string clientSecret;
  std::string redirectUri;
  std::string scope = "openid scope_all";
  std::string acrValues = "eidas1";
  // mTLS (RFC 8705): a PEM certificate and its PEM private key, presented to the token and
  // userinfo endpoints (their `mtls_endpoint_aliases` when the discovery document has them).
  std::string clientCertificate;
  std::string clientKey;
  std::string caFile;  // PEM file of the CAs trusted for the provider's TLS (empty: the system's)
  std::chrono::milliseconds timeout{5000};
};

struct ProviderMetadata {
  std::string issuer;
  std::string authorizationEndpoint;
  std::string tokenEndpoint;
  std::string userinfoEndpoint;
  std::string jwksUri;
  std::string endSessionEndpoint;
  std::string mtlsTokenEndpoint;  // mtls_endpoint_aliases (RFC 8705 §5), when given
  std::string mtlsUserinfoEndpoint;
};

struct TokenResponse {
  std::string idToken;
  std::string accessToken;
};

struct HttpAnswer {
  int status = 0;
  std::string contentType;
  std::string body;
};

/// Parses a discovery document; throws OidcError when an endpoint is missing or its issuer is
/// not the expected one.
ProviderMetadata parseDiscovery(const std::string& body, const std::string& expectedIssuer);

/// The authorization request's URL.
std::string authorizationUrl(const ProviderMetadata& meta, const ClientSettings& settings,
                             const std::string& state, const std::string& nonce,
                             const std::string& codeVerifier, const std::string& loginHint = "");

/// The logout URL (RP-initiated logout) with id_token_hint, post_logout_redirect_uri, state.
std::string endSessionUrl(const ProviderMetadata& meta, const std::string& idTokenHint,
                          const std::string& postLogoutRedirectUri, const std::string& state);

class Client {
 public:
  /// Reads the TLS files once; throws OidcError naming the setting when one cannot be used.
  explicit Client(ClientSettings settings);
  const ClientSettings& settings() const { return settings_; }
  bool mutualTls() const { return !settings_.clientCertificate.empty(); }

  ProviderMetadata discover() const;
  Jwks keys(const ProviderMetadata& meta) const;
  TokenResponse exchangeCode(const ProviderMetadata& meta, const std::string& code,
                             const std::string& codeVerifier) const;
  HttpAnswer userinfo(const ProviderMetadata& meta, const std::string& accessToken) const;

  /// One HTTP(S) request; throws OidcError when the provider cannot be reached. With
  /// `clientCertificate`, an https URL is reached with the mTLS certificate.
  HttpAnswer request(const std::string& method, const std::string& url,
                     const std::string& formBody = "", const std::string& bearer = "",
                     bool clientCertificate = false) const;

 private:
  ClientSettings settings_;
  Poco::Net::Context::Ptr tls_;        // the provider's certificate checked, no client's
  Poco::Net::Context::Ptr mutualTls_;  // the same, with the client certificate (mTLS)
};

}  // namespace sas::oidc
