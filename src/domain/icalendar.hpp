#pragma once
// iCalendar (RFC 5545) text of a place's agenda for calendar applications
// (docs/rules.md#calendar-export). Written here rather than with a library: the feed uses a
// handful of properties, and nothing in our stack (Debian 12's) writes iCalendar; libical serves
// the tests as a parser.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar.hpp"

namespace sas::domain {

/// One VEVENT: times are instants, written in the calendar's zone (DTSTART;TZID=…).
struct CalendarEvent {
  std::string uid;  // stable across feeds: the same availability occurrence keeps it
  Instant start;
  std::optional<Instant> end;  // none: an event of no duration (RFC 5545 §3.6.1)
  std::string summary;
  std::string description;
  std::string location;
};

struct CalendarFeed {
  std::string name;  // X-WR-CALNAME
  const date::time_zone* zone = nullptr;
  Instant stamp;  // DTSTAMP of every event: when the feed was written
  /// The time zone's rules are written for [from, to): the events' span.
  Instant from;
  Instant to;
  std::vector<CalendarEvent> events;
};

/// The whole VCALENDAR: CRLF line ends, lines folded at 75 octets, a VTIMEZONE of the zone's
/// transitions over the span (no RRULE: exact for any IANA zone).
std::string writeCalendar(const CalendarFeed& feed);

/// TEXT value escaping (RFC 5545 §3.3.11): `\` `;` `,` escaped, every line end as `\n`.
std::string escapeText(std::string_view text);

/// One content line folded (RFC 5545 §3.1): at most 75 octets a line, continuation lines begin
/// with one space, and a UTF-8 character is never split; each line ends with CRLF.
std::string foldLine(std::string_view line);

/// 20260304T100000Z
std::string formatUtcStamp(Instant t);

}  // namespace sas::domain
