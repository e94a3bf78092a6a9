#include "wiring.hpp"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/URI.h>
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>
#include <tuple>

#include "app/account_service.hpp"
#include "app/admin_service.hpp"
#include "app/agenda_service.hpp"
#include "app/auth_service.hpp"
#include "app/calendar_export.hpp"
#include "app/delegation_service.hpp"
#include "app/freshness_reminders.hpp"
#include "app/journal_service.hpp"
#include "app/operations.hpp"
#include "app/orientation_figures.hpp"
#include "app/orientation_service.hpp"
#include "app/psc_service.hpp"
#include "app/publisher_service.hpp"
#include "app/search_service.hpp"
#include "app/structure_service.hpp"
#include "app/support_service.hpp"
#include "geo/ban_geocoder.hpp"
#include "geo/gazetteer.hpp"
#include "geo/offline_geocoder.hpp"
#include "help/content.hpp"
#include "help/file_inspector.hpp"
#include "http/api/orientation_api.hpp"
#include "http/fhir/access.hpp"
#include "http/fhir/outcome.hpp"
#include "http/fhir/routes.hpp"
#include "http/fhir/search.hpp"
#include "http/pages/agenda_view.hpp"
#include "http/pages/figures_pages.hpp"
#include "http/pages/pages.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "http/views.hpp"
#include "mail/mail.hpp"
#include "oidc/psc_provider.hpp"
#include "publishers/fhir_feed.hpp"
#include "security/hashing_pool.hpp"
#include "security/sodium.hpp"
#include "storage/account_store.hpp"
#include "storage/agenda_store.hpp"
#include "storage/audit_store.hpp"
#include "storage/calendar_link_store.hpp"
#include "storage/database.hpp"
#include "storage/delegation_store.hpp"
#include "storage/health_probe.hpp"
#include "storage/journal_store.hpp"
#include "storage/orientation_store.hpp"
#include "storage/psc_store.hpp"
#include "storage/publisher_store.hpp"
#include "storage/read_snapshots.hpp"
#include "storage/reminder_store.hpp"
#include "storage/search_history_store.hpp"
#include "storage/search_source.hpp"
#include "storage/session_store.hpp"
#include "storage/structure_store.hpp"
#include "storage/support_store.hpp"
#include "storage/user_store.hpp"

namespace sas {

namespace {

std::unique_ptr<app::MailTransport> makeTransport(const config::Config& c) {
  if (c.mailTransport == "smtp")
    return std::make_unique<mail::SmtpTransport>(mail::SmtpSettings{
        c.smtpHost, c.smtpPort, c.smtpStartTls, c.smtpUsername, c.smtpPassword, c.mailFrom, 10});
  return std::make_unique<mail::FileTransport>(c.mailDir, c.mailFrom);
}

/// How a job's thread is scheduled. Idle: only on a core no request wants (Linux's SCHED_IDLE),
/// for work that may wait, as the publishers' pull: a pull of a million slots costs tens of
/// CPU-seconds, which at the same priority made the regulators' searches wait for a core (p99
/// × 21 during a pull, docs/benchmarks.md#publishers-pull-issue-21). Threads the job starts
/// inherit it. Under a load that leaves no core idle the job waits.
enum class JobPriority { Normal, Idle };

/// Runs `task` on a thread of its own, then every `every`, until destroyed.
class PeriodicJob {
 public:
  PeriodicJob(std::chrono::milliseconds every, std::function<void()> task,
              JobPriority priority = JobPriority::Normal)
      : every_(every), task_(std::move(task)), priority_(priority), thread_([this] { run(); }) {}
  ~PeriodicJob() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  PeriodicJob(const PeriodicJob&) = delete;
  PeriodicJob& operator=(const PeriodicJob&) = delete;

 private:
  void run() {
    auto& log = Poco::Logger::get("sas.jobs");
    sched_param none{};
    if (priority_ == JobPriority::Idle && sched_setscheduler(0, SCHED_IDLE, &none) != 0)
      log.warning("background job at normal priority: SCHED_IDLE refused (%s)",
                  std::string(std::strerror(errno)));
    std::unique_lock lock(mutex_);
    while (!stop_) {
      lock.unlock();
      try {
        task_();
      } catch (const std::exception& e) {
        log.error("background job: %s", std::string(e.what()));
      }
      lock.lock();
      wake_.wait_for(lock, every_, [this] { return stop_; });
    }
  }

