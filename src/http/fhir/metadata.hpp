#pragma once
// The CapabilityStatement of GET /fhir/metadata (FHIR R4): what this publisher serves, and the
// two statements of the SAS implementation guide (ans.fhir.fr.sas 1.2.0) it instantiates.
#include <string>

#include <nlohmann/json.hpp>

namespace sas::http::fhir {

/// The guide's canonical base; its CapabilityStatements, profiles and search parameters are
/// named under it.
inline constexpr const char* kGuide = "https://interop.esante.gouv.fr/ig/fhir/sas";

/// `baseUrl`: the listener's public address with /fhir (implementation.url); left out when
/// empty.
nlohmann::json capabilityStatement(const std::string& baseUrl);

}  // namespace sas::http::fhir
