// A publisher's answer to the search by professional (INT_R01) read into checked slots
// (publishers/bundle_reader): our own publisher's Bundles read back, then each way a body or
// a Slot is refused.
#include "publishers/bundle_reader.hpp"

#include <gtest/gtest.h>

#include <chrono>

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
  p.card.place = {
      7,       70,     "Cabinet du Dr Dupont", "40 Rue Ordener", "75018", "Paris", "75118",
      48.8925, 2.3444, "Europe/Paris",         "01 42 00 00 09"};
  p.card.structure = {70, "Cabinet du Dr Dupont", "Cabinet", "", "12345678200010", "", "75", {}};
  p.card.professionals = {{"Jean", "DUPONT", "Médecin", "Médecine générale", "810000000009"}};
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
  p.card.place = {
      10,     100,   "Cabinet du Dr Hoarau", "8 Rue de Paris", "97400", "Saint-Denis", "97411",
      -20.88, 55.45, "Indian/Reunion",       "02 62 00 00 58"};
  p.card.structure = {100, "Cabinet du Dr Hoarau", "Cabinet", "", "40212345600012", "", "974", {}};
  p.card.professionals = {{"Anne", "HOARAU", "Médecin", "Médecine générale", "810000000058"}};
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
    const auto reading = readSlotBundle(ourBundle(shape), 100);
    ASSERT_TRUE(reading.ok) << reading.detail;
    EXPECT_TRUE(reading.refused.empty());
    EXPECT_EQ(reading.slots, expected);
  }
}

}  // namespace
}  // namespace sas::publishers
