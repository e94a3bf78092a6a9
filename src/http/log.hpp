#pragma once
// The platform's log: logfmt lines on standard error (docs/deploy.md « Logs »).
#include <initializer_list>
#include <span>
#include <string_view>
#include <utility>

namespace sas::http {

/// One logfmt line: `ts=… level=… msg=… key=value…`. Lines of level "error" or "warn" are
/// written before this returns; "info" lines (one per request) are written in batches, at the
/// latest 200 ms later: one write per request cost a quarter of a page's CPU time.
/// The fields are views: nothing is copied but into the line (one per request).
using LogField = std::pair<std::string_view, std::string_view>;
void logLine(const char* level, const char* message, std::span<const LogField> fields);
inline void logLine(const char* level, const char* message,
                    std::initializer_list<LogField> fields) {
  logLine(level, message, std::span<const LogField>(fields.begin(), fields.size()));
}

/// Writes every line logged so far (at shutdown, and for tests that read the log).
void flushLog();

}  // namespace sas::http
