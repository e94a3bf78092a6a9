#pragma once
// The places' subscription links for calendar applications (docs/rules.md#calendar-export):
// only the digest of each key is stored, as for sessions and emailed links.
#include <cstdint>
#include <optional>
#include <string>

#include "app/model.hpp"
#include "domain/calendar.hpp"

namespace sas::app {

struct CalendarLink {
  std::int64_t placeId = 0;
  domain::Instant createdAt;
  std::int64_t createdBy = 0;
};

class CalendarLinkRepository {
 public:
  virtual ~CalendarLinkRepository() = default;
  /// The place's link in force, if any.
  virtual std::optional<CalendarLink> activeLink(std::int64_t placeId) = 0;
  /// Revokes the place's link in force, if any, and stores the new digest, with the audit
  /// entry, in one transaction.
  virtual void replace(std::int64_t placeId, const std::string& digest, std::int64_t userId,
                       const AuditEntry& audit, domain::Instant now) = 0;
  /// Revokes the place's link in force, with the audit entry; false, and nothing written, when
  /// there was none.
  virtual bool revoke(std::int64_t placeId, const AuditEntry& audit, domain::Instant now) = 0;
  /// The place whose link in force has this digest, if any.
  virtual std::optional<std::int64_t> placeOfKey(const std::string& digest) = 0;
};

}  // namespace sas::app
