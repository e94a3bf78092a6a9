// The structure manager's journey over real HTTP: dashboard, « Vos paramètres », agenda,
// availabilities created, modified and deleted, extra information, unavailability, and the
// rule that nobody reaches another manager's structures.
#include <gtest/gtest.h>

#include "storage/agenda_store.hpp"
#include "storage/database.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

// How many occurrences at these hours the agenda shows.
std::size_t shown(const std::string& page, const std::string& hours) {
  return count(page, "agenda-occ__time\">" + hours + "<");
}

const char* const kPassword = "Correct-Horse-42!";

// Wednesday 4 March 2026, 10:00 in Paris.
class AgendaTest : public ::testing::Test {
 protected:
  AgendaTest()
      : platform_(parisTime(2026, 3, 4, 10)), manager_(platform_.port()), other_(platform_.port()) {
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    std::tie(otherStructure_, otherPlace_) = platform_.addCentre("Centre de santé Marcadet");
    platform_.addManager("camille@sas.test", kPassword, {structure_});
    platform_.addManager("karim@sas.test", kPassword, {otherStructure_});
    manager_.login("camille@sas.test", kPassword);
    other_.login("karim@sas.test", kPassword);
  }

  std::string agenda(std::int64_t place, const std::string& week = "") {
    return "/lieux/" + std::to_string(place) + "/agenda" + (week.empty() ? "" : "?semaine=" + week);
  }
  std::string create(std::int64_t place) {
    return "/lieux/" + std::to_string(place) + "/disponibilites";
  }

  Page createAvailability(Browser& b, std::int64_t place, Form form) {
    b.get(agenda(place));
    return b.post(create(place), std::move(form));
  }

  /// A créneau « en cabinet », as the form sends it; `extra` adds fields (a weekday …).
  static Form creneau(const std::string& date, const std::string& from, const std::string& to,
                      Form extra = {}) {
    Form f{{"date", date},
           {"de", from},
           {"a", to},
           {"type_disponibilite", "creneau"},
           {"cabinet", "1"}};
    f.insert(f.end(), extra.begin(), extra.end());
    return f;
  }

  std::vector<domain::Availability> stored(std::int64_t place) {
    return platform_.agenda().availabilitiesOfPlace(place, domain::Day{});
  }

  TestPlatform platform_;
  Browser manager_, other_;
  std::int64_t structure_ = 0, place_ = 0, otherStructure_ = 0, otherPlace_ = 0;
};

TEST_F(AgendaTest, DashboardListsLinkedStructuresWithTheGuideButtons) {
  auto dash = manager_.get("/tableau-de-bord");
  ASSERT_EQ(dash.status, 200);
  EXPECT_NE(dash.body.find("Centre de santé Michel-Ange"), std::string::npos);
  EXPECT_EQ(dash.body.find("Centre de santé Marcadet"), std::string::npos);
  EXPECT_NE(dash.body.find("81 Rue Michel-Ange 75016 Paris"), std::string::npos);
  EXPECT_NE(dash.body.find("Horaires de consultation"), std::string::npos);
  EXPECT_NE(dash.body.find("Éditer les disponibilités"), std::string::npos);
  EXPECT_NE(dash.body.find("Éditer les paramètres"), std::string::npos);
}

TEST_F(AgendaTest, ParticipationNeedsTheNumberAndBothBoxesAndKeepsWhatWasTyped) {
  const auto url = "/structures/" + std::to_string(structure_) + "/parametres";
  auto form = manager_.get(url);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("Je participe au SAS en tant que Centre de Santé"), std::string::npos);
  auto refused = manager_.post(url, {{"participe", "1"}, {"nombre_professionnels", "0"}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("value=\"0\""), std::string::npos);
  EXPECT_NE(refused.body.find("id=\"participe\" name=\"participe\" value=\"1\" checked"),
            std::string::npos);
  EXPECT_FALSE(platform_.structures().findStructure(structure_)->participation.participates);

  auto saved = manager_.post(url, {{"participe", "1"},
                                   {"nombre_professionnels", "3"},
                                   {"accepte_contact", "1"},
                                   {"declaration_honneur", "1"}});
  ASSERT_EQ(saved.status, 303);
  const auto p = platform_.structures().findStructure(structure_)->participation;
  EXPECT_TRUE(p.participates);
  EXPECT_EQ(p.professionals, 3);
  // The dashboard shows the commitment: 3 × 2 h, none visible yet.
  auto dash = manager_.get("/tableau-de-bord");
  EXPECT_NE(dash.body.find("6 h"), std::string::npos);
  EXPECT_NE(dash.body.find("Non éligible"), std::string::npos);
}

