#pragma once
// An OpenID Connect relying party for Pro Santé Connect: the provider's metadata from its
// discovery document, the authorization request (state, nonce, PKCE S256, acr_values), the
// code exchange (client secret, optional mTLS client certificate), userinfo and end session.
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
  std::string issuer;  // e.g. https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet
  std::string clientId;
  std::string clientSecret;
  std::string redirectUri;
  std::string scope = "openid scope_all";
  std::string acrValues = "eidas1";
  std::string clientCertificate;  // PEM file for mTLS to the token endpoint (may be empty)
  std::string clientKey;          // its private key (PEM)
  std::string caFile;             // trusted CAs (empty: the system's)
  std::chrono::milliseconds timeout{5000};
};

struct ProviderMetadata {
  std::string issuer;
  std::string authorizationEndpoint;
  std::string tokenEndpoint;
  std::string userinfoEndpoint;
  std::string jwksUri;
  std::string endSessionEndpoint;
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
  explicit Client(ClientSettings settings) : settings_(std::move(settings)) {}
  const ClientSettings& settings() const { return settings_; }

  ProviderMetadata discover() const;
  Jwks keys(const ProviderMetadata& meta) const;
  TokenResponse exchangeCode(const ProviderMetadata& meta, const std::string& code,
                             const std::string& codeVerifier) const;
  HttpAnswer userinfo(const ProviderMetadata& meta, const std::string& accessToken) const;

  /// One HTTP(S) request; throws OidcError when the provider cannot be reached.
  HttpAnswer request(const std::string& method, const std::string& url,
                     const std::string& formBody = "", const std::string& bearer = "",
                     bool clientCertificate = false) const;

 private:
  ClientSettings settings_;
};

}  // namespace sas::oidc
