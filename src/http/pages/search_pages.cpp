// The regulators' search page and a place's sheet (docs/rules.md#search).
#include <cstdio>
#include <string>

#include "app/errors.hpp"
#include "domain/search_who.hpp"
#include "domain/text.hpp"
#include "http/api/search_model.hpp"
#include "http/pages/orientation_links.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

namespace fields = app::search_fields;

constexpr std::size_t kSlotsShownPerDay = 4;   // then « Voir plus de créneaux »
constexpr std::size_t kSlotsShownCompact = 3;  // « Vue compacte »: the next three

// « Vue compacte » (vue=compacte): a presentation only, carried by every link of the search.
constexpr const char* kView = "vue";
constexpr const char* kCompact = "compacte";

const char* const kDayNames[3] = {"Aujourd'hui", "Demain", "Après-demain"};

// A publisher's booking page for the slot, told that the patient comes from the SAS.
std::string bookingLink(const std::string& url) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "origin=sas";
}

// One availability, with « n / N » on a plage partly taken, « en cours, jusqu'à 12h00 » on a
// plage under way, and its « Adresser un patient » link; a publisher's slot links to its
// booking page instead (« Agenda de l'éditeur NOM », docs/rules.md#publishers).
nlohmann::json slotModel(const app::PlaceCard& card, const domain::SearchHit& hit,
                         const domain::SearchSlot& s, domain::Instant now,
                         const std::string& back) {
  const auto& zone = *hit.zone;
  const bool range = s.kind == domain::AvailabilityKind::Range;
  if (s.publisher != 0) {
    const auto* pulled = card.pulledSlot(s);
    const std::string name = pulled ? pulled->publisherName : std::string{};
    return {{"time", domain::formatTime(domain::localMinute(zone, s.start)) + " - " +
                         domain::formatTime(domain::localMinute(zone, s.end))},
            {"until", nullptr},
            {"kind", kindLabel(s.kind, s.capacity)},
            {"types", typesModel(s.types)},
            {"counter", nullptr},
            {"orientUrl", nullptr},
            {"publisher", "Agenda de l'éditeur " + name},
            {"bookingUrl", pulled && !pulled->bookingUrl.empty()
                               ? nlohmann::json(bookingLink(pulled->bookingUrl))
                               : nlohmann::json(nullptr)}};
  }
  return {{"time", domain::formatTime(domain::localMinute(zone, s.start)) + " - " +
                       domain::formatTime(domain::localMinute(zone, s.end))},
          {"until", range && s.start < now ? nlohmann::json(untilText(zone, s.end))
                                           : nlohmann::json(nullptr)},
          {"kind", kindLabel(s.kind, s.capacity)},
          {"types", typesModel(s.types)},
          {"counter",
           range ? nlohmann::json(std::to_string(s.taken) + " / " + std::to_string(s.capacity))
                 : nlohmann::json(nullptr)},
          {"orientUrl", orientation_links::newOrientationUrl(hit.placeId, s, back)},
          {"publisher", nullptr},
          {"bookingUrl", nullptr}};
}

nlohmann::json daysModel(const app::PlaceCard& card, const domain::SearchHit& hit,
                         domain::Instant now, std::size_t limit, const std::string& moreUrl,
                         const std::string& back) {
  nlohmann::json days = nlohmann::json::array();
  for (const auto& d : slotsByDay(hit, now)) {
    nlohmann::json slots = nlohmann::json::array();
    for (std::size_t i = 0; i < d.slots.size() && i < limit; ++i)
      slots.push_back(slotModel(card, hit, d.slots[i], now, back));
    const auto more = d.slots.size() > limit ? d.slots.size() - limit : 0;
    days.push_back({{"label", kDayNames[d.offset]},
                    {"date", domain::formatLongDate(d.day)},
                    {"iso", domain::formatIsoDate(d.day)},
                    {"slots", slots},
                    {"empty", d.slots.empty()},
                    {"more", more > 0},
                    {"moreCount", std::to_string(more)},
                    {"moreUrl", moreUrl}});
  }
  return days;
}

