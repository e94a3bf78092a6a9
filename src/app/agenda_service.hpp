#pragma once
// The structure manager's actions on a place's agenda (docs/rules.md#agenda,
// docs/rules.md#unavailability). Every method checks that the actor manages the place's
// structure, and answers NotFound otherwise.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/repositories.hpp"
#include "domain/availability.hpp"
#include "domain/unavailability.hpp"

namespace sas::app {

inline constexpr std::size_t kMaxRegulatorNoteLength = 1000;  // docs/rules.md#agenda

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
  std::vector<domain::Occurrence> occurrences;  // of the 7 days, sorted by start
  domain::Unavailability unavailability;
  std::string regulatorNote;
};

struct OccurrenceRef {
  std::int64_t placeId = 0;
  std::int64_t availabilityId = 0;
  domain::Day originalDate;
};

struct EditTarget {
  PlaceContext context;
  domain::Availability availability;
  domain::Occurrence occurrence;
  bool past = false;
};

/// A change of a place's agenda as the page that asked for it needs it: the place (to show the
/// refused form again without loading it twice) and the checked result.
template <class T>
struct PlaceChange {
  PlaceContext context;
  domain::Checked<T> result;
};

/// « Enregistrer » of the availability form.
struct AvailabilityCreation {
  PlaceContext context;
  domain::Checked<std::vector<std::int64_t>> result;
  domain::Day day{};         // the date asked: the agenda opens on its week
  bool adviseRange = false;  // a créneau of over an hour (docs/rules.md#agenda)
};

/// The modification or deletion of an occurrence (or of its series).
struct OccurrenceChange {
  EditTarget target;  // as it was: the refused form shows it again
  domain::Checked<domain::AgendaChange> result;
  domain::Day day{};  // the week the agenda opens on afterwards
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
};

/// Called after every committed change of a place's agenda, unavailability or note (the
/// search index listens here).
class PlaceChangeListener {
 public:
  virtual ~PlaceChangeListener() = default;
  virtual void placeChanged(std::int64_t placeId) = 0;
};

class AgendaService {
 public:
  AgendaService(StructureRepository& structures, AgendaRepository& agenda, const Clock& clock);

  void addListener(PlaceChangeListener& listener) { listeners_.push_back(&listener); }

  PlaceContext placeFor(const Actor& actor, std::int64_t placeId);
  /// The week holding `day` (today's when none).
  WeekView week(const Actor& actor, std::int64_t placeId, std::optional<domain::Day> day);
  EditTarget editTarget(const Actor& actor, const OccurrenceRef& ref);

  NewAvailability newAvailability(const Actor& actor, std::int64_t placeId,
                                  std::optional<domain::Day> asked);
  PlaceNotes notes(const Actor& actor, std::int64_t placeId);

  // Each use case below loads the place once and returns what its page shows next, whether
  // the form was refused or not; the shorter methods after them return the result alone.
  AvailabilityCreation createAvailability(const Actor& actor, std::int64_t placeId,
                                          const domain::AvailabilityInput& input);
  OccurrenceChange modifyOccurrence(const Actor& actor, const OccurrenceRef& ref,
                                    domain::AvailabilityInput input, domain::EditScope scope);
  OccurrenceChange removeOccurrence(const Actor& actor, const OccurrenceRef& ref,
                                    domain::EditScope scope);
  PlaceChange<domain::Unavailability> submitUnavailability(
      const Actor& actor, std::int64_t placeId, const domain::UnavailabilityInput& input);
  PlaceChange<std::string> submitRegulatorNote(const Actor& actor, std::int64_t placeId,
                                               const std::string& text);

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
  AuditEntry audit(const Actor& actor, std::string action, std::int64_t placeId,
                   std::string detail = {}) const;
  void notify(std::int64_t placeId);

  StructureRepository& structures_;
  AgendaRepository& agenda_;
  const Clock& clock_;
  std::vector<PlaceChangeListener*> listeners_;
};

}  // namespace sas::app
