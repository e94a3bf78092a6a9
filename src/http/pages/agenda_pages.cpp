#include <algorithm>
#include <string>

#include "app/errors.hpp"
#include "http/pages/agenda_view.hpp"
#include "http/pages/pages.hpp"
#include "http/pages/visibility_view.hpp"

namespace sas::http {
namespace {

using domain::Day;

constexpr std::size_t kMaxPeriodRowsRead = 20;  // rows beyond 3 are read so as to be refused

const char* const kWeekdayFields[7] = {"lundi",    "mardi",  "mercredi", "jeudi",
                                       "vendredi", "samedi", "dimanche"};

std::string agendaUrl(std::int64_t placeId, std::optional<Day> day = std::nullopt) {
  std::string url = "/lieux/" + std::to_string(placeId) + "/agenda";
  if (day) url += "?semaine=" + domain::formatIsoDate(*day);
  return url;
}

std::string occurrenceUrl(std::int64_t placeId, std::int64_t availabilityId, Day originalDate,
                          const char* action) {
  return "/lieux/" + std::to_string(placeId) + "/disponibilites/" + std::to_string(availabilityId) +
         "/" + domain::formatIsoDate(originalDate) + "/" + action;
}

Day pathDate(const Request& req) {
  auto it = req.pathParams.find("date");
  auto d = it == req.pathParams.end() ? std::nullopt : domain::parseDate(it->second);
  if (!d) throw app::AppError(app::ErrorCode::NotFound, "bad date in path");
  return *d;
}

nlohmann::json placeModel(const app::PlaceContext& ctx) {
  return {{"id", std::to_string(ctx.place.id)},
          {"name", ctx.place.name.empty() ? ctx.structure.name : ctx.place.name},
          {"structureName", ctx.structure.name},
          {"address", ctx.place.address()},
          {"timeZone", ctx.place.timeZone}};
}

std::string longDate(Day d) {
  return domain::formatLongDate(d);
}

std::string hoursText(const domain::OccurrenceValues& v) {
  return domain::formatTime(v.startMinute) + " - " + domain::formatTime(v.endMinute);
}

const std::map<std::string, std::string>& flashMessages() {
  static const std::map<std::string, std::string> m{
      {"creee", "Vos disponibilités ont été enregistrées."},
      {"modifiee", "La disponibilité a été modifiée."},
      {"supprimee", "La disponibilité a été supprimée."},
      {"indisponibilite", "Votre indisponibilité a été enregistrée."},
      {"informations", "Vos informations complémentaires ont été enregistrées."},
      {"dupliquee", "La semaine a été dupliquée : vos disponibilités ont été créées."},
  };
  return m;
}

// ---------------------------------------------------------------- the availability form

domain::AvailabilityInput readAvailabilityInput(const Request& req) {
  domain::AvailabilityInput in;
  in.date = req.param("date");
  in.from = req.param("de");
  in.to = req.param("a");
  in.kind = req.param("type_disponibilite");
  in.capacity = req.param("capacite");
  in.office = req.checked("cabinet");
  in.teleconsultation = req.checked("teleconsultation");
  in.homeVisit = req.checked("domicile");
  for (int i = 0; i < 7; ++i)
    in.weekdays[static_cast<std::size_t>(i)] = req.checked(kWeekdayFields[i]);
  return in;
}

nlohmann::json timeOptions(const std::string& selected, bool forEnd) {
  nlohmann::json out = nlohmann::json::array();
  const auto chosen = domain::parseTime(selected);
  for (int m = forEnd ? 15 : 0; m < domain::kMinutesPerDay; m += 15)
    out.push_back({{"value", domain::formatTimeInput(m)},
                   {"label", domain::formatTime(m)},
                   {"selected", chosen && *chosen == m}});
  if (forEnd)
    out.push_back({{"value", domain::formatTimeInput(domain::kLastMinute)},
                   {"label", domain::formatTime(domain::kLastMinute)},
                   {"selected", chosen && *chosen == domain::kLastMinute}});
  return out;
}

nlohmann::json availabilityValues(const domain::AvailabilityInput& in) {
  nlohmann::json weekdays = nlohmann::json::array();
  for (int i = 0; i < 7; ++i)
    weekdays.push_back({{"field", kWeekdayFields[i]},
                        {"label", "Chaque " + domain::weekdayName(i)},
                        {"checked", in.weekdays[static_cast<std::size_t>(i)]}});
  const auto date = domain::parseDate(in.date);
  return {{"date", date ? domain::formatIsoDate(*date) : in.date},
          {"fromOptions", timeOptions(in.from, false)},
          {"toOptions", timeOptions(in.to, true)},
          {"slot", in.kind == "creneau"},
          {"range", in.kind == "plage"},
          {"capacity", in.capacity},
          {"office", in.office},
          {"teleconsultation", in.teleconsultation},
          {"homeVisit", in.homeVisit},
          {"weekdays", weekdays}};
}

domain::AvailabilityInput inputFrom(const domain::OccurrenceValues& v) {
  domain::AvailabilityInput in;
  in.date = domain::formatIsoDate(v.date);
  in.from = domain::formatTimeInput(v.startMinute);
  in.to = domain::formatTimeInput(v.endMinute);
  in.kind = v.kind == domain::AvailabilityKind::Slot ? "creneau" : "plage";
  in.capacity = v.kind == domain::AvailabilityKind::Range ? std::to_string(v.capacity) : "";
  in.office = v.types.has(domain::ConsultationType::Office);
  in.teleconsultation = v.types.has(domain::ConsultationType::Teleconsultation);
  in.homeVisit = v.types.has(domain::ConsultationType::HomeVisit);
  return in;
}

struct FormPage {
  const app::PlaceContext* context;
  const app::EditTarget* target = nullptr;  // modification
  std::string scope = "occurrence";
};

Response availabilityForm(PageServices& s, const Request& req, const FormPage& page,
                          const domain::AvailabilityInput& input,
                          const std::vector<domain::FieldError>& errors, int status = 0) {
  auto model = layoutModel(req, "Ajouter ou modifier des disponibilités");
  model["place"] = placeModel(*page.context);
  model["values"] = availabilityValues(input);
  model["errors"] = errorsModel(errors);
  const auto date = domain::parseDate(input.date);
  model["backUrl"] = agendaUrl(page.context->place.id, date);
  if (page.target) {
    const auto& t = *page.target;
    model["modify"] = true;
    model["action"] =
        occurrenceUrl(t.context.place.id, t.availability.id, t.occurrence.originalDate, "modifier");
    model["weekly"] = t.availability.weekly;
    model["occurrenceDate"] = domain::formatDate(t.occurrence.originalDate);
    model["weekdayName"] = domain::weekdayName(domain::weekdayIndex(t.occurrence.originalDate));
    model["scopeAll"] = page.scope == "toutes";
    model["backUrl"] = agendaUrl(t.context.place.id, t.occurrence.values.date);
  } else {
    model["modify"] = false;
    model["action"] = "/lieux/" + std::to_string(page.context->place.id) + "/disponibilites";
  }
  if (!status) status = errors.empty() ? 200 : 422;
  return Response::html(s.views.page("pages/availability_form", model), status);
}

domain::EditScope scopeOf(const std::string& value) {
  return value == "toutes" ? domain::EditScope::AllWeeks : domain::EditScope::ThisOccurrence;
}

// ---------------------------------------------------------------- unavailability

struct PeriodRow {
  std::string from;
  std::string to;
};

std::vector<PeriodRow> readPeriodRows(const Request& req) {
  std::vector<PeriodRow> rows;
  for (std::size_t n = 1; n <= kMaxPeriodRowsRead; ++n) {
    const std::string du = domain::periodField("du", n), au = domain::periodField("au", n);
    if (!req.checked(du) && !req.checked(au)) continue;
    rows.push_back({req.param(du), req.param(au)});
  }
  return rows;
}

// An orientation's day and hour in the place's zone.
std::pair<Day, int> localStart(const app::PlaceContext& ctx, domain::Instant start) {
  const auto local = date::make_zoned(ctx.zone, start).get_local_time();
  const auto day = date::floor<date::days>(local);
  return {Day{day.time_since_epoch()},
          static_cast<int>(date::floor<std::chrono::minutes>(local - day).count())};
}

nlohmann::json coveredModel(const app::PlaceContext& ctx,
                            const std::vector<app::Orientation>& covered) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& o : covered) {
    const auto [day, minute] = localStart(ctx, o.start);
    list.push_back({{"date", domain::formatDate(day)},
                    {"time", domain::formatTime(minute)},
                    {"kind", o.kind == domain::OrientationKind::Beyond
                                 ? std::string("Hors créneaux")
                                 : kindLabel(o.kind == domain::OrientationKind::Slot
                                                 ? domain::AvailabilityKind::Slot
                                                 : domain::AvailabilityKind::Range,
                                             o.capacity)},
                    {"reference", o.reference.empty() ? "—" : o.reference},
                    {"status", domain::statusLabel(o.status)}});
  }
  return list;
}

