// The agenda page as phones and the guide's display tools need it (issue 19): overlapping
// availabilities placed side by side by the server (domain/agenda_layout), four lanes at most
// and « +N » beyond; the day tabs with today's chosen; « A+ » / « A− » on the agenda pages.
#include <gtest/gtest.h>

#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";

// Wednesday 4 March 2026, 10:00 in Paris.
class AgendaDisplayTest : public ::testing::Test {
 protected:
  AgendaDisplayTest() : platform_(parisTime(2026, 3, 4, 10)), manager_(platform_.port()) {
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    platform_.addManager("camille@sas.test", kPassword, {structure_});
    manager_.login("camille@sas.test", kPassword);
  }

  std::string agenda(const std::string& week = "") {
    return "/lieux/" + std::to_string(place_) + "/agenda" +
           (week.empty() ? "" : "?semaine=" + week);
  }

  void creneau(const std::string& date, const std::string& from, const std::string& to) {
    manager_.get(agenda());
    const auto page = manager_.post("/lieux/" + std::to_string(place_) + "/disponibilites",
                                    {{"date", date},
                                     {"de", from},
                                     {"a", to},
                                     {"type_disponibilite", "creneau"},
                                     {"cabinet", "1"}});
    ASSERT_EQ(page.status, 303) << page.body;
  }

  // The HTML of one day's column.
  static std::string day(const std::string& page, const std::string& iso) {
    const auto from = page.find("id=\"agenda-" + iso + "\"");
    if (from == std::string::npos) return "";
    return page.substr(from, page.find("</section>", from) - from);
  }

  TestPlatform platform_;
  Browser manager_;
  std::int64_t structure_ = 0, place_ = 0;
};

TEST_F(AgendaDisplayTest, OverlappingAvailabilitiesSideBySideFourAtMostThenFolded) {
  // Thursday: one alone; Friday: two overlapping, then one after them (touching is not
  // overlapping); Saturday: four at once; Sunday: five at once.
  creneau("2026-03-05", "09h00", "10h00");
  creneau("2026-03-06", "09h00", "10h00");
  creneau("2026-03-06", "09h30", "10h30");
  creneau("2026-03-06", "10h30", "11h00");
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"09h00", "12h00"}, {"09h00", "10h00"}, {"09h15", "11h00"}, {"09h30", "10h30"}})
    creneau("2026-03-07", from, to);
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"09h00", "12h00"},
                                                        {"09h00", "10h00"},
                                                        {"09h15", "11h00"},
                                                        {"09h30", "10h30"},
                                                        {"09h45", "10h45"}})
    creneau("2026-03-08", from, to);
  const auto page = manager_.get(agenda());
  ASSERT_EQ(page.status, 200);

  const auto thursday = day(page.body, "2026-03-05");
  EXPECT_EQ(count(thursday, "agenda-occ q-top-36 q-h-4 lane-0-of-1"), 1u) << thursday;

  const auto friday = day(page.body, "2026-03-06");
  EXPECT_EQ(count(friday, "q-top-36 q-h-4 lane-0-of-2"), 1u) << friday;
  EXPECT_EQ(count(friday, "q-top-38 q-h-4 lane-1-of-2"), 1u) << friday;
  EXPECT_EQ(count(friday, "q-top-42 q-h-2 lane-0-of-1"), 1u) << friday;

  const auto saturday = day(page.body, "2026-03-07");
  for (int lane = 0; lane < 4; ++lane)
    EXPECT_EQ(count(saturday, "lane-" + std::to_string(lane) + "-of-4"), 1u) << saturday;
  EXPECT_EQ(count(saturday, "agenda-occ--fold"), 0u);

  // Five at once: three drawn, the fourth and fifth in « +2 » (09h30 - 10h45), each listed
  // with its hours and its links.
  const auto sunday = day(page.body, "2026-03-08");
  for (int lane = 0; lane < 3; ++lane)
    EXPECT_EQ(count(sunday, "lane-" + std::to_string(lane) + "-of-4"), 1u) << sunday;
  EXPECT_EQ(count(sunday, "agenda-occ agenda-occ--fold q-top-38 q-h-5 lane-3-of-4"), 1u) << sunday;
  EXPECT_EQ(count(sunday, "lane-4"), 0u);
  EXPECT_EQ(count(sunday,
                  "<span aria-hidden=\"true\">+</span>2<span class=\"fr-sr-only\"> "
                  "disponibilités de 09h30 à 10h45 de plus</span>"),
            1u)
      << sunday;
  EXPECT_EQ(count(sunday, "agenda-occ__time\">"), 5u);
  EXPECT_EQ(count(sunday, "Modifier la disponibilité du dimanche 8 mars 2026, 09h45 - 10h45"), 1u);
}

