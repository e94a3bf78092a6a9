#include "app/search_history.hpp"

namespace sas::app {

void SearchHistory::remember(const Actor& actor, const std::string& criteria,
                             const std::string& summary) {
  if (!regulates(actor.user.role) || actor.user.id == 0) return;
  if (criteria.empty() || criteria.size() > kMaxCriteria) return;
  // Paging through the same search keeps one row as it is: no write then.
  if (auto known = repository_.lastSearch(actor.user.id); known && known->criteria == criteria)
    return;
  repository_.saveLastSearch(actor.user.id, {criteria, summary, clock_.now()});
}

std::optional<SavedSearch> SearchHistory::last(const Actor& actor) {
  if (!regulates(actor.user.role) || actor.user.id == 0) return std::nullopt;
  return repository_.lastSearch(actor.user.id);
}

}  // namespace sas::app
