#include "http/pages/agenda_view.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>
#include <vector>

#include "domain/agenda_layout.hpp"
#include "domain/calendar.hpp"
#include "domain/participation.hpp"
#include "domain/unavailability.hpp"
#include "http/pages/layout.hpp"

namespace sas::http {
namespace {

using domain::Day;

// Escapes as the Mustache templates do, so both kinds of page treat text alike; runs of plain
// characters are copied at once.
void appendEscaped(std::string& out, std::string_view text) {
  static constexpr auto kSpecial = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : std::string_view("&<>\"'")) t[c] = true;
    return t;
  }();
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!kSpecial[static_cast<unsigned char>(c)]) continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += "&apos;";
    }
  }
  out.append(text.data() + plain, text.size() - plain);
}

void appendNumber(std::string& out, long long n) {
  std::array<char, 24> buf{};
  auto end = std::to_chars(buf.data(), buf.data() + buf.size(), n).ptr;
  out.append(buf.data(), end);
}

const std::string& hourColumn() {
  static const std::string html = [] {
    std::string s =
        "  <div class=\"sas-agenda__hours\" aria-hidden=\"true\">\n"
        "    <div class=\"sas-agenda__corner\"></div>\n    ";
    for (int h = 0; h < 24; ++h)
      s += "<div class=\"sas-agenda__hour\">" + domain::formatTime(h * 60) + "</div>";
    return s + "\n  </div>\n";
  }();
  return html;
}

// "/lieux/P/disponibilites/A/D/", the occurrence's links but for their last word.
std::string occurrencePath(std::int64_t placeId, const domain::Occurrence& o) {
  std::string out = "/lieux/";
  appendNumber(out, placeId);
  out += "/disponibilites/";
  appendNumber(out, o.availabilityId);
  out += '/';
  out += domain::formatIsoDate(o.originalDate);
  out += '/';
  return out;
}

// « C », « T », « D » with their labels for screen readers, written once.
const std::vector<std::pair<domain::ConsultationType, std::string>>& typeMarks() {
  static const auto marks = [] {
    std::vector<std::pair<domain::ConsultationType, std::string>> out;
    for (auto t : kTypesInOrder) {
      const std::string label = domain::typeLabel(t);
      out.emplace_back(t, "<abbr title=\"" + label + "\">" + typeLetter(t) +
                              "</abbr><span class=\"fr-sr-only\"> (" + label + ")</span> ");
    }
    return out;
  }();
  return marks;
}

// " q-top-T q-h-H lane-L-of-N": where a span of the day is drawn (static/css/agenda-grid.css).
void appendPosition(std::string& out, int startMinute, int endMinute,
                    const domain::Placement& place) {
  const int top = startMinute / 15;
  const int height = std::max(1, (endMinute - startMinute + 14) / 15);
  out += " q-top-";
  appendNumber(out, top);
  out += " q-h-";
  appendNumber(out, std::min(height, 96 - top));
  out += " lane-";
  appendNumber(out, place.lane);
  out += "-of-";
  appendNumber(out, place.lanes);
}

