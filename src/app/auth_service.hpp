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

class AuthService {
 public:
  AuthService(UserRepository& users, SessionRepository& sessions, AuditLog& audit,
              AccountRepository& accounts, const PasswordHasher& hasher, const Tokens& tokens,
              const Clock& clock, SessionLimits limits, domain::ThrottlePolicy throttle,
              domain::PasswordAgePolicy passwordAge);

  /// The new session's secret token on success; the same nothing for a wrong email, a wrong
  /// password, a disabled or locked account or a blocked address, after the same work.
  std::optional<std::string> login(const std::string& email, const std::string& password,
                                   const std::string& clientAddress);
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
