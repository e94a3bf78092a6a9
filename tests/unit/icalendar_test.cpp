// The iCalendar writer (docs/rules.md#calendar-export): folding, escaping, the time zone, and
// the feed's events built from a place's occurrences and orientations.
#include "domain/icalendar.hpp"

#include <gtest/gtest.h>

#include "app/calendar_export.hpp"
#include "support/days.hpp"

namespace sas::domain {
namespace {

using test::ymd;

Instant utc(int y, unsigned m, unsigned d, int hour, int minute = 0, int second = 0) {
  return Instant{ymd(y, m, d)} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

const date::time_zone& paris() {
  return *findZone("Europe/Paris");
}

/// The physical lines of `text`, without their CRLF; fails on a bare LF.
std::vector<std::string> physicalLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "last line without CRLF";
    if (end == std::string::npos) break;
    const auto line = text.substr(start, end - start);
    EXPECT_EQ(line.find('\n'), std::string::npos) << "bare LF in " << line;
    out.push_back(line);
    start = end + 2;
  }
  return out;
}

/// Folded lines joined back (RFC 5545 §3.1).
std::string unfold(const std::string& text) {
  std::string out;
  for (const auto& l : physicalLines(text)) {
    if (!l.empty() && l[0] == ' ')
      out += l.substr(1);
    else
      out += (out.empty() ? "" : "\n") + l;
  }
  return out;
}

bool validUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

// ---------------------------------------------------------------- folding

TEST(IcalFold, SeventyFiveOctetsStayOnOneLine) {
  const std::string line(75, 'a');
  EXPECT_EQ(foldLine(line), line + "\r\n");
}

TEST(IcalFold, SeventySixOctetsFoldAfterTheSeventyFifth) {
  const std::string line(76, 'a');
  EXPECT_EQ(foldLine(line), std::string(75, 'a') + "\r\n a\r\n");
}

TEST(IcalFold, ContinuationLinesHoldSeventyFourOctetsAfterTheirSpace) {
  const std::string line(75 + 74 + 1, 'b');
  const auto lines = physicalLines(foldLine(line));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].size(), 75u);
  EXPECT_EQ(lines[1].size(), 75u);  // the space and 74 octets
  EXPECT_EQ(lines[2], " b");
}

TEST(IcalFold, MultiByteCharacterIsNeverSplit) {
  // 74 ASCII octets then « é » (2 octets): 76 in all; « é » cannot end the first line (76 > 75).
  const std::string line = std::string(74, 'x') + "é";
  const auto lines = physicalLines(foldLine(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], std::string(74, 'x'));
  EXPECT_EQ(lines[1], " é");
  // 73 then « é »: exactly 75 octets, one line.
  EXPECT_EQ(physicalLines(foldLine(std::string(73, 'x') + "é")).size(), 1u);
}

TEST(IcalFold, ThreeAndFourByteCharactersAcrossTheLimit) {
  for (const std::string ch : {"€", "😀"}) {
    for (std::size_t pad = 70; pad < 76; ++pad) {
      const std::string line = std::string(pad, 'x') + ch + ch + std::string(80, 'y') + ch;
      const auto lines = physicalLines(foldLine(line));
      for (std::size_t i = 0; i < lines.size(); ++i) {
        EXPECT_LE(lines[i].size(), 75u) << "line " << i;
        EXPECT_TRUE(validUtf8(lines[i])) << "pad " << pad << " line " << i << " of " << ch;
      }
      EXPECT_EQ(unfold(foldLine(line)), line);
    }
  }
}

TEST(IcalFold, ShortLineGetsCrlf) {
  EXPECT_EQ(foldLine("VERSION:2.0"), "VERSION:2.0\r\n");
}

// ---------------------------------------------------------------- escaping

TEST(IcalEscape, CommaSemicolonBackslashAndLineEnds) {
  EXPECT_EQ(escapeText("a,b;c\\d"), "a\\,b\\;c\\\\d");
  EXPECT_EQ(escapeText("un\ndeux\r\ntrois\rquatre"), "un\\ndeux\\ntrois\\nquatre");
  EXPECT_EQ(escapeText("Consultation en cabinet"), "Consultation en cabinet");
  EXPECT_EQ(escapeText("é è"), "é è");
  EXPECT_EQ(escapeText(std::string("a\x01z")), "az");        // control characters are not TEXT
  EXPECT_EQ(escapeText(std::string("a\x7Fz\tb")), "az\tb");  // DEL is one; the tab is TEXT
}

