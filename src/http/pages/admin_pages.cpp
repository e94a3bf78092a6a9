// The account managers' pages: accounts of the territory, creation, edition, welcome email;
// territories for administrators.
#include <algorithm>
#include <map>

#include "app/errors.hpp"
#include "http/pages/csv.hpp"
#include "http/pages/pages.hpp"
#include "http/wire.hpp"

namespace sas::http {
namespace {

const date::time_zone& parisZone() {
  static const date::time_zone* zone = domain::findZone("Europe/Paris");
  return *zone;
}

std::string parisDate(domain::Instant t) {
  return domain::formatDate(domain::localDay(parisZone(), t));
}

/// « Actif », « Désactivé », « En attente d'activation », or « Inactif depuis le 03/12/2026 ».
std::string statusText(const app::User& u) {
  const auto status = app::accountStatus(u);
  if (status == app::AccountStatus::Inactive && u.inactiveSince)
    return "Inactif depuis le " + parisDate(*u.inactiveSince);
  return app::statusLabel(status);
}

/// The DSFR badge of each status.
const char* statusBadge(app::AccountStatus status) {
  switch (status) {
    case app::AccountStatus::Active:
      return "fr-badge--success";
    case app::AccountStatus::Disabled:
      return "fr-badge--error";
    case app::AccountStatus::Inactive:
      return "fr-badge--warning";
    case app::AccountStatus::Pending:
      return "fr-badge--info";
  }
  return "";
}

app::AccountFilter readFilter(const Request& req) {
  return {req.param("role"), req.param("statut"), req.param("structure")};
}

/// The filters as a query string ("role=…&statut=…"), the empty ones left out.
std::string filterQuery(const app::AccountFilter& f) {
  std::string q;
  for (const auto& [name, value] : {std::pair<const char*, const std::string&>{"role", f.role},
                                    {"statut", f.status},
                                    {"structure", f.structure}})
    if (!value.empty())
      q += (q.empty() ? "" : "&") + std::string(name) + "=" + wire::percentEncode(value);
  return q;
}

app::AccountInput readAccount(const Request& req) {
  app::AccountInput in;
  in.email = req.param("email");
  in.firstName = req.param("prenom");
  in.lastName = req.param("nom");
  in.role = req.param("role");
  in.structureIds = req.params_("structures");
  in.territoryId = req.param("territoire");
  in.disabled = req.checked("desactive");
  in.principalIds = req.params_("mandants");
  return in;
}

/// « Prénom Nom (email) », as the délégataire's pages name those he acts for.
std::string principalLabel(const app::User& u) {
  return u.firstName + " " + u.lastName + " (" + u.email + ")";
}

app::AccountInput inputOf(const app::AccountView& v) {
  app::AccountInput in{v.user.email,
                       v.user.firstName,
                       v.user.lastName,
                       app::roleCode(v.user.role),
                       {},
                       v.user.territoryId ? std::to_string(*v.user.territoryId) : "",
                       v.user.disabled};
  for (auto id : v.structureIds) in.structureIds.push_back(std::to_string(id));
  for (auto id : v.principalIds) in.principalIds.push_back(std::to_string(id));
  return in;
}

void requireManager(AccountPageServices& s, const Request& req) {
  // A référent territorial reads these pages; their forms are not his (SPEC §1).
  if (!s.admin.canManageAccounts(req.actor()))
    throw app::AppError(app::ErrorCode::Forbidden, "changes no account");
}

Response accountForm(AccountPageServices& s, const Request& req, std::optional<std::int64_t> id,
                     const app::AccountInput& in, const std::vector<domain::FieldError>& errors,
                     const std::optional<app::User>& current = std::nullopt) {
  const auto& actor = req.actor();
  auto model = layoutModel(req, id ? "Modifier un compte" : "Créer un compte");
  model["edit"] = id.has_value();
  model["action"] = id ? "/comptes/" + std::to_string(*id) : "/comptes";
  model["id"] = id ? std::to_string(*id) : "";
  model["values"] = {{"email", in.email},
                     {"prenom", in.firstName},
                     {"nom", in.lastName},
                     {"disabled", in.disabled}};
  nlohmann::json roles = nlohmann::json::array();
  for (auto r : s.admin.rolesFor(actor))
    roles.push_back({{"code", app::roleCode(r)},
                     {"label", app::roleLabel(r)},
                     {"selected", in.role == app::roleCode(r)}});
  model["roles"] = roles;
  nlohmann::json structures = nlohmann::json::array();
  for (const auto& st : s.admin.structuresFor(actor)) {
    const auto sid = std::to_string(st.id);
    structures.push_back({{"id", sid},
                          {"label", st.name + " (" + st.departement + ")"},
                          {"checked", std::find(in.structureIds.begin(), in.structureIds.end(),
                                                sid) != in.structureIds.end()}});
  }
  model["structures"] = structures;
  model["hasStructures"] = !structures.empty();
  nlohmann::json principals = nlohmann::json::array();
  for (const auto& u : s.admin.principalsFor(actor)) {
    const auto uid = std::to_string(u.id);
    principals.push_back({{"id", uid},
                          {"label", principalLabel(u)},
                          {"role", app::roleLabel(u.role)},
                          {"checked", std::find(in.principalIds.begin(), in.principalIds.end(),
                                                uid) != in.principalIds.end()}});
  }
  model["principals"] = principals;
  model["hasPrincipals"] = !principals.empty();
  model["isAdmin"] = actor.user.role == app::Role::Administrator;
  nlohmann::json territories = nlohmann::json::array();
  for (const auto& t : s.admin.territoriesFor(actor))
    territories.push_back({{"id", std::to_string(t.id)},
                           {"name", t.name},
                           {"selected", in.territoryId == std::to_string(t.id)}});
  model["territories"] = territories;
  model["errors"] = errorsModel(errors);
  if (current) {
    const auto status = app::accountStatus(*current);
    model["status"] = {{"text", statusText(*current)},
                       {"badge", statusBadge(status)},
                       {"disabled", current->disabled}};
    if (current->lastLoginAt) model["lastLogin"] = parisDate(*current->lastLoginAt);
  }
  return Response::html(s.views.page("pages/account_form", model), errors.empty() ? 200 : 422);
}

Response listAccounts(AccountPageServices& s, Request& req) {
  const auto& actor = req.actor();
  const auto filter = readFilter(req);
  const auto listing = s.admin.listAccounts(actor, filter);
  auto model = layoutModel(req, "Comptes");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& u : listing.users) {
    const auto status = app::accountStatus(u);
    list.push_back({{"id", std::to_string(u.id)},
                    {"name", u.lastName + " " + u.firstName},
                    {"email", u.email},
                    {"role", app::roleLabel(u.role)},
                    {"status", statusText(u)},
                    {"badge", statusBadge(status)},
                    {"disabled", u.disabled}});
  }
  model["accounts"] = list;
  model["count"] = listing.users.size();
  model["isAdmin"] = actor.user.role == app::Role::Administrator;
  nlohmann::json roles = nlohmann::json::array();
  for (auto r : s.admin.rolesFor(actor))
    roles.push_back({{"code", app::roleCode(r)},
                     {"label", app::roleLabel(r)},
                     {"selected", filter.role == app::roleCode(r)}});
  // Accounts of Pro Santé Connect are listed too: their role can be filtered on.
  if (filter.role == app::roleCode(app::Role::Practitioner) ||
      std::any_of(listing.users.begin(), listing.users.end(),
                  [](const app::User& u) { return u.role == app::Role::Practitioner; }))
    roles.push_back({{"code", app::roleCode(app::Role::Practitioner)},
                     {"label", app::roleLabel(app::Role::Practitioner)},
                     {"selected", filter.role == app::roleCode(app::Role::Practitioner)}});
  model["roles"] = roles;
  nlohmann::json statuses = nlohmann::json::array();
  for (auto st : {app::AccountStatus::Active, app::AccountStatus::Disabled,
                  app::AccountStatus::Inactive, app::AccountStatus::Pending})
    statuses.push_back({{"code", app::statusCode(st)},
                        {"label", app::statusLabel(st)},
                        {"selected", filter.status == app::statusCode(st)}});
  model["statuses"] = statuses;
  nlohmann::json structures = nlohmann::json::array();
  for (const auto& st : listing.structures)
    structures.push_back({{"id", std::to_string(st.id)},
                          {"label", st.name + " (" + st.departement + ")"},
                          {"selected", filter.structure == std::to_string(st.id)}});
  model["structures"] = structures;
  model["filtered"] = !filterQuery(filter).empty();
  const auto query = filterQuery(filter);
  model["csv"] = "/comptes/export.csv" + (query.empty() ? "" : "?" + query);
  // A référent territorial reads the list without its actions (SPEC §1).
  model["readOnly"] = !s.admin.canManageAccounts(actor);
  const std::string message = req.param("message");
  model["flash"] = message == "cree" ? "Le compte a été créé et le mail de bienvenue envoyé."
                   : message == "modifie"   ? "Le compte a été modifié."
                   : message == "bienvenue" ? "Le mail de bienvenue a été renvoyé."
                   : message == "reactive"  ? "Le compte a été réactivé."
                                            : "";
  return Response::html(s.views.page("pages/accounts", model));
}

/// The list as CSV, with the same filters: the actor's accounts only, and among their
/// structures only his (docs/rules.md#roles-and-access).
Response exportAccounts(AccountPageServices& s, Request& req) {
  const auto listing = s.admin.listAccounts(req.actor(), readFilter(req));
  std::map<std::int64_t, std::string> names;
  for (const auto& st : listing.structures) names[st.id] = st.name;
  Response r;
  r.contentType = "text/csv; charset=utf-8";
  r.body += kUtf8Bom;
  appendCsvLine(r.body, {"Nom", "Prénom", "Adresse électronique", "Rôle", "État",
                         "Dernière connexion", "Structures liées"});
  for (const auto& u : listing.users) {
    std::string linked;
    if (auto it = listing.links.find(u.id); it != listing.links.end())
      for (auto sid : it->second) linked += (linked.empty() ? "" : ", ") + names[sid];
    appendCsvLine(r.body, {u.lastName, u.firstName, u.email, app::roleLabel(u.role), statusText(u),
                           u.lastLoginAt ? parisDate(*u.lastLoginAt) : "", linked});
  }
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"comptes.csv\"");
  return r;
}

