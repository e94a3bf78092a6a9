#pragma once
// What the freshness reminder needs from storage (docs/rules.md#freshness-reminder).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/model.hpp"
#include "app/ports/accounts.hpp"
#include "domain/calendar.hpp"

namespace sas::app {

/// A place of a participating structure, and when its managers were last reminded.
struct ReminderCandidate {
  std::int64_t placeId = 0;
  std::int64_t structureId = 0;
  std::string name;  // the place's, else its structure's
  std::string timeZone;
  std::optional<domain::Instant> lastReminder;
};

class ReminderRepository {
 public:
  virtual ~ReminderRepository() = default;
  /// The places of participating structures, by id.
  virtual std::vector<ReminderCandidate> participatingPlaces() = 0;
  /// Records the reminder at `now` and queues its emails, with the audit entry, in one
  /// transaction, unless the place's last one is after `previousAtMost` (another process sent
  /// it meanwhile): then false and nothing written.
  virtual bool recordReminder(std::int64_t placeId, domain::Instant previousAtMost,
                              const std::vector<EmailMessage>& mails, const AuditEntry& audit,
                              domain::Instant now) = 0;
};

}  // namespace sas::app
