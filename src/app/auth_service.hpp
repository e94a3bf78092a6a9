#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "app/actor.hpp"
#include "app/ports/accounts.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/repositories.hpp"
#include "app/ports/security.hpp"
#include "domain/account_rules.hpp"

namespace sas::app {

struct SessionLimits {
  std::chrono::seconds idle{30 * 60};        // docs/rules.md#sessions: 30 minutes idle
  std::chrono::seconds absolute{12 * 3600};  // and 12 hours in all
  std::chrono::seconds touchEvery{60};       // last-seen written at most once a minute
};

struct SessionState {
  Actor actor;
  std::string csrfToken;
  bool passwordExpired = false;  // must set a new password before anything else
};

/// What a login attempt gets. `Refused` says nothing more (wrong email, wrong password,
/// disabled or locked account); `AddressThrottled` is about the client address only, so it may
/// be said (« Trop de tentatives depuis cette adresse… »).
struct LoginResult {
  enum class Outcome { LoggedIn, Refused, AddressThrottled };
  Outcome outcome = Outcome::Refused;
  std::string sessionToken;           // LoggedIn
  std::chrono::seconds retryAfter{};  // AddressThrottled
};

/// A password typed again by someone already logged in (« Vos identifiants de connexion »).
enum class PasswordCheck { Correct, Wrong, Locked };

class AuthService {
 public:
  AuthService(UserRepository& users, SessionRepository& sessions, AuditLog& audit,
              AccountRepository& accounts, const PasswordHasher& hasher, const Tokens& tokens,
              const Clock& clock, SessionLimits limits, domain::ThrottlePolicy throttle,
              domain::PasswordAgePolicy passwordAge);

  /// A new session on success. What the throttle refuses is refused before any hashing; the
  /// rest costs the same Argon2id work whether the email is known or not. Throws
  /// AppError(Unavailable) when the hashing pool is full.
  LoginResult login(const std::string& email, const std::string& password,
                    const std::string& clientAddress);
  /// The current password of a logged-in user, checked against the same per-account and
  /// per-address counters as logins: a wrong one counts as a failed login, and once the
  /// account is locked nothing is hashed.
  PasswordCheck checkPassword(const User& user, const std::string& password,
                              const std::string& clientAddress);
  /// How long `clientAddress` stays blocked by its login failures (zero: not blocked).
  std::chrono::seconds addressBlockedFor(const std::string& clientAddress);
  const domain::ThrottlePolicy& throttle() const { return throttle_; }
  /// What the throttles key on for an email typed: normalised, cut at the longest address
  /// possible, so that a megabyte typed is not stored with every attempt.
  static std::string emailKey(const std::string& typed);
  std::optional<SessionState> resolve(const std::string& token, const std::string& clientAddress);
  void logout(const std::string& token, const std::string& clientAddress);
  /// A new session for an identity just proven another way (a link sent by email).
  std::string openSession(std::int64_t userId, const std::string& clientAddress);

 private:
  UserRepository& users_;
  SessionRepository& sessions_;
  AuditLog& audit_;
  AccountRepository& accounts_;
  const PasswordHasher& hasher_;
  const Tokens& tokens_;
  const Clock& clock_;
  SessionLimits limits_;
  domain::ThrottlePolicy throttle_;
  domain::PasswordAgePolicy passwordAge_;
  std::string decoyHash_;  // verified against when the email is unknown
};

}  // namespace sas::app
