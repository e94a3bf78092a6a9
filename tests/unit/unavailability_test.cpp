#include "domain/unavailability.hpp"
#include "support/days.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace sas::domain {
namespace {

using test::ymd;

Instant utc(int y, unsigned m, unsigned d, int hour, int minute, int second = 0) {
  return Instant{ymd(y, m, d)} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

const date::time_zone& zone(const char* name) {
  const auto* z = findZone(name);
  if (!z) throw std::runtime_error(std::string{"missing zone "} + name);
  return *z;
}

const date::time_zone& paris() {
  return zone("Europe/Paris");
}

Unavailability periods(std::vector<UnavailabilityPeriod> list) {
  Unavailability u;
  u.periods = std::move(list);
  return u;
}

std::string messageOn(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return e.message;
  return {};
}

bool hasErrorOn(const std::vector<FieldError>& errors, const std::string& field) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.field == field; });
}

// ---------------------------------------------------------------- in force

TEST(Unavailability, NothingDeclaredHidesNothing) {
  const Unavailability u;
  EXPECT_TRUE(placeVisibleAt(u, paris(), utc(2024, 3, 10, 12, 0)));
  EXPECT_TRUE(occurrenceVisible(u, paris(), utc(2024, 3, 10, 9, 0), utc(2024, 3, 10, 11, 0)));
  EXPECT_FALSE(inForce(u, paris(), utc(2024, 3, 10, 12, 0)));
  EXPECT_FALSE(dayUnavailable(u, ymd(2024, 3, 10)));
}

TEST(Unavailability, IndefiniteHidesEverything) {
  Unavailability u;
  u.indefinite = true;
  EXPECT_FALSE(placeVisibleAt(u, paris(), utc(2024, 3, 10, 12, 0)));
  EXPECT_FALSE(occurrenceVisible(u, paris(), utc(2030, 3, 10, 9, 0), utc(2030, 3, 10, 11, 0)));
  EXPECT_TRUE(inForce(u, paris(), utc(2024, 3, 10, 12, 0)));
  EXPECT_TRUE(dayUnavailable(u, ymd(2024, 3, 10)));
  EXPECT_FALSE(visibleToRegulators(u, paris(), utc(2024, 3, 10, 12, 0), utc(2024, 3, 10, 13, 0),
                                   utc(2024, 3, 10, 14, 0)));
}

TEST(Unavailability, PeriodRunsFromLocalMidnightToTheEndOfItsLastDay) {
  // 10 to 12 March 2024 in Paris (UTC+1): [9 March 23h00 UTC, 12 March 23h00 UTC).
  const auto u = periods({{ymd(2024, 3, 10), ymd(2024, 3, 12)}});
  EXPECT_TRUE(placeVisibleAt(u, paris(), utc(2024, 3, 9, 22, 59, 59)));
  EXPECT_FALSE(placeVisibleAt(u, paris(), utc(2024, 3, 9, 23, 0)));
  EXPECT_FALSE(placeVisibleAt(u, paris(), utc(2024, 3, 11, 12, 0)));
  EXPECT_FALSE(placeVisibleAt(u, paris(), utc(2024, 3, 12, 22, 59, 59)));
  EXPECT_TRUE(placeVisibleAt(u, paris(), utc(2024, 3, 12, 23, 0)));
  EXPECT_TRUE(inForce(u, paris(), utc(2024, 3, 11, 12, 0)));
  EXPECT_FALSE(inForce(u, paris(), utc(2024, 3, 12, 23, 0)));
}

TEST(Unavailability, SingleDayPeriod) {
  const auto u = periods({{ymd(2024, 3, 10), ymd(2024, 3, 10)}});
  EXPECT_FALSE(placeVisibleAt(u, paris(), utc(2024, 3, 10, 22, 59)));
  EXPECT_TRUE(placeVisibleAt(u, paris(), utc(2024, 3, 10, 23, 0)));
}