// ---------------------------------------------------------------- the calendar

CalendarFeed parisFeed() {
  CalendarFeed feed;
  feed.name = "SAS - Centre, Paris; 16e";
  feed.zone = &paris();
  feed.stamp = utc(2026, 3, 4, 9, 0, 5);
  feed.from = utc(2026, 3, 3, 23);
  feed.to = utc(2026, 4, 29, 8);  // 8 weeks: across the change to summer time (29 March)
  CalendarEvent e;
  e.uid = "disponibilite-7-20260305@sas.test";
  e.start = utc(2026, 3, 5, 9);  // 10h00 in Paris (winter)
  e.end = utc(2026, 3, 5, 11);
  e.summary = "Disponibilité SAS (créneau, 1 patient)";
  e.description = "Consultation en cabinet, Téléconsultation\nPatients adressés : 1 sur 1";
  e.location = "12 rue de la Paix 75016 Paris";
  feed.events.push_back(e);
  e.uid = "disponibilite-7-20260402@sas.test";
  e.start = utc(2026, 4, 2, 8);  // 10h00 in Paris (summer)
  e.end = utc(2026, 4, 2, 10);
  feed.events.push_back(e);
  return feed;
}

TEST(IcalWrite, EveryLineEndsWithCrlfAndNoneIsLongerThan75Octets) {
  auto feed = parisFeed();
  feed.events[0].description = std::string(200, 'e') + "é" + std::string(100, 'f');
  const auto text = writeCalendar(feed);
  for (const auto& l : physicalLines(text)) {
    EXPECT_LE(l.size(), 75u) << l;
    EXPECT_TRUE(validUtf8(l)) << l;
  }
  EXPECT_EQ(text.substr(text.size() - 15), "END:VCALENDAR\r\n");
}

