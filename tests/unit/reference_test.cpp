#include "domain/reference.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace sas::domain {
namespace {

TEST(ReadableCode, HasOneCharacterPerByte) {
  EXPECT_EQ(readableCode(""), "");
  EXPECT_EQ(readableCode(std::string(1, '\0')).size(), 1u);
  EXPECT_EQ(readableCode(std::string(8, '\x7f')).size(), 8u);
  EXPECT_EQ(readableCode(std::string(10, 'a')).size(), 10u);
}

TEST(ReadableCode, UsesOnlyTheAlphabetWithoutLookAlikes) {
  std::string every;
  for (int b = 0; b < 256; ++b) every.push_back(static_cast<char>(b));
  const std::string code = readableCode(every);
  ASSERT_EQ(code.size(), 256u);
  for (const char c : code) EXPECT_NE(kReadableAlphabet.find(c), std::string_view::npos) << c;
  for (const char lookAlike : std::string("0O1Il"))
    EXPECT_EQ(code.find(lookAlike), std::string::npos);
  // Every character is reached, and equally often (256 bytes, 32 characters: 8 each).
  for (const char c : kReadableAlphabet) EXPECT_EQ(std::count(code.begin(), code.end(), c), 8) << c;
}

TEST(ReadableCode, IsTheSameForTheSameBytes) {
  const std::string bytes("\x00\x01\x1f\x20\xff\x80", 6);
  EXPECT_EQ(readableCode(bytes), readableCode(bytes));
  // First and last characters of the alphabet, at both ends of a byte's range.
  EXPECT_EQ(readableCode(bytes), "AB9A9A");
  EXPECT_NE(readableCode(bytes), readableCode(std::string("\x02\x01\x1f\x20\xff\x80", 6)));
}

}  // namespace
}  // namespace sas::domain
