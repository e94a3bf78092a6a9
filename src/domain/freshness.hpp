#pragma once
// The freshness reminder (docs/rules.md#freshness-reminder): a participating place that had
// availabilities lately and has none in the next 72 hours, whose managers were not reminded
// in the last week.
#include <chrono>
#include <optional>
#include <vector>

#include "domain/availability.hpp"
#include "domain/calendar.hpp"

namespace sas::domain {

inline constexpr std::chrono::hours kFreshnessAhead{72};
inline constexpr std::chrono::hours kFreshnessLookBack{24 * 7 * 4};
inline constexpr std::chrono::hours kFreshnessInterval{24 * 7};

/// Due at `now` when no occurrence is under way or starts before now + 72 h, one started in
/// [now − 4 weeks, now), and the last reminder, if any, was at least 7 days ago.
bool freshnessReminderDue(const std::vector<Occurrence>& occurrences, Instant now,
                          std::optional<Instant> lastReminder);

/// Whether `lastReminder` lets another go out at `now` (the cheap test, before reading the
/// agenda).
bool reminderIntervalPassed(std::optional<Instant> lastReminder, Instant now);

}  // namespace sas::domain
