#pragma once
// The structure manager's actions on a place's agenda (docs/rules.md#agenda,
// docs/rules.md#unavailability). Every method checks that the actor manages the place's
// structure, and answers NotFound otherwise.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/orientations.hpp"
#include "app/ports/repositories.hpp"
#include "app/week_cache.hpp"
#include "domain/availability.hpp"
#include "domain/orientation.hpp"
#include "domain/unavailability.hpp"
#include "domain/visibility.hpp"
#include "domain/week_copy.hpp"

namespace sas::app {

inline constexpr std::size_t kMaxRegulatorNoteLength = 1000;  // docs/rules.md#agenda

/// An occurrence with at least one orientation stays as it is (docs/rules.md#orientation).
inline constexpr const char* kOccurrenceTaken =
    "Cette disponibilité a déjà des patients adressés : elle ne peut plus être modifiée ni "
    "supprimée.";
/// Taken between the page and « Enregistrer » of a change « à toutes les semaines ».
inline constexpr const char* kTakenMeanwhile =
    "Un patient vient d'être adressé sur cette série : rechargez l'agenda puis recommencez.";

/// « Confirmer la duplication » when every copy is left out (docs/rules.md#copy-a-week).
inline constexpr const char* kNothingToCopy =
    "Aucune disponibilité à créer : chaque copie est écartée, pour la raison indiquée.";
/// « Confirmer la duplication » on an agenda changed since the plan was read (the same copy
/// confirmed twice at once): the preview as it is now, nothing written.
inline constexpr const char* kAgendaChangedMeanwhile =
    "Vos agendas viennent d'être modifiés : vérifiez l'aperçu ci-dessous, puis confirmez de "
    "nouveau.";

/// How many orientations of a list are in each status (« Patients adressés », dashboard).
struct StatusCounts {
  int received = 0;
  int noShow = 0;
  int pending = 0;
  int cancelled = 0;
  void add(domain::OrientationStatus status);
};
StatusCounts countStatuses(const std::vector<Orientation>& orientations);

struct PlaceContext {
  Place place;
  Structure structure;
  const date::time_zone* zone = nullptr;
};

struct WeekView {
  PlaceContext context;
  domain::Day monday;
  domain::Day today;
  domain::Instant now;
  /// Shared with the other views of the same week while the place's agenda is unchanged.
  std::shared_ptr<const WeekContent> content;
  long long version = -1;  // the place's agenda_version read before the week (-1: no cache)

