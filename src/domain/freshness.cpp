#include "domain/freshness.hpp"

namespace sas::domain {

bool reminderIntervalPassed(std::optional<Instant> lastReminder, Instant now) {
  return !lastReminder || now - *lastReminder >= kFreshnessInterval;
}

bool freshnessReminderDue(const std::vector<Occurrence>& occurrences, Instant now,
                          std::optional<Instant> lastReminder) {
  if (!reminderIntervalPassed(lastReminder, now)) return false;
  bool recent = false;
  for (const auto& o : occurrences) {
    if (o.end > now && o.start < now + kFreshnessAhead) return false;  // something ahead
    if (o.start >= now - kFreshnessLookBack && o.start < now) recent = true;
  }
  return recent;
}

}  // namespace sas::domain