TEST_F(AgendaDisplayTest, DayTabsWithTodayChosenOrMondayInAnotherWeek) {
  const auto week = manager_.get(agenda());
  ASSERT_EQ(week.status, 200);
  EXPECT_EQ(count(week.body, "role=\"tablist\" aria-label=\"Jours de la semaine\""), 1u);
  EXPECT_EQ(count(week.body, "role=\"tab\""), 7u);
  // Chosen by the script that shows them: none is selected before its day is its panel.
  EXPECT_EQ(count(week.body,
                  "id=\"onglet-2026-03-04\" role=\"tab\" data-sas-choisi tabindex=\"0\" "
                  "aria-controls=\"agenda-2026-03-04\""),
            1u);
  EXPECT_EQ(count(week.body, "role=\"tab\" tabindex=\"-1\""), 6u);
  EXPECT_EQ(count(week.body, "aria-selected"), 0u);
  // Each tab names its day in words, and controls that day's column.
  EXPECT_EQ(count(week.body, "<span class=\"fr-sr-only\">mercredi 4 mars 2026</span></button>"),
            1u);
  EXPECT_EQ(count(week.body, "<section class=\"sas-agenda__day"), 7u);
  for (int d = 2; d <= 8; ++d) {
    const std::string iso = "2026-03-0" + std::to_string(d);
    EXPECT_EQ(count(week.body, "aria-controls=\"agenda-" + iso + "\""), 1u) << iso;
    EXPECT_FALSE(day(week.body, iso).empty()) << iso;
  }

  const auto next = manager_.get(agenda("2026-03-09"));
  EXPECT_EQ(count(next.body, "id=\"onglet-2026-03-09\" role=\"tab\" data-sas-choisi"), 1u);
  EXPECT_EQ(count(next.body, "data-sas-choisi"), 1u);
}

TEST_F(AgendaDisplayTest, TextSizeAndDisplaySettingsOnTheAgendaPages) {
  for (const auto& path : {std::string("/tableau-de-bord"), agenda()}) {
    const auto page = manager_.get(path);
    ASSERT_EQ(page.status, 200) << path;
    EXPECT_EQ(count(page.body, "aria-label=\"A+ : augmenter la taille du texte\">A+</button>"), 1u)
        << path;
    EXPECT_EQ(count(page.body, "aria-label=\"A− : diminuer la taille du texte\">A−</button>"), 1u)
        << path;
    // Shown by the script that makes them work; DSFR's pop-in in every page's layout.
    EXPECT_EQ(count(page.body, "data-sas-taille-texte hidden>"), 1u) << path;
    EXPECT_EQ(count(page.body, "<dialog id=\"fr-theme-modal\""), 1u) << path;
    EXPECT_EQ(count(page.body, "aria-controls=\"fr-theme-modal\" data-fr-opened=\"false\""), 2u)
        << path;
    EXPECT_EQ(count(page.body, "/text-size."), 1u) << path;
  }
  // On public pages too, from the footer.
  Browser visitor(platform_.port());
  const auto login = visitor.get("/connexion");
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(count(login.body, "<dialog id=\"fr-theme-modal\""), 1u);
  EXPECT_EQ(count(login.body, "aria-controls=\"fr-theme-modal\" data-fr-opened=\"false\""), 1u);
}

}  // namespace
}  // namespace sas::test
