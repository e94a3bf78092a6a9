#pragma once
// « Pourquoi ne suis-je pas visible ? » as the dashboard and the agenda show it
// (docs/rules.md#visibility-self-check): the view model of templates/partials/visibility_check.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/visibility.hpp"
#include "http/views.hpp"

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

/// The partial rendered for these values, kept by each server thread for the next time (the
/// agenda shows it at every view, the same until a count changes: its model and rendering were
/// a twentieth of the page's CPU). Valid until the thread's next call.
const std::string& visibilityHtml(const Views& views, const domain::VisibilityCheck& check,
                                  const VisibilityLinks& links);

}  // namespace sas::http
