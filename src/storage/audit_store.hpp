#pragma once
// The audit log on SQL (writes that belong to a change go in its transaction, storage/rows.hpp):
// app::AuditLog.
#include "app/ports/repositories.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlAuditLog final : public app::AuditLog {
 public:
  explicit SqlAuditLog(Database& db) : db_(db) {}

  void record(const app::AuditEntry& entry, domain::Instant now) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
