// « Adresser un patient » (docs/rules.md#orientation): the regulator's three steps, each a page
// that works without JavaScript (registration, confirmation, notification), on an occurrence or
// beyond a place's availabilities, and the page of one orientation where it can be cancelled.
#include <charconv>
#include <string>

#include "app/errors.hpp"
#include "http/api/search_model.hpp"
#include "http/pages/orientation_links.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

namespace fields = domain::orientation_fields;
namespace links = orientation_links;

// « jeudi 05/03/26 »: the day as the regulation's labels write it.
std::string shortDay(domain::Day day) {
  const date::year_month_day ymd{day};
  auto name = domain::weekdayName(domain::weekdayIndex(day));
  if (!name.empty()) name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
  char text[16];
  std::snprintf(text, sizeof text, "%02u/%02u/%02d", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()) % 100);
  return name + " " + text;
}

std::string hm(const date::time_zone& zone, domain::Instant t) {
  return domain::formatTime(domain::localMinute(zone, t));
}

// « sur la plage 14h00 - 16h00 », « à 14h00 ».
std::string whenText(const app::Orientation& o, const date::time_zone& zone) {
  if (o.kind == domain::OrientationKind::Range)
    return "sur la plage " + hm(zone, o.start) + " - " + hm(zone, o.end);
  return "à " + hm(zone, o.start);
}

// « Plage de 14h00 à 16h00 », « Créneau de 14h00 à 14h15 », « Hors créneaux, à 14h00 ».
std::string hoursText(const app::Orientation& o, const date::time_zone& zone) {
  switch (o.kind) {
    case domain::OrientationKind::Range:
      return "Plage de " + hm(zone, o.start) + " à " + hm(zone, o.end);
    case domain::OrientationKind::Slot:
      return "Créneau de " + hm(zone, o.start) + " à " + hm(zone, o.end);
    case domain::OrientationKind::Beyond:
      break;
  }
  return "Hors créneaux, à " + hm(zone, o.start);
}

std::string placeName(const app::PlaceContext& c) {
  return c.place.name.empty() ? c.structure.name : c.place.name;
}

nlohmann::json placeModel(const app::PlaceContext& c) {
  return {
      {"id", std::to_string(c.place.id)}, {"name", placeName(c)}, {"address", c.place.address()}};
}

std::optional<std::int64_t> wholeNumber(const std::string& text) {
  std::int64_t v = 0;
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || p != end || text.empty()) return std::nullopt;
  return v;
}

// The occurrence a link names; a link that names none is a page that does not exist.
app::OccurrenceAsked askedFrom(const Request& req) {
  const auto place = wholeNumber(req.param(links::kPlace));
  const auto start = wholeNumber(req.param(links::kStart));
  const auto end = wholeNumber(req.param(links::kEnd));
  const auto kind = req.param(links::kKind);
  if (!place || !start || !end || (kind != "creneau" && kind != "plage"))
    throw app::AppError(app::ErrorCode::NotFound, "orientation link");
  return {*place, domain::Instant{std::chrono::seconds{*start}},
          domain::Instant{std::chrono::seconds{*end}},
          kind == "plage" ? domain::AvailabilityKind::Range : domain::AvailabilityKind::Slot};
}

// The hidden fields that carry the occurrence (or the place) and the way back to the next step.
nlohmann::json carried(const Request& req, std::int64_t placeId, bool beyond) {
  nlohmann::json out = nlohmann::json::array();
  const auto keep = [&](const char* name) {
    out.push_back({{"name", name}, {"value", req.param(name)}});
  };
  out.push_back({{"name", links::kPlace}, {"value", std::to_string(placeId)}});
  if (!beyond) {
    keep(links::kStart);
    keep(links::kEnd);
    keep(links::kKind);
  }
  keep(links::kBack);
  return out;
}

nlohmann::json stepModel(int number) {
  static const char* const kTitles[3] = {"Enregistrement", "Confirmation", "Notification"};
  nlohmann::json step{{"number", std::to_string(number)}, {"title", kTitles[number - 1]}};
  if (number < 3) step["next"] = kTitles[number];
  return step;
}

nlohmann::json occurrenceModel(const app::OrientationTarget& t) {
  const auto& o = t.occurrence;
  const auto& zone = *t.context.zone;
  const bool range = o.values.kind == domain::AvailabilityKind::Range;
  return {{"range", range},
          {"day", domain::formatLongDate(domain::localDay(zone, o.start))},
          {"hours", range ? hm(zone, o.start) + " à " + hm(zone, o.end) : hm(zone, o.start)},
          {"until",
           range && t.started ? nlohmann::json(untilText(zone, o.end)) : nlohmann::json(nullptr)},
          {"types", typesModel(o.values.types)},
          {"counter", std::to_string(o.taken) + " / " + std::to_string(t.capacity())}};
}

