#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "app/model.hpp"

namespace sas::app {

/// Who acts: the logged-in user and the structures linked to the account.
struct Actor {
  User user;
  std::vector<std::int64_t> structureIds;
  std::string clientAddress;

  bool managesStructure(std::int64_t structureId) const {
    // A health professional manages the structures of his practice places
    // (docs/rules.md#psc-first-login, case 2) with the same pages as a structure manager.
    return (user.role == Role::StructureManager || user.role == Role::Practitioner) &&
           std::find(structureIds.begin(), structureIds.end(), structureId) != structureIds.end();
  }
};

}  // namespace sas::app
