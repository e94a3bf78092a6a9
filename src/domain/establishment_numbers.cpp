#include "domain/establishment_numbers.hpp"

namespace sas::domain {

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// Digits and letters, upper-cased; every other character (space, dot, dash, quote…) dropped.
std::string kept(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (digit(c) || (c >= 'A' && c <= 'Z'))
      out += c;
    else if (c >= 'a' && c <= 'z')
      out += static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

std::string cleanSiret(std::string_view raw) {
  auto s = kept(raw);
  if (s.size() != 14) return {};
  for (char c : s)
    if (!digit(c)) return {};
  return s;
}

std::string cleanFiness(std::string_view raw) {
  auto s = kept(raw);
  if (s.size() != 9) return {};
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool corsica = i == 1 && s[0] == '2' && (s[1] == 'A' || s[1] == 'B');
    if (!digit(s[i]) && !corsica) return {};
  }
  return s;
}

std::string rppsOf(std::string_view nationalId) {
  constexpr std::size_t kRppsDigits = 11;
  if (nationalId.size() != kRppsDigits + 1 || nationalId.front() != '8') return "";
  for (char c : nationalId)
    if (c < '0' || c > '9') return "";
  return std::string(nationalId.substr(1));
}

std::string rppsRangOf(std::string_view formerIdentifier) {
  if (formerIdentifier.empty() || formerIdentifier.front() != '4') return "";
  const auto rang = formerIdentifier.substr(1);
  return isRppsRang(rang) ? std::string(rang) : "";
}

bool isRppsRang(std::string_view digits) {
  constexpr std::size_t kRppsDigits = 11, kMostDigits = 20;
  if (digits.size() <= kRppsDigits || digits.size() > kMostDigits) return false;
  for (char c : digits)
    if (!digit(c)) return false;
  return true;
}

}  // namespace sas::domain