// Every text of the grid is made by the domain's formatters (dates, hours, type labels), never
// typed by a user: it is written as is. The header's place name, address and note are escaped.
// `place`: where it is drawn in the day's column; none when listed in a fold (« +N »).
void writeOccurrence(std::string& out, const app::WeekView& w, const domain::Occurrence& o,
                     const domain::Placement* place, const std::string& longDay) {
  const auto& v = o.values;
  const std::string hours =
      domain::formatTime(v.startMinute) + " - " + domain::formatTime(v.endMinute);
  const bool past = o.start < w.now;
  const bool hidden =
      !domain::occurrenceVisible(w.unavailability(), *w.context.zone, o.start, o.end);

  out += "        <li class=\"agenda-occ";
  if (place) appendPosition(out, v.startMinute, v.endMinute, *place);
  if (past) out += " agenda-occ--past";
  if (hidden) out += " agenda-occ--hidden";
  const bool taken = o.taken > 0;
  if (taken) out += " agenda-occ--taken";
  out += "\">\n          <p class=\"agenda-occ__time\">";
  out += hours;
  out += "</p>\n          <p class=\"agenda-occ__kind\">";
  appendKindLabel(out, v.kind, v.capacity);
  out += "</p>\n          <p class=\"agenda-occ__types\">";
  for (const auto& [type, html] : typeMarks())
    if (v.types.has(type)) out += html;
  out += "</p>\n";
  if (o.weekly) out += "          <p class=\"fr-sr-only\">Récurrence hebdomadaire</p>\n";
  if (hidden) out += "          <p class=\"agenda-occ__flag\">Non visible (indisponibilité)</p>\n";
  if (taken) {
    // The colour is repeated in words (RGAA 3.1): « Réservé » and the counter « n / N ».
    out += "          <p class=\"agenda-occ__taken\">Réservé · ";
    appendNumber(out, o.taken);
    out += " / ";
    appendNumber(out, v.kind == domain::AvailabilityKind::Slot ? 1 : v.capacity);
    out += "<span class=\"fr-sr-only\"> patient(s) adressé(s)</span></p>\n";
  }
  // A taken occurrence is neither modified nor deleted (docs/rules.md#orientation).
  if (!past && !taken) {
    const std::string path = occurrencePath(w.context.place.id, o);
    const std::pair<std::string_view, std::string_view> actions[] = {{"modifier", "Modifier"},
                                                                     {"supprimer", "Supprimer"}};
    out += "          <p class=\"agenda-occ__actions\">\n";
    for (const auto& [action, verb] : actions) {
      out += "            <a class=\"fr-btn fr-btn--tertiary-no-outline fr-btn--sm ";
      out += action == "modifier" ? "fr-icon-pencil-line" : "fr-icon-delete-line";
      out += "\" href=\"";
      out += path;
      out += action;
      // The link's text names it; a title repeating it would only lengthen the page.
      out += "\">";
      out += verb;
      out += " la disponibilité du ";
      out += longDay;
      out += ", ";
      out += hours;
      out += "</a>\n";
    }
    out += "          </p>\n";
  }
  out += "        </li>\n";
}

std::string weekLabel(Day monday) {
  std::string out;
  for (const Day d : {monday, monday + date::days{6}}) {
    const date::year_month_day ymd{d};
    if (!out.empty()) out += " - ";
    appendNumber(out, static_cast<unsigned>(ymd.day()));
    out += ' ';
    out += domain::monthName(static_cast<unsigned>(ymd.month()));
    out += ' ';
    appendNumber(out, static_cast<int>(ymd.year()));
  }
  return out;
}

void appendPlaceUrl(std::string& out, std::int64_t placeId, std::string_view rest) {
  out += "/lieux/";
  appendNumber(out, placeId);
  out += rest;
}

void appendWeekUrl(std::string& out, std::int64_t placeId, std::optional<Day> monday) {
  appendPlaceUrl(out, placeId, "/agenda");
  if (!monday) return;
  out += "?semaine=";
  out += domain::formatIsoDate(*monday);
}

