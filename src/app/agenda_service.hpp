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

/// Number of Unicode code points in UTF-8 text (invalid bytes count one each).
std::size_t codePointCount(const std::string& text);

}  // namespace sas::app
