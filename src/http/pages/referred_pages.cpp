// « Patients adressés » (docs/rules.md#orientation): the orientations of one place, week by
// week, and « Patient reçu » / « Patient non venu » from their start on.
#include <string>

#include "app/errors.hpp"
#include "app/orientation_service.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

using domain::Day;
using domain::OrientationStatus;

std::string referredUrl(std::int64_t placeId, Day monday) {
  return "/lieux/" + std::to_string(placeId) +
         "/patients-adresses?semaine=" + domain::formatIsoDate(monday);
}

// A day and a minute of the place's zone.
std::pair<Day, int> local(const date::time_zone& zone, domain::Instant t) {
  const auto time = date::make_zoned(&zone, t).get_local_time();
  const auto day = date::floor<date::days>(time);
  return {Day{day.time_since_epoch()},
          static_cast<int>(date::floor<std::chrono::minutes>(time - day).count())};
}

std::string kindText(const app::Orientation& o) {
  switch (o.kind) {
    case domain::OrientationKind::Slot:
      return "Créneau";
    case domain::OrientationKind::Range:
      return "Plage · " + std::to_string(o.capacity) + " patient" + (o.capacity > 1 ? "s" : "");
    case domain::OrientationKind::Beyond:
      break;
  }
  return "Hors créneaux";
}

nlohmann::json rowModel(const app::ReferredWeek& w, const app::Orientation& o) {
  const auto& zone = *w.context.zone;
  const auto [day, startMinute] = local(zone, o.start);
  std::string hours = domain::formatTime(startMinute);
  if (o.kind != domain::OrientationKind::Beyond)
    hours += " - " + domain::formatTime(local(zone, o.end).second);
  const bool settable = o.status != OrientationStatus::Cancelled && o.start <= w.now;
  return {{"id", std::to_string(o.id)},
          {"date", domain::formatLongDate(day)},
          {"hours", hours},
          {"kind", kindText(o)},
          {"reference", o.reference},
          {"hasReference", !o.reference.empty()},
          {"status", domain::statusLabel(o.status)},
          {"statusCode", domain::statusCode(o.status)},
          {"cancelled", o.status == OrientationStatus::Cancelled},
          {"received", o.status == OrientationStatus::Received},
          {"noShow", o.status == OrientationStatus::NoShow},
          {"settable", settable},
          {"notYet", !settable && o.status != OrientationStatus::Cancelled}};
}

Response referredPage(PageServices& s, const Request& req, const app::ReferredWeek& w,
                      const std::vector<domain::FieldError>& errors, int status) {
  auto model = layoutModel(req, "Patients adressés");
  const auto& ctx = w.context;
  const auto id = ctx.place.id;
  model["place"] = {{"id", std::to_string(id)},
                    {"name", ctx.place.name.empty() ? ctx.structure.name : ctx.place.name},
                    {"address", ctx.place.address()}};
  model["week"] =
      "du " + domain::formatDate(w.monday) + " au " + domain::formatDate(w.monday + date::days{6});
  model["semaine"] = domain::formatIsoDate(w.monday);
  model["previousUrl"] = referredUrl(id, w.monday - date::days{7});
  model["nextUrl"] = referredUrl(id, w.monday + date::days{7});
  if (w.monday != domain::mondayOf(w.today))
    model["currentUrl"] = referredUrl(id, domain::mondayOf(w.today));
  model["agendaUrl"] =
      "/lieux/" + std::to_string(id) + "/agenda?semaine=" + domain::formatIsoDate(w.monday);
  model["counts"] = {{"received", std::to_string(w.counts.received)},
                     {"noShow", std::to_string(w.counts.noShow)},
                     {"pending", std::to_string(w.counts.pending)},
                     {"cancelled", std::to_string(w.counts.cancelled)}};
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& o : w.orientations) rows.push_back(rowModel(w, o));
  model["rows"] = rows;
  model["hasRows"] = !rows.empty();
  if (req.param("message") == "statut") model["flash"] = "Le statut a été enregistré.";
  model["errors"] = errorsModel(errors);
  return Response::html(s.views.page("pages/referred_patients", model), status);
}

Response showReferred(PageServices& s, Request& req) {
  const auto week =
      s.agenda.referred(req.actor(), req.pathId("id"), domain::parseDate(req.param("semaine")));
  return referredPage(s, req, week, {}, 200);
}

// The place whose page sent the form (« lieu »), to show it again with the refusal.
std::int64_t formPlace(const Request& req) {
  const std::string text = req.param("lieu");
  std::int64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || id > 1'000'000'000'000) return 0;
    id = id * 10 + (c - '0');
  }
  return id;
}

Response setStatus(PageServices& s, Request& req) {
  if (!s.orientations) throw app::AppError(app::ErrorCode::Internal, "no orientation service");
  const auto& actor = req.actor();
  const auto chosen = domain::statusFromCode(req.param("statut"));
  const bool outcome =
      chosen && (*chosen == OrientationStatus::Received || *chosen == OrientationStatus::NoShow);
  auto refused = [&](std::vector<domain::FieldError> errors, int status) {
    const auto placeId = formPlace(req);
    if (!placeId) throw app::AppError(app::ErrorCode::NotFound, "no place in the form");
    const auto week = s.agenda.referred(actor, placeId, domain::parseDate(req.param("semaine")));
    return referredPage(s, req, week, errors, status);
  };
  if (!outcome) return refused({{"", "Choisissez « Patient reçu » ou « Patient non venu »."}}, 422);
  const auto result = s.orientations->setOutcome(actor, req.pathId("id"), *chosen);
  if (!result.ok()) return refused(result.errors, 409);
  const auto& o = *result.value;
  const auto place = s.agenda.placeFor(actor, o.placeId);
  return Response::redirect(
      referredUrl(o.placeId, domain::mondayOf(domain::localDay(*place.zone, o.start))) +
      "&message=statut");
}

}  // namespace

void addReferredPages(Router& router, PageServices& s) {
  router.add("GET", "/lieux/{id}/patients-adresses", handle(s, showReferred));
  router.add("POST", "/orientations/{id}/statut", handle(s, setStatus));
}

}  // namespace sas::http
