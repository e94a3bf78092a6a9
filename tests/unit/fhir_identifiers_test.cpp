// IDNPS and IDNST as the SAS implementation guide writes them (domain/fhir_identifiers).
#include "domain/fhir_identifiers.hpp"

#include <gtest/gtest.h>

namespace sas::domain::fhir {
namespace {

TEST(FhirIdentifiers, ProfessionalByRppsAdeliOrBareRpps) {
  EXPECT_EQ(professionalIdentifier("810000000009"), "810000000009");
  EXPECT_EQ(professionalIdentifier("10000000009"), "810000000009");  // bare RPPS
  EXPECT_EQ(professionalIdentifier("0751234567"), "0751234567");     // 0 + ADELI
  EXPECT_EQ(professionalIdentifier("02a1234567"), "02A1234567");     // Corsica, upper-cased
  EXPECT_EQ(professionalIdentifier("02B1234567"), "02B1234567");
}

TEST(FhirIdentifiers, ProfessionalOfNoNationalFormIsNone) {
  for (const char* bad :
       {"", "8", "8100000000", "8100000000099", "910000000009", "1000000000", "100000000099",
        "075123456", "075123456789", "075123456X", "03A1234567", "0A21234567", " 810000000009",
        "8100000 0009", "8l0000000009", "3456780581/11242343"})
    EXPECT_FALSE(professionalIdentifier(bad)) << bad;
}

TEST(FhirIdentifiers, StructureBySiretOrFiness) {
  EXPECT_EQ(structureIdentifier("312345678200010"), "312345678200010");
  EXPECT_EQ(structureIdentifier("1690000013"), "1690000013");
  EXPECT_EQ(structureIdentifier("12a0000123"), "12A0000123");
  for (const char* bad :
       {"", "3", "12345678200010", "31234567820001", "3123456782000100", "312345678200O10",
        "169000001", "16900000130", "13A0000123", "2123456789", "412345678912345", "1690000013 "})
    EXPECT_FALSE(structureIdentifier(bad)) << bad;
}

TEST(FhirIdentifiers, OrganisationByFinessElseSiret) {
  EXPECT_EQ(organisationIdentifier("690000013", ""), "1690000013");
  EXPECT_EQ(organisationIdentifier("", "12345678200010"), "312345678200010");
  EXPECT_EQ(organisationIdentifier("690000013", "12345678200010"), "1690000013");
  EXPECT_EQ(organisationIdentifier("69 000 001 3", ""), "1690000013");
  EXPECT_EQ(organisationIdentifier("", "123 456 782 00010"), "312345678200010");
  EXPECT_EQ(organisationIdentifier("2a0000123", ""), "12A0000123");
  EXPECT_EQ(organisationIdentifier("12345", "12345678200010"), "312345678200010");
  EXPECT_FALSE(organisationIdentifier("", ""));
  EXPECT_FALSE(organisationIdentifier("12345", "123456789"));
}

TEST(FhirIdentifiers, OrganisationByRppsRangLast) {
  EXPECT_EQ(organisationIdentifier("", "", "10100000328372"), "410100000328372");
  EXPECT_EQ(organisationIdentifier("690000013", "", "10100000328372"), "1690000013");
  EXPECT_EQ(organisationIdentifier("", "12345678200010", "10100000328372"), "312345678200010");
  EXPECT_EQ(organisationIdentifier("", "", "101000003281"), "4101000003281");  // 12 digits
  EXPECT_FALSE(organisationIdentifier("", "", "10100000328"));                 // the RPPS alone
  EXPECT_FALSE(organisationIdentifier("", "", "123456789012345678901"));       // 21 digits
  EXPECT_FALSE(organisationIdentifier("", "", "1010000032837A"));
}

TEST(FhirIdentifiers, SearchedProfessionalBySystem) {
  const auto ours = readSearchedProfessional("urn:oid:1.2.250.1.71.4.2.1|10000000017");
  EXPECT_EQ(ours.kind, SearchedIdentifierKind::Ours);
  EXPECT_EQ(ours.value, "810000000017");
  const auto noSystem = readSearchedProfessional("810000000017");
  EXPECT_EQ(noSystem.kind, SearchedIdentifierKind::Ours);
  EXPECT_EQ(noSystem.value, "810000000017");
  // Another system, or none (`|value`), is a valid search that finds nothing here.
  EXPECT_EQ(readSearchedProfessional("urn:oid:1.2.250.1.71.4.2.2|810000000017").kind,
            SearchedIdentifierKind::MatchesNothing);
  EXPECT_EQ(readSearchedProfessional("|810000000017").kind, SearchedIdentifierKind::MatchesNothing);
  EXPECT_EQ(readSearchedProfessional("https://editeur.com|anything at all").kind,
            SearchedIdentifierKind::MatchesNothing);
  // A professional named by his structure (the guide's ExamplePractitionerRegul1).
  EXPECT_EQ(readSearchedProfessional("urn:oid:1.2.250.1.71.4.2.1|3456780581/11242343").kind,
            SearchedIdentifierKind::MatchesNothing);
  for (const char* bad :
       {"urn:oid:1.2.250.1.71.4.2.1|", "urn:oid:1.2.250.1.71.4.2.1|8100", "8100",
        "urn:oid:1.2.250.1.71.4.2.1|3456780581", "urn:oid:1.2.250.1.71.4.2.1|3/1",
        "urn:oid:1.2.250.1.71.4.2.1|3456780581/", "urn:oid:1.2.250.1.71.4.2.1|3456/780/581",
        "urn:oid:1.2.250.1.71.4.2.1|810000000017|x"})
    EXPECT_EQ(readSearchedProfessional(bad).kind, SearchedIdentifierKind::Malformed) << bad;
}

TEST(FhirIdentifiers, SearchedStructureBySystem) {
  const auto siret = readSearchedStructure("urn:oid:1.2.250.1.71.4.2.2|312345678200010");
  EXPECT_EQ(siret.kind, SearchedIdentifierKind::Ours);
  EXPECT_EQ(siret.value, "312345678200010");
  const auto finess = readSearchedStructure("urn:oid:1.2.250.1.71.4.2.2|1690000013");
  EXPECT_EQ(finess.kind, SearchedIdentifierKind::Ours);
  EXPECT_EQ(finess.value, "1690000013");
  EXPECT_EQ(readSearchedStructure("urn:oid:1.2.250.1.71.4.2.1|312345678200010").kind,
            SearchedIdentifierKind::MatchesNothing);
  EXPECT_EQ(readSearchedStructure("urn:oid:1.2.250.1.71.4.2.2|2123456789").kind,  // SIREN
            SearchedIdentifierKind::MatchesNothing);
  EXPECT_EQ(readSearchedStructure("urn:oid:1.2.250.1.71.4.2.2|412345678912345").kind,  // rang
            SearchedIdentifierKind::MatchesNothing);
  // A rang as domain::rppsRangOf reads it: the RPPS then 1 to 9 digits of rank.
  EXPECT_EQ(readSearchedStructure("urn:oid:1.2.250.1.71.4.2.2|4123456789012").kind,
            SearchedIdentifierKind::MatchesNothing);
  EXPECT_EQ(readSearchedStructure("urn:oid:1.2.250.1.71.4.2.2|412345678901234567890").kind,
            SearchedIdentifierKind::MatchesNothing);
  for (const char* bad :
       {"urn:oid:1.2.250.1.71.4.2.2|12345678200010", "urn:oid:1.2.250.1.71.4.2.2|21234567",
        "urn:oid:1.2.250.1.71.4.2.2|4", "urn:oid:1.2.250.1.71.4.2.2|41234567891",
        "urn:oid:1.2.250.1.71.4.2.2|412345678901",
        "urn:oid:1.2.250.1.71.4.2.2|4123456789012345678901", "SOS Médecins"})
    EXPECT_EQ(readSearchedStructure(bad).kind, SearchedIdentifierKind::Malformed) << bad;
}

}  // namespace
}  // namespace sas::domain::fhir
