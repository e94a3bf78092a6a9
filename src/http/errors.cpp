#include "http/errors.hpp"

#include "domain/reference.hpp"
#include "http/pages/layout.hpp"
#include "http/views.hpp"

namespace sas::http {

ErrorText errorText(app::ErrorCode code) {
  using app::ErrorCode;
  switch (code) {
    case ErrorCode::NotFound:
      return {404, "not_found", "Page introuvable",
              "La page que vous cherchez n'existe pas, ou vous n'y avez pas accès."};
    case ErrorCode::Forbidden:
      return {403, "forbidden", "Accès refusé", "Votre compte ne permet pas cette action."};
    case ErrorCode::Unauthenticated:
      return {401, "unauthenticated", "Connexion requise",
              "Connectez-vous pour accéder à cette page."};
    case ErrorCode::BadRequest:
      return {400, "bad_request", "Demande invalide",
              "La demande n'a pas pu être comprise. Rechargez la page et recommencez."};
    case ErrorCode::MethodNotAllowed:
      return {405, "method_not_allowed", "Action non prise en charge",
              "Cette adresse ne permet pas cette action. Revenez à la page précédente."};
    case ErrorCode::Conflict:
      return {409, "conflict", "Action impossible",
              "Cette action n'est plus possible : la page a changé entre-temps. Rechargez-la."};
    case ErrorCode::Gone:
      return {410, "gone", "Lien expiré", "Ce lien n'est plus valide."};
    case ErrorCode::PayloadTooLarge:
      return {413, "payload_too_large", "Demande trop volumineuse",
              "La demande est trop volumineuse."};
    case ErrorCode::HeadersTooLarge:
      return {431, "headers_too_large", "En-têtes trop volumineux",
              "La demande envoyée par votre navigateur est trop volumineuse. Supprimez les "
              "cookies de ce site et réessayez."};
    case ErrorCode::TooManyRequests:
      return {429, "too_many_requests", "Trop de tentatives",
              "Trop de tentatives depuis cette adresse. Réessayez dans quelques minutes."};
    case ErrorCode::Unavailable:
      return {503, "unavailable", "Service momentanément indisponible",
              "Le service est très sollicité. Réessayez dans quelques secondes."};
    case ErrorCode::Internal:
      break;
  }
  return {500, "internal", "Erreur technique",
          "Une erreur technique nous empêche de répondre. Réessayez dans quelques instants."};
}

std::string newReference(const app::Tokens& tokens) {
  return domain::readableCode(tokens.randomBytes(8));
}

bool isApiPath(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

namespace {

std::string jsonBody(const ErrorText& text, const std::string& message,
                     const std::string& reference) {
  nlohmann::json body = {{"error", text.code}, {"message", message}};
  if (!reference.empty()) body["reference"] = reference;
  return body.dump();
}

}  // namespace

Response refusalResponse(const Request& request, const Views& views, const Refusal& refusal) {
  const auto text = errorText(refusal.code);
  const std::string& message = refusal.message.empty() ? text.message : refusal.message;
  Response response;
  response.status = text.status;
  if (isApiPath(request.path)) {
    response.contentType = "application/json; charset=utf-8";
    response.body = jsonBody(text, message, refusal.reference);
    if (text.status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  } else {
    auto model = layoutModel(request, refusal.title.empty() ? text.title : refusal.title);
    model["message"] = message;
    if (!refusal.reference.empty()) model["reference"] = refusal.reference;
    response.body = views.page("pages/error", model);
  }
  if (refusal.retryAfter.count() > 0)
    response.headers.emplace_back("Retry-After", std::to_string(refusal.retryAfter.count()));
  if (!refusal.allow.empty()) response.headers.emplace_back("Allow", refusal.allow);
  return response;
}

std::string refusalBody(std::string_view path, const Views& views, app::ErrorCode code,
                        std::string& contentType) {
  const auto text = errorText(code);
  if (isApiPath(path)) {
    contentType = "application/json; charset=utf-8";
    return jsonBody(text, text.message, "");
  }
  contentType = "text/html; charset=utf-8";
  return views.page(
      "pages/error",
      {{"title", text.title}, {"message", text.message}, {"user", nullptr}, {"csrf", ""}});
}

}  // namespace sas::http
