// « Dupliquer la semaine » over real HTTP, on SQLite and PostgreSQL (docs/rules.md#copy-a-week):
// the preview writes nothing, « Confirmer la duplication » writes every copy in one transaction,
// the search learns them, and a place of another manager is refused whichever way it is named.
#include <gtest/gtest.h>

#include <stdexcept>

#include "app/search_service.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";

// Wednesday 4 March 2026, 10:00 in Paris.
class WeekCopyTest : public ::testing::Test {
 protected:
  WeekCopyTest()
      : platform_(parisTime(2026, 3, 4, 10)), manager_(platform_.port()), other_(platform_.port()) {
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    std::tie(secondStructure_, secondPlace_) = platform_.addCentre("Centre de santé Molitor");
    std::tie(otherStructure_, otherPlace_) = platform_.addCentre("Centre de santé Marcadet");
    platform_.addManager("camille@sas.test", kPassword, {structure_, secondStructure_});
    platform_.addManager("karim@sas.test", kPassword, {otherStructure_});
    manager_.login("camille@sas.test", kPassword);
    other_.login("karim@sas.test", kPassword);
  }

  static std::string copyUrl(std::int64_t place) {
    return "/lieux/" + std::to_string(place) + "/disponibilites/dupliquer";
  }

  /// A one-off créneau « en cabinet » made through the creation form.
  void oneOff(std::int64_t place, const std::string& date, const std::string& from,
              const std::string& to, Form extra = {}) {
    manager_.get("/lieux/" + std::to_string(place) + "/agenda");
    Form f{{"date", date},
           {"de", from},
           {"a", to},
           {"type_disponibilite", "creneau"},
           {"cabinet", "1"}};
    f.insert(f.end(), extra.begin(), extra.end());
    ASSERT_EQ(manager_.post("/lieux/" + std::to_string(place) + "/disponibilites", f).status, 303);
  }

  /// The copy form sent as « Prévisualiser » or « Confirmer la duplication ».
  Page send(Browser& b, std::int64_t from, const std::string& action, const std::string& weeks,
            const std::vector<std::int64_t>& places, const std::string& week = "2026-03-09") {
    b.get(copyUrl(from) + "?semaine=" + week);
    Form f{{"semaine", week}, {"semaines", weeks}, {"action", action}};
    for (auto p : places) f.push_back({"lieu", std::to_string(p)});
    return b.post(copyUrl(from), f);
  }

  std::vector<domain::Availability> stored(std::int64_t place) {
    return platform_.agenda().availabilitiesOfPlace(place, domain::Day{});
  }

  std::string agenda(std::int64_t place, const std::string& week) {
    return "/lieux/" + std::to_string(place) + "/agenda?semaine=" + week;
  }

  static std::size_t shown(const std::string& page, const std::string& hours) {
    return count(page, "agenda-occ__time\">" + hours + "<");
  }

  TestPlatform platform_;
  Browser manager_, other_;
  std::int64_t structure_ = 0, place_ = 0, secondStructure_ = 0, secondPlace_ = 0,
               otherStructure_ = 0, otherPlace_ = 0;
};

TEST_F(WeekCopyTest, TheAgendaLeadsToTheFormWithTheManagersPlaces) {
  const auto week = manager_.get(agenda(place_, "2026-03-09"));
  ASSERT_EQ(week.status, 200);
  EXPECT_NE(week.body.find("href=\"" + copyUrl(place_) +
                           "?semaine=2026-03-09\">Dupliquer la semaine</a>"),
            std::string::npos);
  const auto form = manager_.get(copyUrl(place_) + "?semaine=2026-03-11");
  ASSERT_EQ(form.status, 200);
  for (const std::string& text :
       {std::string("<h1>Dupliquer la semaine</h1>"), std::string("lundi 9 mars 2026"),
        std::string("for=\"semaines\">Nombre de semaines suivantes *"),
        std::string("name=\"semaine\" value=\"2026-03-09\""), std::string("value=\"1\" required"),
        "id=\"lieu-" + std::to_string(place_) + "\" name=\"lieu\" value=\"" +
            std::to_string(place_) + "\" checked",
        "id=\"lieu-" + std::to_string(secondPlace_) + "\" name=\"lieu\" value=\"" +
            std::to_string(secondPlace_) + "\">",
        std::string("Centre de santé Molitor"), std::string("name=\"csrf\""),
        std::string(">Prévisualiser</button>")})
    EXPECT_NE(form.body.find(text), std::string::npos) << text;
  EXPECT_EQ(form.body.find("Centre de santé Marcadet"), std::string::npos);
  EXPECT_EQ(form.body.find(">Confirmer la duplication</button>"), std::string::npos);
}

