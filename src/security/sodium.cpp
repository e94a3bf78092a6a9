#include "security/sodium.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>
#include <string>

namespace sas::security {

void initSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

Argon2Cost Argon2Cost::moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

Argon2Cost Argon2Cost::minimal() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Argon2Hasher::Argon2Hasher(Argon2Cost cost) : cost_(cost) {
  initSodium();
}

std::string Argon2Hasher::hash(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost_.opsLimit,
                            cost_.memLimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return std::string(out.data());
}

bool Argon2Hasher::verify(std::string_view storedHash, std::string_view password) const {
  const std::string h(storedHash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

SodiumTokens::SodiumTokens() {
  initSodium();
}

std::string SodiumTokens::randomBytes(std::size_t n) const {
  std::string bytes(n, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

std::string SodiumTokens::random() const {
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(text.data());
}

std::string SodiumTokens::digest(std::string_view token) const {
  std::array<unsigned char, crypto_generichash_BYTES> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  return std::string(hex.data());
}

bool SodiumTokens::equal(std::string_view a, std::string_view b) const {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sas::security
