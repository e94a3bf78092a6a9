#include "domain/password_policy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace sas::domain {
namespace {

using Rules = std::vector<PasswordRule>;

const char* const kEmail = "marie.curie@sante.fr";

Rules failures(std::string_view password, std::string_view email = kEmail) {
  return passwordFailures(password, email);
}

std::string repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

TEST(PasswordPolicy, AcceptableOne) {
  EXPECT_EQ(failures("Abcdefghij1!"), Rules{});
  EXPECT_EQ(failures("Correct horse 9 battery"), Rules{});
}

TEST(PasswordPolicy, TwelveCharactersAtLeast) {
  EXPECT_EQ(failures("Abcdefghi1!"), Rules{PasswordRule::MinLength});  // 11
  EXPECT_EQ(failures("Abcdefghij1!"), Rules{});                        // 12
}

TEST(PasswordPolicy, LengthCountsCodePointsNotBytes) {
  // « é » is 2 bytes: 11 characters in 18 bytes, then 12 in 20.
  EXPECT_EQ(failures("A1!" + repeat("é", 8)), Rules{PasswordRule::MinLength});
  EXPECT_EQ(failures("A1!" + repeat("é", 9)), Rules{});
  // A 4-byte character is one character.
  EXPECT_EQ(failures("Abcdefghi1!\xF0\x9F\x98\x80"), Rules{});
}

TEST(PasswordPolicy, At128CharactersAtMost) {
  const std::string base = "Aa1!";
  EXPECT_EQ(failures(base + repeat("x", 124)), Rules{});                         // 128
  EXPECT_EQ(failures(base + repeat("x", 125)), Rules{PasswordRule::MaxLength});  // 129
  EXPECT_EQ(failures(base + repeat("é", 124)), Rules{});  // 128 characters, 252 bytes
  EXPECT_EQ(failures(base + repeat("é", 125)), Rules{PasswordRule::MaxLength});
}

TEST(PasswordPolicy, UpperAndLowerCase) {
  EXPECT_EQ(failures("ABCDEFGHIJ1!"), Rules{PasswordRule::UpperAndLower});
  EXPECT_EQ(failures("abcdefghij1!"), Rules{PasswordRule::UpperAndLower});
  EXPECT_EQ(failures("123456789012!"), Rules{PasswordRule::UpperAndLower});
}

TEST(PasswordPolicy, AccentedLettersCountInTheirCase) {
  EXPECT_EQ(failures("Éléphant-rose1"), Rules{});  // É upper
  EXPECT_EQ(failures("éLÉPHANT-ROSE1"), Rules{});  // é lower
  EXPECT_EQ(failures("ÉÈÀÇÔÙ-123456"), Rules{PasswordRule::UpperAndLower});
  EXPECT_EQ(failures("éèàçôù-123456"), Rules{PasswordRule::UpperAndLower});
  EXPECT_EQ(failures("Ééééééééé-12"), Rules{});
  EXPECT_EQ(failures("ŒUVRE-123456ß"), Rules{});  // Latin Extended-A upper, ß lower
  EXPECT_EQ(failures("œuvre-123456Ÿ"), Rules{});  // Ÿ is in Extended-A, ÿ in Latin-1
  EXPECT_EQ(failures("ŁÓDŹ-123456ż"), Rules{});
  EXPECT_EQ(failures("łódź-123456Ż"), Rules{});
  // × and ÷ are not letters.
  EXPECT_EQ(failures("abc×÷-123456"), Rules{PasswordRule::UpperAndLower});
}

TEST(PasswordPolicy, CaseOfEachLetterPair) {
  // Each pair alone decides the rule: its upper-case letter and its lower-case one.
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"À", "à"}, {"É", "é"}, {"Þ", "þ"}, {"Ā", "ā"}, {"İ", "ı"}, {"Ĳ", "ĳ"},
      {"Ĺ", "ĺ"}, {"Ł", "ł"}, {"Ň", "ň"}, {"Ŋ", "ŋ"}, {"Œ", "œ"}, {"Ŷ", "ŷ"},
      {"Ÿ", "ÿ"}, {"Ź", "ź"}, {"Ž", "ž"}, {"Ω", "ω"}, {"Ж", "ж"}, {"Ё", "ё"}};
  for (const auto& [upper, lower] : pairs) {
    EXPECT_EQ(failures(upper + "-1234567890" + lower), Rules{}) << upper << lower;
    EXPECT_EQ(failures(upper + "-1234567890" + upper), Rules{PasswordRule::UpperAndLower}) << upper;
    EXPECT_EQ(failures(lower + "-1234567890" + lower), Rules{PasswordRule::UpperAndLower}) << lower;
  }
  for (const char* lowerOnly : {"ß", "ĸ", "ŉ", "ſ"}) {
    EXPECT_EQ(failures(std::string{"A-1234567890"} + lowerOnly), Rules{}) << lowerOnly;
    EXPECT_EQ(failures(std::string{"1-1234567890"} + lowerOnly), Rules{PasswordRule::UpperAndLower})
        << lowerOnly;
  }
}