// The notice when the place's clock is not the regulator's.
nlohmann::json zoneNotice(const date::time_zone& zone, const app::SearchSettings& settings,
                          domain::Instant now) {
  const auto* regulator = domain::findZone(settings.regulatorTimeZone);
  if (!regulator || zone.get_info(now).offset == regulator->get_info(now).offset) return nullptr;
  return "Horaires à l'heure locale du lieu (" + utcOffset(zone, now) +
         "), différente de l'heure de Paris (" + utcOffset(*regulator, now) + ").";
}

// « Vue compacte »: the place's next availabilities, whatever their day, with the day's name.
nlohmann::json nextSlotsModel(const app::PlaceCard& card, const domain::SearchHit& hit,
                              domain::Instant now, std::size_t limit, const std::string& back) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : slotsByDay(hit, now))
    for (const auto& slot : d.slots) {
      if (out.size() == limit) return out;
      auto item = slotModel(card, hit, slot, now, back);
      item["day"] = kDayNames[d.offset];
      out.push_back(std::move(item));
    }
  return out;
}

// A coordinate for the map's data attributes: a dot, whatever the locale, to the metre.
std::string coordinate(double degrees) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", degrees);
  return text;
}

// Mustache sections take an empty text for true: absent texts are null.
nlohmann::json text(std::string_view s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

// A tel: URI has no spaces (RFC 3966): « 01 84 60 00 01 » is dialled as 0184600001.
std::string telUri(std::string_view phone) {
  std::string out = "tel:";
  for (char ch : phone)
    if (ch != ' ' && ch != '.' && ch != '-') out += ch;
  return out;
}

nlohmann::json cardModel(const app::PlaceCard& c) {
  const auto phone = c.phone();
  return {{"id", std::to_string(c.id())},
          {"name", c.name()},
          {"structureName", c.structureName()},
          {"type", c.structureType()},
          {"specialties", text(c.specialties())},
          {"address", c.address()},
          {"phone", text(phone)},
          {"phoneUri", telUri(phone)},
          {"note", text(c.regulatorNote())}};
}

// What « Élargir à N km » would add.
std::string widerAddsText(std::size_t adds) {
  if (adds == 0) return "aucune structure avec des disponibilités de plus";
  return std::to_string(adds) + (adds == 1 ? " structure avec des disponibilités de plus"
                                           : " structures avec des disponibilités de plus");
}

// « Dr Claire Lieux — Médecine générale », one a line; null when none (a Mustache section).
nlohmann::json professionalsModel(const std::vector<domain::SearchProfessional>& list) {
  if (list.empty()) return nullptr;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : list) out.push_back({{"label", domain::professionalLabel(p)}});
  return out;
}

std::string sheetUrl(std::int64_t id, const std::string& back) {
  return "/recherche/lieux/" + std::to_string(id) + queryString({{"retour", back}});
}

nlohmann::json formModel(const app::SearchForm& f, const app::SearchOutcome* out) {
  nlohmann::json within = nlohmann::json::array();
  for (const auto& r : domain::kAvailableWithin) {
    const std::string value = std::to_string(r.fromHours) + "-" + std::to_string(r.toHours);
    within.push_back(
        {{"value", value},
         {"id", "sous-" + value},
         {"label", std::to_string(r.fromHours) + " - " + std::to_string(r.toHours) + " h"},
         {"checked", std::find(f.within.begin(), f.within.end(), value) != f.within.end()}});
  }
  std::string radius = f.radiusKm;
  if (radius.empty() && out && out->status == app::SearchOutcome::Status::Results)
    radius = std::to_string(out->radiusKm);
  return {{"what", f.what},           {"where", f.where},
          {"office", f.office},       {"teleconsultation", f.teleconsultation},
          {"homeVisit", f.homeVisit}, {"within", within},
          {"radius", radius},         {"beyond", f.beyond}};
}

