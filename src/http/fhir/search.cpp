#include "http/fhir/search.hpp"

#include "domain/fhir_query.hpp"
#include "http/fhir/bundle.hpp"
#include "http/fhir/outcome.hpp"

namespace sas::http::fhir {
namespace {

using domain::fhir::QueryErrorKind;
using domain::fhir::SearchedType;
using domain::fhir::SearchShape;

Response answer(SearchedType type, Request& request, app::SearchService& search,
                const SearchRoutesSettings& settings) {
  const auto q = request.target.find('?');
  const std::string raw = q == std::string::npos ? "" : request.target.substr(q + 1);
  domain::fhir::SearchLimits limits;
  limits.maxWindowDays = settings.maxWindowDays;
  const auto parsed = domain::fhir::parseSlotSearch(type, raw, limits);
  if (const auto* error = std::get_if<domain::fhir::QueryError>(&parsed))
    return operationOutcome(error->kind == QueryErrorKind::NotAcceptable ? 406 : 400,
                            error->issueCode, error->diagnostics);
  const auto& asked = std::get<domain::fhir::SlotSearch>(parsed);
  std::vector<app::PublishedPlace> places;
  if (asked.free && !asked.identifiers.empty() && asked.from <= asked.to)
    places = asked.shape == SearchShape::ByStructure
                 ? search.publishedByStructures(asked.identifiers, asked.from, asked.to)
                 : search.publishedByProfessionals(asked.identifiers, asked.from, asked.to);
  BundleRequest b;
  b.shape = asked.shape;
  b.identifiers = asked.identifiers;
  b.selfUrl = settings.fhirBase + request.target.substr(std::string_view{kBase}.size());
  b.fhirBase = settings.fhirBase;
  b.siteBase = settings.siteBase;
  Response r;
  r.contentType = kContentType;
  r.body = searchBundle(b, places).dump();
  return r;
}

}  // namespace

void addSearches(Routes& routes, app::SearchService& search, SearchRoutesSettings settings) {
  const auto shared = std::make_shared<SearchRoutesSettings>(std::move(settings));
  for (const auto type : {SearchedType::Slot, SearchedType::Schedule})
    routes.forClients.add(
        "GET", type == SearchedType::Slot ? "/fhir/Slot" : "/fhir/Schedule",
        [type, &search, shared](Request& r) { return answer(type, r, search, *shared); },
        Audience::Programs);
}

}  // namespace sas::http::fhir
