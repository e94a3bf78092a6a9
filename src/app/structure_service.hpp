#pragma once
// The dashboard and « Vos paramètres » (docs/rules.md#participation).
#include <cstdint>
#include <vector>

#include "app/actor.hpp"
#include "app/agenda_service.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/publishers.hpp"
#include "app/ports/repositories.hpp"
#include "domain/participation.hpp"

namespace sas::app {

class PlaceChangeListener;

struct PlaceSummary {
  Place place;
  domain::Unavailability unavailability;
  bool unavailableNow = false;
  domain::WeekEligibility thisWeek;
  domain::WeekEligibility nextWeek;
  StatusCounts referredThisWeek;       // orientations whose occurrence is this week
  domain::VisibilityCheck visibility;  // « Pourquoi ne suis-je pas visible ? »
};

struct StructureSummary {
  Structure structure;
  std::vector<PlaceSummary> places;
};

/// « Enregistrer » of « Vos paramètres »: the structure as loaded (a refused form is shown again
/// without loading it twice) and the checked participation, saved only when valid.
struct ParticipationChange {
  Structure structure;
  domain::Checked<domain::Participation> result;
};

class StructureService {
 public:
  StructureService(StructureRepository& structures, AgendaRepository& agenda,
                   OrientationRepository& orientations, const Clock& clock);

  void addListener(PlaceChangeListener& listener) { listeners_.push_back(&listener); }
  /// The slots pulled from interfaced publishers count for the avenant n°4 like the others
  /// (docs/rules.md#publishers); without it, only the platform's availabilities count.
  void setPulledSlots(PublisherRepository& publishers) { publishers_ = &publishers; }
  /// As the search's (search.plage_closes_minutes_before_end), for the self-check.
  void setPlageClosesBeforeEnd(std::chrono::minutes m) { plageCloses_ = m; }

  std::vector<StructureSummary> dashboard(const Actor& actor);
  /// For « Vos paramètres »: NotFound unless the actor sets its parameters (a délégataire never
  /// does).
  Structure structureFor(const Actor& actor, std::int64_t structureId);
  /// Checks the form and saves it when valid; NotFound unless the actor manages the structure.
  ParticipationChange saveParticipation(const Actor& actor, std::int64_t structureId,
                                        const domain::ParticipationInput& input);

 private:
  StructureRepository& structures_;
  AgendaRepository& agenda_;
  OrientationRepository& orientations_;
  const Clock& clock_;
  std::chrono::seconds plageCloses_ = domain::kDefaultPlageClosesBeforeEnd;
  std::vector<PlaceChangeListener*> listeners_;
  PublisherRepository* publishers_ = nullptr;
};

}  // namespace sas::app
