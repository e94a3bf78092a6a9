// « Adresser un patient » as JSON (docs/api.md): the body is read here, the rules are
// app::OrientationService's (capacity decided by the database, who may cancel).
#include "http/api/orientation_api.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "app/errors.hpp"
#include "app/orientation_counts.hpp"
#include "http/api/api_caller.hpp"
#include "http/api/search_model.hpp"
#include "http/errors.hpp"

namespace sas::http {
namespace {

Response json(const nlohmann::json& body, int status) {
  Response r;
  r.status = status;
  r.contentType = "application/json; charset=utf-8";
  r.body = body.dump();
  return r;
}

/// 400: the body cannot be read as an orientation; the message names the field.
Response badBody(const std::string& field, const std::string& message) {
  nlohmann::json errors = nlohmann::json::array();
  if (!field.empty()) errors.push_back({{"field", field}, {"message", message}});
  return json({{"error", "bad_request"}, {"message", message}, {"errors", errors}}, 400);
}

bool digits(std::string_view s, std::size_t from, std::size_t count, int& out) {
  if (from + count > s.size()) return false;
  for (std::size_t i = from; i < from + count; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  std::from_chars(s.data() + from, s.data() + from + count, out);
  return true;
}

/// The caller if it may orient, else the refusal to send.
const app::Actor* orientingCaller(OrientationApiServices& s, const Request& req,
                                  std::optional<app::TokenCaller>& byToken,
                                  std::optional<Response>& refusal) {
  const auto* actor = apiCaller(s.tokens, req, byToken);
  if (!actor) {
    refusal = unauthenticatedApi(req, s.views);
  } else if (byToken && !byToken->allows(app::kScopeOrientation)) {
    refusal = refusalResponse(
        req, s.views,
        {.code = app::ErrorCode::Forbidden,
         .message = "Ce jeton n'a pas la portée « orientation » : il ne permet que la recherche."});
  } else if (!app::regulates(actor->user.role)) {
    refusal = refusalResponse(req, s.views,
                              {.code = app::ErrorCode::Forbidden,
                               .message = "Seuls les régulateurs et les IOA adressent des "
                                          "patients."});
  }
  return refusal ? nullptr : actor;
}

std::string isoOf(const app::OrientationTarget& target, domain::Instant t) {
  return target.context.zone ? isoLocal(*target.context.zone, t) : "";
}

Response orient(OrientationApiServices& s, Request& req) {
  std::optional<app::TokenCaller> byToken;
  std::optional<Response> refusal;
  const auto* actor = orientingCaller(s, req, byToken, refusal);
  if (!actor) return std::move(*refusal);

  const auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (req.body.empty())
    return badBody("",
                   "Le corps de la demande doit être un objet JSON (Content-Type: "
                   "application/json).");
  if (body.is_discarded() || !body.is_object())
    return badBody("", "Le corps de la demande n'est pas un objet JSON valide.");
  app::OccurrenceAsked asked;
  const auto place = body.find("lieu");
  if (place == body.end() || !place->is_number_integer() || place->get<std::int64_t>() <= 0)
    return badBody("lieu", "« lieu » doit être l'identifiant (un entier) d'un lieu.");
  asked.placeId = place->get<std::int64_t>();
  for (const char* field : {"debut", "fin"}) {
    const auto value = body.find(field);
    std::optional<domain::Instant> at;
    if (value != body.end() && value->is_string()) at = parseIsoInstant(value->get<std::string>());
    if (!at)
      return badBody(field, std::string("« ") + field +
                                " » doit être une date et heure ISO 8601 avec son décalage, "
                                "par exemple 2026-03-05T14:00:00+01:00.");
    (std::string_view(field) == "debut" ? asked.start : asked.end) = *at;
  }
  if (asked.end <= asked.start) return badBody("fin", "« fin » doit suivre « debut ».");
  const auto type = body.find("type");
  if (type != body.end() && *type == "creneau") {
    asked.kind = domain::AvailabilityKind::Slot;
  } else if (type != body.end() && *type == "plage") {
    asked.kind = domain::AvailabilityKind::Range;
  } else {
    return badBody("type", "« type » doit valoir « creneau » ou « plage ».");
  }
  std::string reference;
  if (const auto r = body.find("reference"); r != body.end() && !r->is_null()) {
    if (!r->is_string())
      return badBody("reference", "« reference » doit être une chaîne de caractères.");
    reference = r->get<std::string>();
  }

  const auto out = s.orientations.orient(*actor, asked, reference);
  const int capacity = out.target.capacity();
  if (out.gone)
    return json({{"error", "conflict"},
                 {"message", app::kOccurrenceGone},
                 {"reserves", out.taken},
                 {"capacite", capacity}},
                409);
  if (!out.result.ok()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& e : out.result.errors)
      errors.push_back({{"field", e.field}, {"message", e.message}});
    return json(
        {{"error", "invalid"}, {"message", out.result.errors.front().message}, {"errors", errors}},
        422);
  }
  const auto& o = *out.result.value;
  auto r = json({{"id", o.id},
                 {"statut", domain::statusCode(o.status)},
                 {"statut_libelle", domain::statusLabel(o.status)},
                 {"lieu", o.placeId},
                 {"debut", isoOf(out.target, o.start)},
                 {"fin", isoOf(out.target, o.end)},
                 {"type", domain::orientationKindCode(o.kind)},
                 {"reference", o.reference},
                 {"reserves", out.taken},
                 {"capacite", capacity}},
                201);
  r.headers.emplace_back("Location", "/api/v1/orientations/" + std::to_string(o.id));
  return r;
}

Response cancel(OrientationApiServices& s, Request& req) {
  std::optional<app::TokenCaller> byToken;
  std::optional<Response> refusal;
  const auto* actor = orientingCaller(s, req, byToken, refusal);
  if (!actor) return std::move(*refusal);
  const auto id = req.pathId("id");
  auto result = s.orientations.cancel(*actor, id);  // NotFound: not his territory's, or none
  if (!result.ok())
    return json({{"error", "conflict"}, {"message", result.errors.front().message}}, 409);
  const auto& o = *result.value;
  nlohmann::json body = {{"id", o.id},
                         {"statut", domain::statusCode(o.status)},
                         {"statut_libelle", domain::statusLabel(o.status)},
                         {"type", domain::orientationKindCode(o.kind)}};
  if (o.kind == domain::OrientationKind::Beyond) {
    body["reserves"] = nullptr;
    body["capacite"] = nullptr;
  } else {
    body["reserves"] = app::takenNow(s.store, o);
    body["capacite"] = o.capacity;
  }
  return json(body, 200);
}

}  // namespace

std::optional<domain::Instant> parseIsoInstant(std::string_view t) {
  // YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM|±HHMM)
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (t.size() < 17 || !digits(t, 0, 4, y) || t[4] != '-' || !digits(t, 5, 2, mo) || t[7] != '-' ||
      !digits(t, 8, 2, d) || (t[10] != 'T' && t[10] != 't') || !digits(t, 11, 2, h) ||
      t[13] != ':' || !digits(t, 14, 2, mi))
    return std::nullopt;
  std::size_t p = 16;
  if (p < t.size() && t[p] == ':') {
    if (!digits(t, p + 1, 2, sec)) return std::nullopt;
    p += 3;
  }
  int offsetMinutes = 0;
  if (p < t.size() && (t[p] == 'Z' || t[p] == 'z')) {
    ++p;
  } else if (p < t.size() && (t[p] == '+' || t[p] == '-')) {
    const int sign = t[p] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!digits(t, p + 1, 2, oh)) return std::nullopt;
    std::size_t q = p + 3;
    if (q < t.size() && t[q] == ':') ++q;
    if (!digits(t, q, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offsetMinutes = sign * (oh * 60 + om);
    p = q + 2;
  } else {
    return std::nullopt;  // a local time without offset would be ambiguous
  }
  if (p != t.size() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return domain::Instant{date::sys_days{ymd}} + std::chrono::hours{h} +
         std::chrono::minutes{mi - offsetMinutes} + std::chrono::seconds{sec};
}

void addOrientationApi(Router& router, OrientationApiServices& s) {
  router.add("POST", "/api/v1/orientations", handle(s, orient));
  router.add("DELETE", "/api/v1/orientations/{id}", handle(s, cancel));
}

}  // namespace sas::http
