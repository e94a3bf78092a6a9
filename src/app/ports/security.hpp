#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace sas::app {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual std::string hash(std::string_view password) const = 0;
  virtual bool verify(std::string_view storedHash, std::string_view password) const = 0;
};

/// Random secrets for sessions, CSRF and links; only their digests are stored.
class Tokens {
 public:
  virtual ~Tokens() = default;
  /// 256 random bits, URL-safe text.
  virtual std::string random() const = 0;
  /// `n` random bytes, for the codes people quote (domain::readableCode).
  virtual std::string randomBytes(std::size_t n) const = 0;
  /// A one-way digest of a token, as stored (hex).
  virtual std::string digest(std::string_view token) const = 0;
  /// Comparison whose time does not depend on where the texts differ.
  virtual bool equal(std::string_view a, std::string_view b) const = 0;
};

}  // namespace sas::app
