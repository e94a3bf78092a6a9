// The structure manager's side of orientations over real HTTP (docs/rules.md#orientation), on
// SQLite and PostgreSQL: taken occurrences orange with « n / N » and no pencil nor bin, forged
// changes answered 409, a series cut « à toutes les semaines » refused over taken dates, the
// unavailability that lists the orientations it covers, and « Patients adressés » with its
// statuses, for the place's managers only.
#include <gtest/gtest.h>

#include "app/orientation_service.hpp"
#include "app/ports/accounts.hpp"
#include "app/search_service.hpp"
#include "storage/account_store.hpp"
#include "support/days.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using domain::AvailabilityKind;
using domain::Day;
using domain::OrientationStatus;

const char* const kPassword = "Correct-Horse-42!";

// How many occurrences at these hours the agenda shows.
std::size_t shown(const std::string& page, const std::string& hours) {
  return count(page, "agenda-occ__time\">" + hours + "<");
}

using test::ymd;

// Wednesday 4 March 2026, 10:00 in Paris.
class ReferralManagerTest : public ::testing::Test {
 protected:
  ReferralManagerTest()
      : platform_(parisTime(2026, 3, 4, 10)), manager_(platform_.port()), other_(platform_.port()) {
    const auto idf = platform_.addTerritory("ARS Île-de-France", {"75"});
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    std::tie(otherStructure_, otherPlace_) = platform_.addCentre("Centre de santé Marcadet");
    regulator_ = actor(platform_.addUser("a@sas.test", kPassword, app::Role::Regulator, {}, idf));
    platform_.addManager("camille@sas.test", kPassword, {structure_});
    platform_.addManager("karim@sas.test", kPassword, {otherStructure_});
    manager_.login("camille@sas.test", kPassword);
    other_.login("karim@sas.test", kPassword);
  }

  app::Actor actor(std::int64_t userId) {
    app::Actor a;
    a.user = *platform_.users().findById(userId);
    a.structureIds = platform_.users().linkedStructureIds(userId);
    a.clientAddress = "127.0.0.1";
    return a;
  }

  // An availability of the place from Thursday 5 March (weekly or not); its id.
  std::int64_t offer(AvailabilityKind kind, int capacity, int fromHour, int toHour,
                     bool weekly = false) {
    domain::Availability a;
    a.placeId = place_;
    a.weekly = weekly;
    domain::ConsultationTypes office;
    office.add(domain::ConsultationType::Office);
    a.base = {ymd(2026, 3, 5), fromHour * 60, toHour * 60, kind, capacity, office};
    domain::AgendaChange change;
    change.created.push_back(a);
    const auto ids =
        platform_.agenda().applyChange(place_, change, {std::nullopt, "test", "", "", ""}, now());
    platform_.platform().search().placeChanged(place_);
    return ids.at(0);
  }

  // A patient sent by the regulator to the occurrence of `day` at these hours; its id.
  std::int64_t orient(AvailabilityKind kind, unsigned day, int fromHour, int toHour,
                      const std::string& reference = "") {
    app::OccurrenceAsked asked{place_, parisTime(2026, 3, day, fromHour),
                               parisTime(2026, 3, day, toHour), kind};
    auto outcome = platform_.platform().orientations().orient(regulator_, asked, reference);
    EXPECT_TRUE(outcome.result.ok()) << outcome.result.errors.front().message;
    return outcome.result.ok() ? outcome.result.value->id : 0;
  }

  domain::Instant now() { return platform_.clock().now(); }
  // The clock moved past the sessions' idle limit: both managers log in again.
  void at(domain::Instant t) {
    platform_.clock().set(t);
    manager_.login("camille@sas.test", kPassword);
    other_.login("karim@sas.test", kPassword);
  }
  std::string placePath(std::int64_t place = 0) {
    return "/lieux/" + std::to_string(place ? place : place_);
  }
  std::string occurrencePath(std::int64_t availability, const std::string& date,
                             const std::string& action) {
    return placePath() + "/disponibilites/" + std::to_string(availability) + "/" + date + "/" +
           action;
  }
  std::string referred(const std::string& week = "2026-03-02", std::int64_t place = 0) {
    return placePath(place) + "/patients-adresses?semaine=" + week;
  }
  OrientationStatus statusOf(std::int64_t orientation) {
    return platform_.platform().orientationStore().findOrientation(orientation)->status;
  }
  Page setStatus(Browser& b, std::int64_t orientation, const std::string& status,
                 std::int64_t place = 0) {
    b.get(referred("2026-03-02", place ? place : place_));
    return b.post("/orientations/" + std::to_string(orientation) + "/statut",
                  {{"statut", status},
                   {"lieu", std::to_string(place ? place : place_)},
                   {"semaine", "2026-03-02"}});
  }

