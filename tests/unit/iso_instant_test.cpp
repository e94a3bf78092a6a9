// The instants the orientation API reads (docs/api.md): ISO 8601 with an offset or Z.
#include <gtest/gtest.h>

#include "http/api/orientation_api.hpp"

namespace sas::http {
namespace {

domain::Instant utc(int y, unsigned m, unsigned d, int h, int mi, int s = 0) {
  return domain::Instant{date::sys_days{date::year{y} / m / d}} + std::chrono::hours{h} +
         std::chrono::minutes{mi} + std::chrono::seconds{s};
}

TEST(IsoInstant, OffsetsAndZuluGiveTheSameInstant) {
  const auto t = utc(2026, 3, 5, 13, 0);
  EXPECT_EQ(parseIsoInstant("2026-03-05T14:00:00+01:00"), t);
  EXPECT_EQ(parseIsoInstant("2026-03-05T14:00+0100"), t);
  EXPECT_EQ(parseIsoInstant("2026-03-05T13:00:00Z"), t);
  EXPECT_EQ(parseIsoInstant("2026-03-05T13:00Z"), t);
  EXPECT_EQ(parseIsoInstant("2026-03-05T09:00:00-04:00"), t);
  EXPECT_EQ(parseIsoInstant("2026-03-05T00:30:15+04:00"), utc(2026, 3, 4, 20, 30, 15));
}

TEST(IsoInstant, AnythingElseIsRefused) {
  for (const char* bad :
       {"", "2026-03-05", "2026-03-05T14:00:00", "2026-03-05 14:00:00Z", "2026-02-30T14:00:00Z",
        "2026-03-05T24:00:00Z", "2026-03-05T14:60Z", "2026-03-05T14:00:00+1:00",
        "2026-03-05T14:00:00Z ", "2026-3-5T14:00:00Z", "2026-03-05T14:00:00+01:00:00"})
    EXPECT_FALSE(parseIsoInstant(bad)) << bad;
}

}  // namespace
}  // namespace sas::http
