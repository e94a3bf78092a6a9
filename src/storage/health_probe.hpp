#pragma once
#include "app/ports/health.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlHealthProbe final : public app::HealthProbe {
 public:
  explicit SqlHealthProbe(Database& db) : db_(db) {}
  bool databaseReachable() override;
  int pendingMail() override;
  std::optional<domain::Instant> oldestPendingMail() override;

 private:
  Database& db_;
};

}  // namespace sas::storage
