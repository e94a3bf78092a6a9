#pragma once
// The interfaced publishers an administrator registered, the structures each one publishes
// for, and the free slots last pulled from them (docs/rules.md#publishers).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/availability.hpp"
#include "domain/calendar.hpp"
#include "domain/publisher_feed.hpp"

namespace sas::app {

struct Publisher {
  std::int64_t id = 0;
  std::string name;
  std::string baseUrl;
  std::string certificateFile;
  std::string keyFile;
  std::string caFile;
  int periodMinutes = 5;
  bool enabled = true;
};

/// What the publisher's page shows of its pulls.
struct PublisherHealth {
  std::optional<domain::Instant> lastPullAt;     // the last pull tried, its start
  std::optional<domain::Instant> lastSuccessAt;  // the last one whose answers replaced the slots
  std::chrono::milliseconds lastDuration{0};
  int professionals = 0;  // asked for in the last pull
  int received = 0;       // slots read in the last pull (refused ones apart)
  int matched = 0;        // of them, matched to a place
  int unmatched = 0;      // « non rattachés »
  std::string errors;  // of the last pull, « kind=count » joined by « ; » (FeedProblem names)
  int breakerFailures = 0;             // failed pulls in a row
  domain::Instant breakerOpenUntil{};  // no pull before, when the breaker is open
  domain::Instant nextPullAt{};
};

struct PublisherRow {
  Publisher publisher;
  PublisherHealth health;
  std::size_t slots = 0;       // pulled slots held now
  std::size_t structures = 0;  // structures whose availabilities it publishes
};

/// A professional a publisher publishes for (he practises in a structure that chose it), with
/// every place he practises at, and which of them are the structures' that chose it.
struct RosterEntry {
  std::string nationalId;
  std::vector<domain::CandidatePlace> places;
  std::vector<std::int64_t> publishedPlaces;  // ids of `places` whose structure chose it
};

struct StoredPulledSlot {
  std::int64_t placeId = 0;
  domain::Instant start;
  domain::Instant end;
  domain::ConsultationTypes types;
  std::string bookingUrl;
  bool operator==(const StoredPulledSlot&) const = default;
};

class PublisherRepository {
 public:
  virtual ~PublisherRepository() = default;
  virtual std::vector<PublisherRow> publishers() = 0;
  virtual std::optional<PublisherRow> findPublisher(std::int64_t id) = 0;
  /// None when the name is taken.
  virtual std::optional<std::int64_t> createPublisher(const Publisher& publisher,
                                                      domain::Instant now) = 0;
  /// False when the name is taken by another.
  virtual bool updatePublisher(const Publisher& publisher) = 0;
  /// Takes the publisher's pull for this process until `until` when it is enabled, due
  /// (next pull at or before now) and nobody holds it: a conditional update, several processes
  /// run the job.
  virtual bool claimPull(std::int64_t publisherId, domain::Instant now, domain::Instant until) = 0;
  virtual std::vector<RosterEntry> roster(std::int64_t publisherId) = 0;
  /// « Interroger maintenant »: the next pull is due at once (the job takes it within seconds).
  virtual void pullSoon(std::int64_t publisherId) = 0;
  /// In one transaction: the publisher's slots become `slots` (each place whose slots changed
  /// gets a change row, for every process's index), its health is saved and its claim ends.
  /// Returns the places that changed.
  virtual std::vector<std::int64_t> replacePulledSlots(std::int64_t publisherId,
                                                       const std::vector<StoredPulledSlot>& slots,
                                                       const PublisherHealth& health,
                                                       domain::Instant now) = 0;
  /// A pull that failed: its health saved, its claim ended, its slots left as they are.
  virtual void savePullFailure(std::int64_t publisherId, const PublisherHealth& health) = 0;
  /// Every slot of the publisher leaves (stale, or the publisher switched off). Returns the places
  /// that changed.
  virtual std::vector<std::int64_t> dropPulledSlots(std::int64_t publisherId,
                                                    domain::Instant now) = 0;
  /// The place's pulled slots that start in [from, to), by start (its dashboard counts their
  /// hours for the avenant n°4).
  virtual std::vector<StoredPulledSlot> pulledSlotsOfPlace(std::int64_t placeId,
                                                           domain::Instant from,
                                                           domain::Instant to) = 0;
  /// « Mes disponibilités sont publiées par mon logiciel de prise de rendez-vous »: the
  /// publisher of the structure's availabilities, or none.
  virtual std::optional<std::int64_t> structurePublisher(std::int64_t structureId) = 0;
  virtual void setStructurePublisher(std::int64_t structureId,
                                     std::optional<std::int64_t> publisherId,
                                     domain::Instant now) = 0;
};

}  // namespace sas::app
