#pragma once
// The HTTP server: POCO's on the outside, plain Request/Response inside. Here and only here:
// reading the request (with a size cap), sessions, CSRF, static files, security headers, and
// the one catch that turns any error into a French page with a reference.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/auth_service.hpp"
#include "app/ports/security.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/views.hpp"

namespace sas::http {

inline constexpr const char* kSessionCookie = "sas_session";
inline constexpr const char* kCsrfCookie = "sas_csrf";  // for forms sent before login
/// How long a stop waits for requests in flight (SIGTERM must end within 25 s).
inline constexpr std::chrono::seconds kStopGrace{20};

/// A route that takes files (multipart/form-data): its own cap on the request's size, checked
/// before reading as for every POST, and a cap on each file, checked while streaming it to disk.
struct UploadRoute {
  std::string path;  // exact path, e.g. "/assistance"
  std::size_t maxRequestBytes = 0;
  std::size_t maxFileBytes = 0;
  int maxFiles = 0;  // files beyond maxFiles + 1 are read and dropped, not stored
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (tests)
  int threads = 16;
  std::size_t maxRequestBytes = 1 << 20;
  bool secureCookies = false;
  std::filesystem::path staticDir;
  std::vector<UploadRoute> uploadRoutes;
  std::filesystem::path uploadDir;  // temporary files of uploads; empty: the system's
};

class WebServer {
 public:
  WebServer(ServerOptions options, app::AuthService& auth, const app::Tokens& tokens,
            const Views& views, Router router, Metrics& metrics);
  ~WebServer();
  void start();
  void stop();
  int port() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// The part of every page's model that the layout needs (who is logged in, the CSRF token).
nlohmann::json layoutModel(const Request& request, const std::string& title);

}  // namespace sas::http
