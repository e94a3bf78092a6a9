// « Pourquoi ne suis-je pas visible ? » over real HTTP, on SQLite and PostgreSQL
// (docs/rules.md#visibility-self-check): each reason on the dashboard and the agenda with the
// link that fixes it, the visible case agreeing with the regulators' search, and nobody reading
// another structure's self-check.
#include <gtest/gtest.h>

#include "app/errors.hpp"
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

const char* const kPassword = "Correct-Horse-42!";
const char* const kWhy = "Pourquoi ne suis-je pas visible ?";

using test::ymd;

bool has(const std::string& page, const std::string& text) {
  return page.find(text) != std::string::npos;
}

// Wednesday 4 March 2026, 10:00 in Paris: the window ends on Saturday 7 at 00h00.
class VisibilityTest : public ::testing::Test {
 protected:
  VisibilityTest()
      : platform_(parisTime(2026, 3, 4, 10)), manager_(platform_.port()), other_(platform_.port()) {
    const auto idf = platform_.addTerritory("ARS Île-de-France", {"75"});
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    std::tie(otherStructure_, otherPlace_) = platform_.addCentre("Centre de santé Marcadet");
    platform_.addManager("camille@sas.test", kPassword, {structure_});
    platform_.addManager("karim@sas.test", kPassword, {otherStructure_});
    regulator_ =
        actor(platform_.addUser("regul@sas.test", kPassword, app::Role::Regulator, {}, idf));
    manager_.login("camille@sas.test", kPassword);
    other_.login("karim@sas.test", kPassword);
  }

  domain::Instant now() { return platform_.clock().now(); }

  app::Actor actor(std::int64_t userId) {
    app::Actor a;
    a.user = *platform_.users().findById(userId);
    a.structureIds = platform_.users().linkedStructureIds(userId);
    a.clientAddress = "127.0.0.1";
    return a;
  }

  void participate(std::int64_t structure) {
    platform_.structures().saveParticipation(structure, {true, 1, true, true},
                                             {std::nullopt, "test", "", "", ""}, now());
    for (const auto& p : platform_.structures().placesOfStructure(structure))
      platform_.platform().search().placeChanged(p.id);
  }

  // A one-off committed like a manager's; the occurrence a regulator would ask for.
  app::OccurrenceAsked offer(Day day, int fromMinute, int toMinute,
                             AvailabilityKind kind = AvailabilityKind::Slot, int capacity = 1,
                             std::int64_t place = 0) {
    if (!place) place = place_;
    domain::Availability a;
    a.placeId = place;
    domain::ConsultationTypes office;
    office.add(domain::ConsultationType::Office);
    a.base = {day, fromMinute, toMinute, kind, capacity, office};
    domain::AgendaChange change;
    change.created.push_back(a);
    platform_.agenda().applyChange(place, change, {std::nullopt, "test", "", "", ""}, now());
    platform_.platform().search().placeChanged(place);
    const auto& paris = *domain::findZone("Europe/Paris");
    return {place, domain::localToInstant(paris, day, fromMinute),
            domain::localToInstant(paris, day, toMinute), kind};
  }

  std::string agenda(std::int64_t place = 0) {
    return "/lieux/" + std::to_string(place ? place : place_) + "/agenda";
  }
  std::string link(const std::string& rest) {
    return "href=\"/lieux/" + std::to_string(place_) + rest + "\"";
  }
  // What the search shows a regulator of the place now (none when it leaves it out).
  std::size_t slotsInSearch(std::int64_t place = 0) {
    try {
      return platform_.platform()
          .search()
          .placeSheet(regulator_, place ? place : place_)
          .hit.slots.size();
    } catch (const app::AppError&) {
      return 0;
    }
  }

  // The self-check of both pages, which must say the same.
  void expectBoth(const std::function<void(const std::string&)>& check) {
    auto dash = manager_.get("/tableau-de-bord");
    ASSERT_EQ(dash.status, 200);
    check(dash.body);
    auto page = manager_.get(agenda());
    ASSERT_EQ(page.status, 200);
    check(page.body);
  }

  TestPlatform platform_;
  Browser manager_, other_;
  app::Actor regulator_;
  std::int64_t structure_ = 0, place_ = 0, otherStructure_ = 0, otherPlace_ = 0;
};

TEST_F(VisibilityTest, NothingInTheWindowAndNoParticipation) {
  expectBoth([&](const std::string& body) {
    EXPECT_TRUE(has(body, kWhy));
    EXPECT_TRUE(has(body, "Aucune disponibilité dans les 72 h"));
    EXPECT_TRUE(has(body, link("/disponibilites/nouvelle")));
    EXPECT_TRUE(has(body, "La participation au SAS n&apos;est pas déclarée"));
    EXPECT_TRUE(has(body, "href=\"/structures/" + std::to_string(structure_) + "/parametres\""));
    EXPECT_TRUE(has(body, "data-visible=\"non\""));
    EXPECT_FALSE(has(body, "Visible des régulateurs"));
  });
  EXPECT_EQ(slotsInSearch(), 0u);
}

