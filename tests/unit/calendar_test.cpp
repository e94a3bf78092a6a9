#include "domain/calendar.hpp"
#include "support/days.hpp"

#include <gtest/gtest.h>

#include <array>

namespace sas::domain {
namespace {

using test::ymd;

Instant utc(int y, unsigned m, unsigned d, int hour, int minute, int second = 0) {
  return Instant{ymd(y, m, d)} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

int hm(int hour, int minute) {
  return hour * 60 + minute;
}

const date::time_zone& zone(const char* name) {
  const auto* z = findZone(name);
  if (!z) throw std::runtime_error(std::string{"missing zone "} + name);
  return *z;
}

const date::time_zone& paris() {
  return zone("Europe/Paris");
}

// ---------------------------------------------------------------- localToInstant

TEST(LocalToInstant, WinterAndSummerOffsetsInParis) {
  EXPECT_EQ(localToInstant(paris(), ymd(2024, 1, 15), hm(10, 0)), utc(2024, 1, 15, 9, 0));
  EXPECT_EQ(localToInstant(paris(), ymd(2024, 7, 15), hm(10, 0)), utc(2024, 7, 15, 8, 0));
}

TEST(LocalToInstant, MidnightAndLastMinute) {
  EXPECT_EQ(localToInstant(paris(), ymd(2024, 1, 15), 0), utc(2024, 1, 14, 23, 0));
  EXPECT_EQ(localToInstant(paris(), ymd(2024, 1, 15), kLastMinute), utc(2024, 1, 15, 22, 59));
}

TEST(LocalToInstant, SpringGapTakesTheOffsetBeforeTheGap) {
  // 31 March 2024: 02h00 CET jumps to 03h00 CEST.
  const Day change = ymd(2024, 3, 31);
  EXPECT_EQ(localToInstant(paris(), change, hm(1, 59)), utc(2024, 3, 31, 0, 59));
  EXPECT_EQ(localToInstant(paris(), change, hm(2, 0)), utc(2024, 3, 31, 1, 0));
  const Instant inGap = localToInstant(paris(), change, hm(2, 30));
  EXPECT_EQ(inGap, utc(2024, 3, 31, 1, 30));
  EXPECT_EQ(localMinute(paris(), inGap), hm(3, 30));  // 02h30 is read as 03h30
  EXPECT_EQ(localToInstant(paris(), change, hm(3, 0)), utc(2024, 3, 31, 1, 0));
  EXPECT_EQ(localToInstant(paris(), change, hm(3, 30)), utc(2024, 3, 31, 1, 30));
}

TEST(LocalToInstant, AutumnDoubledTimeIsTheFirstOne) {
  // 27 October 2024: 03h00 CEST falls back to 02h00 CET; 02h00–02h59 happens twice.
  const Day change = ymd(2024, 10, 27);
  EXPECT_EQ(localToInstant(paris(), change, hm(1, 59)), utc(2024, 10, 26, 23, 59));
  EXPECT_EQ(localToInstant(paris(), change, hm(2, 0)), utc(2024, 10, 27, 0, 0));
  EXPECT_EQ(localToInstant(paris(), change, hm(2, 30)), utc(2024, 10, 27, 0, 30));  // CEST
  EXPECT_EQ(localToInstant(paris(), change, hm(2, 59)), utc(2024, 10, 27, 0, 59));
  EXPECT_EQ(localToInstant(paris(), change, hm(3, 0)), utc(2024, 10, 27, 2, 0));  // CET
}

TEST(LocalToInstant, OverseasZonesHaveNoDaylightSaving) {
  const auto& reunion = zone("Indian/Reunion");  // UTC+4
  EXPECT_EQ(localToInstant(reunion, ymd(2024, 3, 31), hm(2, 30)), utc(2024, 3, 30, 22, 30));
  EXPECT_EQ(localToInstant(reunion, ymd(2024, 10, 27), hm(2, 30)), utc(2024, 10, 26, 22, 30));
  EXPECT_EQ(localToInstant(reunion, ymd(2024, 7, 1), hm(10, 0)), utc(2024, 7, 1, 6, 0));
  const auto& cayenne = zone("America/Cayenne");  // UTC−3
  EXPECT_EQ(localToInstant(cayenne, ymd(2024, 1, 15), hm(10, 0)), utc(2024, 1, 15, 13, 0));
  EXPECT_EQ(localToInstant(cayenne, ymd(2024, 7, 15), hm(10, 0)), utc(2024, 7, 15, 13, 0));
  EXPECT_EQ(localToInstant(cayenne, ymd(2024, 3, 31), hm(2, 30)), utc(2024, 3, 31, 5, 30));
}

// ---------------------------------------------------------------- localDay, localMinute

TEST(LocalDay, ChangesAtLocalMidnightNotUtcMidnight) {
  EXPECT_EQ(localDay(paris(), utc(2024, 1, 15, 22, 59, 59)), ymd(2024, 1, 15));
  EXPECT_EQ(localDay(paris(), utc(2024, 1, 15, 23, 0)), ymd(2024, 1, 16));
  EXPECT_EQ(localDay(paris(), utc(2024, 7, 15, 21, 59, 59)), ymd(2024, 7, 15));
  EXPECT_EQ(localDay(paris(), utc(2024, 7, 15, 22, 0)), ymd(2024, 7, 16));
  EXPECT_EQ(localDay(zone("Indian/Reunion"), utc(2024, 1, 15, 20, 0)), ymd(2024, 1, 16));
  EXPECT_EQ(localDay(zone("America/Cayenne"), utc(2024, 1, 16, 2, 59)), ymd(2024, 1, 15));
  EXPECT_EQ(localDay(zone("America/Cayenne"), utc(2024, 1, 16, 3, 0)), ymd(2024, 1, 16));
}

TEST(LocalMinute, MinutesSinceLocalMidnight) {
  EXPECT_EQ(localMinute(paris(), utc(2024, 1, 15, 23, 30)), 30);
  EXPECT_EQ(localMinute(paris(), utc(2024, 1, 15, 9, 0)), hm(10, 0));
  EXPECT_EQ(localMinute(paris(), utc(2024, 7, 15, 8, 0)), hm(10, 0));
  EXPECT_EQ(localMinute(paris(), utc(2024, 1, 15, 22, 59, 59)), kLastMinute);
  EXPECT_EQ(localMinute(zone("Indian/Reunion"), utc(2024, 1, 15, 6, 15)), hm(10, 15));
}

TEST(LocalToInstant, RoundTripsThroughLocalDayAndMinute) {
  for (const char* name : {"Europe/Paris", "Indian/Reunion", "America/Cayenne"}) {
    const auto& z = zone(name);
    for (int minute : {0, hm(10, 0), kLastMinute}) {
      const Instant t = localToInstant(z, ymd(2024, 6, 3), minute);
      EXPECT_EQ(localDay(z, t), ymd(2024, 6, 3)) << name;
      EXPECT_EQ(localMinute(z, t), minute) << name;
    }
  }
}

// The conversions keep the last zone's steady offset per thread (calendar.cpp): every minute a
// quarter of an hour apart over two years, across the changes of hour, in zones asked in turn
// and in both directions of time (a doubled hour then asked right after the hour that follows it),
// gives what the time zone library itself gives.
TEST(LocalToInstant, TheKeptOffsetAgreesWithTheLibraryEverywhere) {
  const std::array<const date::time_zone*, 4> zones{
      &paris(), &zone("America/Miquelon"), &zone("Indian/Reunion"), &zone("Pacific/Noumea")};
  const auto library = [](const date::time_zone& z, Day day, int minute) {
    const date::local_seconds local =
        date::local_days{day.time_since_epoch()} + std::chrono::minutes{minute};
    return Instant{local.time_since_epoch() - z.get_info(local).first.offset};
  };
  const auto libraryDay = [](const date::time_zone& z, Instant t) {
    return Day{date::floor<date::days>(z.to_local(t)).time_since_epoch()};
  };
  const auto libraryMinute = [](const date::time_zone& z, Instant t) {
    const auto local = z.to_local(t);
    return static_cast<int>(
        std::chrono::duration_cast<std::chrono::minutes>(local - date::floor<date::days>(local))
            .count());
  };
  std::size_t checked = 0;
  const auto check = [&](const date::time_zone& z, Day day, int minute) {
    const auto t = localToInstant(z, day, minute);
    ASSERT_EQ(t, library(z, day, minute)) << z.name() << " " << formatIsoDate(day) << " " << minute;
    ASSERT_EQ(localDay(z, t), libraryDay(z, t)) << z.name() << " " << t.time_since_epoch().count();
    const auto later = t + std::chrono::minutes{7};
    ASSERT_EQ(localDay(z, later), libraryDay(z, later));
    ASSERT_EQ(localMinute(z, later), libraryMinute(z, later));
    ++checked;
  };
  for (std::size_t i = 0; i < zones.size(); ++i)
    for (const int direction : {1, -1})
      for (int d = 0; d < 730; ++d) {
        const Day day =
            direction > 0 ? ymd(2026, 1, 1) + date::days{d} : ymd(2027, 12, 31) - date::days{d};
        for (int step = 0; step < 24 * 4; ++step) {
          // Backwards, the hour after a doubled one comes first: its offset is the one kept.
          const int minute = direction > 0 ? 15 * step : 24 * 60 - 15 - 15 * step;
          check(*zones[i], day, minute);
          if (step % 16 == 0) check(*zones[(i + 1) % zones.size()], day, minute);  // in turn
        }
      }
  EXPECT_EQ(checked, 4u * 2 * 730 * (96 + 6));
}

// ---------------------------------------------------------------- weeks

TEST(Weekday, MondayIsZeroSundayIsSix) {
  EXPECT_EQ(weekdayIndex(ymd(2024, 1, 15)), 0);
  EXPECT_EQ(weekdayIndex(ymd(2024, 1, 16)), 1);
  EXPECT_EQ(weekdayIndex(ymd(2024, 1, 18)), 3);
  EXPECT_EQ(weekdayIndex(ymd(2024, 1, 21)), 6);
}

TEST(Weekday, MondayOfTheIsoWeek) {
  EXPECT_EQ(mondayOf(ymd(2024, 1, 15)), ymd(2024, 1, 15));
  EXPECT_EQ(mondayOf(ymd(2024, 1, 21)), ymd(2024, 1, 15));
  EXPECT_EQ(mondayOf(ymd(2024, 1, 22)), ymd(2024, 1, 22));
  EXPECT_EQ(mondayOf(ymd(2025, 1, 1)), ymd(2024, 12, 30));
}

// ---------------------------------------------------------------- parsing

TEST(ParseDate, FrenchAndIsoForms) {
  EXPECT_EQ(parseDate("29/06/2023"), ymd(2023, 6, 29));
  EXPECT_EQ(parseDate("2023-06-29"), ymd(2023, 6, 29));
  EXPECT_EQ(parseDate("7/3/2024"), ymd(2024, 3, 7));
  EXPECT_EQ(parseDate(" 29/06/2023 "), ymd(2023, 6, 29));
  EXPECT_EQ(parseDate("29/02/2024"), ymd(2024, 2, 29));
  EXPECT_EQ(parseDate("31/12/2024"), ymd(2024, 12, 31));
  EXPECT_EQ(parseDate("01/01/2024"), ymd(2024, 1, 1));
}

TEST(ParseDate, RefusesWhatIsNotADate) {
  for (const char* text :
       {"", "abc", "29/02/2023", "31/04/2024", "32/01/2024", "00/01/2024", "01/13/2024",
        "01/00/2024", "2023-6-29", "2023-06-31", "29-06-2023", "29/06/23", "29/06/2023x", "29/06",
        "/06/2023", "2023/06/29", "123/06/2023", "2023-06-29T10:00"}) {
    EXPECT_FALSE(parseDate(text).has_value()) << text;
  }
}

TEST(ParseTime, AcceptedForms) {
  EXPECT_EQ(parseTime("10h00"), 600);
  EXPECT_EQ(parseTime("10H00"), 600);
  EXPECT_EQ(parseTime("10:00"), 600);
  EXPECT_EQ(parseTime("10h"), 600);
  EXPECT_EQ(parseTime("9h15"), 555);
  EXPECT_EQ(parseTime("09:15"), 555);
  EXPECT_EQ(parseTime("0h00"), 0);
  EXPECT_EQ(parseTime("00:00"), 0);
  EXPECT_EQ(parseTime("23h59"), kLastMinute);
  EXPECT_EQ(parseTime("10:00:00"), 600);
}

TEST(ParseTime, RefusesWhatIsNotATime) {
  for (const char* text : {"", "abc", "24h00", "24:00", "10h60", "10:", "10h5", "10-00", "10:00:30",
                           "-1h00", "100h00", "10h000", "h30", "10 h 00"}) {
    EXPECT_FALSE(parseTime(text).has_value()) << text;
  }
}

// ---------------------------------------------------------------- formatting

TEST(Format, DatesAndTimes) {
  EXPECT_EQ(formatDate(ymd(2023, 6, 29)), "29/06/2023");
  EXPECT_EQ(formatDate(ymd(2024, 2, 1)), "01/02/2024");
  EXPECT_EQ(formatIsoDate(ymd(2023, 6, 29)), "2023-06-29");
  EXPECT_EQ(formatIsoDate(ymd(2024, 2, 1)), "2024-02-01");
  EXPECT_EQ(formatTime(600), "10h00");
  EXPECT_EQ(formatTime(1439), "23h59");
  EXPECT_EQ(formatTime(0), "00h00");
  EXPECT_EQ(formatTime(555), "09h15");
  EXPECT_EQ(formatTimeInput(555), "09:15");
  EXPECT_EQ(formatTimeInput(1439), "23:59");
}

TEST(Format, LongDateInFrench) {
  EXPECT_EQ(formatLongDate(ymd(2023, 6, 26)), "lundi 26 juin 2023");
  EXPECT_EQ(formatLongDate(ymd(2023, 6, 29)), "jeudi 29 juin 2023");
  EXPECT_EQ(formatLongDate(ymd(2024, 8, 15)), "jeudi 15 août 2024");
  EXPECT_EQ(formatLongDate(ymd(2024, 12, 22)), "dimanche 22 décembre 2024");
  EXPECT_EQ(formatLongDate(ymd(2024, 2, 1)), "jeudi 1er février 2024");
  EXPECT_EQ(formatLongDate(ymd(2024, 2, 2)), "vendredi 2 février 2024");
}

TEST(Format, ShortDayAsInTheAgendaHeader) {
  EXPECT_EQ(formatShortDay(ymd(2023, 5, 29)), "Lun 29");
  EXPECT_EQ(formatShortDay(ymd(2023, 6, 29)), "Jeu 29");
  EXPECT_EQ(formatShortDay(ymd(2023, 1, 9)), "Lun 9");
  EXPECT_EQ(formatShortDay(ymd(2023, 1, 10)), "Mar 10");
  EXPECT_EQ(formatShortDay(ymd(2023, 1, 11)), "Mer 11");
  EXPECT_EQ(formatShortDay(ymd(2023, 1, 13)), "Ven 13");
  EXPECT_EQ(formatShortDay(ymd(2023, 1, 14)), "Sam 14");
  EXPECT_EQ(formatShortDay(ymd(2023, 1, 15)), "Dim 15");
}

TEST(Format, MonthAndWeekdayNames) {
  EXPECT_EQ(monthName(1), "janvier");
  EXPECT_EQ(monthName(2), "février");
  EXPECT_EQ(monthName(6), "juin");
  EXPECT_EQ(monthName(8), "août");
  EXPECT_EQ(monthName(12), "décembre");
  EXPECT_EQ(monthName(0), "");
  EXPECT_EQ(monthName(13), "");
  EXPECT_EQ(weekdayName(0), "Lundi");
  EXPECT_EQ(weekdayName(3), "Jeudi");
  EXPECT_EQ(weekdayName(6), "Dimanche");
  EXPECT_EQ(weekdayName(-1), "");
  EXPECT_EQ(weekdayName(7), "");
}

// ---------------------------------------------------------------- zones

TEST(FindZone, KnownZonesIncludingOverseas) {
  for (const char* name : {"Europe/Paris", "Indian/Reunion", "America/Cayenne",
                           "America/Guadeloupe", "America/Martinique", "Indian/Mayotte"}) {
    EXPECT_NE(findZone(name), nullptr) << name;
  }
  EXPECT_EQ(findZone("Europe/Paris")->name(), "Europe/Paris");
}

TEST(FindZone, UnknownNameGivesNull) {
  EXPECT_EQ(findZone("Mars/Olympus_Mons"), nullptr);
  EXPECT_EQ(findZone(""), nullptr);
  EXPECT_EQ(findZone("paris"), nullptr);
}

}  // namespace
}  // namespace sas::domain
