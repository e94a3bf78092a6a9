#pragma once
// app::ReadSnapshots over the database's ReadScope.
#include <memory>

#include "app/ports/read_snapshot.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlReadSnapshots final : public app::ReadSnapshots {
 public:
  explicit SqlReadSnapshots(Database& db) : db_(db) {}
  std::unique_ptr<Held> hold() override;

 private:
  Database& db_;
};

}  // namespace sas::storage
