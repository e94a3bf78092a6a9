#pragma once
// Dates, times of day and time zones as the agenda uses them. A `Day` is a calendar date with
// no time zone of its own: it is read in the place's zone.
#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sas::domain {

using Day = date::sys_days;
using Instant = std::chrono::sys_seconds;

inline constexpr int kMinutesPerDay = 24 * 60;
/// « A » may be 23h59, the last minute of the day.
inline constexpr int kLastMinute = kMinutesPerDay - 1;

/// The instant at which a local date and minute of day happen in `zone`
/// (docs/rules.md#time-zones): a local time in a daylight-saving gap takes the offset before
/// the gap (02h30 → 03h30), a local time that happens twice is the first of the two.
Instant localToInstant(const date::time_zone& zone, Day day, int minuteOfDay);
Day localDay(const date::time_zone& zone, Instant t);
/// Minutes since local midnight of `t`.
int localMinute(const date::time_zone& zone, Instant t);

/// 0 = Monday … 6 = Sunday.
int weekdayIndex(Day day);
/// The Monday of the ISO week holding `day`.
Day mondayOf(Day day);

/// "jj/mm/aaaa" (the guide's format) or "aaaa-mm-jj" (what an HTML date field sends).
std::optional<Day> parseDate(std::string_view text);
/// "10h00", "10:00" or "10h" → minutes since midnight.
std::optional<int> parseTime(std::string_view text);

std::string formatDate(Day day);               // 29/06/2023
std::string formatIsoDate(Day day);            // 2023-06-29
std::string formatTime(int minuteOfDay);       // 10h00
std::string formatTimeInput(int minuteOfDay);  // 10:00 (value of an HTML time field)
/// « lundi 29 juin 2023 »
std::string formatLongDate(Day day);
/// « Lun 29 »
std::string formatShortDay(Day day);
/// « juin » for month 6.
std::string monthName(unsigned month);
/// « Lundi » for 0.
std::string weekdayName(int index);

/// nullptr when the name is not a known IANA zone.
const date::time_zone* findZone(std::string_view name);

}  // namespace sas::domain
