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

// The accounts' export (docs/rules.md#roles-and-access): what people type in names and emails.
TEST(CsvLine, AnAccountsLineKeepsUtf8AndNeutralisesWhatANameCouldStartWith) {
  std::string out;
  appendCsvLine(out, {"N'Diaye-Éléonore", "Zoé", "zoe@sas.test", "Gestionnaire de structure",
                      "Inactif depuis le 04/12/2026", "", "Centre « Ça va » ; annexe"});
  EXPECT_EQ(out,
            "N'Diaye-Éléonore;Zoé;zoe@sas.test;Gestionnaire de structure;Inactif depuis le "
            "04/12/2026;;\"Centre « Ça va » ; annexe\"\r\n");
  out.clear();
  appendCsvLine(out, {"=cmd|' /C calc'!A0", "+Jean", "-Paul", "@moi"});
  EXPECT_EQ(out, "'=cmd|' /C calc'!A0;'+Jean;'-Paul;'@moi\r\n");
}

}  // namespace
}  // namespace sas::http
