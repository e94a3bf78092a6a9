#include "app/freshness_reminders.hpp"

#include <stdexcept>

#include "app/email_links.hpp"
#include "domain/freshness.hpp"
#include "domain/unavailability.hpp"

namespace sas::app {

FreshnessReminders::FreshnessReminders(ReminderRepository& places, AgendaRepository& agenda,
                                       OrientationRepository& orientations,
                                       const EmailTemplates& emails, const Clock& clock,
                                       FreshnessSettings settings)
    : places_(places),
      agenda_(agenda),
      orientations_(orientations),
      emails_(emails),
      clock_(clock),
      settings_(std::move(settings)) {}

bool FreshnessReminders::remind(const ReminderCandidate& place, domain::Instant now) {
  if (!domain::reminderIntervalPassed(place.lastReminder, now)) return false;
  const auto* zone = domain::findZone(place.timeZone);
  if (!zone) return false;
  // Once a day at most, in the morning of the place's own clock (jobs run every 10 minutes).
  if (domain::localMinute(*zone, now) / 60 != settings_.hour) return false;
  // A manager who declared himself away knows he is not visible.
  if (domain::inForce(agenda_.unavailability(place.placeId), *zone, now)) return false;
  const auto first = domain::localDay(*zone, now - domain::kFreshnessLookBack) - date::days{1};
  const auto last = domain::localDay(*zone, now + domain::kFreshnessAhead) + date::days{1};
  std::vector<domain::Occurrence> occurrences;
  for (const auto& a : agenda_.availabilitiesOfPlace(place.placeId, first)) {
    auto occ = domain::occurrencesBetween(a, *zone, first, last);
    occurrences.insert(occurrences.end(), occ.begin(), occ.end());
  }
  if (!domain::freshnessReminderDue(occurrences, now, place.lastReminder)) return false;
  const auto recipients = orientations_.contacts(place.structureId, std::nullopt).recipients;
  if (recipients.empty()) return false;
  const auto agendaLink =
      email_links::link(settings_.baseUrl, "/lieux/" + std::to_string(place.placeId) + "/agenda");
  std::vector<EmailMessage> mails;
  for (const auto& user : recipients)
    mails.push_back(
        emails_.render("freshness_reminder", user.email,
                       {{"prenom", user.firstName}, {"lieu", place.name}, {"lien", agendaLink}}));
  const auto previousAtMost = now - domain::kFreshnessInterval;
  return places_.recordReminder(
      place.placeId, previousAtMost, mails,
      {std::nullopt, "place.freshness_reminder", "place:" + std::to_string(place.placeId),
       std::to_string(mails.size()) + " mail(s)", ""},
      now);
}

int FreshnessReminders::sendDue() {
  if (!settings_.enabled) return 0;
  const auto now = clock_.now();
  int sent = 0;
  // One place that fails (a broken row) does not keep the others from their reminder: the
  // failures are told once all were tried.
  int failed = 0;
  std::string firstError;
  for (const auto& place : places_.participatingPlaces()) {
    try {
      sent += remind(place, now) ? 1 : 0;
    } catch (const std::exception& e) {
      if (failed++ == 0) firstError = e.what();
    }
  }
  if (failed > 0)
    throw std::runtime_error(std::to_string(failed) +
                             " place(s) not reminded, the first: " + firstError);
  return sent;
}

}  // namespace sas::app
