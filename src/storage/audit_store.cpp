#include "storage/audit_store.hpp"

#include "storage/rows.hpp"

namespace sas::storage {

void SqlAuditLog::record(const app::AuditEntry& entry, domain::Instant now) {
  Connection c(db_);
  writeAudit(c, entry, now);
}

}  // namespace sas::storage
