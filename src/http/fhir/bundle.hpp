#pragma once
// Our places and their free occurrences as the SAS implementation guide's search Bundles
// (ans.fhir.fr.sas 1.2.0, docs/fhir.md): one shape per search the guide makes of a publisher.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/search_service.hpp"
#include "domain/fhir_query.hpp"

namespace sas::http::fhir {

struct BundleRequest {
  domain::fhir::SearchShape shape = domain::fhir::SearchShape::ByProfessional;
  /// The identifiers asked, normalised: IDNPS for the professional shapes (only these
  /// professionals' roles are written), IDNST for the structure shape.
  std::vector<std::string> identifiers;
  std::string selfUrl;   // the request's URL, absolute, as sent
  std::string fhirBase;  // "https://host:port/fhir": resources' fullUrl
  std::string siteBase;  // "https://sas.example": a Slot's comment links to the place's sheet
};

/// The searchset Bundle: for the professional shapes, Slots (match) with their Schedule,
/// Practitioner and PractitionerRole (include, the place as a contained Location); for the
/// structure shape, Schedules (match) with their Slots, Location and Organization (include).
nlohmann::json searchBundle(const BundleRequest& request,
                            const std::vector<app::PublishedPlace>& places);

}  // namespace sas::http::fhir
