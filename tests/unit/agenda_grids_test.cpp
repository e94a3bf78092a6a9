// The agenda's kept week grids (http/pages/agenda_view.hpp): a grid is served again only while
// it is the same as one written now would be.
#include <gtest/gtest.h>

#include "domain/calendar.hpp"
#include "http/pages/agenda_view.hpp"
#include "support/days.hpp"

namespace sas::http {
namespace {

using domain::Day;
using domain::Instant;
using std::chrono::hours;
using std::chrono::seconds;

using test::ymd;

class AgendaGridsTest : public ::testing::Test {
 protected:
  AgendaGridsTest() {
    week_.context.place.id = 3;
    week_.context.zone = domain::findZone("Europe/Paris");
    week_.monday = ymd(2026, 3, 2);
    week_.today = ymd(2026, 3, 4);
    auto content = std::make_shared<app::WeekContent>();
    domain::Occurrence o;
    o.availabilityId = 1;
    o.originalDate = week_.today;
    o.values.date = week_.today;
    o.values.startMinute = 14 * 60;
    o.values.endMinute = 15 * 60;
    o.start = start_;
    o.end = start_ + hours{1};
    content->occurrences.push_back(o);
    week_.content = content;
    week_.now = start_ - hours{1};
  }

  std::string content(AgendaGrids& grids) {
    const AgendaPage page{week_};
    std::string out;
    writeAgendaContent(out, page, *agendaGrid(page, &grids));
    return out;
  }

  const Instant start_ = date::sys_days{ymd(2026, 3, 4)} + hours{13};  // 14h00 in Paris
  app::WeekView week_;
};

TEST_F(AgendaGridsTest, AGridIsKeptUntilAnOccurrenceStarts) {
  AgendaGrids grids;
  const auto before = content(grids);
  EXPECT_EQ(before.find("agenda-occ--past"), std::string::npos);
  const auto kept = grids.find(week_);
  ASSERT_NE(kept, nullptr);

  week_.now = start_;  // not yet past at its start
  EXPECT_EQ(grids.find(week_), kept);
  EXPECT_EQ(content(grids), before);

  week_.now = start_ + seconds{1};
  EXPECT_EQ(grids.find(week_), nullptr);
  EXPECT_NE(content(grids).find("agenda-occ--past"), std::string::npos);
}

TEST_F(AgendaGridsTest, AnotherWeekContentOrDayIsWrittenAgain) {
  AgendaGrids grids;
  content(grids);
  ASSERT_NE(grids.find(week_), nullptr);

  auto other = week_;
  other.content = std::make_shared<app::WeekContent>(*week_.content);  // read again after a change
  EXPECT_EQ(grids.find(other), nullptr);

  other = week_;
  other.today = ymd(2026, 3, 5);
  EXPECT_EQ(grids.find(other), nullptr);

  other = week_;
  other.now = week_.now - seconds{1};  // a clock set back: nothing known about that instant
  EXPECT_EQ(grids.find(other), nullptr);

  other = week_;
  other.context.place.id = 4;
  EXPECT_EQ(grids.find(other), nullptr);
}

}  // namespace
}  // namespace sas::http