void writeHeader(std::string& out, const AgendaPage& page, const std::string& label) {
  const auto& w = page.week;
  const auto id = w.context.place.id;
  const auto& place = w.context.place;
  // « A+ », « A− » and « Paramètres d'affichage » as templates/partials/display_tools.mustache.
  out +=
      "<div class=\"sas-page-tools\"><p><a class=\"fr-link fr-icon-arrow-left-line "
      "fr-link--icon-left\" href=\"/tableau-de-bord\">Retour</a></p>\n"
      "<div class=\"sas-display-tools\" role=\"group\" aria-label=\"Affichage\" "
      "data-sas-taille-texte hidden>\n"
      "  <button type=\"button\" class=\"fr-btn fr-btn--tertiary fr-btn--sm\" "
      "data-sas-taille=\"plus\" aria-label=\"A+ : augmenter la taille du texte\">A+</button>\n"
      "  <button type=\"button\" class=\"fr-btn fr-btn--tertiary fr-btn--sm\" "
      "data-sas-taille=\"moins\" aria-label=\"A− : diminuer la taille du texte\">A−</button>\n"
      "  <button type=\"button\" class=\"fr-btn fr-btn--tertiary fr-btn--sm fr-btn--display\" "
      "aria-controls=\"fr-theme-modal\" data-fr-opened=\"false\">Paramètres d'affichage</button>\n"
      "</div>\n</div>\n"
      "<h1>Ajouter ou modifier vos disponibilités</h1>\n<p class=\"fr-text--lead\">";
  appendEscaped(out, place.name.empty() ? w.context.structure.name : place.name);
  out += " — ";
  appendEscaped(out, place.address());
  out += "</p>\n";
  if (!page.flash.empty()) {
    out += "<div class=\"fr-alert fr-alert--success fr-alert--sm fr-mb-2w\" role=\"status\"><p>";
    appendEscaped(out, page.flash);
    out += "</p></div>\n";
  }
  if (page.adviseRange)
    out +=
        "<div class=\"fr-alert fr-alert--info fr-alert--sm fr-mb-2w\"><p>Ce créneau dure plus "
        "d'une heure : le créneau est à privilégier lorsque vous ne pouvez recevoir "
        "qu'un patient sur un créneau de moins d'une heure. Pour recevoir plusieurs "
        "patients, choisissez plutôt une plage horaire.</p></div>\n";
  if (domain::inForce(w.unavailability(), *w.context.zone, w.now))
    out +=
        "<div class=\"fr-alert fr-alert--warning fr-alert--sm fr-mb-2w\"><p>Une indisponibilité "
        "est en cours : vos disponibilités ne sont plus visibles des régulateurs.</p></div>\n";
  out += page.visibility;
  out +=
      "<ul class=\"fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mb-2w\">\n"
      "  <li><a class=\"fr-btn fr-icon-add-line\" href=\"";
  appendPlaceUrl(out, id, "/disponibilites/nouvelle?date=");
  out += domain::formatIsoDate(std::max(w.monday, w.today));
  out +=
      "\">Créer des disponibilités</a></li>\n"
      "  <li><a class=\"fr-btn fr-btn--secondary fr-icon-calendar-event-line\" href=\"";
  appendPlaceUrl(out, id, "/indisponibilite");
  out +=
      "\">Programmer une indisponibilité</a></li>\n"
      "  <li><a class=\"fr-btn fr-btn--secondary fr-icon-information-line\" href=\"";
  appendPlaceUrl(out, id, "/informations-complementaires");
  out +=
      "\">Informations complémentaires</a></li>\n"
      "  <li><a class=\"fr-btn fr-btn--secondary fr-icon-user-line\" href=\"";
  appendPlaceUrl(out, id, "/patients-adresses?semaine=");
  out += domain::formatIsoDate(w.monday);
  out +=
      "\">Patients adressés</a></li>\n"
      "  <li><a class=\"fr-btn fr-btn--secondary fr-icon-stack-line\" href=\"";
  appendPlaceUrl(out, id, "/disponibilites/dupliquer?semaine=");
  out += domain::formatIsoDate(w.monday);
  out +=
      "\">Dupliquer la semaine</a></li>\n</ul>\n"
      "<div class=\"fr-notice fr-notice--info fr-mb-3w\">\n"
      "  <div class=\"fr-container\"><div class=\"fr-notice__body\"><p "
      "class=\"fr-notice__title\">";
  // In the words of the place's structure: a centre's GPs, a doctor's own cabinet…
  appendEscaped(out, domain::participationWording(domain::structureKindOf(w.context.structure.type))
                         .avenantNotice);
  out += "</p></div></div>\n</div>\n";
  if (!w.regulatorNote().empty()) {
    out +=
        "<div class=\"fr-callout fr-mb-3w\">\n"
        "  <h2 class=\"fr-callout__title fr-h6\">Informations complémentaires pour la "
        "régulation</h2>\n  <p class=\"fr-callout__text sas-note\">";
    appendEscaped(out, w.regulatorNote());
    out += "</p>\n</div>\n";
  }
  out +=
      "<h2 class=\"fr-h4\" id=\"semaine\">Disponibilités</h2>\n"
      "<nav class=\"sas-week-nav fr-mb-2w\" aria-label=\"Semaines\">\n"
      "  <a class=\"fr-btn fr-btn--tertiary fr-btn--sm fr-icon-arrow-left-s-line "
      "fr-btn--icon-left\" href=\"";
  appendWeekUrl(out, id, w.monday - date::days{7});
  out += "\">Semaine précédente</a>\n  <p class=\"fr-h6 fr-mb-0\" aria-live=\"polite\">";
  out += label;
  out +=
      "</p>\n  <a class=\"fr-btn fr-btn--tertiary fr-btn--sm fr-icon-arrow-right-s-line "
      "fr-btn--icon-right\" href=\"";
  appendWeekUrl(out, id, w.monday + date::days{7});
  out += "\">Jours suivants</a>\n";
  if (w.monday != domain::mondayOf(w.today)) {
    out += "  <a class=\"fr-link fr-text--sm\" href=\"";
    appendWeekUrl(out, id, std::nullopt);
    out += "\">Revenir à la semaine en cours</a>\n";
  }
  out += "</nav>\n";
  out +=
      "<ul class=\"sas-agenda-legend fr-mb-2w\" aria-label=\"Légende\">\n"
      "  <li><span class=\"sas-agenda-legend__mark\" aria-hidden=\"true\"></span>"
      "Disponibilités</li>\n"
      "  <li><span class=\"sas-agenda-legend__mark sas-agenda-legend__mark--taken\" "
      "aria-hidden=\"true\"></span>Réservés (au moins un patient adressé)</li>\n</ul>\n";
}