TEST_F(WeekCopyTest, ThePreviewWritesNothingAndConfirmingWritesEverything) {
  oneOff(place_, "2026-03-10", "10:00", "11:00");
  oneOff(place_, "2026-03-12", "14:00", "15:30");
  // A series of the same week: left as it is, and not copied (it repeats already).
  oneOff(place_, "2026-03-11", "08:00", "09:00", {{"mercredi", "1"}});
  const auto series = stored(place_).at(2);
  ASSERT_TRUE(series.weekly);

  const auto preview = send(manager_, place_, "previsualiser", "2", {place_, secondPlace_});
  ASSERT_EQ(preview.status, 200);
  EXPECT_NE(preview.body.find("Aperçu de la duplication"), std::string::npos);
  EXPECT_NE(preview.body.find("10 disponibilités seront créées, 0 copie écartée."),
            std::string::npos);
  EXPECT_NE(preview.body.find("mardi 17 mars 2026"), std::string::npos);
  EXPECT_NE(preview.body.find("jeudi 26 mars 2026"), std::string::npos);
  EXPECT_NE(preview.body.find(">Confirmer la duplication</button>"), std::string::npos);
  EXPECT_EQ(stored(place_).size(), 3u);
  EXPECT_TRUE(stored(secondPlace_).empty());

  const auto done = send(manager_, place_, "confirmer", "2", {place_, secondPlace_});
  ASSERT_EQ(done.status, 303);
  EXPECT_EQ(done.location, agenda(place_, "2026-03-09") + "&message=dupliquee");
  EXPECT_NE(manager_.get(done.location).body.find("La semaine a été dupliquée"), std::string::npos);
  EXPECT_EQ(stored(place_).size(), 3u + 4u);
  EXPECT_EQ(stored(secondPlace_).size(), 6u);
  for (const auto& a : stored(secondPlace_)) EXPECT_FALSE(a.weekly);
  const auto again = stored(place_);
  EXPECT_EQ(std::count(again.begin(), again.end(), series), 1);

  // The agendas show them at once (their kept weeks learn the change).
  const auto next = manager_.get(agenda(place_, "2026-03-16")).body;
  EXPECT_EQ(shown(next, "10h00 - 11h00"), 1u);
  EXPECT_EQ(shown(next, "14h00 - 15h30"), 1u);
  EXPECT_EQ(shown(next, "08h00 - 09h00"), 1u);  // the series, as every week
  const auto there = manager_.get(agenda(secondPlace_, "2026-03-09")).body;
  EXPECT_EQ(shown(there, "10h00 - 11h00"), 1u);
  EXPECT_EQ(shown(there, "08h00 - 09h00"), 0u);
  EXPECT_EQ(shown(manager_.get(agenda(place_, "2026-03-30")).body, "10h00 - 11h00"), 0u);

  // Again: each copy is there already; skipped with the reason, and nothing written.
  const auto twice = send(manager_, place_, "confirmer", "2", {place_, secondPlace_});
  EXPECT_EQ(twice.status, 422);
  EXPECT_NE(twice.body.find("Une disponibilité identique existe déjà à cette date."),
            std::string::npos);
  EXPECT_NE(twice.body.find("Aucune disponibilité à créer"), std::string::npos);
  EXPECT_EQ(stored(place_).size(), 7u);
  EXPECT_EQ(stored(secondPlace_).size(), 6u);
}

