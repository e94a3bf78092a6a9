#include "domain/search_who.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "domain/search_text.hpp"

namespace sas::domain {
namespace {

// A specialty or profession as the directory and structures write it (folded), and the words
// regulators type for it. Both ways where both are written: « Infirmier » (a profession) is
// found by « soins infirmiers » (a structure's specialty) and the other way round.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kSynonyms{{
    {"medecine generale", "generaliste"},
    {"pediatrie", "pediatre"},
    {"gynecologie", "gynecologue"},
    {"soins infirmiers", "infirmier infirmiere"},
    {"infirmier", "soins infirmiers"},
    {"cardiologie", "cardiologue"},
    {"dermatologie", "dermatologue"},
    {"ophtalmologie", "ophtalmologue"},
    {"psychiatrie", "psychiatre"},
    {"radiologie", "radiologue"},
    {"chirurgie dentaire", "dentiste"},
    {"chirurgien dentiste", "dentiste chirurgie dentaire"},
    {"kinesitherapie", "kinesitherapeute kine"},
    {"masseur kinesitherapeute", "kinesitherapie kine"},
    {"maieutique", "sage femme"},
    {"sage femme", "maieutique"},
}};

constexpr std::string_view kSeparator = " | ";

// Whether `phrase` (folded words) stands in `folded` as whole words.
bool containsPhrase(std::string_view folded, std::string_view phrase) {
  for (auto pos = folded.find(phrase); pos != std::string_view::npos;
       pos = folded.find(phrase, pos + 1)) {
    const auto end = pos + phrase.size();
    if ((pos == 0 || folded[pos - 1] == ' ') && (end == folded.size() || folded[end] == ' '))
      return true;
  }
  return false;
}

void append(std::string& out, std::string_view piece) {
  if (piece.empty()) return;
  if (!out.empty()) out.push_back(' ');
  out += piece;
}

// Each word once, in the order first met: a query's word matches the start of a word
// (matchesWords), so a word said twice adds nothing, and a place's own words repeat (its
// structure's name holds its type, its specialties their synonyms' words). The index keeps
// this text for every place.
std::string eachWordOnce(std::string_view words) {
  std::string out;
  out.reserve(words.size());
  std::vector<std::string_view> seen;
  for (std::size_t pos = 0; pos <= words.size();) {
    auto end = words.find(' ', pos);
    if (end == std::string_view::npos) end = words.size();
    const auto word = words.substr(pos, end - pos);
    if (!word.empty() && std::find(seen.begin(), seen.end(), word) == seen.end()) {
      seen.push_back(word);
      append(out, word);
    }
    pos = end + 1;
  }
  return out;
}

// « LIEUX » → « Lieux », « DE LA FONTAINE » → « De La Fontaine »; a name with a lower-case
// letter is kept as written. Accented capitals of Latin-1 (« É ») are lowered too.
std::string titleCase(const std::string& name) {
  if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return name;
  std::string out = name;
  bool first = true;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c == ' ' || c == '-' || c == '\'') {
      first = true;
      continue;
    }
    if (c == 0xC3 && i + 1 < out.size()) {
      auto& next = reinterpret_cast<unsigned char&>(out[i + 1]);
      if (!first && next >= 0x80 && next <= 0x9E && next != 0x97) next += 0x20;
      ++i;
    } else if (!first && c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c - 'A' + 'a');
    }
    first = false;
  }
  return out;
}

}  // namespace

std::string specialtySynonyms(std::string_view specialties) {
  const std::string folded = foldText(specialties);
  std::string out;
  for (const auto& [written, typed] : kSynonyms)
    if (containsPhrase(folded, written)) append(out, typed);
  return out;
}

std::string professionalText(const SearchProfessional& p) {
  const std::string both = p.profession + " " + p.specialty;
  std::string out = foldText(p.firstName + " " + p.lastName + " " + both);
  append(out, specialtySynonyms(both));
  return out;
}

std::string placeSearchText(std::string_view ownText, std::string_view specialties,
                            const std::vector<SearchProfessional>& professionals) {
  std::string own = foldText(std::string(ownText) + " " + std::string(specialties));
  append(own, specialtySynonyms(specialties));
  std::string out = eachWordOnce(own);
  for (const auto& p : professionals) {
    out += kSeparator;
    out += professionalText(p);
  }
  return out;
}

bool namesProfessional(const std::vector<std::string>& words, std::string_view placeFolded,
                       const SearchProfessional& professional) {
  const auto own = placeFolded.substr(0, placeFolded.find(kSeparator));
  const std::string his = professionalText(professional);
  bool named = false;
  for (const auto& w : words) {
    const std::vector<std::string> one{w};
    const bool inHis = matchesWords(one, his);
    if (!inHis && !matchesWords(one, own)) return false;
    named = named || inHis;
  }
  return named;
}

std::string professionalLabel(const SearchProfessional& p) {
  std::string out;
  if (foldText(p.profession).starts_with("medecin")) out = "Dr";
  append(out, titleCase(p.firstName));
  append(out, titleCase(p.lastName));
  const std::string& what = p.specialty.empty() ? p.profession : p.specialty;
  if (!what.empty()) out += " — " + what;
  return out;
}

}  // namespace sas::domain
