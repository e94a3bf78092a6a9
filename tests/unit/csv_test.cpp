// The CSV of the orientation figures: quoting (RFC 4180 with « ; ») and CSV injection.
#include <gtest/gtest.h>

#include "http/pages/csv.hpp"

namespace sas::http {
namespace {

std::string cell(std::string_view text) {
  std::string out;
  appendCsvCell(out, text);
  return out;
}

TEST(CsvCell, PlainTextIsWrittenAsItIs) {
  EXPECT_EQ(cell(""), "");
  EXPECT_EQ(cell("Centre de santé Michel-Ange"), "Centre de santé Michel-Ange");
  EXPECT_EQ(cell("14h00 - 16h00"), "14h00 - 16h00");  // a dash inside is no formula
  EXPECT_EQ(cell("a,b"), "a,b");                      // the separator is « ; », not « , »
  EXPECT_EQ(cell("l'ARS"), "l'ARS");
}

TEST(CsvCell, SeparatorsQuotesAndLineEndsAreQuoted) {
  EXPECT_EQ(cell("a;b"), "\"a;b\"");
  EXPECT_EQ(cell("dit \"oui\""), "\"dit \"\"oui\"\"\"");
  EXPECT_EQ(cell("\""), "\"\"\"\"");
  EXPECT_EQ(cell("deux\nlignes"), "\"deux\nlignes\"");
  EXPECT_EQ(cell("retour\r"), "\"retour\r\"");
}

TEST(CsvCell, FormulasAreNeutralised) {
  EXPECT_EQ(cell("=1+1"), "'=1+1");
  EXPECT_EQ(cell("+33 1 00"), "'+33 1 00");
  EXPECT_EQ(cell("-2"), "'-2");
  EXPECT_EQ(cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(cell("\tx"), "'\tx");
  EXPECT_EQ(cell("\rx"), "\"'\rx\"");
  EXPECT_EQ(cell("=HYPERLINK(\"http://x\";\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"");
  // Only the first character counts.
  EXPECT_EQ(cell("a=b"), "a=b");
  EXPECT_EQ(cell(" =b"), " =b");
}

TEST(CsvLine, CellsAreJoinedBySemicolonsAndEndWithCrLf) {
  std::string out;
  appendCsvLine(out, {"a", "", "b;c", "=d"});
  EXPECT_EQ(out, "a;;\"b;c\";'=d\r\n");
  appendCsvLine(out, {});
  EXPECT_EQ(out, "a;;\"b;c\";'=d\r\n\r\n");
}

}  // namespace
}  // namespace sas::http
