#pragma once
// The search's reads (every place with its agenda, in chunks; the changes table) and the API
// tokens, on SQL through SOCI: the same statements on SQLite and PostgreSQL.
#include <string>
#include <vector>

#include "app/ports/search_source.hpp"
#include "storage/database.hpp"

namespace sas::storage {

/// A place's digest (storage/agenda_digest.hpp), as a build on SQLite makes it.
struct PlaceDigest {
  long long placeId = 0;
  std::string series;
};

/// Writes them in one transaction (SQLite; migration 064), each only if its place's agenda did
/// not change after the change `seen`, the last one before the build read the place's rows.
void writeAgendaDigests(Connection& c, Database& db, long long seen,
                        const std::vector<PlaceDigest>& digests);

class SqlSearchSource final : public app::SearchSource,
                              public app::SpecialtyRepository,
                              public app::ApiTokenRepository {
 public:
  /// `chunk`: places read at a time by forEachPlace.
  explicit SqlSearchSource(Database& db, long long chunk = 2000) : db_(db), chunk_(chunk) {}

  // SearchSource
  void forEachPlace(domain::Day from, const std::function<void(app::SearchRecord&&)>& visit,
                    std::size_t readers) override;
  std::optional<app::SearchRecord> findPlace(std::int64_t placeId, domain::Day from) override;
  std::int64_t lastChange() override;
  std::int64_t placeCount() override;
  std::vector<app::ChangeRow> changesSince(std::int64_t after) override;
  app::PendingChanges changesAfter(std::int64_t after) override;
  void pruneChanges(domain::Instant before) override;

  // SpecialtyRepository
  void setSpecialties(std::int64_t structureId, const std::string& specialties,
                      domain::Instant now) override;

  // ApiTokenRepository
  bool createToken(const std::string& name, const std::string& digest, const std::string& scopes,
                   std::optional<std::int64_t> userId, domain::Instant now) override;
  bool revokeToken(const std::string& name, domain::Instant now) override;
  std::optional<app::ApiToken> activeToken(const std::string& digest) override;
  std::vector<app::ApiToken> tokens() override;

 private:
  /// The places whose id is in [low, high], in id order.
  std::vector<app::SearchRecord> readRange(Connection& c, long long low, long long high,
                                           domain::Day from);
  Database& db_;
  long long chunk_;
};

}  // namespace sas::storage
