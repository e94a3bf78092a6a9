#include "http/fhir/routes.hpp"

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "app/errors.hpp"
#include "domain/fhir_query.hpp"
#include "http/fhir/metadata.hpp"
#include "http/fhir/outcome.hpp"

namespace sas::http::fhir {

namespace {

bool underBase(const std::string& path) {
  const std::string_view base = kBase;
  return path.starts_with(base) && (path.size() == base.size() || path[base.size()] == '/');
}

/// Whether one of the Accept header's media types is served (FHIR JSON, JSON or anything).
bool acceptsJson(std::string_view accept) {
  if (accept.empty()) return true;
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    auto type = accept.substr(0, comma);
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    if (type == "*/*" || type == "application/*" || domain::fhir::isJsonFormat(type)) return true;
    if (comma == std::string_view::npos) break;
    accept.remove_prefix(comma + 1);
  }
  return false;
}

/// 406 when the client asks, by Accept or _format, for something else than JSON: the only
/// format served, the CapabilityStatement's included.
std::optional<Response> unservedFormat(const Request& request) {
  const auto format = request.param("_format");
  if (acceptsJson(request.accept) && (format.empty() || domain::fhir::isJsonFormat(format)))
    return std::nullopt;
  return operationOutcome(406, "not-supported",
                          "Seul le JSON FHIR est servi (application/fhir+json).");
}

}  // namespace

Handler front(Routes routes, std::vector<AllowedClient> allowed) {
  auto shared = std::make_shared<const Routes>(std::move(routes));
  return [shared, allowed = std::move(allowed)](Request& request) -> Response {
    if (!underBase(request.path)) throw app::AppError(app::ErrorCode::NotFound, "outside /fhir");
    bool openPath = false;
    if (const Handler* handler = shared->open.match(request, openPath)) {
      if (auto refused = unservedFormat(request)) return *refused;
      return (*handler)(request);
    }
    // Nothing past the CapabilityStatement, not even whether a path exists, without access.
    if (!openPath) requireAllowedClient(request, allowed);
    if (request.method != "GET" && request.method != "HEAD")
      return refusalResponse(request,
                             {.code = app::ErrorCode::MethodNotAllowed, .allow = "GET, HEAD"});
    bool known = false;
    if (const Handler* handler = shared->forClients.match(request, known)) {
      if (auto refused = unservedFormat(request)) return *refused;
      return (*handler)(request);
    }
    throw app::AppError(app::ErrorCode::NotFound, "no FHIR route");
  };
}

void addMetadata(Routes& routes, const MetadataSettings& settings) {
  auto body = std::make_shared<const std::string>(capabilityStatement(settings.baseUrl).dump());
  routes.open.add(
      "GET", std::string(kBase) + "/metadata",
      [body](Request&) {
        Response response;
        response.contentType = kContentType;
        response.body = *body;
        return response;
      },
      Audience::Programs);
}

}  // namespace sas::http::fhir
