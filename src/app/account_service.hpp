#pragma once
// The account lifecycle (docs/rules.md#accounts-and-passwords, docs/rules.md#emails):
// activation and reset links, changes of password and email, expiry warnings, and the outbox
// sender.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "app/actor.hpp"
#include "app/auth_service.hpp"
#include "app/ports/accounts.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/repositories.hpp"
#include "app/ports/security.hpp"
#include "domain/account_rules.hpp"
#include "domain/checked.hpp"

namespace sas::app {

struct AccountSettings {
  std::string baseUrl = "http://localhost:8080";
  std::chrono::seconds activationLifetime{72 * 3600};
  std::chrono::seconds resetLifetime{72 * 3600};
  std::chrono::seconds emailChangeLifetime{72 * 3600};
  domain::PasswordAgePolicy passwordAge;
  domain::InactivityPolicy inactivity;
};

/// What one turn of the ageing did.
struct AgeingRun {
  int warned = 0;
  int disabled = 0;
};

enum class LinkProblem { None, Unknown, Used, Expired };

struct LinkCheck {
  LinkProblem problem = LinkProblem::Unknown;
  std::optional<User> user;
  StoredToken token;
};

/// The password form of an emailed link, sent: the link as checked (a spent, expired or unknown
/// one changes nothing), then the new session's token or the errors of the refused form.
struct PasswordLinkUse {
  LinkCheck check;
  domain::Checked<std::string> session;
};

class AccountService {
 public:
  AccountService(UserRepository& users, AccountRepository& accounts, AuthService& auth,
                 const PasswordHasher& hasher, const Tokens& tokens, const EmailTemplates& emails,
                 const Clock& clock, AccountSettings settings);

  const AccountSettings& settings() const { return settings_; }

  /// « Mot de passe oublié ? »: an email when the account exists and is enabled and the email
  /// typed has not asked too often; nothing said either way (zero). Throttled like logins: an
  /// address that asked for too many emails gets how long it must wait, and nothing is sent.
  std::chrono::seconds requestPasswordReset(const std::string& email,
                                            const std::string& clientAddress);
  LinkCheck checkLink(TokenPurpose purpose, const std::string& rawToken);
  /// Checks the link and the form, then sets the first password (CGU required) or a new one
  /// after a reset, and logs in.
  PasswordLinkUse setPasswordWithLink(TokenPurpose purpose, const std::string& rawToken,
                                      const std::string& password, bool acceptTerms,
                                      const std::string& clientAddress);
  domain::Checked<bool> changePassword(const Actor& actor, const std::string& sessionToken,
                                       const std::string& current, const std::string& next);
  domain::Checked<bool> requestEmailChange(const Actor& actor, const std::string& newEmail,
                                           const std::string& currentPassword);
  /// False when the link is not valid or the address was taken meanwhile.
  bool confirmEmailChange(const std::string& rawToken, const std::string& clientAddress);

  /// Sends the one warning due to each account whose password is 3 months old; returns how many.
  int sendExpiryWarnings();
  /// Accounts that age (docs/rules.md#delegates-and-ageing-accounts): the warning due to each
  /// account unused for 8 months (once per inactivity period), and the accounts unused for 9
  /// months disabled. Idempotent: run it as often as wished.
  AgeingRun ageAccounts();
  /// « Accepter les CGU » at the first login of an account that has not accepted them.
  void acceptTerms(const Actor& actor);
  /// Issues an activation link and queues the welcome email (used by account managers).
  StoredToken newActivation(const User& user, EmailMessage& welcome);
  std::string link(std::string_view path, const std::string& rawToken) const;

 private:
  std::chrono::seconds lifetime(TokenPurpose p) const;
  /// The current password typed in « Vos identifiants »: an error on `field`, or none.
  std::optional<domain::FieldError> currentPasswordError(const User& user,
                                                         const std::string& password,
                                                         const std::string& clientAddress);
  std::vector<domain::FieldError> passwordErrors(const std::string& password,
                                                 const std::string& email, const char* field) const;

  UserRepository& users_;
  AccountRepository& accounts_;
  AuthService& auth_;
  const PasswordHasher& hasher_;
  const Tokens& tokens_;
  const EmailTemplates& emails_;
  const Clock& clock_;
  AccountSettings settings_;
};

/// Delivers the outbox: each due email once; a failure is retried later with a growing delay.
class OutboxSender {
 public:
  OutboxSender(AccountRepository& accounts, MailTransport& transport, const Clock& clock)
      : accounts_(accounts), transport_(transport), clock_(clock) {}
  /// Returns how many emails were sent.
  int deliverDue();
  /// 30 s, 1 min, 2 min … at most 1 hour.
  static std::chrono::seconds backoff(int attempts);

 private:
  AccountRepository& accounts_;
  MailTransport& transport_;
  const Clock& clock_;
};

}  // namespace sas::app
