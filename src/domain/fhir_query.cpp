#include "domain/fhir_query.hpp"

#include "domain/fhir_format.hpp"
#include "domain/fhir_identifiers.hpp"
#include "domain/text.hpp"

#include <algorithm>
#include <array>

namespace sas::domain::fhir {

namespace {

using Micros = date::sys_time<std::chrono::microseconds>;
using LocalMicros = date::local_time<std::chrono::microseconds>;

// What the parameters are called in each search.
struct Names {
  std::string_view bound;
  std::string_view identifier;
  std::string_view status;
  const char* expectedFrench;  // the forms a malformed identifier should have had
  const char* expectedEnglish;
  SearchedIdentifier (*read)(std::string_view);
};

constexpr Names kSlotNames = {"start",
                              "schedule.actor:Practitioner.identifier",
                              "status",
                              "8 + RPPS (11 chiffres), 0 + ADELI (9 caractères) ou RPPS seul",
                              "8 + RPPS (11 digits), 0 + ADELI (9 characters) or a bare RPPS",
                              readSearchedProfessional};
constexpr Names kScheduleNames = {"_has:Slot:schedule:start",
                                  "actor:Location.organization.identifier",
                                  "_has:Slot:schedule:status",
                                  "3 + SIRET (14 chiffres) ou 1 + FINESS (9 caractères)",
                                  "3 + SIRET (14 digits) or 1 + FINESS (9 characters)",
                                  readSearchedStructure};

// The _include, _include:iterate and _revinclude values each search serves; any other is
// left out (reported in `ignored`).
constexpr std::array<std::string_view, 4> kSlotIncludes = {"Slot:schedule", "Schedule:actor",
                                                           "Slot:service-type-reference",
                                                           "HealthcareService:organization"};
constexpr std::array<std::string_view, 2> kCptsIncludes = {"Slot:service-type-reference",
                                                           "HealthcareService:organization"};

// The Schedule search's own: Slot:schedule is a reverse include, the others forward ones.
bool servedScheduleInclude(std::string_view name, std::string_view value) {
  if (name == "_revinclude") return value == "Slot:schedule";
  if (name == "_include" || name == "_include:iterate")
    return value == "Schedule:actor:Location" || value == "Location:organization";
  return false;
}

constexpr std::array<std::string_view, 5> kSlotStatuses = {"free", "busy", "busy-unavailable",
                                                           "busy-tentative", "entered-in-error"};

// An echoed value is cut, so that a diagnostic stays readable whatever was sent; never inside
// a UTF-8 character.
std::string echo(std::string_view value) {
  constexpr std::size_t kMaxEcho = 80;
  if (value.size() <= kMaxEcho) return std::string(value);
  std::size_t cut = kMaxEcho;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return std::string(value.substr(0, cut)) + "…";
}

QueryError failure(QueryErrorKind kind, std::string code, const std::string& french,
                   const std::string& english) {
  return {kind, std::move(code), french + " / " + english};
}

QueryError badRequest(std::string code, const std::string& french, const std::string& english) {
  return failure(QueryErrorKind::BadRequest, std::move(code), french, english);
}

QueryError givenTwice(std::string_view name) {
  const std::string n(name);
  return badRequest("invalid", "Le paramètre " + n + " est donné plus d'une fois.",
                    "Parameter " + n + " is given more than once.");
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// A local time in `zone` as an instant: a time the clock skips takes the offset before the
// change, a time that happens twice its first occurrence (docs/rules.md#time-zones).
Micros fromLocal(const date::time_zone& zone, LocalMicros local) {
  const date::local_info info = zone.get_info(date::floor<std::chrono::seconds>(local));
  return Micros{local.time_since_epoch() - info.first.offset};
}

enum class Side { Lower, Upper };

// A date or dateTime (readDateTime). A date alone covers its whole day: its first microsecond
// as a lower bound, its last as an upper one; a time without offset is local to `zone`.
std::optional<Micros> parseBound(std::string_view text, Side side, const date::time_zone& zone) {
  // A space where the sign goes is a « + » that the client's decoder read as form data (a
  // space anywhere else stays refused: « + » is valid only there).
  std::string written(text);
  std::replace(written.begin(), written.end(), ' ', '+');
  const auto t = readDateTime(written);
  if (!t) return std::nullopt;
  if (!t->timeOfDay) {
    if (side == Side::Lower) return fromLocal(zone, LocalMicros{t->day});
    return fromLocal(zone, LocalMicros{t->day + date::days{1}}) - std::chrono::microseconds{1};
  }
  const LocalMicros local = LocalMicros{t->day} + *t->timeOfDay;
  if (!t->offset) return fromLocal(zone, local);
  return Micros{local.time_since_epoch()} - *t->offset;
}

struct Bound {
  std::string text;  // as sent, with its prefix
  Micros at;
};

// One value of the bound parameter, into `lower` or `upper`.
std::optional<QueryError> readBound(std::string_view name, std::string_view value,
                                    const date::time_zone& zone, std::optional<Bound>& lower,
                                    std::optional<Bound>& upper) {
  const std::string n(name);
  std::size_t letters = 0;
  while (letters < value.size() && letters < 2 && value[letters] >= 'a' && value[letters] <= 'z')
    ++letters;
  const std::string_view prefix = value.substr(0, letters);
  if (prefix != "ge" && prefix != "le") {
    if (letters == 2)
      return badRequest("not-supported",
                        "Préfixe « " + std::string(prefix) + " » non pris en charge dans " + n +
                            " : seuls ge et le le sont.",
                        "Prefix \"" + std::string(prefix) + "\" is not supported in " + n +
                            ": only ge and le are.");
    return badRequest("not-supported",
                      n + "=" + echo(value) + " : une borne commence par ge ou le.",
                      n + "=" + echo(value) + ": a bound starts with ge or le.");
  }
  const Side side = prefix == "ge" ? Side::Lower : Side::Upper;
  auto& slot = side == Side::Lower ? lower : upper;
  if (slot)
    return badRequest("invalid",
                      "La borne " + n + "=" + std::string(prefix) + " est donnée deux fois.",
                      "Bound " + n + "=" + std::string(prefix) + " is given twice.");
  const auto at = parseBound(value.substr(2), side, zone);
  if (!at)
    return badRequest("value",
                      "Date invalide dans " + n + " : « " + echo(value) +
                          " » (attendu AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ss[.sss][Z|±hh:mm]).",
                      "Invalid date in " + n + ": \"" + echo(value) +
                          "\" (expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.sss][Z|±hh:mm]).");
  slot = Bound{std::string(value), *at};
  return std::nullopt;
}

std::optional<QueryError> readIdentifiers(const Names& names, std::string_view list,
                                          const SearchLimits& limits,
                                          std::vector<std::string>& out) {
  const std::string n(names.identifier);
  std::vector<std::string_view> values;
  for (std::size_t start = 0; start <= list.size();) {
    auto comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    const auto value = trim(list.substr(start, comma - start), kBlanks);
    if (!value.empty()) values.push_back(value);
    start = comma + 1;
  }
  if (values.empty())
    return badRequest("required",
                      "Paramètre " + n + " manquant : au moins un identifiant est requis.",
                      "Missing " + n + " parameter: at least one identifier is required.");
  if (values.size() > limits.maxIdentifiers) {
    const auto count = std::to_string(values.size()), most = std::to_string(limits.maxIdentifiers);
    return badRequest("invalid", count + " identifiants dans " + n + " : " + most + " au plus.",
                      count + " identifiers in " + n + ": " + most + " at most.");
  }
  for (const auto value : values) {
    auto read = names.read(value);
    if (read.kind == SearchedIdentifierKind::Malformed)
      return badRequest("value",
                        "Identifiant mal formé dans " + n + " : « " + echo(value) + " » (attendu " +
                            names.expectedFrench + ").",
                        "Malformed identifier in " + n + ": \"" + echo(value) + "\" (expected " +
                            names.expectedEnglish + ").");
    if (read.kind == SearchedIdentifierKind::Ours &&
        std::find(out.begin(), out.end(), read.value) == out.end())
      out.push_back(std::move(read.value));
  }
  return std::nullopt;
}

std::optional<QueryError> readStatus(std::string_view name, std::string_view list, bool& free) {
  free = false;
  for (std::size_t start = 0; start <= list.size();) {
    auto comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    const auto value = trim(list.substr(start, comma - start), kBlanks);
    start = comma + 1;
    if (value == "free") free = true;
    if (std::find(kSlotStatuses.begin(), kSlotStatuses.end(), value) == kSlotStatuses.end()) {
      const std::string n(name);
      return badRequest("value",
                        "Statut inconnu dans " + n + " : « " + echo(value) +
                            " » (free, busy, busy-unavailable, busy-tentative ou "
                            "entered-in-error).",
                        "Unknown status in " + n + ": \"" + echo(value) + "\".");
    }
  }
  return std::nullopt;
}

template <std::size_t N>
bool among(const std::array<std::string_view, N>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The values of the parameters each search reads, by name, still to be checked.
struct Parameters {
  std::vector<std::string> formats, bounds, identifierLists, statusLists;
};

// Splits and decodes `rawQuery` into `p`; the served includes set the shape, what does not
// change the answer goes to `search.ignored`.
std::optional<QueryError> readParameters(SearchedType type, const Names& names,
                                         std::string_view rawQuery, SlotSearch& search,
                                         Parameters& p) {
  for (std::size_t start = 0; start <= rawQuery.size();) {
    auto amp = rawQuery.find('&', start);
    if (amp == std::string_view::npos) amp = rawQuery.size();
    const auto piece = rawQuery.substr(start, amp - start);
    start = amp + 1;
    if (piece.empty()) continue;
    const auto equals = piece.find('=');
    auto name = decodeQueryComponent(piece.substr(0, equals));
    auto value = decodeQueryComponent(equals == std::string_view::npos ? std::string_view{}
                                                                       : piece.substr(equals + 1));
    if (!name || !value)
      return badRequest("invalid",
                        "Paramètre mal encodé : « " + echo(piece) +
                            " » (« % » doit être suivi de deux chiffres hexadécimaux).",
                        "Badly encoded parameter: \"" + echo(piece) +
                            "\" (\"%\" must be followed by two hexadecimal digits).");
    if (*name == "_format") {
      p.formats.push_back(std::move(*value));
    } else if (*name == names.bound) {
      p.bounds.push_back(std::move(*value));
    } else if (*name == names.identifier) {
      p.identifierLists.push_back(std::move(*value));
    } else if (*name == names.status) {
      p.statusLists.push_back(std::move(*value));
    } else if (type == SearchedType::Slot && (*name == "_include" || *name == "_include:iterate") &&
               among(kSlotIncludes, *value)) {
      if (among(kCptsIncludes, *value)) search.shape = SearchShape::ByProfessionalCpts;
    } else if (type == SearchedType::Schedule && servedScheduleInclude(*name, *value)) {
      // served as asked: the Schedule search always answers with its Slots, Location and
      // Organization
    } else {
      search.ignored.push_back(*name + "=" + *value);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> decodeQueryComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hexValue(text[i + 1]), low = hexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool isJsonFormat(std::string_view format) {
  std::string type;
  for (const char c : trim(format.substr(0, format.find(';')), kBlanks))
    type += c == ' ' ? '+' : lower(c);
  return type == "json" || type == "application/fhir+json" || type == "application/json+fhir" ||
         type == "application/json";
}

SearchOrError parseSlotSearch(SearchedType type, std::string_view rawQuery,
                              const SearchLimits& limits) {
  const Names& names = type == SearchedType::Slot ? kSlotNames : kScheduleNames;
  static const date::time_zone* const paris = date::locate_zone("Europe/Paris");
  const date::time_zone& zone = limits.zone ? *limits.zone : *paris;

  SlotSearch search;
  search.shape =
      type == SearchedType::Slot ? SearchShape::ByProfessional : SearchShape::ByStructure;
  Parameters p;
  if (auto error = readParameters(type, names, rawQuery, search, p)) return *error;

  for (const auto& format : p.formats)
    if (!format.empty() && !isJsonFormat(format))  // an empty one asks for nothing
      return failure(
          QueryErrorKind::NotAcceptable, "not-supported",
          "_format=" + echo(format) + " : seul le JSON FHIR est servi (application/fhir+json).",
          "_format=" + echo(format) + ": only FHIR JSON is served (application/fhir+json).");

  if (p.identifierLists.size() > 1) return givenTwice(names.identifier);
  if (auto error =
          readIdentifiers(names, p.identifierLists.empty() ? "" : p.identifierLists.front(), limits,
                          search.identifiers))
    return *error;

  std::optional<Bound> lower, upper;
  for (const auto& value : p.bounds)
    if (auto error = readBound(names.bound, value, zone, lower, upper)) return *error;
  const std::string boundName(names.bound);
  if (!lower || !upper) {
    const std::string missing = boundName + (lower ? "=le…" : "=ge…");
    return badRequest(
        "required",
        "Borne " + missing +
            " manquante : la recherche demande une borne de début (ge) et une de fin (le).",
        "Missing bound " + missing + ": the search needs a lower (ge) and an upper (le) bound.");
  }
  if (upper->at < lower->at)
    return badRequest("value",
                      "La borne de fin (" + echo(upper->text) + ") précède la borne de début (" +
                          echo(lower->text) + ").",
                      "The upper bound (" + echo(upper->text) + ") is before the lower bound (" +
                          echo(lower->text) + ").");

  if (p.statusLists.size() > 1) return givenTwice(names.status);
  if (!p.statusLists.empty()) {
    if (auto error = readStatus(names.status, p.statusLists.front(), search.free)) return *error;
  }

  if (upper->at - lower->at > date::days{limits.maxWindowDays}) {
    const auto days = std::to_string(limits.maxWindowDays);
    return failure(
        QueryErrorKind::TooCostly, "too-costly",
        "La fenêtre de recherche dépasse " + days + " jours : rapprochez les bornes ge et le.",
        "The search window is longer than " + days + " days: bring the ge and le bounds closer.");
  }
  search.from = date::ceil<std::chrono::seconds>(lower->at);
  search.to = date::floor<std::chrono::seconds>(upper->at);
  return search;
}

}  // namespace sas::domain::fhir
