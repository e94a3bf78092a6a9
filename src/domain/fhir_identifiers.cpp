#include "domain/fhir_identifiers.hpp"

#include "domain/establishment_numbers.hpp"

#include <algorithm>

namespace sas::domain::fhir {

namespace {

constexpr std::size_t kRppsDigits = 11;
constexpr std::size_t kSiretDigits = 14;
constexpr std::size_t kSirenDigits = 9;
constexpr std::size_t kDepartementNumberLength = 9;  // FINESS and ADELI alike

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isDigit);
}

// Nine characters beginning with the département, as FINESS and ADELI numbers are: digits,
// except « 2A » / « 2B » for Corsica. Upper-cased; none when not of that form.
std::optional<std::string> departementNumber(std::string_view s) {
  if (s.size() != kDepartementNumberLength) return std::nullopt;
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i == 1 && out[0] == '2' && (c == 'a' || c == 'b')) c = static_cast<char>(c - 'a' + 'A');
    const bool corsica = i == 1 && out[0] == '2' && (c == 'A' || c == 'B');
    if (!isDigit(c) && !corsica) return std::nullopt;
  }
  return out;
}

// `system|value` → (system, value); a token without « | » names no system (any matches).
struct Token {
  bool hasSystem = false;
  std::string_view system;
  std::string_view value;
};

Token split(std::string_view token) {
  const auto bar = token.find('|');
  if (bar == std::string_view::npos) return {false, {}, token};
  return {true, token.substr(0, bar), token.substr(bar + 1)};
}

// « 1 », « 2 » or « 3 », a number, « / », a number: how a structure names a professional it
// employs (IDNPS types 1 to 3). Only the shape is checked.
bool structureEmployeeIdentifier(std::string_view value) {
  if (value.size() < 4 || (value[0] != '1' && value[0] != '2' && value[0] != '3')) return false;
  const auto slash = value.find('/');
  if (slash == std::string_view::npos || slash < 2 || slash + 1 == value.size()) return false;
  return value.find('/', slash + 1) == std::string_view::npos;
}

template <class Normalise, class Foreign>
SearchedIdentifier readSearched(std::string_view token, std::string_view ourSystem,
                                Normalise normalise, Foreign wellFormedForeign) {
  const Token t = split(token);
  if (t.hasSystem && t.system != ourSystem) return {SearchedIdentifierKind::MatchesNothing, {}};
  if (auto value = normalise(t.value)) return {SearchedIdentifierKind::Ours, std::move(*value)};
  if (wellFormedForeign(t.value)) return {SearchedIdentifierKind::MatchesNothing, {}};
  return {SearchedIdentifierKind::Malformed, {}};
}

}  // namespace

std::optional<std::string> professionalIdentifier(std::string_view value) {
  if (value.size() == kRppsDigits && allDigits(value)) return "8" + std::string(value);
  if (value.size() == kRppsDigits + 1 && value[0] == '8' && allDigits(value))
    return std::string(value);
  if (value.size() == kDepartementNumberLength + 1 && value[0] == '0') {
    if (auto adeli = departementNumber(value.substr(1))) return "0" + *adeli;
  }
  return std::nullopt;
}

std::optional<std::string> structureIdentifier(std::string_view value) {
  if (value.size() == kSiretDigits + 1 && value[0] == '3' && allDigits(value))
    return std::string(value);
  if (value.size() == kDepartementNumberLength + 1 && value[0] == '1') {
    if (auto finess = departementNumber(value.substr(1))) return "1" + *finess;
  }
  return std::nullopt;
}

std::optional<std::string> organisationIdentifier(std::string_view finess, std::string_view siret,
                                                  std::string_view rppsRang) {
  if (auto f = cleanFiness(finess); !f.empty()) return "1" + f;
  if (auto s = cleanSiret(siret); !s.empty()) return "3" + s;
  if (isRppsRang(rppsRang)) return "4" + std::string(rppsRang);
  return std::nullopt;
}

SearchedIdentifier readSearchedProfessional(std::string_view token) {
  return readSearched(token, kProfessionalSystem, professionalIdentifier,
                      structureEmployeeIdentifier);
}

SearchedIdentifier readSearchedStructure(std::string_view token) {
  return readSearched(token, kStructureSystem, structureIdentifier, [](std::string_view v) {
    const bool siren = v.size() == kSirenDigits + 1 && v[0] == '2' && allDigits(v);
    const bool rppsRang = !rppsRangOf(v).empty();
    return siren || rppsRang;
  });
}

}  // namespace sas::domain::fhir