Response unavailabilityForm(PageServices& s, const Request& req, const app::PlaceContext& ctx,
                            bool indefinite, const std::vector<PeriodRow>& rows,
                            const std::vector<domain::FieldError>& errors, int status,
                            const std::vector<app::Orientation>& covered = {}) {
  auto model = layoutModel(req, "Période d'indisponibilité");
  model["covered"] = coveredModel(ctx, covered);
  model["hasCovered"] = !covered.empty();
  if (req.param("message") == "enregistree")
    model["flash"] = "Votre indisponibilité a été enregistrée.";
  model["place"] = placeModel(ctx);
  model["indefinite"] = indefinite;
  auto errs = errorsModel(errors);
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto n = i + 1;
    const std::string du = domain::periodField("du", n), au = domain::periodField("au", n);
    auto iso = [](const std::string& t) {
      auto d = domain::parseDate(t);
      return d ? domain::formatIsoDate(*d) : t;
    };
    nlohmann::json row = {{"number", std::to_string(n)},
                          {"duField", du},
                          {"auField", au},
                          {"from", iso(rows[i].from)},
                          {"to", iso(rows[i].to)}};
    // Mustache (kainjow) opens a section on an empty string: a field's error only when it has one.
    if (errs.contains(du)) row["fromError"] = errs[du];
    if (errs.contains(au)) row["toError"] = errs[au];
    list.push_back(row);
  }
  model["rows"] = list;
  model["canAdd"] = rows.size() < domain::kMaxUnavailabilityPeriods;
  model["errors"] = errs;
  model["backUrl"] = agendaUrl(ctx.place.id);
  return Response::html(s.views.page("pages/unavailability_form", model), status);
}

