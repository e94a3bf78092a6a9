#pragma once
// Structures and their places on SQL: app::StructureRepository.
#include "app/ports/clock.hpp"
#include "app/ports/repositories.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlStructureStore final : public app::StructureRepository {
 public:
  /// `clock` stamps the change of a new place (createPlace's callers have no time of their own).
  SqlStructureStore(Database& db, const app::Clock& clock) : db_(db), clock_(clock) {}

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
  std::vector<app::Place> approximatePlaces() override;
  void placeAgain(std::int64_t placeId, double latitude, double longitude, bool approximate,
                  const app::AuditEntry& audit, domain::Instant now) override;

 private:
  Database& db_;
  const app::Clock& clock_;
};

}  // namespace sas::storage
