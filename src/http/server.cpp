#include "http/server.hpp"

#include <Poco/Logger.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <array>
#include <chrono>
#include <fstream>
#include <limits>
#include <random>
#include <thread>

#include "app/errors.hpp"
#include "http/errors.hpp"

namespace sas::http {

nlohmann::json layoutModel(const Request& request, const std::string& title) {
  nlohmann::json m;
  m["title"] = title;
  m["csrf"] = request.csrfToken;
  if (request.session) {
    const auto& user = request.session->actor.user;
    const bool administrator = user.role == app::Role::Administrator;
    m["user"] = {{"name", user.displayName()},
                 {"email", user.email},
                 {"role", app::roleLabel(user.role)},
                 {"managesAccounts", administrator || user.role == app::Role::AccountManager},
                 {"administrator", administrator}};
  } else {
    m["user"] = nullptr;
  }
  return m;
}

namespace {

const char* const kSecurityHeaders[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     "font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
};

std::string contentTypeFor(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> types{
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".pdf", "application/pdf"},
  };
  auto it = types.find(p.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

/// Streams each file of a multipart form to its own temporary file, never more than the
/// route's per-file cap (the rest of a too large file is read and dropped).
class UploadPartHandler final : public Poco::Net::PartHandler {
 public:
  UploadPartHandler(const UploadRoute& route, std::shared_ptr<TemporaryFolder> folder,
                    std::vector<UploadedFile>& files)
      : route_(route), folder_(std::move(folder)), files_(files) {}

  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    std::string disposition;
    Poco::Net::NameValueCollection params;
    Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition,
                                              params);
    UploadedFile file;
    file.field = params.get("name", "");
    file.fileName = params.get("filename", "");
    // Keep at most maxFiles + 1 files: enough to tell the user there were too many.
    const bool keep = static_cast<int>(files_.size()) <= route_.maxFiles;
    std::ofstream out;
    if (keep) {
      file.path = folder_->path() / ("part-" + std::to_string(files_.size()));
      out.open(file.path, std::ios::binary | std::ios::trunc);
      if (!out) throw std::runtime_error("cannot write " + file.path.string());
    }
    std::array<char, 64 * 1024> buffer{};
    while (stream) {
      stream.read(buffer.data(), buffer.size());
      const auto n = static_cast<std::uintmax_t>(stream.gcount());
      if (n == 0) break;
      const auto room = file.size < route_.maxFileBytes ? route_.maxFileBytes - file.size : 0;
      if (keep && room > 0)
        out.write(buffer.data(), static_cast<std::streamsize>(std::min<std::uintmax_t>(n, room)));
      file.size += n;
    }
    file.tooLarge = file.size > route_.maxFileBytes;
    if (keep) out.close();
    // A file input left empty: no name, no bytes.
    if (file.fileName.empty() && file.size == 0) {
      if (keep) std::filesystem::remove(file.path);
      return;
    }
    if (!keep) file.path.clear();
    files_.push_back(std::move(file));
  }

 private:
  const UploadRoute& route_;
  std::shared_ptr<TemporaryFolder> folder_;
  std::vector<UploadedFile>& files_;
};

std::string pathOf(const std::string& uri) {
  return uri.substr(0, uri.find_first_of("?#"));
}

}  // namespace

struct WebServer::Impl {
  ServerOptions options;
  app::AuthService& auth;
  const app::Tokens& tokens;
  const Views& views;
  Router router;
  Metrics& metrics;
  std::filesystem::path staticRoot;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;

  Impl(ServerOptions o, app::AuthService& a, const app::Tokens& t, const Views& v, Router r,
       Metrics& m)
      : options(std::move(o)), auth(a), tokens(t), views(v), router(std::move(r)), metrics(m) {
    if (!options.staticDir.empty() && std::filesystem::exists(options.staticDir))
      staticRoot = std::filesystem::canonical(options.staticDir);
  }

  Response errorPage(const Request& request, app::ErrorCode code, const std::string& detail,
                     std::chrono::seconds retryAfter = std::chrono::seconds{0}) {
    const auto text = errorText(code);
    const std::string reference = newReference();
    auto& log = Poco::Logger::get("sas.http");
    if (text.status >= 500)
      log.error("%s %s [%s]: %s", request.method, request.path, reference, detail);
    else
      log.information("%s %s -> %d: %s", request.method, request.path, text.status, detail);
    if (code == app::ErrorCode::Unauthenticated && request.method == "GET")
      return Response::redirect("/connexion?suite=" + Poco::URI(request.path).toString());
    auto model = layoutModel(request, text.title);
    model["message"] = text.message;
    model["reference"] = text.status >= 500 ? reference : "";
    auto response = Response::html(views.page("pages/error", model), text.status);
    if (retryAfter.count() > 0)
      response.headers.emplace_back("Retry-After", std::to_string(retryAfter.count()));
    return response;
  }

