// The FHIR publisher's two searches (issue 20, docs/fhir.md) over the real TLS listener, on the
// demo set other systems' test kits ask for (app::addPublisherDemoSet), at Wednesday 4 March
// 2026 10:00 in Paris: Dr Dupont's daily créneau at 09:00 (C, T) and plage 14:00–17:00 for 3,
// nothing on Thursday 5; Dr Martin's 10:00 in Lyon 4e (C) and 11:00 in Villeurbanne (D);
// Dr Hoarau's 08:00 in Saint-Denis de La Réunion (T, +04:00); Dr Bernard without a place.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "app/directory_import.hpp"
#include "app/orientation_service.hpp"
#include "app/search_service.hpp"
#include "storage/psc_store.hpp"
#include "support/fhir_client.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using nlohmann::json;

const std::string kPro = "urn:oid:1.2.250.1.71.4.2.1%7C";
const std::string kStructure = "urn:oid:1.2.250.1.71.4.2.2%7C";

std::string slotQuery(const std::string& ge, const std::string& le, const std::string& ids) {
  return "/fhir/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor&start=ge" + ge +
         "&start=le" + le + "&schedule.actor:Practitioner.identifier=" + ids + "&status=free";
}

std::string scheduleQuery(const std::string& ge, const std::string& le, const std::string& ids) {
  return "/fhir/Schedule?_revinclude=Slot:schedule&_include=Schedule:actor:Location"
         "&_include:iterate=Location:organization&_has:Slot:schedule:start=ge" +
         ge + "&_has:Slot:schedule:start=le" + le +
         "&_has:Slot:schedule:status=free&actor:Location.organization.identifier=" + ids;
}

class FhirSearch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new FhirPki;
    platform_ =
        new TestPlatform(parisTime(2026, 3, 4, 10), [](config::Config& c) { fhirOn(c, *pki_); });
    auto& p = platform_->platform();
    storage::SqlPscStore directory(p.database());
    app::addPublisherDemoSet(directory, platform_->structures(), platform_->agenda(), p.geocoder(),
                             p.clock());
    p.search().rebuild();
  }
  static void TearDownTestSuite() {
    delete platform_;
    delete pki_;
    platform_ = nullptr;
    pki_ = nullptr;
  }

  static Answer get(const std::string& path, const std::string& accept = "application/fhir+json") {
    return fhirRequest(*pki_, platform_->fhirPort(), path, "valid", "GET", Protocol::Modern, 0,
                       accept);
  }
  static json bundle(const std::string& path) {
    const auto a = get(path);
    EXPECT_EQ(a.status, 200) << a.failure << a.body;
    EXPECT_EQ(a.contentType, "application/fhir+json; charset=utf-8");
    auto doc = a.document();
    EXPECT_EQ(doc.value("resourceType", ""), "Bundle") << a.body;
    return doc;
  }
  // The starts of the bundle's Slots, in the order written.
  static std::vector<std::string> starts(const json& b) {
    std::vector<std::string> out;
    for (const auto& e : b.value("entry", json::array()))
      if (e["resource"]["resourceType"] == "Slot") out.push_back(e["resource"]["start"]);
    return out;
  }
  static std::int64_t placeOf(const std::string& finess, const std::string& siret) {
    const auto s = platform_->structures().findByIdentifiers(finess, siret);
    return platform_->structures().placesOfStructure(s->id).at(0).id;
  }

  static FhirPki* pki_;
  static TestPlatform* platform_;
};

FhirPki* FhirSearch::pki_ = nullptr;
TestPlatform* FhirSearch::platform_ = nullptr;

