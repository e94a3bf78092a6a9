#include "oidc/jose.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace sas::oidc {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
struct BldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

Bn bignum(std::string_view raw) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()),
                      static_cast<int>(raw.size()), nullptr));
}

std::shared_ptr<EVP_PKEY> fromData(const char* type, OSSL_PARAM* params) {
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) <= 0 || !raw) return nullptr;
  std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, raw, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return key;
}

std::string jsonString(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

}  // namespace

void EvpKeyFree::operator()(EVP_PKEY* k) const {
  EVP_PKEY_free(k);
}

std::string base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (bytes.size() - i == 1) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (bytes.size() - i == 2) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    int s = sextet(c);
    if (s < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(s);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string sha256(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md.data(), &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 indisponible");
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

std::string randomToken(std::size_t length) {
  std::string raw(length, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(length)) != 1)
    throw std::runtime_error("générateur aléatoire indisponible");
  return base64UrlEncode(raw);
}

std::string pkceChallenge(std::string_view verifier) {
  return base64UrlEncode(sha256(verifier));
}

std::shared_ptr<EVP_PKEY> rsaPublicKey(std::string_view n64, std::string_view e64) {
  auto n = base64UrlDecode(n64);
  auto e = base64UrlDecode(e64);
  if (!n || !e || n->empty() || e->empty()) return nullptr;
  if (n->size() < 256) return nullptr;  // RSA keys under 2048 bits are refused
  Bn bn(bignum(*n)), be(bignum(*e));
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bn || !be || !bld) return nullptr;
  if (!OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, be.get()))
    return nullptr;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return nullptr;
  return fromData("RSA", params.get());
}

std::shared_ptr<EVP_PKEY> ecP256PublicKey(std::string_view x64, std::string_view y64) {
  auto x = base64UrlDecode(x64);
  auto y = base64UrlDecode(y64);
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  std::string point = "\x04" + *x + *y;
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld) return nullptr;
  if (!OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size()))
    return nullptr;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return nullptr;
  return fromData("EC", params.get());
}

Jwks Jwks::parse(const nlohmann::json& document) {
  Jwks out;
  if (!document.is_object() || !document.contains("keys") || !document["keys"].is_array())
    return out;
  for (const auto& k : document["keys"]) {
    if (!k.is_object()) continue;
    Jwk jwk{jsonString(k, "kid"), jsonString(k, "kty"), jsonString(k, "alg"), jsonString(k, "use"),
            nullptr};
    if (!jwk.use.empty() && jwk.use != "sig") continue;
    if (jwk.kty == "RSA") {
      jwk.key = rsaPublicKey(jsonString(k, "n"), jsonString(k, "e"));
    } else if (jwk.kty == "EC" && jsonString(k, "crv") == "P-256") {
      jwk.key = ecP256PublicKey(jsonString(k, "x"), jsonString(k, "y"));
    }
    if (jwk.key) out.keys_.push_back(std::move(jwk));
  }
  return out;
}

Jwks Jwks::parse(const std::string& text) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return Jwks{};
  return parse(doc);
}

std::vector<const Jwk*> Jwks::candidates(const std::string& kid, const std::string& alg) const {
  std::string kty = alg == "RS256" ? "RSA" : alg == "ES256" ? "EC" : "";
  std::vector<const Jwk*> out;
  if (kty.empty()) return out;
  for (const auto& k : keys_) {
    if (k.kty != kty) continue;
    if (!k.alg.empty() && k.alg != alg) continue;
    if (!kid.empty() && k.kid != kid) continue;
    out.push_back(&k);
  }
  return out;
}

std::string Jws::alg() const {
  return jsonString(header, "alg");
}
std::string Jws::kid() const {
  return jsonString(header, "kid");
}

std::optional<Jws> parseJws(const std::string& compact) {
  auto first = compact.find('.');
  if (first == std::string::npos) return std::nullopt;
  auto second = compact.find('.', first + 1);
  if (second == std::string::npos || compact.find('.', second + 1) != std::string::npos)
    return std::nullopt;
  auto header = base64UrlDecode(std::string_view(compact).substr(0, first));
  auto payload = base64UrlDecode(std::string_view(compact).substr(first + 1, second - first - 1));
  auto signature = base64UrlDecode(std::string_view(compact).substr(second + 1));
  if (!header || !payload || !signature) return std::nullopt;
  Jws jws;
  jws.header = nlohmann::json::parse(*header, nullptr, false);
  jws.payload = nlohmann::json::parse(*payload, nullptr, false);
  if (jws.header.is_discarded() || jws.payload.is_discarded() || !jws.header.is_object() ||
      !jws.payload.is_object())
    return std::nullopt;
  jws.signingInput = compact.substr(0, second);
  jws.signature = std::move(*signature);
  return jws;
}

bool verifySignature(const Jws& jws, EVP_PKEY* key) {
  if (!key) return false;
  std::string alg = jws.alg();
  std::string der;
  if (alg == "RS256") {
    if (!EVP_PKEY_is_a(key, "RSA")) return false;
    der = jws.signature;
  } else if (alg == "ES256") {
    if (!EVP_PKEY_is_a(key, "EC") || jws.signature.size() != 64) return false;
    std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
    Bn r(bignum(std::string_view(jws.signature).substr(0, 32)));
    Bn s(bignum(std::string_view(jws.signature).substr(32, 32)));
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return false;
    r.release();
    s.release();
    unsigned char* out = nullptr;
    int len = i2d_ECDSA_SIG(sig.get(), &out);
    if (len <= 0) return false;
    der.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
    OPENSSL_free(out);
  } else {
    return false;  // "none", HS256 (the client secret is not a signing key here), others
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                          reinterpret_cast<const unsigned char*>(jws.signingInput.data()),
                          jws.signingInput.size()) == 1;
}

bool verifyWithJwks(const Jws& jws, const Jwks& jwks) {
  for (const Jwk* k : jwks.candidates(jws.kid(), jws.alg()))
    if (verifySignature(jws, k->key.get())) return true;
  return false;
}

}  // namespace sas::oidc
