#include "domain/calendar.hpp"
#include "domain/text.hpp"

#include <array>
#include <stdexcept>

namespace sas::domain {

namespace {

constexpr std::array<const char*, 12> kMonthNames = {
    "janvier", "février", "mars",      "avril",   "mai",      "juin",
    "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
constexpr std::array<const char*, 7> kWeekdayNames = {"Lundi",    "Mardi",  "Mercredi", "Jeudi",
                                                      "Vendredi", "Samedi", "Dimanche"};
constexpr std::array<const char*, 7> kWeekdayShortNames = {"Lun", "Mar", "Mer", "Jeu",
                                                           "Ven", "Sam", "Dim"};

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// Reads 1 to `maxDigits` digits at `pos`; the count read must be in [minDigits, maxDigits].
std::optional<int> readNumber(std::string_view text, std::size_t& pos, std::size_t minDigits,
                              std::size_t maxDigits) {
  std::size_t count = 0;
  int value = 0;
  while (pos < text.size() && count < maxDigits && isDigit(text[pos])) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++count;
  }
  if (count < minDigits) return std::nullopt;
  return value;
}

std::optional<Day> makeDay(int year, int month, int dayOfMonth) {
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(dayOfMonth)}};
  if (!ymd.ok()) return std::nullopt;
  return Day{ymd};
}

// By hand rather than snprintf: these run for every cell of the agenda page.
void appendTwoDigits(std::string& out, unsigned value) {
  value %= 100;
  out += static_cast<char>('0' + value / 10);
  out += static_cast<char>('0' + value % 10);
}

std::string twoDigits(unsigned value) {
  std::string out;
  appendTwoDigits(out, value);
  return out;
}

std::string clockText(int minuteOfDay, char separator) {
  std::string out;
  out.reserve(5);
  appendTwoDigits(out, static_cast<unsigned>(minuteOfDay / 60));
  out += separator;
  appendTwoDigits(out, static_cast<unsigned>(minuteOfDay % 60));
  return out;
}

// The last stretch of one zone's time with a single offset (a sys_info), kept per thread: a
// build of the search index converts tens of millions of times, nearly all in a few days of one
// zone, and the library's search of the zone's transitions was a tenth of it.
struct SteadyOffset {
  const date::time_zone* zone = nullptr;
  Instant begin;  // the offset holds over [begin, end)
  Instant end;
  std::chrono::seconds offset{0};
};
thread_local SteadyOffset lastOffset;

void remember(const date::time_zone& zone, const date::sys_info& info) {
  lastOffset = {&zone, info.begin, info.end, info.offset};
}

}  // namespace

Instant localToInstant(const date::time_zone& zone, Day day, int minuteOfDay) {
  const date::local_seconds local =
      date::local_days{day.time_since_epoch()} + std::chrono::minutes{minuteOfDay};
  if (lastOffset.zone == &zone) {
    // Unique when a day or more from either end of the stretch: another offset would put the
    // same local time less than a day away, inside the stretch, where it would be this one.
    const Instant guess{local.time_since_epoch() - lastOffset.offset};
    if (guess - lastOffset.begin >= date::days{1} && lastOffset.end - guess > date::days{1})
      return guess;
  }
  // For a unique time `first` is the only offset; in a gap it is the offset before the gap
  // (02h30 becomes 03h30); for a doubled time it is the earlier of the two
  // (docs/rules.md#time-zones).
  const date::local_info info = zone.get_info(local);
  if (info.result == date::local_info::unique) remember(zone, info.first);
  return Instant{local.time_since_epoch() - info.first.offset};
}

namespace {

// The wall-clock time of `t` in `zone`, counted like an Instant (what zone.to_local gives).
Instant wallClock(const date::time_zone& zone, Instant t) {
  if (lastOffset.zone != &zone || t < lastOffset.begin || t >= lastOffset.end)
    remember(zone, zone.get_info(t));
  return t + lastOffset.offset;
}

}  // namespace

Day localDay(const date::time_zone& zone, Instant t) {
  return date::floor<date::days>(wallClock(zone, t));
}

int localMinute(const date::time_zone& zone, Instant t) {
  const auto local = wallClock(zone, t);
  const auto sinceMidnight = local - date::floor<date::days>(local);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(sinceMidnight).count());
}

int weekdayIndex(Day day) {
  return static_cast<int>(date::weekday{day}.iso_encoding()) - 1;
}

Day mondayOf(Day day) {
  return day - date::days{weekdayIndex(day)};
}

