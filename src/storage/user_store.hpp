#pragma once
// The accounts (users and the structures they manage) on SQL: app::UserRepository.
#include "app/ports/repositories.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlUserStore final : public app::UserRepository {
 public:
  explicit SqlUserStore(Database& db) : db_(db) {}

  std::optional<app::User> findByEmail(const std::string& email) override;
  std::optional<app::User> findById(std::int64_t id) override;
  std::int64_t create(const app::User& user, const std::vector<std::int64_t>& structureIds,
                      domain::Instant now) override;
  void setPassword(std::int64_t userId, const std::string& hash, domain::Instant now) override;
  std::vector<std::int64_t> linkedStructureIds(std::int64_t userId) override;
  std::vector<app::DelegatedStructure> delegatedStructures(std::int64_t delegateId) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