TEST(Unavailability, BoundsFollowTheZoneAndDaylightSaving) {
  // Ends at 00h00 CEST on 1 April, that is 22h00 UTC on 31 March.
  const auto u = periods({{ymd(2024, 3, 30), ymd(2024, 3, 31)}});
  EXPECT_TRUE(placeVisibleAt(u, paris(), utc(2024, 3, 29, 22, 59, 59)));
  EXPECT_FALSE(placeVisibleAt(u, paris(), utc(2024, 3, 29, 23, 0)));
  EXPECT_FALSE(placeVisibleAt(u, paris(), utc(2024, 3, 31, 21, 59, 59)));
  EXPECT_TRUE(placeVisibleAt(u, paris(), utc(2024, 3, 31, 22, 0)));
  // In Reunion (UTC+4) the same dates start at 20h00 UTC the day before.
  const auto& reunion = zone("Indian/Reunion");
  EXPECT_TRUE(placeVisibleAt(u, reunion, utc(2024, 3, 29, 19, 59, 59)));
  EXPECT_FALSE(placeVisibleAt(u, reunion, utc(2024, 3, 29, 20, 0)));
  EXPECT_FALSE(placeVisibleAt(u, reunion, utc(2024, 3, 31, 19, 59, 59)));
  EXPECT_TRUE(placeVisibleAt(u, reunion, utc(2024, 3, 31, 20, 0)));
}

TEST(Unavailability, OccurrenceOverlappingAtAllIsHidden) {
  const auto u = periods({{ymd(2024, 3, 10), ymd(2024, 3, 12)}});
  const auto& z = paris();
  const Instant from = utc(2024, 3, 9, 23, 0);  // 00h00 on 10 March
  const Instant end = utc(2024, 3, 12, 23, 0);  // 00h00 on 13 March
  const auto minutes = [](int m) { return std::chrono::minutes{m}; };
  // Touching a boundary is not an overlap.
  EXPECT_TRUE(occurrenceVisible(u, z, from - minutes(120), from));
  EXPECT_TRUE(occurrenceVisible(u, z, end, end + minutes(120)));
  // One minute across is.
  EXPECT_FALSE(occurrenceVisible(u, z, from - minutes(120), from + minutes(1)));
  EXPECT_FALSE(occurrenceVisible(u, z, end - minutes(1), end + minutes(120)));
  // Inside, and around the whole period.
  EXPECT_FALSE(occurrenceVisible(u, z, from + minutes(600), from + minutes(720)));
  EXPECT_FALSE(occurrenceVisible(u, z, from - minutes(60), end + minutes(60)));
}

TEST(Unavailability, AnyOfSeveralPeriods) {
  const auto u =
      periods({{ymd(2024, 3, 10), ymd(2024, 3, 10)}, {ymd(2024, 4, 1), ymd(2024, 4, 2)}});
  EXPECT_FALSE(placeVisibleAt(u, paris(), utc(2024, 4, 2, 10, 0)));
  EXPECT_TRUE(placeVisibleAt(u, paris(), utc(2024, 3, 20, 10, 0)));
  EXPECT_FALSE(occurrenceVisible(u, paris(), utc(2024, 4, 1, 8, 0), utc(2024, 4, 1, 10, 0)));
  EXPECT_TRUE(occurrenceVisible(u, paris(), utc(2024, 3, 20, 8, 0), utc(2024, 3, 20, 10, 0)));
}

TEST(Unavailability, VisibleToRegulatorsNeedsBoth) {
  const auto u = periods({{ymd(2024, 3, 10), ymd(2024, 3, 12)}});
  const auto& z = paris();
  // Now inside the period, occurrence after it: the place is not shown at all.
  EXPECT_FALSE(visibleToRegulators(u, z, utc(2024, 3, 11, 10, 0), utc(2024, 3, 13, 9, 0),
                                   utc(2024, 3, 13, 11, 0)));
  // Now before the period, occurrence inside it.
  EXPECT_FALSE(visibleToRegulators(u, z, utc(2024, 3, 8, 10, 0), utc(2024, 3, 11, 9, 0),
                                   utc(2024, 3, 11, 11, 0)));
  // Neither.
  EXPECT_TRUE(visibleToRegulators(u, z, utc(2024, 3, 8, 10, 0), utc(2024, 3, 9, 9, 0),
                                  utc(2024, 3, 9, 11, 0)));
  // At the end of the period everything comes back by itself.
  EXPECT_TRUE(visibleToRegulators(u, z, utc(2024, 3, 12, 23, 0), utc(2024, 3, 13, 9, 0),
                                  utc(2024, 3, 13, 11, 0)));
}