  const std::vector<domain::Occurrence>& occurrences() const { return content->occurrences; }
  const domain::Unavailability& unavailability() const { return content->unavailability; }
  const std::string& regulatorNote() const { return content->regulatorNote; }
};

struct OccurrenceRef {
  std::int64_t placeId = 0;
  std::int64_t availabilityId = 0;
  domain::Day originalDate;
};

struct EditTarget {
  PlaceContext context;
  domain::Availability availability;
  domain::Occurrence occurrence;  // with `taken`: a taken one is neither modified nor deleted
  bool past = false;
};

/// A change of a place's agenda as the page that asked for it needs it: the place (to show the
/// refused form again without loading it twice) and the checked result.
template <class T>
struct PlaceChange {
  PlaceContext context;
  domain::Checked<T> result;
};

/// « Enregistrer » of the unavailability form, and the orientations it now covers (the page
/// lists them so that the manager can call the regulation).
struct UnavailabilityChange {
  PlaceContext context;
  domain::Checked<domain::Unavailability> result;
  std::vector<Orientation> covered;
};

/// « Enregistrer » of the availability form.
struct AvailabilityCreation {
  PlaceContext context;
  domain::Checked<std::vector<std::int64_t>> result;
  domain::Day day{};         // the date asked: the agenda opens on its week
  bool adviseRange = false;  // a créneau of over an hour (docs/rules.md#agenda)
  /// Hours typed that the clock skipped that day, saved as the hours they name
  /// (domain::moveOutOfClockGap): the agenda says so.
  bool movedOutOfGap = false;
};

/// The modification or deletion of an occurrence (or of its series).
struct OccurrenceChange {
  EditTarget target;  // as it was: the refused form shows it again
  domain::Checked<domain::AgendaChange> result;
  domain::Day day{};      // the week the agenda opens on afterwards
  bool conflict = false;  // refused because of orientations: the page answers 409
  std::size_t kept = 0;  // taken occurrences an « à toutes les semaines » change left as they were
  bool movedOutOfGap = false;  // as AvailabilityCreation's
};

/// An empty availability form: its place and the date it proposes.
struct NewAvailability {
  PlaceContext context;
  domain::Day date{};  // the day asked if not past, else today (the place's)
};

/// What the unavailability and note forms start from, without the week's occurrences.
struct PlaceNotes {
  PlaceContext context;
  domain::Day today{};
  domain::Unavailability unavailability;
  std::string regulatorNote;
  std::vector<Orientation> covered;  // pending orientations the unavailability hides
};

/// « Patients adressés » of one place for one week (docs/rules.md#orientation).
struct ReferredWeek {
  PlaceContext context;
  domain::Day monday;
  domain::Day today;
  domain::Instant now;
  std::vector<Orientation> orientations;  // whose occurrence starts in the week, by start
  StatusCounts counts;
};

/// « Pourquoi ne suis-je pas visible ? » of one place (docs/rules.md#visibility-self-check).
struct PlaceVisibility {
  domain::VisibilityCheck check;
  /// The actor may change the structure's participation (« Éditer les paramètres »): a
  /// délégataire may not (SPEC §12).
  bool setsParameters = false;
};

/// A place « Dupliquer la semaine » may copy to: a place of the same manager
/// (docs/rules.md#copy-a-week).
struct CopyPlace {
  Place place;
  std::string structureName;
};

/// The « Dupliquer la semaine » form as typed.
struct WeekCopyInput {
  std::string weeks;                 // « Nombre de semaines suivantes »
  std::vector<std::int64_t> places;  // the places ticked
};

/// « Dupliquer la semaine » of one place's week: its form, its preview, its result.
struct WeekCopy {
  PlaceContext context;
  domain::Day monday{};
  std::vector<CopyPlace> places;  // the places it may copy to, this place first
  /// Each target's agenda version, read before its agenda: the copy is written only onto them.
  std::map<std::int64_t, long long> versions;
  /// The plan (the preview, or what was written); none for the form not yet sent.
  std::optional<domain::Checked<domain::WeekCopyPlan>> result;
  bool written = false;  // « Confirmer la duplication » wrote the copies
};

/// The self-check of a place whose context is loaded (and whose access is checked), at `now`,
/// from its stored agenda, takings and unavailability: the dashboard's and the agenda's.
domain::VisibilityCheck checkPlaceVisibility(AgendaRepository& agenda,
                                             OrientationRepository& orientations,
                                             const PlaceContext& context, domain::Instant now,
                                             std::chrono::seconds plageCloses);

/// Called after every committed change of a place's agenda, unavailability or note (the
/// search index listens here).
class PlaceChangeListener {
 public:
  virtual ~PlaceChangeListener() = default;
  virtual void placeChanged(std::int64_t placeId) = 0;
  /// The same, when the change's row in `changes` is known: a listener that also reads that
  /// table may count this row as read.
  virtual void placeChanged(std::int64_t placeId, std::int64_t changeId) {
    (void)changeId;
    placeChanged(placeId);
  }
  /// The same, when the change is an orientation on `occurrence` (its `taken` the new count).
  virtual void occurrenceTaken(std::int64_t placeId, std::int64_t changeId,
                               const domain::Occurrence& occurrence) {
    (void)occurrence;
    placeChanged(placeId, changeId);
  }
};

class AgendaService {
 public:
  AgendaService(StructureRepository& structures, AgendaRepository& agenda,
                OrientationRepository& orientations, const Clock& clock);

  void addListener(PlaceChangeListener& listener) { listeners_.push_back(&listener); }
  /// As the search's (search.plage_closes_minutes_before_end), for the self-check.
  void setPlageClosesBeforeEnd(std::chrono::minutes m) { plageCloses_ = m; }
  /// Weeks are then kept between views (app/week_cache.hpp); without, each view reads its own.
  void keepWeeksIn(WeekCache& cache) { weeks_ = &cache; }

  PlaceContext placeFor(const Actor& actor, std::int64_t placeId);
  /// The week holding `day` (today's when none).
  WeekView week(const Actor& actor, std::int64_t placeId, std::optional<domain::Day> day);
  EditTarget editTarget(const Actor& actor, const OccurrenceRef& ref);

  NewAvailability newAvailability(const Actor& actor, std::int64_t placeId,
                                  std::optional<domain::Day> asked);
  PlaceNotes notes(const Actor& actor, std::int64_t placeId);
  /// « Patients adressés »: the week holding `day` (today's when none).
  ReferredWeek referred(const Actor& actor, std::int64_t placeId, std::optional<domain::Day> day);
  /// « Pourquoi ne suis-je pas visible ? » at the clock's now.
  /// The self-check of the week's place at the view's instant, from the weeks it spans (the
  /// view's own, and the next one near a Sunday: kept between views like it), not read again.
  PlaceVisibility visibility(const Actor& actor, const WeekView& view);