  static Form rangeForm(const std::string& date, const std::string& scope) {
    return {{"date", date},    {"de", "14:00"},  {"a", "17:00"},   {"type_disponibilite", "plage"},
            {"capacite", "2"}, {"cabinet", "1"}, {"portee", scope}};
  }

  TestPlatform platform_;
  Browser manager_, other_;
  app::Actor regulator_;
  std::int64_t structure_ = 0, place_ = 0, otherStructure_ = 0, otherPlace_ = 0;
};

TEST_F(ReferralManagerTest, ATakenOccurrenceIsOrangeWithItsCounterAndNoPencilNorBin) {
  const auto range = offer(AvailabilityKind::Range, 2, 14, 16);
  const auto slot = offer(AvailabilityKind::Slot, 1, 10, 11);
  // Seen before the orientation: the week kept since (app/week_cache.hpp) must not be shown.
  EXPECT_EQ(
      count(manager_.get(placePath() + "/agenda?semaine=2026-03-02").body, "agenda-occ--taken"),
      0u);
  orient(AvailabilityKind::Range, 5, 14, 16);
  auto page = manager_.get(placePath() + "/agenda?semaine=2026-03-02");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(count(page.body, "agenda-occ--taken"), 1u);
  EXPECT_NE(page.body.find("Réservé · 1 / 2"), std::string::npos);
  EXPECT_NE(page.body.find("Disponibilités</li>"), std::string::npos);  // the legend
  EXPECT_NE(page.body.find("Réservés (au moins un patient adressé)"), std::string::npos);
  EXPECT_EQ(page.body.find(occurrencePath(range, "2026-03-05", "modifier")), std::string::npos);
  EXPECT_EQ(page.body.find(occurrencePath(range, "2026-03-05", "supprimer")), std::string::npos);
  // The untaken créneau keeps both.
  EXPECT_NE(page.body.find(occurrencePath(slot, "2026-03-05", "modifier")), std::string::npos);
  EXPECT_NE(page.body.find(occurrencePath(slot, "2026-03-05", "supprimer")), std::string::npos);
  EXPECT_NE(page.body.find(referred()), std::string::npos);  // « Patients adressés »

  orient(AvailabilityKind::Range, 5, 14, 16);
  EXPECT_NE(manager_.get(placePath() + "/agenda?semaine=2026-03-02").body.find("Réservé · 2 / 2"),
            std::string::npos);
}

TEST_F(ReferralManagerTest, ForgedChangesOfATakenOccurrenceAnswer409AndChangeNothing) {
  const auto range = offer(AvailabilityKind::Range, 2, 14, 16);
  const auto orientation = orient(AvailabilityKind::Range, 5, 14, 16);
  const auto before = platform_.agenda().findAvailability(range);

  EXPECT_EQ(manager_.get(occurrencePath(range, "2026-03-05", "modifier")).status, 409);
  auto modified = manager_.post(occurrencePath(range, "2026-03-05", "modifier"),
                                rangeForm("2026-03-05", "occurrence"));
  EXPECT_EQ(modified.status, 409);
  EXPECT_NE(modified.body.find("Cette disponibilité a déjà des patients adressés"),
            std::string::npos);
  auto removed =
      manager_.post(occurrencePath(range, "2026-03-05", "supprimer"), {{"portee", "occurrence"}});
  EXPECT_EQ(removed.status, 409);
  EXPECT_NE(removed.body.find("ne peut plus être modifiée ni supprimée"), std::string::npos);
  EXPECT_EQ(platform_.agenda().findAvailability(range), before);

  // Cancelled, the occurrence holds nobody: it may go.
  ASSERT_TRUE(platform_.platform().orientations().cancel(regulator_, orientation).ok());
  EXPECT_EQ(
      manager_.post(occurrencePath(range, "2026-03-05", "supprimer"), {{"portee", "occurrence"}})
          .status,
      303);
  EXPECT_FALSE(platform_.agenda().findAvailability(range));
}

