// Instants in the place's offset and telephone numbers in international form, as the SAS
// implementation guide's resources carry them (domain/fhir_format).
#include "domain/fhir_format.hpp"

#include <gtest/gtest.h>

namespace sas::domain::fhir {
namespace {

Instant utc(int y, unsigned m, unsigned d, int h, int mi, int s = 0) {
  return Instant{date::sys_days{date::year{y} / m / d}} + std::chrono::hours{h} +
         std::chrono::minutes{mi} + std::chrono::seconds{s};
}

const date::time_zone& zone(const char* name) {
  return *date::locate_zone(name);
}

TEST(FhirFormat, ParisInWinterAndSummer) {
  const auto& paris = zone("Europe/Paris");
  EXPECT_EQ(formatInstant(utc(2026, 12, 3, 9, 0), paris), "2026-12-03T10:00:00.000+01:00");
  EXPECT_EQ(formatInstant(utc(2026, 7, 3, 8, 0), paris), "2026-07-03T10:00:00.000+02:00");
  EXPECT_EQ(formatInstant(utc(2026, 12, 31, 23, 30, 5), paris), "2027-01-01T00:30:05.000+01:00");
}

TEST(FhirFormat, ParisOnTheLastSundayOfMarch) {
  const auto& paris = zone("Europe/Paris");
  EXPECT_EQ(formatInstant(utc(2026, 3, 28, 23, 0), paris), "2026-03-29T00:00:00.000+01:00");
  EXPECT_EQ(formatInstant(utc(2026, 3, 29, 0, 59, 59), paris), "2026-03-29T01:59:59.000+01:00");
  EXPECT_EQ(formatInstant(utc(2026, 3, 29, 1, 0), paris), "2026-03-29T03:00:00.000+02:00");
  EXPECT_EQ(formatInstant(utc(2026, 3, 29, 7, 0), paris), "2026-03-29T09:00:00.000+02:00");
  EXPECT_EQ(formatInstant(utc(2026, 3, 29, 22, 0), paris), "2026-03-30T00:00:00.000+02:00");
}

TEST(FhirFormat, ParisOnTheLastSundayOfOctober) {
  const auto& paris = zone("Europe/Paris");
  EXPECT_EQ(formatInstant(utc(2026, 10, 24, 22, 0), paris), "2026-10-25T00:00:00.000+02:00");
  EXPECT_EQ(formatInstant(utc(2026, 10, 25, 0, 30), paris), "2026-10-25T02:30:00.000+02:00");
  EXPECT_EQ(formatInstant(utc(2026, 10, 25, 0, 59, 59), paris), "2026-10-25T02:59:59.000+02:00");
  // The same local hour again, an hour later, in winter time.
  EXPECT_EQ(formatInstant(utc(2026, 10, 25, 1, 0), paris), "2026-10-25T02:00:00.000+01:00");
  EXPECT_EQ(formatInstant(utc(2026, 10, 25, 1, 30), paris), "2026-10-25T02:30:00.000+01:00");
  EXPECT_EQ(formatInstant(utc(2026, 10, 25, 23, 0), paris), "2026-10-26T00:00:00.000+01:00");
}

TEST(FhirFormat, OverseasOffsetsAllYearRound) {
  const auto& reunion = zone("Indian/Reunion");
  EXPECT_EQ(formatInstant(utc(2026, 12, 3, 4, 0), reunion), "2026-12-03T08:00:00.000+04:00");
  EXPECT_EQ(formatInstant(utc(2026, 7, 3, 4, 0), reunion), "2026-07-03T08:00:00.000+04:00");
  EXPECT_EQ(formatInstant(utc(2026, 3, 29, 1, 0), reunion), "2026-03-29T05:00:00.000+04:00");
  EXPECT_EQ(formatInstant(utc(2026, 12, 3, 21, 0), reunion), "2026-12-04T01:00:00.000+04:00");
  for (const char* west : {"America/Martinique", "America/Guadeloupe"}) {
    EXPECT_EQ(formatInstant(utc(2026, 12, 3, 13, 0), zone(west)), "2026-12-03T09:00:00.000-04:00");
    EXPECT_EQ(formatInstant(utc(2026, 7, 3, 13, 0), zone(west)), "2026-07-03T09:00:00.000-04:00");
    EXPECT_EQ(formatInstant(utc(2026, 12, 3, 2, 0), zone(west)), "2026-12-02T22:00:00.000-04:00");
  }
  const auto& cayenne = zone("America/Cayenne");
  EXPECT_EQ(formatInstant(utc(2026, 12, 3, 12, 0), cayenne), "2026-12-03T09:00:00.000-03:00");
  EXPECT_EQ(formatInstant(utc(2026, 7, 3, 12, 0), cayenne), "2026-07-03T09:00:00.000-03:00");
}

TEST(FhirFormat, UtcIsWrittenAsAnOffset) {
  EXPECT_EQ(formatInstant(utc(2026, 12, 3, 9, 0), zone("Etc/UTC")),
            "2026-12-03T09:00:00.000+00:00");
}

TEST(FhirFormat, MetropolitanPhoneAsTyped) {
  for (const char* typed :
       {"01 42 00 00 09", "0142000009", "01.42.00.00.09", "01-42-00-00-09", " 01 42 00 00 09 ",
        "01 42 00 00 09\t", "+33 1 42 00 00 09", "+33142000009", "+33 (0)1 42 00 00 09",
        "+33 0142000009", "0033 1 42 00 00 09", "0033142000009", "(01) 42 00 00 09",
        "01\xC2\xA0"
        "42\xC2\xA0"
        "00 00 09",
        "01\xE2\x80\xAF"
        "42 00 00 09"})
    EXPECT_EQ(internationalPhone(typed), "+33142000009") << typed;
  EXPECT_EQ(internationalPhone("06 12 34 56 78"), "+33612345678");
  EXPECT_EQ(internationalPhone("07 12 34 56 78"), "+33712345678");
  EXPECT_EQ(internationalPhone("09 72 34 56 78"), "+33972345678");
  EXPECT_EQ(internationalPhone("08 00 12 34 56"), "+33800123456");
  EXPECT_EQ(internationalPhone("04 78 00 00 17"), "+33478000017");
}

TEST(FhirFormat, OverseasPhoneGetsItsOwnCountryCode) {
  EXPECT_EQ(internationalPhone("02 62 00 00 58"), "+262262000058");  // Réunion
  EXPECT_EQ(internationalPhone("0263 12 34 56"), "+262263123456");
  EXPECT_EQ(internationalPhone("06 92 12 34 56"), "+262692123456");
  EXPECT_EQ(internationalPhone("06 93 12 34 56"), "+262693123456");
  EXPECT_EQ(internationalPhone("02 69 61 00 00"), "+262269610000");  // Mayotte
  EXPECT_EQ(internationalPhone("06 39 12 34 56"), "+262639123456");
  EXPECT_EQ(internationalPhone("05 90 12 34 56"), "+590590123456");  // Guadeloupe
  EXPECT_EQ(internationalPhone("06 90 12 34 56"), "+590690123456");
  EXPECT_EQ(internationalPhone("06 91 12 34 56"), "+590691123456");
  EXPECT_EQ(internationalPhone("05 96 12 34 56"), "+596596123456");  // Martinique
  EXPECT_EQ(internationalPhone("06 96 12 34 56"), "+596696123456");
  EXPECT_EQ(internationalPhone("06 97 12 34 56"), "+596697123456");
  EXPECT_EQ(internationalPhone("05 94 12 34 56"), "+594594123456");  // Guyane
  EXPECT_EQ(internationalPhone("06 94 12 34 56"), "+594694123456");
  // The other 02, 05 and 06 numbers are metropolitan.
  EXPECT_EQ(internationalPhone("02 40 12 34 56"), "+33240123456");
  EXPECT_EQ(internationalPhone("05 56 12 34 56"), "+33556123456");
  EXPECT_EQ(internationalPhone("06 62 12 34 56"), "+33662123456");
}

TEST(FhirFormat, OverseasPhoneAlreadyInternational) {
  EXPECT_EQ(internationalPhone("+262 262 00 00 58"), "+262262000058");
  EXPECT_EQ(internationalPhone("+262 (0)262 00 00 58"), "+262262000058");
  EXPECT_EQ(internationalPhone("00262 692 12 34 56"), "+262692123456");
  EXPECT_EQ(internationalPhone("+596 696 12 34 56"), "+596696123456");
  EXPECT_EQ(internationalPhone("+590 590 12 34 56"), "+590590123456");
  EXPECT_EQ(internationalPhone("+594 694 12 34 56"), "+594694123456");
  // +33 written before an overseas number: the number's own code is meant.
  EXPECT_EQ(internationalPhone("+33 2 62 00 00 58"), "+262262000058");
  EXPECT_EQ(internationalPhone("+33 6 96 12 34 56"), "+596696123456");
  // An overseas code before a number that is not one of its own is not a number.
  EXPECT_FALSE(internationalPhone("+262 1 42 00 00 09"));
  EXPECT_FALSE(internationalPhone("+596 262 00 00 58"));
}

TEST(FhirFormat, WhatIsNotAFrenchPhoneIsNone) {
  for (const char* bad : {"",
                          " ",
                          "15",
                          "3624",
                          "01 42 00 00",
                          "01 42 00 00 09 1",
                          "1 42 00 00 09",
                          "00 42 00 00 09",
                          "tél. 01 42 00 00 09",
                          "01 42 00 00 09 (standard)",
                          "+44 20 7946 0000",
                          "+32 2 123 45 67",
                          "0044 20 7946 0000",
                          "+1 212 555 0100",
                          "++33142000009",
                          "+0142000009",
                          "01 42 +00 00 09",
                          "0142000009+",
                          "+33 00 00 00 00 0",
                          "+33 1 42 00 00",
                          "+33 1 42 00 00 09 9",
                          "0033 0033 142000009",
                          "01_42_00_00_09",
                          "01,42,00,00,09"})
    EXPECT_FALSE(internationalPhone(bad)) << bad;
}

std::optional<Instant> instantOf(std::string_view text) {
  const auto written = readDateTime(text);
  if (!written) return std::nullopt;
  return instantWithOffset(*written);
}

TEST(FhirFormat, ReadsWhatItWritesBack) {
  for (const char* name : {"Europe/Paris", "Indian/Reunion", "America/Cayenne"})
    for (const auto t :
         {utc(2026, 3, 29, 0, 59, 59), utc(2026, 3, 29, 1, 0), utc(2026, 12, 4, 2, 3)})
      EXPECT_EQ(instantOf(formatInstant(t, zone(name))), t) << name;
}

TEST(FhirFormat, DateTimesWithTheirOffsets) {
  EXPECT_EQ(instantOf("2026-12-04T10:00:00+01:00"), utc(2026, 12, 4, 9, 0));
  EXPECT_EQ(instantOf("2026-12-04T10:00:00.999-03:00"),
            utc(2026, 12, 4, 13, 0));  // fraction dropped
  EXPECT_EQ(instantOf("2026-12-04T10:00Z"), utc(2026, 12, 4, 10, 0));
  EXPECT_EQ(instantOf("2026-12-04T00:30:00+14:00"), utc(2026, 12, 3, 10, 30));
  const auto written = readDateTime("2026-12-04T10:20:30.25-09:30");
  ASSERT_TRUE(written);
  EXPECT_EQ(written->day, date::local_days{date::year{2026} / 12 / 4});
  EXPECT_EQ(written->timeOfDay, std::chrono::hours{10} + std::chrono::minutes{20} +
                                    std::chrono::seconds{30} + std::chrono::milliseconds{250});
  EXPECT_EQ(written->offset, -(std::chrono::hours{9} + std::chrono::minutes{30}));
}

TEST(FhirFormat, DatesAndTimesWithoutOffsetAreReadButNameNoInstant) {
  const auto day = readDateTime("2026-12-04");
  ASSERT_TRUE(day);
  EXPECT_FALSE(day->timeOfDay);
  EXPECT_FALSE(day->offset);
  EXPECT_FALSE(instantWithOffset(*day));
  const auto local = readDateTime("2026-12-04T10:00:00");
  ASSERT_TRUE(local);
  EXPECT_TRUE(local->timeOfDay);
  EXPECT_FALSE(local->offset);
  EXPECT_FALSE(instantWithOffset(*local));
}

TEST(FhirFormat, MalformedDateTimesAreRefused) {
  for (const char* bad :
       {"", "2026-12-4", "2026-02-30", "2026-12-04T24:00:00Z", "2026-12-04T10:60Z",
        "2026-12-04T10:00:60Z", "2026-12-04 10:00:00Z", "2026-12-04T10:00:00+14:01",
        "2026-12-04T10:00:00+0100", "2026-12-04T10:00:00Z ", "2026-12-04T10:00:00.Z",
        "2026-12-04T10:00:00 01:00", "<html>"})
    EXPECT_FALSE(readDateTime(bad)) << bad;
}

}  // namespace
}  // namespace sas::domain::fhir