TEST_F(FhirSearch, AProfessionalsFreeOccurrencesInTheWindowNotPastNotHidden) {
  // From today to Friday: today's 09:00 is past, Thursday is unavailable.
  const auto b = bundle(slotQuery("2026-03-04", "2026-03-06", kPro + "810000000009"));
  EXPECT_EQ(starts(b), (std::vector<std::string>{"2026-03-04T14:00:00.000+01:00",
                                                 "2026-03-06T09:00:00.000+01:00",
                                                 "2026-03-06T14:00:00.000+01:00"}));
  EXPECT_EQ(b["total"], 3);
  EXPECT_EQ(b["link"][0]["url"],
            "https://sas.test:8443/fhir" +
                slotQuery("2026-03-04", "2026-03-06", kPro + "810000000009").substr(5));
  std::set<std::string> types;
  for (const auto& e : b["entry"]) types.insert(e["resource"]["resourceType"].get<std::string>());
  EXPECT_EQ(types, (std::set<std::string>{"Slot", "Schedule", "Practitioner", "PractitionerRole"}));
  for (const auto& e : b["entry"])
    if (e["resource"]["resourceType"] == "PractitionerRole") {
      EXPECT_EQ(e["resource"]["organization"]["identifier"]["value"], "312345678200010");
      EXPECT_EQ(e["resource"]["contained"][0]["address"]["postalCode"], "75018");
      // Its position, which the index keeps rather than the card: Paris's 18th.
      const auto& at = e["resource"]["contained"][0]["position"];
      EXPECT_NEAR(at["latitude"].get<double>(), 48.89, 0.02) << at;
      EXPECT_NEAR(at["longitude"].get<double>(), 2.34, 0.03) << at;
      EXPECT_EQ(e["resource"]["contained"][0]["telecom"][0]["value"], "+33142000009");
    }
}

TEST_F(FhirSearch, BoundsAreInclusiveToTheSecondWithOrWithoutOffset) {
  const auto friday9 = [&](const std::string& ge, const std::string& le) {
    return starts(bundle(slotQuery(ge, le, kPro + "810000000009")));
  };
  const std::vector<std::string> one{"2026-03-06T09:00:00.000+01:00"};
  EXPECT_EQ(friday9("2026-03-06T09:00:00+01:00", "2026-03-06T09:00:00+01:00"), one);
  EXPECT_EQ(friday9("2026-03-06T08:00:00Z", "2026-03-06T08:00:00.000Z"), one);
  EXPECT_EQ(friday9("2026-03-06T09:00:00", "2026-03-06T10:00"), one);  // no offset: Paris
  EXPECT_TRUE(friday9("2026-03-06T09:00:01+01:00", "2026-03-06T10:00:00+01:00").empty());
  EXPECT_TRUE(friday9("2026-03-06T08:00:00+01:00", "2026-03-06T08:59:59+01:00").empty());
  // A « + » sent as is, or as %2B.
  EXPECT_EQ(friday9("2026-03-06T09:00:00%2B01:00", "2026-03-06T09:00:00%2B01:00"), one);
}

TEST_F(FhirSearch, SeveralProfessionalsBareRppsAndOtherZones) {
  const auto b =
      bundle(slotQuery("2026-03-06", "2026-03-06",
                       kPro + "810000000017," + kPro + "10000000058,%20" + kPro + "810000000041"));
  // Dr Martin in Lyon and Villeurbanne, Dr Hoarau at 08:00 in La Réunion; Dr Bernard: nothing.
  auto s = starts(b);
  std::sort(s.begin(), s.end());
  EXPECT_EQ(
      s, (std::vector<std::string>{"2026-03-06T08:00:00.000+04:00", "2026-03-06T10:00:00.000+01:00",
                                   "2026-03-06T11:00:00.000+01:00"}));
  int practitioners = 0;
  for (const auto& e : b["entry"])
    if (e["resource"]["resourceType"] == "Practitioner") ++practitioners;
  EXPECT_EQ(practitioners, 2);  // Dr Martin once for both places
}

TEST_F(FhirSearch, UnknownIdentifiersOrNothingFreeAre200WithTotal0) {
  for (const auto& path :
       {slotQuery("2026-03-06", "2026-03-06", kPro + "899999999999"),
        slotQuery("2026-03-05", "2026-03-05", kPro + "810000000009"),  // unavailable that day
        slotQuery("2026-03-06", "2026-03-06", kPro + "810000000041"),
        scheduleQuery("2026-03-06", "2026-03-06", kStructure + "399999999999999")}) {
    const auto b = bundle(path);
    EXPECT_EQ(b["total"], 0) << path;
    EXPECT_FALSE(b.contains("entry")) << path;
  }
}

