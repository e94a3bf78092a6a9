// GET /api/v1/search (docs/api.md): the regulators' search as JSON, for a regulator's session
// or an API token (`Authorization: Bearer …`).
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "app/errors.hpp"
#include "domain/search_who.hpp"
#include "http/api/api_caller.hpp"
#include "http/api/json_writer.hpp"
#include "http/api/search_model.hpp"
#include "http/errors.hpp"
#include "http/pages/layout.hpp"
#include "http/pages/pages.hpp"

namespace sas::http {
namespace {

const char* kindCode(app::LocationKind k) {
  switch (k) {
    case app::LocationKind::Address:
      return "adresse";
    case app::LocationKind::Town:
      return "commune";
    case app::LocationKind::PostalCode:
      return "code_postal";
    case app::LocationKind::Departement:
      return "departement";
  }
  return "";
}

// The members of a result that only its card decides, written once per card and kept with it
// (PlaceCard::apiMembers): the card's texts were most of the escaping of every answer.
std::string cardMembers(const app::PlaceCard& c) {
  std::string text;
  JsonWriter w(text);
  w.beginObject()
      .field("id", c.id())
      .field("name", c.name())
      .field("structure", c.structureName())
      .field("structure_type", c.structureType())
      .field("specialties", c.specialties())
      .field("address", c.street())
      .field("postal_code", c.postalCode())
      .field("town", c.town())
      .field("phone", c.phone());
  return text.substr(1);  // without the object's brace
}

void writeResult(JsonWriter& w, const app::SearchResult& r, bool byDistance,
                 std::chrono::seconds plageCloses) {
  const auto& c = *r.card;
  std::string scratch;  // when the cards keep no more (RenderedText::budget)
  const auto members = c.apiMembers.get([&] { return cardMembers(c); }, scratch);
  w.beginObject()
      .members(members)
      .field("latitude", r.hit.position.latitude)
      .field("longitude", r.hit.position.longitude)
      .field("participates", r.hit.participates)
      .field("accepts_contact", r.hit.acceptsContact)
      .field("available", r.hit.available)
      .key("professionals")
      .beginArray();
  for (const auto& p : r.professionals)  // those the « quoi » named
    w.beginObject()
        .field("first_name", p.firstName)
        .field("last_name", p.lastName)
        .field("profession", p.profession)
        .field("specialty", p.specialty)
        .field("label", domain::professionalLabel(p))
        .endObject();
  w.endArray();
  if (byDistance)
    w.field("distance_m", static_cast<std::int64_t>(std::lround(r.hit.distanceMetres)));
  w.field("time_zone", c.timeZone()).key("availabilities").beginArray();
  std::optional<AvailabilityMembers> slotMembers;
  if (!r.hit.slots.empty()) slotMembers.emplace(*r.hit.zone);
  for (const auto& s : r.hit.slots) {
    const auto members =
        (*slotMembers)(s, domain::offeredUntil(s.kind, s.start, s.end, plageCloses));
    // A publisher's slot is booked on its side (docs/api.md#search, docs/rules.md#publishers).
    const auto* pulled = s.publisher != 0 ? c.pulledSlot(s) : nullptr;
    if (!pulled) {
      w.object(members);
      continue;
    }
    w.beginObject()
        .members(members)
        .field("publisher", pulled->publisherName)
        .field("booking_url", pulled->bookingUrl)
        .endObject();
  }
  w.endArray().field("sheet", "/recherche/lieux/" + std::to_string(c.id())).endObject();
}

Response json(const nlohmann::json& body, int status) {
  Response r;
  r.status = status;
  r.contentType = "application/json; charset=utf-8";
  r.body = body.dump();
  return r;
}

/// 422: the search as typed cannot run (its errors, or the places it could mean).
Response refusedSearch(const app::SearchOutcome& out, const std::string& where) {
  if (out.status == app::SearchOutcome::Status::Invalid) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& e : out.errors) errors.push_back({{"field", e.field}, {"message", e.message}});
    return json({{"error", "invalid"},
                 {"message", "La recherche contient des erreurs."},
                 {"errors", errors}},
                422);
  }
  nlohmann::json choices = nlohmann::json::array();
  for (const auto& c : out.choices) choices.push_back({{"key", c.key}, {"label", c.label}});
  return json({{"error", "ambiguous"},
               {"message", "Plusieurs lieux correspondent à « " + where +
                               " » : renvoyez la recherche avec lieu=<key> de l'un d'eux."},
               {"choices", choices}},
              422);
}

Response results(const app::SearchOutcome& out, const app::SearchSettings& settings) {
  const bool byDistance = out.order == domain::SearchOrder::Distance;
  Response r;
  r.contentType = "application/json; charset=utf-8";
  // Written once, without growing: about 170 bytes an availability, 700 a place.
  std::size_t slots = 0;
  for (const auto& result : out.results) slots += result.hit.slots.size();
  r.body.reserve(2048 + out.results.size() * 1024 + slots * 200);
  JsonWriter w(r.body);
  w.beginObject()
      .key("location")
      .beginObject()
      .field("label", out.location.label)
      .field("kind", kindCode(out.location.kind))
      .field("latitude", out.location.latitude)
      .field("longitude", out.location.longitude)
      .field("departement", out.location.departement)
      .field("approximate", out.location.approximate)
      .endObject()
      .field("radius_km", out.radiusKm)
      .field("wider_radius_km", out.widerRadiusKm);
  // « Élargir à N km », when offered: the radius and how many places with availabilities it adds.
  if (out.widen)
    w.key("widening")
        .beginObject()
        .field("radius_km", out.widerRadiusKm)
        .field("more_available", out.widerAdds)
        .endObject();
  else
    w.key("widening").null();
  w.field("mode", out.mode == domain::SearchMode::Availabilities ? "disponibilites" : "sus")
      .field("order", byDistance ? "distance" : "aleatoire");
  if (!byDistance) w.field("seed", std::to_string(out.seed));
  w.field("page", out.page)
      .field("per_page", out.perPage)
      .field("pages", out.pageCount)
      .field("total", out.total)
      .field("total_is_lower_bound", out.totalIsLowerBound)
      .key("results")
      .beginArray();
  for (const auto& result : out.results)
    writeResult(w, result, byDistance, settings.plageClosesBeforeEnd);
  w.endArray().endObject();
  return r;
}

Response searchJson(SearchPageServices& s, Request& req) {
  std::optional<app::TokenCaller> byToken;
  const auto* actor = apiCaller(s.tokens, req, byToken);
  if (!actor) return unauthenticatedApi(req, s.views);
  if (!app::regulates(actor->user.role))
    return refusalResponse(req, s.views,
                           {.code = app::ErrorCode::Forbidden,
                            .message = "La recherche est réservée aux régulateurs."});
  const auto form = readSearchForm(req);
  const auto out = s.search.search(*actor, form);
  if (out.status != app::SearchOutcome::Status::Results) return refusedSearch(out, form.where);
  return results(out, s.search.settings());
}

}  // namespace

void addSearchApi(Router& router, SearchPageServices& s) {
  router.add("GET", "/api/v1/search", handle(s, searchJson));
}

}  // namespace sas::http
