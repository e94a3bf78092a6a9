#pragma once
// What the regulators' search needs from storage: every place with what the index keeps of it
// (read at start, and again for one place after each change), the specialties the « spécialité,
// structure » field matches, and the API tokens issued to integrations.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/model.hpp"
#include "domain/availability.hpp"
#include "domain/orientation.hpp"
#include "domain/search_who.hpp"
#include "domain/unavailability.hpp"

namespace sas::app {

/// A free slot an interfaced publisher published for the place (docs/rules.md#publishers).
struct PulledSlotRecord {
  std::int64_t publisherId = 0;
  std::string publisherName;
  domain::Instant start;
  domain::Instant end;
  domain::ConsultationTypes types;
  std::string bookingUrl;  // the publisher's page to book it, or empty
};

struct SearchRecord {
  Place place;
  Structure structure;
  std::string specialties;  // « Médecine générale, Pédiatrie »
  std::string regulatorNote;
  /// Who practises there: the directory's professionals of its structure, and the Pro Santé
  /// Connect accounts linked to it (docs/rules.md#search).
  std::vector<domain::SearchProfessional> professionals;
  domain::Unavailability unavailability;
  /// The availabilities that may have an occurrence on or after the day asked.
  std::vector<domain::Availability> availabilities;
  /// How many orientations its taken occurrences hold (docs/rules.md#orientation).
  std::vector<domain::Taking> takings;
  /// The slots of its publishers, by start.
  std::vector<PulledSlotRecord> pulled;
};

/// A row of `changes`: the place changed, by a commit of any process.
struct ChangeRow {
  std::int64_t id = 0;
  std::int64_t placeId = 0;
};

/// The changes a process's index has not applied yet.
struct PendingChanges {
  std::int64_t count = 0;
  std::optional<domain::Instant> oldest;  // when the oldest of them was committed
};

class SearchSource {
 public:
  virtual ~SearchSource() = default;
  /// Every place, a chunk at a time, so that memory stays bounded whatever their number. With
  /// `readers` > 1, up to that many threads read chunks at once (each on a connection of its
  /// own, when one is free) and `visit` is called from them concurrently, in no set order.
  virtual void forEachPlace(domain::Day from, const std::function<void(SearchRecord&&)>& visit,
                            std::size_t readers) = 0;
  virtual std::optional<SearchRecord> findPlace(std::int64_t placeId, domain::Day from) = 0;
  /// The id of the last row of `changes` (0 when there is none).
  virtual std::int64_t lastChange() = 0;
  /// How many places the base holds.
  virtual std::int64_t placeCount() = 0;
  /// The changes after change `after`, by id. (On PostgreSQL an id can become visible after a
  /// higher one, its transaction committing later: the reader watches for such gaps.)
  virtual std::vector<ChangeRow> changesSince(std::int64_t after) = 0;
  /// How many changes come after change `after`, and when the first of them was committed.
  virtual PendingChanges changesAfter(std::int64_t after) = 0;
  /// Deletes the changes committed before `before`, but never the newest one: its id keeps the
  /// next ones above every id a process has seen (SQLite would reuse ids of an empty table).
  virtual void pruneChanges(domain::Instant before) = 0;
};

class SpecialtyRepository {
 public:
  virtual ~SpecialtyRepository() = default;
  /// « Médecine générale, Pédiatrie »: what a structure's professionals practise.
  virtual void setSpecialties(std::int64_t structureId, const std::string& specialties,
                              domain::Instant now) = 0;
};

struct ApiToken {
  std::int64_t id = 0;
  std::string name;
  domain::Instant createdAt;
  bool revoked = false;
  std::string scopes = "recherche";    // space-separated: "recherche orientation"
  std::optional<std::int64_t> userId;  // the regulator's account it acts as, if any
};

class ApiTokenRepository {
 public:
  virtual ~ApiTokenRepository() = default;
  /// False when the name is taken.
  virtual bool createToken(const std::string& name, const std::string& digest,
                           const std::string& scopes, std::optional<std::int64_t> userId,
                           domain::Instant now) = 0;
  /// False when there is no such token still in force.
  virtual bool revokeToken(const std::string& name, domain::Instant now) = 0;
  virtual std::optional<ApiToken> activeToken(const std::string& digest) = 0;
  virtual std::vector<ApiToken> tokens() = 0;
};

}  // namespace sas::app