// « +N »: spans folded in the day's last lane (domain/agenda_layout.hpp), listed when opened.
void writeFold(std::string& out, const app::WeekView& w, const domain::Fold& fold,
               const std::vector<const domain::Occurrence*>& ofDay, const domain::DayLayout& layout,
               const std::string& longDay) {
  out += "        <li class=\"agenda-occ agenda-occ--fold";
  appendPosition(out, fold.start, fold.end, layout.placements[fold.spans.front()]);
  out +=
      "\">\n          <details class=\"agenda-fold\">\n            <summary><span "
      "aria-hidden=\"true\">+</span>";
  appendNumber(out, static_cast<long long>(fold.spans.size()));
  out += "<span class=\"fr-sr-only\"> disponibilités de ";
  out += domain::formatTime(fold.start);
  out += " à ";
  out += domain::formatTime(fold.end);
  out += " de plus</span></summary>\n            <ul class=\"agenda-fold__list\">\n";
  for (auto i : fold.spans) writeOccurrence(out, w, *ofDay[i], nullptr, longDay);
  out += "            </ul>\n          </details>\n        </li>\n";
}

// The days as DSFR tabs, for phones and tablets: static/js/sas.js shows them there and one day
// at a time (without JavaScript the grid scrolls sideways inside its own frame). Today's tab is
// chosen, or Monday's in another week.
void writeDayTabs(std::string& out, const app::WeekView& w) {
  const bool thisWeek = domain::mondayOf(w.today) == w.monday;
  out +=
      "<div class=\"sas-agenda-tabs\" hidden>\n  <ul class=\"fr-tabs__list\" role=\"tablist\" "
      "aria-label=\"Jours de la semaine\">\n";
  for (int i = 0; i < 7; ++i) {
    const Day d = w.monday + date::days{i};
    const std::string iso = domain::formatIsoDate(d);
    const bool chosen = thisWeek ? d == w.today : i == 0;
    out +=
        "    <li role=\"presentation\"><button type=\"button\" class=\"fr-tabs__tab\" id=\"onglet-";
    out += iso;
    // aria-selected is set by the script that shows the tabs and makes the days their panels
    // (a selected tab must have its tabpanel); data-sas-choisi says which one it starts with.
    out +=
        chosen ? "\" role=\"tab\" data-sas-choisi tabindex=\"0" : "\" role=\"tab\" tabindex=\"-1";
    out += "\" aria-controls=\"agenda-";
    out += iso;
    out += "\"><span aria-hidden=\"true\">";
    out += domain::formatShortDay(d);
    out += "</span><span class=\"fr-sr-only\">";
    out += domain::formatLongDate(d);
    out += "</span></button></li>\n";
  }
  out += "  </ul>\n</div>\n";
}

