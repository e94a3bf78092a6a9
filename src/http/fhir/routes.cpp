#include "http/fhir/routes.hpp"

#include <memory>
#include <utility>

#include "app/errors.hpp"
#include "http/fhir/metadata.hpp"
#include "http/fhir/outcome.hpp"

namespace sas::http::fhir {

namespace {

bool underBase(const std::string& path) {
  const std::string_view base = kBase;
  return path.starts_with(base) && (path.size() == base.size() || path[base.size()] == '/');
}

}  // namespace

Handler front(Routes routes, std::vector<AllowedClient> allowed) {
  auto shared = std::make_shared<const Routes>(std::move(routes));
  return [shared, allowed = std::move(allowed)](Request& request) -> Response {
    if (!underBase(request.path)) throw app::AppError(app::ErrorCode::NotFound, "outside /fhir");
    bool openPath = false;
    if (const Handler* handler = shared->open.match(request, openPath)) return (*handler)(request);
    // Nothing past the CapabilityStatement, not even whether a path exists, without access.
    if (!openPath) requireAllowedClient(request, allowed);
    if (request.method != "GET" && request.method != "HEAD")
      return refusalResponse(request,
                             {.code = app::ErrorCode::MethodNotAllowed, .allow = "GET, HEAD"});
    bool known = false;
    if (const Handler* handler = shared->forClients.match(request, known))
      return (*handler)(request);
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