Response newAccount(AccountPageServices& s, Request& req) {
  requireManager(s, req);
  return accountForm(s, req, std::nullopt, {}, {});
}

/// A référent territorial's view of an account: what the form would show, read only.
Response accountSheet(AccountPageServices& s, const Request& req, const app::AccountView& v) {
  const auto& actor = req.actor();
  auto model = layoutModel(req, "Compte de " + v.user.displayName());
  model["name"] = v.user.firstName + " " + v.user.lastName;
  model["email"] = v.user.email;
  model["role"] = app::roleLabel(v.user.role);
  model["status"] = statusText(v.user);
  model["badge"] = statusBadge(app::accountStatus(v.user));
  if (v.user.lastLoginAt) model["lastLogin"] = parisDate(*v.user.lastLoginAt);
  nlohmann::json structures = nlohmann::json::array();
  for (const auto& st : s.admin.structuresFor(actor))
    if (std::find(v.structureIds.begin(), v.structureIds.end(), st.id) != v.structureIds.end())
      structures.push_back({{"label", st.name + " (" + st.departement + ")"}});
  model["structures"] = structures;
  model["hasStructures"] = !structures.empty();
  nlohmann::json principals = nlohmann::json::array();
  for (const auto& u : s.admin.principalsFor(actor))
    if (std::find(v.principalIds.begin(), v.principalIds.end(), u.id) != v.principalIds.end())
      principals.push_back({{"label", principalLabel(u)}, {"role", app::roleLabel(u.role)}});
  model["principals"] = principals;
  model["isDelegate"] = v.user.role == app::Role::Delegate;
  return Response::html(s.views.page("pages/account_sheet", model));
}

