#pragma once
// POST /api/v1/orientations and DELETE /api/v1/orientations/{id} (docs/api.md): « Adresser un
// patient » and its cancellation for a regulator's session or a token of scope `orientation`.
#include <optional>
#include <string>
#include <string_view>

#include "app/orientation_service.hpp"
#include "app/search_service.hpp"
#include "http/router.hpp"
#include "http/views.hpp"

namespace sas::http {

struct OrientationApiServices {
  app::OrientationService& orientations;
  app::OrientationRepository& store;  // the counter after a cancellation
  app::ApiTokenService& tokens;
  const Views& views;
};

void addOrientationApi(Router& router, OrientationApiServices& s);

/// "2026-03-05T14:00:00+01:00", "2026-03-05T13:00:00Z" or without seconds: the instant, or none.
std::optional<domain::Instant> parseIsoInstant(std::string_view text);

}  // namespace sas::http
