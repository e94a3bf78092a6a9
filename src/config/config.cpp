#include "config/config.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <charconv>
#include <cstdlib>
#include <functional>
#include <utility>
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

using Setter = std::function<void(Config&, const std::string&)>;

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> s{
      {"server.host", [](Config& c, const std::string& v) { c.host = v; }},
      {"server.port",
       [](Config& c, const std::string& v) { c.port = toInt("server.port", v, 0, 65535); }},
      // The HTTP server's transport. server.threads is the former name of server.workers.
      {"server.workers",
       [](Config& c, const std::string& v) { c.workers = toInt("server.workers", v, 0, 1024); }},
      {"server.threads",
       [](Config& c, const std::string& v) { c.workers = toInt("server.threads", v, 0, 1024); }},
      {"server.io_threads",
       [](Config& c, const std::string& v) { c.ioThreads = toInt("server.io_threads", v, 0, 64); }},
      {"server.max_header_bytes",
       [](Config& c, const std::string& v) {
         c.maxHeaderBytes =
             static_cast<std::size_t>(toInt("server.max_header_bytes", v, 1024, 1024 * 1024));
       }},
      {"server.max_connections",
       [](Config& c, const std::string& v) {
         c.maxConnections = toInt("server.max_connections", v, 1, 1000000);
       }},
      {"server.head_timeout_ms",
       [](Config& c, const std::string& v) {
         c.headTimeoutMs = toInt("server.head_timeout_ms", v, 100, 600000);
       }},
      {"server.body_timeout_ms",
       [](Config& c, const std::string& v) {
         c.bodyTimeoutMs = toInt("server.body_timeout_ms", v, 100, 3600000);
       }},
      {"server.min_body_rate_bytes",
       [](Config& c, const std::string& v) {
         c.minBodyRate = toInt("server.min_body_rate_bytes", v, 1, 1 << 30);
       }},
      {"server.idle_timeout_ms",
       [](Config& c, const std::string& v) {
         c.idleTimeoutMs = toInt("server.idle_timeout_ms", v, 100, 600000);
       }},
      {"server.stop_grace_seconds",
       [](Config& c, const std::string& v) {
         c.stopGraceSeconds = toInt("server.stop_grace_seconds", v, 0, 24);
       }},
      {"server.trusted_proxies", [](Config& c, const std::string& v) { c.trustedProxies = v; }},
      {"server.metrics_allow", [](Config& c, const std::string& v) { c.metricsAllow = v; }},
      {"server.access_log",
       [](Config& c, const std::string& v) { c.accessLog = toBool("server.access_log", v); }},
      {"server.base_url", [](Config& c, const std::string& v) { c.baseUrl = v; }},
      {"server.max_request_bytes",
       [](Config& c, const std::string& v) {
         c.maxRequestBytes = static_cast<std::size_t>(
             toInt("server.max_request_bytes", v, 1024, 256 * 1024 * 1024));
       }},
      {"database.url", [](Config& c, const std::string& v) { c.databaseUrl = v; }},
      {"database.pool_size",
       [](Config& c, const std::string& v) {
         c.databasePoolSize = toInt("database.pool_size", v, 1, 256);
       }},
      {"paths.root", [](Config& c, const std::string& v) { c.root = v; }},
      {"security.password_hashing", [](Config& c, const std::string& v) { c.passwordHashing = v; }},
      {"security.secure_cookies",
       [](Config& c, const std::string& v) {
         c.secureCookies = toBool("security.secure_cookies", v);
       }},
      {"session.idle_minutes",
       [](Config& c, const std::string& v) {
         c.sessionIdleMinutes = toInt("session.idle_minutes", v, 1, 24 * 60);
       }},
      {"mail.transport", [](Config& c, const std::string& v) { c.mailTransport = v; }},
      {"mail.dir", [](Config& c, const std::string& v) { c.mailDir = v; }},
      {"mail.smtp_host", [](Config& c, const std::string& v) { c.smtpHost = v; }},
      {"mail.smtp_port",
       [](Config& c, const std::string& v) { c.smtpPort = toInt("mail.smtp_port", v, 1, 65535); }},
      {"mail.smtp_starttls",
       [](Config& c, const std::string& v) { c.smtpStartTls = toBool("mail.smtp_starttls", v); }},
      {"mail.smtp_username", [](Config& c, const std::string& v) { c.smtpUsername = v; }},
      {"mail.from", [](Config& c, const std::string& v) { c.mailFrom = v; }},
      {"accounts.activation_link_hours",
       [](Config& c, const std::string& v) {
         c.activationLinkHours = toInt("accounts.activation_link_hours", v, 1, 24 * 30);
       }},
      {"accounts.reset_link_hours",
       [](Config& c, const std::string& v) {
         c.resetLinkHours = toInt("accounts.reset_link_hours", v, 1, 24 * 30);
       }},
      {"accounts.email_change_link_hours",
       [](Config& c, const std::string& v) {
         c.emailChangeLinkHours = toInt("accounts.email_change_link_hours", v, 1, 24 * 30);
       }},
      {"accounts.password_expiry_months",
       [](Config& c, const std::string& v) {
         c.passwordExpiryMonths = toInt("accounts.password_expiry_months", v, 1, 120);
       }},
      {"accounts.password_warning_months",
       [](Config& c, const std::string& v) {
         c.passwordWarningMonths = toInt("accounts.password_warning_months", v, 1, 120);
       }},
      {"login.max_failures",
       [](Config& c, const std::string& v) {
         c.loginMaxFailures = toInt("login.max_failures", v, 1, 1000);
       }},
      {"login.window_minutes",
       [](Config& c, const std::string& v) {
         c.loginWindowMinutes = toInt("login.window_minutes", v, 1, 24 * 60);
       }},
      {"login.lockout_minutes",
       [](Config& c, const std::string& v) {
         c.loginLockoutMinutes = toInt("login.lockout_minutes", v, 1, 24 * 60);
       }},
      {"login.max_accounts_per_address",
       [](Config& c, const std::string& v) {
         c.loginMaxAccountsPerAddress = toInt("login.max_accounts_per_address", v, 1, 100000);
       }},
      {"jobs.enabled",
       [](Config& c, const std::string& v) { c.backgroundJobs = toBool("jobs.enabled", v); }},
      {"geocoder.ban_url", [](Config& c, const std::string& v) { c.geocoderBanUrl = v; }},
      {"geocoder.timeout_ms",
       [](Config& c, const std::string& v) {
         c.geocoderTimeoutMs = toInt("geocoder.timeout_ms", v, 100, 60000);
       }},
      {"search.fallback_radius_km",
       [](Config& c, const std::string& v) {
         c.searchFallbackRadiusKm = toInt("search.fallback_radius_km", v, 1, 300);
       }},
      {"support.max_files",
       [](Config& c, const std::string& v) {
         c.supportMaxFiles = toInt("support.max_files", v, 0, 20);
       }},
      {"support.max_file_bytes",
       [](Config& c, const std::string& v) {
         c.supportMaxFileBytes =
             static_cast<std::size_t>(toInt("support.max_file_bytes", v, 1024, 100 * 1024 * 1024));
       }},
      {"support.retention_days",
       [](Config& c, const std::string& v) {
         c.supportRetentionDays = toInt("support.retention_days", v, 1, 3650);
       }},
      {"support.max_per_email",
       [](Config& c, const std::string& v) {
         c.supportMaxPerEmail = toInt("support.max_per_email", v, 1, 1000);
       }},
      {"support.max_per_address",
       [](Config& c, const std::string& v) {
         c.supportMaxPerAddress = toInt("support.max_per_address", v, 1, 100000);
       }},
      {"support.limit_window_minutes",
       [](Config& c, const std::string& v) {
         c.supportLimitWindowMinutes = toInt("support.limit_window_minutes", v, 1, 7 * 24 * 60);
       }},
      {"support.default_address",
       [](Config& c, const std::string& v) { c.supportDefaultAddress = v; }},
      {"psc.issuer", [](Config& c, const std::string& v) { c.pscIssuer = v; }},
      {"psc.discovery_url", [](Config& c, const std::string& v) { c.pscDiscoveryUrl = v; }},
      {"psc.client_id", [](Config& c, const std::string& v) { c.pscClientId = v; }},
      {"psc.redirect_uri", [](Config& c, const std::string& v) { c.pscRedirectUri = v; }},
      {"psc.post_logout_redirect_uri",
       [](Config& c, const std::string& v) { c.pscPostLogoutRedirectUri = v; }},
      {"psc.scope", [](Config& c, const std::string& v) { c.pscScope = v; }},
      {"psc.acr_values", [](Config& c, const std::string& v) { c.pscAcrValues = v; }},
      {"psc.client_certificate",
       [](Config& c, const std::string& v) { c.pscClientCertificate = v; }},
      {"psc.client_key", [](Config& c, const std::string& v) { c.pscClientKey = v; }},
      {"psc.ca_file", [](Config& c, const std::string& v) { c.pscCaFile = v; }},
      {"psc.timeout_ms",
       [](Config& c, const std::string& v) {
         c.pscTimeoutMs = toInt("psc.timeout_ms", v, 100, 60000);
       }},
      // Password hashing pool (issue 12, item 3).
      {"security.max_concurrent_hashes",
       [](Config& c, const std::string& v) {
         c.maxConcurrentHashes = toInt("security.max_concurrent_hashes", v, 0, 1024);
       }},
      {"security.max_waiting_hashes",
       [](Config& c, const std::string& v) {
         c.maxWaitingHashes = toInt("security.max_waiting_hashes", v, 0, 1024);
       }},
      {"session.absolute_hours",
       [](Config& c, const std::string& v) {
         c.sessionAbsoluteHours = toInt("session.absolute_hours", v, 1, 24 * 7);
       }},
  };
  return s;
}

void check(const Config& c) {
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
        auto it = setters().find(full);
        if (it == setters().end()) throw ConfigError("clé de configuration inconnue : " + full);
        it->second(c, props->getRawString(full));
      }
    }
  }
  const std::map<std::string, std::string> envKeys{
      {"SAS_HOST", "server.host"},         {"SAS_PORT", "server.port"},
      {"SAS_BASE_URL", "server.base_url"}, {"SAS_DATABASE_URL", "database.url"},
      {"SAS_ROOT", "paths.root"},          {"SAS_MAIL_DIR", "mail.dir"},
  };
  for (const auto& [var, key] : envKeys)
    if (auto it = environment.find(var); it != environment.end()) setters().at(key)(c, it->second);
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
