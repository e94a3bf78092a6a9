#pragma once
#include "app/ports/search_history.hpp"
#include "storage/database.hpp"

namespace sas::storage {

/// Regulators' last searches (table last_searches, one row per account).
class SqlSearchHistoryStore final : public app::SearchHistoryRepository {
 public:
  explicit SqlSearchHistoryStore(Database& db) : db_(db) {}
  void saveLastSearch(std::int64_t userId, const app::SavedSearch& search) override;
  std::optional<app::SavedSearch> lastSearch(std::int64_t userId) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
