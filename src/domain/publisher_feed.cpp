#include "domain/publisher_feed.hpp"

#include <algorithm>

namespace sas::domain {

namespace {

constexpr std::string_view kPlacePrefix = "lieu:";

bool names(const std::vector<std::string>& identifiers, const std::string& value) {
  return std::find(identifiers.begin(), identifiers.end(), value) != identifiers.end();
}

// The nearest of `places` within the match radius of `position` (ties: the smaller id).
std::optional<std::int64_t> nearest(const std::vector<const CandidatePlace*>& places,
                                    GeoPoint position) {
  std::optional<std::int64_t> best;
  double bestMetres = 0;
  for (const auto* p : places) {
    const double metres = geodesicMetres(position, p->position);
    if (metres > kPulledSlotMatchRadiusMetres) continue;
    if (!best || metres < bestMetres || (metres == bestMetres && p->id < *best)) {
      best = p->id;
      bestMetres = metres;
    }
  }
  return best;
}

}  // namespace

std::string placeIdentifier(std::int64_t placeId) {
  return std::string(kPlacePrefix) + std::to_string(placeId);
}

std::optional<std::int64_t> matchPlace(const PulledSlot& slot,
                                       const std::vector<CandidatePlace>& placesOfProfessional) {
  // Our own place identifier names one place; a FINESS or SIRET may name a structure with
  // several of the professional's places, so it is weighed after it.
  std::vector<const CandidatePlace*> byPlace;
  std::vector<const CandidatePlace*> byStructure;
  for (const auto& place : placesOfProfessional) {
    bool placeNamed = false;
    bool structureNamed = false;
    for (const auto& id : slot.locationIdentifiers) {
      if (!names(place.identifiers, id)) continue;
      if (id.starts_with(kPlacePrefix))
        placeNamed = true;
      else
        structureNamed = true;
    }
    if (placeNamed) byPlace.push_back(&place);
    if (structureNamed) byStructure.push_back(&place);
  }
  for (const auto* named : {&byPlace, &byStructure}) {
    if (named->empty()) continue;
    if (named->size() == 1) return named->front()->id;
    // Several places named alike: the position decides among them, never a place not named.
    if (!slot.position) return std::nullopt;
    return nearest(*named, *slot.position);
  }
  if (placesOfProfessional.size() == 1) return placesOfProfessional.front().id;
  if (!slot.position) return std::nullopt;
  std::vector<const CandidatePlace*> all;
  all.reserve(placesOfProfessional.size());
  for (const auto& place : placesOfProfessional) all.push_back(&place);
  return nearest(all, *slot.position);
}

bool pulledSlotsShown(Instant pulledAt, Instant now) {
  return now - pulledAt < kPulledSlotsShownFor;
}

std::chrono::milliseconds retryDelay(int attempt, std::chrono::milliseconds base,
                                     std::chrono::milliseconds ceiling) {
  // Doubled step by step and stopped at the ceiling, so that no attempt number overflows.
  auto delay = std::min(base, ceiling);
  for (int i = 1; i < attempt && delay < ceiling; ++i) delay = std::min(delay * 2, ceiling);
  return delay;
}

bool CircuitBreaker::allows(Instant now) {
  switch (state_) {
    case State::Closed:
      return true;
    case State::Open:
      if (now < openUntil_) return false;
      state_ = State::HalfOpen;
      return true;
    case State::HalfOpen:
      return false;  // its one trial pull is under way
  }
  return false;
}

void CircuitBreaker::succeeded() {
  state_ = State::Closed;
  failures_ = 0;
}

void CircuitBreaker::failed(Instant now) {
  ++failures_;
  // An open breaker keeps its time: pulls started before it opened fail late, not again.
  if (state_ == State::HalfOpen ||
      (state_ == State::Closed && failures_ >= settings_.failuresToOpen)) {
    state_ = State::Open;
    openUntil_ = now + settings_.openFor;
  }
}

}  // namespace sas::domain