TEST_F(WeekCopyTest, TheSearchFindsTheCopiesAtOnce) {
  platform_.addUser("regulateur@sas.test", kPassword, app::Role::Regulator, {});
  Browser regulator(platform_.port());
  ASSERT_EQ(regulator.login("regulateur@sas.test", kPassword).status, 303);
  // The centres are in the 16e, beyond the 5 km of a search on Paris.
  const auto search = [&] { return regulator.get("/recherche?adresse=75016").body; };
  // The centres were added behind the services' back: the index reads them, as at a start.
  platform_.platform().search().rebuild();
  oneOff(place_, "2026-03-05", "14:00", "15:00");
  ASSERT_NE(search().find("Centre de santé Michel-Ange"), std::string::npos);
  EXPECT_EQ(search().find("Centre de santé Molitor"), std::string::npos);
  // This week, on the other place: tomorrow there, within the search's window.
  ASSERT_EQ(send(manager_, place_, "confirmer", "0", {secondPlace_}, "2026-03-02").status, 303);
  EXPECT_NE(search().find("Centre de santé Molitor"), std::string::npos);
}

TEST_F(WeekCopyTest, WeeksUpToTwelveNotThirteenAndTheFormKeepsWhatWasTyped) {
  oneOff(place_, "2026-03-10", "10:00", "11:00");
  const auto atMax = send(manager_, place_, "previsualiser", "12", {place_});
  ASSERT_EQ(atMax.status, 200);
  EXPECT_NE(atMax.body.find("12 disponibilités seront créées"), std::string::npos);
  EXPECT_NE(atMax.body.find("mardi 2 juin 2026"), std::string::npos);  // 12 weeks after

  const auto over = send(manager_, place_, "confirmer", "13", {secondPlace_});
  EXPECT_EQ(over.status, 422);
  EXPECT_NE(over.body.find("Le nombre de semaines suivantes doit être un nombre entier de 0 à 12."),
            std::string::npos);
  EXPECT_NE(over.body.find("<a href=\"#semaines\">"), std::string::npos);  // the summary's link
  EXPECT_NE(over.body.find("aria-describedby=\"semaines-erreur\""), std::string::npos);
  EXPECT_NE(over.body.find("value=\"13\""), std::string::npos);
  EXPECT_NE(over.body.find("value=\"" + std::to_string(secondPlace_) + "\" checked"),
            std::string::npos);
  EXPECT_EQ(over.body.find("value=\"" + std::to_string(place_) + "\" checked"), std::string::npos);
  EXPECT_EQ(stored(place_).size(), 1u);
  EXPECT_TRUE(stored(secondPlace_).empty());

  const auto noPlace = send(manager_, place_, "previsualiser", "1", {});
  EXPECT_EQ(noPlace.status, 422);
  EXPECT_NE(noPlace.body.find("Cochez au moins un lieu."), std::string::npos);
  EXPECT_NE(noPlace.body.find("id=\"lieux-erreur\""), std::string::npos);

  const auto atTwelve = send(manager_, place_, "confirmer", "12", {place_});
  ASSERT_EQ(atTwelve.status, 303);
  EXPECT_EQ(stored(place_).size(), 13u);
}

TEST_F(WeekCopyTest, AnEmptyWeekSaysThereIsNothingToCopy) {
  const auto empty = send(manager_, place_, "previsualiser", "1", {place_});
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.body.find("aucune disponibilité ponctuelle à dupliquer"), std::string::npos);
  EXPECT_EQ(empty.body.find(">Confirmer la duplication</button>"), std::string::npos);
}

TEST_F(WeekCopyTest, APlaceOfAnotherManagerIsRefusedByFieldAndByAddress) {
  oneOff(place_, "2026-03-10", "10:00", "11:00");
  // In the form's field, beside a place of his: nothing is written anywhere.
  EXPECT_EQ(send(manager_, place_, "confirmer", "1", {place_, otherPlace_}).status, 404);
  EXPECT_EQ(send(manager_, place_, "previsualiser", "1", {otherPlace_}).status, 404);
  EXPECT_EQ(send(manager_, place_, "confirmer", "1", {999999}).status, 404);
  // In the address: another's week is not his to copy, to his places or to its own.
  EXPECT_EQ(manager_.get(copyUrl(otherPlace_) + "?semaine=2026-03-09").status, 404);
  manager_.get(copyUrl(place_) + "?semaine=2026-03-09");
  EXPECT_EQ(manager_
                .post(copyUrl(otherPlace_), {{"semaine", "2026-03-09"},
                                             {"semaines", "1"},
                                             {"action", "confirmer"},
                                             {"lieu", std::to_string(place_)}})
                .status,
            404);
  // The other manager cannot copy onto this manager's places either.
  EXPECT_EQ(send(other_, otherPlace_, "confirmer", "1", {place_}).status, 404);
  EXPECT_EQ(stored(place_).size(), 1u);
  EXPECT_TRUE(stored(secondPlace_).empty());
  EXPECT_TRUE(stored(otherPlace_).empty());
}

