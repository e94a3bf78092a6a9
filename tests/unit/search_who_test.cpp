// « Qui » in the regulators' search (docs/rules.md#search): professionals' names in either
// order, prefixes of words, accents and case ignored, specialties with their synonyms, one
// professional at a time, and the label a result shows.
#include "domain/search_who.hpp"

#include <gtest/gtest.h>

#include "domain/search_text.hpp"

namespace sas::domain {
namespace {

const SearchProfessional kLieux{"Claire", "LIEUX", "Médecin", "Médecine générale"};
const SearchProfessional kNoel{"Noël", "BÉRANGER", "Médecin", "Pédiatrie"};
const SearchProfessional kNurse{"Hélène", "Petit", "Infirmier", ""};

std::string cabinet() {
  return placeSearchText("Cabinet du Dr Lieux Cabinet", "", {kLieux});
}

bool finds(const std::string& typed, const std::string& text) {
  return matchesWords(searchWords(typed), text);
}

TEST(SearchWho, NamesMatchInEitherOrderWhateverAccentsAndCase) {
  const auto text =
      placeSearchText("Centre de santé Michel-Ange Centre de santé", "", {kLieux, kNoel});
  EXPECT_TRUE(finds("Claire Lieux", text));
  EXPECT_TRUE(finds("lieux claire", text));
  EXPECT_TRUE(finds("CLAIRE", text));
  EXPECT_TRUE(finds("noel beranger", text));
  EXPECT_TRUE(finds("Béranger Noël", text));
  EXPECT_FALSE(finds("Claire Béranger", text));  // two people's names: nobody is both
  EXPECT_FALSE(finds("Claire Martin", text));
}

TEST(SearchWho, WordsArePrefixesOfWordsNeverInsideThem) {
  const auto text = cabinet();
  EXPECT_TRUE(finds("lieu cla", text));
  EXPECT_TRUE(finds("cla", text));
  EXPECT_TRUE(finds("c", text));
  EXPECT_FALSE(finds("lai", text));   // inside « claire »
  EXPECT_FALSE(finds("ieux", text));  // inside « lieux »
  EXPECT_FALSE(finds("clairette", text));
}

TEST(SearchWho, SpecialtiesMatchWithTheirCommonSynonyms) {
  const auto text = placeSearchText("Centre de santé Michel-Ange", "", {kLieux, kNoel});
  EXPECT_TRUE(finds("médecine générale", text));
  EXPECT_TRUE(finds("généraliste", text));
  EXPECT_TRUE(finds("médecin généraliste", text));
  EXPECT_TRUE(finds("pédiatre", text));
  EXPECT_TRUE(finds("pediatrie", text));
  EXPECT_FALSE(finds("dermatologue", text));
  EXPECT_FALSE(finds("gynécologue", text));
  // Without a specialty that has it, a synonym finds nothing.
  const auto other = placeSearchText("Centre de santé", "", {kNurse});
  EXPECT_FALSE(finds("généraliste", other));
  EXPECT_FALSE(finds("pédiatre", other));
  EXPECT_TRUE(finds("soins infirmiers", other));  // the profession's synonym
  EXPECT_TRUE(finds("infirmier petit", other));
}

TEST(SearchWho, AStructureSpecialtyHasItsSynonymsToo) {
  const auto text = placeSearchText("Centre de santé Marcadet", "Médecine générale, Pédiatrie", {});
  EXPECT_TRUE(finds("généraliste", text));
  EXPECT_TRUE(finds("pédiatre marcadet", text));
  EXPECT_FALSE(finds("gynécologue", text));
  EXPECT_EQ(specialtySynonyms("Médecine générale, Pédiatrie"), "generaliste pediatre");
  EXPECT_EQ(specialtySynonyms("Médecine"), "");  // a part of « médecine générale »: none
  EXPECT_EQ(specialtySynonyms(""), "");
}

// The index keeps this text for every place: a word said again (the structure's name holds its
// type, a specialty its synonym's words) is kept once, and finds the place as before.
TEST(SearchWho, APlacesOwnWordsAreKeptOnce) {
  const auto text = placeSearchText(
      "Cabinet de médecine générale Tarbes n°1 Cabinet de médecine générale Cabinet de médecine "
      "générale",
      "Médecine générale", {kLieux});
  EXPECT_EQ(text.substr(0, text.find(" | ")),
            "cabinet de medecine generale tarbes n 1 generaliste");
  EXPECT_TRUE(finds("cabinet tarbes", text));
  EXPECT_TRUE(finds("médecine générale", text));
  EXPECT_TRUE(finds("généraliste", text));
  EXPECT_TRUE(finds("n°1", text));
  EXPECT_FALSE(finds("pédiatre", text));
  // A word that starts another is not the same word: both stay.
  const auto words = placeSearchText("Centre Cent Centre cent", "", {});
  EXPECT_EQ(words, "centre cent");
}

TEST(SearchWho, APlaceIsMatchedWithOneProfessionalAtATime) {
  const auto text = placeSearchText("Centre de santé Michel-Ange", "", {kLieux, kNoel});
  EXPECT_TRUE(finds("michel ange lieux", text));  // the place's words and his
  EXPECT_TRUE(finds("lieux généraliste", text));
  EXPECT_TRUE(finds("béranger pédiatre", text));
  EXPECT_FALSE(finds("lieux pédiatre", text));  // Dr Lieux is not the paediatrician
  EXPECT_FALSE(finds("béranger généraliste", text));
  EXPECT_TRUE(finds("centre santé", text));
  EXPECT_TRUE(matchesWords({}, text));
}

TEST(SearchWho, TheQueryNamesOnlyTheProfessionalsItMatched) {
  const auto text = placeSearchText("Centre de santé Michel-Ange", "", {kLieux, kNoel});
  EXPECT_TRUE(namesProfessional(searchWords("lieu cla"), text, kLieux));
  EXPECT_FALSE(namesProfessional(searchWords("lieu cla"), text, kNoel));
  EXPECT_TRUE(namesProfessional(searchWords("michel-ange pédiatre"), text, kNoel));
  EXPECT_FALSE(namesProfessional(searchWords("michel-ange pédiatre"), text, kLieux));
  // The place's own words name nobody.
  EXPECT_FALSE(namesProfessional(searchWords("centre de santé"), text, kLieux));
  EXPECT_FALSE(namesProfessional(searchWords("lai"), text, kLieux));
  EXPECT_FALSE(namesProfessional({}, text, kLieux));
}

TEST(SearchWho, ALabelTitlesPhysiciansAndTamesCapitals) {
  EXPECT_EQ(professionalLabel(kLieux), "Dr Claire Lieux — Médecine générale");
  EXPECT_EQ(professionalLabel(kNoel), "Dr Noël Béranger — Pédiatrie");
  EXPECT_EQ(professionalLabel(kNurse), "Hélène Petit — Infirmier");  // no « Dr », profession
  EXPECT_EQ(professionalLabel({"Anne", "DE LA FONTAINE-D'ARC", "", ""}),
            "Anne De La Fontaine-D'Arc");
  EXPECT_EQ(professionalLabel({"Jean", "McLean", "", ""}), "Jean McLean");  // as written
}

}  // namespace
}  // namespace sas::domain
