#pragma once
// Interfaced booking software (docs/rules.md#publishers): administrators register the
// publishers (« Éditeurs interfacés ») and read their health; the background job pulls each one
// every period (the next 72 h of free slots of the professionals of the structures that chose
// it, 25 per request, several requests at once, retried, behind a circuit breaker), matches the
// slots to places and replaces, in one step, what the search held from it.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/agenda_service.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/publisher_feed.hpp"
#include "app/ports/publishers.hpp"
#include "domain/checked.hpp"
#include "domain/publisher_feed.hpp"

namespace sas::app {

struct PullSettings {
  int concurrency = 4;  // requests at once per publisher (fhir.pull_concurrency)
  FeedLimits limits;
  int attempts = 3;  // per request, the first included
  std::chrono::milliseconds retryBase{500};
  std::chrono::milliseconds retryCeiling{5'000};
  domain::BreakerSettings breaker;
  std::chrono::hours window{72};
  /// How long a process holds a publisher's pull: longer than a pull can last.
  std::chrono::minutes lease{15};
  /// Whether the pull tells this process's index of each changed place itself. Off where the
  /// background job keeps the index: it applies the pull's change rows within a second, and
  /// telling it too would read every place twice (bench/publishers_bench.sh).
  bool tellIndex = true;
  /// Waits between retries (the server sleeps; tests give a function that does not).
  std::function<void(std::chrono::milliseconds)> wait;
};

/// The administrator's form as typed.
struct PublisherForm {
  std::string name;
  std::string baseUrl;
  std::string certificateFile;
  std::string keyFile;
  std::string caFile;
  std::string periodMinutes = "5";
  bool enabled = true;
};

/// What one pull did (for the log and the tests).
struct PullReport {
  std::string publisher;  // its name, for the log
  /// Its slots left the search: switched off, or silent for domain::kPulledSlotsShownFor.
  bool dropped = false;
  bool ran = false;        // false: not due, switched off, held by another process, breaker open
  bool succeeded = false;  // the answers replaced the publisher's slots
  PublisherHealth health;
  std::vector<std::int64_t> changedPlaces;
};

/// The codes kept in PublisherHealth::errors, and back.
std::string feedProblemCode(FeedProblem problem);
std::optional<FeedProblem> feedProblemFromCode(const std::string& code);
/// PublisherHealth::errors read back: (label, count) by kind, in FeedProblem's order.
std::vector<std::pair<std::string, int>> healthErrors(const std::string& errors);

class PublisherService {
 public:
  PublisherService(PublisherRepository& publishers, PublisherFeed& feed, PlaceChangeListener& index,
                   const Clock& clock, PullSettings settings);

  /// Administrators only (Forbidden otherwise).
  std::vector<PublisherRow> publishers(const Actor& actor);
  PublisherRow publisher(const Actor& actor, std::int64_t id);  // NotFound
  domain::Checked<std::int64_t> create(const Actor& actor, const PublisherForm& form);
  std::vector<domain::FieldError> update(const Actor& actor, std::int64_t id,
                                         const PublisherForm& form);
  static PublisherForm formOf(const Publisher& publisher);
  /// « Interroger maintenant »: the background job pulls it within seconds (its breaker still
  /// decides). NotFound for an unknown publisher.
  void pullSoon(const Actor& actor, std::int64_t id);

  /// The enabled publishers a structure may choose, by name.
  std::vector<Publisher> choices();
  /// « Mes disponibilités sont publiées par mon logiciel de prise de rendez-vous » and the
  /// publisher picked (form fields kPublishedField, kPublisherField). The caller has checked
  /// that the actor sets this structure's parameters. Errors when ticked without an enabled
  /// publisher; nothing saved then.
  std::optional<std::int64_t> structurePublisher(std::int64_t structureId);
  std::vector<domain::FieldError> setStructurePublisher(std::int64_t structureId, bool published,
                                                        const std::string& publisherId);
  /// setStructurePublisher's check alone, nothing saved: for a form that saves other fields
  /// first and must refuse them all together.
  std::vector<domain::FieldError> checkStructurePublisher(bool published,
                                                          const std::string& publisherId);
  static constexpr const char* kPublishedField = "publie_par_logiciel";
  static constexpr const char* kPublisherField = "editeur";

  /// The background job's turn: drops the slots of publishers switched off or silent for
  /// domain::kPulledSlotsShownFor, then pulls each publisher that is due. What it did, for the
  /// log: one report per publisher that dropped or ran.
  std::vector<PullReport> pullDue();
  /// Pulls the publisher now if this process can claim it (tests and the job).
  PullReport pull(std::int64_t publisherId);

 private:
  PullReport pullClaimed(const PublisherRow& row, domain::Instant now);
  void requireAdministrator(const Actor& actor) const;
  std::vector<domain::FieldError> check(const PublisherForm& form, Publisher& out) const;
  void tell(const std::vector<std::int64_t>& places);
  /// The enabled publisher whose id the form sent, if any.
  std::optional<std::int64_t> enabledPublisher(const std::string& publisherId);

  PublisherRepository& repository_;
  PublisherFeed& feed_;
  PlaceChangeListener& index_;
  const Clock& clock_;
  PullSettings settings_;
};

}  // namespace sas::app
