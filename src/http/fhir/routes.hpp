#pragma once
// The FHIR listener's routes and its front (docs/fhir.md). The server hands every request of
// that listener to front(): paths outside /fhir are unknown; the open routes (the
// CapabilityStatement) answer any client that passed the TLS handshake; every other path first
// needs an allowed client certificate (401, 403), then a GET or HEAD (405), then a route (404).
// Errors are OperationOutcome (http/fhir/outcome.hpp). No session, cookie nor CSRF there.
//
// A search adds its route beside the CapabilityStatement, in the wiring:
//   routes.forClients.add("GET", "/fhir/Slot", handle(services, searchSlots), Audience::Programs);
#include <string>
#include <vector>

#include "http/fhir/access.hpp"
#include "http/router.hpp"

namespace sas::http::fhir {

/// The base of every FHIR path.
inline constexpr const char* kBase = "/fhir";

struct Routes {
  Router open;        // any client past the handshake, with a certificate or none: metadata
  Router forClients;  // the clients of fhir.allowed_clients only
};

/// Every request of the FHIR listener; refusals are thrown as app::AppError (the server logs
/// their detail and renders them with fhir::refusalResponse), but for 405, answered here with
/// its Allow.
Handler front(Routes routes, std::vector<AllowedClient> allowed);

struct MetadataSettings {
  std::string baseUrl;  // the listener's public address with /fhir (implementation.url)
};

/// GET /fhir/metadata: the CapabilityStatement, an open route.
void addMetadata(Routes& routes, const MetadataSettings& settings);

}  // namespace sas::http::fhir
