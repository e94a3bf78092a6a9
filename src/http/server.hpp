#pragma once
// The HTTP server: POCO's on the outside, plain Request/Response inside. Here and only here:
// reading the request (with a size cap), sessions, CSRF, static files, security headers, and
// the one catch that turns any error into a French page with a reference.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "app/auth_service.hpp"
#include "app/ports/security.hpp"
#include "http/router.hpp"
#include "http/views.hpp"

namespace sas::http {

inline constexpr const char* kSessionCookie = "sas_session";
inline constexpr const char* kCsrfCookie = "sas_csrf";  // for forms sent before login

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (tests)
  int threads = 16;
  std::size_t maxRequestBytes = 1 << 20;
  bool secureCookies = false;
  std::filesystem::path staticDir;
};

class WebServer {
 public:
  WebServer(ServerOptions options, app::AuthService& auth, const app::Tokens& tokens,
            const Views& views, Router router);
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
