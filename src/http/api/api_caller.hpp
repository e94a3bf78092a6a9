#pragma once
// Who calls the JSON API (docs/api.md): an API token (`Authorization: Bearer …`), which wins
// over any cookie, or a session.
#include <optional>

#include "app/search_service.hpp"
#include "http/request.hpp"

namespace sas::http {

class Views;

/// The caller: the token's actor (kept in `byToken`) or the session's; none when neither holds.
const app::Actor* apiCaller(app::ApiTokenService& tokens, const Request& req,
                            std::optional<app::TokenCaller>& byToken);

/// 401 for a request without a caller: no session nor token, or a token unknown or revoked.
Response unauthenticatedApi(const Request& req, const Views& views);

}  // namespace sas::http
