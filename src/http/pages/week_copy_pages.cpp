// « Dupliquer la semaine » (docs/rules.md#copy-a-week): the form, « Prévisualiser » (nothing
// written) and « Confirmer la duplication » (one transaction), then back to the agenda.
#include <algorithm>
#include <string>

#include "app/errors.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

using domain::Day;

std::string copyUrl(std::int64_t placeId) {
  return "/lieux/" + std::to_string(placeId) + "/disponibilites/dupliquer";
}

std::string agendaUrl(std::int64_t placeId, Day monday) {
  return "/lieux/" + std::to_string(placeId) + "/agenda?semaine=" + domain::formatIsoDate(monday);
}

std::string placeName(const app::Place& place, const std::string& structureName) {
  return place.name.empty() ? structureName : place.name;
}

// The week asked, sent by the page itself: one that is not a date was not sent by it (400, as
// on the GET). Absent on the GET: this week.
std::optional<Day> weekOf(const Request& req) {
  const auto text = req.param("semaine");
  if (text.empty()) return std::nullopt;
  const auto day = domain::parseDate(text);
  if (!day) throw app::AppError(app::ErrorCode::BadRequest, "week is not a date");
  return day;
}

app::WeekCopyInput readInput(const Request& req) {
  app::WeekCopyInput in;
  in.weeks = req.param("semaines");
  for (const auto& value : req.params_("lieu")) {
    // Not a place id: the same answer as a place that is not the actor's.
    const auto id = domain::parseWholeNumber(value);
    if (!id || *id <= 0) throw app::AppError(app::ErrorCode::NotFound, "bad place in form");
    in.places.push_back(*id);
  }
  return in;
}

std::string hours(const domain::OccurrenceValues& v) {
  return domain::formatTime(v.startMinute) + " - " + domain::formatTime(v.endMinute);
}

nlohmann::json rowModel(const app::WeekCopy& copy, std::int64_t placeId,
                        const domain::OccurrenceValues& v) {
  std::string name;
  for (const auto& p : copy.places)
    if (p.place.id == placeId) name = placeName(p.place, p.structureName);
  return {{"place", name},
          {"date", domain::formatLongDate(v.date)},
          {"hours", hours(v)},
          {"kind", kindLabel(v.kind, v.capacity)},
          {"types", domain::typeLabels(v.types)}};
}

nlohmann::json previewModel(const app::WeekCopy& copy) {
  const auto& plan = *copy.result->value;
  nlohmann::json created = nlohmann::json::array(), skipped = nlohmann::json::array();
  for (const auto& c : plan.copies) {
    auto row = rowModel(copy, c.placeId, c.values);
    std::string note;
    if (c.movedOutOfGap)
      note = "L'heure n'existe pas ce jour-là (passage à l'heure d'été) : enregistrée à " +
             domain::formatTime(c.values.startMinute) + ".";
    if (c.overlaps)
      note += std::string(note.empty() ? "" : " ") +
              "Chevauche une autre disponibilité (c'est permis).";
    row["note"] = note.empty() ? "—" : note;
    created.push_back(std::move(row));
  }
  for (const auto& s : plan.skipped) {
    auto row = rowModel(copy, s.placeId, s.values);
    row["reason"] = s.reason;
    skipped.push_back(std::move(row));
  }
  const auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n > 1 ? many : one);
  };
  return {{"created", created},
          {"hasCreated", !plan.copies.empty()},
          {"skipped", skipped},
          {"hasSkipped", !plan.skipped.empty()},
          {"summary",
           count(plan.copies.size(), "disponibilité sera créée", "disponibilités seront créées") +
               ", " + count(plan.skipped.size(), "copie écartée", "copies écartées") + "."}};
}

Response copyPage(PageServices& s, const Request& req, const app::WeekCopy& copy,
                  const app::WeekCopyInput& input, bool sent) {
  auto model = layoutModel(req, "Dupliquer la semaine");
  const auto& ctx = copy.context;
  model["place"] = {{"id", std::to_string(ctx.place.id)},
                    {"name", placeName(ctx.place, ctx.structure.name)},
                    {"address", ctx.place.address()}};
  model["action"] = copyUrl(ctx.place.id);
  model["week"] = domain::formatIsoDate(copy.monday);
  model["weekLabel"] = domain::formatLongDate(copy.monday);
  model["backUrl"] = agendaUrl(ctx.place.id, copy.monday);
  model["weeks"] = input.weeks;
  model["maxWeeks"] = std::to_string(domain::kMaxCopyWeeks);
  nlohmann::json places = nlohmann::json::array();
  for (const auto& p : copy.places)
    places.push_back({{"id", std::to_string(p.place.id)},
                      {"name", placeName(p.place, p.structureName)},
                      {"address", p.place.address()},
                      {"current", p.place.id == ctx.place.id},
                      {"checked", std::find(input.places.begin(), input.places.end(), p.place.id) !=
                                      input.places.end()}});
  model["places"] = places;
  std::vector<domain::FieldError> errors;
  int status = 200;
  if (sent && copy.result) {
    errors = copy.result->errors;
    if (!errors.empty()) status = 422;
    // The preview, and « Confirmer » with what it shows, only for a form that passed.
    if (copy.result->value) {
      model["preview"] = previewModel(copy);
      model["canConfirm"] = errors.empty() && !copy.result->value->copies.empty();
      nlohmann::json ticked = nlohmann::json::array();
      for (auto id : input.places) ticked.push_back(std::to_string(id));
      model["ticked"] = ticked;
    }
  }
  model["errors"] = errorsModel(errors);
  return Response::html(s.views.page("pages/week_copy", model), status);
}

Response showCopyForm(PageServices& s, Request& req) {
  const auto copy = s.agenda.weekCopyForm(req.actor(), req.pathId("id"), weekOf(req));
  // The next week on this place, by default.
  const app::WeekCopyInput input{"1", {copy.context.place.id}};
  return copyPage(s, req, copy, input, false);
}

Response submitCopy(PageServices& s, Request& req) {
  const auto placeId = req.pathId("id");
  const auto input = readInput(req);
  const auto asked = weekOf(req);
  if (!asked) throw app::AppError(app::ErrorCode::BadRequest, "week missing");
  const Day week = *asked;
  if (req.param("action") != "confirmer")
    return copyPage(s, req, s.agenda.previewWeekCopy(req.actor(), placeId, week, input), input,
                    true);
  const auto copy = s.agenda.copyWeek(req.actor(), placeId, week, input);
  if (!copy.written) return copyPage(s, req, copy, input, true);
  const auto& copies = copy.result->value->copies;
  const bool moved =
      std::any_of(copies.begin(), copies.end(), [](const auto& c) { return c.movedOutOfGap; });
  return Response::redirect(agendaUrl(placeId, copy.monday) + "&message=dupliquee" +
                            (moved ? "&heure=decalee" : ""));
}

}  // namespace

void addWeekCopyPages(Router& router, PageServices& s) {
  router.add("GET", "/lieux/{id}/disponibilites/dupliquer", handle(s, showCopyForm));
  router.add("POST", "/lieux/{id}/disponibilites/dupliquer", handle(s, submitCopy));
}

}  // namespace sas::http
