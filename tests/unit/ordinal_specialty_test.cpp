#include "domain/ordinal_specialty.hpp"

#include <gtest/gtest.h>

namespace sas::domain {
namespace {

std::string codeOf(std::string_view label, std::string_view profession = {}) {
  auto s = ordinalSpecialty(label, profession);
  return s ? std::string(s->code) : "none";
}

TEST(OrdinalSpecialty, TheDirectorysLabelsAsItWritesThem) {
  EXPECT_EQ(codeOf("Médecine Générale"), "SM54");
  EXPECT_EQ(codeOf("Médecine générale"), "SM54");
  EXPECT_EQ(codeOf("MEDECINE GENERALE"), "SM54");
  EXPECT_EQ(codeOf("Qualifié en Médecine Générale"), "SM26");
  EXPECT_EQ(codeOf("Spécialiste en Médecine Générale"), "SM53");
  EXPECT_EQ(codeOf("Pédiatrie"), "SM40");
  EXPECT_EQ(codeOf("Santé publique et médecine sociale"), "SM49");
  EXPECT_EQ(codeOf("Gynécologie-obstétrique"), "SM20");
  EXPECT_EQ(codeOf("Gynécologie obstétrique"), "SM20");  // punctuation ignored
  EXPECT_EQ(codeOf("Médecine d'urgence"), "SM59");
  EXPECT_EQ(codeOf("ORL et chirurgie cervico-faciale"), "SM34");
  EXPECT_EQ(codeOf("Pédiatrie (SM)"), "SM40");  // the nomenclature's own display
  EXPECT_EQ(codeOf("  Psychiatrie  "), "SM42");
}

TEST(OrdinalSpecialty, TheDisplayIsTheNomenclaturesLabel) {
  auto s = ordinalSpecialty("MEDECINE GENERALE");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->display, "Médecine générale");
}

TEST(OrdinalSpecialty, NoneForWhatIsNotAnOrdinalSpecialty) {
  EXPECT_EQ(codeOf(""), "none");
  EXPECT_EQ(codeOf("Médecin"), "none");   // a profession
  EXPECT_EQ(codeOf("Pédiatre"), "none");  // a search synonym, not a label
  EXPECT_EQ(codeOf("Médecine générale bis"), "none");
  EXPECT_EQ(codeOf("(SM)"), "none");
  EXPECT_EQ(codeOf("Infirmier"), "none");
}

TEST(OrdinalSpecialty, AnAmbiguousLabelFollowsTheProfession) {
  EXPECT_EQ(codeOf("Chirurgie orale"), "SM56");
  EXPECT_EQ(codeOf("Chirurgie orale", "Médecin"), "SM56");
  EXPECT_EQ(codeOf("Chirurgie orale", "Chirurgien-Dentiste"), "SCD02");
  EXPECT_EQ(codeOf("Orthopédie dento-faciale"), "SCD01");  // only a dental one
  EXPECT_EQ(codeOf("Pédiatrie", "Chirurgien-Dentiste"), "SM40");
}

}  // namespace
}  // namespace sas::domain
