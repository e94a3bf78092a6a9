#include "app/orientation_service.hpp"

#include <map>

#include "app/email_links.hpp"
#include "app/errors.hpp"
#include "domain/unavailability.hpp"

namespace sas::app {

using domain::Checked;
using domain::OrientationStatus;

namespace {

std::string objectOf(std::int64_t placeId) {
  return "place:" + std::to_string(placeId);
}

// « Plage de 14h00 à 16h00 », « Créneau à 14h00 », « Hors créneaux, à 14h00 ».
std::string hoursText(const Orientation& o, const date::time_zone& zone) {
  const auto from = domain::formatTime(domain::localMinute(zone, o.start));
  switch (o.kind) {
    case domain::OrientationKind::Range:
      return "Plage de " + from + " à " + domain::formatTime(domain::localMinute(zone, o.end));
    case domain::OrientationKind::Slot:
      return "Créneau de " + from + " à " + domain::formatTime(domain::localMinute(zone, o.end));
    case domain::OrientationKind::Beyond:
      return "Hors créneaux, à " + from;
  }
  return from;
}

}  // namespace

OrientationService::OrientationService(StructureRepository& structures, AgendaRepository& agenda,
                                       OrientationRepository& orientations,
                                       ReadSnapshots& snapshots, const EmailTemplates& templates,
                                       const Clock& clock, OrientationSettings settings)
    : structures_(structures),
      agenda_(agenda),
      orientations_(orientations),
      snapshots_(snapshots),
      templates_(templates),
      clock_(clock),
      settings_(std::move(settings)) {}

PlaceContext OrientationService::regulatedPlace(const Actor& actor, std::int64_t placeId) {
  if (!regulates(actor.user.role)) throw AppError(ErrorCode::Forbidden, "orientation");
  auto found = structures_.findPlaceWithStructure(placeId);
  if (!found) throw AppError(ErrorCode::NotFound, "place " + std::to_string(placeId));
  auto& [place, structure] = *found;
  const date::time_zone* zone = domain::findZone(place.timeZone);
  if (!zone) throw AppError(ErrorCode::NotFound, "place without a time zone");
  return {std::move(place), std::move(structure), zone};
}

OrientationTarget OrientationService::target(const Actor& actor, const OccurrenceAsked& asked) {
  // The place, its unavailability, its availabilities and their takings, from one snapshot.
  const auto snapshot = snapshots_.hold();
  OrientationTarget out;
  out.context = regulatedPlace(actor, asked.placeId);
  const auto& zone = *out.context.zone;
  if (!domain::occurrenceVisible(agenda_.unavailability(asked.placeId), zone, asked.start,
                                 asked.end))
    throw AppError(ErrorCode::NotFound, "occurrence hidden by an unavailability");
  const auto day = domain::localDay(zone, asked.start);
  // An exception may have moved an occurrence from an earlier original date: read a week back.
  std::vector<domain::Occurrence> found;
  for (const auto& a : agenda_.availabilitiesOfPlace(asked.placeId, day - date::days{7}))
    for (const auto& o : domain::occurrencesBetween(a, zone, day, day))
      if (o.start == asked.start && o.end == asked.end && o.values.kind == asked.kind)
        found.push_back(o);
  if (found.empty()) throw AppError(ErrorCode::NotFound, "occurrence");
  domain::applyTakings(found, orientations_.takingsOfPlace(asked.placeId, day - date::days{7}));
  // Two equal availabilities (two créneaux at the same hour): the first with room.
  auto it = std::find_if(found.begin(), found.end(), [](const auto& o) { return hasRoom(o); });
  out.occurrence = it != found.end() ? *it : found.front();
  out.started = out.occurrence.start < clock_.now();
  return out;
}

Orientation OrientationService::draft(const Actor& actor, std::int64_t placeId,
                                      std::string reference) const {
  Orientation o;
  o.madeAt = clock_.now();
  o.statusAt = o.madeAt;
  o.placeId = placeId;
  o.regulatorId = actor.user.id;
  o.regulatorRole = actor.user.role;
  o.territoryId = actor.user.territoryId;
  o.reference = std::move(reference);
  return o;
}

OrientationOutcome OrientationService::prepare(const Actor& actor, const OccurrenceAsked& asked,
                                               std::string_view reference) {
  OrientationOutcome out;
  out.target = target(actor, asked);
  const auto& occurrence = out.target.occurrence;
  out.taken = occurrence.taken;
  auto checked = domain::checkRegulationReference(reference);
  if (!checked.ok()) {
    out.result = Checked<Orientation>::failure(std::move(checked.errors));
    return out;
  }
  if (!domain::orientable(occurrence, clock_.now(), settings_.plageClosesBeforeEnd)) {
    out.gone = true;
    out.result = Checked<Orientation>::failure({{"", kOccurrenceGone}});
    return out;
  }
  auto o = draft(actor, asked.placeId, std::move(*checked.value));
  o.availabilityId = occurrence.availabilityId;
  o.occurrenceDate = occurrence.originalDate;
  o.start = occurrence.start;
  o.end = occurrence.end;
  o.kind = occurrence.values.kind == domain::AvailabilityKind::Slot
               ? domain::OrientationKind::Slot
               : domain::OrientationKind::Range;
  o.types = occurrence.values.types;
  o.capacity = out.target.capacity();
  out.result = Checked<Orientation>::success(std::move(o));
  return out;
}

OrientationOutcome OrientationService::orient(const Actor& actor, const OccurrenceAsked& asked,
                                              std::string_view reference) {
  OrientationOutcome out;
  std::vector<EmailMessage> mails;
  {
    // Every read before the write from one snapshot, the people to tell included.
    const auto snapshot = snapshots_.hold();
    out = prepare(actor, asked, reference);
    if (!out.result.ok()) return out;
    mails = mailsFor("orientation", out.target.context, *out.result.value);
  }
  auto& o = *out.result.value;
  auto taken = orientations_.orient(
      o, o.capacity,
      {actor.user.id, "orientation.create", objectOf(asked.placeId),
       domain::formatIsoDate(o.occurrenceDate) + " " + std::to_string(o.availabilityId),
       actor.clientAddress},
      mails);
  if (!taken) {  // another regulator took the last place between the read and the write
    out.gone = true;
    out.taken = o.capacity;
    out.result = Checked<Orientation>::failure({{"", kOccurrenceGone}});
    return out;
  }
  o.id = taken->id;
  out.taken = taken->taken;
  out.target.occurrence.taken = taken->taken;
  for (auto* l : listeners_)
    l->occurrenceTaken(asked.placeId, taken->changeId, out.target.occurrence);
  return out;
}

PlaceContext OrientationService::beyondTarget(const Actor& actor, std::int64_t placeId) {
  auto context = regulatedPlace(actor, placeId);
  if (!context.structure.participation.acceptsContact)
    throw AppError(ErrorCode::NotFound, "place does not accept orientations beyond");
  return context;
}

OrientationOutcome OrientationService::prepareBeyond(const Actor& actor, std::int64_t placeId,
                                                     std::string_view date, std::string_view time,
                                                     std::string_view reference) {
  OrientationOutcome out;
  out.target.context = beyondTarget(actor, placeId);
  auto at = domain::checkBeyondInput(date, time, *out.target.context.zone, clock_.now());
  auto checked = domain::checkRegulationReference(reference);
  if (!at.ok() || !checked.ok()) {
    auto errors = std::move(at.errors);
    errors.insert(errors.end(), checked.errors.begin(), checked.errors.end());
    out.result = Checked<Orientation>::failure(std::move(errors));
    return out;
  }
  auto o = draft(actor, placeId, std::move(*checked.value));
  o.kind = domain::OrientationKind::Beyond;
  o.start = *at.value;
  o.end = *at.value;
  o.capacity = 0;
  out.result = Checked<Orientation>::success(std::move(o));
  return out;
}

OrientationOutcome OrientationService::orientBeyond(const Actor& actor, std::int64_t placeId,
                                                    std::string_view date, std::string_view time,
                                                    std::string_view reference) {
  auto out = prepareBeyond(actor, placeId, date, time, reference);
  if (!out.result.ok()) return out;
  auto& o = *out.result.value;
  auto taken = orientations_.orient(
      o, 0,
      {actor.user.id, "orientation.create_beyond", objectOf(placeId), "", actor.clientAddress},
      mailsFor("orientation", out.target.context, o));
  if (!taken) throw AppError(ErrorCode::Internal, "orientation beyond refused by storage");
  o.id = taken->id;
  notify(placeId, taken->changeId);
  return out;
}

std::optional<Orientation> OrientationService::regulationOrientation(const Actor& actor,
                                                                     std::int64_t id) {
  if (!regulates(actor.user.role)) throw AppError(ErrorCode::Forbidden, "orientation");
  auto o = orientations_.findOrientation(id);
  const bool mine = o && o->regulatorId == actor.user.id;
  const bool sameTerritory =
      o && actor.user.territoryId && o->territoryId == actor.user.territoryId;
  // Another territory's orientation answers as one that does not exist.
  if (!o || !(mine || sameTerritory))
    throw AppError(ErrorCode::NotFound, "orientation " + std::to_string(id));
  return o;
}

OrientationView OrientationService::view(const Actor& actor, std::int64_t orientationId) {
  OrientationView out;
  out.orientation = *regulationOrientation(actor, orientationId);
  auto found = structures_.findPlaceWithStructure(out.orientation.placeId);
  if (!found) throw AppError(ErrorCode::NotFound, "place of orientation");
  const auto* zone = domain::findZone(found->first.timeZone);
  if (!zone) throw AppError(ErrorCode::NotFound, "place without a time zone");
  out.context = {std::move(found->first), std::move(found->second), zone};
  out.cancellable =
      domain::cancellable(out.orientation.status, out.orientation.start, clock_.now());
  return out;
}

std::vector<RegulationLine> OrientationService::ofRegulation(const Actor& actor) {
  if (!regulates(actor.user.role)) throw AppError(ErrorCode::Forbidden, "orientation list");
  const auto now = clock_.now();
  // No territory: the query would answer every territory's, so only his own are kept below.
  auto lines = orientations_.orientationsMade(now - kRegulationListSpan,
                                              now + std::chrono::hours{1}, actor.user.territoryId);
  std::map<std::int64_t, const date::time_zone*> zones;  // one read per place
  std::vector<RegulationLine> out;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    const auto& o = it->orientation;
    const bool mine = o.regulatorId == actor.user.id;
    if (!mine && !actor.user.territoryId) continue;
    auto zone = zones.find(o.placeId);
    if (zone == zones.end()) {
      auto found = structures_.findPlaceWithStructure(o.placeId);
      zone =
          zones.emplace(o.placeId, found ? domain::findZone(found->first.timeZone) : nullptr).first;
    }
    if (!zone->second) continue;
    const bool cancellable = domain::cancellable(o.status, o.start, now);
    out.push_back({std::move(*it), zone->second, mine, cancellable});
  }
  return out;
}

