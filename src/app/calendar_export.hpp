#pragma once
// « Exporter vers un agenda (iCalendar) » (docs/rules.md#calendar-export): a secret link per
// place that a calendar application subscribes to, and the feed it reads.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/agenda_service.hpp"
#include "app/ports/calendar_links.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/orientations.hpp"
#include "app/ports/repositories.hpp"
#include "app/ports/security.hpp"
#include "domain/icalendar.hpp"

namespace sas::app {

/// The feed holds the next 8 weeks from now.
inline constexpr auto kCalendarSpan = std::chrono::days{8 * 7};

/// The settings page: the place and its link in force, if any.
struct CalendarExportPage {
  PlaceContext context;
  std::optional<CalendarLink> link;
};

/// The feed of a place (docs/rules.md#calendar-export) from what storage read: its occurrences
/// (with their takings) and orientations; those outside [start of today, now + 8 weeks) and
/// cancelled orientations are left out. `uidDomain` ends every UID (the site's host). No patient
/// datum: an orientation says « Patient adressé par le SAS », its time and status.
domain::CalendarFeed calendarFeed(const PlaceContext& context,
                                  const std::vector<domain::Occurrence>& occurrences,
                                  const domain::Unavailability& unavailability,
                                  const std::vector<Orientation>& orientations, domain::Instant now,
                                  const std::string& uidDomain);

class CalendarExportService {
 public:
  /// `baseUrl`: the site's address, which the link shown starts with.
  CalendarExportService(AgendaService& agendaAccess, StructureRepository& structures,
                        AgendaRepository& agenda, OrientationRepository& orientations,
                        CalendarLinkRepository& links, const Tokens& tokens, const Clock& clock,
                        std::string baseUrl, std::string uidDomain);

  /// For the place's own managers (and professionals) only: a délégataire's link would outlive
  /// his delegation (Forbidden); another's place answers NotFound.
  CalendarExportPage page(const Actor& actor, std::int64_t placeId);
  /// A new link (the one in force, if any, is revoked): its whole URL, shown once.
  std::string createLink(const Actor& actor, std::int64_t placeId);
  /// False when the place had no link in force.
  bool revokeLink(const Actor& actor, std::int64_t placeId);

  /// The iCalendar text for whoever holds the key; NotFound alike for an unknown place and a
  /// wrong or revoked key.
  std::string feed(std::int64_t placeId, const std::string& key);

  /// /lieux/12/agenda.ics?cle=
  static std::string feedPath(std::int64_t placeId);

 private:
  PlaceContext ownPlace(const Actor& actor, std::int64_t placeId);

  AgendaService& agendaAccess_;
  StructureRepository& structures_;
  AgendaRepository& agenda_;
  OrientationRepository& orientations_;
  CalendarLinkRepository& links_;
  const Tokens& tokens_;
  const Clock& clock_;
  std::string baseUrl_;
  std::string uidDomain_;
};

}  // namespace sas::app
