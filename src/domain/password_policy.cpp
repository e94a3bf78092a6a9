#include "domain/password_policy.hpp"

#include <algorithm>
#include <optional>

namespace sas::domain {

namespace {

constexpr std::size_t kMinLength = 12;
constexpr std::size_t kMaxLength = 128;
constexpr std::size_t kMinEmailPartLength = 4;
constexpr std::string_view kSpecials = "!@#$%^&*()_+=-~`{}\"?:><,./;'\\[]| ";
// As the guide lists them (| and space are accepted too, without being advertised).
constexpr const char* kSpecialsShown = "!@#$%^&*()_+=-~`{}\"?:><,./;'\\[]";

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
std::optional<std::u32string> decodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
      length = 1;
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      cp = lead & 0x1F;
      minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      cp = lead & 0x0F;
      minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      cp = lead & 0x07;
      minimum = 0x10000;
    } else {
      return std::nullopt;
    }
    if (i + length > text.size()) return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out.push_back(cp);
    i += length;
  }
  return out;
}

// Letters with a case in the scripts French users type: Basic Latin, Latin-1 Supplement,
// Latin Extended-A (œ, ŷ, ł…), basic Greek and Cyrillic.
bool isUpper(char32_t c) {
  if (c >= U'A' && c <= U'Z') return true;
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;  // × is not a letter
  if (c >= 0x100 && c <= 0x137) return c % 2 == 0;
  if (c >= 0x139 && c <= 0x148) return c % 2 == 1;
  if (c >= 0x14A && c <= 0x177) return c % 2 == 0;
  if (c == 0x178) return true;  // Ÿ
  if (c >= 0x179 && c <= 0x17E) return c % 2 == 1;
  if (c >= 0x391 && c <= 0x3A9) return c != 0x3A2;
  if (c >= 0x400 && c <= 0x42F) return true;
  return false;
}

bool isLower(char32_t c) {
  if (c >= U'a' && c <= U'z') return true;
  if (c >= 0xDF && c <= 0xFF) return c != 0xF7;  // ÷ is not a letter; ß and ÿ are
  if (c >= 0x100 && c <= 0x137) return c % 2 == 1;
  if (c == 0x138) return true;  // ĸ
  if (c >= 0x139 && c <= 0x148) return c % 2 == 0;
  if (c == 0x149) return true;  // ŉ
  if (c >= 0x14A && c <= 0x177) return c % 2 == 1;
  if (c >= 0x179 && c <= 0x17E) return c % 2 == 0;
  if (c == 0x17F) return true;  // ſ
  if (c >= 0x3B1 && c <= 0x3C9) return true;
  if (c >= 0x430 && c <= 0x45F) return true;
  return false;
}

char32_t toLower(char32_t c) {
  if (!isUpper(c)) return c;
  if (c < 0x80 || (c >= 0xC0 && c <= 0xDE)) return c + 0x20;
  if (c == 0x130) return U'i';  // İ
  if (c == 0x178) return 0xFF;  // Ÿ → ÿ
  if (c >= 0x100 && c <= 0x17E) return c + 1;
  if (c >= 0x391 && c <= 0x3A9) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  return c;
}

std::u32string lowered(std::u32string text) {
  std::transform(text.begin(), text.end(), text.begin(), toLower);
  return text;
}

bool isSpecial(char32_t c) {
  return c < 0x80 && kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::vector<PasswordRule> passwordFailures(std::string_view password, std::string_view email) {
  const auto text = decodeUtf8(password);
  // Without valid text, counting characters or letters would mean nothing.
  if (!text) return {PasswordRule::InvalidText};

  std::vector<PasswordRule> failures;
  if (text->size() < kMinLength) failures.push_back(PasswordRule::MinLength);
  if (text->size() > kMaxLength) failures.push_back(PasswordRule::MaxLength);
  if (std::none_of(text->begin(), text->end(), isUpper) ||
      std::none_of(text->begin(), text->end(), isLower))
    failures.push_back(PasswordRule::UpperAndLower);
  if (std::none_of(text->begin(), text->end(), [](char32_t c) { return c >= U'0' && c <= U'9'; }))
    failures.push_back(PasswordRule::Digit);
  if (std::none_of(text->begin(), text->end(), isSpecial))
    failures.push_back(PasswordRule::Special);

  const auto at = email.rfind('@');
  const auto localPart = decodeUtf8(email.substr(0, at));  // no « @ »: all of it
  if (localPart && localPart->size() >= kMinEmailPartLength &&
      lowered(*text).find(lowered(*localPart)) != std::u32string::npos)
    failures.push_back(PasswordRule::ContainsEmail);
  return failures;
}

std::string describe(PasswordRule rule) {
  switch (rule) {
    case PasswordRule::MinLength:
      return "Le mot de passe doit avoir au moins " + std::to_string(kMinLength) + " caractères.";
    case PasswordRule::MaxLength:
      return "Le mot de passe doit avoir au plus " + std::to_string(kMaxLength) + " caractères.";
    case PasswordRule::UpperAndLower:
      return "Le mot de passe doit avoir des lettres majuscules et minuscules.";
    case PasswordRule::Digit:
      return "Le mot de passe doit avoir au moins 1 chiffre.";
    case PasswordRule::Special:
      return std::string{"Le mot de passe doit avoir au moins 1 caractère spécial ("} +
             kSpecialsShown + ").";
    case PasswordRule::ContainsEmail:
      return "Le mot de passe ne doit pas contenir la partie de votre adresse électronique qui "
             "précède le « @ ».";
    case PasswordRule::InvalidText:
      return "Le mot de passe contient des caractères non valides.";
  }
  return {};
}

std::vector<std::string> passwordRulesText() {
  return {
      "Au moins " + std::to_string(kMinLength) + " caractères (au plus " +
          std::to_string(kMaxLength) + ")",
      std::string{"Au moins 1 caractère spécial ("} + kSpecialsShown + ")",
      "Au moins 1 chiffre",
      "Avoir des lettres majuscules et minuscules",
      "Ne pas contenir la partie de votre adresse électronique qui précède le « @ »",
  };
}

}  // namespace sas::domain
