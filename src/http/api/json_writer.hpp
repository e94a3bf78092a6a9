#pragma once
// Writes JSON straight into a string: the search's answer is written thousands of times a
// second, and building a document first (one allocation per key and value) cost more than
// the search itself.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sas::http {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& beginObject() { return open('{'); }
  JsonWriter& endObject() { return close('}'); }
  JsonWriter& beginArray() { return open('['); }
  JsonWriter& endArray() { return close(']'); }

  JsonWriter& key(std::string_view k) {
    separate();
    quoted(k);
    out_.push_back(':');
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
  template <class T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

 private:
  JsonWriter& open(char c) {
    separate();
    out_.push_back(c);
    first_.push_back(true);
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
      first_.back() = false;
    }
  }
  void quoted(std::string_view s) {
    out_.push_back('"');
    for (char c : s) {
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
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            static const char* hex = "0123456789abcdef";
            out_ += "\\u00";
            out_.push_back(hex[(c >> 4) & 0xF]);
            out_.push_back(hex[c & 0xF]);
          } else {
            out_.push_back(c);  // UTF-8 passes through as it is
          }
      }
    }
    out_.push_back('"');
  }

  std::string& out_;
  std::vector<bool> first_;
  bool afterKey_ = false;
};

}  // namespace sas::http
