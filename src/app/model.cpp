#include "app/model.hpp"

#include <array>
#include <utility>

namespace sas::app {
namespace {
struct RoleNames {
  Role role;
  const char* code;
  const char* label;
};
constexpr std::array<RoleNames, 5> kRoles{{
    {Role::StructureManager, "gestionnaire_structure", "Gestionnaire de structure"},
    {Role::AccountManager, "gestionnaire_comptes", "Gestionnaire de comptes"},
    {Role::Regulator, "regulateur", "Régulateur"},
    {Role::Practitioner, "effecteur", "Effecteur de soins"},
    {Role::Administrator, "administrateur", "Administrateur"},
}};
}  // namespace

std::string roleCode(Role role) {
  for (const auto& r : kRoles)
    if (r.role == role) return r.code;
  return {};
}

std::optional<Role> roleFromCode(std::string_view code) {
  for (const auto& r : kRoles)
    if (code == r.code) return r.role;
  return std::nullopt;
}

std::string roleLabel(Role role) {
  for (const auto& r : kRoles)
    if (r.role == role) return r.label;
  return {};
}

}  // namespace sas::app
