#include "http/errors.hpp"

#include <random>

namespace sas::http {

ErrorText errorText(app::ErrorCode code) {
  using app::ErrorCode;
  switch (code) {
    case ErrorCode::NotFound:
      return {404, "Page introuvable",
              "La page que vous cherchez n'existe pas, ou vous n'y avez pas accès."};
    case ErrorCode::Forbidden:
      return {403, "Accès refusé", "Votre compte ne permet pas cette action."};
    case ErrorCode::Unauthenticated:
      return {401, "Connexion requise", "Connectez-vous pour accéder à cette page."};
    case ErrorCode::BadRequest:
      return {400, "Demande invalide",
              "La demande n'a pas pu être comprise. Rechargez la page et recommencez."};
    case ErrorCode::Conflict:
      return {409, "Action impossible",
              "Cette action n'est plus possible : la page a changé entre-temps. Rechargez-la."};
    case ErrorCode::Gone:
      return {410, "Lien expiré", "Ce lien n'est plus valide."};
    case ErrorCode::PayloadTooLarge:
      return {413, "Demande trop volumineuse", "La demande est trop volumineuse."};
    case ErrorCode::TooManyRequests:
      return {429, "Trop de tentatives",
              "Trop de tentatives depuis cette adresse. Réessayez dans quelques minutes."};
    case ErrorCode::Unavailable:
      return {503, "Service momentanément indisponible",
              "Le service est très sollicité. Réessayez dans quelques secondes."};
    case ErrorCode::Internal:
      break;
  }
  return {500, "Erreur technique",
          "Une erreur technique nous empêche de répondre. Réessayez dans quelques instants."};
}

std::string newReference() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  const char* digits = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string ref;
  for (int i = 0; i < 8; ++i) ref.push_back(digits[rng() % 32]);
  return ref;
}

}  // namespace sas::http