TEST_F(WeekCopyTest, WithoutTheFormsTokenNothingIsWritten) {
  oneOff(place_, "2026-03-10", "10:00", "11:00");
  const auto forged = manager_.postRaw(copyUrl(place_), {{"semaine", "2026-03-09"},
                                                         {"semaines", "1"},
                                                         {"action", "confirmer"},
                                                         {"lieu", std::to_string(place_)}});
  EXPECT_EQ(forged.status, 400);
  EXPECT_EQ(stored(place_).size(), 1u);
}

// The week is sent by the page itself: one that is not a date, or none, answers 400 (never a
// 500), on the form as on « Confirmer », and nothing is written.
TEST_F(WeekCopyTest, AWeekThatIsNotADateIsABadRequestAndWritesNothing) {
  oneOff(place_, "2026-03-10", "10:00", "11:00");
  EXPECT_EQ(manager_.get(copyUrl(place_) + "?semaine=2026-13-40").status, 400);
  EXPECT_EQ(manager_.get(copyUrl(place_)).status, 200);  // none on the form: this week
  for (const std::string action : {"previsualiser", "confirmer"}) {
    EXPECT_EQ(send(manager_, place_, action, "1", {place_}, "lundi").status, 400) << action;
    manager_.get(copyUrl(place_));
    EXPECT_EQ(manager_
                  .post(copyUrl(place_),
                        {{"semaines", "1"}, {"action", action}, {"lieu", std::to_string(place_)}})
                  .status,
              400)
        << action;
  }
  EXPECT_EQ(stored(place_).size(), 1u);
}

// A regulator has no agenda to copy: 403 on the form and on « Confirmer », nothing written.
TEST_F(WeekCopyTest, ARegulatorIsRefused) {
  oneOff(place_, "2026-03-10", "10:00", "11:00");
  const auto idf = platform_.addTerritory("ARS Île-de-France", {"75"});
  platform_.addUser("regul@sas.test", kPassword, app::Role::Regulator, {}, idf);
  Browser regulator(platform_.port());
  regulator.login("regul@sas.test", kPassword);
  EXPECT_EQ(regulator.get(copyUrl(place_) + "?semaine=2026-03-09").status, 403);
  regulator.get("/recherche");
  EXPECT_EQ(regulator
                .post(copyUrl(place_), {{"semaine", "2026-03-09"},
                                        {"semaines", "1"},
                                        {"action", "confirmer"},
                                        {"lieu", std::to_string(place_)}})
                .status,
            403);
  EXPECT_EQ(stored(place_).size(), 1u);
}

// A copy landing on the spring change's missing hour: moved to 03h30, said in the preview and
// after « Confirmer » (docs/rules.md#copy-a-week).
TEST_F(WeekCopyTest, ACopyInTheSpringGapIsMovedAndSaidSo) {
  oneOff(place_, "2026-03-22", "02:30", "04:00");
  const auto preview = send(manager_, place_, "previsualiser", "1", {place_}, "2026-03-16");
  ASSERT_EQ(preview.status, 200);
  EXPECT_NE(preview.body.find("enregistrée à 03h30."), std::string::npos) << preview.body;
  const auto done = send(manager_, place_, "confirmer", "1", {place_}, "2026-03-16");
  ASSERT_EQ(done.status, 303);
  EXPECT_NE(done.location.find("&heure=decalee"), std::string::npos) << done.location;
  EXPECT_EQ(shown(manager_.get(agenda(place_, "2026-03-23")).body, "03h30 - 04h00"), 1u);
  // Named in words in « Journal des modifications ».
  platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  Browser admin(platform_.port());
  ASSERT_EQ(admin.login("admin@sas.test", kPassword).status, 303);
  const auto journal = admin.get("/journal?objet_type=lieu&objet=" + std::to_string(place_));
  ASSERT_EQ(journal.status, 200);
  EXPECT_NE(journal.body.find("<td>Semaine dupliquée</td>"), std::string::npos);
}

