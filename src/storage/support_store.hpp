#pragma once
#include "app/ports/support.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlSupportStore final : public app::SupportRepository {
 public:
  explicit SqlSupportStore(Database& db) : db_(db) {}
  std::optional<std::string> referenceOfKey(const std::string& key) override;
  bool create(app::SupportRequest& request, const app::EmailMessage& routed,
              const app::EmailMessage& acknowledgement) override;
  std::vector<app::SupportRequest> list(int limit) override;
  std::optional<app::SupportRequest> find(std::int64_t id) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