Response searchPage(SearchPageServices& s, Request& req) {
  auto model = layoutModel(req, "Rechercher une disponibilité");
  const auto form = readSearchForm(req);
  const bool asked = req.checked(fields::kWhere) || req.checked(fields::kChoice);
  const bool compact = req.param(kView) == kCompact;
  model["errors"] = errorsModel({});
  if (!asked) {
    app::SearchService::requireRegulator(req.actor());
    model["form"] = formModel(form, nullptr);
    model["form"]["compact"] = compact;
    // Back without criteria: his last search, one link away (issue 16, item 7).
    if (const auto last = s.history ? s.history->last(req.actor()) : std::nullopt)
      model["lastSearch"] = {{"url", "/recherche?" + last->criteria}, {"summary", last->summary}};
    return Response::html(s.views.page("pages/search", model));
  }
  const auto out = s.search.search(req.actor(), form);
  model["form"] = formModel(form, &out);
  model["form"]["compact"] = compact;
  if (out.status == app::SearchOutcome::Status::Invalid) {
    model["errors"] = errorsModel(out.errors);
    return Response::html(s.views.page("pages/search", model), 422);
  }
  auto params = with(searchParams(form), kView, compact ? kCompact : "");
  if (out.status == app::SearchOutcome::Status::Ambiguous) {
    nlohmann::json choices = nlohmann::json::array();
    for (const auto& c : out.choices)
      choices.push_back(
          {{"label", c.label},
           {"url", "/recherche" + queryString(with(params, fields::kChoice, c.key))}});
    model["ambiguous"] = {{"typed", form.where}, {"choices", choices}};
    return Response::html(s.views.page("pages/search", model));
  }

  if (s.history) {
    // Kept without its draw nor its page: taken up again, it is a new search.
    const auto criteria = queryString(with(params, fields::kSeed, "")).substr(1);
    const auto what = domain::trimmed(form.what);
    s.history->remember(req.actor(), criteria,
                        (what.empty() ? "Toutes les structures" : "« " + what + " »") +
                            " autour de " + out.location.label + ", dans un rayon de " +
                            std::to_string(out.radiusKm) + " km");
  }

  // The links of this search carry its draw, so that paging neither repeats nor skips.
  if (out.order == domain::SearchOrder::Random)
    params = with(params, fields::kSeed, std::to_string(out.seed));
  const auto pageUrl = [&](std::size_t page) {
    return "/recherche" + queryString(with(params, fields::kPage, std::to_string(page)));
  };
  const std::string back = pageUrl(out.page);
  const bool byDistance = out.order == domain::SearchOrder::Distance;
  // The map beside the list, when a tile server is configured and there is something to show.
  const bool map = !s.map.tilesUrl.empty() && !out.results.empty();
  const std::size_t first = (out.page - 1) * out.perPage + 1;  // the page's first number
  nlohmann::json results = nlohmann::json::array();
  for (const auto& r : out.results) {
    auto item = cardModel(*r.card);
    const auto number = first + results.size();
    item["number"] = std::to_string(number);
    if (map)
      item["marker"] = {{"number", std::to_string(number)},
                        {"latitude", coordinate(r.hit.position.latitude)},
                        {"longitude", coordinate(r.hit.position.longitude)}};
    item["professionals"] = professionalsModel(r.professionals);
    const auto sheet = sheetUrl(r.card->id(), back);
    item["sheetUrl"] = sheet;
    item["participates"] = r.hit.participates;
    item["acceptsContact"] = r.hit.acceptsContact;
    item["available"] = r.hit.available;
    item["distance"] = byDistance ? nlohmann::json(formatDistance(r.hit.distanceMetres)) : nullptr;
    if (compact) {
      item["next"] = nextSlotsModel(*r.card, r.hit, out.now, kSlotsShownCompact, back);
      item["noneNext"] = item["next"].empty();
    } else {
      item["days"] =
          daysModel(*r.card, r.hit, out.now, kSlotsShownPerDay, sheet + "#disponibilites", back);
    }
    if (r.hit.acceptsContact) item["beyondUrl"] = orientation_links::beyondUrl(r.card->id(), back);
    item["zoneNotice"] = zoneNotice(*r.hit.zone, s.search.settings(), out.now);
    results.push_back(item);
  }
  // Past the cut-off the count is a lower bound: no last page is known, and a next one is
  // offered as long as this one is full.
  const bool more = out.totalIsLowerBound;
  const bool full = out.results.size() == out.perPage;
  const std::size_t lastPage =
      more ? std::max(out.pageCount, full ? out.page + 1 : out.page) : out.pageCount;
  nlohmann::json pages = nlohmann::json::array();
  for (std::size_t p = 1; p <= lastPage; ++p)
    if (p == 1 || (p == lastPage && !more) || (p + 2 >= out.page && p <= out.page + 2))
      pages.push_back(
          {{"number", std::to_string(p)}, {"url", pageUrl(p)}, {"current", p == out.page}});
  model["results"] = {
      {"location", out.location.label},
      {"approximate", out.location.approximate},
      {"radius", std::to_string(out.radiusKm)},
      {"byDistance", byDistance},
      {"beyond", out.mode == domain::SearchMode::BeyondAvailabilities},
      // « plus de 1 000 résultats » once the count stopped at its cut-off (search.count_limit).
      {"total", (more ? "plus de " : "") + formatCount(out.total)},
      {"plural", out.total > 1 || more},
      {"none", out.total == 0},
      {"items", results},
      {"page", std::to_string(out.page)},
      {"pageCount", (more ? "plus de " : "") + formatCount(out.pageCount)},
      {"pages", pages},
      {"paged", lastPage > 1},
      {"previousUrl", out.page > 1 ? nlohmann::json(pageUrl(out.page - 1)) : nullptr},
      {"nextUrl", out.page < lastPage ? nlohmann::json(pageUrl(out.page + 1)) : nullptr},
      {"wider", std::to_string(out.widerRadiusKm)},
      {"canWiden", out.widerRadiusKm > out.radiusKm},
      // Fewer than 5 places with availabilities (and some results: else the empty answer's
      // notice offers it).
      {"widen", out.widen && out.total > 0},
      {"widenBelow", std::to_string(s.search.settings().widenBelow)},
      {"widerAdds", widerAddsText(out.widerAdds)},
      {"widerUrl", "/recherche" + queryString(with(with(params, fields::kRadius,
                                                        std::to_string(out.widerRadiusKm)),
                                                   fields::kSeed, ""))},
      {"compact", compact},
      {"first", std::to_string(first)},
      // The other view of the same results (same draw, same page).
      {"viewUrl",
       "/recherche" + queryString(with(with(params, fields::kPage, std::to_string(out.page)), kView,
                                       compact ? "" : kCompact))},
      {"viewLabel", compact ? "Vue détaillée" : "Vue compacte"}};
  if (map)
    model["results"]["map"] = {{"tilesUrl", s.map.tilesUrl},
                               {"attribution", s.map.attribution},
                               {"latitude", coordinate(out.location.latitude)},
                               {"longitude", coordinate(out.location.longitude)},
                               {"radiusMetres", std::to_string(out.radiusKm * 1000)}};
  model["searchMap"] = map;  // the layout loads Leaflet
  return Response::html(s.views.page("pages/search", model));
}

