#pragma once
// The two searches the SAS implementation guide (ans.fhir.fr.sas 1.2.0) makes of an agenda
// publisher, read from the raw query string (docs/fhir.md):
//   GET /fhir/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor
//       &start=ge<T1>&start=le<T2>&schedule.actor:Practitioner.identifier=<IDNPS>,…&status=free
//     (INT_R01; with _include=Slot:service-type-reference, INT_R04 for CPTS)
//   GET /fhir/Schedule?_revinclude=Slot:schedule&_include=Schedule:actor:Location
//       &_include:iterate=Location:organization&_has:Slot:schedule:start=ge<T1>
//       &_has:Slot:schedule:start=le<T2>&_has:Slot:schedule:status=free
//       &actor:Location.organization.identifier=<IDNST>,…                       (SOS Médecins)
// A refusal is returned, not thrown, for the HTTP layer to answer with an OperationOutcome.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/calendar.hpp"

namespace sas::domain::fhir {

/// The resource type the path names (/fhir/Slot or /fhir/Schedule).
enum class SearchedType { Slot, Schedule };

/// Which of the guide's searches it is, hence which profiles and resources answer it.
enum class SearchShape {
  ByProfessional,      // Slot search, PS profiles (FrSlotAgregateur …)
  ByProfessionalCpts,  // Slot search including Slot:service-type-reference, CPTS profiles
  ByStructure,         // Schedule search, SOS profiles
};

struct SlotSearch {
  SearchShape shape = SearchShape::ByProfessional;
  /// Slots whose start lies in [from, to] match. A bound with a fraction of a second is
  /// rounded inwards (ge up, le down), since our starts are whole seconds; so when both
  /// bounds fall within one second, from may pass to and nothing matches.
  Instant from;
  Instant to;
  /// The IDNPS (« 8 » + RPPS, « 0 » + ADELI) of a professional search or the IDNST (« 3 » +
  /// SIRET, « 1 » + FINESS) of a structure search, normalised, each once, in the order asked.
  /// Empty when every identifier asked names another system or kind: nothing matches.
  std::vector<std::string> identifiers;
  /// False when `status` asks only for statuses other than free: nothing we publish matches.
  bool free = true;
  /// The parameters (decoded « name=value ») that do not change what matches and are left
  /// out: _count, _pretty, _summary, _elements, unknown ones, _include values we do not
  /// serve. FHIR's lenient handling; a caller honouring « Prefer: handling=strict » refuses
  /// them.
  std::vector<std::string> ignored;
};

enum class QueryErrorKind {
  BadRequest,     // 400
  TooCostly,      // 400 with issue code too-costly: the window is wider than allowed
  NotAcceptable,  // 406: _format asks for something else than JSON
};

struct QueryError {
  QueryErrorKind kind = QueryErrorKind::BadRequest;
  std::string issueCode;    // OperationOutcome.issue.code: required, value, invalid,
                            // not-supported, too-costly
  std::string diagnostics;  // French, then the same in English after « / »
};

struct SearchLimits {
  int maxWindowDays = 7;            // fhir.max_window_days: le − ge may be this long, not more
  std::size_t maxIdentifiers = 25;  // values of the identifier parameter, as sent
  /// The zone of a date or a dateTime without offset; nullptr: Europe/Paris.
  const date::time_zone* zone = nullptr;
};

using SearchOrError = std::variant<SlotSearch, QueryError>;

/// Reads `rawQuery` (what follows « ? », still percent-encoded) as one of the guide's
/// searches of `type`. Decisions (the CapabilityStatements and OpenAPI of the guide mark no
/// parameter required; these are ours):
/// - both bounds are required, prefixes ge and le only (SearchParameter slot-sp-start lists
///   those two comparators; gt, lt, eq … are refused as not-supported), each given once;
/// - a bound is YYYY-MM-DD (ge: that day's 00:00, le: its last second, in the zone) or
///   YYYY-MM-DDThh:mm[:ss[.fraction]] with Z, ±hh:mm or no offset (local time in the zone: a
///   time the clock skips takes the offset before the change, 02:30 → 03:30; a time that
///   happens twice is the first one, as the agenda reads times, docs/rules.md#time-zones);
/// - « + » is a plus sign everywhere (no value of these searches holds a space) and a space
///   where a date's offset sign belongs is a « + » that a client decoded as form data; %2B
///   is « + »;
/// - the identifier parameter is required once, 1 to maxIdentifiers comma-separated values,
///   each trimmed (empty ones skipped); a value of another system, or a well-formed national
///   identifier of a kind we never publish, matches nothing (FHIR's token search); a value of
///   our system (or without one) of no national form is a 400;
/// - status is optional (the guide's statements do not list it; every Slot we publish is
///   free): when given, each value must be a Slot status code;
/// - _format, if given, is json, application/fhir+json, application/json+fhir or
///   application/json (parameters after « ; » ignored), else NotAcceptable;
/// - one refusal is reported, the first of: a « % » not followed by two hexadecimal digits
///   (400), _format (406), the identifiers, the bounds, status (400), the window
///   (TooCostly).
SearchOrError parseSlotSearch(SearchedType type, std::string_view rawQuery,
                              const SearchLimits& limits = {});

/// Percent-decodes one name or value of a query string; « + » stays « + ». None for a « % »
/// not followed by two hexadecimal digits.
std::optional<std::string> decodeQueryComponent(std::string_view text);

/// Whether a _format value (or a media type) asks for FHIR JSON: json, application/fhir+json,
/// application/json+fhir, application/json; any case, parameters after « ; » ignored, a space
/// read as « + ».
bool isJsonFormat(std::string_view format);

}  // namespace sas::domain::fhir