  bool serveStatic(const std::string& path, Poco::Net::HTTPServerResponse& out) {
    if (staticRoot.empty() || path.rfind("/static/", 0) != 0) return false;
    std::error_code ec;
    const auto file = std::filesystem::weakly_canonical(staticRoot / path.substr(8), ec);
    const auto rel = file.lexically_relative(staticRoot);
    if (ec || rel.empty() || *rel.begin() == ".." || !std::filesystem::is_regular_file(file))
      return false;
    out.set("X-Content-Type-Options", "nosniff");
    out.set("Cache-Control", "public, max-age=3600");
    out.sendFile(file.string(), contentTypeFor(file));
    return true;
  }

  void handle(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
    const auto started = std::chrono::steady_clock::now();
    serve(in, out);
    metrics.record(static_cast<int>(out.getStatus()),
                   std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::steady_clock::now() - started));
  }

  void serve(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
    Request request;
    request.method = in.getMethod();
    request.clientAddress = in.clientAddress().host().toString();
    Response response;
    // The size is checked before anything is read, so a huge body costs nothing. Routes that
    // take files have their own cap.
    const UploadRoute* upload = nullptr;
    for (const auto& r : options.uploadRoutes)
      if (request.method == "POST" && r.path == pathOf(in.getURI())) upload = &r;
    const std::size_t cap = upload ? upload->maxRequestBytes : options.maxRequestBytes;
    if (request.method == "POST" &&
        (in.getContentLength() > static_cast<std::streamsize>(cap) ||
         (in.getContentLength() == Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH &&
          in.getChunkedTransferEncoding()))) {
      response.status = 413;
      response.body = views.page("pages/error", {{"title", "Demande trop volumineuse"},
                                                 {"message", "La demande est trop volumineuse."},
                                                 {"user", nullptr}});
      response.headers.emplace_back("Connection", "close");
      write(response, in, out);
      return;
    }
    std::string newCsrfCookie;
    try {
      Poco::URI uri(in.getURI());
      request.path = uri.getPath();
      if (request.method == "GET" && serveStatic(request.path, out)) return;
      for (const auto& [k, v] : uri.getQueryParameters()) request.params.emplace(k, v);
      request.htmx = in.has("HX-Request");
      request.authorization = in.get("Authorization", "");

      Poco::Net::NameValueCollection cookies;
      in.getCookies(cookies);
      for (const auto& [k, v] : cookies) request.cookies[k] = v;

      if (request.method == "POST") {
        Poco::Net::HTMLForm form;
        form.setFieldLimit(1000);
        try {
          if (upload && in.getContentType().rfind("multipart/form-data", 0) == 0) {
            request.uploadFolder = std::make_shared<TemporaryFolder>(
                (options.uploadDir.empty() ? std::filesystem::temp_directory_path()
                                           : options.uploadDir) /
                ("sas-upload-" + tokens.random().substr(0, 24)));
            UploadPartHandler parts(*upload, request.uploadFolder, request.files);
            form.load(in, in.stream(), parts);
          } else {
            form.load(in, in.stream());
          }
        } catch (const Poco::Net::HTMLFormException& e) {  // too many or too long fields
          // Read the rest (its length is within the cap checked above): closing a socket with
          // unread bytes resets it, and the client would lose the answer.
          in.stream().ignore(std::numeric_limits<std::streamsize>::max());
          throw app::AppError(app::ErrorCode::BadRequest, e.displayText());
        }
        for (const auto& [k, v] : form) request.params.emplace(k, v);
      }

      if (auto it = request.cookies.find(kSessionCookie); it != request.cookies.end()) {
        request.sessionToken = it->second;
        request.session = auth.resolve(it->second, request.clientAddress);
      }
      if (request.session) {
        request.csrfToken = request.session->csrfToken;
      } else if (auto it = request.cookies.find(kCsrfCookie);
                 it != request.cookies.end() && it->second.size() >= 32) {
        request.csrfToken = it->second;
      } else {
        newCsrfCookie = tokens.random();
        request.csrfToken = newCsrfCookie;
      }

      if (request.method == "POST") {
        const std::string sent =
            request.param("csrf").empty() ? in.get("X-CSRF-Token", "") : request.param("csrf");
        if (!newCsrfCookie.empty() || !tokens.equal(sent, request.csrfToken))
          throw app::AppError(app::ErrorCode::BadRequest, "CSRF token missing or wrong");
      }

      // An expired password must be changed before anything else
      // (docs/rules.md#accounts-and-passwords).
      if (request.session && request.session->passwordExpired &&
          request.path != "/compte/mot-de-passe" && request.path != "/deconnexion" &&
          request.path != "/cgu" && request.path != "/confidentialite") {
        response = Response::redirect("/compte/mot-de-passe");
        write(response, in, out);
        return;
      }
      // A health professional's account opened by Pro Santé Connect: the CGU pop-in (a page of
      // its own) must be accepted before any page of his space (docs/rules.md#psc-first-login,
      // case 2).
      if (request.session && request.session->actor.user.role == app::Role::Practitioner &&
          !request.session->actor.user.termsAccepted && request.path != "/psc/cgu" &&
          request.path != "/deconnexion" && request.path != "/cgu" &&
          request.path != "/confidentialite") {
        response = Response::redirect("/psc/cgu");
        write(response, in, out);
        return;
      }

      bool pathKnown = false;
      const Handler* handler = router.match(request, pathKnown);
      if (!handler)
        throw app::AppError(app::ErrorCode::NotFound,
                            pathKnown ? "method not allowed" : "no route");
      response = (*handler)(request);
    } catch (const app::AppError& e) {
      response = errorPage(request, e.code(), e.what(), e.retryAfter());
    } catch (const Poco::Exception& e) {
      response = errorPage(request, app::ErrorCode::Internal, e.displayText());
    } catch (const std::exception& e) {
      response = errorPage(request, app::ErrorCode::Internal, e.what());
    }
    if (!newCsrfCookie.empty()) response.cookies.push_back({kCsrfCookie, newCsrfCookie, -1});
    write(response, in, out);
  }

  void write(const Response& response, Poco::Net::HTTPServerRequest& in,
             Poco::Net::HTTPServerResponse& out) {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    for (const auto& h : kSecurityHeaders) out.set(h[0], h[1]);
    out.set("Cache-Control", "no-store");
    for (const auto& [k, v] : response.headers) out.set(k, v);
    for (const auto& c : response.cookies) {
      Poco::Net::HTTPCookie cookie(c.name, c.value);
      cookie.setPath("/");
      cookie.setHttpOnly(true);
      cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
      cookie.setSecure(options.secureCookies);
      if (c.maxAgeSeconds >= 0) cookie.setMaxAge(c.maxAgeSeconds);
      out.addCookie(cookie);
    }
    if (!response.file.empty()) {
      out.sendFile(response.file.string(), response.contentType);
      return;
    }
    out.setContentType(response.contentType);
    out.setContentLength(static_cast<std::streamsize>(response.body.size()));
    std::ostream& body = out.send();
    // POCO's response stream cuts a page into 4 KB sends, one system call each: the headers go
    // through it, the page straight to the socket in one call.
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&in);
    if (!impl || in.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD) {
      body << response.body;
      return;
    }
    body.flush();
    impl->socket().sendBytes(response.body.data(), static_cast<int>(response.body.size()));
  }
};

