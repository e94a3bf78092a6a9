// Issue 19, item 7: the guide's details a structure manager meets, over real HTTP on SQLite and
// PostgreSQL: an hour the clock skips, an unavailability wholly past, the dashboard's next week.
#include <gtest/gtest.h>

#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";

bool has(const std::string& page, const std::string& text) {
  return page.find(text) != std::string::npos;
}

// Wednesday 25 March 2026, 10:00 in Paris: the clock moves on Sunday 29 at 02h00.
class ManagerDetailsTest : public ::testing::Test {
 protected:
  ManagerDetailsTest() : platform_(parisTime(2026, 3, 25, 10)), manager_(platform_.port()) {
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    platform_.addManager("camille@sas.test", kPassword, {structure_});
    manager_.login("camille@sas.test", kPassword);
  }

  std::string placeUrl(const std::string& rest) {
    return "/lieux/" + std::to_string(place_) + rest;
  }

  Page create(const std::string& date, const std::string& from, const std::string& to) {
    manager_.get(placeUrl("/agenda"));
    return manager_.post(placeUrl("/disponibilites"), {{"date", date},
                                                       {"de", from},
                                                       {"a", to},
                                                       {"type_disponibilite", "creneau"},
                                                       {"cabinet", "1"}});
  }

  std::vector<domain::Availability> stored() {
    return platform_.agenda().availabilitiesOfPlace(place_, domain::Day{});
  }

  TestPlatform platform_;
  Browser manager_;
  std::int64_t structure_ = 0, place_ = 0;
};

TEST_F(ManagerDetailsTest, AnHourTheClockSkipsIsSavedAsTheHourItNamesWithANotice) {
  auto created = create("2026-03-29", "02:30", "04:00");
  ASSERT_EQ(created.status, 303);
  EXPECT_TRUE(has(created.location, "heure=decalee"));
  ASSERT_EQ(stored().size(), 1u);
  EXPECT_EQ(stored()[0].base.startMinute, 3 * 60 + 30);
  EXPECT_EQ(stored()[0].base.endMinute, 4 * 60);
  auto week = manager_.get(created.location);
  EXPECT_TRUE(has(week.body, "agenda-occ__time\">03h30 - 04h00<"));
  EXPECT_FALSE(has(week.body, "02h30"));
  EXPECT_TRUE(has(week.body, "L&apos;heure saisie n&apos;existe pas ce jour-là"));

  // The end alone may move: 02h00 is skipped too.
  auto plain = create("2026-03-29", "01:45", "02:00");
  ASSERT_EQ(plain.status, 303);
  EXPECT_TRUE(has(plain.location, "heure=decalee"));
  // The day before, 02h30 exists: saved as typed, without the notice.
  auto normal = create("2026-03-28", "02:30", "03:00");
  ASSERT_EQ(normal.status, 303);
  EXPECT_FALSE(has(normal.location, "heure=decalee"));

  // A start that would come after the end is refused, with its reason, and nothing saved.
  const auto before = stored().size();
  auto refused = create("2026-03-29", "02:30", "03:00");
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.body, "n&apos;existe pas le 29/03/2026 (changement d&apos;heure)"));
  EXPECT_EQ(stored().size(), before);
}

TEST_F(ManagerDetailsTest, AnUnavailabilityWhollyPastIsRefusedNotDropped) {
  const auto url = placeUrl("/indisponibilite");
  manager_.get(url);
  auto past = manager_.post(
      url, {{"du_1", "2026-03-01"}, {"au_1", "2026-03-24"}, {"action", "enregistrer"}});
  EXPECT_EQ(past.status, 422);
  EXPECT_TRUE(has(past.body, "Période 1 : cette période est entièrement passée"));
  EXPECT_FALSE(has(past.body, "enregistrée"));
  EXPECT_TRUE(platform_.agenda().unavailability(place_).periods.empty());
  // Ending today is still accepted.
  auto today = manager_.post(
      url, {{"du_1", "2026-03-25"}, {"au_1", "2026-03-25"}, {"action", "enregistrer"}});
  EXPECT_EQ(today.status, 303);
  EXPECT_EQ(platform_.agenda().unavailability(place_).periods.size(), 1u);
}

TEST_F(ManagerDetailsTest, TheDashboardsNextWeekRowSaysLaSemaineProchaine) {
  platform_.structures().saveParticipation(structure_, {true, 1, true, true},
                                           {std::nullopt, "test", "", "", ""},
                                           platform_.clock().now());
  auto dash = manager_.get("/tableau-de-bord");
  ASSERT_EQ(dash.status, 200);
  EXPECT_EQ(count(dash.body, "2 h manquantes cette semaine"), 1u);
  EXPECT_EQ(count(dash.body, "2 h manquantes la semaine prochaine"), 1u);
}

TEST_F(ManagerDetailsTest, TheHeaderLinksToWhatTheSasIsAndToTheTrainingSpace) {
  Browser visitor(platform_.port());
  auto home = visitor.get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_TRUE(has(home.body, "<a class=\"fr-link\" href=\"/#le-sas\">Qu'est-ce que le SAS ?</a>"));
  EXPECT_TRUE(has(home.body, "<a class=\"fr-link\" href=\"/formation\">Espace de formation</a>"));
  EXPECT_TRUE(has(home.body, "id=\"le-sas\""));  // the link's target
  EXPECT_EQ(visitor.get("/formation").status, 200);
  // On every page, the signed-in one's too.
  EXPECT_TRUE(has(manager_.get("/tableau-de-bord").body, "href=\"/#le-sas\""));
}

TEST_F(ManagerDetailsTest, SeDeconnecterIsAButtonWithItsTextNotAnIconOnly) {
  // In a « --sm » group, a button with an icon is drawn as the icon alone (2rem wide, the text
  // clipped to « Se ») unless the group says its icons go left of the text.
  const auto page = manager_.get("/tableau-de-bord").body;
  const auto menu = page.find("sas-account__menu");
  ASSERT_NE(menu, std::string::npos);
  const auto group = page.find("<ul class=\"fr-btns-group", menu);
  ASSERT_NE(group, std::string::npos);
  const auto tag = page.substr(group, page.find('>', group) - group);
  EXPECT_TRUE(has(tag, "fr-btns-group--icon-left")) << tag;
  const auto logout = page.find(">Se déconnecter</button>", group);
  ASSERT_NE(logout, std::string::npos);
  EXPECT_LT(logout, page.find("</ul>", group));
}

TEST_F(ManagerDetailsTest, ThePasswordPageMarksEachRuleForTheBrowserAndHasALiveRegion) {
  auto page = manager_.get("/compte/mot-de-passe");
  ASSERT_EQ(page.status, 200);
  // Each listed rule names the browser's codes (static/js/password-policy.js), the email part's
  // included, and the state of the rules is announced politely.
  for (const char* codes : {"longueur_min longueur_max", "special", "chiffre", "casse", "email"})
    EXPECT_TRUE(has(page.body, std::string("data-regles=\"") + codes + "\"")) << codes;
  EXPECT_TRUE(has(page.body, "id=\"regles-mot-de-passe-etat\" aria-live=\"polite\""));
  // The rules' script comes before the one that uses them (both deferred, run in order).
  const auto rules = page.body.find("js/password-policy.");
  const auto uses = page.body.find("js/sas.");
  ASSERT_NE(rules, std::string::npos);
  ASSERT_NE(uses, std::string::npos);
  EXPECT_LT(rules, uses);
  EXPECT_EQ(Browser(platform_.port()).get("/static/js/password-policy.js").status, 200);
}

}  // namespace
}  // namespace sas::test