void writeWeekGrid(std::string& out, const app::WeekView& w, const std::string& weekLabel) {
  out.reserve(out.size() + 6144 + w.occurrences().size() * 1024);
  writeDayTabs(out, w);
  out += "<div class=\"sas-agenda\" role=\"region\" aria-label=\"Agenda de la semaine du ";
  out += weekLabel;
  out += "\" tabindex=\"0\">\n";
  out += hourColumn();
  std::vector<const domain::Occurrence*> ofDay;
  std::vector<domain::Span> spans;
  for (int i = 0; i < 7; ++i) {
    const Day d = w.monday + date::days{i};
    ofDay.clear();
    for (const auto& o : w.occurrences())
      if (o.values.date == d) ofDay.push_back(&o);
    std::stable_sort(ofDay.begin(), ofDay.end(), [](const auto* a, const auto* b) {
      return a->values.startMinute < b->values.startMinute;
    });
    spans.clear();
    for (const auto* o : ofDay) spans.push_back({o->values.startMinute, o->values.endMinute});
    const auto layout = domain::layoutDay(spans);
    const bool today = d == w.today;
    const bool unavailable = domain::dayUnavailable(w.unavailability(), d);
    const std::string iso = domain::formatIsoDate(d);
    const std::string longDay = domain::formatLongDate(d);

    out += "  <section class=\"sas-agenda__day";
    if (today) out += " sas-agenda__day--today";
    if (unavailable) out += " sas-agenda__day--unavailable";
    out += "\" id=\"agenda-";
    out += iso;
    out += "\" aria-labelledby=\"jour-";
    out += iso;
    out += "\">\n    <h3 class=\"sas-agenda__day-title\" id=\"jour-";
    out += iso;
    out += "\"><span aria-hidden=\"true\">";
    out += domain::formatShortDay(d);
    out += "</span><span class=\"fr-sr-only\">";
    out += longDay;
    out += "</span>";
    if (today) out += " <span class=\"fr-badge fr-badge--sm fr-badge--info\">Aujourd'hui</span>";
    if (unavailable)
      out += " <span class=\"fr-badge fr-badge--sm fr-badge--warning\">Indisponible</span>";
    out += "</h3>\n    <div class=\"sas-agenda__slots\">\n";
    if (ofDay.empty()) out += "      <p class=\"fr-sr-only\">Aucune disponibilité</p>\n";
    out += "      <ul class=\"sas-agenda__list\">\n";
    for (std::size_t k = 0; k < ofDay.size(); ++k) {
      const auto& place = layout.placements[k];
      if (place.folded < 0) {
        writeOccurrence(out, w, *ofDay[k], &place, longDay);
      } else {
        const auto& fold = layout.folds[static_cast<std::size_t>(place.folded)];
        if (fold.spans.front() == k) writeFold(out, w, fold, ofDay, layout, longDay);
      }
    }
    out += "      </ul>\n    </div>\n  </section>\n";
  }
  out += "</div>\n";
}

}  // namespace

namespace {
std::pair<std::int64_t, int> gridKey(const app::WeekView& w) {
  return {w.context.place.id, w.monday.time_since_epoch().count()};
}
}  // namespace

std::shared_ptr<const std::string> AgendaGrids::find(const app::WeekView& week) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(gridKey(week));
  if (it == entries_.end()) return nullptr;
  const auto& e = it->second;
  if (e.content != week.content || e.today != week.today || week.now < e.from ||
      week.now > e.through)
    return nullptr;
  return e.grid;
}

void AgendaGrids::store(const app::WeekView& week, std::shared_ptr<const std::string> grid) {
  // An occurrence is marked past once `now` is after its start: the grid holds until the
  // first start at or after now.
  domain::Instant through = domain::Instant::max();
  for (const auto& o : week.occurrences())
    if (o.start >= week.now) through = std::min(through, o.start);
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[gridKey(week)] = {week.content, week.today, week.now, through, std::move(grid)};
}

std::shared_ptr<const std::string> agendaGrid(const AgendaPage& page, AgendaGrids* grids) {
  std::shared_ptr<const std::string> grid = grids ? grids->find(page.week) : nullptr;
  if (!grid) {
    auto written = std::make_shared<std::string>();
    writeWeekGrid(*written, page.week, weekLabel(page.week.monday));
    grid = std::move(written);
    if (grids) grids->store(page.week, grid);
  }
  return grid;
}

void writeAgendaContent(std::string& out, const AgendaPage& page, const std::string& grid) {
  writeHeader(out, page, weekLabel(page.week.monday));
  out += grid;
  if (page.calendarExport) {
    out +=
        "<p class=\"fr-mt-3w\"><a class=\"fr-link fr-icon-calendar-line fr-link--icon-left\" "
        "href=\"";
    appendPlaceUrl(out, page.week.context.place.id, "/agenda-externe");
    out += "\">Exporter vers un agenda (iCalendar)</a></p>\n";
  }
}

}  // namespace sas::http
