#pragma once
// What the account lifecycle needs from storage and from mail. Every method that sends an
// email takes the message and writes it to the outbox in the same transaction as the change.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/model.hpp"
#include "domain/calendar.hpp"

namespace sas::app {

/// A file sent with an email: `content` when set (a support file held in the database,
/// named by `supportFile` in the outbox), else read from `storedPath` when the email is sent.
struct EmailAttachment {
  std::string fileName;
  std::string contentType;
  std::string storedPath;
  std::string supportFile;  // the stored name of a support request's attachment
  std::string content;      // its bytes, loaded by the outbox when it sends the email
};

struct EmailMessage {
  std::string to;
  std::string subject;
  std::string text;
  std::string html;
  std::vector<EmailAttachment> attachments;
  /// Once sent, the outbox keeps the recipient, subject and dates but not the body: it holds a
  /// one-time link, or a copy of what a support request already keeps (and purges in time).
  bool forgetBodyOnceSent = false;
};

/// Renders templates/email/<name>.{subject,txt,html}.mustache.
class EmailTemplates {
 public:
  virtual ~EmailTemplates() = default;
  virtual EmailMessage render(const std::string& name, const std::string& to,
                              const std::map<std::string, std::string>& values) const = 0;
};

struct OutboxMail {
  std::int64_t id = 0;
  EmailMessage message;
  int attempts = 0;
};

/// Delivers one email; throws on failure (the outbox retries).
class MailTransport {
 public:
  virtual ~MailTransport() = default;
  virtual void send(const EmailMessage& message) = 0;
};

enum class TokenPurpose { Activation, Reset, EmailChange };
std::string purposeCode(TokenPurpose p);

struct StoredToken {
  std::string digest;
  std::int64_t userId = 0;
  TokenPurpose purpose = TokenPurpose::Reset;
  std::string newEmail;
  domain::Instant createdAt;
  std::optional<domain::Instant> usedAt;
};

struct Territory {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> departements;
};

/// An enabled account as the ageing reads it (docs/rules.md#delegates-and-ageing-accounts).
struct UnusedAccount {
  User user;
  domain::Instant usedSince;  // last login or reactivation, else creation
  std::optional<domain::Instant> warnedAt;
};

/// A délégataire's principals (docs/rules.md#delegates), replacing his links with his account's
/// change; none: all end.
struct PrincipalsChange {
  std::vector<std::int64_t> principals;
  AuditEntry audit;
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;

  // Links sent by email.
  /// Voids the user's older unused links of the same purpose, stores this one, queues the email.
  virtual void issueToken(const StoredToken& token, const EmailMessage& email,
                          const AuditEntry& audit, domain::Instant now) = 0;
  virtual std::optional<StoredToken> findToken(const std::string& digest) = 0;
  /// Marks the link used and sets the password (and the CGU acceptance when asked); ends the
  /// user's sessions. False when the link was used meanwhile (nothing changed).
  virtual bool useTokenForPassword(const std::string& digest, std::int64_t userId,
                                   const std::string& passwordHash, bool acceptTerms,
                                   const AuditEntry& audit, domain::Instant now) = 0;
  /// Marks the link used, changes the email and tells the old address. False when the link was
  /// used meanwhile or the new address belongs to another account (nothing changed).
  virtual bool useTokenForEmail(const std::string& digest, std::int64_t userId,
                                const std::string& newEmail, const EmailMessage& oldAddressNotice,
                                const AuditEntry& audit, domain::Instant now) = 0;

  /// Sets the password and ends the user's other sessions (all but `keepSessionDigest`); every
  /// pending link of the account becomes void. (useTokenForPassword voids them too.)
  virtual void changePassword(std::int64_t userId, const std::string& passwordHash,
                              const std::string& keepSessionDigest, const AuditEntry& audit,
                              domain::Instant now) = 0;

  // Expiry warnings.
  /// Enabled accounts whose password was set on or before `changedBefore` and that were not
  /// warned since.
  virtual std::vector<User> warningCandidates(domain::Instant changedBefore) = 0;
  /// Records the warning and queues its email, unless another process did it first.
  virtual bool recordExpiryWarning(std::int64_t userId, const EmailMessage& email,
                                   domain::Instant now) = 0;

