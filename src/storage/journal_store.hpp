#pragma once
// « Journal des modifications » read from the audit log on SQL: app::JournalRepository.
#include "app/ports/journal.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlJournalStore final : public app::JournalRepository {
 public:
  explicit SqlJournalStore(Database& db) : db_(db) {}

  std::vector<app::JournalLine> journal(const app::JournalQuery& query) override;
  bool objectInTerritory(const std::string& object, std::int64_t territory) override;

 private:
  Database& db_;
};

}  // namespace sas::storage