  std::chrono::milliseconds every_;
  std::function<void()> task_;
  JobPriority priority_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: started once the rest is ready
};

/// The outbox sender every few seconds and the expiry and inactivity warnings every ten minutes
/// (each email and warning is claimed in the database, so every process runs them); and the search
/// index kept by a thread of its own: the changes of other processes four times a second, and the
/// next index built before time passes the horizon of the one in use.
class BackgroundJobs {
 public:
  BackgroundJobs(app::OutboxSender& sender, app::AccountService& accounts,
                 app::SearchService& search, app::SupportService& support,
                 app::FreshnessReminders& reminders, app::PublisherService& publishers)
      : mail_(std::chrono::seconds{5},
              [&sender, &accounts, &support, &reminders,
               next = std::chrono::steady_clock::now()]() mutable {
                sender.deliverDue();
                if (std::chrono::steady_clock::now() < next) return;
                // Due again in ten minutes whatever happens below: a job that fails is tried
                // then, not at every tick, and does not stop the others.
                next = std::chrono::steady_clock::now() + std::chrono::minutes{10};
                auto& log = Poco::Logger::get("sas.jobs");
                const auto run = [&log](const char* what, const auto& job) {
                  try {
                    job();
                  } catch (const std::exception& e) {
                    log.error("%s: %s", std::string(what), std::string(e.what()));
                  }
                };
                run("password-expiry warnings", [&] {
                  if (const int n = accounts.sendExpiryWarnings(); n > 0)
                    log.information("password-expiry warnings queued: %d", n);
                });
                // Accounts that age: warned at 8 months unused, disabled at 9.
                run("inactive accounts", [&] {
                  if (const auto aged = accounts.ageAccounts(); aged.warned + aged.disabled > 0)
                    log.information("inactive accounts: %d warned, %d disabled", aged.warned,
                                    aged.disabled);
                });
                // Support requests past support.retention_days lose their body and files.
                run("support purge", [&] {
                  if (const int n = support.purgeExpired(); n > 0)
                    log.information("support requests purged: %d", n);
                });
                // Places with nothing in the next 72 h (reminders.freshness_*).
                run("freshness reminders", [&] {
                  if (const int n = reminders.sendDue(); n > 0)
                    log.information("freshness reminders: %d places", n);
                });
              }),
        index_(std::chrono::milliseconds{250}, [&search] { search.maintain(); }),
        // Its own thread: a pull waits on the publishers' answers (docs/rules.md#publishers);
        // idle, so that a pull takes only the cores the requests leave.
        publishers_(
            std::chrono::seconds{5},
            [&publishers] {
              auto& log = Poco::Logger::get("sas.publishers");
              for (const auto& r : publishers.pullDue()) {
                const auto& h = r.health;
                if (r.dropped)
                  log.warning(
                      "publisher %s: its slots left the search (switched off, or no answer "
                      "for 30 minutes), %z places",
                      r.publisher, r.changedPlaces.size());
                if (r.ran && r.succeeded)
                  log.information(
                      "publisher %s: %d professionals, %d slots, %d unmatched, %z places "
                      "changed, %Ld ms, refused: %s",
                      r.publisher, h.professionals, h.received, h.unmatched, r.changedPlaces.size(),
                      static_cast<Poco::Int64>(h.lastDuration.count()),
                      h.errors.empty() ? std::string{"none"} : h.errors);
                else if (r.ran)
                  log.warning("publisher %s: pull failed (%s), %d failures in a row", r.publisher,
                              h.errors, h.breakerFailures);
              }
            },
            JobPriority::Idle) {}

