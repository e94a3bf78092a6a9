// The regulators' search on in-memory ports (tests/support/fakes.hpp): the form's checks with
// their boundaries, the geocoder's three answers, and the index kept up to date by changes.
#include "app/search_service.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <stdexcept>
#include <thread>

#include "app/errors.hpp"
#include "support/days.hpp"
#include "support/fakes.hpp"

namespace sas::app {
namespace {

using domain::Day;

using test::ymd;

domain::Instant utc(int y, unsigned m, unsigned d, int hour) {
  return date::sys_days{ymd(y, m, d)} + std::chrono::hours{hour};
}

constexpr int kMaxRadiusKm = static_cast<int>(domain::kMaxSearchRadiusMetres / 1000);

class SearchServiceTest : public ::testing::Test {
 protected:
  SearchServiceTest() {
    paris16_ = addCentre("Centre de santé Michel-Ange", 48.8466, 2.2637);
    addSlot(paris16_, ymd(2026, 3, 5));
    geocoder_.add("81 rue Michel-Ange Paris",
                  {"81 Rue Michel-Ange 75016 Paris", LocationKind::Address, 48.8466, 2.2637, "75"});
    geocoder_.addAmbiguous("Saint-Denis",
                           {{"Saint-Denis (93)", LocationKind::Town, 48.9362, 2.3574, "93"},
                            {"Saint-Denis (974)", LocationKind::Town, -20.8823, 55.4504, "974"}});
    regulator_.user = {3, "regulation@sas.test", "Rémi", "Durand", Role::Regulator, "", false};
    service_.rebuild();
  }

  std::int64_t addCentre(const std::string& name, double lat, double lon) {
    app::Structure s{0, name, "Centre de santé", "", "", "", "75", {}};
    s.participation = {true, 2, true, true};
    const auto sid = structures_.createStructure(s);
    return structures_.createPlace({0, sid, "", "81 Rue Michel-Ange", "75016", "Paris", "75116",
                                    lat, lon, "Europe/Paris", ""});
  }

  // A créneau from 14h00 to 15h00 (Paris) in the office, on `day`.
  void addSlot(std::int64_t placeId, Day day) {
    domain::Availability a;
    a.placeId = placeId;
    a.base = {
        day, 14 * 60, 15 * 60, domain::AvailabilityKind::Slot, 1, domain::ConsultationTypes{1}};
    domain::AgendaChange change;
    change.created.push_back(a);
    agenda_.applyChange(placeId, change, {}, clock_.now());
  }

  // A plage from 09h00 to 12h00 (Paris) for 3, on `day`.
  void addPlage(std::int64_t placeId, Day day) {
    domain::Availability a;
    a.placeId = placeId;
    a.base = {
        day, 9 * 60, 12 * 60, domain::AvailabilityKind::Range, 3, domain::ConsultationTypes{1}};
    domain::AgendaChange change;
    change.created.push_back(a);
    agenda_.applyChange(placeId, change, {}, clock_.now());
  }

  // `n` centres with a créneau tomorrow, `eastKm` east of the Michel-Ange centre.
  void addCentres(int n, double eastKm) {
    for (int i = 0; i < n; ++i) {
      const auto id = addCentre("Centre " + std::to_string(eastKm) + " " + std::to_string(i),
                                48.8466 + 0.001 * i, 2.2637 + eastKm / 73.3);
      addSlot(id, ymd(2026, 3, 5));
      service_.placeChanged(id);
    }
  }

  SearchOutcome search(const std::string& where, const std::string& radius = "") {
    SearchForm form;
    form.where = where;
    form.radiusKm = radius;
    return service_.search(regulator_, form);
  }

  static bool hasError(const SearchOutcome& out, const std::string& field) {
    for (const auto& e : out.errors)
      if (e.field == field) return true;
    return false;
  }

