// « Dupliquer la semaine » (docs/rules.md#copy-a-week).
#include "domain/week_copy.hpp"
#include "support/days.hpp"

#include <gtest/gtest.h>

namespace sas::domain {
namespace {

namespace fields = week_copy_fields;

constexpr std::int64_t kSource = 7;
constexpr std::int64_t kOther = 8;

using test::ymd;

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

Instant parisAt(Day day, int minute) {
  return localToInstant(paris(), day, minute);
}

Availability oneOff(std::int64_t id, Day day, int start, int end,
                    AvailabilityKind kind = AvailabilityKind::Slot, int capacity = 1) {
  Availability a;
  a.id = id;
  a.placeId = kSource;
  a.base.date = day;
  a.base.startMinute = start;
  a.base.endMinute = end;
  a.base.kind = kind;
  a.base.capacity = capacity;
  a.base.types.add(ConsultationType::Office);
  return a;
}

Availability series(std::int64_t id, Day first, int start, int end) {
  Availability a = oneOff(id, first, start, end);
  a.weekly = true;
  return a;
}

// Monday 7 September 2026; the copies are planned on Monday 31 August at 08h00.
const Day kMonday = ymd(2026, 9, 7);
const Instant kNow = parisAt(ymd(2026, 8, 31), hm(8, 0));

WeekCopyTarget target(std::int64_t placeId, std::vector<Availability> held = {},
                      const char* zoneName = "Europe/Paris") {
  return {placeId, &zone(zoneName), std::move(held)};
}

std::string errorOn(const Checked<WeekCopyPlan>& c, const std::string& field) {
  for (const auto& e : c.errors)
    if (e.field == field) return e.message;
  return {};
}

TEST(WeekCopy, CopiesTheWeeksOneOffsToEachOfTheNextWeeks) {
  const WeekCopySource source{
      kSource,
      kMonday,
      {oneOff(1, kMonday + date::days{1}, hm(10, 0), hm(12, 0)),
       oneOff(2, kMonday, hm(14, 0), hm(16, 0), AvailabilityKind::Range, 3)}};
  const auto plan = planWeekCopy(source, "2", {target(kSource, source.availabilities)}, kNow);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan.value->weeks, 2);
  ASSERT_EQ(plan.value->copies.size(), 4u);
  EXPECT_TRUE(plan.value->skipped.empty());
  // Week by week, in date order within a week; the values are the source's.
  const auto& c = plan.value->copies;
  EXPECT_EQ(c[0].values.date, ymd(2026, 9, 14));
  EXPECT_EQ(c[0].values.kind, AvailabilityKind::Range);
  EXPECT_EQ(c[0].values.capacity, 3);
  EXPECT_EQ(c[0].sourceId, 2);
  EXPECT_EQ(c[1].values.date, ymd(2026, 9, 15));
  EXPECT_EQ(c[1].values.startMinute, hm(10, 0));
  EXPECT_EQ(c[1].values.endMinute, hm(12, 0));
  EXPECT_EQ(c[2].values.date, ymd(2026, 9, 21));
  EXPECT_EQ(c[3].values.date, ymd(2026, 9, 22));
  for (const auto& copy : c) {
    EXPECT_EQ(copy.placeId, kSource);
    EXPECT_FALSE(copy.overlaps);
    EXPECT_FALSE(copy.movedOutOfGap);
  }
}

TEST(WeekCopy, LeavesSeriesAndTheirChangedOccurrencesAlone) {
  auto s = series(1, kMonday - date::days{7}, hm(9, 0), hm(10, 0));
  AvailabilityException changed;
  changed.originalDate = kMonday;
  changed.values = s.base;
  changed.values.date = kMonday;
  changed.values.startMinute = hm(8, 0);
  s.exceptions.push_back(changed);
  const WeekCopySource onlySeries{kSource, kMonday, {s}};
  const auto refused = planWeekCopy(onlySeries, "1", {target(kSource)}, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(errorOn(refused, "").find("aucune disponibilité ponctuelle"), std::string::npos);

  const WeekCopySource mixed{
      kSource, kMonday, {s, oneOff(2, kMonday + date::days{2}, hm(9, 0), hm(10, 0))}};
  const auto plan = planWeekCopy(mixed, "1", {target(kSource, mixed.availabilities)}, kNow);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value->copies.size(), 1u);
  EXPECT_EQ(plan.value->copies[0].sourceId, 2);
}

TEST(WeekCopy, OneOffsOutsideTheWeekStayWhereTheyAre) {
  const WeekCopySource source{kSource,
                              kMonday,
                              {oneOff(1, kMonday - date::days{1}, hm(9, 0), hm(10, 0)),
                               oneOff(2, kMonday + date::days{6}, hm(9, 0), hm(10, 0)),
                               oneOff(3, kMonday + date::days{7}, hm(9, 0), hm(10, 0))}};
  const auto plan = planWeekCopy(source, "1", {target(kSource)}, kNow);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value->copies.size(), 1u);
  EXPECT_EQ(plan.value->copies[0].sourceId, 2);  // the Sunday, last day of the week
}

