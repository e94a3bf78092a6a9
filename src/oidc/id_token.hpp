#pragma once
// Verification of an OpenID Connect ID token (OIDC Core §3.1.3.7) and of a userinfo answer
// (§5.3.2) as Pro Santé Connect sends them. Time is given by the caller (app::Clock).
#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "oidc/jose.hpp"

namespace sas::oidc {

struct IdTokenExpectations {
  std::string issuer;
  std::string clientId;
  std::string nonce;
  std::chrono::system_clock::time_point now;
  std::chrono::seconds leeway{60};       // clock skew tolerated on exp and iat
  std::chrono::seconds maxAge{10 * 60};  // an ID token issued longer ago is refused
  std::string minimumAcr = "eidas1";
};

enum class TokenProblem {
  None,
  Malformed,  // not a compact JWS with JSON parts, or a claim of the wrong type
  Signature,  // no key of the JWKS verifies it (or alg none/HS*/unknown, unknown kid)
  Issuer,     // iss is not the configured issuer
  Audience,   // aud does not contain the client id (or azp is another party's)
  Expired,    // exp is past
  IssuedAt,   // iat missing, in the future or too old
  Nonce,      // nonce is not the one sent with the authorization request
  Acr,        // acr below the minimum level (eidas1)
  Subject,    // sub missing or empty
};

/// A short technical name of the problem, for the audit log.
const char* problemName(TokenProblem p);

struct VerifiedToken {
  TokenProblem problem = TokenProblem::Malformed;
  nlohmann::json claims;  // filled when problem == None
  bool ok() const { return problem == TokenProblem::None; }
};

/// The rank of an acr value among eIDAS levels ("eidas1" < "eidas2" < "eidas3"); 0 when unknown.
int acrRank(const std::string& acr);

VerifiedToken verifyIdToken(const std::string& compact, const Jwks& jwks,
                            const IdTokenExpectations& expected);

/// The userinfo answer, plain JSON or a signed JWT (then verified with the JWKS, and its iss
/// and aud when present); its `sub` must be the ID token's.
VerifiedToken verifyUserinfo(const std::string& body, const std::string& contentType,
                             const Jwks& jwks, const std::string& issuer,
                             const std::string& clientId, const std::string& subject);

}  // namespace sas::oidc
