#pragma once
// Délégataires' links on SQL: app::DelegationRepository.
#include <soci/soci.h>

#include "app/ports/delegations.hpp"
#include "storage/database.hpp"

namespace sas::storage {

/// Replaces the délégataire's links by these (none: all end), in the caller's transaction (the
/// account store writes them with the account).
void writePrincipals(soci::session& sql, std::int64_t delegateId,
                     const std::vector<std::int64_t>& principals, domain::Instant now);

class SqlDelegationStore final : public app::DelegationRepository {
 public:
  explicit SqlDelegationStore(Database& db) : db_(db) {}

  std::vector<app::User> principalsIn(std::optional<std::int64_t> territoryId,
                                      const std::vector<std::string>& departements) override;
  std::vector<app::User> principalsOf(std::int64_t delegateId) override;
  std::vector<app::User> delegatesOf(std::int64_t principalId) override;
  bool end(std::int64_t delegateId, std::int64_t principalId, const app::AuditEntry& audit,
           domain::Instant now) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
