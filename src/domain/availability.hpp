#pragma once
// Availabilities (docs/rules.md#agenda): one-off or weekly series, their exceptions, and the
// changes that creating, modifying and deleting them make.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/calendar.hpp"
#include "domain/checked.hpp"

namespace sas::domain {

enum class AvailabilityKind { Slot, Range };  // créneau (1 patient) / plage (N patients)

enum class ConsultationType : std::uint8_t { Office = 1, Teleconsultation = 2, HomeVisit = 4 };

struct ConsultationTypes {
  std::uint8_t bits = 0;

  bool has(ConsultationType t) const { return (bits & static_cast<std::uint8_t>(t)) != 0; }
  void add(ConsultationType t) { bits |= static_cast<std::uint8_t>(t); }
  bool empty() const { return bits == 0; }
  bool operator==(const ConsultationTypes&) const = default;
};

/// "C", "T", "D" in that order, joined by spaces ("C T").
std::string typeInitials(ConsultationTypes types);
/// « Consultation en cabinet », « Téléconsultation », « Visite à domicile ».
std::string typeLabel(ConsultationType type);
/// Those of `types`, in that order, joined by ", " (the mails', the preview's, the feed's).
std::string typeLabels(ConsultationTypes types);

/// The most patients a plage receives (docs/rules.md#agenda): the search keeps a count in 10 bits.
inline constexpr int kMaxCapacity = 999;

/// What one occurrence is: its local date and hours, créneau or plage, types.
struct OccurrenceValues {
  Day date;
  int startMinute = 0;  // a quarter hour, 00h00 to 23h45
  int endMinute = 0;    // a later quarter hour, or 23h59
  AvailabilityKind kind = AvailabilityKind::Slot;
  int capacity = 1;  // 1 for a créneau, 1 ≤ N ≤ kMaxCapacity for a plage
  ConsultationTypes types;
  bool operator==(const OccurrenceValues&) const = default;
};

/// One date of a weekly series changed or deleted (« à cette occurrence uniquement »).
struct AvailabilityException {
  Day originalDate;
  bool deleted = false;
  OccurrenceValues values;  // when not deleted; values.date may differ from originalDate
  bool operator==(const AvailabilityException&) const = default;
};

/// A one-off availability (weekly == false, base.date is its date) or a weekly series whose
/// weekday is base.date's and whose first occurrence is base.date.
struct Availability {
  std::int64_t id = 0;  // 0 until stored
  std::int64_t placeId = 0;
  bool weekly = false;
  OccurrenceValues base;
  std::optional<Day> lastDate;  // inclusive end of a series; none = no end
  std::vector<AvailabilityException> exceptions;
  bool operator==(const Availability&) const = default;
};

struct Occurrence {
  std::int64_t availabilityId = 0;
  bool weekly = false;
  Day originalDate;  // identifies the occurrence within its availability
  OccurrenceValues values;
  Instant start;  // UTC, from values in the place's zone
  Instant end;
  bool modified = false;  // an exception changed it
  int taken = 0;          // orientations it holds (docs/rules.md#orientation)
  /// The interfaced publisher whose free slot it is (docs/rules.md#publishers), 0 when it was
  /// entered on the platform: such a slot is booked on the publisher's side, never oriented to.
  std::int64_t publisher = 0;
};

/// Occurrences whose (possibly moved) date lies in [first, last], sorted by start.
std::vector<Occurrence> occurrencesBetween(const Availability& availability,
                                           const date::time_zone& zone, Day first, Day last);
/// The same, appended to `out` (sorted among themselves): a build of the search index makes
/// those of tens of millions of series, and a vector for each cost an allocation each.
void appendOccurrencesBetween(const Availability& availability, const date::time_zone& zone,
                              Day first, Day last, std::vector<Occurrence>& out);
/// The occurrence that the series (or one-off) has on `originalDate`, if any (not deleted).
std::optional<Occurrence> findOccurrence(const Availability& availability,
                                         const date::time_zone& zone, Day originalDate);

/// The « Ajouter ou modifier des disponibilités » form as typed.
struct AvailabilityInput {
  std::string date;      // « Date * »
  std::string from;      // « De * »
  std::string to;        // « A * »
  std::string kind;      // "creneau" or "plage"
  std::string capacity;  // « Je peux recevoir [N] patients »
  bool office = false;
  bool teleconsultation = false;
  bool homeVisit = false;
  std::array<bool, 7> weekdays{};  // « Chaque Lundi » … « Chaque Dimanche »
};

/// Field names used in FieldError for this form.
namespace availability_fields {
inline constexpr const char* kDate = "date";
inline constexpr const char* kFrom = "de";
inline constexpr const char* kTo = "a";
inline constexpr const char* kKind = "type_disponibilite";
inline constexpr const char* kCapacity = "capacite";
inline constexpr const char* kTypes = "types";
inline constexpr const char* kScope = "portee";
}  // namespace availability_fields

/// Checks the form (docs/rules.md#agenda): valid date and quarter hours, start < end on the
/// same day, start not in the past at `now` in `zone`, exactly one of créneau / plage, N ≥ 1,
/// at least one type. Every failing rule gives one message naming its field.
Checked<OccurrenceValues> checkAvailabilityInput(const AvailabilityInput& input,
                                                 const date::time_zone& zone, Instant now);

/// A start or end that the local clock skips on its date (02h30 on the last Sunday of March in
/// Paris) is taken as the time it names once the clock has moved (03h30: SPEC §10), and saved
/// so, so that the agenda shows what happens. True when `values` changed (docs/rules.md#agenda).
bool moveOutOfClockGap(OccurrenceValues& values, const date::time_zone& zone);

/// moveOutOfClockGap for a one-off or one occurrence as typed: the values are moved (and
/// `moved` set) unless that puts the start at or after the end, which is refused with the
/// reason, on « De » (docs/rules.md#agenda).
std::optional<FieldError> leaveClockGap(OccurrenceValues& values, const date::time_zone& zone,
                                        bool& moved);

/// Non-blocking advice: a créneau of more than one hour would suit a plage better.
bool adviseRange(const OccurrenceValues& values);

/// The availabilities that « Enregistrer » creates (docs/rules.md#agenda): a one-off on the
/// date when no weekday is ticked or the date's own weekday is not; a series from the date for
/// its ticked weekday; a series from the first such day after the date for each other one.
std::vector<Availability> planCreation(std::int64_t placeId, const OccurrenceValues& values,
                                       const std::array<bool, 7>& weekdays);

enum class EditScope {
  ThisOccurrence,
  AllWeeks
};  // « à cette occurrence uniquement » / « à toutes les semaines »

/// What to write, in one transaction.
struct AgendaChange {
  std::vector<Availability> updated;  // replace the stored one of the same id (with exceptions)
  std::vector<Availability> created;  // id 0
  std::vector<std::int64_t> deleted;
};

/// Modify (docs/rules.md#agenda). ThisOccurrence records an exception (or updates a one-off)
/// and may move the date; AllWeeks (series only) ends the series the day before the occurrence
/// and starts a new one from it with the new values, keeping the weekday (the date in
/// `newValues` is ignored), keeping later deletions and dropping later changes. Refused: an
/// occurrence that does not exist or is past at `now`, a new start in the past, AllWeeks on a
/// one-off.
Checked<AgendaChange> planModification(const Availability& availability, Day originalDate,
                                       const OccurrenceValues& newValues, EditScope scope,
                                       const date::time_zone& zone, Instant now);

/// Delete (docs/rules.md#agenda). ThisOccurrence deletes one date (a one-off is deleted
/// whole); AllWeeks ends the series the day before (deletes it if nothing is left). Refused on
/// a past or missing occurrence, and AllWeeks on a one-off.
Checked<AgendaChange> planDeletion(const Availability& availability, Day originalDate,
                                   EditScope scope, const date::time_zone& zone, Instant now);

/// A taken occurrence that a change « à toutes les semaines » keeps as it was
/// (docs/rules.md#orientation): the one-off `change.created[createdIndex]` stands for it.
struct KeptOccurrence {
  Day originalDate;  // in the series
  std::size_t createdIndex = 0;
  Day date;  // the one-off's date, which names the occurrence from now on
  bool operator==(const KeptOccurrence&) const = default;
};

/// Completes the AllWeeks `change` of a series so that each of `taken` (its occurrences on or
/// after the edited date that hold orientations) stays as it was: a one-off with the
/// occurrence's values, and a deleted date in the series the change starts, if any.
std::vector<KeptOccurrence> keepTakenOccurrences(AgendaChange& change,
                                                 const std::vector<Occurrence>& taken);

}  // namespace sas::domain
