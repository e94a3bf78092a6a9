#pragma once
// The one error path: each app::ErrorCode maps here, and only here, to an HTTP status, a code
// for JSON clients and the French words shown; every refusal, whether thrown as app::AppError
// and caught by the server or answered by a page that must add a cookie or say more, is
// rendered by refusalResponse: JSON for /api/ paths, the French error page otherwise. One
// generator of the references that tie what the user saw to a log line.
#include <chrono>
#include <string>
#include <string_view>

#include "app/errors.hpp"
#include "app/ports/security.hpp"
#include "http/request.hpp"

namespace sas::http {

class Views;

struct ErrorText {
  int status;
  const char* code;  // "not_found", … : the "error" of a JSON answer
  const char* title;
  const char* message;
};

ErrorText errorText(app::ErrorCode code);

/// The status of a refusal that a page renders with its own template (an expired link, a
/// throttled form that keeps what was typed).
inline int statusOf(app::ErrorCode code) {
  return errorText(code).status;
}

/// 8 characters from an alphabet without look-alikes (domain::readableCode): read over the phone.
std::string newReference(const app::Tokens& tokens);

/// The JSON API's paths: their errors are JSON, never an HTML page.
bool isApiPath(std::string_view path);

/// A refusal as the client sees it; what is empty takes the code's defaults.
struct Refusal {
  app::ErrorCode code = app::ErrorCode::Internal;
  std::string title;
  std::string message;
  std::string reference;               // shown when set (5xx, or a page's own reference)
  std::chrono::seconds retryAfter{0};  // Retry-After, when positive
  std::string allow;                   // 405: the methods the path takes (Allow)
};

/// The answer for a refusal: {"error": code, "message": French text, "reference"?} on /api/
/// paths (with WWW-Authenticate: Bearer for 401), the error page in the layout otherwise.
Response refusalResponse(const Request& request, const Views& views, const Refusal& refusal);

/// The body of an error page for a client known by nothing but its path (the I/O side's
/// refusals, before any session is read).
std::string refusalBody(std::string_view path, const Views& views, app::ErrorCode code,
                        std::string& contentType);

}  // namespace sas::http
