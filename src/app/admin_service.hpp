#pragma once
// Account managers (per territory) and national administrators: accounts and territories
// (docs/rules.md#roles-and-access, docs/rules.md#accounts-and-passwords). An account manager
// sees and changes only his territory's accounts and structures (administrators' accounts are
// not his); anything else answers NotFound. Saving an account keeps its links to structures he
// does not manage, and the platform always keeps one enabled administrator.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/account_service.hpp"
#include "app/actor.hpp"
#include "app/ports/accounts.hpp"
#include "app/ports/delegations.hpp"
#include "domain/checked.hpp"

namespace sas::app {

struct AccountInput {
  std::string email;
  std::string firstName;
  std::string lastName;
  std::string role;                       // role code
  std::vector<std::string> structureIds;  // as sent by the form
  std::string territoryId;                // administrators only
  bool disabled = false;
  std::vector<std::string> principalIds;  // a délégataire's professionals and managers
};

/// The account list's filters as sent (codes; empty: any). A structure outside the actor's
/// territory answers NotFound, an unknown role or status BadRequest.
struct AccountFilter {
  std::string role;       // roleCode
  std::string status;     // statusCode: actif, desactive, inactif, en_attente
  std::string structure;  // a structure id
};

/// The accounts a list or its CSV shows, with their links to the actor's structures.
struct AccountListing {
  std::vector<User> users;
  std::map<std::int64_t, std::vector<std::int64_t>> links;  // account id → structure ids
  std::vector<Structure> structures;                        // the actor's, by id in `links`
};

struct AccountView {
  User user;
  std::vector<std::int64_t> structureIds;
  std::vector<std::int64_t> principalIds;  // a délégataire's (SPEC §12)
};

class AdminService {
 public:
  AdminService(UserRepository& users, AccountRepository& accounts, AccountService& lifecycle,
               AuditLog& audit, const Clock& clock, DelegationRepository* delegations = nullptr);

  bool canManageAccounts(const Actor& actor) const;
  /// Account managers, administrators, and référents territoriaux who read without changing.
  bool canReadAccounts(const Actor& actor) const;
  std::vector<User> accounts(const Actor& actor);
  AccountListing listAccounts(const Actor& actor, const AccountFilter& filter);
  AccountView account(const Actor& actor, std::int64_t id);
  std::vector<Structure> structuresFor(const Actor& actor);
  std::vector<Territory> territoriesFor(const Actor& actor);
  std::vector<Role> rolesFor(const Actor& actor) const;
  /// Those a délégataire created or changed by the actor may act for (his territory's).
  std::vector<User> principalsFor(const Actor& actor);

  domain::Checked<std::int64_t> createAccount(const Actor& actor, const AccountInput& input);
  domain::Checked<bool> updateAccount(const Actor& actor, std::int64_t id,
                                      const AccountInput& input);
  void resendWelcome(const Actor& actor, std::int64_t id);
  /// « Réactiver le compte »: a disabled (or inactive) account is enabled again and its
  /// inactivity counts from now. False when it was not disabled.
  bool reactivate(const Actor& actor, std::int64_t id);
  domain::Checked<std::int64_t> createTerritory(const Actor& actor, const std::string& name,
                                                const std::string& departements);

 private:
  struct Checked {
    User user;
    std::vector<std::int64_t> structures;
    std::vector<domain::FieldError> errors;
    /// The email is another account's, outside the actor's territory (see check()).
    std::optional<std::int64_t> takenElsewhereBy;
    std::vector<std::int64_t> principals;  // a délégataire's
  };
  void recordTakenElsewhere(const Actor& actor, const Checked& c, std::optional<std::int64_t> id);
  Checked check(const Actor& actor, const AccountInput& input, std::optional<std::int64_t> id);
  /// Writes: account managers and administrators; anyone else (a référent too) is Forbidden.
  void requireManager(const Actor& actor) const;
  /// Reads: the same and the référents territoriaux.
  void requireReader(const Actor& actor) const;
  std::optional<std::int64_t> territoryOf(const Actor& actor) const;
  std::vector<User> principalsOfTerritory(std::optional<std::int64_t> territoryId);
  /// A délégataire's links to write with his account, when `written` (none when no
  /// delegations are wired).
  std::optional<PrincipalsChange> principalsChange(const Actor& actor, const Checked& c,
                                                   bool written) const;

  UserRepository& users_;
  AccountRepository& accounts_;
  AccountService& lifecycle_;
  AuditLog& audit_;
  const Clock& clock_;
  DelegationRepository* delegations_;
};

}  // namespace sas::app
