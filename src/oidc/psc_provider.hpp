#pragma once
// app::IdentityProvider for Pro Santé Connect: the OIDC client, the provider's metadata and
// keys (fetched once, the keys again when a token names an unknown kid), and PSC's claims.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/identity.hpp"
#include "oidc/client.hpp"

namespace sas::oidc {

/// The identity in PSC's claims (userinfo, falling back on the ID token's).
app::ProfessionalIdentity pscIdentity(const nlohmann::json& idClaims,
                                      const nlohmann::json& userinfo);

class PscProvider final : public app::IdentityProvider {
 public:
  PscProvider(ClientSettings settings, std::string postLogoutRedirectUri);

  std::string authorizationUrl(const std::string& state, const std::string& nonce,
                               const std::string& codeVerifier) override;
  app::IdentityResult complete(const std::string& code, const std::string& nonce,
                               const std::string& codeVerifier, domain::Instant now) override;
  std::string logoutUrl(const std::string& idToken, const std::string& state) override;
  /// Where the platform's forms may lead (CSP form-action): the issuer's origin and, once the
  /// discovery document was read, its end-session endpoint's. Never fetches anything.
  std::vector<std::string> formActionOrigins();

 private:
  ProviderMetadata metadata();
  Jwks keys(bool refresh);

  Client client_;
  std::string postLogoutRedirectUri_;
  std::mutex mutex_;
  std::optional<ProviderMetadata> metadata_;
  std::optional<Jwks> keys_;
  std::mutex originMutex_;
  std::string endSessionOrigin_;  // of the discovered end_session_endpoint
};

}  // namespace sas::oidc