// Step 1 (and step 1 again when « Modifier » or a refused field brings it back).
Response registration(OrientationPageServices& s, Request& req, const app::OrientationTarget& t,
                      bool beyond, const std::vector<domain::FieldError>& errors, int status) {
  auto model = layoutModel(req, "Adresser un patient");
  model["step"] = stepModel(1);
  model["place"] = placeModel(t.context);
  model["beyond"] = beyond;
  if (!beyond) model["occurrence"] = occurrenceModel(t);
  model["carried"] = carried(req, t.context.place.id, beyond);
  model["reference"] = req.param(fields::kReference);
  model["date"] = req.param(fields::kDate);
  model["time"] = req.param(fields::kTime);
  model["action"] = beyond ? links::kBeyondConfirmPath : links::kConfirmPath;
  model["backUrl"] = searchBackUrl(req.param(links::kBack));
  model["errors"] = errorsModel(errors);
  model["maxReference"] = std::to_string(domain::kMaxRegulationReference);
  return Response::html(s.views.page("pages/orientation_new", model), status);
}

Response gonePage(OrientationPageServices& s, Request& req, const std::string& message) {
  auto model = layoutModel(req, "Adresser un patient");
  model["message"] = message;
  model["backUrl"] = searchBackUrl(req.param(links::kBack));
  return Response::html(s.views.page("pages/orientation_gone", model), 409);
}

// Step 2: « Vous adressez un patient à … ».
Response confirmation(OrientationPageServices& s, Request& req, const app::OrientationOutcome& out,
                      bool beyond) {
  const auto& o = *out.result.value;
  const auto& zone = *out.target.context.zone;
  auto model = layoutModel(req, "Adresser un patient");
  model["step"] = stepModel(2);
  model["sentence"] = "Vous adressez un patient à " + placeName(out.target.context) + " le " +
                      shortDay(domain::localDay(zone, o.start)) + " " + whenText(o, zone);
  // A plage under way: the patient may come until its end.
  model["until"] = !beyond && o.kind == domain::OrientationKind::Range && out.target.started
                       ? nlohmann::json(
                             "La plage est en cours : le patient peut s'y présenter "
                             "jusqu'à " +
                             hm(zone, o.end) + ".")
                       : nlohmann::json(nullptr);
  model["carried"] = carried(req, out.target.context.place.id, beyond);
  model["reference"] = o.reference;
  model["date"] = req.param(fields::kDate);
  model["time"] = req.param(fields::kTime);
  model["beyond"] = beyond;
  model["editAction"] = beyond ? links::kBeyondConfirmPath : links::kConfirmPath;
  model["action"] = beyond ? links::kBeyondPath : links::kOrientPath;
  return Response::html(s.views.page("pages/orientation_confirm", model));
}

Response newOrientation(OrientationPageServices& s, Request& req) {
  return registration(s, req, s.orientations.target(req.actor(), askedFrom(req)), false, {}, 200);
}

Response newBeyond(OrientationPageServices& s, Request& req) {
  app::OrientationTarget t;
  t.context = s.orientations.beyondTarget(req.actor(), req.pathId("id"));
  return registration(s, req, t, true, {}, 200);
}

// « Continuer » (step 1 → 2), or « Modifier » (step 2 → 1).
Response confirmOrientation(OrientationPageServices& s, Request& req) {
  const auto asked = askedFrom(req);
  if (req.checked(links::kEdit))
    return registration(s, req, s.orientations.target(req.actor(), asked), false, {}, 200);
  const auto out = s.orientations.prepare(req.actor(), asked, req.param(fields::kReference));
  if (out.gone) return gonePage(s, req, out.result.errors.front().message);
  if (!out.result.ok()) return registration(s, req, out.target, false, out.result.errors, 422);
  return confirmation(s, req, out, false);
}

Response confirmBeyond(OrientationPageServices& s, Request& req) {
  const auto placeId = wholeNumber(req.param(links::kPlace)).value_or(0);
  if (req.checked(links::kEdit)) {
    app::OrientationTarget t;
    t.context = s.orientations.beyondTarget(req.actor(), placeId);
    return registration(s, req, t, true, {}, 200);
  }
  const auto out =
      s.orientations.prepareBeyond(req.actor(), placeId, req.param(fields::kDate),
                                   req.param(fields::kTime), req.param(fields::kReference));
  if (!out.result.ok()) return registration(s, req, out.target, true, out.result.errors, 422);
  return confirmation(s, req, out, true);
}

