#include "domain/fhir_format.hpp"

#include <algorithm>
#include <array>

namespace sas::domain::fhir {

namespace {

constexpr std::size_t kNationalDigits = 9;  // after the country code, without the trunk 0

struct OverseasPrefix {
  std::string_view digits;  // the national number's first digits, trunk 0 left out
  std::string_view countryCode;
};

// ARCEP's numbering plan for the overseas départements that have their own country code
// (Saint-Pierre-et-Miquelon's +508 numbers have 6 digits and are not read here).
constexpr std::array<OverseasPrefix, 14> kOverseas = {{
    {"262", "262"},
    {"263", "262"},
    {"692", "262"},
    {"693", "262"},  // Réunion
    {"269", "262"},
    {"639", "262"},  // Mayotte
    {"590", "590"},
    {"690", "590"},
    {"691", "590"},  // Guadeloupe, St-Martin, St-Barthélemy
    {"596", "596"},
    {"696", "596"},
    {"697", "596"},  // Martinique
    {"594", "594"},
    {"694", "594"},  // Guyane
}};
constexpr std::array<std::string_view, 5> kCountryCodes = {"262", "590", "596", "594", "33"};

// The country code a 9-digit national number (trunk 0 left out) is dialled with from abroad.
std::string_view countryCodeOf(std::string_view national) {
  for (const auto& p : kOverseas)
    if (national.substr(0, p.digits.size()) == p.digits) return p.countryCode;
  return "33";
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// Exactly `count` digits at `pos`.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (text.size() < pos + count) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (!isDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// Blanks, dots, dashes, slashes and brackets people write between digits; the no-break
// spaces (U+00A0, U+202F) a word processor puts there are skipped by the caller.
bool isSeparator(char c) {
  return c == ' ' || c == '\t' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')';
}

// The digits of `raw` and whether a « + » came before them; none if anything else is there.
std::optional<std::pair<std::string, bool>> digitsOf(std::string_view raw) {
  static constexpr std::string_view kNoBreakSpace = "\xC2\xA0",
                                    kNarrowNoBreakSpace = "\xE2\x80\xAF";
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (isDigit(c)) {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (raw.substr(i, kNoBreakSpace.size()) == kNoBreakSpace) {
      i += kNoBreakSpace.size() - 1;
    } else if (raw.substr(i, kNarrowNoBreakSpace.size()) == kNarrowNoBreakSpace) {
      i += kNarrowNoBreakSpace.size() - 1;
    } else if (!isSeparator(c)) {
      return std::nullopt;
    }
  }
  return std::pair{std::move(digits), plus};
}

// `value` (not negative) with leading zeros up to `width` digits.
void appendNumber(std::string& out, long long value, std::size_t width) {
  const std::string digits = std::to_string(value);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

}  // namespace

std::string formatInstant(Instant t, const date::time_zone& zone) {
  const date::sys_info info = zone.get_info(t);
  const auto local = date::local_seconds{(t + info.offset).time_since_epoch()};
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> time{local - day};
  const auto offset = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
  const auto absOffset = offset < 0 ? -offset : offset;
  std::string out;
  out.reserve(29);
  appendNumber(out, static_cast<int>(ymd.year()), 4);
  out += '-';
  appendNumber(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  appendNumber(out, static_cast<unsigned>(ymd.day()), 2);
  out += 'T';
  appendNumber(out, time.hours().count(), 2);
  out += ':';
  appendNumber(out, time.minutes().count(), 2);
  out += ':';
  appendNumber(out, time.seconds().count(), 2);
  out += ".000";
  out += offset < 0 ? '-' : '+';
  appendNumber(out, absOffset / 60, 2);
  out += ':';
  appendNumber(out, absOffset % 60, 2);
  return out;
}

std::optional<WrittenDateTime> readDateTime(std::string_view text) {
  std::size_t pos = 0;
  const auto year = digits(text, pos, 4);
  if (!year || !expect(text, pos, '-')) return std::nullopt;
  const auto month = digits(text, pos, 2);
  if (!month || !expect(text, pos, '-')) return std::nullopt;
  const auto dayOfMonth = digits(text, pos, 2);
  if (!dayOfMonth) return std::nullopt;
  const date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                                 date::day{static_cast<unsigned>(*dayOfMonth)}};
  if (!ymd.ok()) return std::nullopt;
  WrittenDateTime out{date::local_days{ymd}, std::nullopt, std::nullopt};
  if (pos == text.size()) return out;
  if (!expect(text, pos, 'T')) return std::nullopt;
  const auto hours = digits(text, pos, 2);
  if (!hours || *hours > 23 || !expect(text, pos, ':')) return std::nullopt;
  const auto minutes = digits(text, pos, 2);
  if (!minutes || *minutes > 59) return std::nullopt;
  int seconds = 0;
  std::chrono::microseconds fraction{0};
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    const auto s = digits(text, pos, 2);
    if (!s || *s > 59) return std::nullopt;  // a leap second cannot be told apart
    seconds = *s;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      const std::size_t first = pos;
      long micros = 0;
      for (; pos < text.size() && isDigit(text[pos]); ++pos)
        if (pos - first < 6) micros = micros * 10 + (text[pos] - '0');
      if (pos == first) return std::nullopt;
      for (std::size_t n = std::min<std::size_t>(pos - first, 6); n < 6; ++n) micros *= 10;
      fraction = std::chrono::microseconds{micros};
    }
  }
  out.timeOfDay = std::chrono::hours{*hours} + std::chrono::minutes{*minutes} +
                  std::chrono::seconds{seconds} + fraction;
  if (pos == text.size()) return out;
  if (text[pos] == 'Z') {
    if (pos + 1 != text.size()) return std::nullopt;
    out.offset = std::chrono::minutes{0};
    return out;
  }
  const char sign = text[pos];
  if (sign != '+' && sign != '-') return std::nullopt;
  ++pos;
  const auto offsetHours = digits(text, pos, 2);
  if (!offsetHours || !expect(text, pos, ':')) return std::nullopt;
  const auto offsetMinutes = digits(text, pos, 2);
  if (!offsetMinutes || *offsetMinutes > 59 || pos != text.size()) return std::nullopt;
  if (*offsetHours > 14 || (*offsetHours == 14 && *offsetMinutes > 0)) return std::nullopt;
  const auto offset = std::chrono::hours{*offsetHours} + std::chrono::minutes{*offsetMinutes};
  out.offset = sign == '-' ? -offset : offset;
  return out;
}

std::optional<Instant> instantWithOffset(const WrittenDateTime& written) {
  if (!written.timeOfDay || !written.offset) return std::nullopt;
  const auto utc = date::sys_time<std::chrono::microseconds>{written.day.time_since_epoch() +
                                                             *written.timeOfDay - *written.offset};
  return date::floor<std::chrono::seconds>(utc);
}

std::optional<std::string> internationalPhone(std::string_view raw) {
  auto read = digitsOf(raw);
  if (!read) return std::nullopt;
  auto& [digits, plus] = *read;
  std::string_view rest = digits;
  std::string_view countryCode;
  if (plus || rest.substr(0, 2) == "00") {
    if (!plus) rest.remove_prefix(2);
    for (const auto code : kCountryCodes) {
      if (rest.substr(0, code.size()) == code) {
        countryCode = code;
        rest.remove_prefix(code.size());
        break;
      }
    }
    if (countryCode.empty()) return std::nullopt;  // another country's number
    // « +33 (0)1 42 … »: the trunk 0 written after the country code.
    if (rest.size() == kNationalDigits + 1 && rest[0] == '0') rest.remove_prefix(1);
  } else {
    if (rest.size() != kNationalDigits + 1 || rest[0] != '0') return std::nullopt;
    rest.remove_prefix(1);
  }
  if (rest.size() != kNationalDigits || rest[0] == '0') return std::nullopt;
  const std::string_view dialled = countryCodeOf(rest);
  // An overseas code must head one of its own numbers; « +33 » before an overseas number is
  // the usual slip, the number's own code is meant.
  if (!countryCode.empty() && countryCode != "33" && countryCode != dialled) return std::nullopt;
  std::string out = "+";
  out += dialled;
  out += rest;
  return out;
}

}  // namespace sas::domain::fhir
