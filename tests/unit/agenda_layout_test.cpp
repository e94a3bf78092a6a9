// Overlapping availabilities side by side in a day's column (domain/agenda_layout.hpp).
#include "domain/agenda_layout.hpp"

#include <gtest/gtest.h>

namespace sas::domain {
namespace {

constexpr int h(int hour, int minute = 0) {
  return hour * 60 + minute;
}

TEST(AgendaLayout, NothingForAnEmptyDay) {
  const auto layout = layoutDay({});
  EXPECT_TRUE(layout.placements.empty());
  EXPECT_TRUE(layout.folds.empty());
}

TEST(AgendaLayout, OneSpanTakesTheWholeColumn) {
  const auto layout = layoutDay({{h(9), h(10)}});
  ASSERT_EQ(layout.placements.size(), 1u);
  EXPECT_EQ(layout.placements[0].lane, 0);
  EXPECT_EQ(layout.placements[0].lanes, 1);
  EXPECT_EQ(layout.placements[0].folded, -1);
}

TEST(AgendaLayout, SpansThatTouchDoNotOverlap) {
  const auto layout = layoutDay({{h(9), h(10)}, {h(10), h(11)}});
  for (const auto& p : layout.placements) {
    EXPECT_EQ(p.lane, 0);
    EXPECT_EQ(p.lanes, 1);
  }
}

TEST(AgendaLayout, TwoOverlappingSpansSideBySide) {
  const auto layout = layoutDay({{h(9), h(10)}, {h(9, 59), h(11)}, {h(12), h(13)}});
  EXPECT_EQ(layout.placements[0].lane, 0);
  EXPECT_EQ(layout.placements[1].lane, 1);
  EXPECT_EQ(layout.placements[0].lanes, 2);
  EXPECT_EQ(layout.placements[1].lanes, 2);
  // After the cluster, the whole column again.
  EXPECT_EQ(layout.placements[2].lane, 0);
  EXPECT_EQ(layout.placements[2].lanes, 1);
}

TEST(AgendaLayout, AFreedLaneIsTakenAgain) {
  // 09-10 and 09h30-11 overlap; 10h-10h30 goes back into the first lane, freed at 10h.
  const auto layout = layoutDay({{h(9), h(10)}, {h(9, 30), h(11)}, {h(10), h(10, 30)}});
  EXPECT_EQ(layout.placements[2].lane, 0);
  for (const auto& p : layout.placements) EXPECT_EQ(p.lanes, 2);
}

TEST(AgendaLayout, FourOverlappingSpansInFourLanes) {
  const auto layout =
      layoutDay({{h(9), h(12)}, {h(9), h(10)}, {h(9, 15), h(11)}, {h(9, 30), h(10, 30)}});
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(layout.placements[i].lane, i);
    EXPECT_EQ(layout.placements[i].lanes, 4);
    EXPECT_EQ(layout.placements[i].folded, -1);
  }
  EXPECT_TRUE(layout.folds.empty());
}

TEST(AgendaLayout, AFifthOverlappingSpanIsFoldedWithTheFourthInTheLastLane) {
  const auto layout = layoutDay({{h(9), h(12)},
                                 {h(9), h(10)},
                                 {h(9, 15), h(11)},
                                 {h(9, 30), h(10, 30)},
                                 {h(9, 45), h(10, 45)},
                                 {h(14), h(15)}});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(layout.placements[i].lane, i);
    EXPECT_EQ(layout.placements[i].lanes, 4);
    EXPECT_EQ(layout.placements[i].folded, -1);
  }
  ASSERT_EQ(layout.folds.size(), 1u);
  EXPECT_EQ(layout.folds[0].start, h(9, 30));
  EXPECT_EQ(layout.folds[0].end, h(10, 45));
  EXPECT_EQ(layout.folds[0].spans, (std::vector<std::size_t>{3, 4}));
  for (int i : {3, 4}) {
    EXPECT_EQ(layout.placements[i].lane, 3);
    EXPECT_EQ(layout.placements[i].lanes, 4);
    EXPECT_EQ(layout.placements[i].folded, 0);
  }
  EXPECT_EQ(layout.placements[5].lanes, 1);
  EXPECT_EQ(layout.placements[5].folded, -1);
}

TEST(AgendaLayout, OnlyTheSpansOverlappingInTheLastLaneAreFolded) {
  // Five at once around 9h, then a lone span in the last lane later in the same cluster: it
  // stays drawn on its own.
  const auto layout = layoutDay(
      {{h(9), h(18)}, {h(9), h(18)}, {h(9), h(18)}, {h(9), h(10)}, {h(9), h(10)}, {h(15), h(16)}});
  ASSERT_EQ(layout.folds.size(), 1u);
  EXPECT_EQ(layout.folds[0].spans, (std::vector<std::size_t>{3, 4}));
  EXPECT_EQ(layout.folds[0].end, h(10));
  EXPECT_EQ(layout.placements[5].lane, 3);
  EXPECT_EQ(layout.placements[5].lanes, 4);
  EXPECT_EQ(layout.placements[5].folded, -1);
}

}  // namespace
}  // namespace sas::domain
