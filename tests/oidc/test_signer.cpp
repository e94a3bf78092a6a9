#include "oidc/test_signer.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <stdexcept>
#include <vector>

#include "oidc/jose.hpp"

namespace sas::oidc::testing {

namespace {

std::string bnBytes(EVP_PKEY* key, const char* name, std::size_t width) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("bn param");
  std::string out(width ? width : static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  if (width)
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(width));
  else
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

}  // namespace

TestSigner::TestSigner(Kind kind, std::string kid) : kind_(kind), kid_(std::move(kid)) {
  EVP_PKEY* raw = kind == Kind::Rsa ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                                    : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (!raw) throw std::runtime_error("keygen");
  key_.reset(raw, EVP_PKEY_free);
}

std::string TestSigner::sign(const nlohmann::json& payload, const std::string& alg) const {
  nlohmann::json header = {{"alg", alg.empty() ? this->alg() : alg}, {"kid", kid_}, {"typ", "JWT"}};
  std::string input = base64UrlEncode(header.dump()) + "." + base64UrlEncode(payload.dump());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_.get());
  std::size_t len = 0;
  EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  std::vector<unsigned char> sig(len);
  EVP_DigestSign(ctx, sig.data(), &len, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  EVP_MD_CTX_free(ctx);
  sig.resize(len);
  std::string raw;
  if (kind_ == Kind::Rsa) {
    raw.assign(sig.begin(), sig.end());
  } else {  // DER -> r||s
    const unsigned char* p = sig.data();
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    raw.assign(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
  }
  return input + "." + base64UrlEncode(raw);
}

nlohmann::json TestSigner::jwk() const {
  if (kind_ == Kind::Rsa)
    return {{"kty", "RSA"},
            {"kid", kid_},
            {"use", "sig"},
            {"alg", "RS256"},
            {"n", base64UrlEncode(bnBytes(key_.get(), OSSL_PKEY_PARAM_RSA_N, 0))},
            {"e", base64UrlEncode(bnBytes(key_.get(), OSSL_PKEY_PARAM_RSA_E, 0))}};
  return {{"kty", "EC"},
          {"kid", kid_},
          {"use", "sig"},
          {"crv", "P-256"},
          {"x", base64UrlEncode(bnBytes(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32))},
          {"y", base64UrlEncode(bnBytes(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
}

nlohmann::json jwksOf(std::initializer_list<const TestSigner*> signers) {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto* s : signers) keys.push_back(s->jwk());
  return {{"keys", keys}};
}

}  // namespace sas::oidc::testing
