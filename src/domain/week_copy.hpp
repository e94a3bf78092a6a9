#pragma once
// « Dupliquer la semaine » (docs/rules.md#copy-a-week): a week's one-off availabilities copied
// to the next weeks and/or to other places of the same manager. Weekly series are left alone:
// they repeat already.
#include <cstdint>
#include <string>
#include <vector>

#include "domain/availability.hpp"

namespace sas::domain {

/// « Nombre de semaines suivantes »: from 0 (other places only, the same week) to this.
inline constexpr int kMaxCopyWeeks = 12;

/// Field names used in FieldError for this form.
namespace week_copy_fields {
inline constexpr const char* kWeeks = "semaines";
inline constexpr const char* kPlaces = "lieux";
}  // namespace week_copy_fields

/// The week copied: its place, its Monday and the place's availabilities (those that are one-offs
/// dated in the week are copied).
struct WeekCopySource {
  std::int64_t placeId = 0;
  Day monday;
  std::vector<Availability> availabilities;
};

/// A place ticked in the form, with what its agenda holds over the weeks the copy reaches.
struct WeekCopyTarget {
  std::int64_t placeId = 0;
  const date::time_zone* zone = nullptr;
  std::vector<Availability> availabilities;
};

struct PlannedCopy {
  std::int64_t placeId = 0;
  std::int64_t sourceId = 0;  // the one-off copied
  OccurrenceValues values;    // on the target date, in the target place's local time
  /// The hours named a time the clock skips that day: saved as the time they name.
  bool movedOutOfGap = false;
  /// Overlaps an availability already there, or another copy: allowed, shown in the preview.
  bool overlaps = false;
};

struct SkippedCopy {
  std::int64_t placeId = 0;
  std::int64_t sourceId = 0;
  OccurrenceValues values;  // as it would have been copied, before any clock gap
  std::string reason;       // French, for the preview
};

/// What « Confirmer la duplication » writes (`copies`) and what it leaves out and why.
struct WeekCopyPlan {
  int weeks = 0;
  std::vector<PlannedCopy> copies;  // by place in the targets' order, then by date and hour
  std::vector<SkippedCopy> skipped;
};

/// Reasons a copy is left out, besides the creation form's own refusals (past date or hour).
inline constexpr const char* kIdenticalExists =
    "Une disponibilité identique existe déjà à cette date.";

/// Plans the copy at `now` (docs/rules.md#copy-a-week). `weeksText` is « Nombre de semaines
/// suivantes », a whole number from 0 to kMaxCopyWeeks. Each target receives the week's one-offs
/// on the same weekday and local hours: the source's place in each of the next N weeks, any
/// other place in the same week and the next N weeks. Each copy passes the creation form's
/// checks in its place's zone (not in the past…) and the clock-gap rule of a one-off, else it is
/// skipped with the reason; a copy identical (date, hours, kind, capacity, types) to an
/// occurrence already there or to another copy is skipped too. Refused, with the field: N not a
/// whole number in range, no place, the source's place alone with N = 0, a week with no one-off.
Checked<WeekCopyPlan> planWeekCopy(const WeekCopySource& source, const std::string& weeksText,
                                   const std::vector<WeekCopyTarget>& targets, Instant now);

}  // namespace sas::domain
