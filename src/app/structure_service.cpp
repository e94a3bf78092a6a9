#include "app/structure_service.hpp"

#include "app/agenda_service.hpp"
#include "app/errors.hpp"

namespace sas::app {

StructureService::StructureService(StructureRepository& structures, AgendaRepository& agenda,
                                   OrientationRepository& orientations, const Clock& clock)
    : structures_(structures), agenda_(agenda), orientations_(orientations), clock_(clock) {}

std::vector<StructureSummary> StructureService::dashboard(const Actor& actor) {
  std::vector<StructureSummary> out;
  // A health professional manages his practice places' structures like a structure manager.
  if (actor.user.role != Role::StructureManager && actor.user.role != Role::Practitioner)
    return out;
  const auto now = clock_.now();
  for (auto& structure : structures_.structuresByIds(actor.structureIds)) {
    StructureSummary summary{structure, {}};
    const auto kind = domain::structureKindOf(structure.type);
    for (auto& place : structures_.placesOfStructure(structure.id)) {
      const date::time_zone* zone = domain::findZone(place.timeZone);
      if (!zone) throw AppError(ErrorCode::Internal, "unknown time zone " + place.timeZone);
      PlaceSummary ps;
      ps.unavailability = agenda_.unavailability(place.id);
      ps.unavailableNow = domain::inForce(ps.unavailability, *zone, now);
      const domain::Day monday = domain::mondayOf(domain::localDay(*zone, now));
      const domain::Day lastSunday = monday + date::days{13};
      std::vector<domain::Occurrence> occurrences;
      for (const auto& a : agenda_.availabilitiesOfPlace(place.id, monday)) {
        auto occ = domain::occurrencesBetween(a, *zone, monday, lastSunday);
        occurrences.insert(occurrences.end(), occ.begin(), occ.end());
      }
      if (publishers_)
        for (const auto& pulled : publishers_->pulledSlotsOfPlace(
                 place.id, domain::localToInstant(*zone, monday, 0),
                 domain::localToInstant(*zone, lastSunday + date::days{1}, 0))) {
          domain::Occurrence o;
          o.start = pulled.start;
          o.end = pulled.end;
          o.values.date = domain::localDay(*zone, pulled.start);
          o.values.startMinute = domain::localMinute(*zone, pulled.start);
          o.values.endMinute = domain::localMinute(*zone, pulled.end);
          o.values.types = pulled.types;
          occurrences.push_back(o);
        }
      ps.thisWeek = domain::weekEligibility(structure.participation, occurrences, ps.unavailability,
                                            *zone, monday, kind);
      ps.nextWeek = domain::weekEligibility(structure.participation, occurrences, ps.unavailability,
                                            *zone, monday + date::days{7}, kind);
      ps.referredThisWeek = countStatuses(orientations_.orientationsOfPlace(
          place.id, domain::localToInstant(*zone, monday, 0),
          domain::localToInstant(*zone, monday + date::days{7}, 0)));
      ps.visibility =
          checkPlaceVisibility(agenda_, orientations_, {place, structure, zone}, now, plageCloses_);
      ps.place = std::move(place);
      summary.places.push_back(std::move(ps));
    }
    out.push_back(std::move(summary));
  }
  return out;
}

Structure StructureService::structureFor(const Actor& actor, std::int64_t structureId) {
  // Regulators read structures through the search only: they change nothing
  // (docs/rules.md#roles-and-access).
  if (regulates(actor.user.role)) throw AppError(ErrorCode::Forbidden, "regulator");
  auto structure = structures_.findStructure(structureId);
  // « Vos paramètres » are not a délégataire's (SPEC §12): his structures answer as others'.
  if (!structure || !actor.setsParameters(structureId))
    throw AppError(ErrorCode::NotFound, "structure " + std::to_string(structureId));
  return *structure;
}

ParticipationChange StructureService::saveParticipation(const Actor& actor,
                                                        std::int64_t structureId,
                                                        const domain::ParticipationInput& input) {
  auto structure = structureFor(actor, structureId);
  const auto kind = domain::structureKindOf(structure.type);
  ParticipationChange change{std::move(structure), domain::checkParticipationInput(input, kind)};
  if (!change.result.ok()) return change;
  structures_.saveParticipation(
      structureId, *change.result.value,
      {actor.user.id, "participation.save", "structure:" + std::to_string(structureId), "",
       actor.clientAddress},
      clock_.now());
  for (const auto& place : structures_.placesOfStructure(structureId))
    for (auto* l : listeners_) l->placeChanged(place.id);
  return change;
}

}  // namespace sas::app
