#include "storage/search_history_store.hpp"

#include <soci/soci.h>

#include "storage/rows.hpp"

namespace sas::storage {
namespace {

// One statement on both databases: a second search replaces the row in place.
const char* const kSaveLastSearch =
    "INSERT INTO last_searches (user_id, criteria, summary, searched_at) VALUES (:user, "
    ":criteria, :summary, :at) ON CONFLICT (user_id) DO UPDATE SET criteria = "
    "excluded.criteria, summary = excluded.summary, searched_at = excluded.searched_at";
const char* const kLastSearch =
    "SELECT criteria, summary, searched_at FROM last_searches WHERE user_id = :user";

}  // namespace

void SqlSearchHistoryStore::saveLastSearch(std::int64_t userId, const app::SavedSearch& search) {
  Connection c(db_);
  long long user = userId, at = seconds(search.at);
  c.sql() << kSaveLastSearch, soci::use(user), soci::use(search.criteria),
      soci::use(search.summary), soci::use(at);
}

std::optional<app::SavedSearch> SqlSearchHistoryStore::lastSearch(std::int64_t userId) {
  Connection c(db_);
  long long user = userId, at = 0;
  app::SavedSearch out;
  c.sql() << kLastSearch, soci::use(user), soci::into(out.criteria), soci::into(out.summary),
      soci::into(at);
  if (!c.sql().got_data()) return std::nullopt;
  out.at = instant(at);
  return out;
}

}  // namespace sas::storage
