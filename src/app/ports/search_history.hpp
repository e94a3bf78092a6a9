#pragma once
// Where a regulator's last search is kept (« Reprendre votre dernière recherche »).
#include <cstdint>
#include <optional>
#include <string>

#include "domain/calendar.hpp"

namespace sas::app {

/// A search as its page's address gives it again: the query string of /recherche (without its
/// draw and page), and a short text naming it (« médecine générale autour de Paris 16e »).
struct SavedSearch {
  std::string criteria;
  std::string summary;
  domain::Instant at;
};

class SearchHistoryRepository {
 public:
  virtual ~SearchHistoryRepository() = default;
  /// Replaces the user's last search.
  virtual void saveLastSearch(std::int64_t userId, const SavedSearch& search) = 0;
  virtual std::optional<SavedSearch> lastSearch(std::int64_t userId) = 0;
};

}  // namespace sas::app
