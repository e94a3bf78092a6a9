#pragma once
// What the use cases and the pages speak about, beyond the domain rules.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/availability.hpp"
#include "domain/calendar.hpp"
#include "domain/participation.hpp"
#include "domain/unavailability.hpp"

namespace sas::app {

enum class Role {
  StructureManager,
  AccountManager,
  Regulator,
  Practitioner,
  Administrator,
  Ioa,  // « Infirmier d'Orientation et d'Accueil »: searches and orients like a regulator
  /// « Délégataire »: acts on the places of the professionals and structure managers who
  /// delegated to him (agenda, unavailability, note), not on their parameters nor account.
  Delegate,
  /// « Référent territorial »: reads his territory's accounts, structures, orientation figures
  /// and support requests; changes no account.
  TerritorialReferent,
};

/// Regulators and IOA: they search and orient patients (docs/rules.md#orientation), and change
/// no agenda.
inline bool regulates(Role role) {
  return role == Role::Regulator || role == Role::Ioa;
}

std::string roleCode(Role role);  // stored form: "gestionnaire_structure" …
std::optional<Role> roleFromCode(std::string_view code);
std::string roleLabel(Role role);  // « Gestionnaire de structure » …

/// Trimmed and lower-cased: the form an email is stored and compared in.
std::string normalizeEmail(std::string email);
bool plausibleEmail(const std::string& email);

struct User {
  std::int64_t id = 0;
  std::string email;
  std::string firstName;
  std::string lastName;
  Role role = Role::StructureManager;
  std::string passwordHash;
  bool disabled = false;
  std::optional<std::int64_t> territoryId;
  std::optional<domain::Instant> passwordChangedAt;
  bool termsAccepted = false;
  std::optional<domain::Instant> lastLoginAt;
  /// Set when the ageing disabled the account (« Inactif depuis le … »),
  /// docs/rules.md#delegates-and-ageing-accounts.
  std::optional<domain::Instant> inactiveSince;
  std::string displayName() const { return firstName + " " + lastName; }
};

/// What account managers see of an account (« État »), and filter on.
enum class AccountStatus { Active, Disabled, Inactive, Pending };
/// Inactive: disabled by the ageing; Disabled: by a manager; Pending: never used (no password
/// set, no login: « En attente d'activation »); else Active.
AccountStatus accountStatus(const User& user);
std::string statusCode(AccountStatus status);  // "actif", "desactive", "inactif", "en_attente"
std::optional<AccountStatus> statusFromCode(std::string_view code);
std::string statusLabel(AccountStatus status);  // « Actif » …

/// A place's address on one line: « 12 rue X 75011 Paris ».
std::string placeAddress(std::string_view street, std::string_view postalCode,
                         std::string_view town);

struct Structure {
  std::int64_t id = 0;
  std::string name;
  std::string type;  // « Centre de santé », « Maison de santé pluriprofessionnelle » …
  std::string finess;
  std::string siret;
  std::string phone;
  std::string departement;
  domain::Participation participation;
  /// A professional's own practice known by neither FINESS nor SIRET: its « RPPS rang »
  /// (domain::rppsRangOf), which names it to other systems (IDNST « 4 » + it).
  std::string rppsRang;
};

struct Place {
  std::int64_t id = 0;
  std::int64_t structureId = 0;
  std::string name;
  std::string street;
  std::string postalCode;
  std::string town;
  std::string inseeCode;
  double latitude = 0;
  double longitude = 0;
  std::string timeZone = "Europe/Paris";
  std::string phone;
  /// Placed at its town's or arrondissement's centre (offline geocoding), not at its address:
  /// `sas geocode --again` places it anew.
  bool approximate = false;
  /// Its agenda's version (places.agenda_version) when read with its structure, in the same
  /// statement; -1 when not read. Keys the kept weeks (app/week_cache.hpp).
  long long agendaVersion = -1;
  std::string address() const { return placeAddress(street, postalCode, town); }
};

/// A structure a délégataire acts on, and the professional or structure manager he acts for
/// there (the first of them, by id, when several who delegated to him share it).
struct DelegatedStructure {
  std::int64_t structureId = 0;
  std::int64_t principalId = 0;
};

struct AuditEntry {
  std::optional<std::int64_t> userId;
  std::string action;  // "login", "login_failed", "availability.create" …
  std::string object;  // "place:12"
  std::string detail;
  std::string clientAddress;
  /// A délégataire's change: the professional or structure manager he acted for (SPEC §12).
  std::optional<std::int64_t> onBehalfOf;
};

}  // namespace sas::app
