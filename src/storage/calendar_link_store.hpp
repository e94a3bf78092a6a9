#pragma once
// The places' calendar subscription links on SQL: app::CalendarLinkRepository.
#include "app/ports/calendar_links.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlCalendarLinkStore final : public app::CalendarLinkRepository {
 public:
  explicit SqlCalendarLinkStore(Database& db) : db_(db) {}

  std::optional<app::CalendarLink> activeLink(std::int64_t placeId) override;
  void replace(std::int64_t placeId, const std::string& digest, std::int64_t userId,
               const app::AuditEntry& audit, domain::Instant now) override;
  bool revoke(std::int64_t placeId, const app::AuditEntry& audit, domain::Instant now) override;
  std::optional<std::int64_t> placeOfKey(const std::string& digest) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