  // Each use case below loads the place once and returns what its page shows next, whether
  // the form was refused or not; the shorter methods after them return the result alone.
  AvailabilityCreation createAvailability(const Actor& actor, std::int64_t placeId,
                                          const domain::AvailabilityInput& input);
  OccurrenceChange modifyOccurrence(const Actor& actor, const OccurrenceRef& ref,
                                    domain::AvailabilityInput input, domain::EditScope scope);
  OccurrenceChange removeOccurrence(const Actor& actor, const OccurrenceRef& ref,
                                    domain::EditScope scope);
  UnavailabilityChange submitUnavailability(const Actor& actor, std::int64_t placeId,
                                            const domain::UnavailabilityInput& input);
  PlaceChange<std::string> submitRegulatorNote(const Actor& actor, std::int64_t placeId,
                                               const std::string& text);

  /// « Dupliquer la semaine »: the empty form for the week holding `day` (today's when none).
  WeekCopy weekCopyForm(const Actor& actor, std::int64_t placeId, std::optional<domain::Day> day);
  /// « Prévisualiser »: what the copy would create and leave out, nothing written. A place that
  /// the actor may not copy to answers NotFound, as the agenda of a place not his.
  WeekCopy previewWeekCopy(const Actor& actor, std::int64_t placeId, domain::Day day,
                           const WeekCopyInput& input);
  /// « Confirmer la duplication »: planned again from what is stored now, and written in one
  /// transaction for every place, with an audit entry per place.
  WeekCopy copyWeek(const Actor& actor, std::int64_t placeId, domain::Day day,
                    const WeekCopyInput& input);

  domain::Checked<std::vector<std::int64_t>> create(const Actor& actor, std::int64_t placeId,
                                                    const domain::AvailabilityInput& input);
  domain::Checked<domain::AgendaChange> modify(const Actor& actor, const OccurrenceRef& ref,
                                               domain::AvailabilityInput input,
                                               domain::EditScope scope);
  domain::Checked<domain::AgendaChange> remove(const Actor& actor, const OccurrenceRef& ref,
                                               domain::EditScope scope);
  domain::Checked<domain::Unavailability> saveUnavailability(
      const Actor& actor, std::int64_t placeId, const domain::UnavailabilityInput& input);
  domain::Checked<std::string> saveRegulatorNote(const Actor& actor, std::int64_t placeId,
                                                 const std::string& text);

 private:
  /// Recorded as the actor's, and for a délégataire on behalf of whom (SPEC §12).
  AuditEntry audit(const Actor& actor, std::string action, const PlaceContext& context,
                   std::string detail = {}) const;
  void notify(std::int64_t placeId);
  /// How many orientations the occurrence holds now.
  int takenOf(const PlaceContext& context, const domain::Occurrence& occurrence);
  /// The series' occurrences after the target's that hold orientations.
  std::vector<domain::Occurrence> takenLater(const EditTarget& target);
  /// Writes the planned change; « à toutes les semaines », keeps the taken occurrences as they
  /// were. False when one was taken meanwhile (nothing written).
  bool apply(OccurrenceChange& out, const OccurrenceRef& ref, domain::EditScope scope,
             AuditEntry audit);
  /// The places of the same manager as the place's (for a délégataire, of the same principal).
  std::vector<CopyPlace> copyPlaces(const Actor& actor, const PlaceContext& context);
  /// The form's checks and the plan, at `now`, from what is stored.
  WeekCopy planCopy(const Actor& actor, std::int64_t placeId, domain::Day day,
                    const WeekCopyInput& input, domain::Instant now);
  /// The pending orientations from now on that `u` hides from the regulators.
  std::vector<Orientation> coveredBy(const PlaceContext& context, const domain::Unavailability& u);

  StructureRepository& structures_;
  AgendaRepository& agenda_;
  OrientationRepository& orientations_;
  /// The week of `monday` at `version`: kept between views, else read (and kept).
  std::shared_ptr<const WeekContent> weekContent(const PlaceContext& context, domain::Day monday,
                                                 long long version);
  WeekCache* weeks_ = nullptr;
  const Clock& clock_;
  std::chrono::seconds plageCloses_ = domain::kDefaultPlageClosesBeforeEnd;
  std::vector<PlaceChangeListener*> listeners_;
};

}  // namespace sas::app
