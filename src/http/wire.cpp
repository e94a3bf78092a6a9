#include "http/wire.hpp"
#include "domain/text.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace sas::http::wire {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

/// The parameters of a header value like `form-data; name="a"; filename="b.pdf"`: the first
/// item, then name → value with quotes and backslash escapes undone. Names in lower case.
std::pair<std::string, std::map<std::string, std::string>> splitParameters(std::string_view v) {
  std::map<std::string, std::string> params;
  std::size_t i = 0;
  auto item = [&] {
    std::string out;
    bool quoted = false;
    while (i < v.size()) {
      const char c = v[i];
      if (quoted) {
        if (c == '\\' && i + 1 < v.size()) {
          out.push_back(v[i + 1]);
          i += 2;
          continue;
        }
        if (c == '"')
          quoted = false;
        else
          out.push_back(c);
      } else if (c == '"') {
        quoted = true;
      } else if (c == ';') {
        break;
      } else {
        out.push_back(c);
      }
      ++i;
    }
    return out;
  };
  std::string first{domain::trim(item(), domain::kBlanks)};
  while (i < v.size()) {
    ++i;  // the ';'
    const std::size_t start = i;
    const auto eq = v.find('=', start);
    const auto semi = v.find(';', start);
    if (eq == std::string_view::npos || (semi != std::string_view::npos && semi < eq)) {
      i = semi == std::string_view::npos ? v.size() : semi;
      continue;
    }
    std::string name{domain::trim(v.substr(start, eq - start), domain::kBlanks)};
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    i = eq + 1;
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    std::string value = item();
    // An unquoted value keeps no trailing blanks.
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
    params.emplace(std::move(name), std::move(value));
  }
  return {std::move(first), std::move(params)};
}

}  // namespace

bool validUtf8(std::string_view s) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < s.size()) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;  // no overlong forms
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return false;
    for (std::size_t k = 2; k <= n; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return false;
    i += n + 1;
  }
  return true;
}

std::string percentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (std::isalnum(c) && c < 0x80) {
      out += static_cast<char>(c);
    } else if (c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::optional<std::string> percentDecode(std::string_view s, bool plusIsSpace) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int h = hexValue(s[i + 1]), l = hexValue(s[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      out.push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else if (c == '+' && plusIsSpace) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!validUtf8(out)) return std::nullopt;
  return out;
}

FormResult decodeForm(std::string_view body, std::size_t maxFields, std::size_t maxValueBytes) {
  FormResult result;
  std::size_t start = 0;
  while (start <= body.size()) {
    auto end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const auto pair = body.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    if (result.fields.size() >= maxFields) {
      result.error = "too many fields";
      return result;
    }
    const auto eq = pair.find('=');
    auto key = percentDecode(pair.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>{""}
                                              : percentDecode(pair.substr(eq + 1), true);
    if (!key || !value) {
      result.error = "malformed %-escape or invalid UTF-8 in field " +
                     std::string(pair.substr(0, std::min<std::size_t>(eq, 40)));
      return result;
    }
    if (value->size() > maxValueBytes) {
      result.error = "field too long: " + *key;
      return result;
    }
    result.fields.emplace_back(std::move(*key), std::move(*value));
  }
  return result;
}

std::optional<std::string> decodePath(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  auto path = percentDecode(target, false);
  if (!path || path->find('\0') != std::string::npos) return std::nullopt;
  return path;
}

std::map<std::string, std::string> parseCookies(std::string_view header) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < header.size()) {
    auto end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    const auto pair = domain::trim(header.substr(start, end - start), domain::kBlanks);
    start = end + 1;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const auto name = domain::trim(pair.substr(0, eq), domain::kBlanks);
    auto value = domain::trim(pair.substr(eq + 1), domain::kBlanks);
    if (name.empty()) continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    out.emplace(std::string(name), std::string(value));
  }
  return out;
}

std::optional<std::uint64_t> parseContentLength(std::string_view value) {
  value = domain::trim(value, domain::kBlanks);
  if (value.empty() || value.size() > 19) return std::nullopt;
  std::uint64_t n = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
  return n;
}

std::optional<std::string> multipartBoundary(std::string_view contentType) {
  auto [type, params] = splitParameters(contentType);
  if (!equalsIgnoringCase(type, "multipart/form-data")) return std::nullopt;
  auto it = params.find("boundary");
  if (it == params.end() || it->second.empty() || it->second.size() > 70) return std::nullopt;
  return it->second;
}

MultipartParser::MultipartParser(std::string boundary, MultipartLimits limits, FileSink sink)
    : delimiter_("\r\n--" + boundary), limits_(limits), sink_(std::move(sink)) {
  // The first boundary has no CRLF before it: pretend it had one, so one search finds all.
  pending_ = "\r\n";
}

bool MultipartParser::fail(std::string message) {
  if (state_ == State::Body && isFile_ && keep_ && sink_.close) sink_.close(fileBytes_);
  state_ = State::Failed;
  error_ = std::move(message);
  return false;
}

void MultipartParser::emit(std::string_view bytes) {
  if (bytes.empty()) return;
  if (isFile_) {
    if (keep_ && fileBytes_ < limits_.maxFileBytes && sink_.write) {
      const auto room = limits_.maxFileBytes - fileBytes_;
      sink_.write(bytes.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(
                                      room, static_cast<std::uint64_t>(bytes.size())))));
    }
    fileBytes_ += bytes.size();
  } else {
    value_.append(bytes);
  }
}