 private:
  PeriodicJob mail_;
  PeriodicJob index_;
  PeriodicJob publishers_;
};

/// The site's host ("sas.sante.fr" out of its base URL): it ends the feeds' event UIDs.
/// POCO refuses port 0, which the commands that serve nothing (`sas migrate` in the browser
/// tests) may be given: their feeds are never read, so the fallback does.
std::string hostOf(const std::string& baseUrl) {
  try {
    const auto host = Poco::URI(baseUrl).getHost();
    if (!host.empty()) return host;
  } catch (const Poco::SyntaxException&) {
    // port 0, or no URL at all: the fallback below
  }
  return "sas.localhost";
}

app::SearchSettings searchSettings(const config::Config& c) {
  app::SearchSettings s;
  s.fallbackRadiusKm = c.searchFallbackRadiusKm;
  s.plageClosesBeforeEnd = std::chrono::minutes{c.searchPlageClosesMinutesBeforeEnd};
  s.countLimit = static_cast<std::size_t>(c.searchCountLimit);
  if (c.searchBuildReaders > 0) s.buildReaders = static_cast<std::size_t>(c.searchBuildReaders);
  s.rebuildInBackground = c.backgroundJobs;  // BackgroundJobs keeps the index
  if (!c.fhirListen.empty()) {               // the FHIR searches read up to max_window_days ahead
    s.publishedDays = c.fhirMaxWindowDays + 1;
    s.horizonDays = std::max(s.horizonDays, s.publishedDays + 2);
  }
  return s;
}

app::PullSettings pullSettings(const config::Config& c) {
  app::PullSettings s;
  s.concurrency = c.fhirPullConcurrency;
  s.limits.timeout = std::chrono::seconds{c.fhirPullTimeoutSeconds};
  s.attempts = c.fhirPullAttempts;
  s.retryBase = std::chrono::milliseconds{c.fhirPullRetryMs};
  s.tellIndex = !c.backgroundJobs;  // else the job applies the pull's change rows
  return s;
}

app::SupportSettings supportSettings(const config::Config& c) {
  app::SupportSettings s;
  s.maxFiles = c.supportMaxFiles;
  s.maxFileBytes = c.supportMaxFileBytes;
  s.retention = std::chrono::hours{24} * c.supportRetentionDays;
  s.quota = {c.supportMaxPerEmail, c.supportMaxPerAddress,
             std::chrono::minutes{c.supportLimitWindowMinutes}};
  s.defaultAddress = c.supportDefaultAddress;
  for (const auto& [id, address] : c.supportAddressByTerritory) s.addressByTerritory[id] = address;
  s.addressBySubject = c.supportAddressBySubject;
  return s;
}

/// Pro Santé Connect's relying party, when psc.issuer is set.
std::unique_ptr<oidc::PscProvider> makePscProvider(const config::Config& c) {
  if (c.pscIssuer.empty()) return nullptr;
  std::string base = c.baseUrl;
  while (!base.empty() && base.back() == '/') base.pop_back();
  oidc::ClientSettings s;
  s.issuer = c.pscIssuer;
  s.discoveryUrl = c.pscDiscoveryUrl;
  s.clientId = c.pscClientId;
  s.clientSecret = c.pscClientSecret;
  s.redirectUri = c.pscRedirectUri.empty() ? base + "/psc/retour" : c.pscRedirectUri;
  s.scope = c.pscScope;
  s.acrValues = c.pscAcrValues;
  s.clientCertificate = c.pscClientCertificate;
  s.clientKey = c.pscClientKey;
  s.caFile = c.pscCaFile;
  s.timeout = std::chrono::milliseconds{c.pscTimeoutMs};
  return std::make_unique<oidc::PscProvider>(s, c.pscPostLogoutRedirectUri.empty()
                                                    ? base + "/connexion?deconnecte=1"
                                                    : c.pscPostLogoutRedirectUri);
}

/// The HTTP server's options from the configuration (the server.* keys, docs/deploy.md).
http::ServerOptions serverOptions(const config::Config& c) {
  http::ServerOptions o;
  o.host = c.host;
  o.port = c.port;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.workers = c.workers > 0 ? c.workers : 2 * cores;
  // One I/O thread per core: with one on 2 cores, it was the agenda page's bottleneck at 256
  // connections (p99 59 ms against 36 ms with two, docs/benchmarks.md).
  o.ioThreads = c.ioThreads > 0 ? c.ioThreads : std::max(1, cores);
  o.maxRequestBytes = c.maxRequestBytes;
  o.maxHeaderBytes = c.maxHeaderBytes;
  o.maxConnections = static_cast<std::size_t>(c.maxConnections);
  o.headTimeout = std::chrono::milliseconds{c.headTimeoutMs};
  o.bodyTimeout = std::chrono::milliseconds{c.bodyTimeoutMs};
  o.minBodyBytesPerSecond = static_cast<std::size_t>(c.minBodyRate);
  o.idleTimeout = std::chrono::milliseconds{c.idleTimeoutMs};
  o.stopGrace = std::chrono::seconds{c.stopGraceSeconds};
  o.secureCookies = c.secureCookies;
  o.accessLog = c.accessLog;
  o.staticDir = c.staticDir();
  o.imageOrigin = c.mapTilesOrigin();  // the search map's tiles
  for (const auto& [key, text, ranges] :
       {std::tuple<const char*, const std::string&, std::vector<http::AddressRange>&>{
            "server.trusted_proxies", c.trustedProxies, o.trustedProxies},
        {"server.metrics_allow", c.metricsAllow, o.metricsAllow}}) {
    std::string bad;
    auto parsed = http::parseRanges(text, &bad);
    if (!parsed)
      throw config::ConfigError(std::string(key) + " : « " + bad +
                                " » n'est ni une adresse IP ni un réseau (CIDR)");
    ranges = std::move(*parsed);
  }
  return o;
}

/// The FHIR listener's public address with /fhir (fhir.base_url, else from fhir.listen).
std::string fhirBaseUrl(const config::Config& c) {
  std::string base = c.fhirBaseUrl.empty() ? "https://" + c.fhirListen + "/fhir" : c.fhirBaseUrl;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

/// The FHIR listener (fhir.*, docs/fhir.md): its address and TLS files, and its front over
/// `routes` for the clients of fhir.allowed_clients.
http::TlsListenerOptions fhirListener(const config::Config& c, http::fhir::Routes routes) {
  const auto address = config::parseListenAddress(c.fhirListen);
  if (!address)
    throw config::ConfigError("fhir.listen = '" + c.fhirListen +
                              "' : hôte:port attendu (par exemple 127.0.0.1:8443)");
  std::string bad;
  auto allowed = http::fhir::parseAllowedClients(c.fhirAllowedClients, &bad);
  if (!allowed)
    throw config::ConfigError("fhir.allowed_clients : « " + bad +
                              " » n'est pas de la forme CN/OU (par exemple lrm-paris/SAMU 75)");
  http::TlsListenerOptions o;
  o.host = address->host;
  o.port = address->port;
  o.certificate = c.fhirCertificate;
  o.key = c.fhirKey;
  o.clientCa = c.fhirClientCa;
  o.clientCrl = c.fhirClientCrl;
  o.handler = http::fhir::front(std::move(routes), std::move(*allowed));
  o.refusal = [](const http::Request& request, const http::Refusal& refusal) {
    return http::fhir::refusalResponse(request, refusal);
  };
  return o;
}

}  // namespace

struct Platform::Parts {
  storage::Database database;
  storage::SqlUserStore users;
  storage::SqlSessionStore sessions;
  storage::SqlStructureStore structureStore;
  storage::SqlAgendaStore agendaStore;
  storage::SqlOrientationStore orientationStore;  // before the services that read it
  storage::SqlReadSnapshots readSnapshots;
  storage::SqlAuditLog audit;
  storage::SqlAccountStore accountStore;
  storage::SqlDelegationStore delegationStore;
  security::Argon2Hasher argon2;
  security::HashingPool hashingPool;  // issue 12: bounded Argon2id work
  security::PooledHasher hasher;
  security::SodiumTokens tokens;
  mail::MustacheEmailTemplates emailTemplates;
  std::unique_ptr<app::MailTransport> transport;
  app::AuthService auth;
  app::StructureService structures;
  app::WeekCache weekCache;
  app::AgendaService agenda;
  app::AccountService accounts;
  app::AdminService admin;
  storage::SqlJournalStore journalStore;
  app::JournalService journal;
  app::DelegationService delegations;
  storage::SqlCalendarLinkStore calendarLinks;
  storage::SqlReminderStore reminderStore;
  app::CalendarExportService calendar;
  app::OutboxSender sender;
  app::FreshnessReminders reminders;
  http::Views views;
  http::AgendaGrids agendaGrids;
  http::PageServices pages;
  http::AccountPageServices accountPages;
  geo::Gazetteer gazetteer;
  geo::OfflineGeocoder offlineGeocoder;
  std::unique_ptr<geo::BanGeocoder> banGeocoder;
  storage::SqlSearchSource searchSource;
  app::SearchService search;
  storage::SqlPublisherStore publisherStore;
  publishers::FhirPublisherFeed publisherFeed;
  app::PublisherService publisherService;
  http::PublisherPageServices publisherPages;
  app::ApiTokenService apiTokens;
  storage::SqlSearchHistoryStore searchHistoryStore;
  app::SearchHistory searchHistory;
  app::OrientationService orientations;
  http::SearchPageServices searchPages;
  http::OrientationPageServices orientationPages;
  http::OrientationApiServices orientationApi;
  app::OrientationFigures figures;
  http::FiguresPageServices figuresPages;
  storage::SqlHealthProbe probe;
  app::OperationsService operations;
  http::Metrics metrics;
  http::OpsServices ops;
  storage::SqlSupportStore supportStore;
  help::MagicFileInspector fileInspector;
  help::FaqFiles faq;
  help::TrainingFiles training;
  app::SupportService support;
  http::HelpPageServices helpPages;
  storage::SqlPscStore pscStore;
  std::unique_ptr<oidc::PscProvider> pscProvider;
  std::unique_ptr<app::PscService> psc;
  http::PscPageServices pscPages;
  std::unique_ptr<http::WebServer> server;
  std::unique_ptr<BackgroundJobs> jobs;

