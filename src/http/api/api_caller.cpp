#include "http/api/api_caller.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "http/errors.hpp"

namespace sas::http {

const app::Actor* apiCaller(app::ApiTokenService& tokens, const Request& req,
                            std::optional<app::TokenCaller>& byToken) {
  if (req.authorization.empty()) return req.session ? &req.session->actor : nullptr;
  // The scheme is case-insensitive (RFC 9110 §11.1), the token after one or more spaces.
  const std::string& a = req.authorization;
  const auto space = a.find(' ');
  std::string scheme = a.substr(0, space);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto token =
      space == std::string::npos ? std::string::npos : a.find_first_not_of(' ', space);
  if (scheme == "bearer" && token != std::string::npos)
    byToken = tokens.authenticate(a.substr(token), req.clientAddress);
  return byToken ? &byToken->actor : nullptr;
}

Response unauthenticatedApi(const Request& req, const Views& views) {
  return refusalResponse(
      req, views,
      {.code = app::ErrorCode::Unauthenticated,
       .message = req.authorization.empty()
                      ? "Connectez-vous en tant que régulateur ou présentez un jeton d'accès."
                      : "Jeton d'accès inconnu ou révoqué."});
}

}  // namespace sas::http
