#include "domain/search_text.hpp"

#include <gtest/gtest.h>

namespace sas::domain {
namespace {

TEST(SearchText, FoldsAccentsCaseAndPunctuation) {
  EXPECT_EQ(foldText("Saint-Étienne"), "saint etienne");
  EXPECT_EQ(foldText("  L'Haÿ-les-Roses "), "l hay les roses");
  EXPECT_EQ(foldText("ŒUVRE Cœur"), "oeuvre coeur");
  EXPECT_EQ(foldText("Centre de santé — Michel-Ange (Paris 16e)"),
            "centre de sante michel ange paris 16e");
  EXPECT_EQ(foldText("Île-de-France"), "ile de france");
  EXPECT_EQ(foldText(""), "");
  EXPECT_EQ(foldText("€€€"), "");
}

TEST(SearchText, InvalidUtf8BecomesASpace) {
  EXPECT_EQ(foldText("ab\xff"
                     "cd"),
            "ab cd");
  EXPECT_EQ(foldText("ab\xc3"), "ab");  // cut short
}

TEST(SearchText, WordsLeaveOutArticles) {
  EXPECT_EQ(searchWords("Centre de santé"), (std::vector<std::string>{"centre", "sante"}));
  EXPECT_EQ(searchWords("Maison de la santé d'Aubervilliers"),
            (std::vector<std::string>{"maison", "sante", "aubervilliers"}));
  EXPECT_TRUE(searchWords("  de la ").empty());
}

TEST(SearchText, FoldedWordsAreEveryWordOfAFoldedText) {
  EXPECT_EQ(foldedWords(foldText("1 rue de la Gare\t38240  Meylan ")),
            (std::vector<std::string>{"1", "rue", "de", "la", "gare", "38240", "meylan"}));
  EXPECT_EQ(foldedWords("saint etienne"), (std::vector<std::string>{"saint", "etienne"}));
  EXPECT_EQ(foldedWords("a"), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(foldedWords("").empty());
}

TEST(SearchText, EveryWordMustStartAWordOfTheText) {
  const std::string text = foldText("Centre de santé Michel-Ange Médecine générale Pédiatrie");
  EXPECT_TRUE(matchesWords(searchWords("pédiatrie"), text));
  EXPECT_TRUE(matchesWords(searchWords("PEDIATRE"), text));  // stem "pediatr"
  EXPECT_TRUE(matchesWords(searchWords("médecine générale"), text));
  EXPECT_TRUE(matchesWords(searchWords("centres de santé"), text));
  EXPECT_TRUE(matchesWords(searchWords("michel"), text));
  EXPECT_FALSE(matchesWords(searchWords("ange michel dermatologie"), text));
  EXPECT_FALSE(matchesWords(searchWords("ichel"), text));  // inside a word: no
  EXPECT_FALSE(matchesWords(searchWords("SOS Médecins"), text));
  EXPECT_TRUE(matchesWords({}, text));
}

}  // namespace
}  // namespace sas::domain