TEST(Unavailability, GreyedDaysAreInclusive) {
  const auto u = periods({{ymd(2024, 3, 10), ymd(2024, 3, 12)}});
  EXPECT_FALSE(dayUnavailable(u, ymd(2024, 3, 9)));
  EXPECT_TRUE(dayUnavailable(u, ymd(2024, 3, 10)));
  EXPECT_TRUE(dayUnavailable(u, ymd(2024, 3, 12)));
  EXPECT_FALSE(dayUnavailable(u, ymd(2024, 3, 13)));
}

TEST(Unavailability, PeriodFieldNames) {
  EXPECT_EQ(periodField("du", 1), "du_1");
  EXPECT_EQ(periodField("au", 3), "au_3");
}

// ---------------------------------------------------------------- checkUnavailabilityInput

class CheckPeriods : public ::testing::Test {
 protected:
  const Day today = ymd(2024, 3, 13);
  Unavailability current;

  Checked<Unavailability> check(std::vector<UnavailabilityInput::Period> rows,
                                bool indefinite = false) {
    UnavailabilityInput in;
    in.indefinite = indefinite;
    in.periods = std::move(rows);
    return checkUnavailabilityInput(in, current, today);
  }
};

TEST_F(CheckPeriods, NothingTyped) {
  auto r = check({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, Unavailability{});
  r = check({}, true);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value->indefinite);
  EXPECT_TRUE(r.value->periods.empty());
}

TEST_F(CheckPeriods, BlankRowsAreIgnored) {
  const auto r = check({{"", ""}, {" ", ""}, {"14/03/2024", "15/03/2024"}, {"", ""}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->periods,
            (std::vector<UnavailabilityPeriod>{{ymd(2024, 3, 14), ymd(2024, 3, 15)}}));
}

TEST_F(CheckPeriods, ThreeAcceptedAFourthRefused) {
  std::vector<UnavailabilityInput::Period> rows = {
      {"13/03/2024", "15/03/2024"}, {"2024-04-01", "2024-04-05"}, {"01/05/2024", "01/05/2024"}};
  auto r = check(rows);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->periods,
            (std::vector<UnavailabilityPeriod>{{ymd(2024, 3, 13), ymd(2024, 3, 15)},
                                               {ymd(2024, 4, 1), ymd(2024, 4, 5)},
                                               {ymd(2024, 5, 1), ymd(2024, 5, 1)}}));
  rows.push_back({"01/06/2024", "02/06/2024"});
  r = check(rows);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(messageOn(r.errors, "periodes"),
            "Vous pouvez saisir jusqu'à 3 indisponibilités programmées.");
}

