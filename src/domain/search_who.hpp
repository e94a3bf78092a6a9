#pragma once
// « Qui » in the regulators' search (docs/rules.md#search): the professionals practising at a
// place (from the health professionals' directory and from Pro Santé Connect accounts), their
// specialties with the words regulators commonly type for them, and which of them a query
// names, so that a result says who it was found for.
#include <string>
#include <string_view>
#include <vector>

namespace sas::domain {

/// A health professional practising at a place, as the search knows him.
struct SearchProfessional {
  std::string firstName;
  std::string lastName;
  std::string profession;  // « Médecin », « Infirmier »…; may be empty (Pro Santé Connect)
  std::string specialty;   // « Médecine générale »; may be empty
  std::string nationalId;  // « 8 » + RPPS or « 0 » + ADELI, what other systems ask by
  bool operator==(const SearchProfessional&) const = default;
};

/// The folded words regulators type for the specialties found in `specialties` (« Médecine
/// générale, Pédiatrie » → "generaliste pediatre"), from a small explicit table; empty when none
/// has a synonym.
std::string specialtySynonyms(std::string_view specialties);

/// What a professional is searched by: his names, profession and specialty, folded, with the
/// specialty's synonyms.
std::string professionalText(const SearchProfessional& professional);

/// The text the search index keeps for a place (SearchPlace::text): the place's own words
/// (place and structure names, structure type, specialties and their synonyms), then one
/// segment per professional, separated by " | ", so that a query is matched against the place
/// with one professional at a time (see matchesWords).
std::string placeSearchText(std::string_view ownText, std::string_view specialties,
                            const std::vector<SearchProfessional>& professionals);

/// Whether the query (searchWords) names this professional: every word starts a word of the
/// place's own text or of his, and at least one word is his (« centre de santé » names nobody).
bool namesProfessional(const std::vector<std::string>& words, std::string_view placeFolded,
                       const SearchProfessional& professional);

/// « Dr Claire Lieux — Médecine générale »: « Dr » for a physician, names written in capitals
/// (as the directory gives them) put in title case, the specialty (else the profession).
std::string professionalLabel(const SearchProfessional& professional);

}  // namespace sas::domain
