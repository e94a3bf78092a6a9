#pragma once
// The request parsers the server owns, as pure functions over bytes (no sockets, no Beast), so
// that unit tests and fuzzers reach them directly: form and query decoding, the path, the
// Cookie header, Content-Length and multipart/form-data (incremental).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sas::http::wire {

/// Whether `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
bool validUtf8(std::string_view s);

/// %XX-decoding; `plusIsSpace` for forms and query strings. Empty on a bad escape or when the
/// result is not UTF-8.
std::optional<std::string> percentDecode(std::string_view s, bool plusIsSpace);

/// %XX-encoding of every byte but the unreserved ones (letters, digits, - . _ ~): safe as a
/// query string's name or value, and decoded back by percentDecode.
std::string percentEncode(std::string_view s);

using Fields = std::vector<std::pair<std::string, std::string>>;

struct FormResult {
  Fields fields;      // in the order sent
  std::string error;  // empty when the whole input decoded
  bool ok() const { return error.empty(); }
};

/// application/x-www-form-urlencoded (a body or a query string). At most `maxFields` fields,
/// each value at most `maxValueBytes` once decoded.
FormResult decodeForm(std::string_view body, std::size_t maxFields = 1000,
                      std::size_t maxValueBytes = 32 * 1024);

/// A request path (without query string), decoded; empty when malformed (bad escape, invalid
/// UTF-8, a NUL byte, or not starting with '/').
std::optional<std::string> decodePath(std::string_view target);

/// The Cookie header: "a=1; b=2". The first of a repeated name wins (the most specific path is
/// sent first). Pairs without '=' are skipped; surrounding quotes of a value are removed.
std::map<std::string, std::string> parseCookies(std::string_view header);

/// A Content-Length value: decimal digits only, no sign, no spaces inside, fits 63 bits.
std::optional<std::uint64_t> parseContentLength(std::string_view value);

/// The boundary of a "multipart/form-data; boundary=…" content type, or empty.
std::optional<std::string> multipartBoundary(std::string_view contentType);

struct MultipartLimits {
  std::size_t maxFieldBytes = 64 * 1024;          // the value of one field kept in memory
  std::size_t maxFieldsBytes = 256 * 1024;        // all fields together
  std::size_t maxFields = 1000;                   // fields and files
  std::size_t maxPartHeaderBytes = 8 * 1024;      // the headers of one part
  std::uint64_t maxFileBytes = 10 * 1024 * 1024;  // bytes of one file passed to the sink
};

/// Where file parts go. `open` returns false to drop the part's bytes (too many files);
/// `write` receives at most maxFileBytes bytes in all for one file; `close` tells how many
/// bytes the part had in all (beyond the cap too).
struct FileSink {
  std::function<bool(const std::string& field, const std::string& fileName)> open;
  std::function<void(std::string_view bytes)> write;
  std::function<void(std::uint64_t totalBytes)> close;
};

/// multipart/form-data, fed in chunks of any size as they arrive. Fields are kept in memory
/// within the limits; each file part is streamed to the sink.
class MultipartParser {
 public:
  MultipartParser(std::string boundary, MultipartLimits limits, FileSink sink);
  /// Consumes a chunk; false once the input is malformed or over a limit (see error()).
  bool feed(std::string_view chunk);
  /// The end of the body: false unless the closing boundary was seen.
  bool finish();
  const Fields& fields() const { return fields_; }
  const std::string& error() const { return error_; }

 private:
  enum class State { Preamble, AfterBoundary, Headers, Body, Done, Failed };
  bool fail(std::string message);
  bool startPart(std::string_view headers);
  void emit(std::string_view bytes);
  void endPart();

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartLimits limits_;
  FileSink sink_;
  State state_ = State::Preamble;
  std::string pending_;  // bytes not yet decided on (a delimiter may start in them)
  std::string error_;
  Fields fields_;
  std::size_t fieldsBytes_ = 0;
  std::size_t parts_ = 0;
  // The current part.
  bool isFile_ = false;
  bool keep_ = false;
  std::string name_;
  std::string value_;
  std::uint64_t fileBytes_ = 0;
};

/// A file part of a whole body parsed at once (tests, fuzzing).
struct ParsedFile {
  std::string field;
  std::string fileName;
  std::string content;
  std::uint64_t size = 0;
};
struct MultipartResult {
  Fields fields;
  std::vector<ParsedFile> files;
  std::string error;
  bool ok() const { return error.empty(); }
};
MultipartResult parseMultipart(std::string_view body, std::string_view boundary,
                               const MultipartLimits& limits = {});

}  // namespace sas::http::wire