/// A structure's software refused: its id and the message shown beside its select.
struct SoftwareRefused {
  std::int64_t structureId = 0;
  std::string message;
};

Response structuresPage(AccountPageServices& s, Request& req,
                        const std::optional<SoftwareRefused>& refused) {
  auto model = layoutModel(req, "Structures");
  // Account managers and administrators set each structure's booking software (issue 21); a
  // référent territorial reads it.
  const bool sets = s.publishers && s.admin.canManageAccounts(req.actor());
  std::vector<app::Publisher> choices;
  if (s.publishers) choices = s.publishers->choices();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& st : s.admin.structuresFor(req.actor())) {
    nlohmann::json item{{"id", std::to_string(st.id)},
                        {"name", st.name},
                        {"type", st.type},
                        {"departement", st.departement}};
    if (s.publishers) {
      const auto chosen = s.publishers->structurePublisher(st.id);
      std::string name = "Aucun (saisie sur la plateforme)";
      nlohmann::json options = nlohmann::json::array();
      for (const auto& p : choices) {
        if (chosen == p.id) name = p.name;
        options.push_back(
            {{"id", std::to_string(p.id)}, {"name", p.name}, {"selected", chosen == p.id}});
      }
      item["publisher"] = name;
      item["options"] = options;
      if (refused && refused->structureId == st.id) {
        item["error"] = refused->message;
        model["refusedName"] = st.name;
      }
    }
    list.push_back(std::move(item));
  }
  model["structures"] = list;
  model["showsPublishers"] = s.publishers != nullptr;
  model["setsPublishers"] = sets && !choices.empty();
  model["saved"] = !refused && req.param("enregistre") == "1";
  return Response::html(s.views.page("pages/structures", model), refused ? 422 : 200);
}

Response listStructures(AccountPageServices& s, Request& req) {
  return structuresPage(s, req, std::nullopt);
}