std::optional<Day> parseDate(std::string_view text) {
  text = trim(text, kBlanks);
  std::size_t pos = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    const auto year = readNumber(text, pos, 4, 4);
    if (!year || text[pos++] != '-') return std::nullopt;
    const auto month = readNumber(text, pos, 2, 2);
    if (!month || text[pos++] != '-') return std::nullopt;
    const auto dayOfMonth = readNumber(text, pos, 2, 2);
    if (!dayOfMonth || pos != text.size()) return std::nullopt;
    return makeDay(*year, *month, *dayOfMonth);
  }
  // jj/mm/aaaa; a day or month typed with one digit is accepted as well.
  const auto dayOfMonth = readNumber(text, pos, 1, 2);
  if (!dayOfMonth || pos >= text.size() || text[pos++] != '/') return std::nullopt;
  const auto month = readNumber(text, pos, 1, 2);
  if (!month || pos >= text.size() || text[pos++] != '/') return std::nullopt;
  const auto year = readNumber(text, pos, 4, 4);
  if (!year || pos != text.size()) return std::nullopt;
  return makeDay(*year, *month, *dayOfMonth);
}

std::optional<int> parseTime(std::string_view text) {
  text = trim(text, kBlanks);
  std::size_t pos = 0;
  const auto hours = readNumber(text, pos, 1, 2);
  if (!hours || pos >= text.size()) return std::nullopt;
  const char separator = text[pos++];
  if (separator != 'h' && separator != 'H' && separator != ':') return std::nullopt;
  int minutes = 0;
  if (pos == text.size()) {
    if (separator == ':') return std::nullopt;  // "10h" is French usage, "10:" is not
  } else {
    const auto read = readNumber(text, pos, 2, 2);
    if (!read) return std::nullopt;
    minutes = *read;
    // An HTML time field may send seconds ("10:00:00"); only whole minutes make sense here.
    if (separator == ':' && pos < text.size()) {
      if (text[pos++] != ':') return std::nullopt;
      const auto seconds = readNumber(text, pos, 2, 2);
      if (!seconds || *seconds != 0) return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
  }
  if (*hours > 23 || minutes > 59) return std::nullopt;
  return *hours * 60 + minutes;
}

std::string formatDate(Day day) {
  const date::year_month_day ymd{day};
  return twoDigits(static_cast<unsigned>(ymd.day())) + "/" +
         twoDigits(static_cast<unsigned>(ymd.month())) + "/" +
         std::to_string(static_cast<int>(ymd.year()));
}

std::string formatIsoDate(Day day) {
  const date::year_month_day ymd{day};
  std::string out = std::to_string(static_cast<int>(ymd.year()));
  out += '-';
  appendTwoDigits(out, static_cast<unsigned>(ymd.month()));
  out += '-';
  appendTwoDigits(out, static_cast<unsigned>(ymd.day()));
  return out;
}

std::string formatTime(int minuteOfDay) {
  return clockText(minuteOfDay, 'h');
}

std::string formatTimeInput(int minuteOfDay) {
  return clockText(minuteOfDay, ':');
}

std::string formatLongDate(Day day) {
  const date::year_month_day ymd{day};
  const unsigned dayOfMonth = static_cast<unsigned>(ymd.day());
  std::string name = weekdayName(weekdayIndex(day));
  name[0] = static_cast<char>(name[0] - 'A' + 'a');  // weekday names are ASCII
  // French writes the first of the month as an ordinal: « 1er juin ».
  return name + " " + std::to_string(dayOfMonth) + (dayOfMonth == 1 ? "er " : " ") +
         monthName(static_cast<unsigned>(ymd.month())) + " " +
         std::to_string(static_cast<int>(ymd.year()));
}

std::string formatShortDay(Day day) {
  const date::year_month_day ymd{day};
  return std::string{kWeekdayShortNames[static_cast<std::size_t>(weekdayIndex(day))]} + " " +
         std::to_string(static_cast<unsigned>(ymd.day()));
}

std::string monthName(unsigned month) {
  if (month < 1 || month > 12) return {};
  return kMonthNames[month - 1];
}

std::string weekdayName(int index) {
  if (index < 0 || index > 6) return {};
  return kWeekdayNames[static_cast<std::size_t>(index)];
}

const date::time_zone* findZone(std::string_view name) {
  if (name.empty()) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error&) {
    return nullptr;
  }
}

}  // namespace sas::domain
