#include "storage/agenda_rows_cache.hpp"

namespace sas::storage {
namespace {
std::pair<std::int64_t, int> key(std::int64_t placeId, domain::Day from) {
  return {placeId, from.time_since_epoch().count()};
}
}  // namespace

std::optional<std::vector<domain::Availability>> AgendaRowsCache::find(std::int64_t placeId,
                                                                       domain::Day from,
                                                                       long long version) const {
  std::shared_ptr<const std::vector<domain::Availability>> rows;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key(placeId, from));
    if (it == entries_.end() || it->second.version != version) return std::nullopt;
    rows = it->second.rows;
  }
  return *rows;  // copied outside the lock
}

void AgendaRowsCache::store(std::int64_t placeId, domain::Day from, long long version,
                            const std::vector<domain::Availability>& rows) {
  auto shared = std::make_shared<const std::vector<domain::Availability>>(rows);
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[key(placeId, from)] = {version, std::move(shared)};
}

}  // namespace sas::storage
