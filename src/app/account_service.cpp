#include "app/account_service.hpp"

#include <algorithm>
#include <cctype>

#include "app/email_links.hpp"
#include "app/errors.hpp"
#include "domain/password_policy.hpp"

namespace sas::app {

using domain::Checked;
using domain::FieldError;

AccountService::AccountService(UserRepository& users, AccountRepository& accounts,
                               AuthService& auth, const PasswordHasher& hasher,
                               const Tokens& tokens, const EmailTemplates& emails,
                               const Clock& clock, AccountSettings settings)
    : users_(users),
      accounts_(accounts),
      auth_(auth),
      hasher_(hasher),
      tokens_(tokens),
      emails_(emails),
      clock_(clock),
      settings_(std::move(settings)) {}

std::string AccountService::link(std::string_view path, const std::string& rawToken) const {
  return email_links::link(settings_.baseUrl, path, rawToken);
}

std::chrono::seconds AccountService::lifetime(TokenPurpose p) const {
  switch (p) {
    case TokenPurpose::Activation:
      return settings_.activationLifetime;
    case TokenPurpose::Reset:
      return settings_.resetLifetime;
    case TokenPurpose::EmailChange:
      return settings_.emailChangeLifetime;
  }
  return settings_.resetLifetime;
}

std::vector<FieldError> AccountService::passwordErrors(const std::string& password,
                                                       const std::string& email,
                                                       const char* field) const {
  std::vector<FieldError> errors;
  for (auto rule : domain::passwordFailures(password, email))
    errors.push_back({field, domain::describe(rule)});
  return errors;
}

std::chrono::seconds AccountService::requestPasswordReset(const std::string& email,
                                                          const std::string& clientAddress) {
  const auto& policy = auth_.throttle();
  const std::string key = AuthService::emailKey(email);
  const auto now = clock_.now();
  // Per address: one client asking for the emails of many accounts is told to wait (that is
  // about the address, not about any account).
  const auto wait = domain::addressBlockedFor(
      accounts_.resetRequestsOfAddress(clientAddress, now - policy.window), now, policy);
  if (wait.count() > 0) return wait;
  // Per email typed, known or not: beyond the limit nothing is sent, and the answer is the
  // same, so that it tells nothing about the account and one inbox cannot be flooded.
  if (domain::accountLocked(
          accounts_.resetRequestsOfEmail(key, now - policy.window - policy.lockout), now, policy))
    return std::chrono::seconds{0};
  accounts_.recordResetRequest(key, clientAddress, now);
  const auto user = users_.findByEmail(key);
  if (!user || user->disabled) return std::chrono::seconds{0};
  const std::string raw = tokens_.random();
  const auto message =
      emails_.render("reset", user->email,
                     {{"prenom", user->firstName},
                      {"lien", link(email_links::kReset, raw)},
                      {"heures", std::to_string(settings_.resetLifetime.count() / 3600)}});
  accounts_.issueToken(
      {tokens_.digest(raw), user->id, TokenPurpose::Reset, "", now, {}}, message,
      {user->id, "password.reset_requested", "user:" + std::to_string(user->id), "", clientAddress},
      now);
  return std::chrono::seconds{0};
}

std::optional<FieldError> AccountService::currentPasswordError(const User& user,
                                                               const std::string& password,
                                                               const std::string& clientAddress) {
  switch (auth_.checkPassword(user, password, clientAddress)) {
    case PasswordCheck::Correct:
      return std::nullopt;
    case PasswordCheck::Wrong:
      return FieldError{"mot_de_passe_actuel", "Le mot de passe actuel est incorrect."};
    case PasswordCheck::Locked:
      break;
  }
  return FieldError{"mot_de_passe_actuel",
                    "Trop de tentatives avec un mot de passe incorrect. Réessayez dans quelques "
                    "minutes."};
}

LinkCheck AccountService::checkLink(TokenPurpose purpose, const std::string& rawToken) {
  LinkCheck check;
  if (rawToken.empty()) return check;
  auto token = accounts_.findToken(tokens_.digest(rawToken));
  if (!token || token->purpose != purpose) return check;
  check.token = *token;
  check.user = users_.findById(token->userId);
  if (!check.user || check.user->disabled) {
    check.user.reset();
    return check;
  }
  if (token->usedAt)
    check.problem = LinkProblem::Used;
  else if (!domain::linkValid(token->createdAt, lifetime(purpose), clock_.now()))
    check.problem = LinkProblem::Expired;
  else
    check.problem = LinkProblem::None;
  return check;
}

PasswordLinkUse AccountService::setPasswordWithLink(TokenPurpose purpose,
                                                    const std::string& rawToken,
                                                    const std::string& password, bool acceptTerms,
                                                    const std::string& clientAddress) {
  PasswordLinkUse use{checkLink(purpose, rawToken), {}};
  auto& check = use.check;
  if (check.problem != LinkProblem::None) return use;
  auto errors = passwordErrors(password, check.user->email, "mot_de_passe");
  if (purpose == TokenPurpose::Activation && !acceptTerms)
    errors.push_back({"cgu", "Vous devez accepter les conditions générales d'utilisation."});
  if (!errors.empty()) {
    use.session = Checked<std::string>::failure(std::move(errors));
    return use;
  }
  const auto now = clock_.now();
  const bool done = accounts_.useTokenForPassword(
      check.token.digest, check.user->id, hasher_.hash(password),
      purpose == TokenPurpose::Activation,
      {check.user->id, purpose == TokenPurpose::Activation ? "account.activated" : "password.reset",
       "user:" + std::to_string(check.user->id), "", clientAddress},
      now);
  if (!done) {
    check.problem = LinkProblem::Used;  // by another request meanwhile: nothing was changed
    return use;
  }
  use.session = Checked<std::string>::success(auth_.openSession(check.user->id, clientAddress));
  return use;
}

Checked<bool> AccountService::changePassword(const Actor& actor, const std::string& sessionToken,
                                             const std::string& current, const std::string& next) {
  std::vector<FieldError> errors;
  auto user = users_.findById(actor.user.id);
  if (!user) throw AppError(ErrorCode::Unauthenticated, "user gone");
  if (auto wrong = currentPasswordError(*user, current, actor.clientAddress))
    errors.push_back(*wrong);
  auto policy = passwordErrors(next, user->email, "nouveau_mot_de_passe");
  errors.insert(errors.end(), policy.begin(), policy.end());
  if (errors.empty() && hasher_.verify(user->passwordHash, next))
    errors.push_back(
        {"nouveau_mot_de_passe", "Le nouveau mot de passe doit être différent de l'actuel."});
  if (!errors.empty()) return Checked<bool>::failure(std::move(errors));
  accounts_.changePassword(
      user->id, hasher_.hash(next), tokens_.digest(sessionToken),
      {user->id, "password.changed", "user:" + std::to_string(user->id), "", actor.clientAddress},
      clock_.now());
  return Checked<bool>::success(true);
}

Checked<bool> AccountService::requestEmailChange(const Actor& actor, const std::string& newEmail,
                                                 const std::string& currentPassword) {
  std::vector<FieldError> errors;
  auto user = users_.findById(actor.user.id);
  if (!user) throw AppError(ErrorCode::Unauthenticated, "user gone");
  const std::string email = normalizeEmail(newEmail);
  if (domain::characterCount(email) > domain::kMaxEmailLength)
    errors.push_back({"nouvelle_adresse", "L'adresse électronique ne doit pas dépasser " +
                                              std::to_string(domain::kMaxEmailLength) +
                                              " caractères."});
  else if (!plausibleEmail(email))
    errors.push_back({"nouvelle_adresse",
                      "Saisissez une adresse électronique valide, par exemple nom@domaine.fr."});
  else if (email == user->email)
    errors.push_back({"nouvelle_adresse", "C'est déjà l'adresse de votre compte."});
  // Checked last: a form refused for its address spends no guess of the password.
  if (errors.empty()) {
    if (auto wrong = currentPasswordError(*user, currentPassword, actor.clientAddress))
      errors.push_back(*wrong);
  }
  if (!errors.empty()) return Checked<bool>::failure(std::move(errors));
  // Whether the new address is taken is checked when the link is used: saying it here would
  // tell who has an account.
  const std::string raw = tokens_.random();
  const auto now = clock_.now();
  const auto message =
      emails_.render("email_change", email,
                     {{"prenom", user->firstName},
                      {"lien", link(email_links::kEmailChange, raw)},
                      {"heures", std::to_string(settings_.emailChangeLifetime.count() / 3600)}});
  accounts_.issueToken({tokens_.digest(raw), user->id, TokenPurpose::EmailChange, email, now, {}},
                       message,
                       {user->id, "email.change_requested", "user:" + std::to_string(user->id),
                        email, actor.clientAddress},
                       now);
  return Checked<bool>::success(true);
}

bool AccountService::confirmEmailChange(const std::string& rawToken,
                                        const std::string& clientAddress) {
  auto check = checkLink(TokenPurpose::EmailChange, rawToken);
  if (check.problem != LinkProblem::None) return false;
  const auto notice = emails_.render(
      "email_changed", check.user->email,
      {{"prenom", check.user->firstName}, {"nouvelle_adresse", check.token.newEmail}});
  return accounts_.useTokenForEmail(
      check.token.digest, check.user->id, check.token.newEmail, notice,
      {check.user->id, "email.changed", "user:" + std::to_string(check.user->id),
       check.user->email + " -> " + check.token.newEmail, clientAddress},
      clock_.now());
}

int AccountService::sendExpiryWarnings() {
  const auto now = clock_.now();
  int sent = 0;
  // Candidates by a generous cut-off (89 days); the calendar rule decides.
  for (const auto& user : accounts_.warningCandidates(now - std::chrono::hours{24 * 89})) {
    if (!user.passwordChangedAt || !domain::expiryWarningDue(*user.passwordChangedAt, std::nullopt,
                                                             now, settings_.passwordAge))
      continue;
    const auto expires =
        domain::addCalendarMonths(*user.passwordChangedAt, settings_.passwordAge.expiryMonths);
    const auto words = domain::expiryWording(*user.passwordChangedAt, expires, now);
    const auto message =
        emails_.render("expiry_warning", user.email,
                       {{"prenom", user.firstName},
                        {"objet", words.subject},
                        {"texte", words.body},
                        {"lien", email_links::link(settings_.baseUrl, email_links::kPassword)}});
    if (accounts_.recordExpiryWarning(user.id, message, now)) ++sent;
  }
  return sent;
}

AgeingRun AccountService::ageAccounts() {
  const auto now = clock_.now();
  const auto& policy = settings_.inactivity;
  AgeingRun run;
  // Candidates by a generous cut-off (warning months of 28 days); the calendar rule decides.
  const auto cutoff = now - std::chrono::hours{24 * 28} * policy.warningMonths;
  const auto* paris = domain::findZone("Europe/Paris");
  for (const auto& a : accounts_.unusedAccounts(cutoff)) {
    const auto id = std::to_string(a.user.id);
    switch (domain::inactivityStep(a.usedSince, a.warnedAt, now, policy)) {
      case domain::InactivityStep::None:
        break;
      case domain::InactivityStep::Warn: {
        const auto disablesAt = domain::inactivityDisablesAt(a.usedSince, policy);
        const auto message = emails_.render(
            "inactivity_warning", a.user.email,
            {{"prenom", a.user.firstName},
             {"date_utilisation", domain::formatDate(domain::localDay(*paris, a.usedSince))},
             {"date_desactivation", domain::formatDate(domain::localDay(*paris, disablesAt))},
             {"lien", email_links::link(settings_.baseUrl, email_links::kLogin)}});
        if (accounts_.recordInactivityWarning(a.user.id, a.usedSince, message, now)) ++run.warned;
        break;
      }
      case domain::InactivityStep::Disable:
        if (accounts_.disableInactive(
                a.user.id, a.usedSince,
                {std::nullopt, "account.disabled_inactive", "user:" + id,
                 "unused since " + domain::formatDate(domain::localDay(*paris, a.usedSince)), ""},
                now))
          ++run.disabled;
        break;
    }
  }
  return run;
}

void AccountService::acceptTerms(const Actor& actor) {
  accounts_.acceptTerms(actor.user.id,
                        {actor.user.id, "terms.accepted", "user:" + std::to_string(actor.user.id),
                         "", actor.clientAddress},
                        clock_.now());
}

StoredToken AccountService::newActivation(const User& user, EmailMessage& welcome) {
  const std::string raw = tokens_.random();
  welcome =
      emails_.render("welcome", user.email,
                     {{"prenom", user.firstName},
                      {"lien", link(email_links::kActivation, raw)},
                      {"heures", std::to_string(settings_.activationLifetime.count() / 3600)}});
  return {tokens_.digest(raw), user.id, TokenPurpose::Activation, "", clock_.now(), {}};
}

std::chrono::seconds OutboxSender::backoff(int attempts) {
  const int capped = std::min(attempts, 7);  // 30 s × 2^7 = 64 min: capped at one hour
  return std::min(std::chrono::seconds{30 << (capped > 0 ? capped - 1 : 0)},
                  std::chrono::seconds{3600});
}

int OutboxSender::deliverDue() {
  int sent = 0;
  for (auto& mail : accounts_.claimDueMail(clock_.now(), 120, 20)) {
    try {
      transport_.send(mail.message);
      accounts_.markMailSent(mail.id, clock_.now());
      ++sent;
    } catch (const std::exception& e) {
      const int attempts = mail.attempts + 1;
      accounts_.markMailFailed(mail.id, attempts, clock_.now() + backoff(attempts), e.what());
    }
  }
  return sent;
}

}  // namespace sas::app
