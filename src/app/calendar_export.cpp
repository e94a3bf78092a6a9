#include "app/calendar_export.hpp"

#include <algorithm>
#include <tuple>

#include "app/errors.hpp"
#include "domain/orientation.hpp"
#include "domain/unavailability.hpp"

namespace sas::app {
namespace {

std::string plural(int n, const char* word) {
  return std::to_string(n) + " " + word + (n > 1 ? "s" : "");
}

std::string compactDate(domain::Day d) {
  return date::format("%Y%m%d", d);
}

}  // namespace

domain::CalendarFeed calendarFeed(const PlaceContext& context,
                                  const std::vector<domain::Occurrence>& occurrences,
                                  const domain::Unavailability& unavailability,
                                  const std::vector<Orientation>& orientations, domain::Instant now,
                                  const std::string& uidDomain) {
  const auto& zone = *context.zone;
  domain::CalendarFeed feed;
  feed.name = "SAS - " + (context.place.name.empty() ? context.structure.name : context.place.name);
  feed.zone = &zone;
  feed.stamp = now;
  // Today's past hours stay in the calendar until the day ends.
  feed.from = domain::localToInstant(zone, domain::localDay(zone, now), 0);
  feed.to = now + kCalendarSpan;
  const std::string location = context.place.address();
  const std::string suffix = "@" + uidDomain;

  for (const auto& o : occurrences) {
    if (o.start < feed.from || o.start >= feed.to) continue;
    domain::CalendarEvent e;
    e.uid = "disponibilite-" + std::to_string(o.availabilityId) + "-" +
            compactDate(o.originalDate) + suffix;
    e.start = o.start;
    e.end = o.end;
    e.summary = o.values.kind == domain::AvailabilityKind::Slot
                    ? "Disponibilité SAS (créneau, 1 patient)"
                    : "Disponibilité SAS (plage, " + plural(o.values.capacity, "patient") + ")";
    e.description = domain::typeLabels(o.values.types);
    if (o.taken > 0) {
      const int capacity = o.values.kind == domain::AvailabilityKind::Slot ? 1 : o.values.capacity;
      e.description +=
          "\nPatients adressés : " + std::to_string(o.taken) + " sur " + std::to_string(capacity);
    }
    if (!domain::occurrenceVisible(unavailability, zone, o.start, o.end))
      e.description += "\nSous une indisponibilité : non visible des régulateurs";
    e.location = location;
    feed.events.push_back(std::move(e));
  }
  for (const auto& o : orientations) {
    if (o.status == domain::OrientationStatus::Cancelled) continue;
    if (o.start < feed.from || o.start >= feed.to) continue;
    domain::CalendarEvent e;
    e.uid = "orientation-" + std::to_string(o.id) + suffix;
    e.start = o.start;
    if (o.end > o.start) e.end = o.end;
    // The words of the feed never carry who the patient is: no name, phone nor reference.
    e.summary = o.kind == domain::OrientationKind::Beyond
                    ? "Patient adressé par le SAS (hors créneaux)"
                    : "Patient adressé par le SAS";
    e.description = "Statut : " + domain::statusLabel(o.status);
    if (!o.types.empty()) e.description += "\nConsultation : " + domain::typeLabels(o.types);
    e.location = location;
    feed.events.push_back(std::move(e));
  }
  std::stable_sort(feed.events.begin(), feed.events.end(), [](const auto& a, const auto& b) {
    return std::tie(a.start, a.uid) < std::tie(b.start, b.uid);
  });
  return feed;
}

CalendarExportService::CalendarExportService(
    AgendaService& agendaAccess, StructureRepository& structures, AgendaRepository& agenda,
    OrientationRepository& orientations, CalendarLinkRepository& links, const Tokens& tokens,
    const Clock& clock, std::string baseUrl, std::string uidDomain)
    : agendaAccess_(agendaAccess),
      structures_(structures),
      agenda_(agenda),
      orientations_(orientations),
      links_(links),
      tokens_(tokens),
      clock_(clock),
      baseUrl_(std::move(baseUrl)),
      uidDomain_(std::move(uidDomain)) {
  while (!baseUrl_.empty() && baseUrl_.back() == '/') baseUrl_.pop_back();
}

std::string CalendarExportService::feedPath(std::int64_t placeId) {
  return "/lieux/" + std::to_string(placeId) + "/agenda.ics?cle=";
}

PlaceContext CalendarExportService::ownPlace(const Actor& actor, std::int64_t placeId) {
  auto context = agendaAccess_.placeFor(actor, placeId);  // NotFound when not his
  if (!actor.setsParameters(context.structure.id))
    throw AppError(ErrorCode::Forbidden, "calendar link of a délégataire");
  return context;
}

CalendarExportPage CalendarExportService::page(const Actor& actor, std::int64_t placeId) {
  CalendarExportPage out;
  out.context = ownPlace(actor, placeId);
  out.link = links_.activeLink(placeId);
  return out;
}

std::string CalendarExportService::createLink(const Actor& actor, std::int64_t placeId) {
  const auto context = ownPlace(actor, placeId);
  const std::string key = tokens_.random();
  links_.replace(placeId, tokens_.digest(key), actor.user.id,
                 actor.auditEntry("calendar_link.create", "place:" + std::to_string(placeId),
                                  context.structure.id),
                 clock_.now());
  return baseUrl_ + feedPath(placeId) + key;
}

bool CalendarExportService::revokeLink(const Actor& actor, std::int64_t placeId) {
  const auto context = ownPlace(actor, placeId);
  return links_.revoke(placeId,
                       actor.auditEntry("calendar_link.revoke", "place:" + std::to_string(placeId),
                                        context.structure.id),
                       clock_.now());
}

std::string CalendarExportService::feed(std::int64_t placeId, const std::string& key) {
  // One answer for an unknown place, a wrong key and a revoked one: nobody learns which ids
  // exist nor whether a key was ever good.
  const auto owner = key.empty() ? std::nullopt : links_.placeOfKey(tokens_.digest(key));
  if (!owner || *owner != placeId) throw AppError(ErrorCode::NotFound, "calendar feed");
  auto found = structures_.findPlaceWithStructure(placeId);
  if (!found) throw AppError(ErrorCode::NotFound, "calendar feed");
  const date::time_zone* placeZone = domain::findZone(found->first.timeZone);
  if (!placeZone) throw AppError(ErrorCode::Internal, "unknown time zone " + found->first.timeZone);
  PlaceContext context{std::move(found->first), std::move(found->second), placeZone};
  const auto now = clock_.now();
  const auto& zone = *context.zone;
  const domain::Day today = domain::localDay(zone, now);
  const domain::Day last = domain::localDay(zone, now + kCalendarSpan);
  std::vector<domain::Occurrence> occurrences;
  for (const auto& a : agenda_.availabilitiesOfPlace(placeId, today)) {
    auto occ = domain::occurrencesBetween(a, zone, today, last);
    occurrences.insert(occurrences.end(), occ.begin(), occ.end());
  }
  // An exception may move an occurrence up to a week: the takings from the week before.
  domain::applyTakings(occurrences, orientations_.takingsOfPlace(placeId, today - date::days{7}));
  const auto from = domain::localToInstant(zone, today, 0);
  const auto orientations = orientations_.orientationsOfPlace(placeId, from, now + kCalendarSpan);
  return domain::writeCalendar(calendarFeed(context, occurrences, agenda_.unavailability(placeId),
                                            orientations, now, uidDomain_));
}

}  // namespace sas::app
