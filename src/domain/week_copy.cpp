#include "domain/week_copy.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "domain/text.hpp"

namespace sas::domain {

namespace {

namespace fields = week_copy_fields;

constexpr int kWeek = 7;

// The copy as the creation form would have been filled, so that it passes the same checks.
AvailabilityInput asTyped(const OccurrenceValues& v) {
  AvailabilityInput in;
  in.date = formatIsoDate(v.date);
  in.from = formatTimeInput(v.startMinute);
  in.to = formatTimeInput(v.endMinute);
  in.kind = v.kind == AvailabilityKind::Slot ? "creneau" : "plage";
  in.capacity = std::to_string(v.capacity);
  in.office = v.types.has(ConsultationType::Office);
  in.teleconsultation = v.types.has(ConsultationType::Teleconsultation);
  in.homeVisit = v.types.has(ConsultationType::HomeVisit);
  return in;
}

bool overlap(const OccurrenceValues& x, const OccurrenceValues& y) {
  return x.startMinute < y.endMinute && y.startMinute < x.endMinute;
}

}  // namespace

Checked<WeekCopyPlan> planWeekCopy(const WeekCopySource& source, const std::string& weeksText,
                                   const std::vector<WeekCopyTarget>& targets, Instant now) {
  std::vector<FieldError> errors;
  const auto weeks = parseWholeNumber(weeksText);
  const bool weeksOk = weeks && *weeks <= kMaxCopyWeeks;
  if (!weeksOk)
    errors.push_back({fields::kWeeks,
                      "Le nombre de semaines suivantes doit être un nombre "
                      "entier de 0 à " +
                          std::to_string(kMaxCopyWeeks) + "."});
  if (targets.empty()) {
    errors.push_back({fields::kPlaces, "Cochez au moins un lieu."});
  } else if (weeksOk && *weeks == 0 &&
             std::all_of(targets.begin(), targets.end(),
                         [&](const auto& t) { return t.placeId == source.placeId; })) {
    errors.push_back({fields::kWeeks,
                      "Pour dupliquer la semaine sur ce lieu, choisissez au moins une semaine "
                      "suivante, ou cochez un autre lieu."});
  }

  // The week's one-offs; a series' occurrences (changed ones too) stay with their series.
  const Day sunday = source.monday + date::days{kWeek - 1};
  std::vector<const Availability*> oneOffs;
  for (const auto& a : source.availabilities)
    if (!a.weekly && a.base.date >= source.monday && a.base.date <= sunday) oneOffs.push_back(&a);
  std::sort(oneOffs.begin(), oneOffs.end(), [](const auto* x, const auto* y) {
    return std::tie(x->base.date, x->base.startMinute, x->base.endMinute, x->id) <
           std::tie(y->base.date, y->base.startMinute, y->base.endMinute, y->id);
  });
  if (oneOffs.empty())
    errors.push_back({"",
                      "Cette semaine n'a aucune disponibilité ponctuelle à dupliquer : les "
                      "disponibilités hebdomadaires se répètent déjà chaque semaine."});
  if (!errors.empty()) return Checked<WeekCopyPlan>::failure(std::move(errors));

  WeekCopyPlan plan;
  plan.weeks = *weeks;
  for (const auto& target : targets) {
    const auto& zone = *target.zone;
    const int firstWeek = target.placeId == source.placeId ? 1 : 0;
    // What the place's days hold already, and the copies planned there, by date.
    std::map<Day, std::vector<OccurrenceValues>> held;
    const Day first = source.monday + date::days{kWeek * firstWeek};
    const Day last = sunday + date::days{kWeek * plan.weeks};
    for (const auto& a : target.availabilities)
      for (const auto& o : occurrencesBetween(a, zone, first, last))
        held[o.values.date].push_back(o.values);

    for (int week = firstWeek; week <= plan.weeks; ++week) {
      for (const auto* a : oneOffs) {
        OccurrenceValues values = a->base;
        values.date += date::days{kWeek * week};
        const auto skip = [&](std::string reason) {
          plan.skipped.push_back({target.placeId, a->id, values, std::move(reason)});
        };
        // The creation form's own rules, in the target place's zone (not in the past…).
        const auto checked = checkAvailabilityInput(asTyped(values), zone, now);
        if (!checked.ok()) {
          skip(checked.errors.front().message);
          continue;
        }
        PlannedCopy copy{target.placeId, a->id, values};
        if (auto error = leaveClockGap(copy.values, zone, copy.movedOutOfGap)) {
          skip(error->message);
          continue;
        }
        auto& day = held[copy.values.date];
        if (std::find(day.begin(), day.end(), copy.values) != day.end()) {
          skip(kIdenticalExists);
          continue;
        }
        copy.overlaps = std::any_of(day.begin(), day.end(),
                                    [&](const auto& v) { return overlap(v, copy.values); });
        day.push_back(copy.values);
        plan.copies.push_back(std::move(copy));
      }
    }
  }
  return Checked<WeekCopyPlan>::success(std::move(plan));
}

}  // namespace sas::domain
