#pragma once
// Test keys that sign JWTs like a provider does (RS256 / ES256), and publish them as a JWKS.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

typedef struct evp_pkey_st EVP_PKEY;

namespace sas::oidc::testing {

class TestSigner {
 public:
  enum class Kind { Rsa, Ec };
  TestSigner(Kind kind, std::string kid);

  /// The compact JWS of `payload`, with header {alg, kid, typ}; `alg` overrides the header's
  /// algorithm (to test a lying header).
  std::string sign(const nlohmann::json& payload, const std::string& alg = "") const;
  /// This key's public JWK.
  nlohmann::json jwk() const;
  const std::string& kid() const { return kid_; }
  std::string alg() const { return kind_ == Kind::Rsa ? "RS256" : "ES256"; }

 private:
  Kind kind_;
  std::string kid_;
  std::shared_ptr<EVP_PKEY> key_;
};

/// {"keys": [...]} of the signers' public keys.
nlohmann::json jwksOf(std::initializer_list<const TestSigner*> signers);

}  // namespace sas::oidc::testing
