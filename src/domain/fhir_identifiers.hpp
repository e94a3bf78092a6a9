#pragma once
// National identifiers as the SAS implementation guide (ans.fhir.fr.sas 1.2.0) writes them:
// a professional's IDNPS under urn:oid:1.2.250.1.71.4.2.1 and a structure's IDNST under
// urn:oid:1.2.250.1.71.4.2.2, each as one string whose first character tells its kind.
#include <optional>
#include <string>
#include <string_view>

namespace sas::domain::fhir {

inline constexpr std::string_view kProfessionalSystem = "urn:oid:1.2.250.1.71.4.2.1";  // IDNPS
inline constexpr std::string_view kStructureSystem = "urn:oid:1.2.250.1.71.4.2.2";     // IDNST

/// The IDNPS of a professional we publish: « 8 » + the 11-digit RPPS number, or « 0 » + the
/// 9-character ADELI number (« 2A » / « 2B » for Corsica, upper-cased); a bare 11-digit RPPS
/// is read as « 8 » + it. None for anything else (no blank is dropped here).
std::optional<std::string> professionalIdentifier(std::string_view value);

/// The IDNST of a structure we publish: « 3 » + the 14-digit SIRET or « 1 » + the 9-character
/// FINESS (Corsica's letters upper-cased). None for anything else.
std::optional<std::string> structureIdentifier(std::string_view value);

/// The IDNST that names a structure in PractitionerRole.organization and Organization:
/// « 1 » + FINESS when it has one, else « 3 » + SIRET, else « 4 » + the RPPS rang of a
/// professional's own practice (domain::rppsRangOf), else none. Numbers as the stores keep them,
/// separators tolerated.
std::optional<std::string> organisationIdentifier(std::string_view finess, std::string_view siret,
                                                  std::string_view rppsRang = {});

/// What one value of an identifier search parameter (`system|value`, or `value` alone, already
/// percent-decoded and trimmed) asks for.
enum class SearchedIdentifierKind {
  Ours,            // our system (or none given) and a value of a kind we publish: `value` holds it
  MatchesNothing,  // another system, an empty one (`|value`), or a well-formed national
                   // identifier of a kind we never publish: the search goes on without it
  Malformed,       // our system (or none given) and a value of no national form: a 400
};

struct SearchedIdentifier {
  SearchedIdentifierKind kind = SearchedIdentifierKind::Malformed;
  std::string value;  // the normalised identifier when kind is Ours
};

/// A value of `schedule.actor:Practitioner.identifier`. Well formed but never ours: a
/// professional known by his structure (« 1 », « 2 » or « 3 », the structure's number, « / »,
/// his number there).
SearchedIdentifier readSearchedProfessional(std::string_view token);

/// A value of `actor:Location.organization.identifier`. Well formed but never ours: « 2 » + a
/// 9-digit SIREN and « 4 » + an RPPS rang (digits).
SearchedIdentifier readSearchedStructure(std::string_view token);

}  // namespace sas::domain::fhir
