#pragma once
// The real server in-process on port 0, on a temporary SQLite file, with a clock the test
// moves; and a small browser that keeps cookies and sends forms with their CSRF token.
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/repositories.hpp"
#include "config/config.hpp"
#include "wiring.hpp"

namespace sas::test {

class ManualClock final : public app::Clock {
 public:
  explicit ManualClock(domain::Instant t) : seconds_(t.time_since_epoch().count()) {}
  domain::Instant now() const override {
    return domain::Instant{std::chrono::seconds{seconds_.load()}};
  }
  void set(domain::Instant t) { seconds_ = t.time_since_epoch().count(); }
  void advance(std::chrono::seconds d) { seconds_ += d.count(); }

 private:
  std::atomic<long long> seconds_;
};

/// Paris local time → instant (for readable tests).
domain::Instant parisTime(int y, unsigned m, unsigned d, int hour, int minute = 0);

class TestPlatform {
 public:
  /// A fresh database in a temporary folder; the server is started. Background jobs are off:
  /// tests deliver mail and send warnings by hand.
  explicit TestPlatform(domain::Instant now, std::function<void(config::Config&)> adjust = nullptr);
  /// Stops and builds the whole platform again on the same database (a server restart).
  void restart();
  ~TestPlatform();
  std::string baseUrl() const;
  int port() const { return platform_->port(); }
  int fhirPort() const { return platform_->fhirPort(); }
  ManualClock& clock() { return clock_; }
  app::UserRepository& users() { return platform_->ports().users; }
  app::StructureRepository& structures() { return platform_->ports().structures; }
  app::SessionRepository& sessions() { return platform_->ports().sessions; }
  app::AgendaRepository& agenda() { return platform_->ports().agenda; }
  Platform& platform() { return *platform_; }
  /// The configuration the server runs with (its database URL, for a second "process").
  const config::Config& config() const { return config_; }

  /// A user of any role with a password, who accepted the CGU already.
  std::int64_t addUser(const std::string& email, const std::string& password, app::Role role,
                       const std::vector<std::int64_t>& structures,
                       std::optional<std::int64_t> territory = std::nullopt);
  /// A structure manager with a password, linked to the given structures (CGU accepted).
  std::int64_t addManager(const std::string& email, const std::string& password,
                          const std::vector<std::int64_t>& structures);
  /// A territory of these départements; returns its id.
  std::int64_t addTerritory(const std::string& name, const std::vector<std::string>& departements);
  /// A health centre with one place in Paris; returns {structure id, place id}.
  std::pair<std::int64_t, std::int64_t> addCentre(const std::string& name);

 private:
  /// The folder and the PostgreSQL schema removed: at destruction, and when the constructor
  /// fails (a platform that refuses to start must leave nothing behind either).
  void cleanUp();
  /// What the constructor does once the folder is made (`adjust` is used there only: what it
  /// captures need not outlive the constructor).
  void start(std::random_device& rd, const std::function<void(config::Config&)>& adjust);
  std::filesystem::path dir_;
  std::string schema_;  // PostgreSQL only
  std::string postgresUrl_;
  config::Config config_;
  ManualClock clock_;
  std::unique_ptr<Platform> platform_;
};

struct Page {
  int status = 0;
  std::string body;
  std::string location;
  std::map<std::string, std::string> headers;
};

using Form = std::vector<std::pair<std::string, std::string>>;

class Browser {
 public:
  explicit Browser(int port) : port_(port) {}
  Page get(const std::string& path);
  /// Sends the form with the CSRF token of the last page read (unless the form has one).
  Page post(const std::string& path, Form form);
  /// Sends exactly these fields, no CSRF added.
  Page postRaw(const std::string& path, const Form& form);
  /// A POST that announces `length` bytes and sends none: the server must answer at once.
  Page postAnnouncing(const std::string& path, std::streamsize length);
  Page login(const std::string& email, const std::string& password);
  std::string csrf() const { return csrf_; }
  std::map<std::string, std::string>& cookies() { return cookies_; }

 private:
  Page send(const std::string& method, const std::string& path, const std::string& body);
  int port_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

/// A form as a browser encodes it (application/x-www-form-urlencoded).
std::string encodeForm(const Form& form);
/// One request to `host:port`, with the cookies of `jar`, which the answer's cookies update;
/// the page's Location as the server wrote it.
Page exchange(const std::string& host, int port, const std::string& method,
              const std::string& target, const std::string& body,
              std::map<std::string, std::string>& jar);

/// Counts how often `needle` appears in `hay`.
std::size_t count(const std::string& hay, const std::string& needle);

}  // namespace sas::test