TEST(IcalWrite, EventsInTheZoneWithStableUidsAndUtcStamp) {
  const auto text = unfold(writeCalendar(parisFeed()));
  EXPECT_NE(text.find("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:"), std::string::npos) << text;
  EXPECT_NE(text.find("X-WR-CALNAME:SAS - Centre\\, Paris\\; 16e\n"), std::string::npos);
  EXPECT_NE(text.find("UID:disponibilite-7-20260305@sas.test\nDTSTAMP:20260304T090005Z\n"
                      "DTSTART;TZID=Europe/Paris:20260305T100000\n"
                      "DTEND;TZID=Europe/Paris:20260305T120000\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("DTSTART;TZID=Europe/Paris:20260402T100000\n"), std::string::npos);
  EXPECT_NE(text.find("DESCRIPTION:Consultation en cabinet\\, Téléconsultation\\nPatients "
                      "adressés : 1 sur 1\n"),
            std::string::npos);
  // The same feed written twice is the same text (UIDs and stamps come from the data).
  EXPECT_EQ(writeCalendar(parisFeed()), writeCalendar(parisFeed()));
}

TEST(IcalWrite, ParisTimeZoneHasWinterAndTheSpringChangeInTheSpan) {
  const auto text = unfold(writeCalendar(parisFeed()));
  // In force at the start: winter time, since 26 October 2025 03h00 (summer) → 02h00.
  EXPECT_NE(text.find("BEGIN:VTIMEZONE\nTZID:Europe/Paris\nBEGIN:STANDARD\n"
                      "DTSTART:20251026T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
                      "TZNAME:CET\nEND:STANDARD\n"),
            std::string::npos)
      << text;
  // Summer time from Sunday 29 March 2026, 02h00 local (01h00 UTC).
  EXPECT_NE(text.find("BEGIN:DAYLIGHT\nDTSTART:20260329T020000\nTZOFFSETFROM:+0100\n"
                      "TZOFFSETTO:+0200\nTZNAME:CEST\nEND:DAYLIGHT\nEND:VTIMEZONE\n"),
            std::string::npos)
      << text;
}

// A night availability begun before the span's end and ended after the change to summer time:
// the zone describes that change too, or its DTEND is read with the winter offset.
TEST(IcalWrite, TheZoneCoversTheLastEndBeyondTheSpan) {
  auto feed = parisFeed();
  feed.to = utc(2026, 3, 29, 0, 30);  // 01h30 in Paris, before the change at 02h00
  feed.events.resize(1);
  feed.events[0].start = utc(2026, 3, 28, 23);  // midnight in Paris
  feed.events[0].end = utc(2026, 3, 29, 3);     // 05h00, summer time
  const auto text = unfold(writeCalendar(feed));
  EXPECT_NE(text.find("BEGIN:DAYLIGHT\nDTSTART:20260329T020000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("DTEND;TZID=Europe/Paris:20260329T050000\n"), std::string::npos) << text;
  feed.events.clear();  // nothing beyond: the span alone, still winter throughout
  EXPECT_EQ(unfold(writeCalendar(feed)).find("BEGIN:DAYLIGHT"), std::string::npos);
}

TEST(IcalWrite, ZoneWithoutDaylightSavingHasOneObservance) {
  auto feed = parisFeed();
  feed.zone = findZone("Indian/Reunion");
  const auto text = unfold(writeCalendar(feed));
  EXPECT_NE(text.find("TZID:Indian/Reunion\nBEGIN:STANDARD\n"), std::string::npos) << text;
  EXPECT_NE(text.find("TZOFFSETTO:+0400\n"), std::string::npos);
  EXPECT_EQ(text.find("BEGIN:DAYLIGHT"), std::string::npos);
  EXPECT_NE(text.find("DTSTART;TZID=Indian/Reunion:20260305T130000\n"), std::string::npos);
}

// ---------------------------------------------------------------- the place's feed

Occurrence occurrence(std::int64_t id, Day day, int from, int to, Instant start) {
  Occurrence o;
  o.availabilityId = id;
  o.originalDate = day;
  o.values.date = day;
  o.values.startMinute = from;
  o.values.endMinute = to;
  o.values.types.add(ConsultationType::Office);
  o.start = start;
  o.end = start + std::chrono::minutes{to - from};
  return o;
}

TEST(CalendarFeed, WindowFromStartOfTodayToEightWeeksAheadAndNoPatientDatum) {
  app::PlaceContext ctx;
  ctx.place.id = 3;
  ctx.place.name = "Centre de santé Michel-Ange";
  ctx.place.street = "12 rue Michel-Ange";
  ctx.place.postalCode = "75016";
  ctx.place.town = "Paris";
  ctx.zone = &paris();
  const Instant now = utc(2026, 3, 4, 9);        // Wednesday 10h00 in Paris
  const Instant end = now + app::kCalendarSpan;  // Wednesday 29 April, 11h00 in Paris (summer)
  std::vector<Occurrence> occ{
      occurrence(1, ymd(2026, 3, 4), 8 * 60, 9 * 60, utc(2026, 3, 4, 7)),  // today, past: kept
      occurrence(1, ymd(2026, 3, 3), 8 * 60, 9 * 60, utc(2026, 3, 3, 7)),  // yesterday: not
      occurrence(2, ymd(2026, 4, 29), 645, 660, end - std::chrono::minutes{15}),  // just inside
      occurrence(3, ymd(2026, 4, 29), 660, 675, end),                             // just outside
  };
  occ[2].taken = 1;
  std::vector<app::Orientation> orientations(3);
  orientations[0].id = 40;
  orientations[0].start = utc(2026, 3, 5, 9);
  orientations[0].end = utc(2026, 3, 5, 10);
  orientations[0].reference = "DOSSIER-123";
  orientations[1] = orientations[0];
  orientations[1].id = 41;
  orientations[1].status = OrientationStatus::Cancelled;
  orientations[2] = orientations[0];
  orientations[2].id = 42;
  orientations[2].kind = OrientationKind::Beyond;
  orientations[2].end = orientations[2].start;
  const auto feed = app::calendarFeed(ctx, occ, {}, orientations, now, "sas.test");
  std::vector<std::string> uids;
  for (const auto& e : feed.events) uids.push_back(e.uid);
  EXPECT_EQ(uids, (std::vector<std::string>{"disponibilite-1-20260304@sas.test",
                                            "orientation-40@sas.test", "orientation-42@sas.test",
                                            "disponibilite-2-20260429@sas.test"}));
  EXPECT_EQ(feed.events[1].summary, "Patient adressé par le SAS");
  EXPECT_EQ(feed.events[2].summary, "Patient adressé par le SAS (hors créneaux)");
  EXPECT_FALSE(feed.events[2].end.has_value());
  EXPECT_EQ(feed.events[3].description, "Consultation en cabinet\nPatients adressés : 1 sur 1");
  const auto text = writeCalendar(feed);
  EXPECT_EQ(text.find("DOSSIER-123"), std::string::npos);
}

}  // namespace
}  // namespace sas::domain
