#pragma once
#include "app/ports/accounts.hpp"
#include "storage/database.hpp"

namespace sas::storage {

/// Queues an email (and its attachments) in the outbox, in the caller's transaction.
void enqueueMail(Connection& c, const app::EmailMessage& m, domain::Instant now);

class SqlAccountStore final : public app::AccountRepository {
 public:
  explicit SqlAccountStore(Database& db) : db_(db) {}

  void issueToken(const app::StoredToken& token, const app::EmailMessage& email,
                  const app::AuditEntry& audit, domain::Instant now) override;
  std::optional<app::StoredToken> findToken(const std::string& digest) override;
  bool useTokenForPassword(const std::string& digest, std::int64_t userId,
                           const std::string& passwordHash, bool acceptTerms,
                           const app::AuditEntry& audit, domain::Instant now) override;
  bool useTokenForEmail(const std::string& digest, std::int64_t userId, const std::string& newEmail,
                        const app::EmailMessage& oldAddressNotice, const app::AuditEntry& audit,
                        domain::Instant now) override;
  void changePassword(std::int64_t userId, const std::string& passwordHash,
                      const std::string& keepSessionDigest, const app::AuditEntry& audit,
                      domain::Instant now) override;
  std::vector<app::User> warningCandidates(domain::Instant changedBefore) override;
  bool recordExpiryWarning(std::int64_t userId, const app::EmailMessage& email,
                           domain::Instant now) override;
  std::vector<app::UnusedAccount> unusedAccounts(domain::Instant usedBefore) override;
  bool recordInactivityWarning(std::int64_t userId, domain::Instant usedSince,
                               const app::EmailMessage& email, domain::Instant now) override;
  bool disableInactive(std::int64_t userId, domain::Instant usedSince, const app::AuditEntry& audit,
                       domain::Instant now) override;
  bool reactivate(std::int64_t userId, const app::AuditEntry& audit, domain::Instant now) override;
  bool acceptTerms(std::int64_t userId, const app::AuditEntry& audit, domain::Instant now) override;
  std::vector<std::pair<std::int64_t, std::int64_t>> structureLinks() override;
  void recordLoginFailure(const std::string& email, const std::string& clientAddress,
                          domain::Instant at) override;
  std::vector<domain::Instant> failuresOfEmail(const std::string& email,
                                               domain::Instant since) override;
  std::vector<std::pair<std::string, domain::Instant>> failuresOfAddress(
      const std::string& clientAddress, domain::Instant since) override;
  void clearLoginFailures(const std::string& email) override;
  void recordResetRequest(const std::string& email, const std::string& clientAddress,
                          domain::Instant at) override;
  std::vector<domain::Instant> resetRequestsOfEmail(const std::string& email,
                                                    domain::Instant since) override;
  std::vector<std::pair<std::string, domain::Instant>> resetRequestsOfAddress(
      const std::string& clientAddress, domain::Instant since) override;
  std::vector<app::OutboxMail> claimDueMail(domain::Instant now, int leaseSeconds,
                                            int limit) override;
  void markMailSent(std::int64_t id, domain::Instant now) override;
  void markMailFailed(std::int64_t id, int attempts, domain::Instant nextAttempt,
                      const std::string& error) override;
  int pendingMailCount() override;
  std::vector<app::User> listUsers(std::optional<std::int64_t> territoryId) override;
  std::int64_t createAccount(const app::User& user, const std::vector<std::int64_t>& structures,
                             const std::optional<app::PrincipalsChange>& principals,
                             const app::StoredToken& activation, const app::EmailMessage& welcome,
                             const app::AuditEntry& audit, domain::Instant now) override;
  bool updateAccount(const app::User& user, const std::vector<std::int64_t>& structures,
                     const std::optional<app::PrincipalsChange>& principals,
                     const std::optional<app::StoredToken>& activation,
                     const std::optional<app::EmailMessage>& welcome, const app::AuditEntry& audit,
                     domain::Instant now) override;
  std::vector<app::Territory> territories() override;
  std::optional<app::Territory> findTerritory(std::int64_t id) override;
  std::int64_t createTerritory(const app::Territory& t, const app::AuditEntry& audit,
                               domain::Instant now) override;
  std::vector<app::Structure> structuresIn(const std::vector<std::string>& departements,
                                           bool all) override;

 private:
  std::vector<domain::Instant> instantsOf(const char* query, const std::string& key,
                                          domain::Instant since);
  std::vector<std::pair<std::string, domain::Instant>> emailsAndInstantsOf(const char* query,
                                                                           const std::string& key,
                                                                           domain::Instant since);
  Database& db_;
};

}  // namespace sas::storage