TEST_F(CheckPeriods, PeriodsOverAreDroppedAndDoNotCount) {
  current = periods({{ymd(2024, 3, 1), ymd(2024, 3, 12)}});
  const auto r = check({{"01/03/2024", "12/03/2024"},  // ended yesterday
                        {"13/03/2024", "15/03/2024"},
                        {"01/04/2024", "05/04/2024"},
                        {"01/05/2024", "01/05/2024"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->periods.size(), 3u);
  EXPECT_EQ(r.value->periods[0].from, ymd(2024, 3, 13));
}

TEST_F(CheckPeriods, APeriodTypedWhollyInThePastIsRefused) {
  // Not stored: refused with its message, not « enregistrée » and dropped (issue 19).
  auto r = check({{"01/03/2024", "12/03/2024"}, {"13/03/2024", "15/03/2024"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(messageOn(r.errors, "au_1"),
            "Période 1 : cette période est entièrement passée : la date de fin ne peut pas être "
            "avant aujourd'hui.");
  EXPECT_FALSE(hasErrorOn(r.errors, "du_1"));  // one message for the period
  EXPECT_FALSE(hasErrorOn(r.errors, "au_2"));
  // Ending yesterday is past; ending today is not.
  EXPECT_FALSE(check({{"12/03/2024", "12/03/2024"}}).ok());
  EXPECT_TRUE(check({{"13/03/2024", "13/03/2024"}}).ok());
  // A stored period under way whose end is moved before today is refused too: « Supprimer »
  // ends it.
  current = periods({{ymd(2024, 3, 1), ymd(2024, 3, 20)}});
  EXPECT_FALSE(check({{"01/03/2024", "12/03/2024"}}).ok());
}

TEST_F(CheckPeriods, EndingTodayIsStillUnderWay) {
  current = periods({{ymd(2024, 3, 1), ymd(2024, 3, 13)}});
  const auto r = check({{"01/03/2024", "13/03/2024"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->periods,
            (std::vector<UnavailabilityPeriod>{{ymd(2024, 3, 1), ymd(2024, 3, 13)}}));
}

TEST_F(CheckPeriods, StartNotBeforeToday) {
  EXPECT_TRUE(check({{"13/03/2024", "13/03/2024"}}).ok());
  const auto r = check({{"12/03/2024", "20/03/2024"}});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(messageOn(r.errors, "du_1"),
            "Période 1 : la date de début ne peut pas être avant aujourd'hui.");
  EXPECT_FALSE(hasErrorOn(r.errors, "au_1"));
}

TEST_F(CheckPeriods, EndNotBeforeStart) {
  EXPECT_TRUE(check({{"20/03/2024", "20/03/2024"}}).ok());
  const auto r = check({{"14/03/2024", "15/03/2024"}, {"21/03/2024", "20/03/2024"}});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(messageOn(r.errors, "au_2"),
            "Période 2 : la date de fin doit être égale ou postérieure à la date de début.");
  EXPECT_FALSE(hasErrorOn(r.errors, "du_2"));
  EXPECT_FALSE(hasErrorOn(r.errors, "au_1"));
}

TEST_F(CheckPeriods, EndBeforeTodayAndBeforeStartIsAnErrorNotADrop) {
  const auto r = check({{"14/03/2024", "12/03/2024"}});
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(hasErrorOn(r.errors, "au_1"));
}

TEST_F(CheckPeriods, MissingOrInvalidDates) {
  auto r = check({{"", "15/03/2024"}});
  EXPECT_EQ(messageOn(r.errors, "du_1"), "Période 1 : la date de début est obligatoire.");
  r = check({{"14/03/2024", ""}});
  EXPECT_EQ(messageOn(r.errors, "au_1"), "Période 1 : la date de fin est obligatoire.");
  r = check({{"31/02/2024", "abc"}});
  EXPECT_TRUE(hasErrorOn(r.errors, "du_1"));
  EXPECT_TRUE(hasErrorOn(r.errors, "au_1"));
  EXPECT_EQ(messageOn(r.errors, "du_1").rfind("Période 1 : ", 0), 0u);
}

TEST_F(CheckPeriods, NumberingSkipsBlankRowsButNotPastOnes) {
  auto r = check({{"", ""}, {"14/03/2024", "15/03/2024"}, {"abc", "15/03/2024"}});
  EXPECT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(messageOn(r.errors, "du_2").rfind("Période 2 : ", 0), 0u);
  // The rows stay as the user sees them: a stored period now past, dropped, keeps its place
  // in the numbering.
  current = periods({{ymd(2024, 3, 1), ymd(2024, 3, 5)}});
  r = check({{"01/03/2024", "05/03/2024"}, {"12/03/2024", "15/03/2024"}});
  EXPECT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(messageOn(r.errors, "du_2").rfind("Période 2 : ", 0), 0u);
}

TEST_F(CheckPeriods, PeriodUnderWayKeepsItsPastStart) {
  current = periods({{ymd(2024, 3, 10), ymd(2024, 3, 20)}});
  // Unchanged, or with a new end.
  EXPECT_TRUE(check({{"10/03/2024", "20/03/2024"}}).ok());
  EXPECT_TRUE(check({{"10/03/2024", "25/03/2024"}}).ok());
  EXPECT_TRUE(check({{"10/03/2024", "13/03/2024"}}).ok());
  // A different past start is a new one.
  EXPECT_TRUE(hasErrorOn(check({{"11/03/2024", "20/03/2024"}}).errors, "du_1"));
  EXPECT_TRUE(hasErrorOn(check({{"09/03/2024", "20/03/2024"}}).errors, "du_1"));
}

TEST_F(CheckPeriods, EndedPeriodCannotBeReopenedWithItsPastStart) {
  current = periods({{ymd(2024, 3, 1), ymd(2024, 3, 12)}});
  EXPECT_TRUE(hasErrorOn(check({{"01/03/2024", "20/03/2024"}}).errors, "du_1"));
}

TEST_F(CheckPeriods, PeriodsMayOverlap) {
  const auto r = check({{"14/03/2024", "20/03/2024"}, {"18/03/2024", "25/03/2024"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->periods.size(), 2u);
}

}  // namespace
}  // namespace sas::domain
