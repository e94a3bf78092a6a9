#pragma once
// Text as the regulators' search compares it (docs/rules.md#search): « Saint-Étienne »,
// « SAINT ETIENNE » and « saint-etienne » are the same words; « pédiatre » finds « Pédiatrie ».
#include <string>
#include <string_view>
#include <vector>

namespace sas::domain {

/// Lower-case ASCII letters and digits, accents dropped (« œ » → "oe"), any other character a
/// single space, no leading or trailing space: « Saint-Étienne » → "saint etienne".
std::string foldText(std::string_view utf8);

/// The words of a text already folded (foldText: words joined by single spaces).
std::vector<std::string> foldedWords(std::string_view folded);

/// The words of `text` (folded here) that carry meaning: French articles and prepositions
/// (« de », « la », « d' »…) are left out, so « centre de santé » and « centre santé » match.
std::vector<std::string> searchWords(std::string_view text);

/// Whether every one of `words` (from searchWords) starts a word of `folded` (from foldText),
/// or its stem does (a final « s » then « e » dropped when 4 letters remain: « pediatre » →
/// "pediatr" starts "pediatrie"). No word matches anything. A text in segments joined by " | "
/// (placeSearchText: the place's own words, then each professional's) matches when every word
/// is in the first segment or, all those that are not, in one same other segment.
bool matchesWords(const std::vector<std::string>& words, std::string_view folded);

}  // namespace sas::domain
