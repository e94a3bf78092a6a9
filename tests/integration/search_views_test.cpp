// The search page's views and memory (issue 16, items 5 to 7) over real HTTP: the map beside
// the results when a tile server is configured (and nothing of it otherwise), « Vue compacte »
// and the print view, the criteria kept across the login, and the regulator's last search
// offered again.
#include <gtest/gtest.h>
#include <GeographicLib/Geodesic.hpp>

#include <algorithm>
#include <map>
#include <regex>

#include "app/search_service.hpp"
#include "storage/search_source.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using domain::Day;

const char* const kPassword = "Correct-Horse-42!";
const domain::GeoPoint kParis{48.85341, 2.34880};  // data/communes.csv: Paris
const char* const kTiles = "http://tuiles.test:8081/{z}/{x}/{y}.png";
// A town: its places in an order drawn for each search, participants first (all are here).
const char* const kAddress = "adresse=Paris";

domain::GeoPoint towards(domain::GeoPoint from, double azimuth, double metres) {
  domain::GeoPoint to;
  GeographicLib::Geodesic::WGS84().Direct(from.latitude, from.longitude, azimuth, metres,
                                          to.latitude, to.longitude);
  return to;
}

std::vector<std::string> all(const std::string& page, const std::string& pattern) {
  const std::regex re(pattern);
  std::vector<std::string> out;
  for (std::sregex_iterator it(page.begin(), page.end(), re), end; it != end; ++it)
    out.push_back((*it)[1]);
  return out;
}

std::string unescaped(std::string url) {
  for (std::string::size_type p; (p = url.find("&amp;")) != std::string::npos;)
    url.replace(p, 5, "&");
  return url;
}

// The href of the first link whose text starts with `text`.
std::string link(const std::string& page, const std::string& text) {
  const std::regex a("<a [^>]*href=\"([^\"]*)\"[^>]*>" + text);
  std::smatch m;
  if (!std::regex_search(page, m, a)) return {};
  return unescaped(m[1]);
}

// Wednesday 4 March 2026, 10:00 in Paris.
class SearchViewsTest : public ::testing::Test {
 protected:
  explicit SearchViewsTest(std::function<void(config::Config&)> adjust = nullptr)
      : platform_(parisTime(2026, 3, 4, 10), std::move(adjust)), regulator_(platform_.port()) {
    platform_.addUser("regulateur@sas.test", kPassword, app::Role::Regulator, {});
    platform_.addUser("collegue@sas.test", kPassword, app::Role::Regulator, {});
  }

  std::int64_t addPlace(const std::string& name, domain::GeoPoint at) {
    app::Structure s{
        0, name, "Centre de santé", "", "", "01 02 03 04 05", "75", {true, 2, false, true}};
    const auto sid = platform_.structures().createStructure(s);
    const auto pid = platform_.structures().createPlace({0, sid, "", "1 rue de l'Essai", "75001",
                                                         "Paris", "75056", at.latitude,
                                                         at.longitude, "Europe/Paris", ""});
    platform_.platform().searchStore().setSpecialties(sid, "Médecine générale",
                                                      platform_.clock().now());
    return pid;
  }

  // `count` créneaux of 30 minutes on `day`, from 11h00 hour after hour.
  void offer(std::int64_t place, Day day, int count) {
    domain::AgendaChange change;
    for (int i = 0; i < count; ++i) {
      domain::Availability a;
      a.placeId = place;
      domain::ConsultationTypes types;
      types.add(domain::ConsultationType::Office);
      a.base = {day, (11 + i) * 60, (11 + i) * 60 + 30, domain::AvailabilityKind::Slot, 1, types};
      change.created.push_back(a);
    }
    platform_.agenda().applyChange(place, change, {std::nullopt, "test", "", "", ""},
                                   platform_.clock().now());
  }

  void reindex() { platform_.platform().search().rebuild(); }

  void login(Browser& b, const std::string& email = "regulateur@sas.test") {
    ASSERT_EQ(b.login(email, kPassword).status, 303);
  }

  Page search(const std::string& query) { return regulator_.get("/recherche?" + query); }

  // Three places 300 m, 600 m and 900 m from the town's centre: five créneaux today, one
  // today, two tomorrow.
  const std::map<std::string, domain::GeoPoint> places_{
      {"Centre Un", towards(kParis, 0, 300)},
      {"Centre Deux", towards(kParis, 90, 600)},
      {"Centre Trois", towards(kParis, 180, 900)}};
  void threePlaces() {
    offer(addPlace("Centre Un", places_.at("Centre Un")), today_, 5);
    offer(addPlace("Centre Deux", places_.at("Centre Deux")), today_, 1);
    offer(addPlace("Centre Trois", places_.at("Centre Trois")), today_ + date::days{1}, 2);
    reindex();
  }

