#pragma once
// FHIR's error bodies (OperationOutcome) and media type, for every answer of the FHIR listener:
// the refusals of the listener's front and of the server (a malformed request, a body over its
// cap, a handler's app::AppError), and the searches' own 400, 406.
#include <string>
#include <string_view>

#include "http/errors.hpp"
#include "http/request.hpp"

namespace sas::http::fhir {

/// The media type of every FHIR answer (JSON only).
inline constexpr const char* kContentType = "application/fhir+json; charset=utf-8";

/// An OperationOutcome with one error issue: `code` from FHIR's IssueType ("invalid",
/// "not-found", "too-costly", …), `diagnostics` in French for the reader of the log on the
/// client's side.
Response operationOutcome(int status, std::string_view code, const std::string& diagnostics);

/// A refusal (http/errors.hpp) as FHIR answers it: the status of the one mapping, the IssueType
/// of the code, the refusal's message or the code's French words, the reference of a server
/// error, and Allow or Retry-After when set. The server renders its refusals on the FHIR
/// listener with it.
Response refusalResponse(const Request& request, const Refusal& refusal);

}  // namespace sas::http::fhir
