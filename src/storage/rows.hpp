#pragma once
// Shared by the SQL repositories: how instants and users are read and written.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "app/model.hpp"
#include "app/ports/repositories.hpp"
#include "storage/database.hpp"

namespace sas::storage {

inline long long seconds(domain::Instant t) {
  return t.time_since_epoch().count();
}
inline domain::Instant instant(long long s) {
  return domain::Instant{std::chrono::seconds{s}};
}

void writeAudit(soci::session& sql, const app::AuditEntry& e, domain::Instant now);

using Param = std::variant<std::monostate, long long, std::string>;

/// Users matching `where` (which may use one parameter named :v), in id order.
std::vector<app::User> queryUsers(soci::session& sql, const std::string& where,
                                  const Param& param = {});

/// The user with this id, through the connection's prepared statement (read on every request).
std::optional<app::User> findUserById(Connection& c, long long id);
/// A session and its user, through the connection's prepared statement.
std::optional<std::pair<app::StoredSession, app::User>> findSessionWithUser(
    Connection& c, const std::string& digest);

}  // namespace sas::storage
