#include "http/api/search_model.hpp"

#include <gtest/gtest.h>

namespace sas::http {
namespace {

// « plus de 1 000 résultats »: groups of three digits, a narrow no-break space between them.
TEST(FormatCount, GroupsDigitsByThreeWithANarrowNoBreakSpace) {
  EXPECT_EQ(formatCount(0), "0");
  EXPECT_EQ(formatCount(999), "999");
  EXPECT_EQ(formatCount(1000), "1\u202F000");
  EXPECT_EQ(formatCount(12345), "12\u202F345");
  EXPECT_EQ(formatCount(1000000), "1\u202F000\u202F000");
}

}  // namespace
}  // namespace sas::http