namespace {

class RequestHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RequestHandler(WebServer::Impl& impl) : impl_(impl) {}
  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override;

 private:
  WebServer::Impl& impl_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(WebServer::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(impl_);
  }

 private:
  WebServer::Impl& impl_;
};

}  // namespace

void RequestHandler::handleRequest(Poco::Net::HTTPServerRequest& in,
                                   Poco::Net::HTTPServerResponse& out) {
  impl_.handle(in, out);
}

WebServer::WebServer(ServerOptions options, app::AuthService& auth, const app::Tokens& tokens,
                     const Views& views, Router router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), auth, tokens, views, std::move(router),
                                   metrics)) {}

WebServer::~WebServer() {
  stop();
}

void WebServer::start() {
  Poco::Net::ServerSocket socket(
      Poco::Net::SocketAddress(impl_->options.host, static_cast<Poco::UInt16>(impl_->options.port)),
      128);
  impl_->port = socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(impl_->options.threads);
  params->setMaxQueued(256);
  params->setKeepAlive(true);
  impl_->server =
      std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(*impl_), socket, params);
  impl_->server->start();
}

void WebServer::stop() {
  if (impl_ && impl_->server) {
    // No new connections; requests in flight finish (keep-alive ends after them). Whatever is
    // still open after the grace period is cut, so that a stop never hangs.
    impl_->server->stopAll(false);
    const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
    while (impl_->server->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    impl_->server->stopAll(true);
    impl_->server.reset();
  }
}

int WebServer::port() const {
  return impl_->port;
}

}  // namespace sas::http
