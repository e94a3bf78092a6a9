#pragma once
// JSON Web Keys and JSON Web Signatures (RFC 7515, 7517, 7518) as Pro Santé Connect uses them:
// RS256 and ES256 signatures, keys published as a JWKS and chosen by `kid`. POCO JWT has no
// JWKS, so the keys are built from their parameters with OpenSSL 3 (EVP_PKEY_fromdata).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

typedef struct evp_pkey_st EVP_PKEY;

namespace sas::oidc {

std::string base64UrlEncode(std::string_view bytes);
/// Nothing when the text is not base64url (padding tolerated).
std::optional<std::string> base64UrlDecode(std::string_view text);
std::string sha256(std::string_view bytes);
/// `length` random bytes from OpenSSL's generator, base64url-encoded.
std::string randomToken(std::size_t length = 32);
/// The PKCE S256 challenge of a verifier (RFC 7636 §4.2).
std::string pkceChallenge(std::string_view verifier);

struct EvpKeyFree {
  void operator()(EVP_PKEY* k) const;
};
using EvpKey = std::unique_ptr<EVP_PKEY, EvpKeyFree>;

/// One public key of a JWKS.
struct Jwk {
  std::string kid;
  std::string kty;  // "RSA" or "EC"
  std::string alg;  // may be empty
  std::string use;  // may be empty
  std::shared_ptr<EVP_PKEY> key;
};

class Jwks {
 public:
  /// The usable keys of a JWKS document (RSA with n,e; EC P-256 with x,y); others are skipped.
  static Jwks parse(const nlohmann::json& document);
  static Jwks parse(const std::string& text);

  /// The keys that may have signed a token with this `kid` and `alg` (all fitting keys when
  /// the token has no kid).
  std::vector<const Jwk*> candidates(const std::string& kid, const std::string& alg) const;
  std::size_t size() const { return keys_.size(); }

 private:
  std::vector<Jwk> keys_;
};

/// Builds a key from JWK parameters; nothing when they do not make a valid key.
std::shared_ptr<EVP_PKEY> rsaPublicKey(std::string_view n, std::string_view e);
std::shared_ptr<EVP_PKEY> ecP256PublicKey(std::string_view x, std::string_view y);

/// A compact JWS split and decoded, not yet verified.
struct Jws {
  nlohmann::json header;
  nlohmann::json payload;
  std::string signingInput;  // base64url(header) "." base64url(payload)
  std::string signature;     // raw bytes
  std::string alg() const;
  std::string kid() const;
};

/// Nothing when the text is not a compact JWS with JSON header and payload.
std::optional<Jws> parseJws(const std::string& compact);

/// Verifies the signature with `key` for RS256 (RSASSA-PKCS1-v1_5 SHA-256) or ES256 (ECDSA
/// P-256 SHA-256, r||s); any other algorithm is refused.
bool verifySignature(const Jws& jws, EVP_PKEY* key);

/// Checks the signature against the JWKS; false when no candidate key verifies it.
bool verifyWithJwks(const Jws& jws, const Jwks& jwks);

}  // namespace sas::oidc