Response deletePage(PageServices& s, const Request& req, const app::EditTarget& t,
                    const std::vector<domain::FieldError>& errors, int status = 0) {
  auto model = layoutModel(req, "Supprimer une disponibilité");
  model["place"] = placeModel(t.context);
  model["what"] = longDate(t.occurrence.values.date) + ", " + hoursText(t.occurrence.values);
  model["kind"] = kindLabel(t.occurrence.values.kind, t.occurrence.values.capacity);
  model["weekly"] = t.availability.weekly;
  model["occurrenceDate"] = domain::formatDate(t.occurrence.originalDate);
  model["action"] =
      occurrenceUrl(t.context.place.id, t.availability.id, t.occurrence.originalDate, "supprimer");
  model["backUrl"] = agendaUrl(t.context.place.id, t.occurrence.values.date);
  model["errors"] = errorsModel(errors);
  if (!status) status = errors.empty() ? 200 : 422;
  return Response::html(s.views.page("pages/availability_delete", model), status);
}

Response notePage(PageServices& s, const Request& req, const app::PlaceContext& ctx,
                  const std::string& text, const std::vector<domain::FieldError>& errors) {
  auto model = layoutModel(req, "Informations complémentaires");
  model["place"] = placeModel(ctx);
  model["note"] = text;
  model["maxLength"] = std::to_string(app::kMaxRegulatorNoteLength);
  model["errors"] = errorsModel(errors);
  model["backUrl"] = agendaUrl(ctx.place.id);
  return Response::html(s.views.page("pages/note_form", model), errors.empty() ? 200 : 422);
}

// « N disponibilité(s) réservée(s) conservée(s) » after a change « à toutes les semaines ».
std::string keptParam(std::size_t kept) {
  return kept ? "&conservees=" + std::to_string(kept) : "";
}

std::string keptMessage(const std::string& param) {
  if (param.empty() || param.size() > 4 ||
      param.find_first_not_of("0123456789") != std::string::npos || param == "0")
    return "";
  return " " + param +
         " disponibilité(s) réservée(s) conservée(s) : des patients y sont "
         "adressés, elles restent telles qu'elles étaient.";
}

app::OccurrenceRef occurrenceOf(const Request& req) {
  return app::OccurrenceRef{req.pathId("id"), req.pathId("aid"), pathDate(req)};
}

