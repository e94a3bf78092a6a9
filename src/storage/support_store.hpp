#pragma once
#include "app/ports/support.hpp"
#include "storage/database.hpp"

namespace soci {
class session;
}  // namespace soci

namespace sas::storage {

/// The bytes of a support request's file by its stored name (the outbox sends it from here).
std::optional<std::string> readSupportFile(soci::session& sql, const std::string& storedName);

class SqlSupportStore final : public app::SupportRepository {
 public:
  explicit SqlSupportStore(Database& db) : db_(db) {}
  std::optional<std::string> referenceOfKey(const std::string& key) override;
  app::SupportCreation create(app::SupportRequest& request, const app::EmailMessage& routed,
                              const app::EmailMessage& acknowledgement,
                              const app::SupportQuota& quota, domain::Instant now) override;
  std::vector<app::SupportRequest> list(int limit,
                                        std::optional<std::int64_t> territoryId) override;
  std::optional<app::SupportRequest> find(std::int64_t id) override;
  std::optional<std::string> fileContent(std::int64_t id, std::size_t position) override;
  int purgeCreatedUpTo(domain::Instant createdUpTo, domain::Instant now) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
