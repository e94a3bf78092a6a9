// « Pourquoi ne suis-je pas visible ? » (docs/rules.md#visibility-self-check).
#include "domain/visibility.hpp"
#include "support/days.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace sas::domain {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const date::time_zone& paris() {
  const auto* z = findZone("Europe/Paris");
  if (!z) throw std::runtime_error("missing zone Europe/Paris");
  return *z;
}

using test::ymd;

// Wednesday 9 September 2026 in Paris (UTC+2).
Day wednesday() {
  return ymd(2026, 9, 9);
}
Instant local(Day day, int hour, int minute, int second = 0) {
  return localToInstant(paris(), day, hour * 60 + minute) + seconds{second};
}
const seconds kCloses = minutes{30};

Occurrence occurrence(Day day, int from, int to, AvailabilityKind kind = AvailabilityKind::Slot,
                      int capacity = 1, int taken = 0) {
  Occurrence o;
  o.availabilityId = 1;
  o.originalDate = day;
  o.values.date = day;
  o.values.startMinute = from;
  o.values.endMinute = to;
  o.values.kind = kind;
  o.values.capacity = capacity;
  o.values.types.add(ConsultationType::Office);
  o.start = localToInstant(paris(), day, from);
  o.end = localToInstant(paris(), day, to);
  o.taken = taken;
  return o;
}

VisibilityFacts participating(std::vector<Occurrence> occurrences) {
  VisibilityFacts f;
  f.participates = true;
  f.occurrences = std::move(occurrences);
  return f;
}

VisibilityCheck check(const VisibilityFacts& f, Instant now) {
  return checkVisibility(f, paris(), now, kCloses);
}

TEST(Visibility, VisibleWithOneOfferedAvailability) {
  const auto c = check(participating({occurrence(wednesday(), 14 * 60, 14 * 60 + 30)}),
                       local(wednesday(), 10, 0));
  EXPECT_TRUE(c.visible());
  EXPECT_TRUE(c.reasons.empty());
  EXPECT_EQ(c.offered, 1);
  EXPECT_EQ(visibleText(c), "Visible des régulateurs : 1 disponibilité dans les 72 h");
}

TEST(Visibility, NothingAtAllIsNoAvailability) {
  const auto c = check(participating({}), local(wednesday(), 10, 0));
  EXPECT_FALSE(c.visible());
  ASSERT_EQ(c.reasons.size(), 1u);
  EXPECT_EQ(c.reasons[0], InvisibilityReason::NoAvailability);
  EXPECT_EQ(reasonText(c.reasons[0], c),
            "Aucune disponibilité dans les 72 h : les régulateurs ne voient que les "
            "disponibilités d'ici la fin d'après-demain.");
}

TEST(Visibility, WindowEndsAtMidnightAfterTheDayAfterTomorrow) {
  const Day friday = wednesday() + date::days{2};
  const Day saturday = wednesday() + date::days{3};
  // Friday 23h45 is in the window; Saturday 00h00 is not.
  auto inside = check(participating({occurrence(friday, 23 * 60 + 45, kLastMinute)}),
                      local(wednesday(), 10, 0));
  EXPECT_TRUE(inside.visible());
  EXPECT_EQ(inside.windowEnd, local(saturday, 0, 0));
  auto outside = check(participating({occurrence(saturday, 0, 60)}), local(wednesday(), 10, 0));
  EXPECT_FALSE(outside.visible());
  EXPECT_TRUE(outside.has(InvisibilityReason::NoAvailability));
  EXPECT_EQ(outside.past + outside.full + outside.hidden + outside.offered, 0);
}

TEST(Visibility, CreneauIsOfferedUntilItsStartSecond) {
  const auto f = participating({occurrence(wednesday(), 10 * 60, 10 * 60 + 30)});
  EXPECT_TRUE(check(f, local(wednesday(), 10, 0, 0)).visible());
  const auto after = check(f, local(wednesday(), 10, 0, 1));
  EXPECT_FALSE(after.visible());
  EXPECT_EQ(after.past, 1);
  ASSERT_EQ(after.reasons.size(), 1u);
  EXPECT_EQ(after.reasons[0], InvisibilityReason::NoneOffered);
  EXPECT_EQ(reasonText(after.reasons[0], after),
            "Aucune de vos disponibilités des 72 h n'est proposée aux régulateurs : 1 passée.");
}

TEST(Visibility, PlageIsOfferedUntilHalfAnHourBeforeItsEnd) {
  // The search's rule (offeredUntil), not a copy: 09h00–12h00 is offered until 11h30:00.
  const auto f =
      participating({occurrence(wednesday(), 9 * 60, 12 * 60, AvailabilityKind::Range, 3)});
  EXPECT_TRUE(check(f, local(wednesday(), 11, 30, 0)).visible());
  EXPECT_EQ(check(f, local(wednesday(), 11, 30, 1)).past, 1);
  EXPECT_FALSE(check(f, local(wednesday(), 11, 30, 1)).visible());
}

TEST(Visibility, YesterdaysOccurrencesAreNotCounted) {
  const auto c = check(participating({occurrence(wednesday() - date::days{1}, 9 * 60, 10 * 60)}),
                       local(wednesday(), 10, 0));
  EXPECT_EQ(c.past, 0);
  EXPECT_TRUE(c.has(InvisibilityReason::NoAvailability));
}

