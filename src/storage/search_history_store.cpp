#include "storage/search_history_store.hpp"

#include <soci/soci.h>

#include "storage/prepared.hpp"
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

// Read at every search page (storage/prepared.hpp).
struct LastSearchQuery final : PreparedQuery {
  long long user = 0, at = 0;
  std::string criteria, summary;
  soci::statement statement;
  explicit LastSearchQuery(soci::session& sql)
      : statement((sql.prepare << kLastSearch, soci::use(user, "user"), soci::into(criteria),
                   soci::into(summary), soci::into(at))) {}
};

}  // namespace

void SqlSearchHistoryStore::saveLastSearch(std::int64_t userId, const app::SavedSearch& search) {
  Connection c(db_);
  long long user = userId, at = seconds(search.at);
  c.sql() << kSaveLastSearch, soci::use(user), soci::use(search.criteria),
      soci::use(search.summary), soci::use(at);
}

std::optional<app::SavedSearch> SqlSearchHistoryStore::lastSearch(std::int64_t userId) {
  Connection c(db_);
  auto& q = c.statements().get<LastSearchQuery>(c.sql());
  StatementRun run(q.statement, c.sqlite());
  q.user = userId;
  if (!q.statement.execute(true)) return std::nullopt;
  return app::SavedSearch{q.criteria, q.summary, instant(q.at)};
}

}  // namespace sas::storage
