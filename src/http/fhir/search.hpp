#pragma once
// GET /fhir/Slot and GET /fhir/Schedule: the two searches the SAS implementation guide makes of
// an agenda publisher (docs/fhir.md), answered from the search index.
#include <string>

#include "app/search_service.hpp"
#include "http/fhir/routes.hpp"

namespace sas::http::fhir {

struct SearchRoutesSettings {
  std::string fhirBase;   // the listener's public address with /fhir: fullUrl and the self link
  std::string siteBase;   // the site's (server.base_url): a Slot's comment, the place's sheet
  int maxWindowDays = 7;  // fhir.max_window_days
};

/// Adds both searches to the routes of the allowed clients.
void addSearches(Routes& routes, app::SearchService& search, SearchRoutesSettings settings);

}  // namespace sas::http::fhir