TEST(WeekCopy, AnEmptyWeekIsRefused) {
  const auto refused = planWeekCopy({kSource, kMonday, {}}, "1", {target(kSource)}, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(errorOn(refused, ""),
            "Cette semaine n'a aucune disponibilité ponctuelle à dupliquer : les disponibilités "
            "hebdomadaires se répètent déjà chaque semaine.");
}

TEST(WeekCopy, WeeksFromZeroToTheMaximum) {
  const WeekCopySource source{kSource, kMonday, {oneOff(1, kMonday, hm(9, 0), hm(10, 0))}};
  const auto atMax = planWeekCopy(source, std::to_string(kMaxCopyWeeks), {target(kSource)}, kNow);
  ASSERT_TRUE(atMax.ok());
  EXPECT_EQ(kMaxCopyWeeks, 12);
  ASSERT_EQ(atMax.value->copies.size(), 12u);
  EXPECT_EQ(atMax.value->copies.back().values.date, kMonday + date::days{7 * 12});

  const std::string expected =
      "Le nombre de semaines suivantes doit être un nombre entier de 0 à 12.";
  for (const std::string text : {"13", "-1", "", "deux", "1.5", "99999999999"}) {
    const auto refused = planWeekCopy(source, text, {target(kSource)}, kNow);
    ASSERT_FALSE(refused.ok()) << text;
    EXPECT_EQ(errorOn(refused, fields::kWeeks), expected) << text;
  }
  // 0 with the source's place alone copies nothing: refused on the number of weeks.
  const auto none = planWeekCopy(source, "0", {target(kSource)}, kNow);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(errorOn(none, fields::kWeeks).find("au moins une semaine suivante"), std::string::npos);
  // 0 with another place: the same week there.
  const auto there = planWeekCopy(source, "0", {target(kOther)}, kNow);
  ASSERT_TRUE(there.ok());
  ASSERT_EQ(there.value->copies.size(), 1u);
  EXPECT_EQ(there.value->copies[0].placeId, kOther);
  EXPECT_EQ(there.value->copies[0].values.date, kMonday);
}

TEST(WeekCopy, NoPlaceTickedIsRefused) {
  const WeekCopySource source{kSource, kMonday, {oneOff(1, kMonday, hm(9, 0), hm(10, 0))}};
  const auto refused = planWeekCopy(source, "1", {}, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(errorOn(refused, fields::kPlaces), "Cochez au moins un lieu.");
}

TEST(WeekCopy, OtherPlacesGetTheSameWeekAndTheNextOnes) {
  const WeekCopySource source{kSource, kMonday, {oneOff(1, kMonday, hm(9, 0), hm(10, 0))}};
  const auto plan = planWeekCopy(source, "2", {target(kSource), target(kOther)}, kNow);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value->copies.size(), 5u);  // 2 weeks here, 3 there
  EXPECT_EQ(plan.value->copies[1].values.date, kMonday + date::days{14});
  EXPECT_EQ(plan.value->copies[2].placeId, kOther);
  EXPECT_EQ(plan.value->copies[2].values.date, kMonday);
  EXPECT_EQ(plan.value->copies[4].values.date, kMonday + date::days{14});
}

TEST(WeekCopy, KeepsLocalHoursInAnotherZone) {
  const WeekCopySource source{kSource, kMonday, {oneOff(1, kMonday, hm(9, 0), hm(10, 0))}};
  const auto plan = planWeekCopy(source, "0", {target(kOther, {}, "Indian/Reunion")}, kNow);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value->copies.size(), 1u);
  EXPECT_EQ(plan.value->copies[0].values.startMinute, hm(9, 0));
}

TEST(WeekCopy, PastCopiesAreSkippedWithTheFormsReason) {
  // Wednesday 9 September at 12h00: Monday is past, Wednesday 10h00 has started, 14h00 has not.
  const Instant now = parisAt(kMonday + date::days{2}, hm(12, 0));
  const WeekCopySource source{kSource,
                              kMonday,
                              {oneOff(1, kMonday, hm(9, 0), hm(10, 0)),
                               oneOff(2, kMonday + date::days{2}, hm(10, 0), hm(11, 0)),
                               oneOff(3, kMonday + date::days{2}, hm(12, 0), hm(13, 0)),
                               oneOff(4, kMonday + date::days{2}, hm(14, 0), hm(15, 0))}};
  const auto plan = planWeekCopy(source, "1", {target(kOther)}, now);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value->skipped.size(), 2u);
  EXPECT_EQ(plan.value->skipped[0].sourceId, 1);
  EXPECT_EQ(plan.value->skipped[0].reason, "La date ne peut pas être dans le passé.");
  EXPECT_EQ(plan.value->skipped[1].sourceId, 2);
  EXPECT_EQ(plan.value->skipped[1].reason, "L'heure de début ne peut pas être dans le passé.");
  // 12h00 at 12h00:00 is not past yet (docs/rules.md#agenda); next week everything is copied.
  ASSERT_EQ(plan.value->copies.size(), 6u);
  EXPECT_EQ(plan.value->copies[0].sourceId, 3);
  EXPECT_EQ(plan.value->copies[0].values.date, kMonday + date::days{2});
}