TEST_F(VisibilityTest, VisibleCountsWhatTheSearchShows) {
  participate(structure_);
  offer(ymd(2026, 3, 4), 14 * 60, 14 * 60 + 30);
  offer(ymd(2026, 3, 6), 23 * 60 + 45, domain::kLastMinute);  // Friday 23h45: in the window
  offer(ymd(2026, 3, 7), 0, 60);                              // Saturday 00h00: not
  expectBoth([&](const std::string& body) {
    EXPECT_TRUE(has(body, "Visible des régulateurs : 2 disponibilités dans les 72 h"));
    EXPECT_TRUE(has(body, "data-visible=\"oui\""));
    EXPECT_FALSE(has(body, kWhy));
  });
  EXPECT_EQ(slotsInSearch(), 2u);
}

// Near a Sunday the window runs into the next week: the agenda page reads it too, whatever
// week it shows.
TEST_F(VisibilityTest, TheWindowRunsIntoNextWeekOnASaturday) {
  participate(structure_);
  platform_.clock().set(parisTime(2026, 3, 7, 10));  // Saturday
  manager_.login("camille@sas.test", kPassword);     // her session of Wednesday has lapsed
  offer(ymd(2026, 3, 9), 9 * 60, 9 * 60 + 30);       // Monday: the window's last day
  offer(ymd(2026, 3, 10), 9 * 60, 9 * 60 + 30);      // Tuesday: past it
  expectBoth([&](const std::string& body) {
    EXPECT_TRUE(has(body, "Visible des régulateurs : 1 disponibilité dans les 72 h")) << body;
  });
  const auto later = manager_.get(agenda() + "?semaine=2026-03-23");
  ASSERT_EQ(later.status, 200);
  EXPECT_TRUE(has(later.body, "Visible des régulateurs : 1 disponibilité dans les 72 h"));
  EXPECT_EQ(slotsInSearch(), 1u);
}

TEST_F(VisibilityTest, AllPastAtTheSecondAfterTheStart) {
  participate(structure_);
  offer(ymd(2026, 3, 4), 10 * 60 + 15, 10 * 60 + 30);
  platform_.clock().set(parisTime(2026, 3, 4, 10, 15));
  expectBoth([&](const std::string& body) {
    EXPECT_TRUE(has(body, "Visible des régulateurs : 1 disponibilité dans les 72 h"));
  });
  EXPECT_EQ(slotsInSearch(), 1u);
  platform_.clock().advance(std::chrono::seconds{1});
  expectBoth([&](const std::string& body) {
    EXPECT_TRUE(has(body, kWhy));
    EXPECT_TRUE(has(body,
                    "Aucune de vos disponibilités des 72 h n&apos;est proposée aux "
                    "régulateurs : 1 passée."));
    EXPECT_TRUE(has(body, link("/disponibilites/nouvelle")));
  });
  EXPECT_EQ(slotsInSearch(), 0u);
}

TEST_F(VisibilityTest, AllFull) {
  participate(structure_);
  const auto asked = offer(ymd(2026, 3, 5), 9 * 60, 9 * 60 + 30);
  auto done = platform_.platform().orientations().orient(regulator_, asked, "");
  ASSERT_TRUE(done.result.ok()) << done.result.errors.front().message;
  expectBoth([&](const std::string& body) {
    EXPECT_TRUE(has(body, kWhy));
    EXPECT_TRUE(has(body, ": 1 complète."));
  });
  EXPECT_EQ(slotsInSearch(), 0u);
}

TEST_F(VisibilityTest, UnderAFutureUnavailability) {
  participate(structure_);
  offer(ymd(2026, 3, 6), 9 * 60, 10 * 60);
  domain::Unavailability u;
  u.periods = {{ymd(2026, 3, 6), ymd(2026, 3, 6)}};
  platform_.agenda().saveUnavailability(place_, u, {std::nullopt, "test", "", "", ""}, now());
  platform_.platform().search().placeChanged(place_);
  expectBoth([&](const std::string& body) {
    EXPECT_TRUE(has(body, kWhy));
    EXPECT_TRUE(has(body, ": 1 sous une indisponibilité."));
    EXPECT_TRUE(has(body, link("/indisponibilite")));
    EXPECT_FALSE(has(body, "Une indisponibilité est en cours : le lieu"));
  });
  EXPECT_EQ(slotsInSearch(), 0u);
}

