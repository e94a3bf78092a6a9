#pragma once
// Writes JSON straight into a string: the search's answer is written thousands of times a
// second, and building a document first (one allocation per key and value) cost more than
// the search itself.
#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sas::http {

/// A member name, checked when the program is compiled (a name that would need escaping does
/// not compile), so that writing it is one copy instead of a scan: the search's answer writes
/// thousands of them.
class JsonName {
 public:
  template <std::size_t N>
  consteval JsonName(const char (&s)[N]) : text_(s, N - 1) {  // NOLINT: literals convert
    for (char c : text_)
      if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\')
        throw "a JSON member name must not need escaping";
  }
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& beginObject() { return open('{'); }
  JsonWriter& endObject() { return close('}'); }
  JsonWriter& beginArray() { return open('['); }
  JsonWriter& endArray() { return close(']'); }

  JsonWriter& key(JsonName k) {
    separate();
    out_.push_back('"');
    out_.append(k.text());
    out_.append("\":", 2);
    afterKey_ = true;
    return *this;
  }
  JsonWriter& value(std::string_view s) {
    separate();
    quoted(s);
    return *this;
  }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonWriter& value(std::int64_t n) {
    separate();
    char buffer[24];
    auto r = std::to_chars(buffer, buffer + sizeof buffer, n);
    out_.append(buffer, r.ptr);
    return *this;
  }
  JsonWriter& null() {
    separate();
    out_ += "null";
    return *this;
  }
  JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
  JsonWriter& value(std::size_t n) { return value(static_cast<std::int64_t>(n)); }
  /// Shortest text that reads back as the same double.
  JsonWriter& value(double d) {
    separate();
    char buffer[32];
    auto r = std::to_chars(buffer, buffer + sizeof buffer, d);
    out_.append(buffer, r.ptr);
    return *this;
  }
  /// Members written earlier by a JsonWriter (`"a":1,"b":2`, no braces), as the next ones of
  /// the open object.
  JsonWriter& members(std::string_view written) {
    if (written.empty()) return *this;
    separate();
    out_.append(written);
    return *this;
  }
  /// An object whose members were written earlier (`"a":1,"b":2`), in one go: the search's
  /// answer writes hundreds of such availabilities.
  JsonWriter& object(std::string_view written) {
    separate();
    out_.push_back('{');
    out_.append(written);
    out_.push_back('}');
    return *this;
  }
  template <class T>
  JsonWriter& field(JsonName k, const T& v) {
    key(k);
    return value(v);
  }

 private:
  JsonWriter& open(char c) {
    separate();
    out_.push_back(c);
    first_.push_back(1);
    return *this;
  }
  JsonWriter& close(char c) {
    out_.push_back(c);
    first_.pop_back();
    return *this;
  }
  void separate() {
    if (afterKey_) {
      afterKey_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) out_.push_back(',');
      first_.back() = 0;
    }
  }
  void quoted(std::string_view s) {
    out_.push_back('"');
    // Runs of characters that need no escape (nearly all of them) are copied at once.
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (!kEscaped[c]) continue;
      out_.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default: {
          static const char* hex = "0123456789abcdef";
          const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
          out_.append(escaped, sizeof escaped);
        }
      }
    }
    out_.append(s.data() + run, s.size() - run);  // UTF-8 passes through as it is
    out_.push_back('"');
  }

  static constexpr auto kEscaped = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = true;
    table['"'] = table['\\'] = true;
    return table;
  }();

  std::string& out_;
  std::vector<unsigned char> first_;  // per open object or array: no member yet (not vector<bool>:
                                      // its bit arithmetic showed in the search's profile)
  bool afterKey_ = false;
};

}  // namespace sas::http
