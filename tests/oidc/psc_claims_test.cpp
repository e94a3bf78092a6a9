// Pro Santé Connect's claims: the identity and the practice places of SubjectRefPro, with their
// SIRET and FINESS numbers in the same form as the directory import's.
#include <gtest/gtest.h>

#include "oidc/psc_provider.hpp"

using namespace sas::oidc;

TEST(PscClaims, PracticePlacesKeepCleanNumbers) {
  const nlohmann::json id = {{"iss", "https://psc.test"}, {"sub", "f:1"}};
  const nlohmann::json info = {{"SubjectNameID", "899700000003"},
                               {"given_name", "Claire"},
                               {"family_name", "LIEUX"},
                               {"SubjectRefPro",
                                {{"exercices",
                                  {{{"activities",
                                     {{{"numeroSiretSite", "123 456 789 00011"},
                                       {"numeroFinessSite", "2a0000123"},
                                       {"raisonSocialeSite", "CABINET DU DR LIEUX"},
                                       {"codePostal", "20000"},
                                       {"libelleCommune", "Ajaccio"}},
                                      {{"numeroSiretSite", "inconnu"},
                                       {"numeroFinessSite", ""},
                                       {"ancienIdentifiantDeLaStructure", "489970000000301"},
                                       {"enseigneCommercialeSite", "MAISON DE SANTE"},
                                       {"codePostal", "93260"},
                                       {"bureauCedex", "93260 LES LILAS"}}}}}}}}}};
  auto p = pscIdentity(id, info);
  EXPECT_EQ(p.nationalId, "899700000003");
  ASSERT_EQ(p.activities.size(), 2u);
  EXPECT_EQ(p.activities[0].siret, "12345678900011");
  EXPECT_EQ(p.activities[0].finess, "2A0000123");
  EXPECT_EQ(p.activities[0].name, "CABINET DU DR LIEUX");
  EXPECT_EQ(p.activities[1].siret, "");
  EXPECT_EQ(p.activities[1].name, "MAISON DE SANTE");
  EXPECT_EQ(p.activities[0].city, "Ajaccio");
  // The post office is not taken for the town: the platform asks its commune table first.
  EXPECT_EQ(p.activities[1].city, "");
  EXPECT_EQ(p.activities[1].postOffice, "93260 LES LILAS");
  // A practice without SIRET nor FINESS keeps its RPPS rang (its IDNST « 4 » + it).
  EXPECT_EQ(p.activities[0].rppsRang, "");
  EXPECT_EQ(p.activities[1].rppsRang, "89970000000301");
}
