#include "domain/search_text.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <string_view>

namespace sas::domain {
namespace {

// ASCII folding of U+00C0 … U+017F (Latin-1 Supplement and Latin Extended-A), lower case, one
// character per code point: '_' where it is not a letter, a capital for two letters (see
// latinFolding). One character each keeps the table six lines long instead of 192.
constexpr std::string_view kLatin =
    "aaaaaaAceeeeiiiidnooooo_ouuuuyTS"   // U+00C0
    "aaaaaaAceeeeiiiidnooooo_ouuuuyTy"   // U+00E0
    "aaaaaaccccccccddddeeeeeeeeeegggg"   // U+0100
    "gggghhhhiiiiiiiiiiIIjjkkklllllll"   // U+0120
    "lllnnnnnnnnnooooooOOrrrrrrssssss"   // U+0140
    "ssttttttuuuuuuuuuuuuwwyyyzzzzzzs";  // U+0160
static_assert(kLatin.size() == 0x180 - 0xC0);

std::string_view latinFolding(char32_t cp) {
  static constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
  switch (const char c = kLatin[cp - 0xC0]) {
    case '_':
      return {};
    case 'A':
      return "ae";
    case 'I':
      return "ij";
    case 'O':
      return "oe";
    case 'S':
      return "ss";
    case 'T':
      return "th";
    default:
      return kLetters.substr(static_cast<std::size_t>(c - 'a'), 1);
  }
}

constexpr std::array<std::string_view, 14> kStopWords{"a",  "au", "aux", "d",  "de", "des", "du",
                                                      "en", "et", "l",   "la", "le", "les", "sur"};

// Decodes one UTF-8 character at `pos` (advancing it); invalid bytes decode as U+FFFD.
char32_t next(std::string_view s, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = byte(pos);
  int extra = 0;
  char32_t cp = 0;
  if (c < 0x80) {
    ++pos;
    return c;
  } else if ((c & 0xE0) == 0xC0) {
    extra = 1;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    extra = 2;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    extra = 3;
    cp = c & 0x07;
  } else {
    ++pos;
    return 0xFFFD;
  }
  if (pos + static_cast<std::size_t>(extra) >= s.size()) {  // cut short
    ++pos;
    return 0xFFFD;
  }
  for (int i = 1; i <= extra; ++i) {
    const unsigned char b = byte(pos + static_cast<std::size_t>(i));
    if ((b & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  pos += static_cast<std::size_t>(extra) + 1;
  return cp;
}

std::string_view stem(std::string_view word) {
  if (word.size() > 4 && word.back() == 's') word.remove_suffix(1);
  if (word.size() > 4 && word.back() == 'e') word.remove_suffix(1);
  return word;
}

bool startsAWord(std::string_view folded, std::string_view word) {
  for (auto pos = folded.find(word); pos != std::string_view::npos;
       pos = folded.find(word, pos + 1))
    if (pos == 0 || folded[pos - 1] == ' ') return true;
  return false;
}

}  // namespace

std::string foldText(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool space = true;  // no leading space
  auto put = [&](std::string_view piece) {
    if (piece.empty()) {
      if (!space) out.push_back(' ');
      space = true;
      return;
    }
    out += piece;
    space = false;
  };
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const char32_t cp = next(utf8, pos);
    if (cp >= 'A' && cp <= 'Z') {
      const char c = static_cast<char>(cp - 'A' + 'a');
      put(std::string_view(&c, 1));
    } else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
      const char c = static_cast<char>(cp);
      put(std::string_view(&c, 1));
    } else if (cp >= 0xC0 && cp < 0x180) {
      put(latinFolding(cp));
    } else {
      put({});
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> foldedWords(std::string_view folded) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < folded.size()) {
    auto end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    if (end > start) words.emplace_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

std::vector<std::string> searchWords(std::string_view text) {
  auto words = foldedWords(foldText(text));
  std::erase_if(words, [](const std::string& w) {
    return std::find(kStopWords.begin(), kStopWords.end(), w) != kStopWords.end();
  });
  return words;
}

bool matchesWords(const std::vector<std::string>& words, std::string_view folded) {
  // The stem is a prefix of the word: wherever the word starts a word, so does its stem, so
  // the stem alone is looked for (one scan of the text, not two, for every place a search
  // compares).
  const auto matches = [](std::string_view text, const std::string& w) {
    return startsAWord(text, stem(w));
  };
  constexpr std::string_view kSeparator = " | ";
  auto end = folded.find(kSeparator);
  if (end == std::string_view::npos)
    return std::all_of(words.begin(), words.end(),
                       [&](const auto& w) { return matches(folded, w); });
  // The place's own words, then one professional at a time: « lieux pédiatre » does not find a
  // place where Dr Lieux is a general practitioner and another doctor the paediatrician. The
  // words found in the place's own are marked once, on the stack (a search runs this for every
  // place in its radius: no allocation).
  const auto own = folded.substr(0, end);
  std::bitset<128> found;
  bool all = true;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool inOwn = matches(own, words[i]);
    if (i < found.size()) found[i] = inOwn;
    all = all && inOwn;
  }
  if (all) return true;
  while (end != std::string_view::npos) {
    const auto start = end + kSeparator.size();
    end = folded.find(kSeparator, start);
    const auto his = folded.substr(start, end == std::string_view::npos ? end : end - start);
    bool every = true;
    for (std::size_t i = 0; every && i < words.size(); ++i)
      every = (i < found.size() ? found[i] : matches(own, words[i])) || matches(his, words[i]);
    if (every) return true;
  }
  return false;
}

}  // namespace sas::domain
