// A publisher's answer to the search by professional (INT_R01) read into checked slots
// (publishers/bundle_reader): our own publisher's Bundles read back, then each way a body or
// a Slot is refused.
#include "publishers/bundle_reader.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "http/fhir/bundle.hpp"

namespace sas::publishers {
namespace {

using app::FeedProblem;
using domain::ConsultationType;
using nlohmann::json;

domain::Instant at(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

domain::ConsultationTypes types(std::initializer_list<ConsultationType> list) {
  domain::ConsultationTypes t;
  for (auto x : list) t.add(x);
  return t;
}

// --- Our own publisher's Bundle, read back ---------------------------------------------------

domain::SearchSlot searchSlot(domain::Instant start, int minutes, domain::ConsultationTypes t,
                              domain::AvailabilityKind kind = domain::AvailabilityKind::Slot,
                              int capacity = 1, int taken = 0) {
  return {start, start + std::chrono::minutes{minutes}, kind, capacity, taken, t};
}

// Dr Dupont's cabinet in Paris 18e (SIRET only): a créneau C+T the day before the change of
// time, a plage the day after.
app::PublishedPlace dupont() {
  app::PublishedPlace p;
  p.details.place = {
      7,       70,     "Cabinet du Dr Dupont", "40 Rue Ordener", "75018", "Paris", "75118",
      48.8925, 2.3444, "Europe/Paris",         "01 42 00 00 09"};
  p.details.structure = {70, "Cabinet du Dr Dupont", "Cabinet", "", "12345678200010", "", "75", {}};
  p.details.professionals = {{"Jean", "DUPONT", "Médecin", "Médecine générale", "810000000009"}};
  p.zone = domain::findZone("Europe/Paris");
  p.slots = {searchSlot(at(2026, 3, 28, 8), 30,
                        types({ConsultationType::Office, ConsultationType::Teleconsultation})),
             searchSlot(at(2026, 3, 29, 12), 180, types({ConsultationType::Office}),
                        domain::AvailabilityKind::Range, 3, 1)};
  return p;
}

// Dr Hoarau in Saint-Denis de La Réunion (+04:00): a home visit.
app::PublishedPlace hoarau() {
  app::PublishedPlace p;
  p.details.place = {
      10,     100,   "Cabinet du Dr Hoarau", "8 Rue de Paris", "97400", "Saint-Denis", "97411",
      -20.88, 55.45, "Indian/Reunion",       "02 62 00 00 58"};
  p.details.structure = {100, "Cabinet du Dr Hoarau", "Cabinet", "", "40212345600012", "", "974",
                         {}};
  p.details.professionals = {{"Anne", "HOARAU", "Médecin", "Médecine générale", "810000000058"}};
  p.zone = domain::findZone("Indian/Reunion");
  p.slots = {searchSlot(at(2026, 3, 28, 4), 20, types({ConsultationType::HomeVisit}))};
  return p;
}

std::string ourBundle(domain::fhir::SearchShape shape) {
  const http::fhir::BundleRequest request{shape,
                                          {"810000000009", "810000000058"},
                                          "https://fhir.sas.test:8443/fhir/Slot?x=1",
                                          "https://fhir.sas.test:8443/fhir",
                                          "https://sas.test"};
  return http::fhir::searchBundle(request, {dupont(), hoarau()}).dump();
}

domain::PulledSlot pulled(std::string professional, domain::Instant start, int minutes,
                          domain::ConsultationTypes t, std::vector<std::string> identifiers,
                          domain::GeoPoint position, std::string url) {
  return {std::move(professional),
          start,
          start + std::chrono::minutes{minutes},
          t,
          std::move(identifiers),
          position,
          std::move(url)};
}

TEST(BundleReader, OurOwnPublishersBundleReadsBackIntoTheSameSlots) {
  const std::vector<domain::PulledSlot> expected = {
      pulled("810000000009", at(2026, 3, 28, 8), 30,
             types({ConsultationType::Office, ConsultationType::Teleconsultation}),
             {"lieu:7", "312345678200010"}, {48.8925, 2.3444},
             "https://sas.test/recherche/lieux/7"),
      pulled("810000000009", at(2026, 3, 29, 12), 180, types({ConsultationType::Office}),
             {"lieu:7", "312345678200010"}, {48.8925, 2.3444},
             "https://sas.test/recherche/lieux/7"),
      pulled("810000000058", at(2026, 3, 28, 4), 20, types({ConsultationType::HomeVisit}),
             {"lieu:10", "340212345600012"}, {-20.88, 55.45},
             "https://sas.test/recherche/lieux/10")};
  for (auto shape :
       {domain::fhir::SearchShape::ByProfessional, domain::fhir::SearchShape::ByProfessionalCpts}) {
    const auto reading = readSlotBundle(ourBundle(shape), 100, "https://sas.test/lieux");
    ASSERT_TRUE(reading.ok) << reading.detail;
    EXPECT_TRUE(reading.refused.empty());
    EXPECT_EQ(reading.slots, expected);
  }
  // The structures' search (SOS Médecins) names no Practitioner: nothing to pull from it.
  const http::fhir::BundleRequest byStructure{domain::fhir::SearchShape::ByStructure,
                                              {"312345678200010", "340212345600012"},
                                              "https://fhir.sas.test:8443/fhir/Schedule?x=1",
                                              "https://fhir.sas.test:8443/fhir",
                                              "https://sas.test"};
  const auto reading =
      readSlotBundle(http::fhir::searchBundle(byStructure, {dupont(), hoarau()}).dump(), 100);
  ASSERT_TRUE(reading.ok);
  EXPECT_TRUE(reading.slots.empty());
  EXPECT_EQ(reading.refused, (std::map<FeedProblem, int>{{FeedProblem::BadSlot, 3}}));
}

// --- Bundles written by hand: how another publisher may write them ---------------------------

constexpr const char* kIdnps = "urn:oid:1.2.250.1.71.4.2.1";
constexpr const char* kIdnst = "urn:oid:1.2.250.1.71.4.2.2";
constexpr const char* kActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

json entry(json resource) {
  const std::string url = "https://editeur.test/fhir/" +
                          resource["resourceType"].get<std::string>() + "/" +
                          resource["id"].get<std::string>();
  return {{"fullUrl", url}, {"resource", std::move(resource)}};
}

json freeSlot(const std::string& id, const std::string& schedule = "Schedule/agenda-1",
              const std::string& start = "2026-12-04T10:00:00+01:00",
              const std::string& end = "2026-12-04T10:20:00+01:00") {
  return {{"resourceType", "Slot"}, {"id", id},       {"schedule", {{"reference", schedule}}},
          {"status", "free"},       {"start", start}, {"end", end}};
}

json practitioner(const std::string& id, const std::string& system, const std::string& value) {
  return {{"resourceType", "Practitioner"},
          {"id", id},
          {"identifier", json::array({{{"system", system}, {"value", value}}})}};
}

json schedule(const std::string& id, std::vector<std::string> actors) {
  json a = json::array();
  for (const auto& r : actors) a.push_back({{"reference", r}});
  return {{"resourceType", "Schedule"}, {"id", id}, {"actor", a}};
}

// Dr Martin's Schedule (Practitioner and Location actors) and the given Slots.
json bundleOf(std::vector<json> slots) {
  json entries = json::array();
  for (auto& s : slots) entries.push_back(entry(std::move(s)));
  entries.push_back(entry(schedule("agenda-1", {"Practitioner/pr-1", "Location/cab-1"})));
  entries.push_back(entry(practitioner("pr-1", kIdnps, "810002345678")));
  entries.push_back(entry({{"resourceType", "Location"},
                           {"id", "cab-1"},
                           {"position", {{"latitude", 45.75}, {"longitude", 4.85}}}}));
  return {{"resourceType", "Bundle"}, {"type", "searchset"}, {"entry", entries}};
}

// Our places are « https://sas.example/lieux|id ».
BundleReading read(const json& bundle, std::size_t maxSlots = 1000) {
  return readSlotBundle(bundle.dump(), maxSlots, "https://sas.example/lieux");
}

// The one kind `reading` refused, after it read the body: none kept.
FeedProblem onlyRefusal(const BundleReading& reading) {
  EXPECT_TRUE(reading.ok) << reading.detail;
  EXPECT_TRUE(reading.slots.empty());
  EXPECT_EQ(reading.refused.size(), 1u);
  if (reading.refused.empty()) return FeedProblem::Timeout;
  EXPECT_EQ(reading.refused.begin()->second, 1);
  return reading.refused.begin()->first;
}

TEST(BundleReader, AHandWrittenSlotIsRead) {
  const auto reading = read(bundleOf({freeSlot("s-1")}));
  ASSERT_TRUE(reading.ok) << reading.detail;
  EXPECT_TRUE(reading.refused.empty());
  ASSERT_EQ(reading.slots.size(), 1u);
  const auto& s = reading.slots[0];
  EXPECT_EQ(s.professionalId, "810002345678");
  EXPECT_EQ(s.start, at(2026, 12, 4, 9));
  EXPECT_EQ(s.end, at(2026, 12, 4, 9, 20));
  EXPECT_EQ(s.types, types({ConsultationType::Office}));  // none given
  EXPECT_TRUE(s.locationIdentifiers.empty());
  EXPECT_EQ(s.position, (domain::GeoPoint{45.75, 4.85}));
  EXPECT_EQ(s.bookingUrl, "");
}

TEST(BundleReader, WhatIsNotJsonIsRefusedWhole) {
  for (const std::string body :
       {"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
        R"({"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceTy)",
        R"({"resourceType": "Bundle",, "type": "searchset"})", "", "   ", "Bundle"}) {
    const auto reading = readSlotBundle(body, 1000);
    EXPECT_FALSE(reading.ok) << body;
    EXPECT_EQ(reading.problem, FeedProblem::NotJson) << body;
    EXPECT_FALSE(reading.detail.empty());
    EXPECT_EQ(reading.detail.find('\n'), std::string::npos);
    EXPECT_TRUE(reading.slots.empty());
    EXPECT_TRUE(reading.refused.empty());
  }
  EXPECT_EQ(readSlotBundle("", 1000).detail, "réponse vide");
}

TEST(BundleReader, JsonThatIsNoSearchsetBundleIsRefusedWhole) {
  auto collection = bundleOf({freeSlot("s-1")});
  collection["type"] = "collection";
  auto noType = bundleOf({freeSlot("s-1")});
  noType.erase("type");
  auto entryNotAList = bundleOf({});
  entryNotAList["entry"] = {{"resource", freeSlot("s-1")}};
  const json outcome = {
      {"resourceType", "OperationOutcome"},
      {"issue", json::array({{{"severity", "error"},
                              {"code", "processing"},
                              {"diagnostics", "Identifiant inconnu\nligne 2"}}})}};
  for (const json& body : {collection, noType, entryNotAList, outcome, json::array(), json(42),
                           json("Bundle"), json::object()}) {
    const auto reading = read(body);
    EXPECT_FALSE(reading.ok) << body;
    EXPECT_EQ(reading.problem, FeedProblem::NotABundle) << body;
    EXPECT_FALSE(reading.detail.empty());
    EXPECT_TRUE(reading.slots.empty());
  }
  EXPECT_EQ(read(outcome).detail,
            "ressource « OperationOutcome » au lieu d'un Bundle : Identifiant inconnu ligne 2");
  EXPECT_EQ(read(collection).detail, "Bundle de type « collection » au lieu de searchset");
}

TEST(BundleReader, AnEmptySearchsetIsAnAnswerWithoutSlots) {
  json empty = {{"resourceType", "Bundle"}, {"type", "searchset"}, {"total", 0}};
  const auto reading = read(empty);
  EXPECT_TRUE(reading.ok);
  EXPECT_TRUE(reading.slots.empty());
  EXPECT_TRUE(reading.refused.empty());
}

TEST(BundleReader, ASlotWithoutStart) {
  auto s = freeSlot("s-1");
  s.erase("start");
  EXPECT_EQ(onlyRefusal(read(bundleOf({s}))), FeedProblem::SlotWithoutStart);
  s["start"] = nullptr;
  EXPECT_EQ(onlyRefusal(read(bundleOf({s}))), FeedProblem::SlotWithoutStart);
  s["start"] = "";
  EXPECT_EQ(onlyRefusal(read(bundleOf({s}))), FeedProblem::SlotWithoutStart);
}

TEST(BundleReader, DatesWithoutOffset) {
  for (auto [start, end] : std::vector<std::pair<std::string, std::string>>{
           {"2026-12-04T10:00:00", "2026-12-04T10:20:00+01:00"},
           {"2026-12-04T10:00:00+01:00", "2026-12-04T10:20:00"},
           {"2026-12-04", "2026-12-05"},
           {"2026-12-04T10:00:00.000", "2026-12-04T10:20:00.000"}})
    EXPECT_EQ(onlyRefusal(read(bundleOf({freeSlot("s-1", "Schedule/agenda-1", start, end)}))),
              FeedProblem::DateWithoutOffset)
        << start << " " << end;
}

TEST(BundleReader, OffsetsAndZuluAreReadToTheSecond) {
  const auto reading = read(bundleOf(
      {freeSlot("s-1", "Schedule/agenda-1", "2026-12-04T10:00:00Z", "2026-12-04T14:20:00+04:00"),
       freeSlot("s-2", "Schedule/agenda-1", "2026-12-04T06:00:00.500-04:00",
                "2026-12-04T10:00:01Z")}));
  ASSERT_EQ(reading.slots.size(), 2u);
  EXPECT_EQ(reading.slots[0].start, at(2026, 12, 4, 10));
  EXPECT_EQ(reading.slots[0].end, at(2026, 12, 4, 10, 20));
  EXPECT_EQ(reading.slots[1].start, at(2026, 12, 4, 10));
  EXPECT_EQ(reading.slots[1].end, at(2026, 12, 4, 10) + std::chrono::seconds{1});
}

TEST(BundleReader, ASlotOf24HoursIsTheLongestRead) {
  const auto reading = read(bundleOf(
      {freeSlot("s-1", "Schedule/agenda-1", "2026-12-04T10:00:00+01:00", "2026-12-05T09:00:00Z")}));
  ASSERT_EQ(reading.slots.size(), 1u);
  EXPECT_EQ(reading.slots[0].end - reading.slots[0].start, std::chrono::hours{24});
}

TEST(BundleReader, BadSlots) {
  std::vector<std::pair<std::string, json>> cases;
  auto add = [&](std::string why, json slot) { cases.emplace_back(std::move(why), slot); };
  auto s = freeSlot("s-1");
  s.erase("end");
  add("no end", s);
  add("end at start",
      freeSlot("s-1", "Schedule/agenda-1", "2026-12-04T10:00:00+01:00", "2026-12-04T09:00:00Z"));
  add("end before start",
      freeSlot("s-1", "Schedule/agenda-1", "2026-12-04T10:00:00+01:00", "2026-12-04T08:59:59Z"));
  add("longer than 24 h",
      freeSlot("s-1", "Schedule/agenda-1", "2026-12-04T10:00:00+01:00", "2026-12-05T09:00:01Z"));
  add("malformed start", freeSlot("s-1", "Schedule/agenda-1", "demain 10h"));
  add("malformed end",
      freeSlot("s-1", "Schedule/agenda-1", "2026-12-04T10:00:00+01:00", "2026-12-04T25:00:00Z"));
  s = freeSlot("s-1");
  s["start"] = 1764838800;
  add("start a number", s);
  for (const char* status : {"busy", "busy-unavailable", "busy-tentative", "entered-in-error"}) {
    s = freeSlot("s-1");
    s["status"] = status;
    add(std::string("status ") + status, s);
  }
  s = freeSlot("s-1");
  s.erase("status");
  add("no status", s);
  add("unknown Schedule", freeSlot("s-1", "Schedule/agenda-404"));
  add("schedule reference to a Practitioner", freeSlot("s-1", "Practitioner/pr-1"));
  s = freeSlot("s-1");
  s.erase("schedule");
  add("no schedule", s);
  s = freeSlot("s-1");
  s["schedule"] = "Schedule/agenda-1";
  add("schedule not a Reference", s);
  for (const auto& [why, slot] : cases)
    EXPECT_EQ(onlyRefusal(read(bundleOf({slot}))), FeedProblem::BadSlot) << why;
}

TEST(BundleReader, ScheduleWithoutAPractitionerWithAnIdnps) {
  auto withPractitioner = [](json p) {
    auto b = bundleOf({freeSlot("s-1")});
    for (auto& e : b["entry"])
      if (e["resource"]["resourceType"] == "Practitioner") e["resource"] = p;
    return b;
  };
  // Another system, an IDNPS of no valid form, no identifier at all.
  EXPECT_EQ(onlyRefusal(read(withPractitioner(
                practitioner("pr-1", "urn:oid:1.2.250.1.71.4.2.9", "810002345678")))),
            FeedProblem::BadSlot);
  EXPECT_EQ(onlyRefusal(read(withPractitioner(practitioner("pr-1", kIdnps, "8100023")))),
            FeedProblem::BadSlot);
  EXPECT_EQ(onlyRefusal(read(withPractitioner({{"resourceType", "Practitioner"}, {"id", "pr-1"}}))),
            FeedProblem::BadSlot);
  // A Schedule whose only actor is a Location.
  auto onlyLocation = bundleOf({freeSlot("s-1", "Schedule/agenda-2")});
  onlyLocation["entry"].push_back(entry(schedule("agenda-2", {"Location/cab-1"})));
  EXPECT_EQ(onlyRefusal(read(onlyLocation)), FeedProblem::BadSlot);
  // A Practitioner actor the Bundle does not hold.
  auto missing = bundleOf({freeSlot("s-1", "Schedule/agenda-2")});
  missing["entry"].push_back(entry(schedule("agenda-2", {"Practitioner/pr-404"})));
  EXPECT_EQ(onlyRefusal(read(missing)), FeedProblem::BadSlot);
  // A bare RPPS and an ADELI are IDNPS once normalised.
  for (auto [value, idnps] : std::vector<std::pair<std::string, std::string>>{
           {"10002345678", "810002345678"}, {"0751234567", "0751234567"}}) {
    const auto reading = read(withPractitioner(practitioner("pr-1", kIdnps, value)));
    ASSERT_EQ(reading.slots.size(), 1u) << value;
    EXPECT_EQ(reading.slots[0].professionalId, idnps);
  }
}

TEST(BundleReader, MaxSlotsAcceptedOneMoreRefusedWhole) {
  std::vector<json> slots;
  for (int i = 0; i < 5; ++i) slots.push_back(freeSlot("s-" + std::to_string(i)));
  slots[4]["status"] = "busy";  // refused Slots count towards the cap too
  const auto b = bundleOf(slots);
  const auto accepted = read(b, 5);
  ASSERT_TRUE(accepted.ok);
  EXPECT_EQ(accepted.slots.size(), 4u);
  EXPECT_EQ(accepted.refused.at(FeedProblem::BadSlot), 1);
  const auto refused = read(b, 4);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.problem, FeedProblem::TooManySlots);
  EXPECT_EQ(refused.detail, "5 créneaux (au plus 4)");
  EXPECT_TRUE(refused.slots.empty());
  EXPECT_TRUE(refused.refused.empty());
  // Other resources do not count.
  EXPECT_TRUE(read(bundleOf({freeSlot("s-1")}), 1).ok);
  EXPECT_FALSE(read(bundleOf({freeSlot("s-1")}), 0).ok);
}

TEST(BundleReader, BookingUrlOnlyFromAnHttpComment) {
  std::vector<std::pair<std::string, std::string>> comments = {
      {"https://rdv.editeur.test/prendre/123", "https://rdv.editeur.test/prendre/123"},
      {"http://rdv.editeur.test/x", "http://rdv.editeur.test/x"},
      {"Appeler le secrétariat", ""},
      {"ftp://rdv.editeur.test/x", ""},
      {"javascript:alert(1)", ""},
      {" https://rdv.editeur.test/x", ""},
      {"https:/rdv", ""}};
  for (const auto& [comment, url] : comments) {
    auto s = freeSlot("s-1");
    s["comment"] = comment;
    const auto reading = read(bundleOf({s}));
    ASSERT_EQ(reading.slots.size(), 1u) << comment;
    EXPECT_EQ(reading.slots[0].bookingUrl, url) << comment;
  }
  auto s = freeSlot("s-1");
  s["comment"] = 12;
  EXPECT_EQ(read(bundleOf({s})).slots.at(0).bookingUrl, "");
}

TEST(BundleReader, ServiceTypesMapToConsultationTypes) {
  auto code = [](const char* c) { return json{{"system", kActCode}, {"code", c}}; };
  using T = ConsultationType;
  std::vector<std::pair<json, domain::ConsultationTypes>> cases = {
      {json::array({{{"coding", json::array({code("AMB")})}}}), types({T::Office})},
      {json::array({{{"coding", json::array({code("VR")})}}}), types({T::Teleconsultation})},
      {json::array({{{"coding", json::array({code("HH")})}}}), types({T::HomeVisit})},
      {json::array(
           {{{"coding", json::array({code("VR")})}}, {{"coding", json::array({code("HH")})}}}),
       types({T::Teleconsultation, T::HomeVisit})},
      {json::array({{{"coding", json::array({code("AMB"), code("VR"), code("HH")})}}}),
       types({T::Office, T::Teleconsultation, T::HomeVisit})},
      // A coding without system is taken; one of another system, or an unknown code, is not.
      {json::array({{{"coding", json::array({{{"code", "VR"}}})}}}), types({T::Teleconsultation})},
      {json::array({{{"coding", json::array({{{"system", "urn:autre"}, {"code", "VR"}}})}}}),
       types({T::Office})},
      {json::array({{{"coding", json::array({code("EMER")})}}}), types({T::Office})},
      {json::array({{{"text", "Consultation"}}}), types({T::Office})},
      {json::array(), types({T::Office})}};
  for (const auto& [serviceType, expected] : cases) {
    auto s = freeSlot("s-1");
    s["serviceType"] = serviceType;
    const auto reading = read(bundleOf({s}));
    ASSERT_EQ(reading.slots.size(), 1u) << serviceType;
    EXPECT_EQ(reading.slots[0].types, expected) << serviceType;
  }
}

// Dr Martin's Schedule names a PractitionerRole whose Location (contained or in the Bundle)
// and Organization (by reference or by identifier) name the place.
TEST(BundleReader, LocationAndOrganizationIdentifiers) {
  const json finessOrg = {
      {"resourceType", "Organization"},
      {"id", "org-1"},
      {"identifier", json::array({{{"system", kIdnst}, {"value", "1750000016"}},
                                  {{"system", "urn:oid:1.2.250.1.71.4.2.9"}, {"value", "x"}}})}};
  const json location = {
      {"resourceType", "Location"},
      {"id", "cab-2"},
      {"identifier",
       json::array({{{"system", "https://sas.example/lieux"}, {"value", "4321"}},
                    {{"system", kIdnst}, {"value", "12b0000017"}},  // Corsica's letter upper-cased
                    {{"system", "https://editeur.test/lieux"}, {"value", "C-12"}},  // not digits
                    // Another site's place ids are its own: they name none of ours.
                    {{"system", "https://editeur.test/lieux"}, {"value", "55"}},
                    {{"system", "https://sas.example/lieux/"}, {"value", "56"}},
                    {{"system", "https://editeur.test/sites"}, {"value", "99"}},
                    {{"system", kIdnst}, {"value", "999"}}})},  // no IDNST form
      {"position", {{"latitude", 42.7}, {"longitude", 9.45}}},
      {"managingOrganization", {{"reference", "Organization/org-1"}}}};
  const json role = {
      {"resourceType", "PractitionerRole"},
      {"id", "role-1"},
      {"location", json::array({{{"reference", "Location/cab-2"}}})},
      {"organization", {{"identifier", {{"system", kIdnst}, {"value", "312345678200010"}}}}}};
  auto b = bundleOf({freeSlot("s-1", "Schedule/agenda-2")});
  b["entry"].push_back(
      entry(schedule("agenda-2", {"Practitioner/pr-1", "PractitionerRole/role-1"})));
  b["entry"].push_back(entry(role));
  b["entry"].push_back(entry(location));
  b["entry"].push_back(entry(finessOrg));
  auto reading = read(b);
  ASSERT_EQ(reading.slots.size(), 1u);
  EXPECT_EQ(reading.slots[0].locationIdentifiers,
            (std::vector<std::string>{"lieu:4321", "12B0000017", "1750000016", "312345678200010"}));
  EXPECT_EQ(reading.slots[0].position, (domain::GeoPoint{42.7, 9.45}));

  // The same Location contained in the role, the Organization contained in the Schedule's
  // Location actor's Bundle entry, named by its fullUrl.
  auto containedRole = role;
  auto containedLocation = location;
  containedLocation["managingOrganization"] = {
      {"reference", "https://editeur.test/fhir/Organization/org-1"}};
  containedRole["contained"] = json::array({containedLocation});
  containedRole["location"] = json::array({{{"reference", "#cab-2"}}});
  containedRole.erase("organization");
  b = bundleOf({freeSlot("s-1", "Schedule/agenda-2")});
  b["entry"].push_back(
      entry(schedule("agenda-2", {"Practitioner/pr-1", "PractitionerRole/role-1"})));
  b["entry"].push_back(entry(containedRole));
  b["entry"].push_back(entry(finessOrg));
  reading = read(b);
  ASSERT_EQ(reading.slots.size(), 1u);
  EXPECT_EQ(reading.slots[0].locationIdentifiers,
            (std::vector<std::string>{"lieu:4321", "12B0000017", "1750000016"}));

  // A Location actor of the Schedule, with an identifier its Organization repeats: once.
  auto located = location;
  located["managingOrganization"] = {{"identifier", {{"system", kIdnst}, {"value", "12b0000017"}}}};
  located["id"] = "cab-1";
  b = bundleOf({freeSlot("s-1")});
  for (auto& e : b["entry"])
    if (e["resource"]["resourceType"] == "Location") e["resource"] = located;
  reading = read(b);
  ASSERT_EQ(reading.slots.size(), 1u);
  EXPECT_EQ(reading.slots[0].locationIdentifiers,
            (std::vector<std::string>{"lieu:4321", "12B0000017"}));
}

TEST(BundleReader, PositionOnlyFromTwoNumbersInRange) {
  for (const json& position :
       {json{{"latitude", "45.75"}, {"longitude", 4.85}}, json{{"latitude", 45.75}},
        json{{"latitude", 95.0}, {"longitude", 4.85}},
        json{{"latitude", 45.75}, {"longitude", 181}}, json("45.75,4.85")}) {
    auto b = bundleOf({freeSlot("s-1")});
    for (auto& e : b["entry"])
      if (e["resource"]["resourceType"] == "Location") e["resource"]["position"] = position;
    const auto reading = read(b);
    ASSERT_EQ(reading.slots.size(), 1u) << position;
    EXPECT_EQ(reading.slots[0].position, std::nullopt) << position;
  }
}

TEST(BundleReader, ReferencesByFullUrlAndAbsoluteUrl) {
  auto b = bundleOf({freeSlot("s-1", "https://editeur.test/fhir/Schedule/agenda-1"),
                     freeSlot("s-2", "https://ailleurs.test/fhir/Schedule/agenda-1/_history/3"),
                     freeSlot("s-3", "urn:uuid:5d1a2c5e-1b5e-4d83-9d43-7c1f3a6e2b10")});
  b["entry"].push_back({{"fullUrl", "urn:uuid:5d1a2c5e-1b5e-4d83-9d43-7c1f3a6e2b10"},
                        {"resource", schedule("agenda-3", {"Practitioner/pr-1"})}});
  const auto reading = read(b);
  EXPECT_TRUE(reading.refused.empty());
  EXPECT_EQ(reading.slots.size(), 3u);
}

TEST(BundleReader, GoodSlotsKeptAndTheOthersCountedByKind) {
  auto noStart = freeSlot("s-3");
  noStart.erase("start");
  auto busy = freeSlot("s-4");
  busy["status"] = "busy";
  auto strange = freeSlot("s-6");
  strange["serviceType"] = "AMB";  // not a list: left out, not thrown
  strange["comment"] = json::array({1, 2});
  const auto reading =
      read(bundleOf({freeSlot("s-1"), freeSlot("s-2", "Schedule/agenda-1", "2026-12-04T11:00:00"),
                     noStart, busy, freeSlot("s-5", "Schedule/agenda-9"), strange,
                     freeSlot("s-7", "Schedule/agenda-1", "2026-12-05T08:00:00+01:00",
                              "2026-12-05T08:15:00+01:00")}));
  ASSERT_TRUE(reading.ok);
  ASSERT_EQ(reading.slots.size(), 3u);
  EXPECT_EQ(reading.slots[0].start, at(2026, 12, 4, 9));
  EXPECT_EQ(reading.slots[1].start, at(2026, 12, 4, 9));
  EXPECT_EQ(reading.slots[2].start, at(2026, 12, 5, 7));
  EXPECT_EQ(reading.refused, (std::map<FeedProblem, int>{{FeedProblem::SlotWithoutStart, 1},
                                                         {FeedProblem::DateWithoutOffset, 1},
                                                         {FeedProblem::BadSlot, 2}}));
}

TEST(BundleReader, DeepNestingNeitherCrashesNorThrows) {
  const std::string deep = std::string(200'000, '[') + std::string(200'000, ']');
  const auto refused = readSlotBundle(deep, 10);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.problem, FeedProblem::NotABundle);
  // The Location's position replaced by the same arrays: the Slot is read, without position.
  std::string body = bundleOf({freeSlot("s-1")}).dump();
  const std::string marker = "\"position\":";
  const auto from = body.find(marker) + marker.size();
  const auto to = body.find('}', from) + 1;
  ASSERT_GT(to, from);
  body.replace(from, to - from, deep);
  const auto read = readSlotBundle(body, 10);
  ASSERT_TRUE(read.ok) << read.detail;
  ASSERT_EQ(read.slots.size(), 1u);
  EXPECT_EQ(read.slots[0].position, std::nullopt);
}

// Timed only where the code is optimised and not instrumented (the sanitizers' Debug build
// reads fewer Slots, for what they check).
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
constexpr bool kTimed = true;
#else
constexpr bool kTimed = false;
#endif

// 100,000 Slots of 25 professionals' Schedules: each reference one look-up, each Schedule read
// once. The bound is loose (a shared machine); a quadratic reading would take minutes.
TEST(BundleReader, AHundredThousandSlotsInWellUnderASecond) {
  constexpr int kSlots = kTimed ? 100'000 : 20'000;
  constexpr int kProfessionals = 25;
  std::string body = R"({"resourceType":"Bundle","type":"searchset","entry":[)";
  for (int p = 0; p < kProfessionals; ++p) {
    const auto n = std::to_string(p);
    body += R"({"resource":{"resourceType":"Schedule","id":"a)" + n +
            R"(","actor":[{"reference":"Practitioner/p)" + n + R"("},{"reference":"Location/l)" +
            n + R"("}]}},)";
    body += R"({"resource":{"resourceType":"Practitioner","id":"p)" + n +
            R"(","identifier":[{"system":"urn:oid:1.2.250.1.71.4.2.1","value":"8100000)" +
            std::string(5 - n.size(), '0') + n + R"("}]}},)";
    body += R"({"resource":{"resourceType":"Location","id":"l)" + n +
            R"(","identifier":[{"system":"urn:oid:1.2.250.1.71.4.2.2","value":"1750000)" +
            std::string(3 - n.size(), '0') + n +
            R"("}],"position":{"latitude":48.8,"longitude":2.3}}},)";
  }
  for (int i = 0; i < kSlots; ++i) {
    const int minute = i % (60 * 24);
    char times[80];
    std::snprintf(
        times, sizeof times,
        R"("start":"2026-12-04T%02d:%02d:00.000+01:00","end":"2026-12-05T00:00:00.000+01:00")",
        minute / 60, minute % 60);
    body +=
        R"({"fullUrl":"https://e.test/fhir/Slot/s)" + std::to_string(i) +
        R"(","resource":{"resourceType":"Slot","id":"s)" + std::to_string(i) +
        R"(","schedule":{"reference":"Schedule/a)" + std::to_string(i % kProfessionals) +
        R"("},"status":"free",)" + times +
        R"(,"serviceType":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"}]}],"comment":"https://e.test/rdv/)" +
        std::to_string(i) + R"("}})";
    body += i + 1 < kSlots ? "," : "]}";
  }
  const auto begin = std::chrono::steady_clock::now();
  const auto reading = readSlotBundle(body, kSlots);
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  ASSERT_TRUE(reading.ok) << reading.detail;
  EXPECT_TRUE(reading.refused.empty());
  ASSERT_EQ(reading.slots.size(), static_cast<std::size_t>(kSlots));
  EXPECT_EQ(reading.slots[26].professionalId, "810000000001");
  EXPECT_EQ(reading.slots[26].locationIdentifiers, std::vector<std::string>{"1750000001"});
  EXPECT_EQ(reading.slots[kSlots - 1].bookingUrl,
            "https://e.test/rdv/" + std::to_string(kSlots - 1));
  std::printf("%zu bytes, %d Slots read in %lld ms\n", body.size(), kSlots,
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
}

}  // namespace
}  // namespace sas::publishers
