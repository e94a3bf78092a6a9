#include "app/orientation_figures.hpp"

#include <algorithm>
#include <tuple>

#include "app/errors.hpp"

namespace sas::app {

namespace {

/// The platform's days (the ARS and the Assurance maladie count by the national day).
const date::time_zone& platformZone() {
  static const date::time_zone* zone = domain::findZone("Europe/Paris");
  return *zone;
}

}  // namespace

OrientationFigures::OrientationFigures(OrientationRepository& orientations,
                                       StructureRepository& structures, const Clock& clock)
    : orientations_(orientations), structures_(structures), clock_(clock) {}

void OrientationFigures::requireReader(const Actor& actor) const {
  const auto role = actor.user.role;
  if (role == Role::Administrator) return;
  // A référent territorial reads his territory's figures as its account managers do.
  if ((role == Role::AccountManager || role == Role::TerritorialReferent) && actor.user.territoryId)
    return;
  throw AppError(ErrorCode::Forbidden, "orientation figures");
}

domain::Checked<FiguresPeriod> OrientationFigures::period(std::string_view from,
                                                          std::string_view to) const {
  const auto today = domain::localDay(platformZone(), clock_.now());
  const date::year_month_day ymd{today};
  FiguresPeriod p{date::sys_days{ymd.year() / ymd.month() / date::day{1}}, today};
  std::vector<domain::FieldError> errors;
  auto read = [&errors](std::string_view text, const char* field, domain::Day& out) {
    if (text.empty()) return;
    if (auto day = domain::parseDate(text)) {
      out = *day;
    } else {
      errors.push_back({field, "Saisissez une date au format jj/mm/aaaa."});
    }
  };
  read(from, "du", p.from);
  read(to, "au", p.to);
  if (errors.empty() && p.to < p.from)
    errors.push_back(
        {"au", "La date de fin doit être le même jour que la date de début ou après."});
  if (errors.empty() && (p.to - p.from).count() >= kMaxFiguresDays)
    errors.push_back({"au", "La période ne peut pas dépasser un an."});
  if (!errors.empty()) return domain::Checked<FiguresPeriod>::failure(std::move(errors));
  return domain::Checked<FiguresPeriod>::success(p);
}

std::vector<FigureRow> OrientationFigures::rows(const Actor& actor, const FiguresPeriod& period) {
  requireReader(actor);
  const auto& zone = platformZone();
  const std::optional<std::int64_t> territory =
      actor.user.role == Role::Administrator ? std::nullopt : actor.user.territoryId;
  auto lines = orientations_.orientationsMade(
      domain::localToInstant(zone, period.from, 0),
      domain::localToInstant(zone, period.to + date::days{1}, 0), territory);
  std::map<std::int64_t, const date::time_zone*> zones;  // one read per place
  std::vector<FigureRow> out;
  out.reserve(lines.size());
  for (auto& line : lines) {
    const auto placeId = line.orientation.placeId;
    auto it = zones.find(placeId);
    if (it == zones.end()) {
      const auto found = structures_.findPlaceWithStructure(placeId);
      const auto* placeZone = found ? domain::findZone(found->first.timeZone) : nullptr;
      it = zones.emplace(placeId, placeZone ? placeZone : &zone).first;
    }
    out.push_back({std::move(line), it->second});
  }
  return out;
}

std::vector<WeekFigures> OrientationFigures::weekly(const Actor& actor,
                                                    const FiguresPeriod& period) {
  return weekly(rows(actor, period));
}

std::vector<WeekFigures> OrientationFigures::weekly(const std::vector<FigureRow>& rows) {
  const auto& zone = platformZone();
  std::map<std::pair<domain::Day, std::string>, WeekFigures> weeks;
  for (const auto& row : rows) {
    const auto& o = row.line.orientation;
    const auto monday = domain::mondayOf(domain::localDay(zone, o.madeAt));
    auto& w = weeks[{monday, row.line.territoryName}];
    w.monday = monday;
    w.territory = row.line.territoryName;
    ++w.made;
    switch (o.status) {
      case domain::OrientationStatus::Pending:
        ++w.pending;
        break;
      case domain::OrientationStatus::Received:
        ++w.received;
        break;
      case domain::OrientationStatus::NoShow:
        ++w.noShow;
        break;
      case domain::OrientationStatus::Cancelled:
        ++w.cancelled;
        break;
    }
  }
  std::vector<WeekFigures> out;
  out.reserve(weeks.size());
  for (auto& [key, w] : weeks) out.push_back(std::move(w));
  return out;
}

}  // namespace sas::app
