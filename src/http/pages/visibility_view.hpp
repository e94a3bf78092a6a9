#pragma once
// « Pourquoi ne suis-je pas visible ? » as the dashboard and the agenda show it
// (docs/rules.md#visibility-self-check): the view model of templates/partials/visibility_check.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/visibility.hpp"

namespace sas::http {

struct VisibilityLinks {
  std::int64_t placeId = 0;
  std::int64_t structureId = 0;
  std::string placeName;        // said to screen readers after each link (several places)
  bool setsParameters = false;  // « Vos paramètres » are the actor's: not a délégataire's
  int headingLevel = 2;
};

/// Each reason in plain French with the links that fix it, or the count of what is visible.
nlohmann::json visibilityModel(const domain::VisibilityCheck& check, const VisibilityLinks& links);

}  // namespace sas::http