TEST_F(VisibilityTest, UnavailableNow) {
  participate(structure_);
  offer(ymd(2026, 3, 5), 9 * 60, 10 * 60);
  domain::Unavailability u;
  u.indefinite = true;
  platform_.agenda().saveUnavailability(place_, u, {std::nullopt, "test", "", "", ""}, now());
  platform_.platform().search().placeChanged(place_);
  expectBoth([&](const std::string& body) {
    EXPECT_TRUE(has(body, kWhy));
    EXPECT_TRUE(has(body,
                    "Une indisponibilité est en cours : le lieu n&apos;apparaît dans "
                    "aucune recherche"));
    EXPECT_TRUE(has(body, link("/indisponibilite")));
  });
  EXPECT_EQ(slotsInSearch(), 0u);
}

TEST_F(VisibilityTest, PlaceWithoutCoordinatesOrApproximate) {
  participate(structure_);
  app::Place lost{0,  structure_, "Annexe", "1 rue Inconnue", "75016", "Paris",
                  "", 0,          0,        "Europe/Paris",   ""};
  lost.approximate = true;
  const auto lostId = platform_.structures().createPlace(lost);
  app::Place near{0,       structure_, "Antenne", "2 rue Connue", "75016", "Paris",
                  "75116", 48.86,      2.27,      "Europe/Paris", ""};
  near.approximate = true;
  const auto nearId = platform_.structures().createPlace(near);
  offer(ymd(2026, 3, 5), 9 * 60, 10 * 60, AvailabilityKind::Slot, 1, lostId);
  offer(ymd(2026, 3, 5), 9 * 60, 10 * 60, AvailabilityKind::Slot, 1, nearId);

  auto lostPage = manager_.get(agenda(lostId));
  ASSERT_EQ(lostPage.status, 200);
  EXPECT_TRUE(has(lostPage.body, kWhy));
  EXPECT_TRUE(has(lostPage.body, "Le lieu n&apos;a pas de coordonnées"));
  EXPECT_FALSE(has(lostPage.body, "centre de sa commune"));  // one reason is enough
  EXPECT_TRUE(has(lostPage.body, "href=\"/assistance\""));

  auto nearPage = manager_.get(agenda(nearId));
  ASSERT_EQ(nearPage.status, 200);
  EXPECT_TRUE(has(nearPage.body, "Visible des régulateurs : 1 disponibilité dans les 72 h"));
  EXPECT_TRUE(has(nearPage.body, "Le lieu est placé au centre de sa commune"));
  EXPECT_TRUE(has(nearPage.body, "href=\"/assistance\""));

  auto dash = manager_.get("/tableau-de-bord");
  EXPECT_TRUE(has(dash.body, "Le lieu n&apos;a pas de coordonnées"));
  EXPECT_TRUE(has(dash.body, "Le lieu est placé au centre de sa commune"));
}

TEST_F(VisibilityTest, TurnsVisibleOnceAnAvailabilityIsCreated) {
  participate(structure_);
  EXPECT_TRUE(has(manager_.get(agenda()).body, kWhy));
  auto created = manager_.post("/lieux/" + std::to_string(place_) + "/disponibilites",
                               {{"date", "2026-03-05"},
                                {"de", "09:00"},
                                {"a", "09:30"},
                                {"type_disponibilite", "creneau"},
                                {"cabinet", "1"}});
  ASSERT_EQ(created.status, 303);
  auto page = manager_.get(agenda());
  EXPECT_FALSE(has(page.body, kWhy));
  EXPECT_TRUE(has(page.body, "Visible des régulateurs : 1 disponibilité dans les 72 h"));
  EXPECT_EQ(slotsInSearch(), 1u);
}

TEST_F(VisibilityTest, NobodyReadsAnotherStructuresSelfCheck) {
  participate(otherStructure_);
  offer(ymd(2026, 3, 5), 9 * 60, 10 * 60, AvailabilityKind::Slot, 1, otherPlace_);
  auto theirs = manager_.get(agenda(otherPlace_));
  EXPECT_EQ(theirs.status, 404);
  EXPECT_FALSE(has(theirs.body, "Visible des régulateurs"));
  auto dash = manager_.get("/tableau-de-bord");
  EXPECT_FALSE(has(dash.body, "visibilite-" + std::to_string(otherPlace_)));
  EXPECT_TRUE(has(dash.body, "visibilite-" + std::to_string(place_)));
  // Its own manager sees it.
  EXPECT_TRUE(has(other_.get(agenda(otherPlace_)).body,
                  "Visible des régulateurs : 1 disponibilité dans les 72 h"));
}

}  // namespace
}  // namespace sas::test
