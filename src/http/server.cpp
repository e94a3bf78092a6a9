#include "http/server.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <latch>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_set>

#include "app/errors.hpp"
#include "app/free_memory.hpp"
#include "http/allocator_policy.hpp"
#include "http/errors.hpp"
#include "http/login_redirect.hpp"
#include "http/static_files.hpp"
#include "http/terms_gate.hpp"
#include "http/wire.hpp"

namespace sas::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
template <class Stream>
constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

long raiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  return static_cast<long>(limit.rlim_cur);
}

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

const char* const kFixedSecurityHeaders[][2] = {
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
};

std::string contentSecurityPolicy(const std::vector<std::string>& formActions,
                                  const std::string& imageOrigin) {
  std::string formAction = "'self'";
  for (const auto& origin : formActions) formAction += " " + origin;
  const std::string images = imageOrigin.empty() ? "" : " " + imageOrigin;
  return "default-src 'self'; img-src 'self' data:" + images +
         "; style-src 'self'; script-src 'self'; font-src 'self'; frame-ancestors 'none'; "
         "base-uri 'self'; form-action " +
         formAction;
}

std::string cookieHeader(const Cookie& c, bool secure) {
  std::string out = c.name + "=" + c.value + "; Path=/";
  if (c.maxAgeSeconds >= 0) out += "; Max-Age=" + std::to_string(c.maxAgeSeconds);
  out += "; HttpOnly; SameSite=Lax";
  if (secure) out += "; Secure";
  return out;
}

bool isParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
         ec != bhttp::error::need_buffer;
}

[[noreturn]] void tlsSetupFailed(const std::string& what, const std::filesystem::path& file) {
  char reason[256] = "";
  if (const auto error = ERR_peek_last_error(); error != 0)
    ERR_error_string_n(error, reason, sizeof reason);
  ERR_clear_error();
  throw std::runtime_error(what + " : " + file.string() +
                           (reason[0] ? std::string(" (") + reason + ")" : std::string()));
}