TEST(PasswordPolicy, AtLeastOneDigit) {
  EXPECT_EQ(failures("Abcdefghijk!"), Rules{PasswordRule::Digit});
  EXPECT_EQ(failures("Abcdefghijk!0"), Rules{});
  EXPECT_EQ(failures("Abcdefghijk!9"), Rules{});
}

TEST(PasswordPolicy, EverySpecialCharacterCounts) {
  const std::string specials = "!@#$%^&*()_+=-~`{}\"?:><,./;'\\[]| ";
  for (char c : specials) {
    EXPECT_EQ(failures(std::string{"Abcdefghijk1"} + c), Rules{}) << c;
  }
  EXPECT_EQ(failures("Abcdefghijk1"), Rules{PasswordRule::Special});
  EXPECT_EQ(failures("Abcdefghijk1€"), Rules{PasswordRule::Special});
  EXPECT_EQ(failures("Abcdefghijk1é"), Rules{PasswordRule::Special});
}

TEST(PasswordPolicy, EmailLocalPartIgnoringCase) {
  EXPECT_EQ(failures("xX-marie.curie-1", "marie.curie@sante.fr"),
            Rules{PasswordRule::ContainsEmail});
  EXPECT_EQ(failures("xX-MARIE.CURIE-1", "marie.curie@sante.fr"),
            Rules{PasswordRule::ContainsEmail});
  EXPECT_EQ(failures("xX-marie.curi-1", "marie.curie@sante.fr"), Rules{});
  // The domain does not count.
  EXPECT_EQ(failures("xX-sante.fr-123", "marie.curie@sante.fr"), Rules{});
}

TEST(PasswordPolicy, LocalPartOfFourCharactersCountsThreeDoesNot) {
  EXPECT_EQ(failures("Zabcd-123456", "abcd@x.fr"), Rules{PasswordRule::ContainsEmail});
  EXPECT_EQ(failures("zABCD-123456", "abcd@x.fr"), Rules{PasswordRule::ContainsEmail});
  EXPECT_EQ(failures("Zabc-1234567", "abc@x.fr"), Rules{});
  EXPECT_EQ(failures("Zabc-1234567", ""), Rules{});
}

TEST(PasswordPolicy, EmailComparisonFoldsAccentedCase) {
  EXPECT_EQ(failures("Mon-ÉLODIE-2024", "élodie@x.fr"), Rules{PasswordRule::ContainsEmail});
}

TEST(PasswordPolicy, EmailComparisonFoldsDottedCapitalI) {
  EXPECT_EQ(failures("Mot-İLONA-2024", "ilona@x.fr"), Rules{PasswordRule::ContainsEmail});
  EXPECT_EQ(failures("Mot-ŸVES-2024", "ÿves@x.fr"), Rules{PasswordRule::ContainsEmail});
}

TEST(PasswordPolicy, EveryFailureInOrder) {
  EXPECT_EQ(failures("abc"), (Rules{PasswordRule::MinLength, PasswordRule::UpperAndLower,
                                    PasswordRule::Digit, PasswordRule::Special}));
  EXPECT_EQ(failures("marie", "marie@x.fr"),
            (Rules{PasswordRule::MinLength, PasswordRule::UpperAndLower, PasswordRule::Digit,
                   PasswordRule::Special, PasswordRule::ContainsEmail}));
  EXPECT_EQ(failures(repeat("a", 129)), (Rules{PasswordRule::MaxLength, PasswordRule::UpperAndLower,
                                               PasswordRule::Digit, PasswordRule::Special}));
}

