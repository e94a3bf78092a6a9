#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/model.hpp"

namespace sas::app {

/// Who acts: the logged-in user and the structures linked to the account.
struct Actor {
  User user;
  std::vector<std::int64_t> structureIds;
  std::string clientAddress;
  /// A délégataire's: the structures of those who delegated to him, read on every request so
  /// that an ended delegation takes effect at once (SPEC §12).
  std::vector<DelegatedStructure> delegated;

  /// Agenda, unavailability, « Informations complémentaires » and « Patients adressés » of the
  /// structure's places.
  bool managesStructure(std::int64_t structureId) const {
    return setsParameters(structureId) || onBehalfOf(structureId).has_value();
  }

  /// « Vos paramètres » (participation, avenant n°4): the structure's own managers only, never
  /// a délégataire.
  bool setsParameters(std::int64_t structureId) const {
    // A health professional manages the structures of his practice places
    // (docs/rules.md#psc-first-login, case 2) with the same pages as a structure manager.
    return (user.role == Role::StructureManager || user.role == Role::Practitioner) &&
           std::find(structureIds.begin(), structureIds.end(), structureId) != structureIds.end();
  }

  /// For a délégataire acting on the structure: whom he acts for; none otherwise.
  std::optional<std::int64_t> onBehalfOf(std::int64_t structureId) const {
    if (user.role != Role::Delegate) return std::nullopt;
    for (const auto& d : delegated)
      if (d.structureId == structureId) return d.principalId;
    return std::nullopt;
  }

  /// The audit entry of a change on the structure (or one of its places), with whom a
  /// délégataire acted for.
  AuditEntry auditEntry(std::string action, std::string object, std::int64_t structureId,
                        std::string detail = {}) const {
    return {user.id,           std::move(action), std::move(object),
            std::move(detail), clientAddress,     onBehalfOf(structureId)};
  }
};

}  // namespace sas::app