TEST_F(FhirSearch, ByStructureOneSchedulePerPlaceWithItsSlotsLocationAndOrganization) {
  const auto b = bundle(scheduleQuery("2026-03-06T00:00:00+01:00", "2026-03-07T00:00:00+01:00",
                                      kStructure + "312345678200010," + kStructure + "1690000013"));
  EXPECT_EQ(b["total"], 2);
  std::map<std::string, int> count;
  for (const auto& e : b["entry"]) {
    const std::string type = e["resource"]["resourceType"];
    ++count[type];
    EXPECT_EQ(e["search"]["mode"], type == "Schedule" ? "match" : "include");
    if (type == "Organization") {
      const auto& v = e["resource"]["identifier"][0]["value"];
      EXPECT_TRUE(v == "312345678200010" || v == "1690000013") << v;
    }
  }
  EXPECT_EQ(count["Schedule"], 2);
  EXPECT_EQ(count["Slot"], 3);  // Dupont's créneau and plage, Martin's 10:00 in Lyon
  EXPECT_EQ(count["Location"], 2);
  EXPECT_EQ(count["Organization"], 2);
  EXPECT_EQ(b["meta"]["profile"][0],
            "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/"
            "sas-sos-bundle-aggregator");
}

TEST_F(FhirSearch, BadRequestsAreOperationOutcomes) {
  const auto ids = kPro + "810000000009";
  const auto refused = [&](const std::string& path, int status, const std::string& code) {
    const auto a = get(path);
    EXPECT_EQ(a.status, status) << path << "\n" << a.body;
    EXPECT_EQ(outcomeIssue(a).value("code", ""), code) << path;
  };
  refused(
      "/fhir/Slot?_include=Slot:schedule&start=le2026-03-06&"
      "schedule.actor:Practitioner.identifier=" +
          ids,
      400, "required");
  refused(slotQuery("2026-03-06", "2026-03-06", ""), 400, "required");
  refused(slotQuery("2026-03-32", "2026-04-01", ids), 400, "value");
  refused(slotQuery("2026-03-06T10:00:00Z", "2026-03-06T09:59:59Z", ids), 400, "value");
  // The window: 7 days served, 7 days and a second too costly.
  EXPECT_EQ(get(slotQuery("2026-03-04T10:00:00Z", "2026-03-11T10:00:00Z", ids)).status, 200);
  refused(slotQuery("2026-03-04T10:00:00Z", "2026-03-11T10:00:01Z", ids), 400, "too-costly");
  // 25 identifiers served, 26 refused.
  std::string many;
  for (int i = 0; i < 25; ++i)
    many += (i ? "," : "") + kPro + "8100000000" + std::to_string(10 + i);
  EXPECT_EQ(get(slotQuery("2026-03-06", "2026-03-06", many)).status, 200);
  refused(slotQuery("2026-03-06", "2026-03-06", many + "," + kPro + "810000000009"), 400,
          "invalid");
  refused(slotQuery("2026-03-06", "2026-03-06", ids) + "&_format=xml", 406, "not-supported");
}

TEST_F(FhirSearch, TheAcceptedMediaTypes) {
  const auto path = slotQuery("2026-03-06", "2026-03-06", kPro + "810000000009");
  for (const char* accept : {"application/fhir+json", "application/json+fhir", "application/json",
                             "*/*", "text/html, application/fhir+json;q=0.9", ""})
    EXPECT_EQ(get(path, accept).status, 200) << accept;
  const auto a = get(path, "application/fhir+xml");
  EXPECT_EQ(a.status, 406);
  EXPECT_EQ(outcomeIssue(a).value("code", ""), "not-supported");
}