// ---------------------------------------------------------------- the handlers

Response showWeek(PageServices& s, Request& req) {
  auto week = s.agenda.week(req.actor(), req.pathId("id"), domain::parseDate(req.param("semaine")));
  AgendaPage page{week};
  if (auto it = flashMessages().find(req.param("message")); it != flashMessages().end())
    page.flash = it->second + keptMessage(req.param("conservees")) +
                 // The clock skipped the hour typed that day (docs/rules.md#agenda).
                 (req.param("heure") == "decalee"
                      ? " L'heure saisie n'existe pas ce jour-là (passage à l'heure d'été) : "
                        "elle a été enregistrée à l'heure qui lui correspond, visible dans "
                        "l'agenda."
                      : "");
  page.adviseRange = req.param("conseil") == "plage";
  const auto visibility = s.agenda.visibility(req.actor(), week);
  page.visibility = visibilityHtml(
      s.views, visibility.check,
      {week.context.place.id, week.context.structure.id, "", visibility.setsParameters, 2});
  page.calendarExport = visibility.setsParameters;
  auto layout = layoutModel(req, "Ajouter ou modifier vos disponibilités");
  layout["agendaFlow"] = true;  // htmx swaps the week in place (http/views.cpp)
  const auto grid = agendaGrid(page, s.grids);
  return Response::html(s.views.inLayout(
      std::move(layout), [&](std::string& out) { writeAgendaContent(out, page, *grid); },
      kAgendaContentBesideGrid + grid->size()));
}

Response newAvailability(PageServices& s, Request& req) {
  const auto blank =
      s.agenda.newAvailability(req.actor(), req.pathId("id"), domain::parseDate(req.param("date")));
  domain::AvailabilityInput input;
  input.date = domain::formatIsoDate(blank.date);
  input.office = true;
  return availabilityForm(s, req, {&blank.context}, input, {});
}

Response createAvailability(PageServices& s, Request& req) {
  const auto placeId = req.pathId("id");
  const auto input = readAvailabilityInput(req);
  const auto created = s.agenda.createAvailability(req.actor(), placeId, input);
  if (!created.result.ok())
    return availabilityForm(s, req, {&created.context}, input, created.result.errors);
  return Response::redirect(agendaUrl(placeId, created.day) + "&message=creee" +
                            (created.adviseRange ? "&conseil=plage" : "") +
                            (created.movedOutOfGap ? "&heure=decalee" : ""));
}

Response editOccurrence(PageServices& s, Request& req) {
  const auto target = s.agenda.editTarget(req.actor(), occurrenceOf(req));
  std::vector<domain::FieldError> errors;
  if (target.past)
    errors.push_back({"", "Cette disponibilité est passée : elle ne peut plus être modifiée."});
  if (target.occurrence.taken > 0) errors.push_back({"", app::kOccurrenceTaken});
  return availabilityForm(s, req, {&target.context, &target}, inputFrom(target.occurrence.values),
                          errors, target.occurrence.taken > 0 ? 409 : 0);
}

Response modifyOccurrence(PageServices& s, Request& req) {
  const auto ref = occurrenceOf(req);
  const auto input = readAvailabilityInput(req);
  const std::string scope = req.param("portee");
  const auto changed = s.agenda.modifyOccurrence(req.actor(), ref, input, scopeOf(scope));
  if (!changed.result.ok())
    return availabilityForm(s, req, {&changed.target.context, &changed.target, scope}, input,
                            changed.result.errors, changed.conflict ? 409 : 0);
  return Response::redirect(agendaUrl(ref.placeId, changed.day) + "&message=modifiee" +
                            keptParam(changed.kept) +
                            (changed.movedOutOfGap ? "&heure=decalee" : ""));
}

Response confirmDeletion(PageServices& s, Request& req) {
  const auto target = s.agenda.editTarget(req.actor(), occurrenceOf(req));
  std::vector<domain::FieldError> errors;
  if (target.past)
    errors.push_back({"", "Cette disponibilité est passée : elle ne peut plus être supprimée."});
  if (target.occurrence.taken > 0) errors.push_back({"", app::kOccurrenceTaken});
  return deletePage(s, req, target, errors, target.occurrence.taken > 0 ? 409 : 0);
}

