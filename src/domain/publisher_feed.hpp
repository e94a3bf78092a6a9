#pragma once
// Interfaced booking software (docs/rules.md#publishers): what a publisher's FHIR answer gives
// the search once read and checked, to which of a professional's places each slot belongs,
// and how a failing publisher is left alone for a while (retries, circuit breaker) and how
// long its last slots stay searchable.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/availability.hpp"
#include "domain/calendar.hpp"
#include "domain/search_geo.hpp"

namespace sas::domain {

/// One free slot of a publisher's answer, checked: a start and an end with their offsets, a
/// professional we can name.
struct PulledSlot {
  std::string professionalId;  // the IDNPS of the Schedule's Practitioner (« 8 » + RPPS …)
  Instant start;
  Instant end;
  ConsultationTypes types;  // Slot.serviceType AMB / VR / HH; none given: office
  /// What names the Location: « 1 » + FINESS or « 3 » + SIRET of it or of its Organization,
  /// and « lieu: » + our place id when the publisher knows it (placeIdentifier).
  std::vector<std::string> locationIdentifiers;
  std::optional<GeoPoint> position;  // Location.position
  std::string bookingUrl;            // Slot.comment, an http(s) URL, or empty
  bool operator==(const PulledSlot&) const = default;
};

/// How one of our places is known in a publisher's Location identifiers.
std::string placeIdentifier(std::int64_t placeId);

/// A place of the professional, as matching needs it.
struct CandidatePlace {
  std::int64_t id = 0;
  GeoPoint position;
  /// « 1 » + FINESS and « 3 » + SIRET of its structure (and of the place), placeIdentifier(id).
  std::vector<std::string> identifiers;
};

/// Matching a slot needs this close to one of the professional's places when nothing else tells.
inline constexpr double kPulledSlotMatchRadiusMetres = 1000;

/// The place a slot belongs to: the candidate one of whose identifiers the Location names;
/// else the professional's only place; else the nearest of his places within
/// kPulledSlotMatchRadiusMetres of the Location's position (ties: the smaller id); else none
/// (« non rattaché »).
std::optional<std::int64_t> matchPlace(const PulledSlot& slot,
                                       const std::vector<CandidatePlace>& placesOfProfessional);

/// A publisher down keeps its last slots in the search until they are this old.
inline constexpr std::chrono::minutes kPulledSlotsShownFor{30};
/// Whether slots pulled at `pulledAt` are still shown at `now` (age < kPulledSlotsShownFor).
bool pulledSlotsShown(Instant pulledAt, Instant now);

/// The wait before retry number `attempt` (1 for the first retry): base × 2^(attempt-1), at
/// most `ceiling`.
std::chrono::milliseconds retryDelay(int attempt, std::chrono::milliseconds base,
                                     std::chrono::milliseconds ceiling);

struct BreakerSettings {
  int failuresToOpen = 3;  // pulls failed in a row
  std::chrono::seconds openFor{15 * 60};
};

/// Per publisher: after failuresToOpen failed pulls in a row it opens, and no pull is tried
/// until openFor has passed; then one pull is tried (half open): success closes it, failure
/// opens it again for openFor.
class CircuitBreaker {
 public:
  enum class State { Closed, Open, HalfOpen };
  explicit CircuitBreaker(BreakerSettings settings = {}) : settings_(settings) {}
  /// As a store kept it: open when failuresInARow reached failuresToOpen (allows() tells
  /// whether openUntil has passed).
  CircuitBreaker(BreakerSettings settings, int failuresInARow, Instant openUntil);

  /// Whether a pull may start at `now` (an open breaker whose time has passed turns half open).
  bool allows(Instant now);
  void succeeded();
  void failed(Instant now);

  State state() const { return state_; }
  int failuresInARow() const { return failures_; }
  /// When an open breaker lets a pull try again.
  Instant openUntil() const { return openUntil_; }

 private:
  BreakerSettings settings_;
  State state_ = State::Closed;
  int failures_ = 0;
  Instant openUntil_{};
};

}  // namespace sas::domain
