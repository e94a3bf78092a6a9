#pragma once
// « Adresser un patient » (docs/rules.md#orientation): regulators and IOA send one patient to
// an occurrence found by the search (a créneau up to its start, a plage until it closes before
// its end), or beyond the availabilities of a place that accepts it;
// they cancel before its start; the place's managers say what became of it. Capacity is
// decided by storage in the transaction that records the orientation.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/agenda_service.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/orientations.hpp"
#include "app/ports/read_snapshot.hpp"
#include "app/ports/repositories.hpp"
#include "domain/checked.hpp"
#include "domain/orientation.hpp"

namespace sas::app {

/// An occurrence as a search result names it: the place, its start and end, créneau or plage.
struct OccurrenceAsked {
  std::int64_t placeId = 0;
  domain::Instant start;
  domain::Instant end;
  domain::AvailabilityKind kind = domain::AvailabilityKind::Slot;
};

/// What the registration and confirmation steps show.
struct OrientationTarget {
  PlaceContext context;
  domain::Occurrence occurrence;  // with how many it holds already
  /// A plage under way (started, still offered): the steps say until when patients may come.
  bool started = false;
  int capacity() const {
    return occurrence.values.kind == domain::AvailabilityKind::Slot ? 1
                                                                    : occurrence.values.capacity;
  }
};

/// The answer to « Confirmer »: the orientation made, or why not. `taken` is the occurrence's
/// new count (« n / N »).
struct OrientationOutcome {
  OrientationTarget target;
  domain::Checked<Orientation> result;
  bool gone = false;  // taken or started meanwhile: the page answers 409 and refreshes
  int taken = 0;
};

struct OrientationSettings {
  std::string baseUrl;  // of the links in the emails
  /// As the search's (SearchSettings::plageClosesBeforeEnd): a plage is orientable until then.
  std::chrono::minutes plageClosesBeforeEnd = domain::kDefaultPlageClosesBeforeEnd;
};

/// What the page of one orientation shows to the regulation.
struct OrientationView {
  Orientation orientation;
  PlaceContext context;
  bool cancellable = false;
};

/// One line of « Mes orientations »: the orientation, its place, and the place's time zone.
struct RegulationLine {
  OrientationLine line;
  const date::time_zone* zone = nullptr;
  bool mine = false;  // made by the actor, not by a colleague of his territory
  bool cancellable = false;
};

/// How far back « Mes orientations » looks.
inline constexpr std::chrono::hours kRegulationListSpan{7 * 24};

inline constexpr const char* kOccurrenceGone =
    "Ce créneau vient d'être pris : choisissez-en un autre.";

class OrientationService {
 public:
  OrientationService(StructureRepository& structures, AgendaRepository& agenda,
                     OrientationRepository& orientations, ReadSnapshots& snapshots,
                     const EmailTemplates& templates, const Clock& clock,
                     OrientationSettings settings);

  void addListener(PlaceChangeListener& listener) { listeners_.push_back(&listener); }

  /// The occurrence asked, for the registration step. NotFound when the place or the occurrence
  /// does not exist (or is hidden by an unavailability); Forbidden unless the actor regulates.
  OrientationTarget target(const Actor& actor, const OccurrenceAsked& asked);
  /// « Continuer »: the reference checked and the occurrence still orientable; nothing written.
  OrientationOutcome prepare(const Actor& actor, const OccurrenceAsked& asked,
                             std::string_view reference);
  /// « Confirmer » on an occurrence.
  OrientationOutcome orient(const Actor& actor, const OccurrenceAsked& asked,
                            std::string_view reference);
  /// The place, for « Adresser un patient hors créneaux »: NotFound unless it accepts it.
  PlaceContext beyondTarget(const Actor& actor, std::int64_t placeId);
  /// « Continuer » beyond the availabilities: the date, the time and the reference checked.
  OrientationOutcome prepareBeyond(const Actor& actor, std::int64_t placeId, std::string_view date,
                                   std::string_view time, std::string_view reference);
  /// « Confirmer » beyond the availabilities: a date and a time (docs/rules.md#orientation).
  OrientationOutcome orientBeyond(const Actor& actor, std::int64_t placeId, std::string_view date,
                                  std::string_view time, std::string_view reference);

  /// One orientation, for the regulator who made it or one of his territory (NotFound else).
  OrientationView view(const Actor& actor, std::int64_t orientationId);
  /// « Mes orientations »: those made over the last 7 days by the actor and the regulators of
  /// his territory (his own only when he has none), the newest first.
  std::vector<RegulationLine> ofRegulation(const Actor& actor);
  /// By the regulator who made it, or a regulator or IOA of his territory, before its start.
  domain::Checked<Orientation> cancel(const Actor& actor, std::int64_t orientationId);
  /// « Patient reçu » / « Patient non venu », by the place's managers, from its start on.
  domain::Checked<Orientation> setOutcome(const Actor& actor, std::int64_t orientationId,
                                          domain::OrientationStatus status);
  /// The place's orientations whose occurrence starts in [from, to), for its managers.
  std::vector<Orientation> ofPlace(const Actor& actor, std::int64_t placeId, domain::Instant from,
                                   domain::Instant to);

 private:
  PlaceContext regulatedPlace(const Actor& actor, std::int64_t placeId);
  Orientation draft(const Actor& actor, std::int64_t placeId, std::string reference) const;
  void notify(std::int64_t placeId, std::int64_t changeId = 0);  // 0: its row is not known
  /// The email `name` to each manager and professional of the place's structure.
  std::vector<EmailMessage> mailsFor(const std::string& name, const PlaceContext& context,
                                     const Orientation& o);
  std::optional<Orientation> regulationOrientation(const Actor& actor, std::int64_t id);

  StructureRepository& structures_;
  AgendaRepository& agenda_;
  OrientationRepository& orientations_;
  ReadSnapshots& snapshots_;
  const EmailTemplates& templates_;
  const Clock& clock_;
  OrientationSettings settings_;
  std::vector<PlaceChangeListener*> listeners_;
};

}  // namespace sas::app
