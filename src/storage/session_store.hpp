#pragma once
// The login sessions on SQL (only a digest of each session id is stored): app::SessionRepository.
#include "app/ports/repositories.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlSessionStore final : public app::SessionRepository {
 public:
  explicit SqlSessionStore(Database& db) : db_(db) {}

  void create(const app::StoredSession& session) override;
  std::optional<app::StoredSession> find(const std::string& idDigest) override;
  std::optional<app::SessionWithUser> findWithUser(const std::string& idDigest) override;
  void touch(const std::string& idDigest, domain::Instant lastSeen) override;
  void remove(const std::string& idDigest) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
