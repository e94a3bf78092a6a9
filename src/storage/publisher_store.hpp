#pragma once
// The interfaced publishers and their pulled slots on SQL: app::PublisherRepository.
#include "app/ports/publishers.hpp"
#include "storage/database.hpp"

namespace sas::storage {

class SqlPublisherStore final : public app::PublisherRepository {
 public:
  explicit SqlPublisherStore(Database& db) : db_(db) {}

  std::vector<app::PublisherRow> publishers() override;
  std::optional<app::PublisherRow> findPublisher(std::int64_t id) override;
  std::optional<std::int64_t> createPublisher(const app::Publisher& publisher,
                                              domain::Instant now) override;
  bool updatePublisher(const app::Publisher& publisher) override;
  bool claimPull(std::int64_t publisherId, domain::Instant now, domain::Instant until) override;
  std::vector<app::RosterEntry> roster(std::int64_t publisherId) override;
  void pullSoon(std::int64_t publisherId) override;
  std::vector<std::int64_t> replacePulledSlots(std::int64_t publisherId,
                                               const std::vector<app::StoredPulledSlot>& slots,
                                               const app::PublisherHealth& health,
                                               domain::Instant now) override;
  void savePullFailure(std::int64_t publisherId, const app::PublisherHealth& health) override;
  std::vector<std::int64_t> dropPulledSlots(std::int64_t publisherId, domain::Instant now) override;
  std::vector<app::StoredPulledSlot> pulledSlotsOfPlace(std::int64_t placeId, domain::Instant from,
                                                        domain::Instant to) override;
  std::optional<std::int64_t> structurePublisher(std::int64_t structureId) override;
  void setStructurePublisher(std::int64_t structureId, std::optional<std::int64_t> publisherId,
                             domain::Instant now) override;

 private:
  /// Every publisher by name, or the one asked.
  std::vector<app::PublisherRow> query(std::optional<std::int64_t> one);
  Database& db_;
};

}  // namespace sas::storage
