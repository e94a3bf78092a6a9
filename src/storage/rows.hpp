#pragma once
// Shared by the SQL stores: how instants, users, availabilities and their exceptions are read
// and written, and the change row that tells every process's search index.
#include <soci/soci.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
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

/// In the caller's transaction, by a statement prepared once per connection (as the change row
/// below and the outbox's mail, storage/account_store.hpp: every write of the platform runs them).
void writeAudit(Connection& c, const app::AuditEntry& e, domain::Instant now);

/// Appends the place to the changes table, in the caller's transaction: every process's search
/// index reads it back (docs/architecture.md, « The search index »).
/// Its id in `changes`.
std::int64_t recordChange(Connection& c, std::int64_t placeId, domain::Instant now);
/// The same for every place of the structure.
void recordStructureChange(Connection& c, std::int64_t structureId, domain::Instant now);

/// A date column (ISO text); a value that is not a date is a broken database and throws.
domain::Day storedDay(std::string_view iso);
std::string kindCode(domain::AvailabilityKind kind);
domain::AvailabilityKind kindFrom(std::string_view code);
domain::ConsultationTypes typesFrom(int bits);
/// An availability from the values of kAvailabilityColumns, in its order (a null last date:
/// none), however they were read.
domain::Availability availabilityFrom(long long id, long long placeId, int weekly,
                                      std::string_view firstDate,
                                      std::optional<std::string_view> lastDate, int startMinute,
                                      int endMinute, std::string_view kind, int capacity,
                                      int types);

/// The columns of an availability, as kAvailabilityColumns reads them.
inline constexpr const char* kAvailabilityColumnList =
    "id, place_id, weekly, first_date, last_date, start_minute, end_minute, kind, capacity, "
    "types";
/// The columns of an availability, in the order of kAvailabilityColumnList.
inline const std::string kAvailabilityColumns =
    std::string("SELECT ") + kAvailabilityColumnList + " FROM availabilities ";

/// Rows of kAvailabilityColumns fetched `size` at a time: SOCI's work is per fetch, not per row.
struct AvailabilityBatch {
  explicit AvailabilityBatch(std::size_t size);
  /// Binds the statement's outputs, in the order of kAvailabilityColumns (before its inputs).
  void bind(soci::statement& st);
  /// Back to the batch size before the next fetch (a fetch shrinks the vectors to what it read).
  void reset();
  std::size_t size() const { return id.size(); }
  domain::Availability row(std::size_t i) const;

  std::size_t batch;
  std::vector<long long> id, placeId;
  std::vector<int> weekly, start, end, capacity, types;
  std::vector<std::string> firstDate, lastDate, kind;
  std::vector<soci::indicator> lastInd;
};

using Param = std::variant<std::monostate, long long, std::string>;

/// Users matching `where` (which may use one parameter named :v), in id order.
std::vector<app::User> queryUsers(soci::session& sql, const std::string& where,
                                  const Param& param = {});

/// The user with this id, through the connection's prepared statement (read on every request).
/// The columns of an availability's exceptions, in the order ExceptionBatch binds them.
inline constexpr const char* kExceptionColumns =
    "SELECT e.availability_id, e.original_date, e.deleted, e.date, e.start_minute, "
    "e.end_minute, e.kind, e.capacity, e.types FROM availability_exceptions e ";

/// Rows of kExceptionColumns fetched `size` at a time.
struct ExceptionBatch {
  explicit ExceptionBatch(std::size_t size);
  void bind(soci::statement& st);
  void reset();
  std::size_t size() const { return availability.size(); }
  domain::AvailabilityException row(std::size_t i) const;

  std::size_t batch;
  std::vector<long long> availability;
  std::vector<std::string> original, date, kind;
  std::vector<int> deleted, start, end, capacity, types;
};

/// Prepares `st`, whose outputs and named inputs are bound, to run `query`.
void prepareBound(soci::statement& st, const std::string& query);

std::optional<app::User> findUserById(Connection& c, long long id);
/// The active structure managers and professionals of the structure, by id.
std::vector<app::User> structureContacts(Connection& c, long long structureId);
/// A session and its user, through the connection's prepared statement.
std::optional<app::SessionWithUser> findSessionWithUser(Connection& c, const std::string& digest);

}  // namespace sas::storage
