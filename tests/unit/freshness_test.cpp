// The freshness reminder's rule (docs/rules.md#freshness-reminder), each boundary both sides.
#include "domain/freshness.hpp"

#include <gtest/gtest.h>

namespace sas::domain {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const Instant kNow = Instant{Day{date::year{2026} / 3 / 4}} + hours{9};

Occurrence at(Instant start, minutes length = minutes{30}) {
  Occurrence o;
  o.start = start;
  o.end = start + length;
  return o;
}

TEST(FreshnessReminder, SomethingJustInsideTheNext72HoursStopsIt) {
  const auto recent = at(kNow - days{3});
  EXPECT_FALSE(freshnessReminderDue({recent, at(kNow + hours{72} - minutes{1})}, kNow, {}));
  EXPECT_TRUE(freshnessReminderDue({recent, at(kNow + hours{72} + minutes{1})}, kNow, {}));
  EXPECT_TRUE(freshnessReminderDue({recent, at(kNow + hours{72})}, kNow, {}));
}

TEST(FreshnessReminder, AnOccurrenceUnderWayIsSomething) {
  const auto recent = at(kNow - days{3});
  EXPECT_FALSE(freshnessReminderDue({recent, at(kNow - minutes{10})}, kNow, {}));
  // Ended a minute ago: in the past 4 weeks, not ahead.
  EXPECT_TRUE(freshnessReminderDue({at(kNow - minutes{31}, minutes{30})}, kNow, {}));
}

TEST(FreshnessReminder, OnlyForAPlaceThatHadSomethingInTheLastFourWeeks) {
  EXPECT_TRUE(freshnessReminderDue({at(kNow - days{27})}, kNow, {}));
  EXPECT_FALSE(freshnessReminderDue({at(kNow - days{29})}, kNow, {}));
  EXPECT_TRUE(freshnessReminderDue({at(kNow - days{28})}, kNow, {}));
  EXPECT_FALSE(freshnessReminderDue({at(kNow - days{28} - seconds{1})}, kNow, {}));
  EXPECT_FALSE(freshnessReminderDue({}, kNow, {}));
}

TEST(FreshnessReminder, OneAWeekAtMost) {
  const std::vector<Occurrence> occ{at(kNow - days{2})};
  EXPECT_FALSE(freshnessReminderDue(occ, kNow, kNow - days{7} + seconds{1}));
  EXPECT_TRUE(freshnessReminderDue(occ, kNow, kNow - days{7}));
  EXPECT_TRUE(freshnessReminderDue(occ, kNow, kNow - days{7} - seconds{1}));
  EXPECT_FALSE(reminderIntervalPassed(kNow - days{7} + seconds{1}, kNow));
  EXPECT_TRUE(reminderIntervalPassed(std::nullopt, kNow));
}

}  // namespace
}  // namespace sas::domain
