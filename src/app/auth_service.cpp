#include "app/auth_service.hpp"

#include <algorithm>
#include <cctype>

namespace sas::app {
namespace {
std::string normalizeEmail(std::string email) {
  auto notSpace = [](unsigned char c) { return !std::isspace(c); };
  email.erase(email.begin(), std::find_if(email.begin(), email.end(), notSpace));
  email.erase(std::find_if(email.rbegin(), email.rend(), notSpace).base(), email.end());
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return email;
}
}  // namespace

AuthService::AuthService(UserRepository& users, SessionRepository& sessions, AuditLog& audit,
                         const PasswordHasher& hasher, const Tokens& tokens, const Clock& clock,
                         SessionLimits limits)
    : users_(users),
      sessions_(sessions),
      audit_(audit),
      hasher_(hasher),
      tokens_(tokens),
      clock_(clock),
      limits_(limits),
      decoyHash_(hasher.hash(tokens.random())) {}

std::optional<std::string> AuthService::login(const std::string& email, const std::string& password,
                                              const std::string& clientAddress) {
  const auto user = users_.findByEmail(normalizeEmail(email));
  const bool passwordOk = user && !user->passwordHash.empty()
                              ? hasher_.verify(user->passwordHash, password)
                              : (hasher_.verify(decoyHash_, password), false);
  const auto now = clock_.now();
  if (!user || !passwordOk || user->disabled) {
    audit_.record({user ? std::optional(user->id) : std::nullopt, "login_failed",
                   user ? "user:" + std::to_string(user->id) : "", "", clientAddress},
                  now);
    return std::nullopt;
  }
  // A new id at every login: a session id known before login is worth nothing after it.
  std::string token = tokens_.random();
  sessions_.create({tokens_.digest(token), user->id, tokens_.random(), now, now});
  audit_.record({user->id, "login", "user:" + std::to_string(user->id), "", clientAddress}, now);
  return token;
}

std::optional<SessionState> AuthService::resolve(const std::string& token,
                                                 const std::string& clientAddress) {
  if (token.empty()) return std::nullopt;
  const std::string digest = tokens_.digest(token);
  auto session = sessions_.find(digest);
  if (!session) return std::nullopt;
  const auto now = clock_.now();
  if (now - session->lastSeenAt >= limits_.idle || now - session->createdAt >= limits_.absolute) {
    sessions_.remove(digest);
    return std::nullopt;
  }
  auto user = users_.findById(session->userId);
  if (!user || user->disabled) {
    sessions_.remove(digest);
    return std::nullopt;
  }
  if (now - session->lastSeenAt >= limits_.touchEvery) sessions_.touch(digest, now);
  Actor actor{*user, users_.linkedStructureIds(user->id), clientAddress};
  return SessionState{std::move(actor), session->csrfToken};
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
