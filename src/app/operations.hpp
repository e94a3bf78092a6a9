#pragma once
// What operations watch (docs/deploy.md « Watching it »): whether this process can do its job,
// for /healthz and the load balancer, and the figures behind it, for /metrics: the database,
// the email outbox, and this process's search index (its size, and how far it lags behind the
// changes committed by every process).
#include <chrono>
#include <optional>

#include "app/ports/clock.hpp"
#include "app/ports/health.hpp"
#include "app/search_service.hpp"

namespace sas::app {

struct OperationsSettings {
  /// An email waiting longer than this means the SMTP side is stuck.
  std::chrono::seconds outboxStuck{15 * 60};
  /// A committed change older than this that the index has not applied: the index is behind
  /// (changes arrive within a second when all is well).
  std::chrono::seconds indexBehind{30};
};

struct HealthReport {
  bool databaseUp = false;
  int pendingMail = 0;
  std::chrono::seconds oldestMail{0};
  bool outboxOk = false;
  /// None when it could not be read (the pending changes are in the database).
  std::optional<SearchIndexStatus> index;
  /// Built, covering a search now, and no change older than indexBehind left to apply.
  bool indexCurrent = false;
  bool ok() const { return databaseUp && outboxOk && indexCurrent; }
};

class OperationsService {
 public:
  OperationsService(HealthProbe& probe, SearchService& search, const Clock& clock,
                    OperationsSettings settings = {})
      : probe_(probe), search_(search), clock_(clock), settings_(settings) {}

  HealthReport health();
  /// The index's size from memory, whatever the database's state.
  SearchIndexStatus indexSize() const;
  const OperationsSettings& settings() const { return settings_; }

 private:
  HealthProbe& probe_;
  SearchService& search_;
  const Clock& clock_;
  OperationsSettings settings_;
};

}  // namespace sas::app
