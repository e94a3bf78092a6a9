#pragma once
#include "app/ports/identity.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlPscStore final : public app::PscRepository, public app::DirectoryRepository {
 public:
  explicit SqlPscStore(Database& db) : db_(db) {}

  void savePending(const app::PendingSignIn& p) override;
  std::optional<app::PendingSignIn> takePending(const std::string& stateDigest) override;
  std::optional<std::int64_t> linkedUser(const std::string& issuer,
                                         const std::string& subject) override;
  void link(const std::string& issuer, const std::string& subject, const std::string& nationalId,
            std::int64_t userId, domain::Instant now) override;
  void rememberSession(const std::string& sessionDigest, const std::string& idToken,
                       domain::Instant now) override;
  std::optional<std::string> takeSession(const std::string& sessionDigest) override;
  void saveProfile(const app::PscProfile& p) override;
  std::optional<app::PscProfile> findProfile(const std::string& digest) override;
  int attemptsSince(const std::string& subject, domain::Instant since) override;
  void recordAttempt(const std::string& subject, domain::Instant now) override;
  void issueLink(const app::PscLink& link, const app::EmailMessage& email,
                 const app::AuditEntry& audit, domain::Instant now) override;
  std::optional<app::PscLink> findLink(const std::string& digest) override;
  bool useLink(const std::string& digest, domain::Instant now) override;
  bool acceptTerms(std::int64_t userId, const app::AuditEntry& audit, domain::Instant now) override;
  void saveProfessional(const app::DirectoryProfessional& p) override;
  std::optional<std::int64_t> directoryPlace(const std::string& nationalId,
                                             const std::string& siteKey) override;
  void addDirectoryPlace(const std::string& nationalId, const std::string& siteKey,
                         std::int64_t structureId) override;
  std::vector<std::int64_t> directoryStructures(const std::string& nationalId) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
