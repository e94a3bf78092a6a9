#include "domain/text.hpp"

#include <algorithm>
#include <charconv>

namespace sas::domain {

std::string_view trim(std::string_view text, std::string_view chars) {
  const auto first = text.find_first_not_of(chars);
  if (first == std::string_view::npos) return text.substr(text.size());
  return text.substr(first, text.find_last_not_of(chars) - first + 1);
}

std::string trimmed(std::string_view text, std::string_view chars) {
  return std::string(trim(text, chars));
}

std::string joinWords(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const auto part : parts) {
    const auto word = trim(part, kBlanks);
    if (word.empty()) continue;
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::vector<std::string> splitFields(std::string_view line, char separator) {
  std::vector<std::string> out(1);
  for (const char c : line) {
    if (c == separator)
      out.emplace_back();
    else if (c != '\r')
      out.back() += c;
  }
  return out;
}

std::optional<int> parseWholeNumber(std::string_view text) {
  text = trim(text, kBlanks);
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::size_t characterCount(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace sas::domain