  // Accounts that age.
  /// Enabled accounts unused since `usedBefore` or earlier, by id.
  virtual std::vector<UnusedAccount> unusedAccounts(domain::Instant usedBefore) = 0;
  /// Records the warning of the inactivity period that began at `usedSince` and queues its
  /// email, unless the account was used, disabled or warned meanwhile (another process).
  virtual bool recordInactivityWarning(std::int64_t userId, domain::Instant usedSince,
                                       const EmailMessage& email, domain::Instant now) = 0;
  /// Disables the account for inactivity (« Inactif depuis » now) and ends its sessions, unless
  /// it was used or disabled meanwhile, or it is the last enabled administrator.
  virtual bool disableInactive(std::int64_t userId, domain::Instant usedSince,
                               const AuditEntry& audit, domain::Instant now) = 0;
  /// Enables a disabled account again; its inactivity counts from now. False when it was not
  /// disabled.
  virtual bool reactivate(std::int64_t userId, const AuditEntry& audit, domain::Instant now) = 0;
  /// The CGU accepted (once: false when they already were).
  virtual bool acceptTerms(std::int64_t userId, const AuditEntry& audit, domain::Instant now) = 0;

  // Failed logins.
  virtual void recordLoginFailure(const std::string& email, const std::string& clientAddress,
                                  domain::Instant at) = 0;
  virtual std::vector<domain::Instant> failuresOfEmail(const std::string& email,
                                                       domain::Instant since) = 0;
  virtual std::vector<std::pair<std::string, domain::Instant>> failuresOfAddress(
      const std::string& clientAddress, domain::Instant since) = 0;
  /// Ends the lock of this email; the addresses that failed on it keep their counts.
  virtual void clearLoginFailures(const std::string& email) = 0;

  // « Mot de passe oublié ? » requests, by email typed (known or not) and address.
  virtual void recordResetRequest(const std::string& email, const std::string& clientAddress,
                                  domain::Instant at) = 0;
  virtual std::vector<domain::Instant> resetRequestsOfEmail(const std::string& email,
                                                            domain::Instant since) = 0;
  virtual std::vector<std::pair<std::string, domain::Instant>> resetRequestsOfAddress(
      const std::string& clientAddress, domain::Instant since) = 0;

  // The outbox.
  /// Takes up to `limit` due emails for `leaseSeconds`, so that no other sender takes them.
  virtual std::vector<OutboxMail> claimDueMail(domain::Instant now, int leaseSeconds,
                                               int limit) = 0;
  virtual void markMailSent(std::int64_t id, domain::Instant now) = 0;
  virtual void markMailFailed(std::int64_t id, int attempts, domain::Instant nextAttempt,
                              const std::string& error) = 0;
  virtual int pendingMailCount() = 0;

  // Account managers' side.
  virtual std::vector<User> listUsers(std::optional<std::int64_t> territoryId) = 0;
  /// Every (account, structure) link, by account then structure.
  virtual std::vector<std::pair<std::int64_t, std::int64_t>> structureLinks() = 0;
  /// Creates the account, links it (a délégataire to his principals too), and issues its
  /// activation link with the welcome email, in one transaction.
  virtual std::int64_t createAccount(const User& user, const std::vector<std::int64_t>& structures,
                                     const std::optional<PrincipalsChange>& principals,
                                     const StoredToken& activation, const EmailMessage& welcome,
                                     const AuditEntry& audit, domain::Instant now) = 0;
  /// Updates names, email, role, territory, disabled and links; a disabled account's sessions
  /// end. With an activation link, issues it and queues the welcome email (email changed).
  /// False, and nothing changed, when no enabled administrator would remain.
  virtual bool updateAccount(const User& user, const std::vector<std::int64_t>& structures,
                             const std::optional<PrincipalsChange>& principals,
                             const std::optional<StoredToken>& activation,
                             const std::optional<EmailMessage>& welcome, const AuditEntry& audit,
                             domain::Instant now) = 0;
  virtual std::vector<Territory> territories() = 0;
  virtual std::optional<Territory> findTerritory(std::int64_t id) = 0;
  virtual std::int64_t createTerritory(const Territory& t, const AuditEntry& audit,
                                       domain::Instant now) = 0;
  /// Structures whose département is one of these (all when `departements` is empty and
  /// `all` is true).
  virtual std::vector<Structure> structuresIn(const std::vector<std::string>& departements,
                                              bool all) = 0;
};

}  // namespace sas::app