TEST_F(ReferralManagerTest, AChangeForAllWeeksKeepsTheTakenDatesAsTheyWere) {
  const auto series = offer(AvailabilityKind::Range, 2, 14, 16, true);
  const auto orientation = orient(AvailabilityKind::Range, 12, 14, 16, "DR-12");
  manager_.get(placePath() + "/agenda?semaine=2026-03-02");
  auto changed = manager_.post(occurrencePath(series, "2026-03-05", "modifier"),
                               rangeForm("2026-03-05", "toutes"));
  ASSERT_EQ(changed.status, 303) << changed.body;
  auto page = manager_.get(changed.location);
  EXPECT_NE(page.body.find("1 disponibilité(s) réservée(s) conservée(s)"), std::string::npos);
  EXPECT_EQ(shown(page.body, "14h00 - 17h00"), 1u);  // the 5th, changed

  // The 12th as it was, with its orientation; the new series skips it.
  const auto moved = platform_.platform().orientationStore().findOrientation(orientation);
  ASSERT_TRUE(moved);
  EXPECT_NE(moved->availabilityId, series);
  EXPECT_EQ(moved->occurrenceDate, ymd(2026, 3, 12));
  EXPECT_EQ(moved->status, OrientationStatus::Pending);
  page = manager_.get(placePath() + "/agenda?semaine=2026-03-09");
  EXPECT_EQ(shown(page.body, "14h00 - 16h00"), 1u);
  EXPECT_EQ(shown(page.body, "14h00 - 17h00"), 0u);
  EXPECT_NE(page.body.find("Réservé · 1 / 2"), std::string::npos);
  EXPECT_EQ(page.body.find(occurrencePath(moved->availabilityId, "2026-03-12", "modifier")),
            std::string::npos);
  EXPECT_EQ(shown(manager_.get(placePath() + "/agenda?semaine=2026-03-16").body, "14h00 - 17h00"),
            1u);

  // The count moved with it: a cancellation frees the one-off.
  ASSERT_TRUE(platform_.platform().orientations().cancel(regulator_, orientation).ok());
  EXPECT_TRUE(
      platform_.platform().orientationStore().takingsOfPlace(place_, ymd(2026, 3, 1)).empty());
  EXPECT_EQ(manager_.get(placePath() + "/agenda?semaine=2026-03-09").body.find("Réservé · "),
            std::string::npos);
}

TEST_F(ReferralManagerTest, ADeletionForAllWeeksKeepsTheTakenDatesAndSaysHowMany) {
  const auto series = offer(AvailabilityKind::Slot, 1, 9, 10, true);
  orient(AvailabilityKind::Slot, 12, 9, 10);
  orient(AvailabilityKind::Slot, 26, 9, 10);
  manager_.get(placePath() + "/agenda?semaine=2026-03-02");
  // A taken occurrence itself cannot be the one the change starts from.
  EXPECT_EQ(manager_.post(occurrencePath(series, "2026-03-12", "supprimer"), {{"portee", "toutes"}})
                .status,
            409);

  auto removed =
      manager_.post(occurrencePath(series, "2026-03-05", "supprimer"), {{"portee", "toutes"}});
  ASSERT_EQ(removed.status, 303) << removed.body;
  EXPECT_NE(manager_.get(removed.location).body.find("2 disponibilité(s) réservée(s) conservée(s)"),
            std::string::npos);
  // Nothing was left before the 5th: the series is gone, the two one-offs remain (SQLite may
  // give one of them the series' id).
  const auto left = platform_.agenda().availabilitiesOfPlace(place_, Day{});
  ASSERT_EQ(left.size(), 2u);
  for (const auto& a : left) EXPECT_FALSE(a.weekly);
  for (const char* week : {"2026-03-09", "2026-03-23"}) {
    auto page = manager_.get(placePath() + "/agenda?semaine=" + week);
    EXPECT_EQ(shown(page.body, "09h00 - 10h00"), 1u) << week;
    EXPECT_NE(page.body.find("Réservé · 1 / 1"), std::string::npos) << week;
  }
  EXPECT_EQ(shown(manager_.get(placePath() + "/agenda?semaine=2026-03-16").body, "09h00 - 10h00"),
            0u);
  EXPECT_EQ(platform_.platform().orientationStore().takingsOfPlace(place_, ymd(2026, 3, 1)).size(),
            2u);
}