  // Wednesday 4 March 2026, 10h00 in Paris.
  fakes::FixedClock clock_{utc(2026, 3, 4, 9)};
  fakes::Data data_;
  fakes::FakeStructures structures_{data_};
  fakes::FakeAgenda agenda_{data_};
  fakes::FakeSearchSource source_{data_};
  fakes::FakeGeocoder geocoder_;
  fakes::NoAreas areas_;
  SearchService service_{source_, geocoder_, areas_, clock_, SearchSettings{}};
  Actor regulator_;
  std::int64_t paris16_ = 0;
};

TEST_F(SearchServiceTest, OnlyRegulatorsSearch) {
  Actor manager = regulator_;
  manager.user.role = Role::StructureManager;
  try {
    service_.search(manager, {});
    FAIL() << "a structure manager searched";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::Forbidden);
  }
}

TEST_F(SearchServiceTest, AnAddressFindsTheNearbyPlaceWithItsSlot) {
  const auto out = search("81 rue Michel-Ange Paris");
  ASSERT_EQ(out.status, SearchOutcome::Status::Results);
  EXPECT_EQ(out.radiusKm, 20);  // no published radius: the fallback
  EXPECT_EQ(out.order, domain::SearchOrder::Distance);
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].card->id(), paris16_);
  EXPECT_EQ(out.results[0].card->name(), "Centre de santé Michel-Ange");
  ASSERT_EQ(out.results[0].hit.slots.size(), 1u);
  EXPECT_EQ(out.results[0].hit.earliestStart, utc(2026, 3, 5, 13));
}

TEST_F(SearchServiceTest, ACommittedChangeIsSeenByTheNextSearch) {
  const auto second = addCentre("Maison de santé Auteuil", 48.8480, 2.2600);
  EXPECT_EQ(search("81 rue Michel-Ange Paris").results.size(), 1u);
  addSlot(second, ymd(2026, 3, 4));
  service_.placeChanged(second);
  const auto out = search("81 rue Michel-Ange Paris");
  ASSERT_EQ(out.results.size(), 2u);
}

// An orientation tells its change's row: the place is read once for it, not once more by the
// job that follows the changes table; a change told without its row is read again by the job.
TEST_F(SearchServiceTest, AChangeToldWithItsRowIsNotReadAgainByTheJob) {
  const auto second = addCentre("Maison de santé Auteuil", 48.8480, 2.2600);
  service_.maintain();  // the job has read every change so far
  addSlot(second, ymd(2026, 3, 4));
  const auto row = static_cast<std::int64_t>(data_.changes.size());
  source_.placeReads = 0;
  service_.placeChanged(second, row);
  EXPECT_EQ(source_.placeReads, 1);
  service_.maintain();
  EXPECT_EQ(source_.placeReads, 1);
  EXPECT_EQ(search("81 rue Michel-Ange Paris").results.size(), 2u);

  addSlot(second, ymd(2026, 3, 5));
  service_.placeChanged(second);
  EXPECT_EQ(source_.placeReads, 2);
  service_.maintain();
  EXPECT_EQ(source_.placeReads, 3);
}

TEST_F(SearchServiceTest, AnAmbiguousPlaceOffersAShortListThenSearchesTheChoice) {
  const auto out = search("Saint-Denis");
  ASSERT_EQ(out.status, SearchOutcome::Status::Ambiguous);
  ASSERT_EQ(out.choices.size(), 2u);
  EXPECT_EQ(out.choices[1].label, "Saint-Denis (974)");

  SearchForm form;
  form.where = "Saint-Denis";
  form.choice = out.choices[0].key;
  const auto chosen = service_.search(regulator_, form);
  ASSERT_EQ(chosen.status, SearchOutcome::Status::Results);
  EXPECT_EQ(chosen.location.label, "Saint-Denis (93)");
  EXPECT_EQ(chosen.order, domain::SearchOrder::Random);  // a town: no one favoured
}

TEST_F(SearchServiceTest, AnEmptyOrUnknownPlaceIsRefusedOnItsField) {
  EXPECT_TRUE(hasError(search("  "), search_fields::kWhere));
  const auto unknown = search("Nulle-Part");
  EXPECT_EQ(unknown.status, SearchOutcome::Status::Invalid);
  EXPECT_TRUE(hasError(unknown, search_fields::kWhere));
}

TEST_F(SearchServiceTest, RadiusGoesFromOneKilometreToTheMaximum) {
  const std::string here = "81 rue Michel-Ange Paris";
  EXPECT_TRUE(hasError(search(here, "0"), search_fields::kRadius));
  EXPECT_EQ(search(here, "1").radiusKm, 1);
  EXPECT_EQ(search(here, " " + std::to_string(kMaxRadiusKm) + " ").radiusKm, kMaxRadiusKm);
  EXPECT_TRUE(hasError(search(here, std::to_string(kMaxRadiusKm + 1)), search_fields::kRadius));
  EXPECT_TRUE(hasError(search(here, "-5"), search_fields::kRadius));
  EXPECT_TRUE(hasError(search(here, "1.5"), search_fields::kRadius));
}

