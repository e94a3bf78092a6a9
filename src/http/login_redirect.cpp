#include "http/login_redirect.hpp"

#include <cstddef>
#include <optional>

namespace sas::http {
namespace {

constexpr std::size_t kMaxTarget = 2000;
constexpr int kDecodingDepth = 4;  // %25 nested deeper than this is refused outright

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool dangerousByte(unsigned char c) {
  return c < 0x21 || c > 0x7e || c == '\\';
}

bool leavesTheSite(std::string_view s) {
  // "//host" and "/\host" are read by browsers as another host.
  return s.empty() || s[0] != '/' || (s.size() > 1 && (s[1] == '/' || s[1] == '\\'));
}

/// One level of %-decoding. Strict: nullopt on a malformed escape (what a browser sends is
/// well-formed); lenient: a "%" that starts no escape is kept as it is (a decoded "%").
std::optional<std::string> decodeOnce(std::string_view s, bool strict) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const int hi = s[i] == '%' && i + 2 < s.size() ? hexValue(s[i + 1]) : -1;
    const int lo = hi >= 0 ? hexValue(s[i + 2]) : -1;
    if (s[i] == '%' && lo < 0) {
      if (strict) return std::nullopt;
      out.push_back(s[i]);
      continue;
    }
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

bool isLocalTarget(std::string_view suite) {
  if (suite.size() > kMaxTarget || leavesTheSite(suite)) return false;
  for (unsigned char c : suite)
    if (dangerousByte(c)) return false;
  // A browser does not decode a Location, but the pages it reaches may decode it again (a
  // login page's own suite=…): every level of decoding must be as harmless as the first.
  std::string level(suite);
  for (int depth = 0; depth < kDecodingDepth; ++depth) {
    auto decoded = decodeOnce(level, depth == 0);
    if (!decoded || leavesTheSite(*decoded)) return false;
    for (unsigned char c : *decoded)
      if (c < 0x20 || c == 0x7f || c == '\\') return false;
    if (*decoded == level) return true;
    level = std::move(*decoded);
  }
  return false;
}

std::string afterLogin(std::string_view suite) {
  return isLocalTarget(suite) ? std::string(suite) : std::string(kHomeAfterLogin);
}

std::string loginPageFor(std::string_view requestTarget) {
  return withSuite("/connexion", requestTarget);
}

std::string withSuite(std::string_view page, std::string_view target) {
  if (!isLocalTarget(target)) return std::string(page);
  return std::string(page) + "?suite=" + suiteCookieValue(target);
}

std::string suiteCookieValue(std::string_view target) {
  // The whole target, query string included, travels as one parameter: its own "&" and "="
  // must not split it.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : target) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string suiteFromCookie(std::string_view value) {
  auto decoded = decodeOnce(value, true);
  if (!decoded || !isLocalTarget(*decoded)) return {};
  return *decoded;
}

}  // namespace sas::http
