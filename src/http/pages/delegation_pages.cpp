// Délégataires (SPEC §12): « Vos délégataires » of a professional or structure manager, the
// confirmation that ends one, and the délégataire's dashboard.
#include "app/delegation_service.hpp"
#include "app/errors.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

app::DelegationService& delegations(PageServices& s) {
  if (!s.delegations) throw app::AppError(app::ErrorCode::NotFound, "delegations");
  return *s.delegations;
}

std::string nameAndEmail(const app::User& u) {
  return u.firstName + " " + u.lastName + " (" + u.email + ")";
}

Response showDelegates(PageServices& s, Request& req) {
  auto model = layoutModel(req, "Vos délégataires");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& u : delegations(s).delegatesOf(req.actor()))
    list.push_back({{"id", std::to_string(u.id)}, {"label", nameAndEmail(u)}});
  model["hasDelegates"] = !list.empty();
  model["delegates"] = list;
  model["ended"] = req.param("message") == "fin";
  return Response::html(s.views.page("pages/delegates", model));
}

Response confirmEnd(PageServices& s, Request& req) {
  const auto delegate = delegations(s).delegateOf(req.actor(), req.pathId("id"));
  auto model = layoutModel(req, "Mettre fin à la délégation");
  model["id"] = std::to_string(delegate.id);
  model["label"] = nameAndEmail(delegate);
  return Response::html(s.views.page("pages/delegation_end", model));
}

Response endDelegation(PageServices& s, Request& req) {
  delegations(s).end(req.actor(), req.pathId("id"));
  return Response::redirect("/compte/delegataires?message=fin");
}

}  // namespace

Response delegateDashboard(PageServices& s, Request& req) {
  const auto& actor = req.actor();
  auto model = layoutModel(req, "Tableau de bord");
  model["name"] = actor.user.displayName();
  model["email"] = actor.user.email;
  nlohmann::json practitioners = nlohmann::json::array(), managers = nlohmann::json::array();
  for (const auto& p : delegations(s).principals(actor)) {
    nlohmann::json structures = nlohmann::json::array();
    for (const auto& [structure, places] : p.structures) {
      nlohmann::json placeList = nlohmann::json::array();
      for (const auto& place : places)
        placeList.push_back({{"id", std::to_string(place.id)}, {"address", place.address()}});
      structures.push_back({{"id", std::to_string(structure.id)},
                            {"principalId", std::to_string(p.user.id)},
                            {"name", structure.name},
                            {"type", structure.type},
                            {"places", placeList}});
    }
    nlohmann::json entry{{"id", std::to_string(p.user.id)},
                         {"label", nameAndEmail(p.user)},
                         {"structures", structures}};
    (p.user.role == app::Role::Practitioner ? practitioners : managers).push_back(entry);
  }
  model["practitioners"] = practitioners;
  model["managers"] = managers;
  return Response::html(s.views.page("pages/delegate_dashboard", model));
}

void addDelegationPages(Router& router, PageServices& s) {
  router.add("GET", "/compte/delegataires", handle(s, showDelegates));
  router.add("GET", "/compte/delegataires/{id}/fin", handle(s, confirmEnd));
  router.add("POST", "/compte/delegataires/{id}/fin", handle(s, endDelegation));
}

}  // namespace sas::http