TEST_F(SearchServiceTest, PerPageGoesFromOneToTheMaximum) {
  SearchForm form;
  form.where = "81 rue Michel-Ange Paris";
  for (const auto& [perPage, ok] :
       {std::pair<std::string, bool>{"0", false}, {"1", true}, {"50", true}, {"51", false}}) {
    form.perPage = perPage;
    EXPECT_EQ(hasError(service_.search(regulator_, form), search_fields::kPerPage), !ok) << perPage;
  }
}

// SPEC §10 « Past »: a plage 09h00–12h00 is found until 11h30, also by an index built after
// its start.
TEST_F(SearchServiceTest, AStartedPlageIsFoundUntilThirtyMinutesBeforeItsEnd) {
  const auto plage = addCentre("Maison de santé Auteuil", 48.8480, 2.2600);
  addPlage(plage, ymd(2026, 3, 4));
  service_.placeChanged(plage);
  const auto found = [&] {
    for (const auto& r : search("81 rue Michel-Ange Paris").results)
      if (r.card->id() == plage) return true;
    return false;
  };
  EXPECT_TRUE(found());             // 10h00: started an hour ago
  clock_.set(utc(2026, 3, 4, 10));  // 11h00 Paris
  service_.rebuild();               // a horizon that starts after the plage
  clock_.set(utc(2026, 3, 4, 10) + std::chrono::minutes{30} - std::chrono::seconds{1});
  EXPECT_TRUE(found());
  clock_.advance(std::chrono::seconds{1});  // 11h30:00
  EXPECT_TRUE(found());
  clock_.advance(std::chrono::seconds{1});
  EXPECT_FALSE(found());
}

TEST_F(SearchServiceTest, ThePlagesCloseFollowsTheSetting) {
  const auto plage = addCentre("Maison de santé Auteuil", 48.8480, 2.2600);
  addPlage(plage, ymd(2026, 3, 4));
  SearchSettings settings;
  settings.plageClosesBeforeEnd = std::chrono::minutes{45};
  SearchService service{source_, geocoder_, areas_, clock_, settings};
  service.rebuild();
  SearchForm form;
  form.where = "81 rue Michel-Ange Paris";
  clock_.set(utc(2026, 3, 4, 10) + std::chrono::minutes{15});  // 11h15 Paris
  EXPECT_EQ(service.search(regulator_, form).total, 2u);
  clock_.advance(std::chrono::seconds{1});
  EXPECT_EQ(service.search(regulator_, form).total, 1u);
}

// « Élargir à N km »: fewer than 5 places with availabilities in the radius (20 km, no published
// one), N = 20 + 10 (no elargissement_km published), with how many it would add.
TEST_F(SearchServiceTest, FewerThanFivePlacesWithAvailabilitiesOfferTheNextRadius) {
  addCentres(3, 5);   // with Michel-Ange: 4 within 20 km
  addCentres(2, 25);  // between 20 and 30 km
  addCentres(1, 35);  // beyond 30 km
  auto out = search("81 rue Michel-Ange Paris");
  EXPECT_EQ(out.available, 4u);
  EXPECT_TRUE(out.widen);
  EXPECT_EQ(out.widerRadiusKm, 30);
  EXPECT_EQ(out.widerAdds, 2u);

  addCentres(1, 6);  // 5 within 20 km: not offered
  out = search("81 rue Michel-Ange Paris");
  EXPECT_EQ(out.available, 5u);
  EXPECT_FALSE(out.widen);
  EXPECT_EQ(out.widerAdds, 0u);

  // At the maximum radius there is nothing wider to offer.
  out = search("81 rue Michel-Ange Paris", "1");
  EXPECT_EQ(out.available, 1u);
  EXPECT_TRUE(out.widen);
  EXPECT_EQ(out.widerRadiusKm, 11);
  out = search("81 rue Michel-Ange Paris", std::to_string(kMaxRadiusKm));
  EXPECT_FALSE(out.widen);
}

TEST_F(SearchServiceTest, AnUnknownDelayIsRefused) {
  SearchForm form;
  form.where = "81 rue Michel-Ange Paris";
  form.within = {"0-4", "48-72"};
  EXPECT_EQ(service_.search(regulator_, form).status, SearchOutcome::Status::Results);
  form.within = {"0-5"};
  EXPECT_TRUE(hasError(service_.search(regulator_, form), search_fields::kWithin));
}

