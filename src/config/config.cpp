#include "config/config.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <charconv>
#include <cstdlib>
#include <utility>
#include <variant>
#include <vector>

extern char** environ;

namespace sas::config {
namespace {

int toInt(const std::string& key, const std::string& value, int min, int max) {
  int out = 0;
  const auto* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, out);
  if (ec != std::errc{} || ptr != end || out < min || out > max)
    throw ConfigError(key + " = '" + value + "' : un nombre entier entre " + std::to_string(min) +
                      " et " + std::to_string(max) + " est attendu");
  return out;
}

bool toBool(const std::string& key, const std::string& value) {
  if (value == "true") return true;
  if (value == "false") return false;
  throw ConfigError(key + " = '" + value + "' : true ou false est attendu");
}

// What a key of the file sets, and the bounds of a number (checked by toInt).
struct Number {
  int Config::*field;
  int min, max;
};
struct Size {
  std::size_t Config::*field;
  int min, max;
};
using Field = std::variant<std::string Config::*, std::filesystem::path Config::*, bool Config::*,
                           Number, Size>;

// Every key the file may hold: one line each, so that adding a setting is adding a line.
const std::map<std::string, Field>& fields() {
  static const std::map<std::string, Field> table{
      {"server.host", &Config::host},
      {"server.port", Number{&Config::port, 0, 65535}},
      // The HTTP server's transport. server.threads is the former name of server.workers.
      {"server.workers", Number{&Config::workers, 0, 1024}},
      {"server.threads", Number{&Config::workers, 0, 1024}},
      {"server.io_threads", Number{&Config::ioThreads, 0, 64}},
      {"server.max_header_bytes", Size{&Config::maxHeaderBytes, 1024, 1024 * 1024}},
      {"server.max_connections", Number{&Config::maxConnections, 1, 1000000}},
      {"server.head_timeout_ms", Number{&Config::headTimeoutMs, 100, 600000}},
      {"server.body_timeout_ms", Number{&Config::bodyTimeoutMs, 100, 3600000}},
      {"server.min_body_rate_bytes", Number{&Config::minBodyRate, 1, 1 << 30}},
      {"server.idle_timeout_ms", Number{&Config::idleTimeoutMs, 100, 600000}},
      {"server.stop_grace_seconds", Number{&Config::stopGraceSeconds, 0, 24}},
      {"server.trusted_proxies", &Config::trustedProxies},
      {"server.metrics_allow", &Config::metricsAllow},
      {"server.access_log", &Config::accessLog},
      {"server.base_url", &Config::baseUrl},
      {"server.max_request_bytes", Size{&Config::maxRequestBytes, 1024, 256 * 1024 * 1024}},
      {"database.url", &Config::databaseUrl},
      {"database.pool_size", Number{&Config::databasePoolSize, 1, 256}},
      {"paths.root", &Config::root},
      {"security.password_hashing", &Config::passwordHashing},
      {"security.secure_cookies", &Config::secureCookies},
      {"session.idle_minutes", Number{&Config::sessionIdleMinutes, 1, 24 * 60}},
      {"mail.transport", &Config::mailTransport},
      {"mail.dir", &Config::mailDir},
      {"mail.smtp_host", &Config::smtpHost},
      {"mail.smtp_port", Number{&Config::smtpPort, 1, 65535}},
      {"mail.smtp_starttls", &Config::smtpStartTls},
      {"mail.smtp_username", &Config::smtpUsername},
      {"mail.from", &Config::mailFrom},
      {"accounts.activation_link_hours", Number{&Config::activationLinkHours, 1, 24 * 30}},
      {"accounts.reset_link_hours", Number{&Config::resetLinkHours, 1, 24 * 30}},
      {"accounts.email_change_link_hours", Number{&Config::emailChangeLinkHours, 1, 24 * 30}},
      {"accounts.password_expiry_months", Number{&Config::passwordExpiryMonths, 1, 120}},
      {"accounts.password_warning_months", Number{&Config::passwordWarningMonths, 1, 120}},
      {"accounts.inactivity_warning_months", Number{&Config::inactivityWarningMonths, 1, 120}},
      {"accounts.inactivity_disable_months", Number{&Config::inactivityDisableMonths, 1, 120}},
      {"login.max_failures", Number{&Config::loginMaxFailures, 1, 1000}},
      {"login.window_minutes", Number{&Config::loginWindowMinutes, 1, 24 * 60}},
      {"login.lockout_minutes", Number{&Config::loginLockoutMinutes, 1, 24 * 60}},
      {"login.max_accounts_per_address", Number{&Config::loginMaxAccountsPerAddress, 1, 100000}},
      {"jobs.enabled", &Config::backgroundJobs},
      {"reminders.freshness_enabled", &Config::freshnessReminder},
      {"reminders.freshness_hour", Number{&Config::freshnessReminderHour, 0, 23}},
      {"geocoder.ban_url", &Config::geocoderBanUrl},
      {"geocoder.timeout_ms", Number{&Config::geocoderTimeoutMs, 100, 60000}},
      {"search.fallback_radius_km", Number{&Config::searchFallbackRadiusKm, 1, 300}},
      {"search.plage_closes_minutes_before_end",
       Number{&Config::searchPlageClosesMinutesBeforeEnd, 0, 24 * 60}},
      {"search.count_limit", Number{&Config::searchCountLimit, 5, 1'000'000}},
      {"search.build_readers", Number{&Config::searchBuildReaders, 0, 64}},
      {"fhir.max_window_days", Number{&Config::fhirMaxWindowDays, 1, 7}},
      {"fhir.pull_concurrency", Number{&Config::fhirPullConcurrency, 1, 16}},
      {"fhir.pull_timeout_seconds", Number{&Config::fhirPullTimeoutSeconds, 1, 120}},
      {"fhir.pull_attempts", Number{&Config::fhirPullAttempts, 1, 5}},
      {"fhir.pull_retry_ms", Number{&Config::fhirPullRetryMs, 0, 10'000}},
      {"map.tiles_url", &Config::mapTilesUrl},
      {"map.attribution", &Config::mapAttribution},
      {"support.max_files", Number{&Config::supportMaxFiles, 0, 20}},
      {"support.max_file_bytes", Size{&Config::supportMaxFileBytes, 1024, 100 * 1024 * 1024}},
      {"support.retention_days", Number{&Config::supportRetentionDays, 1, 3650}},
      {"support.max_per_email", Number{&Config::supportMaxPerEmail, 1, 1000}},
      {"support.max_per_address", Number{&Config::supportMaxPerAddress, 1, 100000}},
      {"support.limit_window_minutes", Number{&Config::supportLimitWindowMinutes, 1, 7 * 24 * 60}},
      {"support.default_address", &Config::supportDefaultAddress},
      {"psc.issuer", &Config::pscIssuer},
      {"psc.discovery_url", &Config::pscDiscoveryUrl},
      {"psc.client_id", &Config::pscClientId},
      {"psc.redirect_uri", &Config::pscRedirectUri},
      {"psc.post_logout_redirect_uri", &Config::pscPostLogoutRedirectUri},
      {"psc.scope", &Config::pscScope},
      {"psc.acr_values", &Config::pscAcrValues},
      {"psc.client_certificate", &Config::pscClientCertificate},
      {"psc.client_key", &Config::pscClientKey},
      {"psc.ca_file", &Config::pscCaFile},
      {"psc.timeout_ms", Number{&Config::pscTimeoutMs, 100, 60000}},
      {"fhir.listen", &Config::fhirListen},
      {"fhir.base_url", &Config::fhirBaseUrl},
      {"fhir.certificate", &Config::fhirCertificate},
      {"fhir.key", &Config::fhirKey},
      {"fhir.client_ca", &Config::fhirClientCa},
      {"fhir.client_crl", &Config::fhirClientCrl},
      {"fhir.allowed_clients", &Config::fhirAllowedClients},
      // Password hashing pool (issue 12, item 3).
      {"security.max_concurrent_hashes", Number{&Config::maxConcurrentHashes, 0, 1024}},
      {"security.max_waiting_hashes", Number{&Config::maxWaitingHashes, 0, 1024}},
      {"session.absolute_hours", Number{&Config::sessionAbsoluteHours, 1, 24 * 7}},
      // Tests only (browser journeys): the server's clock ahead of the system's, up to 31 days.
      {"clock.offset_seconds", Number{&Config::clockOffsetSeconds, 0, 31 * 24 * 3600}},
  };
  return table;
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

void set(Config& c, const std::string& key, const std::string& value) {
  const auto it = fields().find(key);
  if (it == fields().end()) throw ConfigError("clé de configuration inconnue : " + key);
  std::visit(
      Overloaded{
          [&](std::string Config::*f) { c.*f = value; },
          [&](std::filesystem::path Config::*f) { c.*f = value; },
          [&](bool Config::*f) { c.*f = toBool(key, value); },
          [&](Number n) { c.*n.field = toInt(key, value, n.min, n.max); },
          [&](Size n) { c.*n.field = static_cast<std::size_t>(toInt(key, value, n.min, n.max)); },
      },
      it->second);
}

// "https://host[:port]" of an http(s) URL, or empty when it is not one.
std::string originOf(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  const auto protocol = url.substr(0, scheme);
  if (protocol != "http" && protocol != "https") return {};
  const auto end = url.find_first_of("/?#", scheme + 3);
  const auto host = url.substr(scheme + 3, end == std::string::npos ? end : end - scheme - 3);
  // The origin goes into a header: a host of letters, digits, dots, dashes and a port only.
  if (host.empty() || host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                             "0123456789.-:[]") != std::string::npos)
    return {};
  return protocol + "://" + host;
}

void checkMap(const Config& c) {
  if (c.mapTilesUrl.empty()) return;
  if (originOf(c.mapTilesUrl).empty())
    throw ConfigError("map.tiles_url = '" + c.mapTilesUrl +
                      "' : une adresse http:// ou https:// est attendue");
  for (const char* part : {"{z}", "{x}", "{y}"})
    if (c.mapTilesUrl.find(part) == std::string::npos)
      throw ConfigError("map.tiles_url = '" + c.mapTilesUrl + "' : " + part + " manque");
  if (c.mapAttribution.empty())
    throw ConfigError("map.attribution est vide : la licence des tuiles demande de la citer");
}

void checkFhir(const Config& c) {
  if (c.fhirListen.empty()) return;
  if (!parseListenAddress(c.fhirListen))
    throw ConfigError("fhir.listen = '" + c.fhirListen +
                      "' : hôte:port attendu (par exemple 127.0.0.1:8443)");
  for (const auto& [key, file] :
       {std::pair<const char*, const std::string&>{"fhir.certificate", c.fhirCertificate},
        {"fhir.key", c.fhirKey},
        {"fhir.client_ca", c.fhirClientCa},
        {"fhir.client_crl", c.fhirClientCrl}}) {
    if (file.empty())
      throw ConfigError("fhir.listen est renseigné mais " + std::string(key) +
                        " est vide (un fichier PEM est attendu)");
    if (!std::filesystem::is_regular_file(file))
      throw ConfigError(std::string(key) + " = '" + file + "' : fichier absent");
  }
  if (!c.fhirBaseUrl.empty() && c.fhirBaseUrl.rfind("https://", 0) != 0)
    throw ConfigError("fhir.base_url = '" + c.fhirBaseUrl +
                      "' : une adresse https:// est attendue");
}

void check(const Config& c) {
  checkMap(c);
  checkFhir(c);
  if (c.passwordHashing != "moderate" && c.passwordHashing != "minimal")
    throw ConfigError("security.password_hashing = '" + c.passwordHashing +
                      "' : moderate ou minimal est attendu");
  if (c.databaseUrl.rfind("sqlite:", 0) != 0 && c.databaseUrl.rfind("postgresql://", 0) != 0 &&
      c.databaseUrl.rfind("postgres://", 0) != 0)
    throw ConfigError("database.url doit commencer par sqlite: ou postgresql://");
  if (c.mailTransport != "smtp" && c.mailTransport != "file")
    throw ConfigError("mail.transport = '" + c.mailTransport + "' : smtp ou file est attendu");
  if (c.passwordWarningMonths >= c.passwordExpiryMonths)
    throw ConfigError(
        "accounts.password_warning_months doit être inférieur à "
        "accounts.password_expiry_months");
  if (c.inactivityWarningMonths >= c.inactivityDisableMonths)
    throw ConfigError(
        "accounts.inactivity_warning_months doit être inférieur à "
        "accounts.inactivity_disable_months");
  if (!std::filesystem::is_directory(c.templatesDir()))
    throw ConfigError("paths.root = '" + c.root.string() + "' : pas de dossier templates/ dedans");
  if (c.pscClientCertificate.empty() != c.pscClientKey.empty())
    throw ConfigError("psc.client_certificate et psc.client_key vont ensemble");
  for (const auto& [key, file] : {std::pair<const char*, const std::string&>{
                                      "psc.client_certificate", c.pscClientCertificate},
                                  {"psc.client_key", c.pscClientKey},
                                  {"psc.ca_file", c.pscCaFile}})
    if (!file.empty() && !std::filesystem::is_regular_file(file))
      throw ConfigError(std::string(key) + " = '" + file + "' : fichier absent");
}

}  // namespace

std::optional<ListenAddress> parseListenAddress(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  std::string host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return std::nullopt;  // an IPv6 address without its brackets
  }
  const std::string digits = text.substr(colon + 1);
  int port = 0;
  const auto* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, port);
  if (ec != std::errc{} || ptr != end || port < 0 || port > 65535) return std::nullopt;
  if (host.find_first_of(" \t/") != std::string::npos) return std::nullopt;
  return ListenAddress{host, port};
}