TEST(Visibility, FullOccurrencesAreNotOffered) {
  const Day thursday = wednesday() + date::days{1};
  // A créneau with one patient is full; a plage for 3 with 2 still has room, with 3 it is full.
  auto c =
      check(participating({occurrence(thursday, 9 * 60, 9 * 60 + 15, AvailabilityKind::Slot, 1, 1),
                           occurrence(thursday, 10 * 60, 12 * 60, AvailabilityKind::Range, 3, 3)}),
            local(wednesday(), 10, 0));
  EXPECT_EQ(c.full, 2);
  EXPECT_FALSE(c.visible());
  EXPECT_EQ(reasonText(InvisibilityReason::NoneOffered, c),
            "Aucune de vos disponibilités des 72 h n'est proposée aux régulateurs : 2 complètes.");
  auto room =
      check(participating({occurrence(thursday, 10 * 60, 12 * 60, AvailabilityKind::Range, 3, 2)}),
            local(wednesday(), 10, 0));
  EXPECT_TRUE(room.visible());
}

TEST(Visibility, HiddenByAFuturePeriodButNotUnavailableNow) {
  const Day friday = wednesday() + date::days{2};
  auto f = participating({occurrence(wednesday(), 8 * 60, 9 * 60),  // past
                          occurrence(friday, 9 * 60, 10 * 60)});
  f.unavailability.periods = {{friday, friday}};
  const auto c = check(f, local(wednesday(), 10, 0));
  EXPECT_FALSE(c.visible());
  EXPECT_FALSE(c.has(InvisibilityReason::UnavailableNow));
  EXPECT_EQ(c.hidden, 1);
  EXPECT_EQ(c.past, 1);
  EXPECT_EQ(reasonText(InvisibilityReason::NoneOffered, c),
            "Aucune de vos disponibilités des 72 h n'est proposée aux régulateurs : 1 passée et "
            "1 sous une indisponibilité.");
}

TEST(Visibility, PeriodEndingYesterdayHidesNothing) {
  const Day friday = wednesday() + date::days{2};
  auto f = participating({occurrence(friday, 9 * 60, 10 * 60)});
  f.unavailability.periods = {{wednesday() - date::days{3}, wednesday() - date::days{1}}};
  EXPECT_TRUE(check(f, local(wednesday(), 0, 0)).visible());
  // The same period ending today is in force until 23h59:59 and hides the place.
  f.unavailability.periods = {{wednesday() - date::days{3}, wednesday()}};
  const auto c = check(f, local(wednesday(), 23, 59, 59));
  EXPECT_FALSE(c.visible());
  EXPECT_TRUE(c.has(InvisibilityReason::UnavailableNow));
  EXPECT_FALSE(c.has(InvisibilityReason::NoneOffered));
  EXPECT_EQ(c.offered, 1);  // Friday's is offered again once the period ends
  EXPECT_TRUE(check(f, local(wednesday() + date::days{1}, 0, 0)).visible());
}

TEST(Visibility, IndefiniteUnavailabilityHidesEverything) {
  auto f = participating({occurrence(wednesday(), 14 * 60, 15 * 60)});
  f.unavailability.indefinite = true;
  const auto c = check(f, local(wednesday(), 10, 0));
  EXPECT_FALSE(c.visible());
  ASSERT_EQ(c.reasons.size(), 1u);
  EXPECT_EQ(c.reasons[0], InvisibilityReason::UnavailableNow);
  EXPECT_EQ(c.hidden, 1);
}

TEST(Visibility, NotParticipatingIsFoundAfterTheParticipants) {
  auto f = participating({occurrence(wednesday(), 14 * 60, 15 * 60)});
  f.participates = false;
  const auto c = check(f, local(wednesday(), 10, 0));
  EXPECT_TRUE(c.visible());  // still found, after the participants
  ASSERT_EQ(c.reasons.size(), 1u);
  EXPECT_EQ(c.reasons[0], InvisibilityReason::NotParticipating);
}

TEST(Visibility, PositionMissingOrApproximate) {
  auto f = participating({occurrence(wednesday(), 14 * 60, 15 * 60)});
  f.positioned = false;
  f.approximate = true;  // a place not found is stored approximate too: one reason is enough
  auto c = check(f, local(wednesday(), 10, 0));
  EXPECT_FALSE(c.visible());
  EXPECT_TRUE(c.has(InvisibilityReason::NotPositioned));
  EXPECT_FALSE(c.has(InvisibilityReason::Approximate));
  f.positioned = true;
  c = check(f, local(wednesday(), 10, 0));
  EXPECT_TRUE(c.visible());
  EXPECT_TRUE(c.has(InvisibilityReason::Approximate));
}

TEST(Visibility, ReasonsComeInTheirOrder) {
  VisibilityFacts f;
  f.positioned = false;
  f.unavailability.indefinite = true;
  const auto c = check(f, local(wednesday(), 10, 0));
  const std::vector<InvisibilityReason> expected{
      InvisibilityReason::UnavailableNow, InvisibilityReason::NoAvailability,
      InvisibilityReason::NotPositioned, InvisibilityReason::NotParticipating};
  EXPECT_EQ(c.reasons, expected);
}

TEST(Visibility, CountsInWords) {
  EXPECT_EQ(availabilityCount(0), "aucune disponibilité");
  EXPECT_EQ(availabilityCount(1), "1 disponibilité");
  EXPECT_EQ(availabilityCount(2), "2 disponibilités");
}

}  // namespace
}  // namespace sas::domain
