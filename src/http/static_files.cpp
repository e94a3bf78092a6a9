#include "http/static_files.hpp"
#include "domain/text.hpp"

#include <ctime>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>

namespace sas::http {
namespace {

constexpr std::uintmax_t kMaxCachedBytes = 32u << 20;

std::string contentTypeFor(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> types{
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".pdf", "application/pdf"},
  };
  auto it = types.find(p.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

std::optional<std::string> readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

/// Calls `found` on each comma-separated item of a header value, trimmed (Accept-Encoding,
/// If-None-Match), until it returns true; whether one did. No allocation: static files are
/// answered on the I/O threads.
template <class Found>
bool anyItem(std::string_view header, Found found) {
  std::size_t start = 0;
  while (start < header.size()) {
    auto end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    if (found(domain::trim(header.substr(start, end - start), domain::kBlanks))) return true;
    start = end + 1;
  }
  return false;
}

/// Whether Accept-Encoding accepts `coding` (listed, and not with q=0).
bool accepts(std::string_view header, std::string_view coding) {
  return anyItem(header, [coding](std::string_view item) {
    const auto semi = item.find(';');
    if (domain::trim(item.substr(0, semi), domain::kBlanks) != coding) return false;
    if (semi == std::string_view::npos) return true;
    const auto q = domain::trim(item.substr(semi + 1), domain::kBlanks);
    return !(q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000");
  });
}

/// If-None-Match holds `etag` (or "*"); weak and strong forms compare equal, as RFC 9110 asks.
bool matches(std::string_view header, std::string_view etag) {
  return anyItem(header, [etag](std::string_view item) {
    if (item == "*") return true;
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    return item == etag;
  });
}

std::optional<std::time_t> parseHttpDate(std::string_view text) {
  std::tm tm{};
  const std::string s(text);
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return timegm(&tm);
}

bool isHex(std::string_view s) {
  for (const char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string httpDate(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buffer;
}

std::string StaticFiles::fingerprint(std::string_view bytes) {
  // FNV-1a: the same bytes give the same name on every process and every build.
  std::uint64_t h = 1469598103934665603ull;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 10; ++i) out.push_back(digits[(h >> (60 - 4 * i)) & 0xf]);
  return out;
}

StaticFiles::StaticFiles(std::filesystem::path root) {
  std::error_code ec;
  if (!root.empty() && std::filesystem::is_directory(root, ec))
    root_ = std::filesystem::canonical(root, ec);
}

std::shared_ptr<const StaticFiles::Entry> StaticFiles::load(const std::filesystem::path& file,
                                                            const std::string& key) const {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::is_regular_file(status)) return nullptr;
  const auto mtime = std::filesystem::last_write_time(file, ec);
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size > kMaxCachedBytes) return nullptr;
  {
    std::shared_lock lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second->mtime == mtime && it->second->size == size)
      return it->second;
  }
  // A symbolic link must not lead out of static/.
  const auto real = std::filesystem::canonical(file, ec);
  const auto rel = real.lexically_relative(root_);
  if (ec || rel.empty() || *rel.begin() == "..") return nullptr;
  auto bytes = readFile(real);
  if (!bytes) return nullptr;
  auto entry = std::make_shared<Entry>();
  entry->mtime = mtime;
  entry->size = size;
  entry->contentType = contentTypeFor(file);
  entry->lastModified = httpDate(std::chrono::file_clock::to_sys(mtime));
  entry->hash = fingerprint(*bytes);
  entry->plain = {std::make_shared<const std::string>(std::move(*bytes)),
                  "\"" + entry->hash + "\""};
  // Compressed forms made at build time, next to the file; an older one is stale.
  auto variant = [&](const char* suffix, const char* tag) -> Variant {
    auto p = real;
    p += suffix;
    std::error_code e;
    // (Some compressors keep the time to the second only.)
    if (!std::filesystem::is_regular_file(p, e) ||
        std::filesystem::last_write_time(p, e) + std::chrono::seconds{1} < mtime)
      return {};
    auto b = readFile(p);
    if (!b || b->size() >= entry->plain.bytes->size()) return {};
    return {std::make_shared<const std::string>(std::move(*b)),
            "\"" + entry->hash + "-" + tag + "\""};
  };
  entry->gzip = variant(".gz", "gz");
  entry->brotli = variant(".br", "br");
  std::unique_lock lock(mutex_);
  cache_[key] = entry;
  return entry;
}

std::optional<StaticAnswer> StaticFiles::serve(std::string_view path,
                                               std::string_view acceptEncoding,
                                               std::string_view ifNoneMatch,
                                               std::string_view ifModifiedSince) const {
  constexpr std::string_view prefix = "/static/";
  if (path.substr(0, prefix.size()) != prefix) return std::nullopt;
  StaticAnswer notFound;
  notFound.status = 404;
  if (root_.empty()) return notFound;
  const auto rel =
      std::filesystem::path(std::string(path.substr(prefix.size()))).lexically_normal();
  if (rel.empty() || rel.is_absolute() || *rel.begin() == ".." || rel.filename().empty())
    return notFound;
  for (const auto& part : rel)
    if (!part.empty() && part.string().front() == '.') return notFound;  // no hidden files

  bool fingerprinted = false;
  auto entry = load(root_ / rel, rel.string());
  if (!entry) {
    // "name.<fingerprint>.ext" is "name.ext" with its content's fingerprint.
    const auto stem = rel.stem().string();
    const auto dot = stem.rfind('.');
    if (dot == std::string::npos || stem.size() - dot - 1 != 10 || !isHex(stem.substr(dot + 1)))
      return notFound;
    const auto plain = rel.parent_path() / (stem.substr(0, dot) + rel.extension().string());
    entry = load(root_ / plain, plain.string());
    if (!entry) return notFound;
    // An old fingerprint (a page from before a deployment) still gets today's file, briefly.
    fingerprinted = stem.substr(dot + 1) == entry->hash;
  }

  const Variant* chosen = &entry->plain;
  const char* encoding = nullptr;
  if (entry->brotli.bytes && accepts(acceptEncoding, "br")) {
    chosen = &entry->brotli;
    encoding = "br";
  } else if (entry->gzip.bytes && accepts(acceptEncoding, "gzip")) {
    chosen = &entry->gzip;
    encoding = "gzip";
  }

  StaticAnswer answer;
  auto& h = answer.headers;
  h.emplace_back("Cache-Control",
                 fingerprinted ? "public, max-age=31536000, immutable" : "public, max-age=3600");
  h.emplace_back("ETag", chosen->etag);
  h.emplace_back("Last-Modified", entry->lastModified);
  if (entry->gzip.bytes || entry->brotli.bytes) h.emplace_back("Vary", "Accept-Encoding");
  h.emplace_back("X-Content-Type-Options", "nosniff");

  bool unchanged = false;
  if (!ifNoneMatch.empty()) {
    unchanged = matches(ifNoneMatch, chosen->etag);
  } else if (!ifModifiedSince.empty()) {
    const auto since = parseHttpDate(ifModifiedSince);
    const auto modified =
        std::chrono::system_clock::to_time_t(std::chrono::file_clock::to_sys(entry->mtime));
    unchanged = since && *since >= modified;
  }
  if (unchanged) {
    answer.status = 304;
    return answer;
  }
  h.emplace_back("Content-Type", entry->contentType);
  if (encoding) h.emplace_back("Content-Encoding", encoding);
  answer.body = chosen->bytes;
  return answer;
}

std::string StaticFiles::url(const std::string& relative) const {
  const std::string plain = "/static/" + relative;
  if (root_.empty()) return plain;
  const auto rel = std::filesystem::path(relative).lexically_normal();
  auto entry = load(root_ / rel, rel.string());
  if (!entry) return plain;
  const auto name = rel.stem().string() + "." + entry->hash + rel.extension().string();
  return "/static/" + (rel.parent_path() / name).string();
}

}  // namespace sas::http
