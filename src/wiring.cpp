#include "wiring.hpp"

#include <Poco/Logger.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/account_service.hpp"
#include "app/admin_service.hpp"
#include "app/agenda_service.hpp"
#include "app/auth_service.hpp"
#include "app/structure_service.hpp"
#include "http/pages/pages.hpp"
#include "http/server.hpp"
#include "http/views.hpp"
#include "mail/mail.hpp"
#include "security/sodium.hpp"
#include "storage/account_store.hpp"
#include "storage/database.hpp"
#include "storage/sql_store.hpp"

namespace sas {

namespace {

std::unique_ptr<app::MailTransport> makeTransport(const config::Config& c) {
  if (c.mailTransport == "smtp")
    return std::make_unique<mail::SmtpTransport>(mail::SmtpSettings{
        c.smtpHost, c.smtpPort, c.smtpStartTls, c.smtpUsername, c.smtpPassword, c.mailFrom, 10});
  return std::make_unique<mail::FileTransport>(c.mailDir, c.mailFrom);
}

/// Runs the outbox sender every few seconds and the expiry warnings every ten minutes.
class BackgroundJobs {
 public:
  BackgroundJobs(app::OutboxSender& sender, app::AccountService& accounts)
      : sender_(sender), accounts_(accounts), thread_([this] { run(); }) {}
  ~BackgroundJobs() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void run() {
    auto& log = Poco::Logger::get("sas.jobs");
    auto nextWarnings = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stop_) {
      lock.unlock();
      try {
        sender_.deliverDue();
        if (std::chrono::steady_clock::now() >= nextWarnings) {
          accounts_.sendExpiryWarnings();
          nextWarnings = std::chrono::steady_clock::now() + std::chrono::minutes{10};
        }
      } catch (const std::exception& e) {
        log.error("background job: %s", std::string(e.what()));
      }
      lock.lock();
      wake_.wait_for(lock, std::chrono::seconds{5}, [this] { return stop_; });
    }
  }

  app::OutboxSender& sender_;
  app::AccountService& accounts_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

struct Platform::Parts {
  storage::Database database;
  storage::SqlStore store;
  storage::SqlAccountStore accountStore;
  security::Argon2Hasher hasher;
  security::SodiumTokens tokens;
  mail::MustacheEmailTemplates emailTemplates;
  std::unique_ptr<app::MailTransport> transport;
  app::AuthService auth;
  app::StructureService structures;
  app::AgendaService agenda;
  app::AccountService accounts;
  app::AdminService admin;
  app::OutboxSender sender;
  http::Views views;
  http::PageServices pages;
  http::AccountPageServices accountPages;
  std::unique_ptr<http::WebServer> server;
  std::unique_ptr<BackgroundJobs> jobs;

  Parts(const config::Config& c, const app::Clock& clock)
      : database(c.databaseUrl, static_cast<std::size_t>(c.databasePoolSize)),
        store(database),
        accountStore(database),
        hasher(c.passwordHashing == "minimal" ? security::Argon2Cost::minimal()
                                              : security::Argon2Cost::moderate()),
        emailTemplates(c.emailTemplatesDir()),
        transport(makeTransport(c)),
        auth(store, store, store, accountStore, hasher, tokens, clock,
             app::SessionLimits{std::chrono::minutes{c.sessionIdleMinutes},
                                std::chrono::hours{c.sessionAbsoluteHours},
                                std::chrono::seconds{60}},
             domain::ThrottlePolicy{c.loginMaxFailures, std::chrono::minutes{c.loginWindowMinutes},
                                    std::chrono::minutes{c.loginLockoutMinutes},
                                    c.loginMaxAccountsPerAddress},
             domain::PasswordAgePolicy{c.passwordExpiryMonths, c.passwordWarningMonths}),
        structures(store, store, clock),
        agenda(store, store, clock),
        accounts(store, accountStore, auth, hasher, tokens, emailTemplates, clock,
                 app::AccountSettings{c.baseUrl,
                                      std::chrono::hours{c.activationLinkHours},
                                      std::chrono::hours{c.resetLinkHours},
                                      std::chrono::hours{c.emailChangeLinkHours},
                                      {c.passwordExpiryMonths, c.passwordWarningMonths}}),
        admin(store, accountStore, accounts, clock),
        sender(accountStore, *transport, clock),
        views(c.templatesDir()),
        pages{auth, structures, agenda, clock, views},
        accountPages{auth, accounts, admin, views} {
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
  http::addAccountPages(router, parts_->accountPages);
  http::addAdminPages(router, parts_->accountPages);
  http::ServerOptions options{config_.host,          config_.port,
                              config_.threads,       config_.maxRequestBytes,
                              config_.secureCookies, config_.staticDir()};
  parts_->server = std::make_unique<http::WebServer>(options, parts_->auth, parts_->tokens,
                                                     parts_->views, std::move(router));
  parts_->server->start();
  if (config_.backgroundJobs)
    parts_->jobs = std::make_unique<BackgroundJobs>(parts_->sender, parts_->accounts);
}

void Platform::stopServer() {
  if (parts_) parts_->jobs.reset();
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
storage::SqlAccountStore& Platform::accountStore() {
  return parts_->accountStore;
}
app::AccountService& Platform::accounts() {
  return parts_->accounts;
}
app::AdminService& Platform::admin() {
  return parts_->admin;
}
int Platform::deliverMail() {
  return parts_->sender.deliverDue();
}
int Platform::sendExpiryWarnings() {
  return parts_->accounts.sendExpiryWarnings();
}

}  // namespace sas
