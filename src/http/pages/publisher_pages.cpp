// « Éditeurs interfacés » (docs/rules.md#publishers): the administrators' registry of the
// booking software publishers the platform pulls, with the health of their last pulls.
#include "app/errors.hpp"
#include "domain/calendar.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

// « 04/12/2026 à 10h05 » in Paris, the administrators' time.
std::string when(std::optional<domain::Instant> t) {
  if (!t) return "Jamais";
  const auto* zone = domain::findZone("Europe/Paris");
  return domain::formatDate(domain::localDay(*zone, *t)) + " à " +
         domain::formatTime(domain::localMinute(*zone, *t));
}

std::string breakerText(const app::PublisherHealth& h, domain::Instant now) {
  if (h.breakerOpenUntil > now)
    return "Suspendu après " + std::to_string(h.breakerFailures) +
           " échecs consécutifs : nouvel essai le " + when(h.breakerOpenUntil);
  if (h.breakerFailures > 0) return std::to_string(h.breakerFailures) + " échec(s) consécutif(s)";
  return "Normal";
}

nlohmann::json rowModel(const app::PublisherRow& row, domain::Instant now) {
  const auto& p = row.publisher;
  const auto& h = row.health;
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& [label, count] : app::healthErrors(h.errors))
    errors.push_back({{"label", label}, {"count", std::to_string(count)}});
  return {{"id", std::to_string(p.id)},
          {"name", p.name},
          {"url", p.baseUrl},
          {"enabled", p.enabled},
          {"period", std::to_string(p.periodMinutes)},
          {"lastPull", when(h.lastPullAt)},
          {"lastSuccess", when(h.lastSuccessAt)},
          {"duration", std::to_string(h.lastDuration.count()) + " ms"},
          {"professionals", std::to_string(h.professionals)},
          {"received", std::to_string(h.received)},
          {"matched", std::to_string(h.matched)},
          {"unmatched", std::to_string(h.unmatched)},
          {"slots", std::to_string(row.slots)},
          {"structures", std::to_string(row.structures)},
          {"errors", errors},
          {"hasErrors", !errors.empty()},
          {"breaker", breakerText(h, now)}};
}

app::PublisherForm formOf(const Request& req) {
  return {req.param("nom"),      req.param("url"),     req.param("certificat"), req.param("cle"),
          req.param("autorite"), req.param("periode"), req.checked("active")};
}

nlohmann::json valuesOf(const app::PublisherForm& f) {
  return {{"nom", f.name},      {"url", f.baseUrl},     {"certificat", f.certificateFile},
          {"cle", f.keyFile},   {"autorite", f.caFile}, {"periode", f.periodMinutes},
          {"active", f.enabled}};
}

Response formPage(PublisherPageServices& s, const Request& req, const app::PublisherForm& form,
                  const std::vector<domain::FieldError>& errors,
                  const std::optional<app::PublisherRow>& row) {
  auto model = layoutModel(req, row ? "Éditeur " + row->publisher.name : "Ajouter un éditeur");
  model["values"] = valuesOf(form);
  model["errors"] = errorsModel(errors);
  model["action"] = row ? "/editeurs/" + std::to_string(row->publisher.id) : "/editeurs";
  if (row) model["publisher"] = rowModel(*row, s.clock.now());
  model["saved"] = req.param("enregistre") == "1";
  model["pullAsked"] = req.param("interrogation") == "1";
  return Response::html(s.views.page("pages/publisher", model), errors.empty() ? 200 : 422);
}

Response listPublishers(PublisherPageServices& s, Request& req) {
  auto model = layoutModel(req, "Éditeurs interfacés");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& row : s.publishers.publishers(req.actor()))
    list.push_back(rowModel(row, s.clock.now()));
  model["publishers"] = list;
  model["hasPublishers"] = !list.empty();
  return Response::html(s.views.page("pages/publishers", model));
}

Response newPublisher(PublisherPageServices& s, Request& req) {
  s.publishers.publishers(req.actor());  // administrators only
  return formPage(s, req, {}, {}, std::nullopt);
}

Response createPublisher(PublisherPageServices& s, Request& req) {
  const auto form = formOf(req);
  auto result = s.publishers.create(req.actor(), form);
  if (!result.ok()) return formPage(s, req, form, result.errors, std::nullopt);
  return Response::redirect("/editeurs/" + std::to_string(*result.value) + "?enregistre=1");
}

Response showPublisher(PublisherPageServices& s, Request& req) {
  const auto row = s.publishers.publisher(req.actor(), req.pathId("id"));
  return formPage(s, req, app::PublisherService::formOf(row.publisher), {}, row);
}

Response updatePublisher(PublisherPageServices& s, Request& req) {
  const auto id = req.pathId("id");
  const auto form = formOf(req);
  const auto errors = s.publishers.update(req.actor(), id, form);
  if (!errors.empty())
    return formPage(s, req, form, errors, s.publishers.publisher(req.actor(), id));
  return Response::redirect("/editeurs/" + std::to_string(id) + "?enregistre=1");
}

Response pullSoon(PublisherPageServices& s, Request& req) {
  const auto id = req.pathId("id");
  s.publishers.pullSoon(req.actor(), id);
  return Response::redirect("/editeurs/" + std::to_string(id) + "?interrogation=1");
}

}  // namespace

void addPublisherPages(Router& router, PublisherPageServices& s) {
  router.add("GET", "/editeurs", handle(s, listPublishers));
  router.add("GET", "/editeurs/nouveau", handle(s, newPublisher));
  router.add("POST", "/editeurs", handle(s, createPublisher));
  router.add("GET", "/editeurs/{id}", handle(s, showPublisher));
  router.add("POST", "/editeurs/{id}", handle(s, updatePublisher));
  router.add("POST", "/editeurs/{id}/interroger", handle(s, pullSoon));
}

}  // namespace sas::http