TEST(PasswordPolicy, InvalidUtf8) {
  for (const std::string& bad : {
           std::string{"Abcdefghij1!\xC3"},              // truncated
           std::string{"Abcdefghij1!\xC0\xAF"},          // overlong
           std::string{"Abcdefghij1!\xE0\x80\xAF"},      // overlong
           std::string{"Abcdefghij1!\xED\xA0\x80"},      // surrogate
           std::string{"Abcdefghij1!\xF4\x90\x80\x80"},  // above U+10FFFF
           std::string{"Abcdefghij1!\x80"},              // lone continuation
           std::string{"Abcdefghij1!\xFF"},
       }) {
    EXPECT_EQ(failures(bad), Rules{PasswordRule::InvalidText});
  }
}

TEST(PasswordPolicy, FrenchMessagesNameTheRule) {
  EXPECT_EQ(describe(PasswordRule::MinLength),
            "Le mot de passe doit avoir au moins 12 caractères.");
  EXPECT_EQ(describe(PasswordRule::UpperAndLower),
            "Le mot de passe doit avoir des lettres majuscules et minuscules.");
  EXPECT_EQ(describe(PasswordRule::Digit), "Le mot de passe doit avoir au moins 1 chiffre.");
  EXPECT_EQ(describe(PasswordRule::Special),
            "Le mot de passe doit avoir au moins 1 caractère spécial "
            "(!@#$%^&*()_+=-~`{}\"?:><,./;'\\[]).");
  EXPECT_NE(describe(PasswordRule::MaxLength).find("128"), std::string::npos);
  EXPECT_NE(describe(PasswordRule::ContainsEmail).find("adresse électronique"), std::string::npos);
  std::vector<std::string> all;
  for (auto rule : {PasswordRule::MinLength, PasswordRule::MaxLength, PasswordRule::UpperAndLower,
                    PasswordRule::Digit, PasswordRule::Special, PasswordRule::ContainsEmail,
                    PasswordRule::InvalidText}) {
    all.push_back(describe(rule));
    EXPECT_EQ(all.back().rfind("Le mot de passe ", 0), 0u) << all.back();
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::unique(all.begin(), all.end()), all.end());
}

TEST(PasswordPolicy, RulesAsTheGuideListsThem) {
  const auto rules = passwordRulesText();
  ASSERT_GE(rules.size(), 4u);
  const auto mentions = [&](std::string_view text) {
    return std::any_of(rules.begin(), rules.end(),
                       [&](const std::string& r) { return r.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(mentions("12 caractères"));
  EXPECT_TRUE(mentions("1 chiffre"));
  EXPECT_TRUE(mentions("majuscules et minuscules"));
  EXPECT_TRUE(mentions("caractère spécial"));
}

// The cases the browser's rules (static/js/password-policy.js) run too: both must give the same
// answer (tests/unit/password_policy_js.test.mjs), issue 19.
std::string ruleCode(PasswordRule rule) {
  switch (rule) {
    case PasswordRule::MinLength:
      return "longueur_min";
    case PasswordRule::MaxLength:
      return "longueur_max";
    case PasswordRule::UpperAndLower:
      return "casse";
    case PasswordRule::Digit:
      return "chiffre";
    case PasswordRule::Special:
      return "special";
    case PasswordRule::ContainsEmail:
      return "email";
    case PasswordRule::InvalidText:
      return "texte";
  }
  return {};
}

TEST(PasswordPolicy, SharedCasesWithTheBrowser) {
  std::ifstream in(std::filesystem::path(SAS_SOURCE_DIR) /
                   "tests/support/files/password_cases.json");
  ASSERT_TRUE(in);
  const auto cases = nlohmann::json::parse(in).at("cases");
  ASSERT_GE(cases.size(), 20u);
  for (const auto& c : cases) {
    std::vector<std::string> got;
    for (auto rule :
         passwordFailures(c.at("password").get<std::string>(), c.at("email").get<std::string>()))
      got.push_back(ruleCode(rule));
    EXPECT_EQ(got, c.at("failures").get<std::vector<std::string>>()) << c.at("password");
  }
}

}  // namespace
}  // namespace sas::domain
