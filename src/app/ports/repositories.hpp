#pragma once
// What the use cases need from storage. Each write method is one transaction with the audit
// entry that describes it, so that a user action is saved whole or not at all.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/model.hpp"
#include "domain/availability.hpp"
#include "domain/unavailability.hpp"

namespace sas::app {

struct StoredSession {
  std::string idDigest;
  std::int64_t userId = 0;
  std::string csrfToken;
  domain::Instant createdAt;
  domain::Instant lastSeenAt;
};

struct SessionWithUser {
  StoredSession session;
  User user;
  std::vector<std::int64_t> structureIds;  // user_structures, by id
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  virtual std::optional<User> findByEmail(const std::string& email) = 0;
  virtual std::optional<User> findById(std::int64_t id) = 0;
  /// Creates the account and links it to the structures; returns its id.
  virtual std::int64_t create(const User& user, const std::vector<std::int64_t>& structureIds,
                              domain::Instant now) = 0;
  virtual void setPassword(std::int64_t userId, const std::string& hash, domain::Instant now) = 0;
  virtual std::vector<std::int64_t> linkedStructureIds(std::int64_t userId) = 0;
  /// A délégataire's structures: those of the enabled structure managers and professionals who
  /// delegated to him, each once, with the first of them by id (SPEC §12).
  virtual std::vector<DelegatedStructure> delegatedStructures(std::int64_t delegateId) = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  /// Stores the session and records the login on its account (last login; the ageing counts
  /// from it), in one transaction.
  virtual void create(const StoredSession& session) = 0;
  virtual std::optional<StoredSession> find(const std::string& idDigest) = 0;
  /// The session, its user and the structures he is linked to, in one read (every request
  /// asks for all three).
  virtual std::optional<SessionWithUser> findWithUser(const std::string& idDigest) = 0;
  virtual void touch(const std::string& idDigest, domain::Instant lastSeen) = 0;
  virtual void remove(const std::string& idDigest) = 0;
};

class StructureRepository {
 public:
  virtual ~StructureRepository() = default;
  virtual std::optional<Structure> findStructure(std::int64_t id) = 0;
  virtual std::vector<Structure> structuresByIds(const std::vector<std::int64_t>& ids) = 0;
  virtual std::vector<Place> placesOfStructure(std::int64_t structureId) = 0;
  /// The place and its structure in one read (every agenda page starts with both).
  virtual std::optional<std::pair<Place, Structure>> findPlaceWithStructure(std::int64_t id) = 0;
  virtual void saveParticipation(std::int64_t structureId, const domain::Participation& p,
                                 const AuditEntry& audit, domain::Instant now) = 0;
  virtual std::int64_t createStructure(const Structure& s) = 0;
  virtual std::int64_t createPlace(const Place& p) = 0;
  /// The structure with this FINESS number, else this SIRET (an empty one never matches).
  virtual std::optional<Structure> findByIdentifiers(const std::string& finess,
                                                     const std::string& siret) = 0;
  /// Creates or updates an imported structure and its place (participation untouched), in one
  /// transaction that records the change for the search index; returns the structure id.
  virtual std::int64_t saveImported(const Structure& s, const Place& place,
                                    domain::Instant now) = 0;
  /// The places stored at a town's or arrondissement's centre (Place::approximate), by id.
  virtual std::vector<Place> approximatePlaces() = 0;
  /// Moves the place where the geocoder now puts it, with its audit entry, in one transaction
  /// that records the change for the search index.
  virtual void placeAgain(std::int64_t placeId, double latitude, double longitude, bool approximate,
                          const AuditEntry& audit, domain::Instant now) = 0;
};

/// One place's share of a change written with others (AgendaRepository::applyChanges).
struct PlaceAgendaChange {
  std::int64_t placeId = 0;
  domain::AgendaChange change;
  AuditEntry audit;
  /// agendaVersion() read before the change was planned: a place changed since is not written.
  std::optional<long long> expectedVersion;
};

class AgendaRepository {
 public:
  virtual ~AgendaRepository() = default;
  /// Availabilities of the place that may have an occurrence on or after `from`.
  virtual std::vector<domain::Availability> availabilitiesOfPlace(std::int64_t placeId,
                                                                  domain::Day from) = 0;
  virtual std::optional<domain::Availability> findAvailability(std::int64_t id) = 0;
  /// A number that moves with every committed change of the place's availabilities, takings,
  /// unavailability or note; -1 for an unknown place.
  virtual long long agendaVersion(std::int64_t placeId) = 0;
  /// Returns the ids of the created availabilities, in order.
  virtual std::vector<std::int64_t> applyChange(std::int64_t placeId,
                                                const domain::AgendaChange& change,
                                                const AuditEntry& audit, domain::Instant now) = 0;
  /// applyChange for a change « à toutes les semaines » of the series `seriesId` from `from`,
  /// and in the same transaction the orientations and takings of each kept occurrence moved to
  /// its one-off (docs/rules.md#orientation). None, and nothing written, when an occurrence of
  /// the series on or after `from` that is not kept holds orientations (taken meanwhile).
  virtual std::optional<std::vector<std::int64_t>> applyChangeKeeping(
      std::int64_t placeId, const domain::AgendaChange& change, std::int64_t seriesId,
      domain::Day from, const std::vector<domain::KeptOccurrence>& kept, const AuditEntry& audit,
      domain::Instant now) = 0;
  /// The changes of several places (« Dupliquer la semaine ») in one transaction, each with its
  /// audit entry and its row in `changes`: all written, or none. The created ids, per change;
  /// none, and nothing written, when a place's agenda version is no longer the one expected
  /// (two copies confirmed at once would both have planned from the same agenda).
  virtual std::optional<std::vector<std::vector<std::int64_t>>> applyChanges(
      const std::vector<PlaceAgendaChange>& changes, domain::Instant now) = 0;
  virtual domain::Unavailability unavailability(std::int64_t placeId) = 0;
  virtual void saveUnavailability(std::int64_t placeId, const domain::Unavailability& u,
                                  const AuditEntry& audit, domain::Instant now) = 0;
  /// The unavailability and the note for the regulation (« Informations complémentaires »),
  /// read together.
  virtual std::pair<domain::Unavailability, std::string> unavailabilityAndNote(
      std::int64_t placeId) = 0;
  virtual void saveRegulatorNote(std::int64_t placeId, const std::string& note,
                                 const AuditEntry& audit, domain::Instant now) = 0;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual void record(const AuditEntry& entry, domain::Instant now) = 0;
};

}  // namespace sas::app
