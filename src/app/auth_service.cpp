#include "app/auth_service.hpp"

#include <algorithm>
#include <cctype>

namespace sas::app {

AuthService::AuthService(UserRepository& users, SessionRepository& sessions, AuditLog& audit,
                         AccountRepository& accounts, const PasswordHasher& hasher,
                         const Tokens& tokens, const Clock& clock, SessionLimits limits,
                         domain::ThrottlePolicy throttle, domain::PasswordAgePolicy passwordAge)
    : users_(users),
      sessions_(sessions),
      audit_(audit),
      accounts_(accounts),
      hasher_(hasher),
      tokens_(tokens),
      clock_(clock),
      limits_(limits),
      throttle_(throttle),
      passwordAge_(passwordAge),
      decoyHash_(hasher.hash(tokens.random())) {}

std::string AuthService::emailKey(const std::string& email) {
  // Longer texts cannot be an account's email.
  const std::string typed = normalizeEmail(email);
  return typed.size() > domain::kMaxEmailLength ? typed.substr(0, domain::kMaxEmailLength) : typed;
}

std::chrono::seconds AuthService::addressBlockedFor(const std::string& clientAddress) {
  const auto now = clock_.now();
  return domain::addressBlockedFor(
      accounts_.failuresOfAddress(clientAddress, now - throttle_.window), now, throttle_);
}

LoginResult AuthService::login(const std::string& email, const std::string& password,
                               const std::string& clientAddress) {
  const std::string typed = emailKey(email);
  const auto now = clock_.now();
  // What the throttle refuses is refused here, before the Argon2id work: a flood of attempts
  // from a blocked address or on a locked account costs a query each, not an Argon2id hash.
  if (const auto wait = addressBlockedFor(clientAddress); wait.count() > 0) {
    audit_.record({std::nullopt, "login_failed", "", "address_blocked", clientAddress}, now);
    return {LoginResult::Outcome::AddressThrottled, "", wait};
  }
  // Locks are on the email typed, known or not, so that answering a locked one without
  // hashing tells nothing about which accounts exist.
  if (domain::accountLocked(
          accounts_.failuresOfEmail(typed, now - throttle_.window - throttle_.lockout), now,
          throttle_)) {
    audit_.record({std::nullopt, "login_failed", "", "locked", clientAddress}, now);
    return {};
  }
  const auto user = users_.findByEmail(typed);
  // The same Argon2id work whether the email is known or not, so that timing tells nothing.
  const bool passwordOk = user && !user->passwordHash.empty()
                              ? hasher_.verify(user->passwordHash, password)
                              : (hasher_.verify(decoyHash_, password), false);
  if (!user || !passwordOk || user->disabled) {
    accounts_.recordLoginFailure(typed, clientAddress, now);
    audit_.record({user ? std::optional(user->id) : std::nullopt, "login_failed",
                   user ? "user:" + std::to_string(user->id) : "", "", clientAddress},
                  now);
    return {};
  }
  accounts_.clearLoginFailures(typed);
  audit_.record({user->id, "login", "user:" + std::to_string(user->id), "", clientAddress}, now);
  return {LoginResult::Outcome::LoggedIn, openSession(user->id, clientAddress), {}};
}

PasswordCheck AuthService::checkPassword(const User& user, const std::string& password,
                                         const std::string& clientAddress) {
  const auto now = clock_.now();
  const std::string key = emailKey(user.email);
  // The same budget of guesses as the login form: a stolen session must not give more.
  if (domain::accountLocked(
          accounts_.failuresOfEmail(key, now - throttle_.window - throttle_.lockout), now,
          throttle_) ||
      addressBlockedFor(clientAddress).count() > 0)
    return PasswordCheck::Locked;
  if (!user.passwordHash.empty() && hasher_.verify(user.passwordHash, password))
    return PasswordCheck::Correct;
  accounts_.recordLoginFailure(key, clientAddress, now);
  audit_.record(
      {user.id, "password_check_failed", "user:" + std::to_string(user.id), "", clientAddress},
      now);
  return PasswordCheck::Wrong;
}

std::string AuthService::openSession(std::int64_t userId, const std::string&) {
  // A new id at every login: a session id known before login is worth nothing after it.
  const auto now = clock_.now();
  std::string token = tokens_.random();
  sessions_.create({tokens_.digest(token), userId, tokens_.random(), now, now});
  return token;
}

std::optional<SessionState> AuthService::resolve(const std::string& token,
                                                 const std::string& clientAddress) {
  if (token.empty()) return std::nullopt;
  const std::string digest = tokens_.digest(token);
  auto found = sessions_.findWithUser(digest);
  if (!found) return std::nullopt;
  auto& [session, user, structures] = *found;
  const auto now = clock_.now();
  if (now - session.lastSeenAt >= limits_.idle || now - session.createdAt >= limits_.absolute ||
      user.disabled) {
    sessions_.remove(digest);
    return std::nullopt;
  }
  if (now - session.lastSeenAt >= limits_.touchEvery) sessions_.touch(digest, now);
  const bool expired =
      user.passwordChangedAt && domain::passwordExpired(*user.passwordChangedAt, now, passwordAge_);
  Actor actor{std::move(user), std::move(structures), clientAddress, {}};
  if (actor.user.role == Role::Delegate)
    actor.delegated = users_.delegatedStructures(actor.user.id);
  return SessionState{std::move(actor), std::move(session.csrfToken), expired};
}

void AuthService::logout(const std::string& token, const std::string& clientAddress) {
  if (token.empty()) return;
  const std::string digest = tokens_.digest(token);
  if (auto session = sessions_.find(digest)) {
    sessions_.remove(digest);
    audit_.record(
        {session->userId, "logout", "user:" + std::to_string(session->userId), "", clientAddress},
        clock_.now());
  }
}

}  // namespace sas::app
