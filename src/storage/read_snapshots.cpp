#include "storage/read_snapshots.hpp"

namespace sas::storage {
namespace {

class HeldScope final : public app::ReadSnapshots::Held {
 public:
  explicit HeldScope(Database& db) : scope_(db) {}

 private:
  ReadScope scope_;
};

}  // namespace

std::unique_ptr<app::ReadSnapshots::Held> SqlReadSnapshots::hold() {
  return std::make_unique<HeldScope>(db_);
}

}  // namespace sas::storage