  Parts(const config::Config& c, const app::Clock& clock)
      : database(c.databaseUrl, static_cast<std::size_t>(c.databasePoolSize)),
        users(database),
        sessions(database),
        structureStore(database, clock),
        agendaStore(database),
        orientationStore(database),
        readSnapshots(database),
        audit(database),
        accountStore(database),
        delegationStore(database),
        argon2(c.passwordHashing == "minimal" ? security::Argon2Cost::minimal()
                                              : security::Argon2Cost::moderate()),
        hashingPool(security::HashingLimits{
            // Default: one core fewer than the machine has, so that pages keep a core while
            // logins flood (measured: agenda p99 51 ms with 2 hashes on 2 cores, 28 ms with 1).
            c.maxConcurrentHashes > 0
                ? c.maxConcurrentHashes
                : static_cast<int>(std::max(2u, std::thread::hardware_concurrency())) - 1,
            c.maxWaitingHashes, std::chrono::seconds{1}}),
        hasher(argon2, hashingPool),
        emailTemplates(c.emailTemplatesDir()),
        transport(makeTransport(c)),
        auth(users, sessions, audit, accountStore, hasher, tokens, clock,
             app::SessionLimits{std::chrono::minutes{c.sessionIdleMinutes},
                                std::chrono::hours{c.sessionAbsoluteHours},
                                std::chrono::seconds{60}},
             domain::ThrottlePolicy{c.loginMaxFailures, std::chrono::minutes{c.loginWindowMinutes},
                                    std::chrono::minutes{c.loginLockoutMinutes},
                                    c.loginMaxAccountsPerAddress},
             domain::PasswordAgePolicy{c.passwordExpiryMonths, c.passwordWarningMonths}),
        structures(structureStore, agendaStore, orientationStore, clock),
        agenda(structureStore, agendaStore, orientationStore, clock),
        accounts(users, accountStore, auth, hasher, tokens, emailTemplates, clock,
                 app::AccountSettings{c.baseUrl,
                                      std::chrono::hours{c.activationLinkHours},
                                      std::chrono::hours{c.resetLinkHours},
                                      std::chrono::hours{c.emailChangeLinkHours},
                                      {c.passwordExpiryMonths, c.passwordWarningMonths},
                                      {c.inactivityWarningMonths, c.inactivityDisableMonths}}),
        admin(users, accountStore, accounts, audit, clock, &delegationStore),
        journalStore(database),
        journal(journalStore, users),
        delegations(delegationStore, users, structureStore, clock),
        calendarLinks(database),
        reminderStore(database),
        calendar(agenda, structureStore, agendaStore, orientationStore, calendarLinks, tokens,
                 clock, c.baseUrl, hostOf(c.baseUrl)),
        sender(accountStore, *transport, clock),
        reminders(reminderStore, agendaStore, orientationStore, emailTemplates, clock,
                  app::FreshnessSettings{c.freshnessReminder, c.freshnessReminderHour, c.baseUrl}),
        views(c.templatesDir(), [files = std::make_shared<http::StaticFiles>(c.staticDir())](
                                    const std::string& file) { return files->url(file); }),
        pages{auth, structures, agenda, clock, views},
        accountPages{auth, accounts, admin, views},
        gazetteer(c.dataDir()),
        offlineGeocoder(gazetteer),
        banGeocoder(c.geocoderBanUrl.empty()
                        ? nullptr
                        : std::make_unique<geo::BanGeocoder>(
                              c.geocoderBanUrl, std::chrono::milliseconds{c.geocoderTimeoutMs},
                              offlineGeocoder)),
        searchSource(database),
        search(searchSource,
               banGeocoder ? static_cast<app::Geocoder&>(*banGeocoder) : offlineGeocoder, gazetteer,
               clock, searchSettings(c)),
        publisherStore(database),
        // Our places' identifier system, as our own FHIR publisher writes it.
        publisherFeed(c.baseUrl + "/lieux"),
        publisherService(publisherStore, publisherFeed, search, clock, pullSettings(c)),
        publisherPages{publisherService, clock, views},
        apiTokens(searchSource, users, tokens, clock),
        searchHistoryStore(database),
        searchHistory(searchHistoryStore, clock),
        orientations(structureStore, agendaStore, orientationStore, readSnapshots, emailTemplates,
                     clock,
                     app::OrientationSettings{
                         c.baseUrl, std::chrono::minutes{c.searchPlageClosesMinutesBeforeEnd}}),
        searchPages{search,        apiTokens, clock, views, {c.mapTilesUrl, c.mapAttribution},
                    &searchHistory},
        orientationPages{orientations, views},
        orientationApi{orientations, orientationStore, apiTokens, views},
        figures(orientationStore, structureStore, clock),
        figuresPages{figures, views},
        probe(database),
        operations(probe, search, clock),
        ops{operations, metrics, {}},
        supportStore(database),
        faq(c.contentDir() / "faq"),
        training(c.contentDir() / "formation"),
        support(supportStore, accountStore, fileInspector, emailTemplates, tokens, clock,
                supportSettings(c)),
        helpPages{support, faq, training, views},
        pscStore(database),
        pscProvider(makePscProvider(c)),
        psc(pscProvider
                ? std::make_unique<app::PscService>(
                      *pscProvider, pscStore, pscStore, users, structureStore,
                      banGeocoder ? static_cast<app::Geocoder&>(*banGeocoder) : offlineGeocoder,
                      auth, audit, tokens, emailTemplates, clock, app::PscSettings{c.baseUrl})
                : nullptr),
        pscPages{auth, psc.get(), views} {
    pages.psc = psc.get();
    pages.orientations = &orientations;
    accountPages.journal = &journal;
    pages.grids = &agendaGrids;
    pages.delegations = &delegations;
    pages.calendar = &calendar;
    pages.publishers = &publisherService;
    structures.setPulledSlots(publisherStore);
    accountPages.publishers = &publisherService;
    database.migrate(c.migrationsDir());
    // The search index hears of every committed change (it is built when the server starts).
    agenda.addListener(search);
    agenda.keepWeeksIn(weekCache);
    // The self-check says what the search does (docs/rules.md#visibility-self-check).
    agenda.setPlageClosesBeforeEnd(std::chrono::minutes{c.searchPlageClosesMinutesBeforeEnd});
    structures.setPlageClosesBeforeEnd(std::chrono::minutes{c.searchPlageClosesMinutesBeforeEnd});
    structures.addListener(search);
    orientations.addListener(search);
  }
};

Platform::Platform(const config::Config& config, const app::Clock* clock)
    : config_(config),
      systemClock_(std::chrono::seconds{config_.clockOffsetSeconds}),
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
  http::addDelegationPages(router, parts_->pages);
  http::addCalendarPages(router, parts_->pages);
  http::addAccountPages(router, parts_->accountPages);
  http::addAdminPages(router, parts_->accountPages);
  http::addPublisherPages(router, parts_->publisherPages);
  http::addJournalPages(router, parts_->accountPages);
  http::addOpsPages(router, parts_->ops);
  http::addSearchPages(router, parts_->searchPages);
  http::addSearchApi(router, parts_->searchPages);
  http::addOrientationPages(router, parts_->orientationPages);
  http::addOrientationApi(router, parts_->orientationApi);
  http::addFiguresPages(router, parts_->figuresPages);
  http::addHelpPages(router, parts_->helpPages);
  http::addPscPages(router, parts_->pscPages);
  auto options = serverOptions(config_);
  if (auto* provider = parts_->pscProvider.get())
    options.formActionOrigins = [provider] { return provider->formActionOrigins(); };
  // « Formulaire d'assistance » takes up to maxFiles files of maxFileBytes, plus the fields.
  options.uploadRoutes.push_back(
      {"/assistance",
       static_cast<std::size_t>(config_.supportMaxFiles) * config_.supportMaxFileBytes +
           config_.maxRequestBytes,
       config_.supportMaxFileBytes, config_.supportMaxFiles});
  // The FHIR publisher (issue 20), on a listener of its own when fhir.listen is set: the
  // CapabilityStatement here, the searches beside it in fhir.forClients.
  if (!config_.fhirListen.empty()) {
    http::fhir::Routes fhir;
    http::fhir::addMetadata(fhir, {fhirBaseUrl(config_)});
    http::fhir::addSearches(fhir, parts_->search,
                            {fhirBaseUrl(config_), config_.baseUrl, config_.fhirMaxWindowDays});
    options.tls = fhirListener(config_, std::move(fhir));
  }
  parts_->search.rebuild();  // the search index, from the database
  parts_->server = std::make_unique<http::WebServer>(
      options, parts_->auth, parts_->tokens, parts_->views, std::move(router), parts_->metrics);
  parts_->server->start();
  if (config_.backgroundJobs)
    parts_->jobs = std::make_unique<BackgroundJobs>(parts_->sender, parts_->accounts,
                                                    parts_->search, parts_->support,
                                                    parts_->reminders, parts_->publisherService);
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

int Platform::fhirPort() const {
  return parts_->server ? parts_->server->tlsPort() : 0;
}

storage::Database& Platform::database() {
  return parts_->database;
}
Platform::Ports Platform::ports() {
  auto& p = *parts_;
  return {p.users, p.sessions, p.structureStore, p.agendaStore, p.audit};
}
const app::PasswordHasher& Platform::hasher() const {
  return parts_->hasher;
}
security::HashingPool& Platform::hashingPool() {
  return parts_->hashingPool;
}
app::AuthService& Platform::auth() {
  return parts_->auth;
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
app::Geocoder& Platform::geocoder() {
  if (parts_->banGeocoder) return *parts_->banGeocoder;
  return parts_->offlineGeocoder;
}
int Platform::deliverMail() {
  return parts_->sender.deliverDue();
}
app::SearchService& Platform::search() {
  return parts_->search;
}

app::PublisherService& Platform::publishers() {
  return parts_->publisherService;
}

app::OrientationService& Platform::orientations() {
  return parts_->orientations;
}

app::OrientationRepository& Platform::orientationStore() {
  return parts_->orientationStore;
}
app::ApiTokenService& Platform::apiTokens() {
  return parts_->apiTokens;
}
storage::SqlSearchSource& Platform::searchStore() {
  return parts_->searchSource;
}
const geo::Gazetteer& Platform::gazetteer() const {
  return parts_->gazetteer;
}
int Platform::sendExpiryWarnings() {
  return parts_->accounts.sendExpiryWarnings();
}
app::AgeingRun Platform::ageAccounts() {
  return parts_->accounts.ageAccounts();
}
int Platform::sendFreshnessReminders() {
  return parts_->reminders.sendDue();
}
int Platform::purgeSupportRequests() {
  return parts_->support.purgeExpired();
}

}  // namespace sas
