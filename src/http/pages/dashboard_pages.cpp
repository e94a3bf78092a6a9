#include <string>

#include "app/errors.hpp"
#include "http/pages/pages.hpp"
#include "http/pages/visibility_view.hpp"

namespace sas::http {
namespace {

nlohmann::json weekModel(const domain::WeekEligibility& w, const std::string& label,
                         domain::Day thisMonday) {
  return {{"label", label},
          {"from", domain::formatDate(w.monday)},
          {"to", domain::formatDate(w.monday + date::days{6})},
          {"visible", domain::formatHours(w.visible)},
          {"committed", domain::formatHours(w.committed)},
          {"eligible", w.eligible},
          {"reason", domain::reasonText(w, thisMonday)}};
}

nlohmann::json participationModel(const domain::Participation& p) {
  return {{"participates", p.participates},
          {"professionals", p.professionals > 0 ? std::to_string(p.professionals) : ""},
          {"acceptsContact", p.acceptsContact},
          {"honourDeclared", p.honourDeclared}};
}

Response parametersPage(PageServices& s, const Request& req, const app::Structure& structure,
                        const nlohmann::json& values,
                        const std::vector<domain::FieldError>& errors) {
  auto model = layoutModel(req, "Vos paramètres");
  model["structure"] = {{"id", std::to_string(structure.id)}, {"name", structure.name}};
  // The words of its kind: the guide's are a health centre's (docs/rules.md#participation).
  const auto& words = domain::participationWording(domain::structureKindOf(structure.type));
  model["words"] = {{"participates", words.participates},
                    {"professionals", words.professionals},
                    {"acceptsContact", words.acceptsContact},
                    {"honour", words.honour},
                    {"intro", words.intro}};
  model["values"] = values;
  if (s.publishers) {
    // Typed values when the form comes back, else what is saved.
    std::string chosen;
    if (values.contains("publisher"))
      chosen = values["publisher"].get<std::string>();
    else if (auto p = s.publishers->structurePublisher(structure.id))
      chosen = std::to_string(*p);
    if (!values.contains("published")) model["values"]["published"] = !chosen.empty();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : s.publishers->choices())
      list.push_back({{"id", std::to_string(p.id)},
                      {"name", p.name},
                      {"selected", std::to_string(p.id) == chosen}});
    model["publishers"] = list;
    model["hasPublishers"] = !list.empty();
  }
  model["errors"] = errorsModel(errors);
  return Response::html(s.views.page("pages/parameters", model), errors.empty() ? 200 : 422);
}

nlohmann::json structuresModel(const std::vector<app::StructureSummary>& summaries) {
  nlohmann::json structures = nlohmann::json::array();
  for (const auto& summary : summaries) {
    nlohmann::json places = nlohmann::json::array();
    const auto structureId = std::to_string(summary.structure.id);
    for (const auto& p : summary.places) {
      nlohmann::json periods = nlohmann::json::array();
      for (const auto& period : p.unavailability.periods)
        periods.push_back(
            {{"from", domain::formatDate(period.from)}, {"to", domain::formatDate(period.to)}});
      places.push_back(
          {{"id", std::to_string(p.place.id)},
           {"structureId", structureId},
           {"name", p.place.name},
           {"address", p.place.address()},
           {"phone", p.place.phone},
           {"unavailableNow", p.unavailableNow},
           // The dashboard's own managers set the parameters (a délégataire has his own page).
           {"visibility",
            visibilityModel(
                p.visibility,
                {p.place.id, summary.structure.id,
                 p.place.name.empty() ? summary.structure.name : p.place.name, true, 4})},
           {"indefinite", p.unavailability.indefinite},
           {"periods", periods},
           {"hasPeriods", !periods.empty()},
           {"referred",
            {{"received", std::to_string(p.referredThisWeek.received)},
             {"noShow", std::to_string(p.referredThisWeek.noShow)},
             {"pending", std::to_string(p.referredThisWeek.pending)}}},
           {"weeks",
            {weekModel(p.thisWeek, "Cette semaine", p.thisWeek.monday),
             weekModel(p.nextWeek, "Semaine prochaine", p.thisWeek.monday)}}});
    }
    const auto& st = summary.structure;
    const auto kind = domain::structureKindOf(st.type);
    structures.push_back({{"id", std::to_string(st.id)},
                          {"name", st.name},
                          {"type", st.type},
                          {"participates", st.participation.participates},
                          // A cabinet is its doctor: no number to show.
                          {"countsProfessionals", kind != domain::StructureKind::Office},
                          {"professionals", std::to_string(st.participation.professionals)},
                          {"places", places}});
  }
  return structures;
}

Response showDashboard(PageServices& s, Request& req) {
  const auto& actor = req.actor();
  // A regulator's page is the search (docs/rules.md#search).
  if (app::regulates(actor.user.role)) return Response::redirect("/recherche");
  if (actor.user.role == app::Role::Delegate) return delegateDashboard(s, req);
  auto model = layoutModel(req, "Tableau de bord");
  model["name"] = actor.user.displayName();
  model["email"] = actor.user.email;
  // A health professional (docs/rules.md#psc-first-login, case 2) manages his practice
  // places' structures with the structure manager's pages: « Vos lieux d'exercice ».
  const bool practitioner = actor.user.role == app::Role::Practitioner;
  model["isStructureManager"] = actor.user.role == app::Role::StructureManager || practitioner;
  model["isPractitioner"] = practitioner;
  model["isReferent"] = actor.user.role == app::Role::TerritorialReferent;
  model["saved"] = req.param("enregistre") == "1";
  const auto structures = structuresModel(s.structures.dashboard(actor));
  model["structures"] = structures;
  model["hasStructures"] = !structures.empty();
  return Response::html(s.views.page("pages/dashboard", model));
}

Response showParameters(PageServices& s, Request& req) {
  auto structure = s.structures.structureFor(req.actor(), req.pathId("id"));
  return parametersPage(s, req, structure, participationModel(structure.participation), {});
}

Response saveParameters(PageServices& s, Request& req) {
  namespace field = domain::participation_fields;
  const domain::ParticipationInput input{
      req.checked(field::kParticipates), req.param(field::kProfessionals),
      req.checked(field::kAcceptsContact), req.checked(field::kHonour)};
  const auto id = req.pathId("id");
  // Checked before anything is saved, so that a refusal saves nothing (structureFor also
  // answers NotFound for a structure that is not the actor's).
  const bool published = req.checked(app::PublisherService::kPublishedField);
  const auto publisher = req.param(app::PublisherService::kPublisherField);
  std::vector<domain::FieldError> publisherErrors;
  if (s.publishers && published) {
    s.structures.structureFor(req.actor(), id);
    publisherErrors = s.publishers->checkStructurePublisher(published, publisher);
  }
  const auto typed = [&] {
    return nlohmann::json{{"participates", input.participates},
                          {"professionals", input.professionals},
                          {"acceptsContact", input.acceptsContact},
                          {"honourDeclared", input.honourDeclared},
                          {"published", published},
                          {"publisher", publisher}};
  };
  if (!publisherErrors.empty())
    return parametersPage(s, req, s.structures.structureFor(req.actor(), id), typed(),
                          publisherErrors);
  const auto change = s.structures.saveParticipation(req.actor(), id, input);
  if (!change.result.ok())
    // Refused: the form comes back with what was typed, not what is saved.
    return parametersPage(s, req, change.structure, typed(), change.result.errors);
  if (s.publishers) s.publishers->setStructurePublisher(id, published, publisher);
  return Response::redirect("/tableau-de-bord?enregistre=1");
}

}  // namespace

void addDashboardPages(Router& router, PageServices& s) {
  router.add("GET", "/tableau-de-bord", handle(s, showDashboard));
  router.add("GET", "/structures/{id}/parametres", handle(s, showParameters));
  router.add("POST", "/structures/{id}/parametres", handle(s, saveParameters));
}

}  // namespace sas::http
