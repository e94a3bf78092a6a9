#pragma once
// The places' agendas on SQL: availabilities with their exceptions, unavailability and the note
// for the regulation (app::AgendaRepository). The availability rows read for a week are kept per
// place until its rows_version moves.
#include <memory>

#include "app/ports/repositories.hpp"
#include "storage/agenda_rows_cache.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlAgendaStore final : public app::AgendaRepository {
 public:
  explicit SqlAgendaStore(Database& db) : db_(db) {}

  std::vector<domain::Availability> availabilitiesOfPlace(std::int64_t placeId,
                                                          domain::Day from) override;
  std::optional<domain::Availability> findAvailability(std::int64_t id) override;
  long long agendaVersion(std::int64_t placeId) override;
  std::vector<std::int64_t> applyChange(std::int64_t placeId, const domain::AgendaChange& change,
                                        const app::AuditEntry& audit, domain::Instant now) override;
  std::optional<std::vector<std::int64_t>> applyChangeKeeping(
      std::int64_t placeId, const domain::AgendaChange& change, std::int64_t seriesId,
      domain::Day from, const std::vector<domain::KeptOccurrence>& kept,
      const app::AuditEntry& audit, domain::Instant now) override;
  std::optional<std::vector<std::vector<std::int64_t>>> applyChanges(
      const std::vector<app::PlaceAgendaChange>& changes, domain::Instant now) override;
  domain::Unavailability unavailability(std::int64_t placeId) override;
  void saveUnavailability(std::int64_t placeId, const domain::Unavailability& u,
                          const app::AuditEntry& audit, domain::Instant now) override;
  std::pair<domain::Unavailability, std::string> unavailabilityAndNote(
      std::int64_t placeId) override;
  void saveRegulatorNote(std::int64_t placeId, const std::string& note,
                         const app::AuditEntry& audit, domain::Instant now) override;

 private:
  std::vector<domain::Availability> readAvailabilities(Connection& c, std::int64_t placeId,
                                                       domain::Day from);

  Database& db_;
  std::unique_ptr<AgendaRowsCache> rowsCache_ = std::make_unique<AgendaRowsCache>();
};

}  // namespace sas::storage