std::string Config::mapTilesOrigin() const {
  return mapTilesUrl.empty() ? std::string{} : originOf(mapTilesUrl);
}

Config loadConfig(const std::string& file, const std::map<std::string, std::string>& environment) {
  Config c;
  if (!file.empty()) {
    if (!std::filesystem::exists(file))
      throw ConfigError("fichier de configuration absent : " + file);
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> props(
        new Poco::Util::PropertyFileConfiguration(file));
    std::vector<std::string> stack{""};
    // Walk every leaf key, so that an unknown (misspelt) one stops the start.
    while (!stack.empty()) {
      const std::string prefix = stack.back();
      stack.pop_back();
      Poco::Util::AbstractConfiguration::Keys keys;
      props->keys(prefix, keys);
      for (const auto& k : keys) {
        const std::string full = prefix.empty() ? k : prefix + "." + k;
        Poco::Util::AbstractConfiguration::Keys sub;
        props->keys(full, sub);
        if (!sub.empty()) {
          stack.push_back(full);
          continue;
        }
        // Support addresses by territory id and by subject code (config/sas.properties).
        if (full.rfind("support.address_by_territory.", 0) == 0) {
          const auto id = toInt(full, full.substr(29), 1, 1000000000);
          c.supportAddressByTerritory[id] = props->getRawString(full);
          continue;
        }
        if (full.rfind("support.address_by_subject.", 0) == 0) {
          c.supportAddressBySubject[full.substr(27)] = props->getRawString(full);
          continue;
        }
        set(c, full, props->getRawString(full));
      }
    }
  }
  const std::map<std::string, std::string> envKeys{
      {"SAS_HOST", "server.host"},         {"SAS_PORT", "server.port"},
      {"SAS_BASE_URL", "server.base_url"}, {"SAS_DATABASE_URL", "database.url"},
      {"SAS_ROOT", "paths.root"},          {"SAS_MAIL_DIR", "mail.dir"},
  };
  for (const auto& [var, key] : envKeys)
    if (auto it = environment.find(var); it != environment.end()) set(c, key, it->second);
  if (auto it = environment.find("SAS_SMTP_PASSWORD"); it != environment.end())
    c.smtpPassword = it->second;  // a secret: never in the file
  if (auto it = environment.find("SAS_PSC_CLIENT_SECRET"); it != environment.end())
    c.pscClientSecret = it->second;  // a secret: never in the file
  if (!c.pscIssuer.empty() && c.pscClientId.empty())
    throw ConfigError("psc.issuer est renseigné mais psc.client_id est vide");
  check(c);
  return c;
}

std::map<std::string, std::string> processEnvironment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    if (entry.rfind("SAS_", 0) != 0) continue;
    auto eq = entry.find('=');
    if (eq != std::string::npos) out[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return out;
}

}  // namespace sas::config
