#pragma once
#include <optional>

#include "domain/calendar.hpp"

namespace sas::app {

/// What /healthz and /metrics read of the platform's state.
class HealthProbe {
 public:
  virtual ~HealthProbe() = default;
  virtual bool databaseReachable() = 0;
  virtual int pendingMail() = 0;
  /// When the oldest email not yet sent was queued.
  virtual std::optional<domain::Instant> oldestPendingMail() = 0;
};

}  // namespace sas::app
