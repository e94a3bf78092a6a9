#pragma once
// A request and a response as the handlers see them: plain values, no POCO, so that handlers
// stay thin and the server's plumbing stays in server.cpp.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/auth_service.hpp"

namespace sas::http {

/// A file of a multipart form, streamed to a temporary file (routes with an upload limit only).
struct UploadedFile {
  std::string field;
  std::string fileName;  // as sent by the browser: a label, never a path
  std::filesystem::path path;
  std::uintmax_t size = 0;  // bytes sent
  bool tooLarge = false;    // more than the route's per-file limit: the rest was not kept
};

/// A folder removed with its files when the request that owns it ends.
class TemporaryFolder {
 public:
  explicit TemporaryFolder(std::filesystem::path p) : path_(std::move(p)) {
    std::filesystem::create_directories(path_);
  }
  ~TemporaryFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The subject of the client certificate that the TLS handshake verified (the FHIR listener,
/// docs/fhir.md): its first CN and first OU, empty when the subject has none.
struct ClientIdentity {
  std::string commonName;
  std::string organizationalUnit;
};

struct Request {
  std::string method;
  std::string path;
  std::string target;  // path and query string as sent (to come back to after login)
  std::multimap<std::string, std::string> params;  // query string and form fields
  std::map<std::string, std::string> cookies;
  std::map<std::string, std::string> pathParams;  // {id} in a route
  std::string clientAddress;
  bool htmx = false;          // sent by htmx (HX-Request)
  std::string authorization;  // the Authorization header (API tokens)
  std::string accept;         // the Accept header (the FHIR searches answer JSON only)
  std::optional<app::SessionState> session;
  std::string sessionToken;
  std::string csrfToken;            // what forms of this page must send back
  std::string body;                 // a body that is neither a form nor multipart (the API's JSON)
  std::vector<UploadedFile> files;  // multipart uploads, in the order sent
  std::shared_ptr<TemporaryFolder> uploadFolder;  // holds `files` while the request lives
  /// Set on a TLS listener when the client presented a certificate that was verified (chain
  /// to the configured CA, not revoked); empty otherwise, and always on the plain listener.
  std::optional<ClientIdentity> clientIdentity;

  /// The first value of a field, or "".
  std::string param(const std::string& name) const;
  std::vector<std::string> params_(const std::string& name) const;
  bool checked(const std::string& name) const;         // a ticked checkbox
  std::int64_t pathId(const std::string& name) const;  // NotFound when not a positive number
  const app::Actor& actor() const;                     // Unauthenticated when not logged in
};

struct Cookie {
  std::string name;
  std::string value;
  int maxAgeSeconds = -1;  // -1: ends with the browser; 0: delete now
};

inline constexpr const char* kSessionCookie = "sas_session";
inline constexpr const char* kCsrfCookie = "sas_csrf";  // for forms sent before login

struct Response {
  int status = 200;
  std::string contentType = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<Cookie> cookies;
  std::filesystem::path file;  // when set, its content is the body (downloads)

  static Response redirect(const std::string& location);  // 303 See Other
  static Response html(std::string body, int status = 200);
};

}  // namespace sas::http