  static std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }
  const std::vector<std::string> threeNames_{"Centre Deux", "Centre Trois", "Centre Un"};

  static std::vector<std::string> cardNames(const std::string& page) {
    return all(page, R"re(<h3 class="fr-card__title"><a href="[^"]*">([^<]*)</a>)re");
  }

  TestPlatform platform_;
  Browser regulator_;
  const Day today_{date::year{2026} / date::March / date::day{4}};
};

// ---- item 5: the map ----

TEST_F(SearchViewsTest, WithoutTileServerNoMapAtAllAndImagesFromThisSiteOnly) {
  threePlaces();
  login(regulator_);
  auto page = search(kAddress);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(cardNames(page.body).size(), 3u);
  for (const char* absent : {"id=\"carte\"", "data-sas-numero", "leaflet", "search-map",
                             "sas-result-number", "<ol class=\"sas-results\" start"})
    EXPECT_EQ(page.body.find(absent), std::string::npos) << absent;
  EXPECT_NE(page.body.find("<ol class=\"sas-results\">"), std::string::npos);
  EXPECT_NE(page.headers["Content-Security-Policy"].find("img-src 'self' data:;"),
            std::string::npos)
      << page.headers["Content-Security-Policy"];
}

class SearchMapTest : public SearchViewsTest {
 protected:
  SearchMapTest()
      : SearchViewsTest([](config::Config& c) {
          c.mapTilesUrl = kTiles;
          c.mapAttribution = "Tuiles de test";
        }) {}
};

