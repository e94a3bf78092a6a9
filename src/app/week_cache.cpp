#include "app/week_cache.hpp"

namespace sas::app {
namespace {
std::pair<std::int64_t, int> key(std::int64_t placeId, domain::Day monday) {
  return {placeId, monday.time_since_epoch().count()};
}
}  // namespace

std::shared_ptr<const WeekContent> WeekCache::find(std::int64_t placeId, domain::Day monday,
                                                   long long version,
                                                   const date::time_zone* zone) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key(placeId, monday));
  if (it == entries_.end() || it->second.version != version || it->second.zone != zone)
    return nullptr;
  return it->second.content;
}

void WeekCache::store(std::int64_t placeId, domain::Day monday, long long version,
                      const date::time_zone* zone, std::shared_ptr<const WeekContent> content) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[key(placeId, monday)] = {version, zone, std::move(content)};
}

}  // namespace sas::app
