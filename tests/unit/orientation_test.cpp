// The orientation rules (docs/rules.md#orientation): capacity, the « hors créneaux » form, the
// reference of the regulation's file, and when a status may move.
#include "domain/orientation.hpp"
#include "support/days.hpp"

#include <gtest/gtest.h>

namespace sas::domain {
namespace {

namespace fields = orientation_fields;
using std::chrono::seconds;

using test::ymd;

const date::time_zone& paris() {
  return *findZone("Europe/Paris");
}

// 14h00 in Paris on Thursday 5 March 2026 (UTC+1).
Instant paris14h() {
  return localToInstant(paris(), ymd(2026, 3, 5), 14 * 60);
}

Occurrence occurrence(AvailabilityKind kind, int capacity, int taken) {
  Occurrence o;
  o.availabilityId = 7;
  o.originalDate = ymd(2026, 3, 5);
  o.values = {ymd(2026, 3, 5), 14 * 60, 16 * 60, kind, capacity, {}};
  o.start = paris14h();
  o.end = o.start + std::chrono::hours{2};
  o.taken = taken;
  return o;
}

TEST(OrientationRules, CodesAndLabelsGoBothWays) {
  for (auto s : {OrientationStatus::Pending, OrientationStatus::Received, OrientationStatus::NoShow,
                 OrientationStatus::Cancelled})
    EXPECT_EQ(statusFromCode(statusCode(s)), s);
  EXPECT_EQ(statusLabel(OrientationStatus::Received), "Patient reçu");
  EXPECT_EQ(statusLabel(OrientationStatus::NoShow), "Patient non venu");
  EXPECT_EQ(statusFromCode("inconnu"), std::nullopt);
  for (auto k : {OrientationKind::Slot, OrientationKind::Range, OrientationKind::Beyond})
    EXPECT_EQ(orientationKindFromCode(orientationKindCode(k)), k);
}

TEST(OrientationRules, ACreneauHoldsOnePatientWhateverItsCapacityField) {
  EXPECT_TRUE(hasRoom(occurrence(AvailabilityKind::Slot, 1, 0)));
  EXPECT_FALSE(hasRoom(occurrence(AvailabilityKind::Slot, 1, 1)));
  EXPECT_FALSE(hasRoom(occurrence(AvailabilityKind::Slot, 3, 1)));
}

TEST(OrientationRules, APlageHoldsItsCapacity) {
  EXPECT_TRUE(hasRoom(occurrence(AvailabilityKind::Range, 2, 1)));
  EXPECT_FALSE(hasRoom(occurrence(AvailabilityKind::Range, 2, 2)));
  EXPECT_FALSE(hasRoom(occurrence(AvailabilityKind::Range, 2, 3)));
}

constexpr std::chrono::minutes kThirty{30};

TEST(OrientationRules, ACreneauIsOrientableUntilItsStart) {
  const auto o = occurrence(AvailabilityKind::Slot, 1, 0);
  EXPECT_EQ(offeredUntil(o, kThirty), o.start);
  EXPECT_TRUE(orientable(o, o.start - seconds{1}, kThirty));
  EXPECT_TRUE(orientable(o, o.start, kThirty));
  EXPECT_FALSE(orientable(o, o.start + seconds{1}, kThirty));
  EXPECT_FALSE(orientable(occurrence(AvailabilityKind::Slot, 1, 1), o.start - seconds{1}, kThirty));
}

// Plage 14h00–16h00: orientable until 15h30 (its 15h30:00 second included, as a créneau's start).
TEST(OrientationRules, APlageIsOrientableUntilItClosesBeforeItsEnd) {
  const auto o = occurrence(AvailabilityKind::Range, 2, 1);
  const auto close = o.start + std::chrono::minutes{90};
  EXPECT_EQ(offeredUntil(o, kThirty), close);
  EXPECT_TRUE(orientable(o, o.start + seconds{1}, kThirty));  // started: still offered
  EXPECT_TRUE(orientable(o, close - seconds{1}, kThirty));
  EXPECT_TRUE(orientable(o, close, kThirty));
  EXPECT_FALSE(orientable(o, close + seconds{1}, kThirty));
  EXPECT_FALSE(orientable(occurrence(AvailabilityKind::Range, 2, 2), o.start, kThirty));  // full
}

TEST(OrientationRules, ThePlagesCloseFollowsTheSetting) {
  const auto o = occurrence(AvailabilityKind::Range, 2, 0);
  EXPECT_EQ(offeredUntil(o, std::chrono::minutes{0}), o.end);
  EXPECT_TRUE(orientable(o, o.end, std::chrono::minutes{0}));
  EXPECT_FALSE(orientable(o, o.end + seconds{1}, std::chrono::minutes{0}));
  const auto at45 = o.end - std::chrono::minutes{45};
  EXPECT_TRUE(orientable(o, at45, std::chrono::minutes{45}));
  EXPECT_FALSE(orientable(o, at45 + seconds{1}, std::chrono::minutes{45}));
  // Shorter than the setting: offered as a créneau, up to its start.
  EXPECT_EQ(offeredUntil(o, std::chrono::hours{3}), o.start);
  EXPECT_FALSE(orientable(o, o.start + seconds{1}, std::chrono::hours{3}));
}

TEST(OrientationRules, TakingsLandOnTheirOccurrenceOnly) {
  std::vector<Occurrence> list{occurrence(AvailabilityKind::Range, 2, 0),
                               occurrence(AvailabilityKind::Range, 2, 0)};
  list[1].originalDate = ymd(2026, 3, 12);
  applyTakings(list, {{7, ymd(2026, 3, 12), 2}, {8, ymd(2026, 3, 5), 1}});
  EXPECT_EQ(list[0].taken, 0);
  EXPECT_EQ(list[1].taken, 2);
}

TEST(OrientationRules, ReferenceOfThirtyCharactersIsKeptAndThirtyOneRefused) {
  const std::string thirty(29, 'a');
  auto ok = checkRegulationReference("  é" + thirty + "  ");  // é: two bytes, one character
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok.value, "é" + thirty);
  auto refused = checkRegulationReference("é" + thirty + "b");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.errors.front().field, fields::kReference);
  EXPECT_EQ(refused.errors.front().message,
            "La référence du dossier de régulation ne doit pas dépasser 30 caractères.");
  EXPECT_TRUE(checkRegulationReference("").ok());
  EXPECT_FALSE(checkRegulationReference("ab\ncd").ok());
}

