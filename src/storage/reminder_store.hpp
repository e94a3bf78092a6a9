#pragma once
// The freshness reminders on SQL: app::ReminderRepository.
#include "app/ports/reminders.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlReminderStore final : public app::ReminderRepository {
 public:
  explicit SqlReminderStore(Database& db) : db_(db) {}

  std::vector<app::ReminderCandidate> participatingPlaces() override;
  bool recordReminder(std::int64_t placeId, domain::Instant previousAtMost,
                      const std::vector<app::EmailMessage>& mails, const app::AuditEntry& audit,
                      domain::Instant now) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
