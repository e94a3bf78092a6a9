#pragma once
// The server's configuration: a typed struct read from a properties file and SAS_* variables,
// checked as a whole at start (an unknown key or a bad value stops the start, naming it).
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace sas::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Config {
  std::string host = "127.0.0.1";
  int port = 8080;
  int workers = 0;  // threads running the handlers; 0: twice the cores
  std::string baseUrl = "http://localhost:8080";
  std::string databaseUrl = "sqlite:var/sas.sqlite";
  int databasePoolSize = 16;         // at least server.workers: no request waits for a connection
  std::filesystem::path root = ".";  // holds templates/, static/, migrations/
  std::string passwordHashing = "moderate";  // "minimal" is for tests only
  bool secureCookies = false;
  int sessionIdleMinutes = 30;
  int sessionAbsoluteHours = 12;
  int clockOffsetSeconds = 0;  // for tests only: the server's clock runs this much ahead
  std::size_t maxRequestBytes = 64 * 1024;  // a request's body, but on upload routes

  // The HTTP server's transport (docs/deploy.md « Timeouts and limits »).
  int ioThreads = 0;  // threads running the sockets; 0: one per two cores
  std::size_t maxHeaderBytes = 16 * 1024;
  int maxConnections = 10000;
  int headTimeoutMs = 10000;  // a request's head, from the connection or its first byte
  int bodyTimeoutMs = 30000;  // a body's grace, then at least minBodyRate bytes a second
  int minBodyRate = 8192;
  int idleTimeoutMs = 5000;    // keep-alive: waiting for the next request
  int stopGraceSeconds = 20;   // SIGTERM: requests in flight finish within
  std::string trustedProxies;  // addresses or CIDR whose X-Forwarded-For is believed
  std::string metricsAllow = "127.0.0.0/8 ::1";  // who may read /metrics
  bool accessLog = true;                         // one logfmt line per request on standard error

  // Emails: "smtp" to a server, or "file" (.eml files in mailDir: the embedded default).
  std::string mailTransport = "file";
  std::filesystem::path mailDir = "var/mailbox";
  std::string smtpHost = "127.0.0.1";
  int smtpPort = 25;
  bool smtpStartTls = false;
  std::string smtpUsername;
  std::string smtpPassword;  // from SAS_SMTP_PASSWORD only
  std::string mailFrom = "Plateforme SAS <nepasrepondre@sas.localhost>";

  int activationLinkHours = 72;
  int resetLinkHours = 72;
  int emailChangeLinkHours = 72;
  int passwordExpiryMonths = 4;
  int passwordWarningMonths = 3;
  int inactivityWarningMonths = 8;  // docs/rules.md#delegates-and-ageing-accounts
  int inactivityDisableMonths = 9;
  int loginMaxFailures = 5;
  int loginWindowMinutes = 15;
  int loginLockoutMinutes = 15;
  int loginMaxAccountsPerAddress = 10;
  bool backgroundJobs = true;  // outbox sender and expiry warnings; tests drive them by hand
  // The freshness reminder (docs/rules.md#freshness-reminder): on or off, and the hour of the
  // place's day at which it goes out.
  bool freshnessReminder = true;
  int freshnessReminderHour = 8;

  // Password hashing under load (issue 12): at most this many Argon2id hashes at once (0: one
  // per core) and this many more waiting; beyond, 503 with Retry-After. Keep the two together
  // below the server's worker count, so that pages always find a free worker.
  int maxConcurrentHashes = 0;
  int maxWaitingHashes = 1;

  // Regulators' search: the Base Adresse Nationale's URL for street addresses (empty: the
  // offline geocoder of data/communes.csv), and the radius where data/ publishes none.
  std::string geocoderBanUrl;
  int geocoderTimeoutMs = 2000;
  int searchFallbackRadiusKm = 20;
  // A plage stays searched and orientable until this many minutes before its end
  // (docs/rules.md#search).
  int searchPlageClosesMinutesBeforeEnd = 30;
  // The results' count is exact up to this many places, then « plus de … » (docs/api.md).
  int searchCountLimit = 1000;
  // Threads that read the places at once when the search index is built (0: one per core).
  int searchBuildReaders = 0;

  // The search's map (docs/rules.md#search): a raster tile server's URL template ({z}, {x}, {y})
  // and the attribution its licence asks for. Empty (the embedded default, a closed network):
  // no map at all.
  std::string mapTilesUrl;
  std::string mapAttribution;
  /// "https://host[:port]" of mapTilesUrl, which the Content-Security-Policy allows for
  /// images; empty without a tile server.
  std::string mapTilesOrigin() const;

  // Help (docs/rules.md#help): « Formulaire d'assistance » files and routing; content/ (FAQ,
  // training).
  int supportMaxFiles = 3;
  std::size_t supportMaxFileBytes = 10485760;  // 10 Mo
  int supportRetentionDays = 90;               // then a request's body and files are deleted
  int supportMaxPerEmail = 3;                  // requests per typed email in the window
  int supportMaxPerAddress = 10;               // requests per client address in the window
  int supportLimitWindowMinutes = 60;          // the sliding window of both limits
  std::string supportDefaultAddress = "support@sas.localhost";
  std::map<long long, std::string> supportAddressByTerritory;  // territory id → address
  std::map<std::string, std::string> supportAddressBySubject;  // subject code → address

  // Pro Santé Connect (docs/rules.md#psc-first-login). Off while psc.issuer is empty. The
  // client secret comes from SAS_PSC_CLIENT_SECRET only; the redirect URI defaults to
  // base_url + /psc/retour.
  std::string pscIssuer;
  std::string pscDiscoveryUrl;  // empty: issuer + /.well-known/openid-configuration
  std::string pscClientId;
  std::string pscClientSecret;  // from SAS_PSC_CLIENT_SECRET only
  std::string pscRedirectUri;
  std::string pscPostLogoutRedirectUri;
  std::string pscScope = "openid scope_all";
  std::string pscAcrValues = "eidas1";
  std::string pscClientCertificate;  // PEM, mTLS to the token and userinfo endpoints (optional)
  std::string pscClientKey;          // its private key (PEM, unencrypted); both or neither
  std::string pscCaFile;             // PEM CAs trusted for the provider's TLS (empty: system's)
  int pscTimeoutMs = 5000;

  // The FHIR publisher (docs/fhir.md): a second listener, over TLS, serving /fhir only; off
  // while fhir.listen is empty. Certificate, key, client CA and CRL are PEM files, all four
  // needed when it is on.
  std::string fhirListen;          // "host:port" ("[::1]:8443"); port 0: any free one (tests)
  std::string fhirBaseUrl;         // its public address with /fhir; empty: https://<listen>/fhir
  std::string fhirCertificate;     // the server's certificate, then its chain
  std::string fhirKey;             // its private key, unencrypted
  std::string fhirClientCa;        // the CAs that issue the clients' certificates
  std::string fhirClientCrl;       // their revocation lists, one per CA
  std::string fhirAllowedClients;  // "CN/OU, CN/OU": the subjects that may read (empty: none)
  int fhirMaxWindowDays = 7;       // a search's start=le minus start=ge, at most (else 400)
  // Pulling the interfaced publishers (docs/rules.md#publishers).
  int fhirPullConcurrency = 4;  // requests at once per publisher
  int fhirPullTimeoutSeconds = 10;
  int fhirPullAttempts = 3;
  int fhirPullRetryMs = 500;  // the first retry's wait, doubled for each next one (at most 5 s)

  std::filesystem::path contentDir() const { return root / "content"; }
  std::filesystem::path templatesDir() const { return root / "templates"; }
  std::filesystem::path staticDir() const { return root / "static"; }
  std::filesystem::path migrationsDir() const { return root / "migrations"; }
  std::filesystem::path dataDir() const { return root / "data"; }
  std::filesystem::path emailTemplatesDir() const { return root / "templates" / "email"; }
};

/// "host:port" of a listener: an IPv6 host in brackets ("[::1]:8443"), a port from 0 to 65535.
struct ListenAddress {
  std::string host;
  int port = 0;
};
std::optional<ListenAddress> parseListenAddress(const std::string& text);

/// Reads `file` when it is not empty, then the environment (SAS_DATABASE_URL, SAS_PORT,
/// SAS_HOST, SAS_ROOT, SAS_BASE_URL, SAS_SMTP_PASSWORD, SAS_MAIL_DIR), then checks every value.
Config loadConfig(const std::string& file, const std::map<std::string, std::string>& environment);

/// The SAS_* variables of this process.
std::map<std::string, std::string> processEnvironment();

}  // namespace sas::config
