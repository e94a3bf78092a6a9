#pragma once
// A regulator's last search, offered again when he comes back to /recherche without criteria
// (issue 16, item 7). Kept per account, not per browser: a regulation room shares its
// workstations.
#include <cstddef>
#include <optional>
#include <string>

#include "app/actor.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/search_history.hpp"

namespace sas::app {

class SearchHistory {
 public:
  /// Criteria longer than this are not kept (a login's return address is bounded alike).
  static constexpr std::size_t kMaxCriteria = 2000;

  SearchHistory(SearchHistoryRepository& repository, const Clock& clock)
      : repository_(repository), clock_(clock) {}

  /// Keeps the search as the regulator's last one; nothing for other roles, nor for criteria
  /// empty or too long.
  void remember(const Actor& actor, const std::string& criteria, const std::string& summary);
  /// The regulator's last search, if he made one.
  std::optional<SavedSearch> last(const Actor& actor);

 private:
  SearchHistoryRepository& repository_;
  const Clock& clock_;
};

}  // namespace sas::app
