#include "domain/text.hpp"

#include <gtest/gtest.h>

namespace sas::domain {
namespace {

TEST(Trim, DropsWhitespaceAtBothEndsOnly) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim("a"), "a");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\r\n "), "");
}

TEST(Trim, KeepsLineEndsWhenOnlyBlanksAreAsked) {
  EXPECT_EQ(trim(" a\r\n", kBlanks), "a\r\n");
  EXPECT_EQ(trim("\ta ", kBlanks), "a");
}

TEST(Trim, TakesTheCharactersToDrop) {
  EXPECT_EQ(trim(" \"75016\" ", " \""), "75016");
  EXPECT_EQ(trimmed("\"\"", "\""), "");
}

TEST(Trim, ReturnsAViewIntoTheText) {
  const std::string_view text = "  mot  ";
  const auto t = trim(text);
  EXPECT_EQ(t.data(), text.data() + 2);
  EXPECT_EQ(t.size(), 3u);
}

TEST(JoinWords, SkipsBlankPartsAndTrimsTheOthers) {
  EXPECT_EQ(joinWords({"12", "", " bis ", "rue", "  ", "de la Paix"}), "12 bis rue de la Paix");
  EXPECT_EQ(joinWords({"", " "}), "");
  EXPECT_EQ(joinWords({}), "");
}

TEST(SplitFields, KeepsEmptyFieldsAndDropsCarriageReturns) {
  EXPECT_EQ(splitFields("a;;b\r", ';'), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(splitFields("", '|'), (std::vector<std::string>{""}));
  EXPECT_EQ(splitFields("a|b;c|", '|'), (std::vector<std::string>{"a", "b;c", ""}));
}

TEST(ParseWholeNumber, ReadsDigitsWithBlanksAround) {
  EXPECT_EQ(parseWholeNumber(" 42\t"), 42);
  EXPECT_EQ(parseWholeNumber("0"), 0);
  EXPECT_EQ(parseWholeNumber("2147483647"), 2147483647);
}

TEST(ParseWholeNumber, RefusesAnythingElse) {
  EXPECT_EQ(parseWholeNumber(""), std::nullopt);
  EXPECT_EQ(parseWholeNumber("  "), std::nullopt);
  EXPECT_EQ(parseWholeNumber("-1"), std::nullopt);
  EXPECT_EQ(parseWholeNumber("+1"), std::nullopt);
  EXPECT_EQ(parseWholeNumber("1.5"), std::nullopt);
  EXPECT_EQ(parseWholeNumber("1 2"), std::nullopt);
  EXPECT_EQ(parseWholeNumber("2147483648"), std::nullopt);  // one past int
  EXPECT_EQ(parseWholeNumber("12\n"), std::nullopt);        // a line end is not a blank
}

}  // namespace
}  // namespace sas::domain
