#pragma once
// What orientations need from storage (docs/rules.md#orientation). Each write is one
// transaction that also records the place's change for every process's search index, and its
// audit entry.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/model.hpp"
#include "app/ports/accounts.hpp"
#include "domain/orientation.hpp"

namespace sas::app {

struct Orientation {
  std::int64_t id = 0;
  domain::Instant madeAt;
  std::int64_t placeId = 0;
  std::int64_t availabilityId = 0;  // 0: « hors créneaux »
  domain::Day occurrenceDate;       // the occurrence's original date in its availability
  domain::Instant start;
  domain::Instant end;  // « hors créneaux »: the start
  domain::OrientationKind kind = domain::OrientationKind::Slot;
  domain::ConsultationTypes types;
  int capacity = 1;
  std::int64_t regulatorId = 0;
  Role regulatorRole = Role::Regulator;
  std::optional<std::int64_t> territoryId;
  std::string reference;  // « Référence du dossier de régulation », may be empty
  domain::OrientationStatus status = domain::OrientationStatus::Pending;
  domain::Instant statusAt;
};

/// An orientation with what the lists and the export show of its place and regulator.
struct OrientationLine {
  Orientation orientation;
  std::string placeName;
  std::string structureName;
  std::string finess;
  std::string siret;
  std::string territoryName;
  /// The national identifier of the professional whose practice place it is (directory), if any.
  std::string nationalId;
};

/// Whom an orientation is told to: the active managers and professionals of the place's
/// structure; and the regulator's territory, named in the email.
struct OrientationContacts {
  std::vector<User> recipients;
  std::string territoryName;
};

class OrientationRepository {
 public:
  virtual ~OrientationRepository() = default;
  /// Stores the orientation; on an occurrence, only if it holds fewer than `capacity` in force
  /// (decided in the database, so that two processes never both take the last place). Returns
  /// the new id and how many the occurrence holds now, or none when it was full. The emails go to
  /// the outbox in the same transaction.
  struct Taken {
    std::int64_t id = 0;
    int taken = 0;
    std::int64_t changeId = 0;  // its row in `changes`
  };
  virtual std::optional<Taken> orient(const Orientation& orientation, int capacity,
                                      const AuditEntry& audit,
                                      const std::vector<EmailMessage>& mails) = 0;
  virtual std::optional<Orientation> findOrientation(std::int64_t id) = 0;
  /// Moves the status from `from` to `to`; false when it was no longer `from` (another user
  /// moved it first). A cancellation frees its place on the occurrence.
  virtual bool moveStatus(std::int64_t id, domain::OrientationStatus from,
                          domain::OrientationStatus to, std::int64_t byUserId,
                          const AuditEntry& audit, domain::Instant now,
                          const std::vector<EmailMessage>& mails = {}) = 0;
  virtual OrientationContacts contacts(std::int64_t structureId,
                                       std::optional<std::int64_t> territoryId) = 0;
  /// The taken occurrences of the place on or after `from` (their original dates).
  virtual std::vector<domain::Taking> takingsOfPlace(std::int64_t placeId, domain::Day from) = 0;
  /// The place's orientations whose occurrence starts in [from, to), by start.
  virtual std::vector<Orientation> orientationsOfPlace(std::int64_t placeId, domain::Instant from,
                                                       domain::Instant to) = 0;
  /// Orientations made in [from, to), of one territory or of all, by date made.
  virtual std::vector<OrientationLine> orientationsMade(
      domain::Instant from, domain::Instant to, std::optional<std::int64_t> territoryId) = 0;
};

}  // namespace sas::app