TEST_F(AgendaTest, ParticipationRefusedForABadNumberKeepsTheTypedValuesAndSavesNothing) {
  const auto url = "/structures/" + std::to_string(structure_) + "/parametres";
  manager_.get(url);
  ASSERT_EQ(manager_
                .post(url, {{"participe", "1"},
                            {"nombre_professionnels", "2"},
                            {"accepte_contact", "1"},
                            {"declaration_honneur", "1"}})
                .status,
            303);
  const auto before = platform_.structures().findStructure(structure_)->participation;
  ASSERT_EQ(before.professionals, 2);

  // Not a whole number, then a number but one box left: both refused, as typed, nothing saved.
  manager_.get(url);
  auto words = manager_.post(url, {{"participe", "1"},
                                   {"nombre_professionnels", "trois"},
                                   {"accepte_contact", "1"},
                                   {"declaration_honneur", "1"}});
  EXPECT_EQ(words.status, 422);
  EXPECT_NE(words.body.find("value=\"trois\""), std::string::npos);
  EXPECT_NE(words.body.find("doit être un nombre entier"), std::string::npos);
  EXPECT_NE(words.body.find("id=\"participe\" name=\"participe\" value=\"1\" checked"),
            std::string::npos);
  EXPECT_EQ(platform_.structures().findStructure(structure_)->participation, before);

  manager_.get(url);
  auto noBox = manager_.post(url, {{"participe", "1"}, {"nombre_professionnels", "5"}});
  EXPECT_EQ(noBox.status, 422);
  EXPECT_NE(noBox.body.find("value=\"5\""), std::string::npos);
  EXPECT_EQ(noBox.body.find("value=\"2\""), std::string::npos);  // what is saved is not shown
  EXPECT_EQ(platform_.structures().findStructure(structure_)->participation, before);
}

TEST_F(AgendaTest, AgendaPageShowsTheGuideTabsNoticeAndWeek) {
  auto page = manager_.get(agenda(place_));
  ASSERT_EQ(page.status, 200);
  for (const char* text :
       {"Ajouter ou modifier vos disponibilités", "Créer des disponibilités",
        "Programmer une indisponibilité", "Informations complémentaires", "Jours suivants",
        "avenant n°4", "2 mars 2026 - 8 mars 2026", "Aujourd'hui"})
    EXPECT_NE(page.body.find(text), std::string::npos) << text;
}