Response deleteOccurrence(PageServices& s, Request& req) {
  const auto ref = occurrenceOf(req);
  const auto removed = s.agenda.removeOccurrence(req.actor(), ref, scopeOf(req.param("portee")));
  if (!removed.result.ok())
    return deletePage(s, req, removed.target, removed.result.errors, removed.conflict ? 409 : 0);
  return Response::redirect(agendaUrl(ref.placeId, removed.day) + "&message=supprimee" +
                            keptParam(removed.kept));
}

Response showUnavailability(PageServices& s, Request& req) {
  const auto notes = s.agenda.notes(req.actor(), req.pathId("id"));
  std::vector<PeriodRow> rows;
  for (const auto& p : notes.unavailability.periods)
    if (p.to >= notes.today)
      rows.push_back({domain::formatIsoDate(p.from), domain::formatIsoDate(p.to)});
  if (rows.empty()) rows.push_back({});
  return unavailabilityForm(s, req, notes.context, notes.unavailability.indefinite, rows, {}, 200,
                            notes.covered);
}

/// « Supprimer » and « + Ajouter » change the rows shown; only « Enregistrer » saves.
Response saveUnavailability(PageServices& s, Request& req) {
  const auto placeId = req.pathId("id");
  auto rows = readPeriodRows(req);
  const bool indefinite = req.checked("indetermine");
  const std::string action = req.param("action");
  if (action == "ajouter" || action.rfind("supprimer_", 0) == 0) {
    if (action == "ajouter" && rows.size() < domain::kMaxUnavailabilityPeriods) rows.push_back({});
    if (action != "ajouter") {
      const auto n = static_cast<std::size_t>(std::atoi(action.c_str() + 10));
      if (n >= 1 && n <= rows.size()) rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(n - 1));
    }
    return unavailabilityForm(s, req, s.agenda.placeFor(req.actor(), placeId), indefinite, rows, {},
                              200);
  }
  domain::UnavailabilityInput input;
  input.indefinite = indefinite;
  for (const auto& r : rows) input.periods.push_back({r.from, r.to});
  const auto saved = s.agenda.submitUnavailability(req.actor(), placeId, input);
  if (!saved.result.ok())
    return unavailabilityForm(s, req, saved.context, indefinite, rows, saved.result.errors, 422);
  // Over orientations, the page lists them so that the manager can call the regulation.
  if (!saved.covered.empty())
    return Response::redirect("/lieux/" + std::to_string(placeId) +
                              "/indisponibilite?message=enregistree");
  return Response::redirect(agendaUrl(placeId) + "?message=indisponibilite");
}

Response showNote(PageServices& s, Request& req) {
  const auto notes = s.agenda.notes(req.actor(), req.pathId("id"));
  return notePage(s, req, notes.context, notes.regulatorNote, {});
}

Response saveNote(PageServices& s, Request& req) {
  const auto placeId = req.pathId("id");
  const std::string text = req.param("informations");
  const auto saved = s.agenda.submitRegulatorNote(req.actor(), placeId, text);
  if (!saved.result.ok()) return notePage(s, req, saved.context, text, saved.result.errors);
  return Response::redirect(agendaUrl(placeId) + "?message=informations");
}

}  // namespace

void addAgendaPages(Router& router, PageServices& s) {
  router.add("GET", "/lieux/{id}/agenda", handle(s, showWeek));
  router.add("GET", "/lieux/{id}/disponibilites/nouvelle", handle(s, newAvailability));
  router.add("POST", "/lieux/{id}/disponibilites", handle(s, createAvailability));
  router.add("GET", "/lieux/{id}/disponibilites/{aid}/{date}/modifier", handle(s, editOccurrence));
  router.add("POST", "/lieux/{id}/disponibilites/{aid}/{date}/modifier",
             handle(s, modifyOccurrence));
  router.add("GET", "/lieux/{id}/disponibilites/{aid}/{date}/supprimer",
             handle(s, confirmDeletion));
  router.add("POST", "/lieux/{id}/disponibilites/{aid}/{date}/supprimer",
             handle(s, deleteOccurrence));
  router.add("GET", "/lieux/{id}/indisponibilite", handle(s, showUnavailability));
  router.add("POST", "/lieux/{id}/indisponibilite", handle(s, saveUnavailability));
  router.add("GET", "/lieux/{id}/informations-complementaires", handle(s, showNote));
  router.add("POST", "/lieux/{id}/informations-complementaires", handle(s, saveNote));
  addReferredPages(router, s);
  addWeekCopyPages(router, s);
}

}  // namespace sas::http
