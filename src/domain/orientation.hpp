#pragma once
// Orientations (docs/rules.md#orientation): a regulator or an IOA sends one patient to one
// occurrence of a place (a créneau holds one, a plage N), or beyond its availabilities. The
// rules of capacity, of the « hors créneaux » form and of who may move a status, and when.
#include <chrono>
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
/// How long before its end a plage stops being offered by default
/// (`search.plage_closes_minutes_before_end`, docs/rules.md#search).
inline constexpr std::chrono::minutes kDefaultPlageClosesBeforeEnd{30};

/// The last second at which the search offers an occurrence and a regulator may orient to it
/// (docs/rules.md#search): a créneau its start; a plage `plageCloses` before its end, since
/// patients may still come once it has started, but never before its start (a plage shorter
/// than that is offered as a créneau). Offered at that second, gone one second later.
Instant offeredUntil(AvailabilityKind kind, Instant start, Instant end,
                     std::chrono::seconds plageCloses);
inline Instant offeredUntil(const Occurrence& o, std::chrono::seconds plageCloses) {
  return offeredUntil(o.values.kind, o.start, o.end, plageCloses);
}

/// Whether a regulator may still send a patient to the occurrence at `now`: it has room and
/// `now` is not past offeredUntil.
bool orientable(const Occurrence& o, Instant now, std::chrono::seconds plageCloses);

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