TEST_F(SearchServiceTest, AProfessionalsNameOrSpecialtyFindsHisPlaceAndNamesHim) {
  const auto second = addCentre("Maison de santé Auteuil", 48.8480, 2.2600);
  addSlot(second, ymd(2026, 3, 5));
  const auto sid = data_.places.at(second).structureId;
  data_.professionals[sid] = {{"Claire", "LIEUX", "Médecin", "Médecine générale"},
                              {"Noël", "Béranger", "Médecin", "Pédiatrie"}};
  service_.placeChanged(second);
  auto what = [&](const std::string& typed) {
    SearchForm form;
    form.where = "81 rue Michel-Ange Paris";
    form.what = typed;
    return service_.search(regulator_, form);
  };
  const auto byName = what("lieu cla");
  ASSERT_EQ(byName.results.size(), 1u);
  EXPECT_EQ(byName.results[0].card->id(), second);
  ASSERT_EQ(byName.results[0].professionals.size(), 1u);
  EXPECT_EQ(domain::professionalLabel(byName.results[0].professionals[0]),
            "Dr Claire Lieux — Médecine générale");
  const auto bySynonym = what("pédiatre");
  ASSERT_EQ(bySynonym.results.size(), 1u);
  ASSERT_EQ(bySynonym.results[0].professionals.size(), 1u);
  EXPECT_EQ(bySynonym.results[0].professionals[0].lastName, "Béranger");
  EXPECT_TRUE(what("lai").results.empty());  // inside « Claire »: no
  // The structure's own words: found, nobody named; the sheet lists everyone.
  const auto byPlace = what("auteuil");
  ASSERT_EQ(byPlace.results.size(), 1u);
  EXPECT_TRUE(byPlace.results[0].professionals.empty());
  EXPECT_EQ(service_.placeSheet(regulator_, second).professionals.size(), 2u);
  EXPECT_TRUE(service_.placeSheet(regulator_, paris16_).professionals.empty());
}

// What the FHIR publisher reads: places by their professionals' national ids or by their
// structure's FINESS or SIRET, each with its free occurrences in the bounds; keys follow changes.
TEST_F(SearchServiceTest, PlacesArePublishedByProfessionalAndByStructure) {
  const auto second = addCentre("Maison de santé Auteuil", 48.8480, 2.2600);
  addSlot(second, ymd(2026, 3, 5));
  addSlot(second, ymd(2026, 3, 6));
  auto& structure = data_.structures.at(data_.places.at(second).structureId);
  structure.finess = "750000001";
  structure.siret = "12345678200010";
  data_.professionals[structure.id] = {
      {"Claire", "LIEUX", "Médecin", "Médecine générale", "810000000009"},
      {"Noël", "Béranger", "Médecin", "Pédiatrie", "012345678"}};
  service_.placeChanged(second);
  const auto from = utc(2026, 3, 4, 0), to = utc(2026, 3, 10, 0);
  const auto byRpps = service_.publishedByProfessionals({"810000000009"}, from, to);
  ASSERT_EQ(byRpps.size(), 1u);
  EXPECT_EQ(byRpps[0].details.place.id, second);
  EXPECT_EQ(byRpps[0].slots.size(), 2u);
  ASSERT_NE(byRpps[0].zone, nullptr);
  EXPECT_EQ(byRpps[0].zone->name(), "Europe/Paris");
  EXPECT_EQ(service_.publishedByProfessionals({"012345678", "899999999999"}, from, to).size(), 1u);
  EXPECT_EQ(service_.publishedByStructures({"1750000001"}, from, to).size(), 1u);
  EXPECT_EQ(service_.publishedByStructures({"312345678200010"}, from, to).size(), 1u);
  EXPECT_TRUE(service_.publishedByStructures({"3750000001"}, from, to).empty());  // wrong kind
  // Bounds: only the 5 March créneau (13:00 UTC) from 5 March 13:00 to 14:00.
  const auto one =
      service_.publishedByProfessionals({"810000000009"}, utc(2026, 3, 5, 13), utc(2026, 3, 5, 14));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].slots.size(), 1u);
  EXPECT_TRUE(
      service_.publishedByProfessionals({"810000000009"}, utc(2026, 3, 7, 0), utc(2026, 3, 9, 0))
          .empty());  // a place with nothing free there is left out
  // Claire leaves the structure: her id no longer finds it, Noël's still does.
  data_.professionals[structure.id].erase(data_.professionals[structure.id].begin());
  service_.placeChanged(second);
  EXPECT_TRUE(service_.publishedByProfessionals({"810000000009"}, from, to).empty());
  EXPECT_EQ(service_.publishedByProfessionals({"012345678"}, from, to).size(), 1u);
}

