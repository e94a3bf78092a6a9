// A result's availabilities by the place's own day (http/api/search_model), and the text of a
// plage under way (docs/rules.md#search).
#include <gtest/gtest.h>

#include "http/api/search_model.hpp"
#include "support/days.hpp"

namespace sas::http {
namespace {

using domain::Day;
using domain::Instant;

const date::time_zone& paris() {
  return *domain::findZone("Europe/Paris");
}

using test::ymd;

Instant at(Day day, int hour, int minute = 0) {
  return domain::localToInstant(paris(), day, hour * 60 + minute);
}

domain::SearchSlot plage(Instant start, Instant end) {
  return {start, end, domain::AvailabilityKind::Range, 3, 0, domain::ConsultationTypes{1}};
}

// Wednesday 4 March 2026 at 00h30: the plage of Tuesday 22h00–02h00 is under way, one of today's.
TEST(SearchDays, APlageUnderWaySinceTheEveningBeforeIsOneOfToday) {
  const auto wednesday = ymd(2026, 3, 4);
  domain::SearchHit hit;
  hit.zone = &paris();
  hit.slots = {plage(at(ymd(2026, 3, 3), 22), at(wednesday, 2)),
               plage(at(wednesday, 9), at(wednesday, 12)),
               plage(at(ymd(2026, 3, 5), 9), at(ymd(2026, 3, 5), 12))};
  const auto days = slotsByDay(hit, at(wednesday, 0, 30));
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[0].day, wednesday);
  ASSERT_EQ(days[0].slots.size(), 2u);
  EXPECT_EQ(days[0].slots[0].start, at(ymd(2026, 3, 3), 22));
  ASSERT_EQ(days[1].slots.size(), 1u);
  EXPECT_TRUE(days[2].slots.empty());
}

TEST(SearchDays, APlageUnderWaySaysUntilItsEndInThePlacesTime) {
  EXPECT_EQ(untilText(paris(), at(ymd(2026, 3, 4), 12)), "en cours, jusqu'à 12h00");
  // 12h00 in Paris is 15h00 in La Réunion (UTC+4, Paris UTC+1 in March).
  EXPECT_EQ(untilText(*domain::findZone("Indian/Reunion"), at(ymd(2026, 3, 4), 12)),
            "en cours, jusqu'à 15h00");
}

}  // namespace
}  // namespace sas::http