Response showPlaceSheet(SearchPageServices& s, Request& req) {
  const auto sheet = s.search.placeSheet(req.actor(), req.pathId("id"));
  const auto now = s.clock.now();
  auto model = layoutModel(req, std::string(sheet.card->name()));
  auto place = cardModel(*sheet.card);
  place["professionals"] = professionalsModel(sheet.professionals);
  place["participates"] = sheet.hit.participates;
  place["acceptsContact"] = sheet.hit.acceptsContact;
  place["unavailableNow"] = sheet.hit.unavailableNow;
  const auto back = searchBackUrl(req.param("retour"));
  place["days"] = daysModel(*sheet.card, sheet.hit, now, std::size_t(-1), "", back);
  if (sheet.hit.acceptsContact)
    place["beyondUrl"] = orientation_links::beyondUrl(sheet.card->id(), back);
  place["zoneNotice"] = zoneNotice(*sheet.hit.zone, s.search.settings(), now);
  place["timeZone"] = sheet.card->timeZone();
  model["place"] = place;
  model["backUrl"] = back;
  return Response::html(s.views.page("pages/place_sheet", model));
}

}  // namespace

void addSearchPages(Router& router, SearchPageServices& s) {
  router.add("GET", "/recherche", handle(s, searchPage));
  router.add("GET", "/recherche/lieux/{id}", handle(s, showPlaceSheet));
}

}  // namespace sas::http