// The FHIR publisher reads publishedDays ahead: the job rebuilds the index before its horizon
// comes nearer than that, and not a second earlier.
TEST_F(SearchServiceTest, TheJobKeepsThePublishedDaysInTheHorizon) {
  SearchSettings settings;
  settings.horizonDays = 10;
  settings.publishedDays = 8;
  settings.rebuildInBackground = true;
  SearchService service{source_, geocoder_, areas_, clock_, settings};
  service.rebuild();
  const auto first = service.status();
  ASSERT_EQ(first.builds, 1u);
  clock_.advance(std::chrono::hours{48} - std::chrono::seconds{1});  // 8 days + 1 s left
  service.maintain();
  EXPECT_EQ(service.status().builds, 1u);
  clock_.advance(std::chrono::seconds{2});  // 8 days − 1 s left
  service.maintain();
  EXPECT_EQ(service.status().builds, 2u);
  EXPECT_GT(service.status().horizonEnd, first.horizonEnd);
}

// What a writer makes of a card is made once, and a copy of the text's holder starts without it.
TEST(PlaceCardRenderedText, MadeOnceKeptWithTheCardAndNotCopied) {
  RenderedText text;
  std::string scratch;
  int made = 0;
  const auto first = text.get(
      [&] {
        ++made;
        return std::string("\"id\":1");
      },
      scratch);
  const auto again = text.get(
      [&] {
        ++made;
        return std::string("\"id\":2");
      },
      scratch);
  EXPECT_EQ(first, "\"id\":1");
  EXPECT_EQ(again.data(), first.data());
  EXPECT_EQ(made, 1);
  const RenderedText copy = text;
  EXPECT_EQ(copy.get(
                [&] {
                  ++made;
                  return std::string("\"id\":3");
                },
                scratch),
            "\"id\":3");
  EXPECT_EQ(made, 2);
}

// Two threads that both find no text both make one: the first to finish keeps it and both
// answer with that one (the sanitizer build checks that the other is freed, once).
TEST(PlaceCardRenderedText, TwoThreadsMakingItAtOnceAnswerTheSameText) {
  RenderedText text;
  std::latch bothMaking(2);
  auto make = [&] {
    bothMaking.arrive_and_wait();
    return std::string("\"id\":1");
  };
  const char* seen[2] = {nullptr, nullptr};
  std::thread other([&] {
    std::string scratch;
    seen[1] = text.get(make, scratch).data();
  });
  std::string scratch;
  const auto mine = text.get(make, scratch);
  seen[0] = mine.data();
  other.join();
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(mine, "\"id\":1");
  EXPECT_EQ(text.get([]() -> std::string { throw std::logic_error("made again"); }, scratch).data(),
            seen[0]);
}

// What all cards keep is bounded: past the budget a text is made at each call, into the
// caller's scratch; the texts freed with their cards make room again.
TEST(PlaceCardRenderedText, KeptWithinTheBudgetThenMadeAtEachCall) {
  const auto budget = RenderedText::budget();
  const auto keptBefore = RenderedText::kept();
  const std::string ten(10, 'x');
  RenderedText::setBudget(keptBefore + 2 * (ten.size() + 64));  // room for two
  int made = 0;
  auto make = [&] {
    ++made;
    return ten;
  };
  std::string scratch;
  {
    RenderedText a, b, c;
    EXPECT_EQ(a.get(make, scratch), ten);
    EXPECT_EQ(a.get(make, scratch), ten);
    EXPECT_EQ(b.get(make, scratch), ten);
    EXPECT_EQ(made, 2);
    EXPECT_EQ(RenderedText::kept(), keptBefore + 2 * (ten.size() + 64));
    const auto third = c.get(make, scratch);
    EXPECT_EQ(third, ten);
    EXPECT_EQ(third.data(), scratch.data());  // not kept
    EXPECT_EQ(c.get(make, scratch), ten);
    EXPECT_EQ(made, 4);
  }
  EXPECT_EQ(RenderedText::kept(), keptBefore);
  RenderedText d;
  EXPECT_EQ(d.get(make, scratch), ten);
  EXPECT_EQ(d.get(make, scratch), ten);
  EXPECT_EQ(made, 5);  // room again: kept
  RenderedText::setBudget(budget);
}

}  // namespace
}  // namespace sas::app
