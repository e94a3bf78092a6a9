#pragma once
// Static files under /static/: kept in memory once read (checked against the file's time and
// size at each request), answered with ETag and Last-Modified (304 when unchanged), in their
// gzip or brotli form made at build time when the browser accepts it, and under fingerprinted
// names ("css/sas.1a2b3c4d5e.css") that may be cached for a year. No sockets here.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sas::http {

struct StaticAnswer {
  int status = 200;  // 200, 304 or 404
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<const std::string> body;  // empty for 304 and 404
};

class StaticFiles {
 public:
  /// `root`: the static/ folder (may not exist: then nothing is served).
  explicit StaticFiles(std::filesystem::path root);

  /// The answer for `path` (the request's decoded path, starting with /static/), or none when
  /// the path is not under /static/.
  std::optional<StaticAnswer> serve(std::string_view path, std::string_view acceptEncoding,
                                    std::string_view ifNoneMatch,
                                    std::string_view ifModifiedSince) const;

  /// "/static/<relative>" with the content's fingerprint in the name, for pages to link to;
  /// the plain "/static/<relative>" when the file is missing.
  std::string url(const std::string& relative) const;

  /// The fingerprint of some bytes (10 hex digits).
  static std::string fingerprint(std::string_view bytes);

 private:
  struct Variant {
    std::shared_ptr<const std::string> bytes;
    std::string etag;
  };
  struct Entry {
    std::filesystem::file_time_type mtime;
    std::uintmax_t size = 0;
    std::string contentType;
    std::string lastModified;  // HTTP date
    std::string hash;          // fingerprint of the plain bytes
    Variant plain, gzip, brotli;
  };
  std::shared_ptr<const Entry> load(const std::filesystem::path& file,
                                    const std::string& key) const;

  std::filesystem::path root_;
  mutable std::shared_mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const Entry>> cache_;
};

/// "Sun, 06 Nov 1994 08:49:37 GMT" of a system time.
std::string httpDate(std::chrono::system_clock::time_point t);

}  // namespace sas::http