Response setStructureSoftware(AccountPageServices& s, Request& req) {
  const auto id = req.pathId("id");
  if (!s.publishers || !s.admin.canManageAccounts(req.actor()))
    throw app::AppError(app::ErrorCode::Forbidden, "structures' software");
  // Only a structure of the actor's territory: any other answers as unknown.
  bool his = false;
  for (const auto& st : s.admin.structuresFor(req.actor())) his = his || st.id == id;
  if (!his) throw app::AppError(app::ErrorCode::NotFound, "structure " + std::to_string(id));
  const auto publisher = req.param(app::PublisherService::kPublisherField);
  const auto errors = s.publishers->setStructurePublisher(id, !publisher.empty(), publisher);
  // A publisher switched off since the page was shown (or a forged id): the list again, the
  // message beside this structure's select, nothing saved.
  if (!errors.empty()) return structuresPage(s, req, SoftwareRefused{id, errors.front().message});
  return Response::redirect("/structures?enregistre=1");
}

Response createAccount(AccountPageServices& s, Request& req) {
  const auto in = readAccount(req);
  auto result = s.admin.createAccount(req.actor(), in);
  if (!result.ok()) return accountForm(s, req, std::nullopt, in, result.errors);
  return Response::redirect("/comptes?message=cree");
}

Response editAccount(AccountPageServices& s, Request& req) {
  const auto id = req.pathId("id");
  const auto view = s.admin.account(req.actor(), id);
  if (!s.admin.canManageAccounts(req.actor())) return accountSheet(s, req, view);
  return accountForm(s, req, id, inputOf(view), {}, view.user);
}

Response updateAccount(AccountPageServices& s, Request& req) {
  const auto id = req.pathId("id");
  const auto in = readAccount(req);
  auto result = s.admin.updateAccount(req.actor(), id, in);
  if (!result.ok())
    return accountForm(s, req, id, in, result.errors, s.admin.account(req.actor(), id).user);
  return Response::redirect("/comptes?message=modifie");
}

Response reactivateAccount(AccountPageServices& s, Request& req) {
  const auto id = req.pathId("id");
  s.admin.reactivate(req.actor(), id);  // an account enabled meanwhile stays as it is
  return Response::redirect("/comptes?message=reactive");
}

Response resendWelcome(AccountPageServices& s, Request& req) {
  s.admin.resendWelcome(req.actor(), req.pathId("id"));
  return Response::redirect("/comptes?message=bienvenue");
}

Response territoriesPage(AccountPageServices& s, const Request& req,
                         const std::vector<domain::FieldError>& errors, const std::string& name,
                         const std::string& deps) {
  auto model = layoutModel(req, "Territoires");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : s.admin.territoriesFor(req.actor())) {
    std::string joined;
    for (const auto& d : t.departements) joined += (joined.empty() ? "" : ", ") + d;
    list.push_back({{"name", t.name}, {"departements", joined}});
  }
  model["territories"] = list;
  model["values"] = {{"nom", name}, {"departements", deps}};
  model["errors"] = errorsModel(errors);
  return Response::html(s.views.page("pages/territories", model), errors.empty() ? 200 : 422);
}

Response listTerritories(AccountPageServices& s, Request& req) {
  if (req.actor().user.role != app::Role::Administrator)
    throw app::AppError(app::ErrorCode::Forbidden, "territories");
  return territoriesPage(s, req, {}, "", "");
}

Response createTerritory(AccountPageServices& s, Request& req) {
  auto result = s.admin.createTerritory(req.actor(), req.param("nom"), req.param("departements"));
  if (!result.ok())
    return territoriesPage(s, req, result.errors, req.param("nom"), req.param("departements"));
  return Response::redirect("/territoires");
}

}  // namespace

void addAdminPages(Router& router, AccountPageServices& s) {
  router.add("GET", "/comptes", handle(s, listAccounts));
  router.add("GET", "/comptes/export.csv", handle(s, exportAccounts));
  router.add("POST", "/comptes/{id}/reactiver", handle(s, reactivateAccount));
  router.add("GET", "/comptes/nouveau", handle(s, newAccount));
  router.add("POST", "/comptes", handle(s, createAccount));
  router.add("GET", "/comptes/{id}", handle(s, editAccount));
  router.add("POST", "/comptes/{id}", handle(s, updateAccount));
  router.add("POST", "/comptes/{id}/bienvenue", handle(s, resendWelcome));
  router.add("GET", "/structures", handle(s, listStructures));
  router.add("POST", "/structures/{id}/logiciel", handle(s, setStructureSoftware));
  router.add("GET", "/territoires", handle(s, listTerritories));
  router.add("POST", "/territoires", handle(s, createTerritory));
}

}  // namespace sas::http
