#include "app/admin_service.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>

#include "app/errors.hpp"
#include "domain/account_rules.hpp"
#include "domain/text.hpp"

namespace sas::app {

namespace {
std::optional<std::int64_t> parseId(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}
}  // namespace

AdminService::AdminService(UserRepository& users, AccountRepository& accounts,
                           AccountService& lifecycle, AuditLog& audit, const Clock& clock,
                           DelegationRepository* delegations)
    : users_(users),
      accounts_(accounts),
      lifecycle_(lifecycle),
      audit_(audit),
      clock_(clock),
      delegations_(delegations) {}

bool AdminService::canManageAccounts(const Actor& actor) const {
  return actor.user.role == Role::AccountManager || actor.user.role == Role::Administrator;
}

bool AdminService::canReadAccounts(const Actor& actor) const {
  return canManageAccounts(actor) || actor.user.role == Role::TerritorialReferent;
}

void AdminService::requireManager(const Actor& actor) const {
  if (!canManageAccounts(actor)) throw AppError(ErrorCode::Forbidden, "not an account manager");
  if (actor.user.role == Role::AccountManager && !actor.user.territoryId)
    throw AppError(ErrorCode::Forbidden, "account manager without territory");
}

void AdminService::requireReader(const Actor& actor) const {
  if (!canReadAccounts(actor)) throw AppError(ErrorCode::Forbidden, "reads no accounts");
  if (actor.user.role != Role::Administrator && !actor.user.territoryId)
    throw AppError(ErrorCode::Forbidden, "without territory");
}

std::optional<std::int64_t> AdminService::territoryOf(const Actor& actor) const {
  return actor.user.role == Role::Administrator ? std::nullopt : actor.user.territoryId;
}

std::vector<User> AdminService::accounts(const Actor& actor) {
  requireReader(actor);
  auto users = accounts_.listUsers(territoryOf(actor));
  // An account manager does not manage administrators, even of his territory.
  if (territoryOf(actor))
    std::erase_if(users, [](const User& u) { return u.role == Role::Administrator; });
  return users;
}

AccountListing AdminService::listAccounts(const Actor& actor, const AccountFilter& filter) {
  AccountListing out;
  out.users = accounts(actor);
  out.structures = structuresFor(actor);
  std::optional<Role> role;
  if (!filter.role.empty()) {
    role = roleFromCode(filter.role);
    if (!role) throw AppError(ErrorCode::BadRequest, "role filter " + filter.role);
  }
  std::optional<AccountStatus> status;
  if (!filter.status.empty()) {
    status = statusFromCode(filter.status);
    if (!status) throw AppError(ErrorCode::BadRequest, "status filter " + filter.status);
  }
  std::optional<std::int64_t> structure;
  if (!filter.structure.empty()) {
    // Checked as an object: a structure outside the territory is not found, as in the form.
    structure = parseId(filter.structure);
    if (!structure || std::none_of(out.structures.begin(), out.structures.end(),
                                   [&](const Structure& s) { return s.id == *structure; }))
      throw AppError(ErrorCode::NotFound, "structure " + filter.structure);
  }
  std::set<std::int64_t> mine;
  for (const auto& s : out.structures) mine.insert(s.id);
  for (const auto& [user, sid] : accounts_.structureLinks())
    if (mine.count(sid)) out.links[user].push_back(sid);
  std::erase_if(out.users, [&](const User& u) {
    if (role && u.role != *role) return true;
    if (status && accountStatus(u) != *status) return true;
    if (structure) {
      auto it = out.links.find(u.id);
      if (it == out.links.end() ||
          std::find(it->second.begin(), it->second.end(), *structure) == it->second.end())
        return true;
    }
    return false;
  });
  return out;
}

AccountView AdminService::account(const Actor& actor, std::int64_t id) {
  requireReader(actor);
  auto user = users_.findById(id);
  if (!user || (territoryOf(actor) &&
                (user->territoryId != territoryOf(actor) || user->role == Role::Administrator)))
    throw AppError(ErrorCode::NotFound, "account " + std::to_string(id));
  AccountView view{*user, users_.linkedStructureIds(id), {}};
  if (user->role == Role::Delegate && delegations_)
    for (const auto& p : delegations_->principalsOf(id)) view.principalIds.push_back(p.id);
  return view;
}

std::vector<Structure> AdminService::structuresFor(const Actor& actor) {
  requireReader(actor);
  if (!territoryOf(actor)) return accounts_.structuresIn({}, true);
  auto territory = accounts_.findTerritory(*territoryOf(actor));
  return accounts_.structuresIn(territory ? territory->departements : std::vector<std::string>{},
                                false);
}

std::vector<Territory> AdminService::territoriesFor(const Actor& actor) {
  requireReader(actor);
  auto all = accounts_.territories();
  if (!territoryOf(actor)) return all;
  std::erase_if(all, [&](const Territory& t) { return t.id != *territoryOf(actor); });
  return all;
}

std::vector<Role> AdminService::rolesFor(const Actor& actor) const {
  std::vector<Role> roles{Role::StructureManager, Role::Regulator,      Role::Ioa,
                          Role::Delegate,         Role::AccountManager, Role::TerritorialReferent};
  if (actor.user.role == Role::Administrator) roles.push_back(Role::Administrator);
  return roles;
}

std::vector<User> AdminService::principalsOfTerritory(std::optional<std::int64_t> territoryId) {
  if (!delegations_) return {};
  if (!territoryId) return delegations_->principalsIn(std::nullopt, {});
  auto territory = accounts_.findTerritory(*territoryId);
  return delegations_->principalsIn(
      territoryId, territory ? territory->departements : std::vector<std::string>{});
}

std::vector<User> AdminService::principalsFor(const Actor& actor) {
  requireReader(actor);
  return principalsOfTerritory(territoryOf(actor));
}

AdminService::Checked AdminService::check(const Actor& actor, const AccountInput& input,
                                          std::optional<std::int64_t> id) {
  Checked out;
  auto& u = out.user;
  u.email = normalizeEmail(input.email);
  u.firstName = domain::trimmed(input.firstName);
  u.lastName = domain::trimmed(input.lastName);
  u.disabled = input.disabled;
  using domain::characterCount;
  if (characterCount(u.email) > domain::kMaxEmailLength)
    out.errors.push_back({"email", "L'adresse électronique ne doit pas dépasser " +
                                       std::to_string(domain::kMaxEmailLength) + " caractères."});
  else if (!plausibleEmail(u.email))
    out.errors.push_back(
        {"email", "Saisissez une adresse électronique valide, par exemple nom@domaine.fr."});
  else if (auto other = users_.findByEmail(u.email); other && (!id || other->id != *id)) {
    // « Un compte existe déjà » only about the actor's own territory. Outside it, an account
    // manager must not learn who holds an account elsewhere (the platform's accounts are not
    // his to list): the answer is the one a free address gets, nothing is written, and the
    // attempt goes to the audit log where administrators see it. What remains for him to notice
    // is that no account appeared in his own list, as after any creation that did not happen.
    if (!territoryOf(actor) || other->territoryId == territoryOf(actor))
      out.errors.push_back({"email", "Un compte existe déjà avec cette adresse électronique."});
    else
      out.takenElsewhereBy = other->id;
  }
  if (u.firstName.empty())
    out.errors.push_back({"prenom", "Le prénom est obligatoire."});
  else if (characterCount(u.firstName) > domain::kMaxNameLength)
    out.errors.push_back({"prenom", "Le prénom ne doit pas dépasser " +
                                        std::to_string(domain::kMaxNameLength) + " caractères."});
  if (u.lastName.empty())
    out.errors.push_back({"nom", "Le nom est obligatoire."});
  else if (characterCount(u.lastName) > domain::kMaxNameLength)
    out.errors.push_back({"nom", "Le nom ne doit pas dépasser " +
                                     std::to_string(domain::kMaxNameLength) + " caractères."});
  const auto role = roleFromCode(input.role);
  const auto allowed = rolesFor(actor);
  if (!role || std::find(allowed.begin(), allowed.end(), *role) == allowed.end())
    out.errors.push_back({"role", "Choisissez un rôle."});
  else
    u.role = *role;

  if (territoryOf(actor)) {
    u.territoryId = territoryOf(actor);
  } else if (!input.territoryId.empty()) {
    auto tid = parseId(input.territoryId);
    if (!tid || !accounts_.findTerritory(*tid))
      throw AppError(ErrorCode::NotFound, "territory " + input.territoryId);
    u.territoryId = tid;
  } else if (role && *role == Role::AccountManager) {
    out.errors.push_back({"territoire", "Un gestionnaire de comptes doit avoir un territoire."});
  } else if (role && (*role == Role::Delegate || *role == Role::TerritorialReferent)) {
    out.errors.push_back({"territoire", *role == Role::Delegate
                                            ? "Un délégataire doit avoir un territoire."
                                            : "Un référent territorial doit avoir un territoire."});
  }

  // Structures are checked as objects: one outside the actor's territory is not found.
  std::vector<std::int64_t> mine;
  for (const auto& s : structuresFor(actor)) mine.push_back(s.id);
  std::vector<std::int64_t> ticked;
  for (const auto& text : input.structureIds) {
    auto sid = parseId(text);
    if (!sid || std::find(mine.begin(), mine.end(), *sid) == mine.end())
      throw AppError(ErrorCode::NotFound, "structure " + text);
    ticked.push_back(*sid);
  }
  // The links the actor cannot see stay as they are (he is shown only his own structures).
  out.structures = domain::mergeLinks(
      id ? users_.linkedStructureIds(*id) : std::vector<std::int64_t>{}, ticked, mine);
  if (role && *role == Role::StructureManager && out.structures.empty())
    out.errors.push_back(
        {"structures", "Liez au moins une structure à un gestionnaire de structure."});

  // A délégataire's professionals and managers: exactly those ticked, all of his territory
  // (SPEC §12), checked as objects like the structures (404 otherwise). Unlike structures, no
  // link outside what the form lists is kept: the form lists his whole territory, so such a
  // link could only be of another one (after a change of his territory, say).
  if (role && *role == Role::Delegate) {
    std::vector<std::int64_t> allowed, listed;
    for (const auto& p : principalsOfTerritory(u.territoryId)) allowed.push_back(p.id);
    // An administrator's form lists every territory's: one of another territory than the one
    // chosen is a mistake to tell him, not an object to hide.
    if (!territoryOf(actor))
      for (const auto& p : principalsOfTerritory(std::nullopt)) listed.push_back(p.id);
    bool outside = false;
    for (const auto& text : input.principalIds) {
      auto pid = parseId(text);
      if (pid && std::find(allowed.begin(), allowed.end(), *pid) == allowed.end() &&
          std::find(listed.begin(), listed.end(), *pid) != listed.end()) {
        outside = true;
        continue;
      }
      if (!pid || std::find(allowed.begin(), allowed.end(), *pid) == allowed.end())
        throw AppError(ErrorCode::NotFound, "principal " + text);
      if (std::find(out.principals.begin(), out.principals.end(), *pid) == out.principals.end())
        out.principals.push_back(*pid);
    }
    if (outside)
      out.errors.push_back({"mandants",
                            "Les professionnels de santé et gestionnaires de structures liés "
                            "doivent être du territoire du délégataire."});
    else if (out.principals.empty())
      out.errors.push_back({"mandants",
                            "Liez au moins un professionnel de santé ou un gestionnaire de "
                            "structure au délégataire."});
  }
  return out;
}

domain::Checked<std::int64_t> AdminService::createAccount(const Actor& actor,
                                                          const AccountInput& input) {
  requireManager(actor);
  auto c = check(actor, input, std::nullopt);
  if (!c.errors.empty()) return domain::Checked<std::int64_t>::failure(c.errors);
  if (c.takenElsewhereBy) {
    recordTakenElsewhere(actor, c, std::nullopt);
    return domain::Checked<std::int64_t>::success(0);
  }
  EmailMessage welcome;
  const auto activation = lifecycle_.newActivation(c.user, welcome);
  const auto id = accounts_.createAccount(
      c.user, c.structures, principalsChange(actor, c, c.user.role == Role::Delegate), activation,
      welcome, {actor.user.id, "account.create", "", c.user.email, actor.clientAddress},
      clock_.now());
  return domain::Checked<std::int64_t>::success(id);
}

domain::Checked<bool> AdminService::updateAccount(const Actor& actor, std::int64_t id,
                                                  const AccountInput& input) {
  requireManager(actor);
  const auto current = account(actor, id);
  auto c = check(actor, input, id);
  if (!c.errors.empty()) return domain::Checked<bool>::failure(c.errors);
  if (c.takenElsewhereBy) {  // as for a creation: nothing written, nothing said
    recordTakenElsewhere(actor, c, id);
    return domain::Checked<bool>::success(true);
  }
  c.user.id = id;
  c.user.passwordHash = current.user.passwordHash;
  if (actor.user.id == id && c.user.disabled)
    return domain::Checked<bool>::failure(
        {{"desactive", "Vous ne pouvez pas désactiver votre propre compte."}});
  std::optional<StoredToken> activation;
  std::optional<EmailMessage> welcome;
  // A changed email gets the welcome email again (guide §1.1).
  if (c.user.email != current.user.email) {
    EmailMessage message;
    activation = lifecycle_.newActivation(c.user, message);
    welcome = message;
  }
  // No longer a délégataire: his delegations end with the role.
  const bool saved = accounts_.updateAccount(
      c.user, c.structures,
      principalsChange(actor, c, c.user.role == Role::Delegate || !current.principalIds.empty()),
      activation, welcome,
      {actor.user.id, "account.update", "user:" + std::to_string(id),
       current.user.email + (welcome ? " -> " + c.user.email : ""), actor.clientAddress},
      clock_.now());
  if (!saved)
    return domain::Checked<bool>::failure(
        {{c.user.disabled ? "desactive" : "role",
          "C'est le dernier administrateur de la plateforme : il ne peut ni perdre ce rôle ni "
          "être désactivé. Nommez d'abord un autre administrateur."}});
  return domain::Checked<bool>::success(true);
}

void AdminService::recordTakenElsewhere(const Actor& actor, const Checked& c,
                                        std::optional<std::int64_t> id) {
  audit_.record({actor.user.id, id ? "account.update_refused" : "account.create_refused",
                 "user:" + std::to_string(*c.takenElsewhereBy),
                 "email already used outside the territory" +
                     (id ? " (account " + std::to_string(*id) + ")" : std::string()),
                 actor.clientAddress},
                clock_.now());
}

std::optional<PrincipalsChange> AdminService::principalsChange(const Actor& actor, const Checked& c,
                                                               bool written) const {
  if (!written || !delegations_) return std::nullopt;
  std::string detail;
  for (auto p : c.principals) detail += (detail.empty() ? "user:" : " user:") + std::to_string(p);
  // The object is the délégataire's account, named by the store once it has an id.
  return PrincipalsChange{c.principals,
                          {actor.user.id, "delegation.set", "", detail, actor.clientAddress}};
}

void AdminService::resendWelcome(const Actor& actor, std::int64_t id) {
  requireManager(actor);
  const auto current = account(actor, id);
  EmailMessage welcome;
  const auto activation = lifecycle_.newActivation(current.user, welcome);
  accounts_.issueToken(activation, welcome,
                       {actor.user.id, "account.welcome_resent", "user:" + std::to_string(id), "",
                        actor.clientAddress},
                       clock_.now());
}

bool AdminService::reactivate(const Actor& actor, std::int64_t id) {
  requireManager(actor);                    // a référent reads accounts, he does not change them
  const auto current = account(actor, id);  // his territory's, else NotFound
  return accounts_.reactivate(
      id,
      {actor.user.id, "account.reactivate", "user:" + std::to_string(id),
       current.user.inactiveSince ? "inactive" : "disabled", actor.clientAddress},
      clock_.now());
}

domain::Checked<std::int64_t> AdminService::createTerritory(const Actor& actor,
                                                            const std::string& name,
                                                            const std::string& departements) {
  if (actor.user.role != Role::Administrator)
    throw AppError(ErrorCode::Forbidden, "only administrators manage territories");
  std::vector<domain::FieldError> errors;
  Territory t;
  t.name = domain::trimmed(name);
  if (t.name.empty())
    errors.push_back({"nom", "Le nom du territoire est obligatoire."});
  else if (domain::characterCount(t.name) > domain::kMaxTerritoryNameLength)
    errors.push_back({"nom", "Le nom du territoire ne doit pas dépasser " +
                                 std::to_string(domain::kMaxTerritoryNameLength) + " caractères."});
  if (domain::characterCount(departements) > domain::kMaxFreeTextLength) {
    errors.push_back({"departements", "La liste des départements ne doit pas dépasser " +
                                          std::to_string(domain::kMaxFreeTextLength) +
                                          " caractères."});
    return domain::Checked<std::int64_t>::failure(errors);
  }
  for (const auto& existing : accounts_.territories())
    if (existing.name == t.name) errors.push_back({"nom", "Ce territoire existe déjà."});
  std::istringstream in(departements);
  std::string dep;
  while (in >> dep) {
    if (dep.back() == ',') dep.pop_back();
    const bool ok =
        (dep.size() == 2 || dep.size() == 3) && std::all_of(dep.begin(), dep.end(), [](char ch) {
          return std::isdigit(static_cast<unsigned char>(ch)) || ch == 'A' || ch == 'B';
        });
    if (!ok) {
      errors.push_back(
          {"departements", "« " + dep + " » n'est pas un numéro de département (75, 2A, 974…)."});
      break;
    }
    t.departements.push_back(dep);
  }
  if (t.departements.empty() && errors.empty())
    errors.push_back({"departements", "Indiquez au moins un département."});
  if (!errors.empty()) return domain::Checked<std::int64_t>::failure(errors);
  return domain::Checked<std::int64_t>::success(accounts_.createTerritory(
      t, {actor.user.id, "territory.create", "", t.name, actor.clientAddress}, clock_.now()));
}

}  // namespace sas::app
