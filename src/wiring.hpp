#pragma once
// The one place where the platform's objects are built and connected (docs/architecture.md).
#include <memory>

#include "app/ports/clock.hpp"
#include "config/config.hpp"

namespace sas {

namespace app {
struct AgeingRun;
class AuthService;
class StructureService;
class AgendaService;
class AccountService;
class AdminService;
class Geocoder;
class SearchService;
class OrientationService;
class PublisherService;
class OrientationRepository;
class ApiTokenService;
class PasswordHasher;
class Tokens;
class UserRepository;
class SessionRepository;
class StructureRepository;
class AgendaRepository;
class AuditLog;
}  // namespace app
namespace storage {
class Database;
class SqlAccountStore;
class SqlSearchSource;
}  // namespace storage
namespace geo {
class Gazetteer;
}  // namespace geo
namespace security {
class HashingPool;
}  // namespace security

class Platform {
 public:
  /// Opens the database and migrates it. `clock` defaults to the system clock (moved by
  /// clock.offset_seconds, 0 unless a test sets it).
  explicit Platform(const config::Config& config, const app::Clock* clock = nullptr);
  ~Platform();

  void startServer();
  void stopServer();
  int port() const;
  /// The FHIR listener's port (fhir.listen); 0 when it is off.
  int fhirPort() const;

  const config::Config& config() const { return config_; }
  storage::Database& database();
  /// The storage ports the services are built on (tests and commands read and seed through
  /// them), not the SQL classes behind them.
  struct Ports {
    app::UserRepository& users;
    app::SessionRepository& sessions;
    app::StructureRepository& structures;
    app::AgendaRepository& agenda;
    app::AuditLog& audit;
  };
  Ports ports();
  const app::PasswordHasher& hasher() const;
  /// The bound on Argon2id work every hash goes through; the login service.
  security::HashingPool& hashingPool();
  app::AuthService& auth();
  const app::Clock& clock() const { return *clock_; }
  storage::SqlAccountStore& accountStore();
  app::AccountService& accounts();
  app::AdminService& admin();
  /// What the background jobs do, callable by hand (tests, commands): returns emails sent.
  int deliverMail();
  /// The geocoder in use (offline, or the Base Adresse Nationale when configured).
  app::Geocoder& geocoder();
  int sendExpiryWarnings();
  /// What the background turn does every ten minutes for accounts that age.
  app::AgeingRun ageAccounts();
  /// What the background turn does every ten minutes for places with nothing in the next 72 h:
  /// how many places reminded (docs/rules.md#freshness-reminder).
  int sendFreshnessReminders();
  /// What the background turn does every ten minutes for support requests: how many purged.
  int purgeSupportRequests();
  app::SearchService& search();
  app::OrientationService& orientations();
  /// « Éditeurs interfacés »: the registry and the pulls (docs/rules.md#publishers).
  app::PublisherService& publishers();
  app::OrientationRepository& orientationStore();
  app::ApiTokenService& apiTokens();
  storage::SqlSearchSource& searchStore();
  const geo::Gazetteer& gazetteer() const;

 private:
  config::Config config_;
  app::OffsetClock systemClock_;  // the system clock, moved by clock.offset_seconds (tests)
  const app::Clock* clock_;
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace sas
