// A place's availabilities packed into one digest (storage/agenda_digest.hpp) read back as their
// rows give them, and refused whenever it cannot stand for them.
#include "storage/agenda_digest.hpp"
#include "support/days.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace sas::storage {
namespace {

using domain::AvailabilityKind;
using domain::Day;

using test::ymd;

domain::Availability series(std::int64_t id, Day first, std::optional<Day> last, bool weekly,
                            AvailabilityKind kind, int capacity, std::uint8_t types) {
  domain::Availability a;
  a.id = id;
  a.placeId = 77;
  a.weekly = weekly;
  a.base = {first, 8 * 60 + 15, 23 * 60 + 59, kind, capacity, domain::ConsultationTypes{types}};
  a.lastDate = last;
  return a;
}

struct Written {
  domain::Availability availability;
  std::optional<Day> spanEnd;
};

std::string digestOf(Day floor, const std::vector<Written>& all) {
  DigestWriter w(floor);
  for (const auto& s : all) w.add(s.availability, s.spanEnd);
  return std::move(w).finish();
}

const Day kFloor = ymd(2026, 3, 4);

// Ids far apart, dates before and after 1970, with and without an end, both kinds, the largest
// capacity, every type.
const std::vector<Written> kAll = {
    {series(3, ymd(2026, 3, 2), ymd(2026, 6, 29), true, AvailabilityKind::Slot, 1, 1),
     ymd(2026, 6, 29)},
    {series(4, ymd(1969, 12, 31), std::nullopt, true, AvailabilityKind::Range, 999, 7),
     std::nullopt},
    {series(9'000'000'000LL, ymd(2026, 3, 4), std::nullopt, false, AvailabilityKind::Range, 12, 2),
     ymd(2026, 3, 5)},
};

TEST(AgendaDigest, GivesBackTheSeriesItWasGivenInTheirOrder) {
  std::vector<domain::Availability> read;
  ASSERT_TRUE(readDigest(digestOf(kFloor, kAll), 77, kFloor, read));
  ASSERT_EQ(read.size(), kAll.size());
  for (std::size_t i = 0; i < kAll.size(); ++i) EXPECT_EQ(read[i], kAll[i].availability) << i;
}

TEST(AgendaDigest, NamesThePlaceItIsReadFor) {
  std::vector<domain::Availability> read;
  ASSERT_TRUE(readDigest(digestOf(kFloor, kAll), 5, kFloor, read));
  for (const auto& a : read) EXPECT_EQ(a.placeId, 5);
}

TEST(AgendaDigest, AnEmptyAgendaIsADigestOfNoSeries) {
  std::vector<domain::Availability> read;
  EXPECT_TRUE(readDigest(digestOf(kFloor, {}), 77, kFloor, read));
  EXPECT_TRUE(read.empty());
}

// As the SQL does (span_end IS NULL OR span_end >= from): a series whose span ends the day
// before the build's first day is left out, one ending on it is read.
TEST(AgendaDigest, LeavesOutTheSeriesOverBeforeTheBuildsFirstDay) {
  const auto digest = digestOf(kFloor, kAll);
  std::vector<domain::Availability> read;
  ASSERT_TRUE(readDigest(digest, 77, ymd(2026, 3, 5), read));
  ASSERT_EQ(read.size(), 3u);
  read.clear();
  ASSERT_TRUE(readDigest(digest, 77, ymd(2026, 3, 6), read));
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].id, 3);
  EXPECT_EQ(read[1].id, 4);
  read.clear();
  ASSERT_TRUE(readDigest(digest, 77, ymd(2026, 6, 30), read));
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].id, 4);
}

// Written for builds from its floor on: an earlier build may want series over by then.
TEST(AgendaDigest, ServesNoBuildBeforeItsFloor) {
  const auto digest = digestOf(kFloor, kAll);
  std::vector<domain::Availability> read;
  EXPECT_FALSE(readDigest(digest, 77, kFloor - date::days{1}, read));
  EXPECT_TRUE(read.empty());
  EXPECT_TRUE(readDigest(digest, 77, kFloor, read));
}

// Cut anywhere, a byte more, another version: refused, and what was read before is kept.
TEST(AgendaDigest, RefusesADamagedDigestAndLeavesTheOutputAsItWas) {
  const auto digest = digestOf(kFloor, kAll);
  std::vector<domain::Availability> read = {kAll[0].availability};
  for (std::size_t cut = 0; cut < digest.size(); ++cut) {
    EXPECT_FALSE(readDigest(digest.substr(0, cut), 77, kFloor, read)) << cut;
    EXPECT_EQ(read.size(), 1u) << cut;
  }
  EXPECT_FALSE(readDigest(digest + '\0', 77, kFloor, read));
  auto other = digest;
  other[0] = 2;
  EXPECT_FALSE(readDigest(other, 77, kFloor, read));
  EXPECT_EQ(read.size(), 1u);
}

}  // namespace
}  // namespace sas::storage