Checked<Orientation> OrientationService::cancel(const Actor& actor, std::int64_t orientationId) {
  auto o = regulationOrientation(actor, orientationId);
  const auto now = clock_.now();
  if (!domain::cancellable(o->status, o->start, now))
    return Checked<Orientation>::failure(
        {{"", o->status == OrientationStatus::Pending
                  ? "Cette orientation ne peut plus être annulée : le rendez-vous a commencé."
                  : "Cette orientation ne peut plus être annulée : elle est « " +
                        domain::statusLabel(o->status) + " »."}});
  std::vector<EmailMessage> mails;
  if (auto found = structures_.findPlaceWithStructure(o->placeId)) {
    const auto* zone = domain::findZone(found->first.timeZone);
    if (zone)
      mails = mailsFor("orientation_cancelled",
                       {std::move(found->first), std::move(found->second), zone}, *o);
  }
  if (!orientations_.moveStatus(o->id, o->status, OrientationStatus::Cancelled, actor.user.id,
                                {actor.user.id, "orientation.cancel", objectOf(o->placeId),
                                 "orientation:" + std::to_string(o->id), actor.clientAddress},
                                now, mails))
    return Checked<Orientation>::failure(
        {{"", "Cette orientation vient d'être modifiée : rechargez la page."}});
  notify(o->placeId);
  o->status = OrientationStatus::Cancelled;
  o->statusAt = now;
  return Checked<Orientation>::success(std::move(*o));
}

