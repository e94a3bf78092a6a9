#pragma once
// The platform's log: logfmt lines on standard error (docs/deploy.md « Logs »).
#include <initializer_list>
#include <string_view>
#include <utility>

namespace sas::http {

/// One logfmt line: `ts=… level=… msg=… key=value…`. Lines of level "error" or "warn" are
/// written before this returns; "info" lines (one per request) are written in batches, at the
/// latest 200 ms later: one write per request cost a quarter of a page's CPU time.
/// The fields are views: nothing is copied but into the line (one per request).
void logLine(const char* level, const char* message,
             std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

/// Writes every line logged so far (at shutdown, and for tests that read the log).
void flushLog();

}  // namespace sas::http
