#pragma once
// Orientations on SQL (app::OrientationRepository): the capacity of an occurrence is kept by
// occurrence_takings, counted up by a conditional upsert so that the database, not the
// process, decides who takes the last place.
#include "app/ports/orientations.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlOrientationStore final : public app::OrientationRepository {
 public:
  explicit SqlOrientationStore(Database& db) : db_(db) {}

  std::optional<Taken> orient(const app::Orientation& orientation, int capacity,
                              const app::AuditEntry& audit,
                              const std::vector<app::EmailMessage>& mails) override;
  std::optional<app::Orientation> findOrientation(std::int64_t id) override;
  bool moveStatus(std::int64_t id, domain::OrientationStatus from, domain::OrientationStatus to,
                  std::int64_t byUserId, const app::AuditEntry& audit, domain::Instant now,
                  const std::vector<app::EmailMessage>& mails) override;
  app::OrientationContacts contacts(std::int64_t structureId,
                                    std::optional<std::int64_t> territoryId) override;
  std::vector<domain::Taking> takingsOfPlace(std::int64_t placeId, domain::Day from) override;
  std::vector<app::Orientation> orientationsOfPlace(std::int64_t placeId, domain::Instant from,
                                                    domain::Instant to) override;
  std::vector<app::OrientationLine> orientationsMade(
      domain::Instant from, domain::Instant to, std::optional<std::int64_t> territoryId) override;

 private:
  Database& db_;
};

/// The taken occurrences of the places with ids in [low, high] that start at or after `from`,
/// by place id (the search index reads them with the places).
std::vector<std::pair<std::int64_t, domain::Taking>> takingsOfPlaces(Connection& c, long long low,
                                                                     long long high,
                                                                     domain::Instant from);

}  // namespace sas::storage
