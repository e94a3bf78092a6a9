#pragma once
// Orientations (docs/rules.md#orientation): a regulator or an IOA sends one patient to one
// occurrence of a place (a créneau holds one, a plage N), or beyond its availabilities. The
// rules of capacity, of the « hors créneaux » form and of who may move a status, and when.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/availability.hpp"
#include "domain/calendar.hpp"
#include "domain/checked.hpp"

namespace sas::domain {

enum class OrientationStatus { Pending, Received, NoShow, Cancelled };
/// Stored form: "en_attente", "recu", "non_venu", "annulee".
std::string statusCode(OrientationStatus status);
std::optional<OrientationStatus> statusFromCode(std::string_view code);
/// « En attente », « Patient reçu », « Patient non venu », « Annulée ».
std::string statusLabel(OrientationStatus status);

/// To an occurrence (créneau or plage), or « hors créneaux » (no capacity).
enum class OrientationKind { Slot, Range, Beyond };
std::string orientationKindCode(OrientationKind kind);  // "creneau", "plage", "hors_creneaux"
std::optional<OrientationKind> orientationKindFromCode(std::string_view code);

/// How many orientations an occurrence holds, by its identity in its availability.
struct Taking {
  std::int64_t availabilityId = 0;
  Day originalDate;
  int taken = 0;
  bool operator==(const Taking&) const = default;
};

/// Sets `taken` on each occurrence that `takings` names (the others keep 0).
void applyTakings(std::vector<Occurrence>& occurrences, const std::vector<Taking>& takings);

/// A créneau holds one orientation, a plage its capacity.
inline bool hasRoom(const Occurrence& o) {
  return o.taken < (o.values.kind == AvailabilityKind::Slot ? 1 : o.values.capacity);
}
/// Whether a regulator may still send a patient to the occurrence at `now`: it has room and has
/// not started: up to its start second, as the search (docs/rules.md#differences-with-the-guide,
/// 2).
bool orientable(const Occurrence& o, Instant now);

inline constexpr std::size_t kMaxRegulationReference = 30;  // code points
/// « Référence du dossier de régulation »: optional, trimmed, at most 30 characters, printable.
Checked<std::string> checkRegulationReference(std::string_view text);

namespace orientation_fields {
inline constexpr const char* kReference = "reference";
inline constexpr const char* kDate = "date";
inline constexpr const char* kTime = "heure";
}  // namespace orientation_fields

/// « Adresser un patient hors créneaux »: a date and a time on the quarter hour, not in the
/// past at `now` in `zone`. The instant it names.
Checked<Instant> checkBeyondInput(std::string_view date, std::string_view time,
                                  const date::time_zone& zone, Instant now);

/// A cancellation is allowed before the occurrence's start, to a pending orientation.
bool cancellable(OrientationStatus status, Instant start, Instant now);
/// « Patient reçu » / « Patient non venu » from the occurrence's start on, on a pending one or to
/// correct the other outcome; never on a cancelled one, never back to pending.
bool outcomeSettable(OrientationStatus from, OrientationStatus to, Instant start, Instant now);

}  // namespace sas::domain