TEST_F(AgendaTest, CreatedAvailabilityShowsAtOnceWithItsKindAndTypes) {
  auto r = createAvailability(manager_, place_,
                              {{"date", "2026-03-04"},
                               {"de", "10:15"},
                               {"a", "20:00"},
                               {"type_disponibilite", "plage"},
                               {"capacite", "3"},
                               {"cabinet", "1"},
                               {"domicile", "1"}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto page = manager_.get(r.location);
  EXPECT_NE(page.body.find("10h15 - 20h00"), std::string::npos);
  EXPECT_NE(page.body.find("Plage · 3 patients"), std::string::npos);
  EXPECT_NE(page.body.find("<abbr title=\"Consultation en cabinet\">C</abbr>"), std::string::npos);
  EXPECT_NE(page.body.find("<abbr title=\"Visite à domicile\">D</abbr>"), std::string::npos);
  EXPECT_NE(page.body.find("Vos disponibilités ont été enregistrées."), std::string::npos);
}

// Each process keeps the rows of the weeks it showed (storage/agenda_rows_cache.hpp): a change
// written by another process, on its own connection, must show at the very next view.
TEST_F(AgendaTest, ChangesCommittedByAnotherProcessShowAtTheNextView) {
  const std::string week = agenda(place_, "2026-03-09");
  EXPECT_EQ(manager_.get(week).body.find("16h00 - 17h30"), std::string::npos);
  EXPECT_EQ(manager_.get(week).body.find("16h00 - 17h30"), std::string::npos);  // now cached

  storage::Database otherProcess(platform_.config().databaseUrl, 1);
  storage::SqlAgendaStore otherStore(otherProcess);
  domain::Availability a;
  a.placeId = place_;
  a.weekly = true;
  a.base = {domain::Day{date::year{2026} / 3 / 10}, 16 * 60, 17 * 60 + 30,
            domain::AvailabilityKind::Slot,         1,       domain::ConsultationTypes{1}};
  domain::AgendaChange change;
  change.created.push_back(a);
  const auto ids = otherStore.applyChange(place_, change, {std::nullopt, "test", "", "", ""},
                                          platform_.clock().now());
  auto page = manager_.get(week);
  EXPECT_EQ(count(page.body, "agenda-occ__time\">16h00 - 17h30<"), 1u);

  a.id = ids.at(0);
  domain::AgendaChange removal;
  removal.deleted.push_back(a.id);
  otherStore.applyChange(place_, removal, {std::nullopt, "test", "", "", ""},
                         platform_.clock().now());
  EXPECT_EQ(manager_.get(week).body.find("16h00 - 17h30"), std::string::npos);
}

// The week is kept while the place's agenda version stays (app/week_cache.hpp): the
// unavailability and the note saved by another process move it too.
TEST_F(AgendaTest, UnavailabilityAndNoteFromAnotherProcessShowAtTheNextView) {
  const std::string week = agenda(place_, "2026-03-09");
  EXPECT_EQ(manager_.get(week).body.find("Indisponible</span>"), std::string::npos);
  storage::Database otherProcess(platform_.config().databaseUrl, 1);
  storage::SqlAgendaStore otherStore(otherProcess);
  domain::Unavailability u;
  u.periods.push_back(
      {domain::Day{date::year{2026} / 3 / 10}, domain::Day{date::year{2026} / 3 / 11}});
  otherStore.saveUnavailability(place_, u, {std::nullopt, "test", "", "", ""},
                                platform_.clock().now());
  EXPECT_EQ(count(manager_.get(week).body, "Indisponible</span>"), 2u);
  otherStore.saveRegulatorNote(place_, "Entrée par la cour", {std::nullopt, "test", "", "", ""},
                               platform_.clock().now());
  EXPECT_NE(manager_.get(week).body.find("Entrée par la cour"), std::string::npos);
}

// The grid is kept until an occurrence starts (http/pages/agenda_view.hpp): one second after
// its start, it shows past.
TEST_F(AgendaTest, AnOccurrenceShowsPastOneSecondAfterItsStart) {
  createAvailability(manager_, place_, creneau("2026-03-04", "10:00", "11:00"));
  const auto start = test::parisTime(2026, 3, 4, 10);
  platform_.clock().set(start - std::chrono::minutes{30});
  EXPECT_EQ(manager_.get(agenda(place_)).body.find("agenda-occ--past"), std::string::npos);
  platform_.clock().set(start);
  EXPECT_EQ(manager_.get(agenda(place_)).body.find("agenda-occ--past"), std::string::npos);
  platform_.clock().set(start + std::chrono::seconds{1});
  EXPECT_NE(manager_.get(agenda(place_)).body.find("agenda-occ--past"), std::string::npos);
}

TEST_F(AgendaTest, PastStartIsRefusedAndTheFormKeepsEverything) {
  auto r = createAvailability(manager_, place_,
                              {{"date", "2026-03-04"},
                               {"de", "08:00"},
                               {"a", "20:00"},
                               {"type_disponibilite", "plage"},
                               {"capacite", "4"},
                               {"teleconsultation", "1"},
                               {"jeudi", "1"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("passé"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"08:00\" selected"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"20:00\" selected"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"4\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"teleconsultation\" name=\"teleconsultation\" value=\"1\" checked"),
            std::string::npos);
  EXPECT_NE(r.body.find("id=\"jeudi\" name=\"jeudi\" value=\"1\" checked"), std::string::npos);
  EXPECT_TRUE(stored(place_).empty());
}

// A plage receives at most 999 patients (docs/rules.md#agenda): 1,000 is refused in French,
// the form keeping what was typed and nothing saved; 999 is saved.
TEST_F(AgendaTest, APlageOfMoreThan999PatientsIsRefused) {
  const Form plage{{"date", "2026-03-05"},
                   {"de", "10:00"},
                   {"a", "12:00"},
                   {"type_disponibilite", "plage"},
                   {"cabinet", "1"}};
  auto tooMany = plage;
  tooMany.emplace_back("capacite", "1000");
  auto r = createAvailability(manager_, place_, tooMany);
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("Une plage reçoit au plus 999 patients."), std::string::npos);
  EXPECT_NE(r.body.find("value=\"1000\""), std::string::npos);
  EXPECT_TRUE(stored(place_).empty());
  auto most = plage;
  most.emplace_back("capacite", "999");
  r = createAvailability(manager_, place_, most);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_NE(manager_.get(r.location).body.find("Plage · 999 patients"), std::string::npos);
}

TEST_F(AgendaTest, EachMissingFieldIsNamed) {
  auto r = createAvailability(manager_, place_, {{"date", ""}, {"de", ""}, {"a", ""}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("id=\"date-erreur\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"type_disponibilite-erreur\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"types-erreur\""), std::string::npos);
  EXPECT_TRUE(stored(place_).empty());
}

TEST_F(AgendaTest, WeeklyRecurrenceShowsNextWeekAndEditsKeepEarlierWeeks) {
  // Monday and Thursday, from Wednesday 4 March: series from Thursday 5 and Monday 9.
  auto r = createAvailability(manager_, place_,
                              {{"date", "2026-03-04"},
                               {"de", "14:00"},
                               {"a", "16:00"},
                               {"type_disponibilite", "creneau"},
                               {"cabinet", "1"},
                               {"lundi", "1"},
                               {"jeudi", "1"}});
  ASSERT_EQ(r.status, 303);
  auto thisWeek = manager_.get(agenda(place_, "2026-03-02"));
  EXPECT_EQ(shown(thisWeek.body, "14h00 - 16h00"), 1u + 1u);  // Wednesday one-off + Thursday
  auto nextWeek = manager_.get(agenda(place_, "2026-03-09"));
  EXPECT_EQ(shown(nextWeek.body, "14h00 - 16h00"), 2u);  // Monday + Thursday

  // Find the Thursday series and change all weeks from Thursday 19 March.
  std::int64_t thursday = 0;
  for (const auto& a : stored(place_))
    if (a.weekly && domain::weekdayIndex(a.base.date) == 3) thursday = a.id;
  ASSERT_NE(thursday, 0);
  const std::string base =
      "/lieux/" + std::to_string(place_) + "/disponibilites/" + std::to_string(thursday);
  auto form = manager_.get(base + "/2026-03-19/modifier");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("à toutes les semaines"), std::string::npos);
  EXPECT_NE(form.body.find("à cette occurrence uniquement : 19/03/2026"), std::string::npos);
  auto all = manager_.post(base + "/2026-03-19/modifier", {{"date", "2026-03-19"},
                                                           {"de", "17:00"},
                                                           {"a", "19:00"},
                                                           {"type_disponibilite", "plage"},
                                                           {"capacite", "2"},
                                                           {"cabinet", "1"},
                                                           {"portee", "toutes"}});
  ASSERT_EQ(all.status, 303) << all.body;
  EXPECT_NE(manager_.get(agenda(place_, "2026-03-09")).body.find("14h00 - 16h00"),
            std::string::npos);
  auto later = manager_.get(agenda(place_, "2026-03-23")).body;
  EXPECT_NE(later.find("17h00 - 19h00"), std::string::npos);
  EXPECT_EQ(shown(later, "14h00 - 16h00"), 1u);  // Monday's series untouched

  // This occurrence only: Monday 16 March moves to 08:00–09:00; Monday 23 stays.
  std::int64_t monday = 0;
  for (const auto& a : stored(place_))
    if (a.weekly && domain::weekdayIndex(a.base.date) == 0) monday = a.id;
  const std::string mbase =
      "/lieux/" + std::to_string(place_) + "/disponibilites/" + std::to_string(monday);
  manager_.get(mbase + "/2026-03-16/modifier");
  auto one = manager_.post(mbase + "/2026-03-16/modifier", {{"date", "2026-03-16"},
                                                            {"de", "08:00"},
                                                            {"a", "09:00"},
                                                            {"type_disponibilite", "creneau"},
                                                            {"teleconsultation", "1"},
                                                            {"portee", "occurrence"}});
  ASSERT_EQ(one.status, 303) << one.body;
  auto week16 = manager_.get(agenda(place_, "2026-03-16")).body;
  EXPECT_NE(week16.find("08h00 - 09h00"), std::string::npos);
  EXPECT_NE(manager_.get(agenda(place_, "2026-03-23")).body.find("14h00 - 16h00"),
            std::string::npos);

  // Delete Monday's series from 30 March: 23 March stays, 30 March and later are gone.
  manager_.get(mbase + "/2026-03-30/supprimer");
  auto del = manager_.post(mbase + "/2026-03-30/supprimer", {{"portee", "toutes"}});
  ASSERT_EQ(del.status, 303) << del.body;
  EXPECT_NE(manager_.get(agenda(place_, "2026-03-23")).body.find("14h00 - 16h00"),
            std::string::npos);
  EXPECT_EQ(manager_.get(agenda(place_, "2026-03-30")).body.find("14h00 - 16h00"),
            std::string::npos);
  EXPECT_EQ(manager_.get(agenda(place_, "2026-04-06")).body.find("14h00 - 16h00"),
            std::string::npos);
}

TEST_F(AgendaTest, DeletingOneOccurrenceKeepsTheOthers) {
  createAvailability(manager_, place_, creneau("2026-03-05", "09:00", "10:00", {{"jeudi", "1"}}));
  const auto id = stored(place_).at(0).id;
  const std::string url = "/lieux/" + std::to_string(place_) + "/disponibilites/" +
                          std::to_string(id) + "/2026-03-12/supprimer";
  auto form = manager_.get(url);
  EXPECT_NE(form.body.find("Supprimer cette occurrence uniquement : 12/03/2026"),
            std::string::npos);
  EXPECT_NE(form.body.find("pour toutes les semaines à compter du 12/03/2026"), std::string::npos);
  ASSERT_EQ(manager_.post(url, {{"portee", "occurrence"}}).status, 303);
  EXPECT_EQ(manager_.get(agenda(place_, "2026-03-09")).body.find("09h00 - 10h00"),
            std::string::npos);
  EXPECT_NE(manager_.get(agenda(place_, "2026-03-02")).body.find("09h00 - 10h00"),
            std::string::npos);
  EXPECT_NE(manager_.get(agenda(place_, "2026-03-16")).body.find("09h00 - 10h00"),
            std::string::npos);
}

TEST_F(AgendaTest, PastOccurrencesCannotBeChangedOrDeleted) {
  createAvailability(manager_, place_, creneau("2026-03-04", "10:00", "11:00"));
  const auto id = stored(place_).at(0).id;
  platform_.clock().advance(std::chrono::minutes{1});
  const std::string base =
      "/lieux/" + std::to_string(place_) + "/disponibilites/" + std::to_string(id) + "/2026-03-04";
  manager_.get(agenda(place_));
  auto mod = manager_.post(base + "/modifier", {{"date", "2026-03-05"},
                                                {"de", "10:00"},
                                                {"a", "11:00"},
                                                {"type_disponibilite", "creneau"},
                                                {"cabinet", "1"}});
  EXPECT_EQ(mod.status, 422);
  auto del = manager_.post(base + "/supprimer", {{"portee", "occurrence"}});
  EXPECT_EQ(del.status, 422);
  EXPECT_EQ(stored(place_).size(), 1u);
  EXPECT_EQ(stored(place_).at(0).base.date, *domain::parseDate("2026-03-04"));
}

TEST_F(AgendaTest, ExtraInformationIsSavedUpToAThousandCharacters) {
  const std::string url = "/lieux/" + std::to_string(place_) + "/informations-complementaires";
  auto form = manager_.get(url);
  EXPECT_NE(form.body.find(
                "Ajout d'informations complémentaires à destination de la régulation médicale"),
            std::string::npos);
  std::string tooLong(1001, 'e');
  auto refused = manager_.post(url, {{"informations", tooLong}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find(tooLong), std::string::npos);  // kept
  std::string accented;
  for (int i = 0; i < 1000; ++i) accented += "é";  // 1,000 characters, 2,000 bytes
  EXPECT_EQ(manager_.post(url, {{"informations", accented}}).status, 303);
  EXPECT_EQ(
      manager_.post(url, {{"informations", "Merci de me contacter sur le 01 02 03 04 05 <b>"}})
          .status,
      303);
  auto page = manager_.get(agenda(place_));
  EXPECT_NE(page.body.find("Merci de me contacter sur le 01 02 03 04 05 &lt;b&gt;"),
            std::string::npos);
}

TEST_F(AgendaTest, ThreeUnavailabilityPeriodsAreAcceptedAndAFourthRefused) {
  const std::string url = "/lieux/" + std::to_string(place_) + "/indisponibilite";
  auto form = manager_.get(url);
  EXPECT_NE(form.body.find("Dès maintenant pour une durée indéterminée"), std::string::npos);
  EXPECT_NE(form.body.find("Ajouter une autre période d'indisponibilité"), std::string::npos);
  auto four = manager_.post(url, {{"du_1", "2026-03-10"},
                                  {"au_1", "2026-03-11"},
                                  {"du_2", "2026-03-20"},
                                  {"au_2", "2026-03-21"},
                                  {"du_3", "2026-04-01"},
                                  {"au_3", "2026-04-02"},
                                  {"du_4", "2026-05-01"},
                                  {"au_4", "2026-05-02"},
                                  {"action", "enregistrer"}});
  EXPECT_EQ(four.status, 422);
  EXPECT_NE(four.body.find("jusqu'à 3"), std::string::npos);
  EXPECT_NE(four.body.find("value=\"2026-05-01\""), std::string::npos);  // kept
  EXPECT_TRUE(platform_.agenda().unavailability(place_).periods.empty());

  auto three = manager_.post(url, {{"du_1", "2026-03-10"},
                                   {"au_1", "2026-03-11"},
                                   {"du_2", "2026-03-20"},
                                   {"au_2", "2026-03-21"},
                                   {"du_3", "2026-04-01"},
                                   {"au_3", "2026-04-02"},
                                   {"action", "enregistrer"}});
  ASSERT_EQ(three.status, 303) << three.body;
  EXPECT_EQ(platform_.agenda().unavailability(place_).periods.size(), 3u);
  auto again = manager_.get(url);
  EXPECT_EQ(again.body.find("Ajouter une autre période d'indisponibilité"), std::string::npos);
  // The covered days are greyed in the agenda; the occurrences stay shown.
  createAvailability(manager_, place_, creneau("2026-03-10", "10:00", "12:00"));
  auto week = manager_.get(agenda(place_, "2026-03-09")).body;
  EXPECT_EQ(count(week, "sas-agenda__day--unavailable"), 2u);
  EXPECT_NE(week.find("10h00 - 12h00"), std::string::npos);
  EXPECT_NE(week.find("Non visible (indisponibilité)"), std::string::npos);
}

TEST_F(AgendaTest, UnavailabilityRowsCanBeAddedAndRemovedWithoutSaving) {
  const std::string url = "/lieux/" + std::to_string(place_) + "/indisponibilite";
  manager_.get(url);
  auto added =
      manager_.post(url, {{"du_1", "2026-03-10"}, {"au_1", "2026-03-11"}, {"action", "ajouter"}});
  EXPECT_EQ(added.status, 200);
  EXPECT_NE(added.body.find("name=\"du_2\""), std::string::npos);
  EXPECT_NE(added.body.find("value=\"2026-03-10\""), std::string::npos);
  auto removed = manager_.post(url, {{"du_1", "2026-03-10"},
                                     {"au_1", "2026-03-11"},
                                     {"du_2", "2026-03-20"},
                                     {"au_2", "2026-03-21"},
                                     {"action", "supprimer_1"}});
  EXPECT_EQ(removed.status, 200);
  EXPECT_EQ(removed.body.find("2026-03-10"), std::string::npos);
  EXPECT_NE(removed.body.find("value=\"2026-03-20\""), std::string::npos);
  EXPECT_TRUE(platform_.agenda().unavailability(place_).periods.empty());
  auto bad = manager_.post(
      url, {{"du_1", "2026-03-12"}, {"au_1", "2026-03-11"}, {"action", "enregistrer"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("Période 1"), std::string::npos);
}

TEST_F(AgendaTest, AnotherManagersStructureAnswers404AndChangesNothing) {
  createAvailability(manager_, place_, creneau("2026-03-05", "09:00", "10:00", {{"jeudi", "1"}}));
  const auto id = stored(place_).at(0).id;
  const std::string occ =
      "/lieux/" + std::to_string(place_) + "/disponibilites/" + std::to_string(id) + "/2026-03-12";
  other_.get("/tableau-de-bord");
  EXPECT_EQ(other_.get(agenda(place_)).status, 404);
  EXPECT_EQ(other_.get("/structures/" + std::to_string(structure_) + "/parametres").status, 404);
  EXPECT_EQ(other_.get(occ + "/modifier").status, 404);
  EXPECT_EQ(other_.get("/lieux/" + std::to_string(place_) + "/indisponibilite").status, 404);
  other_.get("/tableau-de-bord");
  EXPECT_EQ(other_
                .post(create(place_), {{"date", "2026-03-05"},
                                       {"de", "11:00"},
                                       {"a", "12:00"},
                                       {"type_disponibilite", "creneau"},
                                       {"cabinet", "1"}})
                .status,
            404);
  EXPECT_EQ(other_.post(occ + "/supprimer", {{"portee", "toutes"}}).status, 404);
  EXPECT_EQ(other_
                .post("/structures/" + std::to_string(structure_) + "/parametres",
                      {{"participe", "1"},
                       {"nombre_professionnels", "2"},
                       {"accepte_contact", "1"},
                       {"declaration_honneur", "1"}})
                .status,
            404);
  EXPECT_EQ(other_
                .post("/lieux/" + std::to_string(place_) + "/indisponibilite",
                      {{"indetermine", "1"}, {"action", "enregistrer"}})
                .status,
            404);
  EXPECT_EQ(other_
                .post("/lieux/" + std::to_string(place_) + "/informations-complementaires",
                      {{"informations", "pirate"}})
                .status,
            404);
  // His own place id with her availability id: still not found.
  EXPECT_EQ(other_
                .post("/lieux/" + std::to_string(otherPlace_) + "/disponibilites/" +
                          std::to_string(id) + "/2026-03-12/supprimer",
                      {{"portee", "toutes"}})
                .status,
            404);
  ASSERT_EQ(stored(place_).size(), 1u);
  EXPECT_FALSE(stored(place_).at(0).lastDate.has_value());
  EXPECT_FALSE(platform_.agenda().unavailability(place_).indefinite);
  EXPECT_TRUE(platform_.agenda().unavailabilityAndNote(place_).second.empty());
  EXPECT_FALSE(platform_.structures().findStructure(structure_)->participation.participates);
}

}  // namespace
}  // namespace sas::test