// A saved change, an unavailability, an orientation that fills a créneau: in the next answer.
TEST_F(FhirSearch, TheNextAnswerSeesChangesUnavailabilityAndOrientations) {
  auto& p = platform_->platform();
  const auto lyon = placeOf("690000013", "");
  const auto query = slotQuery("2026-03-09", "2026-03-09", kPro + "810000000017");
  EXPECT_EQ(starts(bundle(query)).size(), 2u);  // Lyon 10:00, Villeurbanne 11:00
  // Lyon unavailable on Monday 9 March.
  platform_->agenda().saveUnavailability(
      lyon, {false, {{date::year{2026} / 3 / 9, date::year{2026} / 3 / 9}}},
      {std::nullopt, "test", "", "", ""}, platform_->clock().now());
  p.search().placeChanged(lyon);
  EXPECT_EQ(starts(bundle(query)), (std::vector<std::string>{"2026-03-09T11:00:00.000+01:00"}));
  // The Villeurbanne créneau taken by a regulator's orientation: no longer free.
  const auto territory = platform_->addTerritory("ARS Auvergne-Rhône-Alpes", {"69"});
  const auto regulatorId = platform_->addUser("regulation.lyon@sas.test", "Regulation-2026!",
                                              app::Role::Regulator, {}, territory);
  app::Actor regulator;
  regulator.user = *platform_->users().findById(regulatorId);
  regulator.clientAddress = "127.0.0.1";
  const auto villeurbanne = placeOf("", "55012345900020");
  const auto out =
      p.orientations().orient(regulator,
                              {villeurbanne, parisTime(2026, 3, 9, 11),
                               parisTime(2026, 3, 9, 11, 20), domain::AvailabilityKind::Slot},
                              "");
  ASSERT_TRUE(out.result.ok()) << out.result.errors.front().message;
  EXPECT_TRUE(starts(bundle(query)).empty());
}

TEST_F(FhirSearch, APracticeKnownByItsRppsRangAndASpecialtyOfTheNomenclature) {
  // A pediatrician's own practice in the directory extraction: no SIRET, no FINESS, its former
  // identifier « 4 » + RPPS rang (and its technical one « R » + it).
  auto& p = platform_->platform();
  storage::SqlPscStore directory(p.database());
  std::istringstream line(
      "Identification nationale PP|Nom d'exercice|Prénom d'exercice|Libellé profession|"
      "Libellé savoir-faire|Numéro SIRET site|Numéro FINESS site|Identifiant technique de la "
      "structure|Raison sociale site|Numéro Voie|Libellé type de voie|Libellé Voie|Code "
      "postal|Libellé commune|Téléphone|Ancien identifiant de la structure\n"
      "810000000066|PETIT|Paul|Médecin|Pédiatrie|||R10000000066001|Cabinet du Dr Petit|2|Rue|"
      "des Lois|31000|Toulouse|05 61 00 00 66|410000000066001\n");
  const auto report =
      app::DirectoryImport(directory, platform_->structures(), p.geocoder()).run(line);
  ASSERT_EQ(report.placesCreated + report.placesKept, 1) << report.rejected.size();
  std::int64_t place = 0;
  for (const auto& pl : platform_->structures().placesOfStructure(
           *directory.directoryPlace("810000000066", "structure:R10000000066001")))
    place = pl.id;
  ASSERT_NE(place, 0);
  const auto today = date::year{2026} / 3 / 4;
  domain::ConsultationTypes office;
  office.add(domain::ConsultationType::Office);
  domain::AgendaChange change;
  change.created = domain::planCreation(
      place,
      {domain::mondayOf(today), 16 * 60, 16 * 60 + 20, domain::AvailabilityKind::Slot, 1, office},
      {true, true, true, true, true, true, true});
  platform_->agenda().applyChange(place, change, {std::nullopt, "test", "", "", ""},
                                  platform_->clock().now());
  p.search().placeChanged(place);

  const auto b = bundle(slotQuery("2026-03-04", "2026-03-04", kPro + "810000000066"));
  EXPECT_EQ(starts(b), (std::vector<std::string>{"2026-03-04T16:00:00.000+01:00"}));
  int roles = 0;
  for (const auto& e : b["entry"]) {
    const auto& r = e["resource"];
    if (r["resourceType"] == "PractitionerRole") {
      ++roles;
      EXPECT_EQ(r["organization"]["identifier"]["value"], "410000000066001");
    }
    if (r["resourceType"] == "Slot") {
      EXPECT_EQ(r["specialty"][0]["coding"][0]["code"], "SM40");
      EXPECT_EQ(r["specialty"][0]["coding"][0]["display"], "Pédiatrie");
    }
  }
  EXPECT_EQ(roles, 1);
  // By structure, the guide asks for FINESS or SIRET only: a « 4 » matches nothing, no 400.
  EXPECT_EQ(
      bundle(scheduleQuery("2026-03-04", "2026-03-04", kStructure + "410000000066001"))["total"],
      0);
}

}  // namespace
}  // namespace sas::test