TEST(WeekCopy, AnIdenticalAvailabilityThereIsSkippedAnOverlapIsNot) {
  const Day next = kMonday + date::days{7};
  const WeekCopySource source{kSource,
                              kMonday,
                              {oneOff(1, kMonday, hm(9, 0), hm(10, 0)),
                               oneOff(2, kMonday + date::days{1}, hm(9, 0), hm(10, 0)),
                               oneOff(3, kMonday + date::days{2}, hm(9, 0), hm(10, 0))}};
  auto held = source.availabilities;
  held.push_back(oneOff(10, next, hm(9, 0), hm(10, 0)));  // identical to the Monday's copy
  // A series whose Tuesday occurrence is identical to the Tuesday's copy.
  held.push_back(series(11, kMonday + date::days{1} - date::days{14}, hm(9, 0), hm(10, 0)));
  // The same hours on Wednesday, but as a plage: overlapping, not identical.
  held.push_back(oneOff(12, next + date::days{2}, hm(9, 0), hm(10, 0), AvailabilityKind::Range, 2));
  const auto plan = planWeekCopy(source, "1", {target(kSource, held)}, kNow);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value->skipped.size(), 2u);
  EXPECT_EQ(plan.value->skipped[0].reason, kIdenticalExists);
  EXPECT_EQ(plan.value->skipped[0].values.date, next);
  EXPECT_EQ(plan.value->skipped[1].values.date, next + date::days{1});
  ASSERT_EQ(plan.value->copies.size(), 1u);
  EXPECT_EQ(plan.value->copies[0].values.date, next + date::days{2});
  EXPECT_TRUE(plan.value->copies[0].overlaps);
}

TEST(WeekCopy, TwoIdenticalOneOffsOfTheWeekGiveOneCopy) {
  const WeekCopySource source{
      kSource,
      kMonday,
      {oneOff(1, kMonday, hm(9, 0), hm(10, 0)), oneOff(2, kMonday, hm(9, 0), hm(10, 0))}};
  const auto plan = planWeekCopy(source, "1", {target(kSource, source.availabilities)}, kNow);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value->copies.size(), 1u);
  ASSERT_EQ(plan.value->skipped.size(), 1u);
  EXPECT_EQ(plan.value->skipped[0].sourceId, 2);
}

TEST(WeekCopy, TheSpringGapFollowsTheOneOffRule) {
  // Sunday 22 March 2026 to Sunday 29 March, the day the clock skips 02h00–02h59 in Paris.
  const Day monday = ymd(2026, 3, 16), sunday = ymd(2026, 3, 22);
  const Instant now = parisAt(ymd(2026, 3, 1), hm(8, 0));
  const WeekCopySource source{
      kSource,
      monday,
      {oneOff(1, sunday, hm(2, 30), hm(4, 0)), oneOff(2, sunday, hm(2, 0), hm(3, 0)),
       oneOff(3, sunday, hm(10, 0), hm(12, 0))}};
  const auto plan = planWeekCopy(source, "1", {target(kSource)}, now);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value->copies.size(), 2u);
  const auto& moved = plan.value->copies[0];
  EXPECT_EQ(moved.sourceId, 1);
  EXPECT_EQ(moved.values.date, ymd(2026, 3, 29));
  EXPECT_EQ(moved.values.startMinute, hm(3, 30));  // 02h30 does not exist that day
  EXPECT_EQ(moved.values.endMinute, hm(4, 0));
  EXPECT_TRUE(moved.movedOutOfGap);
  // 10h00 stays 10h00 local across the change (an hour less in UTC).
  EXPECT_EQ(plan.value->copies[1].values.startMinute, hm(10, 0));
  EXPECT_FALSE(plan.value->copies[1].movedOutOfGap);
  // 02h00–03h00 would start and end at the same instant: skipped, with the form's reason.
  ASSERT_EQ(plan.value->skipped.size(), 1u);
  EXPECT_EQ(plan.value->skipped[0].sourceId, 2);
  EXPECT_NE(plan.value->skipped[0].reason.find("n'existe pas le 29/03/2026"), std::string::npos);
}

TEST(WeekCopy, TheAutumnDoubledHourIsKeptAsTyped) {
  // Sunday 25 October 2026: 02h30 happens twice, the first is taken; nothing moves.
  const Day monday = ymd(2026, 10, 12), sunday = ymd(2026, 10, 18);
  const WeekCopySource source{kSource, monday, {oneOff(1, sunday, hm(2, 30), hm(4, 0))}};
  const auto plan = planWeekCopy(source, "1", {target(kSource)}, kNow);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value->copies.size(), 1u);
  EXPECT_EQ(plan.value->copies[0].values.startMinute, hm(2, 30));
  EXPECT_FALSE(plan.value->copies[0].movedOutOfGap);
}

}  // namespace
}  // namespace sas::domain
