#pragma once
// The HTTP server: Boost.Beast and Asio on the outside (sockets, reads and writes asynchronous
// on a few I/O threads, C++20 coroutines), plain Request/Response inside, handlers on a bounded
// worker pool. Here and only here: reading the request within its timeouts and limits,
// sessions, CSRF, static files, security headers, the request log, and the one catch that turns
// any error into a French page with a reference. No Beast or Asio in this header.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/auth_service.hpp"
#include "app/ports/security.hpp"
#include "http/client_address.hpp"
#include "http/errors.hpp"
#include "http/log.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/views.hpp"

namespace sas::http {

/// A route that takes files (multipart/form-data): its own cap on the request's size, checked
/// before reading as for every POST, and a cap on each file, checked while streaming it to disk.
struct UploadRoute {
  std::string path;  // exact path, e.g. "/assistance"
  std::size_t maxRequestBytes = 0;
  std::size_t maxFileBytes = 0;
  int maxFiles = 0;  // files beyond maxFiles + 1 are read and dropped, not stored
};

/// A second listener, over TLS, for programs (the FHIR publisher, docs/fhir.md): TLS 1.2 and
/// later only; a client certificate requested, not required, at the handshake, and refused there
/// unless it chains to `clientCa` and is not revoked by `clientCrl` (the handshake counts in the
/// head's timeout). Every timeout and limit of the plain listener applies; no static file,
/// session, cookie nor CSRF. Every request goes to `handler`, with Request::clientIdentity set
/// from a verified certificate; `refusal` renders what the server itself refuses (a malformed
/// request, a head or body over its cap, a handler's AppError or exception).
struct TlsListenerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                       // 0: any free port (tests)
  std::filesystem::path certificate;  // PEM: the server's certificate, then its chain
  std::filesystem::path key;          // PEM, unencrypted
  std::filesystem::path clientCa;     // PEM: the CAs a client certificate must chain to
  std::filesystem::path clientCrl;    // PEM: their revocation lists, one per CA
  std::function<Response(Request&)> handler;
  std::function<Response(const Request&, const Refusal&)> refusal;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                             // 0: any free port (tests)
  int ioThreads = 1;                        // threads running the sockets (never blocked)
  int workers = 4;                          // threads running the handlers (which block on SQL)
  std::size_t maxRequestBytes = 64 * 1024;  // the body of any route but the upload ones
  std::size_t maxHeaderBytes = 16 * 1024;   // request line and header fields
  std::size_t maxConnections = 10000;       // beyond, a new connection gets 503 and is closed
  std::chrono::milliseconds headTimeout{10000};  // from the connection or first byte to the end
                                                 // of the head
  std::chrono::milliseconds bodyTimeout{30000};  // grace for the body …
  std::size_t minBodyBytesPerSecond = 8 * 1024;  // … then it must keep up this average rate
  std::chrono::milliseconds idleTimeout{5000};   // keep-alive: waiting for the next request
  std::chrono::milliseconds stopGrace{20000};    // SIGTERM: in-flight requests finish within
  bool secureCookies = false;                    // also sends Strict-Transport-Security
  std::vector<AddressRange> trustedProxies;      // whose X-Forwarded-For is believed
  std::vector<AddressRange> metricsAllow;        // who may read /metrics (empty: loopback)
  /// Origins forms may also post to (Pro Santé Connect's logout redirects there), asked for
  /// each answer since the provider's end-session endpoint is known only once discovered.
  std::function<std::vector<std::string>()> formActionOrigins;
  /// The search map's tile server ("https://host"), the one origin besides this site that
  /// images may come from; empty: none.
  std::string imageOrigin;
  bool accessLog = true;  // one line per request on standard error
  std::filesystem::path staticDir;
  std::vector<UploadRoute> uploadRoutes;
  std::filesystem::path uploadDir;        // temporary files of uploads; empty: the system's
  std::optional<TlsListenerOptions> tls;  // the second listener, when set
};

class WebServer {
 public:
  WebServer(ServerOptions options, app::AuthService& auth, const app::Tokens& tokens,
            const Views& views, Router router, Metrics& metrics);
  ~WebServer();
  /// Binds and starts serving; throws when an address cannot be bound, or when the TLS
  /// listener's certificate, key, CA or CRL cannot be read (a French message naming the file).
  void start();
  /// Stops accepting, closes idle connections, lets requests in flight finish (stopGrace at
  /// most), then ends every thread. Safe to call twice.
  void stop();
  int port() const;
  /// The TLS listener's port; 0 when there is none.
  int tlsPort() const;
  /// Open connections (tests, /metrics).
  std::size_t openConnections() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Raises this process's soft limit of open files to its hard limit (10,000 connections need
/// more than the usual 1,024). Returns the limit now in force.
long raiseOpenFileLimit();

}  // namespace sas::http