Checked<Orientation> OrientationService::setOutcome(const Actor& actor, std::int64_t orientationId,
                                                    OrientationStatus status) {
  auto o = orientations_.findOrientation(orientationId);
  std::optional<std::pair<Place, Structure>> place;
  if (o) place = structures_.findPlaceWithStructure(o->placeId);
  // Not found and not yours answer the same (docs/rules.md#roles-and-access).
  if (!o || !place || !actor.managesStructure(place->first.structureId))
    throw AppError(ErrorCode::NotFound, "orientation " + std::to_string(orientationId));
  const auto now = clock_.now();
  if (status == o->status) return Checked<Orientation>::success(std::move(*o));
  if (!domain::outcomeSettable(o->status, status, o->start, now))
    return Checked<Orientation>::failure(
        {{"", o->status == OrientationStatus::Cancelled
                  ? "Cette orientation a été annulée par la régulation."
                  : "Le statut pourra être renseigné à partir de l'heure du rendez-vous."}});
  if (!orientations_.moveStatus(
          o->id, o->status, status, actor.user.id,
          actor.auditEntry("orientation.status", objectOf(o->placeId), place->first.structureId,
                           domain::statusCode(status)),
          now))
    return Checked<Orientation>::failure(
        {{"", "Cette orientation vient d'être modifiée : rechargez la page."}});
  o->status = status;
  o->statusAt = now;
  return Checked<Orientation>::success(std::move(*o));
}

