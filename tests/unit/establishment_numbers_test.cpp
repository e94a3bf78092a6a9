// SIRET and FINESS numbers of practice places, from the directory and from Pro Santé Connect.
#include "domain/establishment_numbers.hpp"

#include <gtest/gtest.h>

namespace sas::domain {
namespace {

TEST(EstablishmentNumbers, SiretKeepsItsFourteenDigits) {
  EXPECT_EQ(cleanSiret("12345678900011"), "12345678900011");
  EXPECT_EQ(cleanSiret("123 456 789 00011"), "12345678900011");
  EXPECT_EQ(cleanSiret(" 123.456.789-00011\r"), "12345678900011");
  EXPECT_EQ(cleanSiret("'12345678900011"), "12345678900011");  // a spreadsheet's text mark
}

TEST(EstablishmentNumbers, SiretOfAnotherLengthOrWithLettersIsNone) {
  EXPECT_EQ(cleanSiret(""), "");
  EXPECT_EQ(cleanSiret("123456789"), "");        // a SIREN alone
  EXPECT_EQ(cleanSiret("123456789000111"), "");  // 15 digits
  EXPECT_EQ(cleanSiret("1234567890001A"), "");
}

TEST(EstablishmentNumbers, FinessKeepsNineCharactersWithCorsica) {
  EXPECT_EQ(cleanFiness("750001234"), "750001234");
  EXPECT_EQ(cleanFiness("75 000 123 4"), "750001234");
  EXPECT_EQ(cleanFiness("2A0000123"), "2A0000123");
  EXPECT_EQ(cleanFiness("2b0000123"), "2B0000123");
  EXPECT_EQ(cleanFiness("970123456"), "970123456");
}

TEST(EstablishmentNumbers, FinessOfAnotherFormIsNone) {
  EXPECT_EQ(cleanFiness(""), "");
  EXPECT_EQ(cleanFiness("75000123"), "");        // 8 characters
  EXPECT_EQ(cleanFiness("3A0000123"), "");       // A or B only after 2 (Corsica)
  EXPECT_EQ(cleanFiness("2A000012B"), "");       // letters only in the département
  EXPECT_EQ(cleanFiness("12345678900011"), "");  // a SIRET
}

TEST(Rpps, IsTheNationalIdentifierWithoutItsLeading8) {
  EXPECT_EQ(rppsOf("810001234567"), "10001234567");
  EXPECT_EQ(rppsOf("81000123456"), "");    // 10 digits after the 8
  EXPECT_EQ(rppsOf("8100012345678"), "");  // 12 after it
  EXPECT_EQ(rppsOf("010001234567"), "");   // an ADELI number
  EXPECT_EQ(rppsOf("81000123456A"), "");
  EXPECT_EQ(rppsOf(""), "");
}

TEST(RppsRang, IsTheFormerIdentifierOfTypeFour) {
  EXPECT_EQ(rppsRangOf("410100000328372"), "10100000328372");
  EXPECT_EQ(rppsRangOf("4100012345671"), "100012345671");  // the RPPS and a 1-digit rang
  // Bounds: a rang follows the 11-digit RPPS (the RPPS alone is not one); 20 digits at most.
  EXPECT_EQ(rppsRangOf("410001234567"), "");
  EXPECT_EQ(rppsRangOf("412345678901234567890"), "12345678901234567890");
  EXPECT_EQ(rppsRangOf("4123456789012345678901"), "");
  EXPECT_EQ(rppsRangOf("349940088500020"), "");  // a SIRET
  EXPECT_EQ(rppsRangOf("075912415900"), "");     // an ADELI practice
  EXPECT_EQ(rppsRangOf("41010000032837A"), "");
  EXPECT_EQ(rppsRangOf("R10100000328372"), "");  // the directory's technical key
  EXPECT_EQ(rppsRangOf(""), "");
}

}  // namespace
}  // namespace sas::domain
