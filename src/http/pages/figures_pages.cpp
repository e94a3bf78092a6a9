// The orientation figures for the ARS and the Assurance maladie
// (docs/rules.md#orientation-figures): a weekly table per territory and the CSV of the rows.
#include "http/pages/figures_pages.hpp"

#include "app/errors.hpp"
#include "domain/establishment_numbers.hpp"
#include "http/errors.hpp"
#include "http/pages/csv.hpp"
#include "http/pages/layout.hpp"

namespace sas::http {
namespace {

std::string kindText(domain::OrientationKind kind) {
  switch (kind) {
    case domain::OrientationKind::Slot:
      return "Créneau";
    case domain::OrientationKind::Range:
      return "Plage";
    case domain::OrientationKind::Beyond:
      return "Hors créneaux";
  }
  return "";
}

/// « 14h00 - 16h00 », or « 14h15 » beyond the availabilities (no end).
std::string slotHours(const app::FigureRow& row) {
  const auto& o = row.line.orientation;
  const auto& zone = *row.zone;
  std::string out = domain::formatTime(domain::localMinute(zone, o.start));
  if (o.kind != domain::OrientationKind::Beyond)
    out += " - " + domain::formatTime(domain::localMinute(zone, o.end));
  return out;
}

std::string exportLink(const app::FiguresPeriod& p) {
  return "/orientations/export.csv?du=" + domain::formatIsoDate(p.from) +
         "&au=" + domain::formatIsoDate(p.to);
}

Response showFigures(FiguresPageServices& s, Request& req) {
  const auto& actor = req.actor();
  s.figures.requireReader(actor);
  const bool all = actor.user.role == app::Role::Administrator;
  auto model = layoutModel(req, "Chiffres des orientations");
  model["all"] = all;
  const auto du = req.param("du"), au = req.param("au");
  const auto period = s.figures.period(du, au);
  model["errors"] = errorsModel(period.errors);
  if (!period.ok()) {
    model["values"] = {{"du", du}, {"au", au}};
    model["shown"] = false;
    return Response::html(s.views.page("pages/orientation_figures", model), 422);
  }
  const auto& p = *period.value;
  model["values"] = {{"du", domain::formatIsoDate(p.from)}, {"au", domain::formatIsoDate(p.to)}};
  model["shown"] = true;
  model["from"] = domain::formatDate(p.from);
  model["to"] = domain::formatDate(p.to);
  model["csv"] = exportLink(p);
  nlohmann::json weeks = nlohmann::json::array();
  app::WeekFigures total;
  for (const auto& w : s.figures.weekly(actor, p)) {
    weeks.push_back({{"week", domain::formatDate(w.monday)},
                     {"territory", w.territory.empty() ? "Sans territoire" : w.territory},
                     {"made", w.made},
                     {"received", w.received},
                     {"noShow", w.noShow},
                     {"pending", w.pending},
                     {"cancelled", w.cancelled}});
    total.made += w.made;
    total.received += w.received;
    total.noShow += w.noShow;
    total.pending += w.pending;
    total.cancelled += w.cancelled;
  }
  model["weeks"] = weeks;
  model["any"] = !weeks.empty();
  model["total"] = {{"made", total.made},
                    {"received", total.received},
                    {"noShow", total.noShow},
                    {"pending", total.pending},
                    {"cancelled", total.cancelled}};
  return Response::html(s.views.page("pages/orientation_figures", model));
}

Response exportCsv(FiguresPageServices& s, Request& req) {
  const auto& actor = req.actor();
  s.figures.requireReader(actor);
  const auto period = s.figures.period(req.param("du"), req.param("au"));
  if (!period.ok())
    return refusalResponse(
        req, s.views,
        {.code = app::ErrorCode::BadRequest, .message = period.errors.front().message});
  const auto& p = *period.value;
  const auto rows = s.figures.rows(actor, p);
  Response r;
  r.contentType = "text/csv; charset=utf-8";
  r.body.reserve(256 + rows.size() * 256);
  r.body += kUtf8Bom;
  // No patient datum, not even the reference of the regulation's file (SPEC §11).
  appendCsvLine(r.body, {"Date de l'orientation", "Date du rendez-vous", "Heure du rendez-vous",
                         "Type", "Lieu", "Structure", "FINESS", "SIRET", "RPPS du professionnel",
                         "Territoire", "Statut"});
  for (const auto& row : rows) {
    const auto& o = row.line.orientation;
    const auto& zone = *row.zone;
    appendCsvLine(r.body, {domain::formatDate(domain::localDay(zone, o.madeAt)) + " " +
                               domain::formatTimeInput(domain::localMinute(zone, o.madeAt)),
                           domain::formatDate(domain::localDay(zone, o.start)), slotHours(row),
                           kindText(o.kind),
                           row.line.placeName.empty() ? row.line.structureName : row.line.placeName,
                           row.line.structureName, row.line.finess, row.line.siret,
                           domain::rppsOf(row.line.nationalId), row.line.territoryName,
                           domain::statusLabel(o.status)});
  }
  const std::string name =
      "orientations-" + domain::formatIsoDate(p.from) + "-" + domain::formatIsoDate(p.to) + ".csv";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return r;
}

}  // namespace

void addFiguresPages(Router& router, FiguresPageServices& s) {
  router.add("GET", "/orientations/chiffres", handle(s, showFigures));
  router.add("GET", "/orientations/export.csv", handle(s, exportCsv));
}

}  // namespace sas::http