std::vector<Orientation> OrientationService::ofPlace(const Actor& actor, std::int64_t placeId,
                                                     domain::Instant from, domain::Instant to) {
  auto found = structures_.findPlaceWithStructure(placeId);
  if (!found || !actor.managesStructure(found->first.structureId))
    throw AppError(ErrorCode::NotFound, "place " + std::to_string(placeId));
  return orientations_.orientationsOfPlace(placeId, from, to);
}

std::vector<EmailMessage> OrientationService::mailsFor(const std::string& name,
                                                       const PlaceContext& context,
                                                       const Orientation& o) {
  auto contacts = orientations_.contacts(context.structure.id, o.territoryId);
  if (contacts.recipients.empty()) return {};
  const auto& zone = *context.zone;
  const auto day = domain::localDay(zone, o.start);
  const std::map<std::string, std::string> values{
      {"lieu", context.place.name.empty() ? context.structure.name : context.place.name},
      {"adresse", context.place.address()},
      {"date", domain::formatLongDate(day)},
      {"horaire", hoursText(o, zone)},
      {"types", domain::typeLabels(o.types)},
      {"territoire", contacts.territoryName.empty() ? "non renseigné" : contacts.territoryName},
      {"lien",
       email_links::link(settings_.baseUrl, "/lieux/" + std::to_string(context.place.id) +
                                                "/agenda?semaine=" + domain::formatIsoDate(day))}};
  std::vector<EmailMessage> out;
  for (const auto& u : contacts.recipients) out.push_back(templates_.render(name, u.email, values));
  return out;
}

void OrientationService::notify(std::int64_t placeId, std::int64_t changeId) {
  for (auto* l : listeners_) {
    if (changeId)
      l->placeChanged(placeId, changeId);
    else
      l->placeChanged(placeId);
  }
}

}  // namespace sas::app
