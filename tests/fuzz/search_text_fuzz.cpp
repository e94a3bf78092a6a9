// libFuzzer target: the search's free text (« spécialité, structure »): folding, word split and
// matching, on any bytes (invalid UTF-8 included).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/search_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sas::domain;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto half = text.substr(0, size / 2);
  const auto words = searchWords(half);
  const auto folded = foldText(text.substr(size / 2));
  (void)matchesWords(words, folded);
  // Folding is idempotent: what was folded folds to itself.
  if (foldText(folded) != folded) __builtin_trap();
  return 0;
}
