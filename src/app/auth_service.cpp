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

std::optional<std::string> AuthService::login(const std::string& email, const std::string& password,
                                              const std::string& clientAddress) {
  const std::string typed = normalizeEmail(email);
  const auto now = clock_.now();
  // Locks are on the email typed, known or not, so that they tell nothing about accounts.
  const auto since = now - throttle_.window - throttle_.lockout;
  const bool locked =
      domain::accountLocked(accounts_.failuresOfEmail(typed, since), now, throttle_);
  const bool blocked =
      domain::addressBlocked(accounts_.failuresOfAddress(clientAddress, since), now, throttle_);
  const auto user = users_.findByEmail(typed);
  // The same Argon2id work whatever happens next, so that timing tells nothing either.
  const bool passwordOk = user && !user->passwordHash.empty()
                              ? hasher_.verify(user->passwordHash, password)
                              : (hasher_.verify(decoyHash_, password), false);
  if (locked || blocked || !user || !passwordOk || user->disabled) {
    if (!locked && !blocked) accounts_.recordLoginFailure(typed, clientAddress, now);
    audit_.record({user ? std::optional(user->id) : std::nullopt, "login_failed",
                   user ? "user:" + std::to_string(user->id) : "",
                   locked ? "locked" : (blocked ? "address_blocked" : ""), clientAddress},
                  now);
    return std::nullopt;
  }
  accounts_.clearLoginFailures(typed);
  audit_.record({user->id, "login", "user:" + std::to_string(user->id), "", clientAddress}, now);
  return openSession(user->id, clientAddress);
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
  auto& [session, user] = *found;
  const auto now = clock_.now();
  if (now - session.lastSeenAt >= limits_.idle || now - session.createdAt >= limits_.absolute ||
      user.disabled) {
    sessions_.remove(digest);
    return std::nullopt;
  }
  if (now - session.lastSeenAt >= limits_.touchEvery) sessions_.touch(digest, now);
  const bool expired =
      user.passwordChangedAt && domain::passwordExpired(*user.passwordChangedAt, now, passwordAge_);
  const auto structures = users_.linkedStructureIds(user.id);
  Actor actor{std::move(user), structures, clientAddress};
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
