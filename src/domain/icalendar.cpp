#include "domain/icalendar.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace sas::domain {
namespace {

constexpr std::size_t kMaxLineOctets = 75;

std::string formatLocal(date::local_seconds t) {
  return date::format("%Y%m%dT%H%M%S", t);
}

/// +0100, -0300, +053010 (seconds only when the offset has some).
std::string formatOffset(std::chrono::seconds offset) {
  const char sign = offset.count() < 0 ? '-' : '+';
  long long s = std::llabs(offset.count());
  char buf[64];
  if (s % 60 != 0)
    std::snprintf(buf, sizeof buf, "%c%02lld%02lld%02lld", sign, s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%c%02lld%02lld", sign, s / 3600, s / 60 % 60);
  return buf;
}

void addLine(std::string& out, std::string_view line) {
  out += foldLine(line);
}

void addText(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  std::string line(name);
  line += ':';
  line += escapeText(value);
  addLine(out, line);
}

/// The zone's observances from the one in force at `from` through those that begin before
/// `to`, each with its own DTSTART (no RRULE), so that every instant of the span has its offset.
void addTimeZone(std::string& out, const date::time_zone& zone, Instant from, Instant to) {
  addLine(out, "BEGIN:VTIMEZONE");
  addLine(out, "TZID:" + std::string(zone.name()));
  // Before 1970 a zone's history is of no use to an agenda, and its first period may begin at
  // the beginning of time, which no calendar reads.
  const Instant floor = Instant{std::chrono::seconds{0}};
  auto info = zone.get_info(from);
  for (;;) {
    const bool clamped = info.begin < floor;
    const Instant begin = clamped ? floor : Instant{info.begin};
    const auto offsetFrom =
        clamped ? info.offset : zone.get_info(begin - std::chrono::seconds{1}).offset;
    const char* kind = info.save == std::chrono::minutes{0} ? "STANDARD" : "DAYLIGHT";
    addLine(out, std::string("BEGIN:") + kind);
    // The local time at which it begins, read with the offset in force before it.
    addLine(out,
            "DTSTART:" + formatLocal(date::local_seconds{begin.time_since_epoch() + offsetFrom}));
    addLine(out, "TZOFFSETFROM:" + formatOffset(offsetFrom));
    addLine(out, "TZOFFSETTO:" + formatOffset(info.offset));
    if (!info.abbrev.empty()) addText(out, "TZNAME", info.abbrev);
    addLine(out, std::string("END:") + kind);
    if (info.end >= to) break;  // a zone with no more changes ends at the end of time
    info = zone.get_info(info.end);
  }
  addLine(out, "END:VTIMEZONE");
}

}  // namespace

std::string escapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        // Other control characters are not allowed in TEXT (RFC 5545 §3.3.11): dropped.
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) break;
        out += c;
    }
  }
  return out;
}

std::string foldLine(std::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / 70 * 3 + 2);
  std::size_t used = 0;  // octets on the current physical line
  std::size_t i = 0;
  while (i < line.size()) {
    // The whole UTF-8 character starting at i: its lead byte says how long it is.
    const auto lead = static_cast<unsigned char>(line[i]);
    std::size_t n = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    n = std::min(n, line.size() - i);
    if (used + n > kMaxLineOctets) {
      out += "\r\n ";
      used = 1;
    }
    out.append(line.substr(i, n));
    used += n;
    i += n;
  }
  out += "\r\n";
  return out;
}

std::string formatUtcStamp(Instant t) {
  return date::format("%Y%m%dT%H%M%SZ", t);
}

std::string writeCalendar(const CalendarFeed& feed) {
  const auto& zone = *feed.zone;
  const std::string tzid(zone.name());
  std::string out;
  out.reserve(1024 + feed.events.size() * 400);
  addLine(out, "BEGIN:VCALENDAR");
  addLine(out, "VERSION:2.0");
  addLine(out, "PRODID:-//SAS//Plateforme numerique SAS//FR");
  addLine(out, "CALSCALE:GREGORIAN");
  addText(out, "X-WR-CALNAME", feed.name);
  addLine(out, "X-WR-TIMEZONE:" + tzid);
  // Calendar applications read the feed again every hour (RFC 7986 and its older name).
  addLine(out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
  addLine(out, "X-PUBLISHED-TTL:PT1H");
  // Through the last end too: an event begun before `to` may end after a change of offset.
  Instant through = feed.to;
  for (const auto& e : feed.events) through = std::max({through, e.start, e.end.value_or(e.start)});
  addTimeZone(out, zone, feed.from, through);
  const std::string stamp = formatUtcStamp(feed.stamp);
  for (const auto& e : feed.events) {
    addLine(out, "BEGIN:VEVENT");
    addText(out, "UID", e.uid);
    addLine(out, "DTSTAMP:" + stamp);
    addLine(out, "DTSTART;TZID=" + tzid + ":" + formatLocal(zone.to_local(e.start)));
    if (e.end) addLine(out, "DTEND;TZID=" + tzid + ":" + formatLocal(zone.to_local(*e.end)));
    addText(out, "SUMMARY", e.summary);
    addText(out, "DESCRIPTION", e.description);
    addText(out, "LOCATION", e.location);
    addLine(out, "TRANSP:OPAQUE");
    addLine(out, "END:VEVENT");
  }
  addLine(out, "END:VCALENDAR");
  return out;
}

}  // namespace sas::domain
