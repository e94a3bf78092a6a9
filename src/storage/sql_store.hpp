#pragma once
// The repositories of app/ports on SQL (SOCI): the same statements on SQLite and PostgreSQL.
#include "app/ports/clock.hpp"
#include "app/ports/repositories.hpp"
#include "storage/agenda_rows_cache.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlStore final : public app::UserRepository,
                       public app::SessionRepository,
                       public app::StructureRepository,
                       public app::AgendaRepository,
                       public app::AuditLog {
 public:
  /// `clock` stamps the change of a new place (createPlace's callers have no time of their own).
  SqlStore(Database& db, const app::Clock& clock) : db_(db), clock_(clock) {}

  // UserRepository
  std::optional<app::User> findByEmail(const std::string& email) override;
  std::optional<app::User> findById(std::int64_t id) override;
  std::int64_t create(const app::User& user, const std::vector<std::int64_t>& structureIds,
                      domain::Instant now) override;
  void setPassword(std::int64_t userId, const std::string& hash, domain::Instant now) override;
  std::vector<std::int64_t> linkedStructureIds(std::int64_t userId) override;

  // SessionRepository
  void create(const app::StoredSession& session) override;
  std::optional<app::StoredSession> find(const std::string& idDigest) override;
  std::optional<std::pair<app::StoredSession, app::User>> findWithUser(
      const std::string& idDigest) override;
  void touch(const std::string& idDigest, domain::Instant lastSeen) override;
  void remove(const std::string& idDigest) override;

  // StructureRepository
  std::optional<app::Structure> findStructure(std::int64_t id) override;
  std::vector<app::Structure> structuresByIds(const std::vector<std::int64_t>& ids) override;
  std::vector<app::Place> placesOfStructure(std::int64_t structureId) override;
  std::optional<std::pair<app::Place, app::Structure>> findPlaceWithStructure(
      std::int64_t id) override;
  void saveParticipation(std::int64_t structureId, const domain::Participation& p,
                         const app::AuditEntry& audit, domain::Instant now) override;
  std::int64_t createStructure(const app::Structure& s) override;
  std::int64_t createPlace(const app::Place& p) override;
  std::optional<app::Structure> findByIdentifiers(const std::string& finess,
                                                  const std::string& siret) override;
  std::int64_t saveImported(const app::Structure& s, const app::Place& place,
                            domain::Instant now) override;

  // AgendaRepository
  std::vector<domain::Availability> availabilitiesOfPlace(std::int64_t placeId,
                                                          domain::Day from) override;
  std::optional<domain::Availability> findAvailability(std::int64_t id) override;
  std::vector<std::int64_t> applyChange(std::int64_t placeId, const domain::AgendaChange& change,
                                        const app::AuditEntry& audit, domain::Instant now) override;
  domain::Unavailability unavailability(std::int64_t placeId) override;
  void saveUnavailability(std::int64_t placeId, const domain::Unavailability& u,
                          const app::AuditEntry& audit, domain::Instant now) override;
  std::pair<domain::Unavailability, std::string> unavailabilityAndNote(
      std::int64_t placeId) override;
  void saveRegulatorNote(std::int64_t placeId, const std::string& note,
                         const app::AuditEntry& audit, domain::Instant now) override;

  // AuditLog
  void record(const app::AuditEntry& entry, domain::Instant now) override;

 private:
  std::vector<domain::Availability> readAvailabilities(Connection& c, std::int64_t placeId,
                                                       domain::Day from);

  Database& db_;
  const app::Clock& clock_;
  std::unique_ptr<AgendaRowsCache> rowsCache_ = std::make_unique<AgendaRowsCache>();
};

}  // namespace sas::storage