// One transaction for every place: a write that fails on the last place leaves the first ones
// as they were (the store behind « Confirmer la duplication »).
TEST_F(WeekCopyTest, AFailureInTheMiddleWritesNothing) {
  auto& store = platform_.agenda();
  const auto copyOn = [](std::int64_t place, int day) {
    app::PlaceAgendaChange c;
    c.placeId = place;
    domain::Availability a;
    a.placeId = place;
    a.base = {domain::Day{date::year{2026} / 3 / static_cast<unsigned>(day)},
              600,
              660,
              domain::AvailabilityKind::Slot,
              1,
              domain::ConsultationTypes{1}};
    c.change.created.push_back(a);
    c.audit = {std::nullopt, "availability.copy", "place:" + std::to_string(place), "", ""};
    return c;
  };
  const auto before = platform_.agenda().agendaVersion(place_);
  // The place is read with its agenda's version (the agenda page's one statement for both).
  const auto versionWithPlace = [&] {
    return platform_.structures().findPlaceWithStructure(place_)->first.agendaVersion;
  };
  EXPECT_EQ(versionWithPlace(), before);
  EXPECT_ANY_THROW(store.applyChanges(
      {copyOn(place_, 17), copyOn(secondPlace_, 17), copyOn(999999, 17)}, platform_.clock().now()));
  EXPECT_TRUE(stored(place_).empty());
  EXPECT_TRUE(stored(secondPlace_).empty());
  EXPECT_EQ(platform_.agenda().agendaVersion(place_), before);
  // The same without the failing place: both written.
  const auto ids =
      store.applyChanges({copyOn(place_, 17), copyOn(secondPlace_, 17)}, platform_.clock().now());
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), 2u);
  EXPECT_EQ(stored(place_).size(), 1u);
  EXPECT_EQ(stored(secondPlace_).size(), 1u);
  EXPECT_NE(platform_.agenda().agendaVersion(place_), before);
  EXPECT_EQ(versionWithPlace(), platform_.agenda().agendaVersion(place_));
}

// Two copies planned from the same agendas and confirmed one after the other (a double click,
// two tabs): the second finds a version that moved and writes nothing, on either place.
TEST_F(WeekCopyTest, ACopyPlannedOnAgendasChangedSinceWritesNothing) {
  auto& store = platform_.agenda();
  const auto plan = [&](int day) {
    std::vector<app::PlaceAgendaChange> out;
    for (auto place : {secondPlace_, place_}) {  // not in id order: the store sorts them
      app::PlaceAgendaChange c;
      c.placeId = place;
      domain::Availability a;
      a.placeId = place;
      a.base = {domain::Day{date::year{2026} / 3 / static_cast<unsigned>(day)},
                600,
                660,
                domain::AvailabilityKind::Slot,
                1,
                domain::ConsultationTypes{1}};
      c.change.created.push_back(a);
      c.audit = {std::nullopt, "availability.copy", "place:" + std::to_string(place), "", ""};
      c.expectedVersion = store.agendaVersion(place);
      out.push_back(c);
    }
    return out;
  };
  const auto first = plan(17), second = plan(17);
  const auto written = store.applyChanges(first, platform_.clock().now());
  ASSERT_TRUE(written);
  ASSERT_EQ(written->size(), 2u);
  EXPECT_EQ((*written)[0].size(), 1u);
  const auto versions = std::pair{store.agendaVersion(place_), store.agendaVersion(secondPlace_)};
  EXPECT_FALSE(store.applyChanges(second, platform_.clock().now()));
  EXPECT_EQ(stored(place_).size(), 1u);
  EXPECT_EQ(stored(secondPlace_).size(), 1u);
  EXPECT_EQ(std::pair(store.agendaVersion(place_), store.agendaVersion(secondPlace_)), versions);
  // Planned again from what is stored now: written.
  EXPECT_TRUE(store.applyChanges(plan(18), platform_.clock().now()));
  EXPECT_EQ(stored(place_).size(), 2u);
}

}  // namespace
}  // namespace sas::test
