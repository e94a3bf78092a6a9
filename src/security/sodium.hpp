#pragma once
// libsodium implementations of the security ports.
#include <cstddef>

#include "app/ports/security.hpp"

namespace sas::security {

/// Argon2id cost. Production uses libsodium's moderate limits; tests use cheap ones.
struct Argon2Cost {
  unsigned long long opsLimit;
  std::size_t memLimit;
  static Argon2Cost moderate();
  static Argon2Cost minimal();  // for tests only
};

/// Calls sodium_init once; throws if libsodium cannot start.
void initSodium();

class Argon2Hasher final : public app::PasswordHasher {
 public:
  explicit Argon2Hasher(Argon2Cost cost);
  std::string hash(std::string_view password) const override;
  bool verify(std::string_view storedHash, std::string_view password) const override;

 private:
  Argon2Cost cost_;
};

class SodiumTokens final : public app::Tokens {
 public:
  SodiumTokens();
  std::string random() const override;
  std::string randomBytes(std::size_t n) const override;
  std::string digest(std::string_view token) const override;
  bool equal(std::string_view a, std::string_view b) const override;
};

}  // namespace sas::security