bool MultipartParser::startPart(std::string_view headers) {
  if (++parts_ > limits_.maxFields) return fail("too many parts");
  std::string disposition;
  std::size_t start = 0;
  while (start < headers.size()) {
    auto end = headers.find("\r\n", start);
    if (end == std::string_view::npos) end = headers.size();
    const auto line = headers.substr(start, end - start);
    start = end + 2;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return fail("malformed part header");
    if (equalsIgnoringCase(domain::trim(line.substr(0, colon), domain::kBlanks),
                           "content-disposition"))
      disposition = std::string(domain::trim(line.substr(colon + 1), domain::kBlanks));
  }
  auto [type, params] = splitParameters(disposition);
  if (!equalsIgnoringCase(type, "form-data")) return fail("part without form-data disposition");
  auto name = params.find("name");
  if (name == params.end()) return fail("part without a name");
  if (!validUtf8(name->second)) return fail("invalid UTF-8 in a part's name");
  name_ = name->second;
  value_.clear();
  fileBytes_ = 0;
  auto file = params.find("filename");
  isFile_ = file != params.end();
  keep_ = false;
  if (isFile_) {
    if (!validUtf8(file->second)) return fail("invalid UTF-8 in a file name");
    keep_ = sink_.open ? sink_.open(name_, file->second) : false;
  }
  state_ = State::Body;
  return true;
}

void MultipartParser::endPart() {
  if (isFile_) {
    if (keep_ && sink_.close) sink_.close(fileBytes_);
    return;
  }
  fields_.emplace_back(std::move(name_), std::move(value_));
}

bool MultipartParser::feed(std::string_view chunk) {
  if (state_ == State::Failed) return false;
  if (state_ == State::Done) return true;  // the epilogue is ignored
  pending_.append(chunk);
  for (;;) {
    switch (state_) {
      case State::Preamble: {
        const auto at = pending_.find(delimiter_);
        if (at == std::string::npos) {
          // Keep what could be the start of the first delimiter; the rest is preamble.
          if (pending_.size() >= delimiter_.size())
            pending_.erase(0, pending_.size() - (delimiter_.size() - 1));
          return true;
        }
        pending_.erase(0, at + delimiter_.size());
        state_ = State::AfterBoundary;
        break;
      }
      case State::AfterBoundary: {
        std::size_t i = 0;
        while (i < pending_.size() && (pending_[i] == ' ' || pending_[i] == '\t')) ++i;
        if (i > 64) return fail("malformed boundary line");
        if (pending_.size() < i + 2) return true;
        if (pending_.compare(i, 2, "--") == 0) {
          state_ = State::Done;
          pending_.clear();
          return true;
        }
        if (pending_.compare(i, 2, "\r\n") != 0) return fail("malformed boundary line");
        pending_.erase(0, i + 2);
        state_ = State::Headers;
        break;
      }
      case State::Headers: {
        if (pending_.size() >= 2 && pending_.compare(0, 2, "\r\n") == 0) {
          pending_.erase(0, 2);
          if (!startPart({})) return false;
          break;
        }
        const auto end = pending_.find("\r\n\r\n");
        if (end == std::string::npos) {
          if (pending_.size() > limits_.maxPartHeaderBytes) return fail("part headers too long");
          return true;
        }
        if (end > limits_.maxPartHeaderBytes) return fail("part headers too long");
        const std::string headers = pending_.substr(0, end);
        pending_.erase(0, end + 4);
        if (!startPart(headers)) return false;
        break;
      }
      case State::Body: {
        const auto at = pending_.find(delimiter_);
        if (at == std::string::npos) {
          // Everything but a possible start of the delimiter belongs to the part.
          if (pending_.size() >= delimiter_.size()) {
            const auto safe = pending_.size() - (delimiter_.size() - 1);
            emit(std::string_view(pending_).substr(0, safe));
            pending_.erase(0, safe);
          }
        } else {
          emit(std::string_view(pending_).substr(0, at));
          pending_.erase(0, at + delimiter_.size());
        }
        if (!isFile_) {
          if (value_.size() > limits_.maxFieldBytes) return fail("field too long");
          if (fieldsBytes_ + value_.size() > limits_.maxFieldsBytes)
            return fail("fields too long in all");
        }
        if (at == std::string::npos) return true;
        if (!isFile_) {
          if (!validUtf8(value_)) return fail("invalid UTF-8 in field " + name_);
          fieldsBytes_ += value_.size();
        }
        endPart();
        state_ = State::AfterBoundary;
        break;
      }
      case State::Done:
        return true;
      case State::Failed:
        return false;
    }
  }
}

bool MultipartParser::finish() {
  if (state_ == State::Failed) return false;
  if (state_ != State::Done) return fail("truncated multipart body");
  return true;
}

MultipartResult parseMultipart(std::string_view body, std::string_view boundary,
                               const MultipartLimits& limits) {
  MultipartResult result;
  FileSink sink;
  sink.open = [&result](const std::string& field, const std::string& fileName) {
    result.files.push_back({field, fileName, {}, 0});
    return true;
  };
  sink.write = [&result](std::string_view bytes) { result.files.back().content.append(bytes); };
  sink.close = [&result](std::uint64_t total) { result.files.back().size = total; };
  MultipartParser parser(std::string(boundary), limits, std::move(sink));
  if (!parser.feed(body) || !parser.finish()) result.error = parser.error();
  result.fields = parser.fields();
  return result;
}

}  // namespace sas::http::wire
