#include "storage/health_probe.hpp"

#include <soci/soci.h>

#include "storage/rows.hpp"

namespace sas::storage {

namespace {

const char* const kPendingMailCount = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL";
const char* const kOldestPendingMail = "SELECT MIN(created_at) FROM outbox WHERE sent_at IS NULL";

}  // namespace

bool SqlHealthProbe::databaseReachable() {
  return db_.ping();
}

int SqlHealthProbe::pendingMail() {
  Connection c(db_);
  int n = 0;
  c.sql() << kPendingMailCount, soci::into(n);
  return n;
}

std::optional<domain::Instant> SqlHealthProbe::oldestPendingMail() {
  Connection c(db_);
  long long at = 0;
  soci::indicator ind = soci::i_null;
  c.sql() << kOldestPendingMail, soci::into(at, ind);
  if (ind != soci::i_ok) return std::nullopt;
  return instant(at);
}

}  // namespace sas::storage
