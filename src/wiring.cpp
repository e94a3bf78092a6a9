#include "wiring.hpp"

#include "app/agenda_service.hpp"
#include "app/auth_service.hpp"
#include "app/structure_service.hpp"
#include "http/pages/pages.hpp"
#include "http/server.hpp"
#include "http/views.hpp"
#include "security/sodium.hpp"
#include "storage/database.hpp"
#include "storage/sql_store.hpp"

namespace sas {

struct Platform::Parts {
  storage::Database database;
  storage::SqlStore store;
  security::Argon2Hasher hasher;
  security::SodiumTokens tokens;
  app::AuthService auth;
  app::StructureService structures;
  app::AgendaService agenda;
  http::Views views;
  http::PageServices pages;
  std::unique_ptr<http::WebServer> server;

  Parts(const config::Config& c, const app::Clock& clock)
      : database(c.databaseUrl, static_cast<std::size_t>(c.databasePoolSize)),
        store(database),
        hasher(c.passwordHashing == "minimal" ? security::Argon2Cost::minimal()
                                              : security::Argon2Cost::moderate()),
        auth(store, store, store, hasher, tokens, clock,
             app::SessionLimits{std::chrono::minutes{c.sessionIdleMinutes},
                                std::chrono::hours{c.sessionAbsoluteHours},
                                std::chrono::seconds{60}}),
        structures(store, store, clock),
        agenda(store, store, clock),
        views(c.templatesDir()),
        pages{auth, structures, agenda, clock, views} {
    database.migrate(c.migrationsDir());
  }
};

Platform::Platform(const config::Config& config, const app::Clock* clock)
    : config_(config),
      clock_(clock ? clock : &systemClock_),
      parts_(std::make_unique<Parts>(config_, *clock_)) {}

Platform::~Platform() {
  stopServer();
}

void Platform::startServer() {
  http::Router router;
  http::addAuthPages(router, parts_->pages);
  http::addDashboardPages(router, parts_->pages);
  http::addAgendaPages(router, parts_->pages);
  http::ServerOptions options{config_.host,          config_.port,
                              config_.threads,       config_.maxRequestBytes,
                              config_.secureCookies, config_.staticDir()};
  parts_->server = std::make_unique<http::WebServer>(options, parts_->auth, parts_->tokens,
                                                     parts_->views, std::move(router));
  parts_->server->start();
}

void Platform::stopServer() {
  if (parts_ && parts_->server) {
    parts_->server->stop();
    parts_->server.reset();
  }
}

int Platform::port() const {
  return parts_->server ? parts_->server->port() : 0;
}

storage::Database& Platform::database() {
  return parts_->database;
}
storage::SqlStore& Platform::store() {
  return parts_->store;
}
const app::PasswordHasher& Platform::hasher() const {
  return parts_->hasher;
}

}  // namespace sas