TEST(OrientationRules, BeyondTakesAQuarterHourNotInThePast) {
  const auto now = paris14h();
  auto at = checkBeyondInput("05/03/2026", "14:00", paris(), now);
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(*at.value, now);
  auto later = checkBeyondInput("2026-03-05", "14h15", paris(), now);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(*later.value, now + std::chrono::minutes{15});

  auto past = checkBeyondInput("05/03/2026", "14:00", paris(), now + seconds{1});
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.errors.front().message,
            "Il n'est pas possible de saisir une date ou une heure dans le passé.");
  auto yesterday = checkBeyondInput("04/03/2026", "23:45", paris(), now);
  EXPECT_FALSE(yesterday.ok());

  auto offGrid = checkBeyondInput("05/03/2026", "14:10", paris(), now);
  ASSERT_FALSE(offGrid.ok());
  EXPECT_EQ(offGrid.errors.front().field, fields::kTime);
  auto empty = checkBeyondInput("", "", paris(), now);
  ASSERT_EQ(empty.errors.size(), 2u);
  EXPECT_EQ(empty.errors[0].field, fields::kDate);
  EXPECT_EQ(empty.errors[1].field, fields::kTime);
  EXPECT_FALSE(checkBeyondInput("31/02/2026", "14:00", paris(), now).ok());
}

TEST(OrientationRules, CancellableWhilePendingBeforeTheStart) {
  const auto start = paris14h();
  EXPECT_TRUE(cancellable(OrientationStatus::Pending, start, start - seconds{1}));
  EXPECT_FALSE(cancellable(OrientationStatus::Pending, start, start));
  EXPECT_FALSE(cancellable(OrientationStatus::Cancelled, start, start - seconds{1}));
  EXPECT_FALSE(cancellable(OrientationStatus::Received, start, start - seconds{1}));
}

TEST(OrientationRules, OutcomeFromTheStartOnNeverOnACancelledOne) {
  const auto start = paris14h();
  using S = OrientationStatus;
  EXPECT_FALSE(outcomeSettable(S::Pending, S::Received, start, start - seconds{1}));
  EXPECT_TRUE(outcomeSettable(S::Pending, S::Received, start, start));
  EXPECT_TRUE(outcomeSettable(S::Pending, S::NoShow, start, start));
  EXPECT_TRUE(outcomeSettable(S::NoShow, S::Received, start, start));  // a correction
  EXPECT_FALSE(outcomeSettable(S::Cancelled, S::Received, start, start));
  EXPECT_FALSE(outcomeSettable(S::Received, S::Pending, start, start));
  EXPECT_FALSE(outcomeSettable(S::Pending, S::Cancelled, start, start));
}

}  // namespace
}  // namespace sas::domain
