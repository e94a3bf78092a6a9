#include "http/fhir/outcome.hpp"

#include <nlohmann/json.hpp>

namespace sas::http::fhir {

namespace {

struct Issue {
  const char* code;  // FHIR IssueType
  const char* diagnostics;
};

Issue issueOf(app::ErrorCode code) {
  using app::ErrorCode;
  switch (code) {
    case ErrorCode::NotFound:
      return {"not-found", "Aucune ressource FHIR à cette adresse."};
    case ErrorCode::Forbidden:
      return {"forbidden", "Ce certificat client n'est pas autorisé à lire les disponibilités."};
    case ErrorCode::Unauthenticated:
      return {"login",
              "Un certificat client est nécessaire : présentez à la connexion TLS le certificat "
              "délivré pour la plateforme SAS."};
    case ErrorCode::BadRequest:
      return {"invalid", "La requête n'a pas pu être comprise."};
    case ErrorCode::MethodNotAllowed:
      return {"not-supported", "Cette adresse ne permet que la lecture (GET)."};
    case ErrorCode::Conflict:
      return {"conflict", "La ressource a changé entre-temps."};
    case ErrorCode::Gone:
      return {"deleted", "Cette ressource n'existe plus."};
    case ErrorCode::PayloadTooLarge:
      return {"too-long", "La requête est trop volumineuse."};
    case ErrorCode::HeadersTooLarge:
      return {"too-long", "Les en-têtes de la requête sont trop volumineux."};
    case ErrorCode::TooManyRequests:
      return {"throttled", "Trop de requêtes : réessayez dans quelques instants."};
    case ErrorCode::Unavailable:
      return {"transient", "Le service est très sollicité : réessayez dans quelques secondes."};
    case ErrorCode::Internal:
      break;
  }
  return {"exception", "Une erreur technique empêche de répondre."};
}

}  // namespace

Response operationOutcome(int status, std::string_view code, const std::string& diagnostics) {
  nlohmann::json issue = {{"severity", "error"}, {"code", code}};
  if (!diagnostics.empty()) issue["diagnostics"] = diagnostics;
  const nlohmann::json body = {{"resourceType", "OperationOutcome"},
                               {"issue", nlohmann::json::array({issue})}};
  Response response;
  response.status = status;
  response.contentType = kContentType;
  response.body = body.dump();
  return response;
}

Response refusalResponse(const Request& request, const Refusal& refusal) {
  const auto issue = issueOf(refusal.code);
  std::string diagnostics = refusal.message.empty() ? issue.diagnostics : refusal.message;
  if (refusal.code == app::ErrorCode::Forbidden && request.clientIdentity)
    diagnostics += " (CN « " + request.clientIdentity->commonName + " », OU « " +
                   request.clientIdentity->organizationalUnit + " »)";
  if (!refusal.reference.empty()) diagnostics += " Référence : " + refusal.reference + ".";
  auto response = operationOutcome(errorText(refusal.code).status, issue.code, diagnostics);
  if (refusal.retryAfter.count() > 0)
    response.headers.emplace_back("Retry-After", std::to_string(refusal.retryAfter.count()));
  if (!refusal.allow.empty()) response.headers.emplace_back("Allow", refusal.allow);
  return response;
}

}  // namespace sas::http::fhir