/// The TLS listener's context: TLS 1.2 at least; the server's certificate and key; a client
/// certificate requested (not required) and, when sent, verified against the CAs and their
/// CRLs, the handshake failing otherwise. Each file's problem is named at start.
std::unique_ptr<ssl::context> makeTlsContext(const TlsListenerOptions& o) {
  for (const auto& [what, file] : {std::pair<const char*, const std::filesystem::path&>{
                                       "certificat du serveur TLS", o.certificate},
                                   {"clé privée du serveur TLS", o.key},
                                   {"autorité des certificats clients", o.clientCa},
                                   {"liste de révocation des certificats clients", o.clientCrl}})
    if (file.empty() || !std::filesystem::is_regular_file(file))
      throw std::runtime_error(std::string(what) + " : fichier absent : « " + file.string() + " »");
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  ERR_clear_error();
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  // A client may not renegotiate (a cheap way to make the server compute), and the server's
  // order of ciphers wins.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
    tlsSetupFailed("TLS 1.2 minimum impossible à imposer", o.certificate);
  if (SSL_CTX_use_certificate_chain_file(ctx, o.certificate.c_str()) != 1)
    tlsSetupFailed("certificat du serveur TLS illisible (PEM attendu)", o.certificate);
  if (SSL_CTX_use_PrivateKey_file(ctx, o.key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1)
    tlsSetupFailed(ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH
                       ? "la clé privée ne correspond pas au certificat du serveur TLS"
                       : "clé privée du serveur TLS illisible (PEM non chiffré attendu)",
                   o.key);
  if (SSL_CTX_load_verify_locations(ctx, o.clientCa.c_str(), nullptr) != 1)
    tlsSetupFailed("autorité des certificats clients illisible (PEM attendu)", o.clientCa);
  // The CAs' names go in the handshake's request, so that a client picks the right certificate.
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(o.clientCa.c_str());
  if (!names)
    tlsSetupFailed("autorité des certificats clients illisible (PEM attendu)", o.clientCa);
  SSL_CTX_set_client_CA_list(ctx, names);
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int crls = 0;
  if (BIO* bio = BIO_new_file(o.clientCrl.c_str(), "r")) {
    while (X509_CRL* crl = PEM_read_bio_X509_CRL(bio, nullptr, nullptr, nullptr)) {
      X509_STORE_add_crl(store, crl);
      X509_CRL_free(crl);
      ++crls;
    }
    BIO_free(bio);
  }
  if (crls == 0)
    tlsSetupFailed("liste de révocation des certificats clients illisible (CRL PEM attendue)",
                   o.clientCrl);
  ERR_clear_error();  // reading past the last CRL leaves an error that is none
  // The client's own certificate is checked against its CA's CRL; a CA without one refuses all.
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  // Without it, a client resuming a session would fail its handshake once certificates are
  // asked for.
  static const unsigned char kSessionContext[] = "sas-tls";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  return context;
}

/// The first entry of `nid` in a certificate's name, in UTF-8; empty when there is none.
std::string nameEntry(X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  unsigned char* utf8 = nullptr;
  const int length =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
  if (length < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return out;
}

/// The subject of the certificate the handshake verified; none when the client sent none.
std::optional<ClientIdentity> verifiedClient(SSL* ssl) {
  X509* certificate = SSL_get0_peer_certificate(ssl);
  if (!certificate || SSL_get_verify_result(ssl) != X509_V_OK) return std::nullopt;
  X509_NAME* subject = X509_get_subject_name(certificate);
  return ClientIdentity{nameEntry(subject, NID_commonName),
                        nameEntry(subject, NID_organizationalUnitName)};
}

/// What the I/O side learnt before handing a request to a worker.
struct Incoming {
  Request request;
  std::string badRequest;  // non-empty: answer 400 with this detail (logged)
  std::string sentCsrfHeader;
};

/// One answer as the socket writes it.
struct Outgoing {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::shared_ptr<const std::string> sharedBody;  // static files
  std::filesystem::path file;
  bool close = false;
  std::string logDetail;  // 4xx reasons, in the request's log line
};

}  // namespace

struct WebServer::Impl {
  /// What stop() needs of a connection, plain or TLS.
  struct Connection {
    virtual ~Connection() = default;
    virtual beast::tcp_stream& tcp() = 0;
    bool idle = false;  // waiting for the next request (touched on the connection's strand)
  };
  template <class Stream>
  struct StreamConnection final : Connection {
    template <class... Args>
    explicit StreamConnection(Args&&... args) : stream(std::forward<Args>(args)...) {}
    Stream stream;
    beast::tcp_stream& tcp() override { return beast::get_lowest_layer(stream); }
  };

  ServerOptions options;
  app::AuthService& auth;
  const app::Tokens& tokens;
  const Views& views;
  Router router;
  Metrics& metrics;
  StaticFiles staticFiles;
  std::string csp;
  std::mutex cspMutex;
  std::vector<std::string> cspOrigins;
  std::string cspForOrigins;
  std::string refusalPage;  // 503 beyond max_connections, rendered once
  std::vector<AddressRange> metricsAllow;

  std::mutex mutex;  // guards connections
  std::condition_variable drained;
  std::unordered_set<std::shared_ptr<Connection>> connections;
  std::atomic<std::size_t> open{0};
  std::atomic<bool> stopping{false};
  std::atomic<int> inFlight{0};         // requests between their head and their answer
  std::atomic<Clock::rep> lastTrim{0};  // when freed memory was last given back

  /// A burst (10,000 connections asking at once) has thousands of answers alive together; the
  /// memory the allocator keeps for reuse (tcmalloc's page heap; glibc's 64 MB per arena,
  /// useServerAllocatorPolicy) then keeps that peak for good, in proportion to the pages' size.
  /// Once no request is in flight, at most once a second, the free pages go back to the kernel:
  /// no churn under load, none kept after a burst.
  struct InFlight {
    Impl& server;
    explicit InFlight(Impl& s) : server(s) { server.inFlight.fetch_add(1); }
    ~InFlight() {
      if (server.inFlight.fetch_sub(1) != 1) return;
      const auto now = Clock::now().time_since_epoch().count();
      auto last = server.lastTrim.load();
      if (now - last < std::chrono::duration_cast<Clock::duration>(std::chrono::seconds{1}).count())
        return;
      if (server.lastTrim.compare_exchange_strong(last, now)) app::releaseFreeMemory();
    }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;
  };
  bool running = false;
  int port = 0;
  int tlsPort = 0;

  // Declared last: destroyed before the members above (the acceptor before its io_context,
  // which takes the coroutine frames it still holds with it).
  std::unique_ptr<asio::thread_pool> pool;
  std::unique_ptr<asio::io_context> io;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<ssl::context> tlsContext;  // before its acceptor: the streams refer to it
  std::unique_ptr<tcp::acceptor> tlsAcceptor;
  std::vector<std::thread> ioThreads;

  Impl(ServerOptions o, app::AuthService& a, const app::Tokens& t, const Views& v, Router r,
       Metrics& m)
      : options(std::move(o)),
        auth(a),
        tokens(t),
        views(v),
        router(std::move(r)),
        metrics(m),
        staticFiles(options.staticDir),
        csp(contentSecurityPolicy({}, options.imageOrigin)) {
    metricsAllow = options.metricsAllow;
    if (metricsAllow.empty())
      for (const char* loopback : {"127.0.0.0/8", "::1"})
        metricsAllow.push_back(*parseRange(loopback));
    std::string ignored;
    refusalPage = refusalBody("/", views, app::ErrorCode::Unavailable, ignored);
  }

  // ---- the worker side: sessions, CSRF, the handler, one catch ----

  /// The one catch's answer: logged (5xx with their reference), then rendered by the one
  /// mapping (http/errors).
  Response errorPage(const Request& request, const std::string& requestId, Refusal refusal,
                     const std::string& detail, std::string& logDetail) {
    logRefusal(request, requestId, refusal, detail, logDetail);
    if (refusal.code == app::ErrorCode::Unauthenticated && request.method == "GET" &&
        !isApiPath(request.path))
      return Response::redirect(loginPageFor(request.target));
    return refusalResponse(request, views, refusal);
  }

  /// A server error is logged with a new reference (which the answer shows); a refusal's
  /// detail goes on the request's log line.
  void logRefusal(const Request& request, const std::string& requestId, Refusal& refusal,
                  const std::string& detail, std::string& logDetail) {
    const int status = errorText(refusal.code).status;
    if (status >= 500) {
      refusal.reference = newReference(tokens);
      logLine("error", "request failed",
              {{"method", request.method},
               {"path", request.path},
               {"status", std::to_string(status)},
               {"reference", refusal.reference},
               {"request_id", requestId},
               {"client", request.clientAddress},
               {"error", detail}});
    } else {
      logDetail = detail;
    }
  }

  /// A request of the TLS listener: its one handler, and the same one catch, its refusals
  /// rendered by the listener's own renderer.
  Response processTls(Incoming& in, const std::string& requestId, std::string& logDetail) {
    Request& request = in.request;
    auto refuse = [&](Refusal refusal, const std::string& detail) {
      logRefusal(request, requestId, refusal, detail, logDetail);
      return options.tls->refusal(request, refusal);
    };
    try {
      if (!in.badRequest.empty()) throw app::AppError(app::ErrorCode::BadRequest, in.badRequest);
      return options.tls->handler(request);
    } catch (const app::AppError& e) {
      return refuse({.code = e.code(), .retryAfter = e.retryAfter()}, e.what());
    } catch (const std::exception& e) {
      return refuse({.code = app::ErrorCode::Internal}, e.what());
    }
  }

  Response process(Incoming& in, const std::string& requestId, std::string& newCsrfCookie,
                   std::string& logDetail) {
    Request& request = in.request;
    try {
      if (!in.badRequest.empty()) throw app::AppError(app::ErrorCode::BadRequest, in.badRequest);
      // Operators' counters are for the monitoring's addresses only (server.metrics_allow).
      if (request.path == "/metrics" && !inRanges(request.clientAddress, metricsAllow))
        throw app::AppError(app::ErrorCode::NotFound, "metrics refused to this address");

      bool pathKnown = false;
      Audience audience = Audience::Browsers;
      const Handler* handler = router.match(request, pathKnown, &audience);
      // A program's route (a calendar feed: GET only) reads no session and sets no cookie.
      if (handler && audience == Audience::Programs) return (*handler)(request);

      // An API call that presents a token is the token's alone: the API then ignores the
      // session (docs/api.md), so none is read, and a program gets no CSRF cookie to keep.
      const bool byToken = isApiPath(request.path) && !request.authorization.empty();
      if (auto it = request.cookies.find(kSessionCookie); !byToken && it != request.cookies.end()) {
        request.sessionToken = it->second;
        request.session = auth.resolve(it->second, request.clientAddress);
      }
      if (request.session) {
        request.csrfToken = request.session->csrfToken;
      } else if (auto it = request.cookies.find(kCsrfCookie);
                 it != request.cookies.end() && it->second.size() >= 32) {
        request.csrfToken = it->second;
      } else if (!byToken) {
        newCsrfCookie = tokens.random();
        request.csrfToken = newCsrfCookie;
      }

      // A request that may change something proves it comes from our pages; an API call that
      // presents a token is exempt: a browser never adds that header by itself.
      auto checkCsrf = [&] {
        const std::string sent =
            request.param("csrf").empty() ? in.sentCsrfHeader : request.param("csrf");
        if (!newCsrfCookie.empty() || !tokens.equal(sent, request.csrfToken))
          throw app::AppError(app::ErrorCode::BadRequest, "CSRF token missing or wrong");
      };
      if (request.method == "POST" && !byToken) checkCsrf();

      // Every account accepts the CGU at its first login, whoever created it (an account
      // manager, `sas user add`, the demo data, Pro Santé Connect): the landing pages show the
      // CGU pop-in over them, every other page leads to the CGU's own page; then an expired
      // password is changed before anything else (docs/rules.md#accounts-and-passwords,
      // http/terms_gate.hpp). An API call is refused in JSON instead (docs/api.md).
      if (const auto step = pendingStep(request); !step.empty()) {
        if (isApiPath(request.path))
          return errorPage(
              request, requestId,
              {.code = app::ErrorCode::Forbidden, .message = std::string(pendingStepMessage(step))},
              "step pending: " + std::string(step), logDetail);
        return Response::redirect(std::string(step));
      }

      if (!handler && pathKnown)
        return errorPage(request, requestId,
                         {.code = app::ErrorCode::MethodNotAllowed,
                          .allow = router.allowedMethods(request.path)},
                         "method not allowed", logDetail);
      if (!handler) throw app::AppError(app::ErrorCode::NotFound, "no route");
      // The API's DELETE: checked once a route takes it, so that other methods keep their
      // 404 and 405.
      if (request.method != "GET" && request.method != "HEAD" && request.method != "POST" &&
          !byToken)
        checkCsrf();
      return (*handler)(request);
    } catch (const app::AppError& e) {
      return errorPage(request, requestId, {.code = e.code(), .retryAfter = e.retryAfter()},
                       e.what(), logDetail);
    } catch (const std::exception& e) {
      return errorPage(request, requestId, {.code = app::ErrorCode::Internal}, e.what(), logDetail);
    }
  }

  /// The policy changes only when Pro Santé Connect's discovery adds an origin: it is rebuilt
  /// then, not for every answer.
  std::string currentContentSecurityPolicy() {
    if (!options.formActionOrigins) return csp;
    auto origins = options.formActionOrigins();
    std::lock_guard lock(cspMutex);
    if (cspForOrigins.empty() || origins != cspOrigins) {
      cspForOrigins = contentSecurityPolicy(origins, options.imageOrigin);
      cspOrigins = std::move(origins);
    }
    return cspForOrigins;
  }

  Outgoing toOutgoing(Response&& response, const std::string& newCsrfCookie) {
    Outgoing out;
    out.status = response.status;
    out.headers.reserve(response.headers.size() + response.cookies.size() + 8);
    out.headers.emplace_back("Content-Security-Policy", currentContentSecurityPolicy());
    for (const auto& h : kFixedSecurityHeaders) out.headers.emplace_back(h[0], h[1]);
    if (options.secureCookies)
      out.headers.emplace_back("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    bool cacheSet = false;
    for (auto& [k, v] : response.headers) {
      if (beast::iequals(k, "Cache-Control")) cacheSet = true;
      out.headers.emplace_back(std::move(k), std::move(v));
    }
    if (!cacheSet) out.headers.emplace_back("Cache-Control", "no-store");
    if (!newCsrfCookie.empty()) response.cookies.push_back({kCsrfCookie, newCsrfCookie, -1});
    for (const auto& c : response.cookies)
      out.headers.emplace_back("Set-Cookie", cookieHeader(c, options.secureCookies));
    out.headers.emplace_back("Content-Type", response.contentType);
    out.body = std::move(response.body);
    out.file = std::move(response.file);
    return out;
  }

  /// A refusal of the I/O side (before any worker or session): the same words as the one
  /// mapping, JSON on /api/ paths; the connection is closed after it.
  Outgoing plainError(std::string_view path, app::ErrorCode code) {
    Outgoing out;
    out.status = errorText(code).status;
    out.headers.emplace_back("Content-Security-Policy", csp);
    for (const auto& h : kFixedSecurityHeaders) out.headers.emplace_back(h[0], h[1]);
    out.headers.emplace_back("Cache-Control", "no-store");
    std::string contentType;
    out.body = refusalBody(path, views, code, contentType);
    out.headers.emplace_back("Content-Type", std::move(contentType));
    out.close = true;
    return out;
  }

  /// The same refusal on the TLS listener, in its renderer's words.
  Outgoing tlsError(std::string_view path, app::ErrorCode code) {
    Request request;
    request.path = std::string(path);
    auto response = options.tls->refusal(request, {.code = code});
    response.cookies.clear();
    Outgoing out = toOutgoing(std::move(response), "");
    out.close = true;
    return out;
  }

  template <class Stream>
  Outgoing ioError(std::string_view path, app::ErrorCode code) {
    if constexpr (kTls<Stream>) {
      return tlsError(path, code);
    } else {
      return plainError(path, code);
    }
  }

  // ---- the I/O side ----

  /// Writes `out`; false when the connection is to be closed (or broke).
  template <class Stream>
  asio::awaitable<bool> write(Stream& stream, Outgoing& out, bool keepAlive,
                              const std::string& requestId, bool head) {
    auto& tcpStream = beast::get_lowest_layer(stream);
    const bool close = out.close || !keepAlive || stopping.load();
    std::size_t size = out.body.size();
    auto fill = [&](auto& message) {
      message.result(static_cast<unsigned>(out.status));
      message.version(11);
      for (const auto& [k, v] : out.headers) message.insert(k, v);
      message.set("X-Request-Id", requestId);
      message.keep_alive(!close);
    };
    tcpStream.expires_after(
        options.bodyTimeout +
        std::chrono::seconds{size / std::max<std::size_t>(1, options.minBodyBytesPerSecond)});
    beast::error_code ec;
    if (!out.file.empty()) {
      bhttp::response<bhttp::file_body> message;
      fill(message);
      message.body().open(out.file.c_str(), beast::file_mode::scan, ec);
      if (ec) {
        co_return false;
      }
      size = static_cast<std::size_t>(message.body().size());
      tcpStream.expires_after(
          options.bodyTimeout +
          std::chrono::seconds{size / std::max<std::size_t>(1, options.minBodyBytesPerSecond)});
      message.prepare_payload();
      std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, message, kTuple);
    } else if (out.sharedBody) {
      bhttp::response<bhttp::span_body<const char>> message;
      fill(message);
      if (!head) message.body() = {out.sharedBody->data(), out.sharedBody->size()};
      message.prepare_payload();
      if (head) message.content_length(out.sharedBody->size());
      std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, message, kTuple);
    } else {
      bhttp::response<bhttp::string_body> message;
      fill(message);
      const auto length = out.body.size();
      if (!head) message.body() = std::move(out.body);
      message.prepare_payload();
      if (head) message.content_length(length);
      std::tie(ec, std::ignore) = co_await bhttp::async_write(stream, message, kTuple);
    }
    co_return !ec && !close;
  }

  /// Ends a connection after an answer that said "close": stop sending, read and drop what the
  /// client still sends (briefly), so that closing does not reset the answer away.
  template <class Stream>
  asio::awaitable<void> lingeringClose(Stream& stream) {
    auto& tcpStream = beast::get_lowest_layer(stream);
    beast::error_code ec;
    if constexpr (kTls<Stream>) {
      // TLS says it is over first (close_notify), then the socket as below.
      tcpStream.expires_after(std::chrono::seconds{2});
      std::tie(ec) = co_await stream.async_shutdown(kTuple);
      ec = {};
    }
    tcpStream.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::vector<char> sink(16 * 1024);
    const auto deadline = Clock::now() + std::chrono::seconds{2};
    std::size_t dropped = 0;
    while (!ec && dropped < (4u << 20)) {
      tcpStream.expires_at(deadline);
      std::size_t n = 0;
      std::tie(ec, n) = co_await tcpStream.async_read_some(asio::buffer(sink), kTuple);
      dropped += n;
    }
    tcpStream.close();
  }

  /// Ends a connection after an answer. A client that asked for the end (Connection: close),
  /// whose request was read to its end (`clientDone`) and that sent nothing more is done: the
  /// socket is closed at once. Otherwise what it may still send (the rest of a body answered
  /// early, a request after its "close") is drained first (lingeringClose), so that closing
  /// does not reset the answer away.
  template <class Stream>
  asio::awaitable<void> closeAfterAnswer(Stream& stream, const beast::flat_buffer& buffer,
                                         bool clientDone) {
    if constexpr (!kTls<Stream>) {
      auto& tcpStream = beast::get_lowest_layer(stream);
      beast::error_code ec;
      // Unread bytes, in our buffer or the kernel's, would make close() send a reset.
      if (clientDone && buffer.size() == 0 && tcpStream.socket().available(ec) == 0 && !ec) {
        tcpStream.close();
        co_return;
      }
    }
    co_await lingeringClose(stream);
  }

  const UploadRoute* uploadRouteFor(std::string_view method, std::string_view path) const {
    if (method != "POST") return nullptr;
    for (const auto& r : options.uploadRoutes)
      if (r.path == path) return &r;
    return nullptr;
  }

  /// Logged when the answer is ready, before it is sent: a client that has its answer finds
  /// the line in the log, and the duration is the platform's, not the network's.
  void logRequest(const std::string& method, const std::string& path, int status,
                  Clock::time_point started, const std::string& client,
                  const std::string& requestId, const std::string& detail) {
    if (!options.accessLog) return;
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f", static_cast<double>(micros) / 1000.0);
    char code[8];
    const std::string_view statusText(
        code, static_cast<std::size_t>(std::to_chars(code, code + sizeof code, status).ptr - code));
    const std::array<LogField, 7> fields{{{"method", method},
                                          {"path", path},
                                          {"status", statusText},
                                          {"duration_ms", duration},
                                          {"client", client},
                                          {"request_id", requestId},
                                          {"detail", detail}}};
    logLine(status >= 500 ? "error" : "info", "request",
            std::span<const LogField>(fields.data(), detail.empty() ? 6 : 7));
  }

  template <class Stream>
  asio::awaitable<void> session(std::shared_ptr<StreamConnection<Stream>> connection) {
    auto& stream = connection->stream;
    auto& tcpStream = connection->tcp();
    beast::error_code ec;
    const auto remote = tcpStream.socket().remote_endpoint(ec);
    const std::string peer = ec ? std::string("0.0.0.0") : remote.address().to_string();
    beast::flat_buffer buffer;
    auto headStart = Clock::now();
    std::optional<ClientIdentity> client;
    if constexpr (kTls<Stream>) {
      // The handshake counts in the first request's head: the same deadline. A client
      // certificate from another CA, or revoked, ends it here.
      connection->idle = true;
      tcpStream.expires_at(headStart + options.headTimeout);
      std::tie(ec) = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
      connection->idle = false;
      if (ec) {
        // Why a certificate was refused (revoked, unknown CA, expired CRL) is for the operator.
        const long verified = SSL_get_verify_result(stream.native_handle());
        if (options.accessLog)
          logLine("info", "TLS handshake failed",
                  {{"client", peer},
                   {"error", ec.message()},
                   {"certificate",
                    verified == X509_V_OK ? "-" : X509_verify_cert_error_string(verified)}});
        co_return;
      }
      client = verifiedClient(stream.native_handle());
    }
    bool first = true;
    for (;;) {
      // Between requests the connection holds no memory to speak of, and no worker.
      if (buffer.size() == 0) {
        if (stopping.load()) co_return;
        buffer.shrink_to_fit();
        connection->idle = true;
        if (first) {
          tcpStream.expires_at(headStart + options.headTimeout);
        } else {
          tcpStream.expires_after(options.idleTimeout);
        }
        std::size_t n = 0;
        std::tie(ec, n) = co_await stream.async_read_some(buffer.prepare(512), kTuple);
        connection->idle = false;
        if (ec) co_return;  // closed, timed out, or stopped
        buffer.commit(n);
        if (!first) headStart = Clock::now();
      } else if (!first) {
        headStart = Clock::now();  // a pipelined request: its head is already here, or nearly
      }
      first = false;

      if (!co_await exchange(stream, buffer, headStart, peer, client)) co_return;
    }
  }

  /// One request and its answer. Its own coroutine, so that its frame (the parser, the request,
  /// the body's buffers: some KB) lives only while the request does, not in every idle
  /// keep-alive connection (tests/system/transport.sh: 10,000 of them in at most 100 MB).
  /// False when the connection is to end.
  template <class Stream>
  asio::awaitable<bool> exchange(Stream& stream, beast::flat_buffer& buffer,
                                 Clock::time_point headStart, const std::string& peer,
                                 const std::optional<ClientIdentity>& client) {
    auto& tcpStream = beast::get_lowest_layer(stream);
    beast::error_code ec;
    const std::string requestId = newReference(tokens);
    bhttp::request_parser<bhttp::buffer_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.maxHeaderBytes));
    parser.body_limit(boost::none);  // the route's cap, once the head tells the route
    tcpStream.expires_at(headStart + options.headTimeout);
    std::tie(ec, std::ignore) = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    const auto started = Clock::now();
    if (ec == bhttp::error::header_limit) {
      auto out = ioError<Stream>("/", app::ErrorCode::HeadersTooLarge);
      logRequest("-", "-", 431, started, peer, requestId, "header too large");
      co_await write(stream, out, false, requestId, false);
      co_await lingeringClose(stream);
      co_return false;
    }
    if (ec && isParseError(ec)) {
      auto out = ioError<Stream>("/", app::ErrorCode::BadRequest);
      logRequest("-", "-", 400, started, peer, requestId, ec.message());
      co_await write(stream, out, false, requestId, false);
      co_await lingeringClose(stream);
      co_return false;
    }
    if (ec) co_return false;              // timed out (the stream is closed), or the client left
    const InFlight inFlightGuard(*this);  // after the answer below is freed: the trim sees it

    auto& head = parser.get();
    Incoming in;
    Request& request = in.request;
    request.clientIdentity = client;
    request.method = std::string(head.method_string());
    const std::string_view target = head.target();
    request.target = std::string(target);
    const auto question = target.find('?');
    if (auto path = wire::decodePath(target.substr(0, question))) {
      request.path = std::move(*path);
    } else {
      request.path = std::string(target.substr(0, question));
      in.badRequest = "malformed path";
    }
    if (question != std::string_view::npos && in.badRequest.empty()) {
      auto query = wire::decodeForm(target.substr(question + 1));
      if (!query.ok()) in.badRequest = "query: " + query.error;
      for (auto& [k, v] : query.fields) request.params.emplace(std::move(k), std::move(v));
    }
    std::string forwarded;
    for (const auto& field : head) {
      const auto name = field.name_string();
      if (beast::iequals(name, "X-Forwarded-For")) {
        if (!forwarded.empty()) forwarded += ',';
        forwarded.append(field.value());
      }
    }
    request.clientAddress = clientAddress(peer, forwarded, options.trustedProxies);
    const bool keepAlive = head.keep_alive();
    const bool isHead = head.method() == bhttp::verb::head;

    // Static files: answered here, from memory, without a worker (not on the TLS listener).
    if ((head.method() == bhttp::verb::get || isHead) && in.badRequest.empty() && !kTls<Stream>) {
      if (auto answer = staticFiles.serve(request.path, head[bhttp::field::accept_encoding],
                                          head[bhttp::field::if_none_match],
                                          head[bhttp::field::if_modified_since])) {
        Outgoing out;
        out.status = answer->status;
        out.headers = std::move(answer->headers);
        out.sharedBody = answer->body;
        if (answer->status == 404) {
          std::string ignored;
          out = toOutgoing(errorPage(request, requestId, {.code = app::ErrorCode::NotFound},
                                     "no static file", ignored),
                           "");
        }
        logRequest(request.method, request.path, out.status, started, request.clientAddress,
                   requestId, "");
        // Counted before the answer leaves: a client's next request (/metrics) sees it.
        metrics.record(out.status, std::chrono::duration_cast<std::chrono::microseconds>(
                                       Clock::now() - started));
        const bool again = co_await write(stream, out, keepAlive, requestId, isHead);
        if (!again) {
          co_await closeAfterAnswer(stream, buffer, !keepAlive && parser.is_done());
          co_return false;
        }
        co_return true;
      }
    }

    // The size is checked before the body is read, so a huge body costs nothing.
    const UploadRoute* upload =
        kTls<Stream> ? nullptr : uploadRouteFor(request.method, request.path);
    const std::uint64_t cap = upload ? upload->maxRequestBytes : options.maxRequestBytes;
    std::uint64_t announced = 0;
    if (head.find(bhttp::field::content_length) != head.end()) {
      auto length = wire::parseContentLength(head[bhttp::field::content_length]);
      if (!length) {
        in.badRequest = "bad Content-Length";
      } else {
        announced = *length;
      }
    }
    if (announced > cap) {
      auto out = ioError<Stream>(request.path, app::ErrorCode::PayloadTooLarge);
      logRequest(request.method, request.path, 413, started, request.clientAddress, requestId,
                 "announced " + std::to_string(announced) + " bytes, cap " + std::to_string(cap));
      co_await write(stream, out, false, requestId, false);
      metrics.record(413, std::chrono::microseconds{0});
      co_await lingeringClose(stream);
      co_return false;
    }
    // A chunked body's size is known chunk by chunk: with the cap as the parser's limit, a chunk
    // whose size line says it would pass it is refused at that line (error::body_limit below),
    // rather than after the body's deadline spent waiting for bytes refused anyway.
    parser.body_limit(cap);
    if (beast::iequals(head[bhttp::field::expect], "100-continue") && !parser.is_done()) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      std::tie(ec, std::ignore) =
          co_await asio::async_write(stream, asio::buffer(kContinue), kTuple);
      if (ec) co_return false;
    }

    for (const auto& field : head) {
      const auto name = field.name_string();
      if (beast::iequals(name, "Cookie") && !kTls<Stream>) {
        for (auto& [k, v] : wire::parseCookies(field.value()))
          request.cookies.emplace(std::move(k), std::move(v));
      }
    }
    request.htmx = head.find("HX-Request") != head.end();
    request.authorization = std::string(head[bhttp::field::authorization]);
    request.accept = std::string(head[bhttp::field::accept]);
    in.sentCsrfHeader = std::string(head["X-CSRF-Token"]);

    // The body: a form in memory, or multipart parts (files streamed to a temporary folder).
    const std::string_view contentType = head[bhttp::field::content_type];
    std::optional<wire::MultipartParser> multipart;
    std::string body;
    std::ofstream file;
    UploadedFile* current = nullptr;
    if (!parser.is_done() && in.badRequest.empty()) {
      if (auto boundary = wire::multipartBoundary(contentType)) {
        wire::MultipartLimits limits;
        limits.maxFieldsBytes = options.maxRequestBytes;
        limits.maxFieldBytes = options.maxRequestBytes;
        limits.maxFileBytes = upload ? upload->maxFileBytes : 0;
        wire::FileSink sink;
        sink.open = [&, upload](const std::string& field, const std::string& fileName) {
          // Keep at most maxFiles + 1 files: enough to tell the user there were too many.
          if (!upload || static_cast<int>(request.files.size()) > upload->maxFiles) return false;
          if (!request.uploadFolder)
            request.uploadFolder = std::make_shared<TemporaryFolder>(
                (options.uploadDir.empty() ? std::filesystem::temp_directory_path()
                                           : options.uploadDir) /
                ("sas-upload-" + tokens.random().substr(0, 24)));
          UploadedFile f;
          f.field = field;
          f.fileName = fileName;
          f.path = request.uploadFolder->path() / ("part-" + std::to_string(request.files.size()));
          request.files.push_back(std::move(f));
          current = &request.files.back();
          file.open(current->path, std::ios::binary | std::ios::trunc);
          return static_cast<bool>(file);
        };
        sink.write = [&](std::string_view bytes) {
          file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        };
        sink.close = [&, upload](std::uint64_t total) {
          file.close();
          current->size = total;
          current->tooLarge = upload && total > upload->maxFileBytes;
          // A file input left empty: no name, no bytes.
          if (current->fileName.empty() && total == 0) {
            std::error_code removeError;
            std::filesystem::remove(current->path, removeError);
            request.files.pop_back();
          }
          current = nullptr;
        };
        multipart.emplace(*boundary, limits, std::move(sink));
      } else if (contentType.starts_with("multipart/")) {
        in.badRequest = "multipart body without a boundary";
      }
    }
    if (!parser.is_done()) {
      // Read the whole body even when it will be refused: closing with unread bytes resets
      // the connection, and the client would lose the answer.
      std::vector<char> chunk(static_cast<std::size_t>(
          std::min<std::uint64_t>(announced ? announced : 64 * 1024, 64 * 1024)));
      const auto bodyStart = Clock::now();
      std::uint64_t received = 0;
      bool tooLarge = false;
      while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        tcpStream.expires_at(
            bodyStart + options.bodyTimeout +
            std::chrono::milliseconds{received * 1000 /
                                      std::max<std::size_t>(1, options.minBodyBytesPerSecond)});
        std::tie(ec, std::ignore) = co_await bhttp::async_read_some(stream, buffer, parser, kTuple);
        if (ec == bhttp::error::need_buffer) ec = {};
        if (ec == bhttp::error::body_limit) {
          ec = {};
          tooLarge = true;
          break;
        }
        if (ec) break;
        const std::size_t got = chunk.size() - parser.get().body().size;
        received += got;
        if (received > cap) {
          tooLarge = true;  // a chunked body: its size is known only now
          break;
        }
        if (!in.badRequest.empty()) continue;
        const std::string_view bytes(chunk.data(), got);
        if (multipart) {
          if (!multipart->feed(bytes)) in.badRequest = "multipart: " + multipart->error();
        } else {
          body.append(bytes);
        }
      }
      if (ec && isParseError(ec)) {
        in.badRequest = "body: " + ec.message();
      } else if (ec) {
        co_return false;  // timed out (the stream is closed), or the client left
      }
      if (tooLarge) {
        auto out = ioError<Stream>(request.path, app::ErrorCode::PayloadTooLarge);
        logRequest(request.method, request.path, 413, started, request.clientAddress, requestId,
                   "chunked body over the cap");
        co_await write(stream, out, false, requestId, false);
        metrics.record(413, std::chrono::microseconds{0});
        co_await lingeringClose(stream);
        co_return false;
      }
    }
    if (file.is_open()) file.close();
    if (in.badRequest.empty()) {
      if (multipart) {
        if (!multipart->finish()) {
          in.badRequest = "multipart: " + multipart->error();
        } else {
          for (const auto& [k, v] : multipart->fields()) request.params.emplace(k, v);
        }
      } else if (!body.empty() && (contentType.empty() ||
                                   beast::iequals(contentType.substr(0, contentType.find(';')),
                                                  "application/x-www-form-urlencoded"))) {
        auto form = wire::decodeForm(body);
        if (!form.ok()) in.badRequest = "form: " + form.error;
        for (auto& [k, v] : form.fields) request.params.emplace(std::move(k), std::move(v));
      } else {
        request.body = std::move(body);  // JSON of the API: its handler reads it
      }
    }
    if (!in.badRequest.empty()) {
      // The rest of a malformed request is not to be trusted: answer, then close.
      request.params.clear();
      request.body.clear();
      request.files.clear();
    }
    const bool closeAfter = !in.badRequest.empty() && !parser.is_done();

    // The handler, on a worker: it may block on SQL without holding this thread.
    std::string newCsrfCookie, logDetail;
    Response response = co_await asio::co_spawn(
        *pool,
        [&]() -> asio::awaitable<Response> {
          if constexpr (kTls<Stream>) {
            co_return processTls(in, requestId, logDetail);
          } else {
            co_return process(in, requestId, newCsrfCookie, logDetail);
          }
        },
        asio::use_awaitable);
    if constexpr (kTls<Stream>) response.cookies.clear();  // programs get no cookie
    Outgoing out = toOutgoing(std::move(response), newCsrfCookie);
    out.close = closeAfter;
    logRequest(request.method, request.path, out.status, started, request.clientAddress, requestId,
               logDetail);
    // Counted before the answer leaves: a client's next request (/metrics) sees it.
    metrics.record(out.status,
                   std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
    const bool again = co_await write(stream, out, keepAlive, requestId, isHead);
    if (!again) {
      co_await closeAfterAnswer(stream, buffer, !keepAlive && parser.is_done());
      co_return false;
    }
    co_return true;
  }

  /// Beyond max_connections: a 503 that costs nothing, then the connection is closed.
  asio::awaitable<void> refuse(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    Outgoing out;
    out.status = 503;
    out.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    out.headers.emplace_back("Retry-After", "1");
    out.headers.emplace_back("Cache-Control", "no-store");
    out.sharedBody = std::make_shared<const std::string>(refusalPage);
    out.close = true;
    co_await write(stream, out, false, newReference(tokens), false);
    co_await lingeringClose(stream);
  }

  /// Accepts connections on `listener`: plain ones, or TLS ones when `tls`.
  asio::awaitable<void> acceptLoop(tcp::acceptor& listener, bool tls) {
    for (;;) {
      tcp::socket socket(asio::make_strand(*io));
      auto [ec] = co_await listener.async_accept(socket, kTuple);
      if (ec) {
        if (stopping.load() || !listener.is_open() || ec == asio::error::operation_aborted)
          co_return;
        // Out of file descriptors, or a connection reset before it was taken: wait a little
        // rather than spin.
        asio::steady_timer pause(listener.get_executor(), std::chrono::milliseconds{50});
        co_await pause.async_wait(kTuple);
        continue;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (open.load() >= options.maxConnections) {
        // A 503 in clear text means nothing to a TLS client, and a handshake costs: closed.
        if (tls) {
          socket.close(ignored);
          continue;
        }
        auto executor = socket.get_executor();
        asio::co_spawn(executor, refuse(std::move(socket)), asio::detached);
        continue;
      }
      if (tls) {
        launch(std::make_shared<StreamConnection<TlsStream>>(std::move(socket), *tlsContext));
      } else {
        launch(std::make_shared<StreamConnection<beast::tcp_stream>>(std::move(socket)));
      }
    }
  }

  template <class Stream>
  void launch(std::shared_ptr<StreamConnection<Stream>> connection) {
    {
      std::lock_guard lock(mutex);
      connections.insert(connection);
      ++open;
    }
    asio::co_spawn(connection->tcp().get_executor(), session<Stream>(connection),
                   [this, connection](std::exception_ptr error) {
                     if (error) {
                       try {
                         std::rethrow_exception(error);
                       } catch (const std::exception& e) {
                         logLine("error", "connection failed", {{"error", e.what()}});
                       }
                     }
                     std::lock_guard lock(mutex);
                     connections.erase(connection);
                     --open;
                     drained.notify_all();
                   });
  }

  std::unique_ptr<tcp::acceptor> listen(const std::string& host, int portNumber) {
    auto listener = std::make_unique<tcp::acceptor>(asio::make_strand(*io));
    tcp::resolver resolver(*io);
    const auto endpoint =
        resolver.resolve(host, std::to_string(portNumber), tcp::resolver::passive)->endpoint();
    listener->open(endpoint.protocol());
    listener->set_option(asio::socket_base::reuse_address(true));
    listener->bind(endpoint);
    listener->listen(asio::socket_base::max_listen_connections);
    return listener;
  }

  // The threads named, so that `top -H`, `perf` and /proc tell workers from I/O threads: one
  // task per worker, each held at a latch until all have started, so that no thread takes two.
  void nameWorkers() {
    const auto n = static_cast<std::ptrdiff_t>(std::max(1, options.workers));
    auto started = std::make_shared<std::latch>(n);
    for (std::ptrdiff_t i = 0; i < n; ++i)
      asio::post(*pool, [started] {
        pthread_setname_np(pthread_self(), "sas-worker");
        started->arrive_and_wait();
      });
    started->wait();
  }

  void start() {
    raiseOpenFileLimit();
    useServerAllocatorPolicy();
    io = std::make_unique<asio::io_context>(std::max(1, options.ioThreads));
    pool =
        std::make_unique<asio::thread_pool>(static_cast<std::size_t>(std::max(1, options.workers)));
    nameWorkers();
    // The TLS files first: a bad one stops the start before anything listens.
    if (options.tls) tlsContext = makeTlsContext(*options.tls);
    acceptor = listen(options.host, options.port);
    port = acceptor->local_endpoint().port();
    if (options.tls) {
      tlsAcceptor = listen(options.tls->host, options.tls->port);
      tlsPort = tlsAcceptor->local_endpoint().port();
    }
    stopping = false;
    asio::co_spawn(acceptor->get_executor(), acceptLoop(*acceptor, false), asio::detached);
    if (tlsAcceptor)
      asio::co_spawn(tlsAcceptor->get_executor(), acceptLoop(*tlsAcceptor, true), asio::detached);
    for (int i = 0; i < std::max(1, options.ioThreads); ++i) {
      ioThreads.emplace_back([this] { io->run(); });
      // Named from here, so that the name is set when start() returns.
      pthread_setname_np(ioThreads.back().native_handle(), "sas-io");
    }
    running = true;
  }

  /// Runs `task` on every connection's strand.
  void forEachConnection(const std::function<void(Connection&)>& task) {
    std::lock_guard lock(mutex);
    for (const auto& c : connections) asio::post(c->tcp().get_executor(), [c, task] { task(*c); });
  }

  void stop() {
    if (!running) return;
    running = false;
    stopping = true;
    for (auto* listener : {acceptor.get(), tlsAcceptor.get()}) {
      if (!listener) continue;
      asio::post(listener->get_executor(), [listener] {
        beast::error_code ignored;
        listener->close(ignored);
      });
    }
    // Idle connections go now; the others after the answer they are reading or preparing. A
    // connection whose request's first bytes arrived before the stop, not read yet (a busy
    // machine), is one of the others: its client sent before the stop.
    forEachConnection([](Connection& c) {
      beast::error_code ec;
      if (c.idle && c.tcp().socket().available(ec) == 0) c.tcp().cancel();
    });
    {
      std::unique_lock lock(mutex);
      drained.wait_until(lock, Clock::now() + options.stopGrace, [this] { return open == 0; });
    }
    forEachConnection([](Connection& c) { c.tcp().cancel(); });
    {
      std::unique_lock lock(mutex);
      drained.wait_until(lock, Clock::now() + std::chrono::seconds{1},
                         [this] { return open == 0; });
    }
    io->stop();
    for (auto& t : ioThreads) t.join();
    ioThreads.clear();
    pool->join();
    flushLog();
  }
};

WebServer::WebServer(ServerOptions options, app::AuthService& auth, const app::Tokens& tokens,
                     const Views& views, Router router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), auth, tokens, views, std::move(router),
                                   metrics)) {}

WebServer::~WebServer() {
  stop();
}

void WebServer::start() {
  impl_->start();
}

void WebServer::stop() {
  if (impl_) impl_->stop();
}

int WebServer::port() const {
  return impl_->port;
}

int WebServer::tlsPort() const {
  return impl_->tlsPort;
}

std::size_t WebServer::openConnections() const {
  return impl_->open.load();
}

}  // namespace sas::http
