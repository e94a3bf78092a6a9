// The mapping of our places and occurrences onto the SAS implementation guide's Bundles
// (docs/fhir.md): what the ANS kit checks in every answer, on values built by hand.
#include "http/fhir/bundle.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>

namespace sas::http::fhir {
namespace {

using domain::fhir::SearchShape;
using nlohmann::json;

domain::Instant at(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

domain::SearchSlot slot(domain::Instant start, int minutes, domain::ConsultationTypes types,
                        domain::AvailabilityKind kind = domain::AvailabilityKind::Slot,
                        int capacity = 1, int taken = 0) {
  return {start, start + std::chrono::minutes{minutes}, kind, capacity, taken, types};
}

domain::ConsultationTypes types(std::initializer_list<domain::ConsultationType> list) {
  domain::ConsultationTypes t;
  for (auto x : list) t.add(x);
  return t;
}

// Dr Dupont's cabinet in Paris 18e (SIRET only), a créneau C+T and a plage for 3 (one taken).
app::PublishedPlace dupont() {
  app::PublishedPlace p;
  p.details.place = {
      7,       70,     "Cabinet du Dr Dupont", "40 Rue Ordener", "75018", "Paris", "75118",
      48.8925, 2.3444, "Europe/Paris",         "01 42 00 00 09"};
  p.details.structure = {70, "Cabinet du Dr Dupont", "Cabinet", "", "12345678200010", "", "75", {}};
  p.details.professionals = {
      {"Jean", "DUPONT", "Médecin", "Médecine générale", "810000000009"},
      {"Claire", "AUTRE", "Médecin", "", "810000000999"}};  // not asked: not written
  p.zone = domain::findZone("Europe/Paris");
  using T = domain::ConsultationType;
  // Saturday 28 March 2026 09:00 (+01:00), and Sunday 29 March 14:00, after the change (+02:00).
  p.slots = {
      slot(at(2026, 3, 28, 8), 30, types({T::Office, T::Teleconsultation})),
      slot(at(2026, 3, 29, 12), 180, types({T::Office}), domain::AvailabilityKind::Range, 3, 1)};
  return p;
}

app::PublishedPlace hoarau() {
  app::PublishedPlace p;
  p.details.place = {
      10,     100,   "Cabinet du Dr Hoarau", "8 Rue de Paris", "97400", "Saint-Denis", "97411",
      -20.88, 55.45, "Indian/Reunion",       "02 62 00 00 58"};
  p.details.structure = {100, "Cabinet du Dr Hoarau", "Cabinet", "", "40212345600012", "", "974",
                         {}};
  p.details.professionals = {{"Anne", "HOARAU", "Médecin", "Médecine générale", "810000000058"}};
  p.zone = domain::findZone("Indian/Reunion");
  p.slots = {slot(at(2026, 3, 28, 4), 20, types({domain::ConsultationType::HomeVisit}))};
  return p;
}

BundleRequest request(SearchShape shape, std::vector<std::string> ids) {
  return {shape, std::move(ids), "https://fhir.sas.test:8443/fhir/Slot?x=1",
          "https://fhir.sas.test:8443/fhir", "https://sas.test"};
}

// Every object and array of `j`, recursively.
void walk(const json& j, const std::function<void(const json&)>& f) {
  f(j);
  if (j.is_structured())
    for (const auto& x : j) walk(x, f);
}

const json& resource(const json& bundle, const std::string& type, const std::string& id) {
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == type && e["resource"]["id"] == id) return e["resource"];
  throw std::runtime_error("no " + type + "/" + id + " in " + bundle.dump());
}

TEST(FhirBundle, TheBundleFormTheKitReliesOn) {
  for (auto shape :
       {SearchShape::ByProfessional, SearchShape::ByProfessionalCpts, SearchShape::ByStructure}) {
    const auto ids = shape == SearchShape::ByStructure
                         ? std::vector<std::string>{"312345678200010", "340212345600012"}
                         : std::vector<std::string>{"810000000009", "810000000058"};
    const auto b = searchBundle(request(shape, ids), {dupont(), hoarau()});
    EXPECT_EQ(b["resourceType"], "Bundle");
    EXPECT_EQ(b["type"], "searchset");
    ASSERT_EQ(b["link"].size(), 1u);
    EXPECT_EQ(b["link"][0]["relation"], "self");
    EXPECT_EQ(b["link"][0]["url"], "https://fhir.sas.test:8443/fhir/Slot?x=1");
    std::set<std::string> seen;
    int matches = 0;
    for (const auto& e : b["entry"]) {
      const auto& r = e["resource"];
      const std::string key =
          r["resourceType"].get<std::string>() + "/" + r["id"].get<std::string>();
      EXPECT_TRUE(seen.insert(key).second) << key << " twice";
      EXPECT_EQ(e["fullUrl"], "https://fhir.sas.test:8443/fhir/" + key);
      ASSERT_EQ(r["meta"]["profile"].size(), 1u) << key;
      const auto mode = e["search"]["mode"].get<std::string>();
      EXPECT_TRUE(mode == "match" || mode == "include") << key;
      if (mode == "match") {
        ++matches;
        EXPECT_EQ(r["resourceType"], shape == SearchShape::ByStructure ? "Schedule" : "Slot");
      }
      for (const auto& c : r.value("contained", json::array()))
        ASSERT_EQ(c["meta"]["profile"].size(), 1u);
    }
    EXPECT_EQ(b["total"], matches);
    EXPECT_EQ(matches, shape == SearchShape::ByStructure ? 2 : 3);
    // No empty element anywhere; every reference relative or to a contained resource.
    walk(b, [&](const json& j) {
      if (j.is_structured() || j.is_string()) {
        EXPECT_FALSE(j.empty()) << b.dump();
      }
      if (j.is_object() && j.contains("reference")) {
        const auto ref = j["reference"].get<std::string>();
        EXPECT_TRUE(ref.starts_with("#") || ref.find("://") == std::string::npos) << ref;
        if (!ref.starts_with("#")) {
          EXPECT_TRUE(seen.contains(ref)) << ref << " not in the bundle";
        }
      }
    });
  }
}

TEST(FhirBundle, ProfilesFollowTheShape) {
  const auto ps = searchBundle(request(SearchShape::ByProfessional, {"810000000009"}), {dupont()});
  EXPECT_EQ(ps["meta"]["profile"][0], "http://sas.fr/fhir/StructureDefinition/BundleAgregateur");
  EXPECT_EQ(resource(ps, "Slot", "810000000009-7-1774684800")["meta"]["profile"][0],
            "http://sas.fr/fhir/StructureDefinition/FrSlotAgregateur");
  const auto cpts =
      searchBundle(request(SearchShape::ByProfessionalCpts, {"810000000009"}), {dupont()});
  EXPECT_EQ(cpts["meta"]["profile"][0],
            "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/"
            "sas-cpts-bundle-aggregator");
  const auto& service = resource(cpts, "HealthcareService", "service-70");
  EXPECT_EQ(service["providedBy"]["reference"], "Organization/structure-70");
  const auto sos = searchBundle(request(SearchShape::ByStructure, {"312345678200010"}), {dupont()});
  EXPECT_EQ(resource(sos, "Schedule", "agenda-7")["meta"]["profile"][0],
            "https://interop.esante.gouv.fr/ig/fhir/sas/StructureDefinition/"
            "sas-sos-schedule-aggregator");
  EXPECT_EQ(resource(sos, "Location", "lieu-7")["managingOrganization"]["reference"],
            "Organization/structure-70");
}

TEST(FhirBundle, TheMappingOfAProfessionalAtAPlace) {
  const auto b = searchBundle(request(SearchShape::ByProfessional, {"810000000009"}), {dupont()});
  // Only the professional asked: one Practitioner, one role and one Schedule for the place.
  const auto& pro = resource(b, "Practitioner", "810000000009");
  EXPECT_EQ(pro["identifier"][0]["system"], "urn:oid:1.2.250.1.71.4.2.1");
  EXPECT_EQ(pro["identifier"][0]["value"], "810000000009");
  EXPECT_EQ(pro["identifier"][0]["type"]["coding"][0]["code"], "IDNPS");
  EXPECT_EQ(pro["name"][0]["family"], "DUPONT");
  EXPECT_EQ(pro["name"][0]["given"][0], "Jean");
  EXPECT_THROW(resource(b, "Practitioner", "810000000999"), std::runtime_error);
  const auto& schedule = resource(b, "Schedule", "810000000009-7");
  EXPECT_EQ(schedule["actor"], json::parse(R"([{"reference":"Practitioner/810000000009"},
                            {"reference":"PractitionerRole/810000000009-7"}])"));
  const auto& role = resource(b, "PractitionerRole", "810000000009-7");
  EXPECT_EQ(role["organization"]["identifier"]["value"], "312345678200010");
  EXPECT_EQ(role["organization"]["identifier"]["system"], "urn:oid:1.2.250.1.71.4.2.2");
  EXPECT_EQ(role["location"][0]["reference"], "#lieu-7");
  const auto& location = role["contained"][0];
  EXPECT_EQ(location["id"], "lieu-7");
  EXPECT_EQ(location["identifier"][0]["type"]["coding"][0]["code"], "INTRN");
  EXPECT_EQ(location["address"]["line"], json::array({"40 Rue Ordener"}));
  EXPECT_EQ(location["address"]["postalCode"], "75018");
  EXPECT_EQ(location["address"]["city"], "Paris");
  EXPECT_DOUBLE_EQ(location["position"]["latitude"].get<double>(), 48.8925);
  EXPECT_EQ(location["telecom"][0]["value"], "+33142000009");
  // The créneau: Saturday 28 March, 09:00 in Paris (+01:00), C and T, routine.
  const auto& creneau = resource(b, "Slot", "810000000009-7-1774684800");
  EXPECT_EQ(creneau["start"], "2026-03-28T09:00:00.000+01:00");
  EXPECT_EQ(creneau["end"], "2026-03-28T09:30:00.000+01:00");
  EXPECT_EQ(creneau["status"], "free");
  EXPECT_EQ(creneau["schedule"]["reference"], "Schedule/810000000009-7");
  EXPECT_EQ(creneau["meta"]["security"][0]["code"], "SNP");
  EXPECT_EQ(creneau["serviceType"][0]["coding"][0]["code"], "AMB");
  EXPECT_EQ(creneau["serviceType"][1]["coding"][0]["code"], "VR");
  EXPECT_EQ(creneau["serviceType"].size(), 2u);
  EXPECT_EQ(creneau["appointmentType"]["coding"][0]["code"], "ROUTINE");
  EXPECT_FALSE(creneau.contains("extension"));
  EXPECT_EQ(creneau["specialty"][0]["coding"][0]["code"], "SM54");
  EXPECT_EQ(creneau["comment"], "https://sas.test/recherche/lieux/7");
  // The plage: Sunday 29 March, after the change to summer time (+02:00), for 3, one taken.
  const auto& plage = resource(b, "Slot", "810000000009-7-1774785600");
  EXPECT_EQ(plage["start"], "2026-03-29T14:00:00.000+02:00");
  EXPECT_EQ(plage["end"], "2026-03-29T17:00:00.000+02:00");
  EXPECT_EQ(plage["appointmentType"]["coding"][0]["code"], "WALKIN");
  const auto& places = plage["extension"][0]["extension"];
  EXPECT_EQ(places[0]["valueInteger"], 3);
  EXPECT_EQ(places[1]["valueInteger"], 2);
}

TEST(FhirBundle, LaReunionIsWrittenInItsOwnOffsetAndHomeVisitsAreHH) {
  const auto b = searchBundle(request(SearchShape::ByProfessional, {"810000000058"}), {hoarau()});
  const auto& s = resource(b, "Slot", "810000000058-10-1774670400");
  EXPECT_EQ(s["start"], "2026-03-28T08:00:00.000+04:00");
  EXPECT_EQ(s["serviceType"][0]["coding"][0]["code"], "HH");
  EXPECT_EQ(
      resource(b, "PractitionerRole", "810000000058-10")["contained"][0]["telecom"][0]["value"],
      "+262262000058");
}

TEST(FhirBundle, TwoOccurrencesAtTheSameStartKeepTheirOwnIds) {
  auto p = dupont();
  p.slots = {p.slots[0], p.slots[0]};
  const auto b = searchBundle(request(SearchShape::ByProfessional, {"810000000009"}), {p});
  EXPECT_EQ(b["total"], 2);
  resource(b, "Slot", "810000000009-7-1774684800");
  resource(b, "Slot", "810000000009-7-1774684800-2");
}

TEST(FhirBundle, APracticeWithoutFinessNorSiretIsNamedByItsRppsRang) {
  auto p = dupont();
  p.details.structure.siret.clear();
  p.details.structure.rppsRang = "10000000009001";
  auto b = searchBundle(request(SearchShape::ByProfessional, {"810000000009"}), {p});
  const auto& role = resource(b, "PractitionerRole", "810000000009-7");
  EXPECT_EQ(role["organization"]["identifier"]["value"], "410000000009001");
  EXPECT_EQ(role["organization"]["identifier"]["type"]["coding"][0]["code"], "IDNST");
  // A SIRET, when there is one, names it first; with neither, no organization at all.
  p.details.structure.siret = "12345678200010";
  b = searchBundle(request(SearchShape::ByProfessional, {"810000000009"}), {p});
  EXPECT_EQ(
      resource(b, "PractitionerRole", "810000000009-7")["organization"]["identifier"]["value"],
      "312345678200010");
  p.details.structure.siret.clear();
  p.details.structure.rppsRang.clear();
  b = searchBundle(request(SearchShape::ByProfessional, {"810000000009"}), {p});
  EXPECT_FALSE(resource(b, "PractitionerRole", "810000000009-7").contains("organization"));
}

TEST(FhirBundle, EachSlotCarriesItsProfessionalsOrdinalSpecialty) {
  auto p = dupont();
  p.details.professionals = {{"Jean", "DUPONT", "Médecin", "Pédiatrie", "810000000009"},
                             {"Claire", "AUTRE", "Médecin", "Acupuncture", "810000000999"}};
  const auto b =
      searchBundle(request(SearchShape::ByProfessional, {"810000000009", "810000000999"}), {p});
  const auto& specialty = resource(b, "Slot", "810000000009-7-1774684800")["specialty"][0];
  EXPECT_EQ(specialty["coding"][0]["code"], "SM40");
  EXPECT_EQ(specialty["coding"][0]["display"], "Pédiatrie");
  EXPECT_EQ(specialty["text"], "Pédiatrie");
  // A specialty of no ordinal code writes none (never an empty element).
  EXPECT_FALSE(resource(b, "Slot", "810000000999-7-1774684800").contains("specialty"));
}

TEST(FhirBundle, NothingFoundIsAnEmptySearchset) {
  const auto b = searchBundle(request(SearchShape::ByProfessional, {"810000000041"}), {});
  EXPECT_EQ(b["total"], 0);
  EXPECT_FALSE(b.contains("entry"));
  EXPECT_EQ(b["link"][0]["relation"], "self");
}

}  // namespace
}  // namespace sas::http::fhir
