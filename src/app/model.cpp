#include "app/model.hpp"

#include "app/ports/accounts.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace sas::app {
namespace {
struct RoleNames {
  Role role;
  const char* code;
  const char* label;
};
constexpr std::array<RoleNames, 8> kRoles{{
    {Role::StructureManager, "gestionnaire_structure", "Gestionnaire de structure"},
    {Role::AccountManager, "gestionnaire_comptes", "Gestionnaire de comptes"},
    {Role::Regulator, "regulateur", "Régulateur"},
    {Role::Practitioner, "effecteur", "Effecteur de soins"},
    {Role::Administrator, "administrateur", "Administrateur"},
    {Role::Ioa, "ioa", "Infirmier d'Orientation et d'Accueil"},
    {Role::Delegate, "delegataire", "Délégataire"},
    {Role::TerritorialReferent, "referent_territorial", "Référent territorial"},
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

namespace {
struct StatusNames {
  AccountStatus status;
  const char* code;
  const char* label;
};
constexpr std::array<StatusNames, 4> kStatuses{{
    {AccountStatus::Active, "actif", "Actif"},
    {AccountStatus::Disabled, "desactive", "Désactivé"},
    {AccountStatus::Inactive, "inactif", "Inactif"},
    {AccountStatus::Pending, "en_attente", "En attente d'activation"},
}};
}  // namespace

AccountStatus accountStatus(const User& user) {
  if (user.disabled) return user.inactiveSince ? AccountStatus::Inactive : AccountStatus::Disabled;
  // A Pro Santé Connect account has no password and is in use once he logged in.
  if (user.passwordHash.empty() && !user.lastLoginAt) return AccountStatus::Pending;
  return AccountStatus::Active;
}

std::string statusCode(AccountStatus status) {
  for (const auto& s : kStatuses)
    if (s.status == status) return s.code;
  return {};
}

std::optional<AccountStatus> statusFromCode(std::string_view code) {
  for (const auto& s : kStatuses)
    if (code == s.code) return s.status;
  return std::nullopt;
}

std::string statusLabel(AccountStatus status) {
  for (const auto& s : kStatuses)
    if (s.status == status) return s.label;
  return {};
}

std::string normalizeEmail(std::string email) {
  auto notSpace = [](unsigned char c) { return !std::isspace(c); };
  email.erase(email.begin(), std::find_if(email.begin(), email.end(), notSpace));
  email.erase(std::find_if(email.rbegin(), email.rend(), notSpace).base(), email.end());
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return email;
}

bool plausibleEmail(const std::string& email) {
  const auto at = email.find('@');
  return email.size() <= 254 && at != std::string::npos && at > 0 && at + 1 < email.size() &&
         email.find('@', at + 1) == std::string::npos && email.find('.', at) != std::string::npos &&
         std::none_of(email.begin(), email.end(),
                      [](unsigned char c) { return std::isspace(c) || c < 0x20; });
}

std::string purposeCode(TokenPurpose p) {
  switch (p) {
    case TokenPurpose::Activation:
      return "activation";
    case TokenPurpose::Reset:
      return "reset";
    case TokenPurpose::EmailChange:
      return "email_change";
  }
  return "reset";
}

std::string placeAddress(std::string_view street, std::string_view postalCode,
                         std::string_view town) {
  std::string out;
  out.reserve(street.size() + postalCode.size() + town.size() + 2);
  out.append(street).append(" ").append(postalCode).append(" ").append(town);
  return out;
}

}  // namespace sas::app
