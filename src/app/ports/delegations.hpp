#pragma once
// Délégataires and those they act for (SPEC §12, docs/rules.md#delegates).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/model.hpp"
#include "domain/calendar.hpp"

namespace sas::app {

class DelegationRepository {
 public:
  virtual ~DelegationRepository() = default;
  /// Who may delegate to a délégataire of this territory: the structure managers and health
  /// professionals whose territory it is or who are linked to a structure of one of these
  /// départements; everyone's (any territory) when `territoryId` is none. By name.
  virtual std::vector<User> principalsIn(std::optional<std::int64_t> territoryId,
                                         const std::vector<std::string>& departements) = 0;
  /// Those who delegated to the délégataire, by name.
  virtual std::vector<User> principalsOf(std::int64_t delegateId) = 0;
  /// The délégataires who act for the professional or manager, by name.
  virtual std::vector<User> delegatesOf(std::int64_t principalId) = 0;
  /// Ends one link, with the audit entry; false, and nothing written, when there was none.
  virtual bool end(std::int64_t delegateId, std::int64_t principalId, const AuditEntry& audit,
                   domain::Instant now) = 0;
};

}  // namespace sas::app