// « Confirmer »: saved, then the notification (a page of its own, so that a reload sends nothing).
Response orient(OrientationPageServices& s, Request& req) {
  const auto out =
      s.orientations.orient(req.actor(), askedFrom(req), req.param(fields::kReference));
  if (out.gone) return gonePage(s, req, out.result.errors.front().message);
  if (!out.result.ok()) return registration(s, req, out.target, false, out.result.errors, 422);
  return Response::redirect(links::orientationUrl(out.result.value->id, req.param(links::kBack)));
}

Response orientBeyond(OrientationPageServices& s, Request& req) {
  const auto placeId = wholeNumber(req.param(links::kPlace)).value_or(0);
  const auto out =
      s.orientations.orientBeyond(req.actor(), placeId, req.param(fields::kDate),
                                  req.param(fields::kTime), req.param(fields::kReference));
  if (!out.result.ok()) return registration(s, req, out.target, true, out.result.errors, 422);
  return Response::redirect(links::orientationUrl(out.result.value->id, req.param(links::kBack)));
}

// Step 3, and the orientation's page afterwards: « Vous avez adressé un patient le … à … ».
Response showOrientation(OrientationPageServices& s, Request& req) {
  const auto v = s.orientations.view(req.actor(), req.pathId("id"));
  const auto& o = v.orientation;
  const auto& zone = *v.context.zone;
  auto model = layoutModel(req, "Adresser un patient");
  model["step"] = stepModel(3);
  model["id"] = std::to_string(o.id);
  model["cancelled"] = o.status == domain::OrientationStatus::Cancelled;
  model["sentence"] = "Vous avez adressé un patient le " +
                      shortDay(domain::localDay(zone, o.start)) + " à " + placeName(v.context);
  model["when"] = hoursText(o, zone);
  model["place"] = placeModel(v.context);
  model["status"] = domain::statusLabel(o.status);
  model["reference"] = o.reference;
  model["cancellable"] = v.cancellable;
  model["backParam"] = req.param(links::kBack);
  model["backUrl"] = searchBackUrl(req.param(links::kBack));
  model["notice"] = req.param("annulee") == "1" ? nlohmann::json("L'orientation a été annulée.")
                                                : nlohmann::json(nullptr);
  return Response::html(s.views.page("pages/orientation_done", model));
}

// « Mes orientations »: the last 7 days of the regulator and his territory.
Response listOrientations(OrientationPageServices& s, Request& req) {
  const auto lines = s.orientations.ofRegulation(req.actor());
  auto model = layoutModel(req, "Mes orientations");
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : lines) {
    const auto& o = r.line.orientation;
    const auto& zone = *r.zone;
    rows.push_back(
        {{"url", links::orientationUrl(o.id, links::kListPath)},
         {"made", domain::formatDate(domain::localDay(zone, o.madeAt)) + " " + hm(zone, o.madeAt)},
         {"day", shortDay(domain::localDay(zone, o.start))},
         {"hours", hoursText(o, zone)},
         {"place", r.line.placeName.empty() ? r.line.structureName : r.line.placeName},
         {"by", r.mine ? "Vous" : "Un régulateur de votre territoire"},
         {"reference", o.reference},
         {"status", domain::statusLabel(o.status)},
         {"cancellable", r.cancellable}});
  }
  model["hasRows"] = !rows.empty();
  model["rows"] = rows;
  model["count"] = std::to_string(lines.size());
  return Response::html(s.views.page("pages/orientation_list", model));
}

Response cancelOrientation(OrientationPageServices& s, Request& req) {
  const auto id = req.pathId("id");
  const auto out = s.orientations.cancel(req.actor(), id);
  if (!out.ok()) return gonePage(s, req, out.errors.front().message);
  return Response::redirect(links::orientationUrl(id, req.param(links::kBack)) + "&annulee=1");
}

}  // namespace

void addOrientationPages(Router& router, OrientationPageServices& s) {
  router.add("GET", links::kNewPath, handle(s, newOrientation));
  router.add("POST", links::kConfirmPath, handle(s, confirmOrientation));
  router.add("POST", links::kOrientPath, handle(s, orient));
  router.add("GET", "/lieux/{id}/orientation-hors-creneaux", handle(s, newBeyond));
  router.add("POST", links::kBeyondConfirmPath, handle(s, confirmBeyond));
  router.add("POST", links::kBeyondPath, handle(s, orientBeyond));
  router.add("GET", "/orientations", handle(s, listOrientations));
  router.add("GET", "/orientations/{id}", handle(s, showOrientation));
  router.add("POST", "/orientations/{id}/annulation", handle(s, cancelOrientation));
}

}  // namespace sas::http
