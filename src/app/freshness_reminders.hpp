#pragma once
// The freshness reminder (docs/rules.md#freshness-reminder), run by the background jobs.
#include <string>

#include "app/ports/accounts.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/orientations.hpp"
#include "app/ports/reminders.hpp"
#include "app/ports/repositories.hpp"

namespace sas::app {

struct FreshnessSettings {
  bool enabled = true;  // reminders.freshness_enabled
  int hour = 8;         // reminders.freshness_hour: sent from this hour (the place's) to the next
  std::string baseUrl;  // of the agenda's link
};

class FreshnessReminders {
 public:
  FreshnessReminders(ReminderRepository& places, AgendaRepository& agenda,
                     OrientationRepository& orientations, const EmailTemplates& emails,
                     const Clock& clock, FreshnessSettings settings);
  /// Reminds the managers of each place where one is due now; returns how many places. Throws
  /// once every place was tried when some could not be (their number and the first error).
  int sendDue();

 private:
  /// The place's reminder if it is due now; whether it was sent.
  bool remind(const ReminderCandidate& place, domain::Instant now);
  ReminderRepository& places_;
  AgendaRepository& agenda_;
  OrientationRepository& orientations_;
  const EmailTemplates& emails_;
  const Clock& clock_;
  FreshnessSettings settings_;
};

}  // namespace sas::app