TEST_F(SearchMapTest, EachResultHasTheMarkerOfItsNumberAndTheMapItsCentreAndRadius) {
  threePlaces();
  login(regulator_);
  auto page = search(std::string(kAddress) + "&rayon=2");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(sorted(cardNames(page.body)), threeNames_);
  EXPECT_EQ(all(page.body, R"re(<li class="fr-card[^"]*" data-sas-numero="(\d+)")re"),
            (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(all(page.body, R"re(<span class="sas-result-number" aria-hidden="true">(\d+)<)re"),
            (std::vector<std::string>{"1", "2", "3"}));
  // Each marker at its own result's place.
  const std::regex card(
      R"re(data-sas-numero="(\d+)" data-sas-lat="([0-9.]+)" data-sas-lon="([0-9.]+)">[\s\S]*?<h3 class="fr-card__title"><a href="[^"]*">([^<]*)</a>)re");
  std::size_t checked = 0;
  for (std::sregex_iterator it(page.body.begin(), page.body.end(), card), end; it != end; ++it) {
    const auto& at = places_.at((*it)[4]);
    EXPECT_EQ((*it)[1], std::to_string(++checked));
    EXPECT_NEAR(std::stod((*it)[2]), at.latitude, 1e-5) << (*it)[4];
    EXPECT_NEAR(std::stod((*it)[3]), at.longitude, 1e-5) << (*it)[4];
  }
  EXPECT_EQ(checked, 3u);
  // The map: hidden from assistive technologies, its tiles, centre and radius (2 km).
  EXPECT_NE(page.body.find("id=\"carte\" aria-hidden=\"true\""), std::string::npos);
  EXPECT_NE(page.body.find("data-sas-tuiles=\"http://tuiles.test:8081/{z}/{x}/{y}.png\""),
            std::string::npos);
  EXPECT_NE(page.body.find("data-sas-rayon=\"2000\""), std::string::npos);
  EXPECT_NE(page.body.find("Fond de carte : Tuiles de test"), std::string::npos);
  // Leaflet and the map's script (their names carry their content's digest).
  EXPECT_NE(page.body.find("<script src=\"/static/vendor/leaflet/leaflet."), std::string::npos);
  EXPECT_NE(page.body.find("<link rel=\"stylesheet\" href=\"/static/vendor/leaflet/leaflet."),
            std::string::npos);
  EXPECT_NE(page.body.find("<script src=\"/static/js/search-map."), std::string::npos);
  // Nothing in the map's markup takes the focus.
  const auto map = page.body.substr(page.body.find("data-sas-carte"));
  EXPECT_EQ(map.substr(0, map.find("</div>\n  </div>")).find("tabindex"), std::string::npos);
  // The tile server's host, and it alone, may send images.
  EXPECT_NE(
      page.headers["Content-Security-Policy"].find("img-src 'self' data: http://tuiles.test:8081;"),
      std::string::npos)
      << page.headers["Content-Security-Policy"];
}

TEST_F(SearchMapTest, NumbersGoOnFromPageToPageAndNoResultNoMap) {
  threePlaces();
  login(regulator_);
  auto second = search(std::string(kAddress) + "&par_page=2&page=2");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(cardNames(second.body).size(), 1u);
  EXPECT_EQ(all(second.body, R"re(data-sas-numero="(\d+)")re"), (std::vector<std::string>{"3"}));
  EXPECT_NE(second.body.find("<ol class=\"sas-results\" start=\"3\">"), std::string::npos);
  // Nothing within 1 km of Lyon: no map to show.
  auto none = search("adresse=Lyon&rayon=1");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.body.find("id=\"carte\""), std::string::npos);
  EXPECT_EQ(none.body.find("leaflet"), std::string::npos);
}

// ---- item 6: « Vue compacte » and the print view ----

TEST_F(SearchViewsTest, CompactViewHasOneLinePerPlaceWithItsNextThreeAvailabilities) {
  threePlaces();
  login(regulator_);
  auto detailed = search(std::string(kAddress) + "&cabinet=1&rayon=3");
  ASSERT_EQ(detailed.status, 200) << detailed.body;
  const auto compactUrl = link(detailed.body, "Vue compacte");
  ASSERT_FALSE(compactUrl.empty());
  for (const char* kept : {"adresse=Paris", "cabinet=1", "rayon=3", "vue=compacte"})
    EXPECT_NE(compactUrl.find(kept), std::string::npos) << kept << " in " << compactUrl;

  auto compact = regulator_.get(compactUrl);
  ASSERT_EQ(compact.status, 200) << compact.body;
  EXPECT_TRUE(cardNames(compact.body).empty());  // no cards: lines
  const std::regex line(R"re(<tr class="sas-compact__place"[^>]*>([\s\S]*?)</tr>)re");
  std::map<std::string, std::size_t> slots;
  for (std::sregex_iterator it(compact.body.begin(), compact.body.end(), line), end; it != end;
       ++it) {
    const std::string row = (*it)[1];
    const auto name = all(row, R"re(<th scope="row"><a href="[^"]*">([^<]*)</a>)re");
    ASSERT_EQ(name.size(), 1u) << row;
    EXPECT_EQ(slots.count(name[0]), 0u) << name[0] << " on two lines";
    slots[name[0]] =
        all(row, R"re(<a href="(/orientations/nouvelle[^"]*)" data-sas-orienter>)re").size();
  }
  // At most three, fewer when there are fewer.
  EXPECT_EQ(slots, (std::map<std::string, std::size_t>{
                       {"Centre Un", 3}, {"Centre Deux", 1}, {"Centre Trois", 2}}));
  for (const char* text :
       {"Aujourd&apos;hui 11h00 - 11h30", "Aujourd&apos;hui 13h00 - 13h30", "Demain 12h00 - 12h30"})
    EXPECT_NE(compact.body.find(text), std::string::npos) << text;
  EXPECT_EQ(compact.body.find("Aujourd&apos;hui 14h00 - 14h30"), std::string::npos);  // 4th
  // The form keeps the view for the next search; « Vue détaillée » goes back with every
  // criterion.
  EXPECT_NE(compact.body.find("<input type=\"hidden\" name=\"vue\" value=\"compacte\">"),
            std::string::npos);
  const auto back = link(compact.body, "Vue détaillée");
  EXPECT_EQ(back.find("vue="), std::string::npos) << back;
  EXPECT_NE(back.find("cabinet=1"), std::string::npos) << back;
  EXPECT_EQ(cardNames(regulator_.get(back).body).size(), 3u);
}

TEST_F(SearchViewsTest, CompactViewStaysOnEveryPageAndOffersToPrint) {
  threePlaces();
  login(regulator_);
  auto first = search(std::string(kAddress) + "&par_page=2&vue=compacte");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(count(first.body, "<tr class=\"sas-compact__place\""), 2u);
  const auto next = link(first.body, "Page suivante");
  EXPECT_NE(next.find("vue=compacte"), std::string::npos) << next;
  auto second = regulator_.get(next);
  EXPECT_EQ(count(second.body, "<tr class=\"sas-compact__place\""), 1u);
  // « Imprimer »: a button that JavaScript shows; the print view is the stylesheet's.
  EXPECT_NE(first.body.find("data-sas-imprimer hidden><button type=\"button\""), std::string::npos);
  EXPECT_NE(first.body.find(">Imprimer</button>"), std::string::npos);
  auto css = regulator_.get("/static/css/sas.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_NE(css.body.find("@media print"), std::string::npos);
  EXPECT_NE(css.body.find("size: A4"), std::string::npos);
  // Without results, neither the view's link nor « Imprimer ».
  auto none = search("adresse=Lyon&rayon=1&vue=compacte");
  EXPECT_EQ(none.body.find("Imprimer"), std::string::npos);
  EXPECT_EQ(none.body.find("sas-compact__place"), std::string::npos);
}

// ---- item 7: criteria kept ----

TEST_F(SearchViewsTest, SearchLinkOpenedBeforeLoginKeepsItsCriteriaAfterIt) {
  threePlaces();
  const std::string target = "/recherche?quoi=m%C3%A9decine&" + std::string(kAddress) +
                             "&cabinet=1&sous=0-4&rayon=3&vue=compacte";
  Browser b(platform_.port());
  auto first = b.get(target);
  ASSERT_EQ(first.status, 303);
  EXPECT_EQ(first.location.rfind("/connexion?suite=", 0), 0u) << first.location;
  auto loginPage = b.get(first.location);
  ASSERT_EQ(loginPage.status, 200);
  const auto suite =
      all(loginPage.body, R"re(<input type="hidden" name="suite" value="([^"]*)">)re");
  ASSERT_EQ(suite.size(), 1u);
  EXPECT_EQ(unescaped(suite[0]), target);
  auto in = b.post(
      "/connexion",
      {{"suite", unescaped(suite[0])}, {"email", "regulateur@sas.test"}, {"password", kPassword}});
  ASSERT_EQ(in.status, 303) << in.body;
  EXPECT_EQ(in.location, target);
  auto page = b.get(in.location);
  ASSERT_EQ(page.status, 200);
  // Within 0 - 4 h: the two places with créneaux today, not the one of tomorrow.
  EXPECT_EQ(count(page.body, "<tr class=\"sas-compact__place\""), 2u);
  EXPECT_NE(page.body.find("value=\"médecine\""), std::string::npos);
  EXPECT_NE(page.body.find("id=\"sous-0-4\" name=\"sous\" value=\"0-4\" checked"),
            std::string::npos);
}

TEST_F(SearchViewsTest, LastSearchIsOfferedAgainToItsRegulatorOnly) {
  threePlaces();
  login(regulator_);
  // Nothing to offer before a first search.
  auto empty = regulator_.get("/recherche");
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body.find("Reprendre votre dernière recherche"), std::string::npos);

  search("quoi=centre&" + std::string(kAddress) + "&teleconsultation=1&rayon=4");
  auto page = search("quoi=m%C3%A9decine+g%C3%A9n%C3%A9rale&" + std::string(kAddress) +
                     "&cabinet=1&rayon=3&par_page=2&page=2");
  ASSERT_EQ(page.status, 200);
  // An invalid search and an ambiguous place are not searches made: the last one stays.
  EXPECT_EQ(search("adresse=Paris&sous=1-2").status, 422);

  auto back = regulator_.get("/recherche");
  ASSERT_EQ(back.status, 200);
  EXPECT_NE(back.body.find("Votre dernière recherche : « médecine générale » autour de"),
            std::string::npos)
      << back.body;
  EXPECT_NE(back.body.find("dans un rayon de 3 km."), std::string::npos);
  const auto again = link(back.body, "Reprendre votre dernière recherche");
  ASSERT_EQ(again.rfind("/recherche?", 0), 0u) << again;
  for (const char* kept :
       {"quoi=m%C3%A9decine%20g%C3%A9n%C3%A9rale", "cabinet=1", "rayon=3", "par_page=2"})
    EXPECT_NE(again.find(kept), std::string::npos) << kept << " in " << again;
  for (const char* dropped : {"page=2", "graine=", "teleconsultation"})
    EXPECT_EQ(again.find(std::string("&") + dropped), std::string::npos)
        << dropped << " in " << again;
  auto resumed = regulator_.get(again);
  ASSERT_EQ(resumed.status, 200);
  EXPECT_EQ(cardNames(resumed.body).size(), 2u);  // par_page=2 kept

  // Another regulator has none; his own search does not replace the first one's.
  Browser colleague(platform_.port());
  login(colleague, "collegue@sas.test");
  EXPECT_EQ(colleague.get("/recherche").body.find("Reprendre votre dernière recherche"),
            std::string::npos);
  colleague.get("/recherche?adresse=Lyon");
  EXPECT_NE(colleague.get("/recherche").body.find("autour de Lyon"), std::string::npos);
  EXPECT_EQ(regulator_.get("/recherche").body.find("autour de Lyon"), std::string::npos);

  // Kept in the database: the next login, after a restart, offers it again.
  platform_.restart();
  Browser later(platform_.port());
  login(later);
  EXPECT_EQ(link(later.get("/recherche").body, "Reprendre votre dernière recherche"), again);
}

}  // namespace
}  // namespace sas::test