TEST_F(ReferralManagerTest, AnUnavailabilityOverTakenOccurrencesIsSavedAndListsThem) {
  offer(AvailabilityKind::Range, 2, 14, 16, true);
  orient(AvailabilityKind::Range, 5, 14, 16, "DR-2026-0042");
  orient(AvailabilityKind::Range, 12, 14, 16, "DR-2026-0099");
  const std::string url = placePath() + "/indisponibilite";
  manager_.get(url);
  // Not over the orientations: back to the agenda as before.
  auto elsewhere = manager_.post(
      url, {{"du_1", "2026-03-06"}, {"au_1", "2026-03-11"}, {"action", "enregistrer"}});
  ASSERT_EQ(elsewhere.status, 303);
  EXPECT_NE(elsewhere.location.find("/agenda"), std::string::npos);

  auto saved = manager_.post(
      url, {{"du_1", "2026-03-05"}, {"au_1", "2026-03-06"}, {"action", "enregistrer"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(platform_.agenda().unavailability(place_).periods.size(), 1u);
  EXPECT_NE(saved.location.find("/indisponibilite?message=enregistree"), std::string::npos);
  auto page = manager_.get(saved.location);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Votre indisponibilité a été enregistrée."), std::string::npos);
  EXPECT_NE(page.body.find("DR-2026-0042"), std::string::npos);
  EXPECT_NE(page.body.find("05/03/2026"), std::string::npos);
  EXPECT_NE(page.body.find("14h00"), std::string::npos);
  EXPECT_NE(page.body.find("En attente"), std::string::npos);
  EXPECT_EQ(page.body.find("DR-2026-0099"), std::string::npos);  // the 12th is not covered
}

TEST_F(ReferralManagerTest, PatientsAdressesListsTheWeekAndSetsStatusesFromTheStart) {
  offer(AvailabilityKind::Range, 3, 14, 16);
  const auto a = orient(AvailabilityKind::Range, 5, 14, 16, "DR-A");
  const auto b = orient(AvailabilityKind::Range, 5, 14, 16);
  const auto c = orient(AvailabilityKind::Range, 5, 14, 16, "DR-C");
  ASSERT_TRUE(platform_.platform().orientations().cancel(regulator_, c).ok());

  auto page = manager_.get(referred());
  ASSERT_EQ(page.status, 200);
  for (const char* text :
       {"Patients adressés", "DR-A", "DR-C", "jeudi 5 mars 2026", "14h00 - 16h00",
        "Plage · 3 patients", "Reçus : 0", "Non venus : 0", "En attente : 2", "Annulés : 1",
        "Annulée", "Référence du dossier de régulation", "semaine=2026-02-23", "semaine=2026-03-09",
        "À renseigner à partir de l'heure du rendez-vous"})
    EXPECT_NE(page.body.find(text), std::string::npos) << text;
  EXPECT_EQ(page.body.find("value=\"recu\""), std::string::npos);  // not before the start
  EXPECT_EQ(manager_.get(referred("2026-03-09")).body.find("DR-A"), std::string::npos);

  // One second before the start: refused; at the start: set.
  at(parisTime(2026, 3, 5, 14) - std::chrono::seconds{1});
  auto early = setStatus(manager_, a, "recu");
  EXPECT_EQ(early.status, 409);
  EXPECT_NE(early.body.find("à partir de l'heure du rendez-vous"), std::string::npos);
  EXPECT_EQ(statusOf(a), OrientationStatus::Pending);

  at(parisTime(2026, 3, 5, 14));
  auto received = setStatus(manager_, a, "recu");
  ASSERT_EQ(received.status, 303) << received.body;
  EXPECT_EQ(received.location, referred() + "&message=statut");
  EXPECT_EQ(statusOf(a), OrientationStatus::Received);
  EXPECT_EQ(setStatus(manager_, b, "non_venu").status, 303);
  EXPECT_EQ(statusOf(b), OrientationStatus::NoShow);
  auto cancelled = setStatus(manager_, c, "recu");
  EXPECT_EQ(cancelled.status, 409);
  EXPECT_NE(cancelled.body.find("annulée par la régulation"), std::string::npos);
  EXPECT_EQ(setStatus(manager_, b, "en_attente").status, 422);
  EXPECT_EQ(statusOf(b), OrientationStatus::NoShow);

  page = manager_.get(referred());
  EXPECT_NE(manager_.get(received.location).body.find("Le statut a été enregistré."),
            std::string::npos);
  for (const char* text :
       {"Reçus : 1", "Non venus : 1", "En attente : 0", "Patient reçu", "Patient non venu"})
    EXPECT_NE(page.body.find(text), std::string::npos) << text;
  auto dashboard = manager_.get("/tableau-de-bord");
  for (const char* text :
       {"Patients adressés cette semaine", "Reçus : 1", "Non venus : 1", "En attente : 0"})
    EXPECT_NE(dashboard.body.find(text), std::string::npos) << text;
}

TEST_F(ReferralManagerTest, AnotherStructuresManagerGets404ByUrlAndByFormField) {
  offer(AvailabilityKind::Slot, 1, 14, 15);
  const auto a = orient(AvailabilityKind::Slot, 5, 14, 15, "DR-SECRET");
  at(parisTime(2026, 3, 5, 15));
  EXPECT_EQ(other_.get(referred()).status, 404);
  EXPECT_EQ(other_.get(referred("2026-03-02", otherPlace_)).status, 200);
  auto ownPlace = setStatus(other_, a, "recu", otherPlace_);
  EXPECT_EQ(ownPlace.status, 404);
  EXPECT_EQ(ownPlace.body.find("DR-SECRET"), std::string::npos);
  other_.get("/tableau-de-bord");
  EXPECT_EQ(other_
                .post("/orientations/" + std::to_string(a) + "/statut",
                      {{"statut", "non_venu"}, {"lieu", std::to_string(place_)}})
                .status,
            404);
  EXPECT_EQ(statusOf(a), OrientationStatus::Pending);
  EXPECT_EQ(setStatus(manager_, a, "recu").status, 303);  // his own manager may
}

}  // namespace
}  // namespace sas::test
