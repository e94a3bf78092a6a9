// « Exporter vers un agenda (iCalendar) » over real HTTP, on SQLite and PostgreSQL
// (docs/rules.md#calendar-export): the link made and revoked by the place's managers only, the
// feed read back by libical as a calendar application would, its 8 weeks, no patient datum.
#include <gtest/gtest.h>
#include <libical/ical.h>
#include <soci/soci.h>

#include <regex>

#include "app/orientation_service.hpp"
#include "app/search_service.hpp"
#include "storage/database.hpp"
#include "support/days.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using domain::Day;

const char* const kPassword = "Correct-Horse-42!";

using test::ymd;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct ParsedEvent {
  std::string uid;
  std::string summary;
  std::string description;
  domain::Instant start;
  domain::Instant end;
};

/// The feed as libical reads it: its errors (RFC 5545 restrictions included) and its events,
/// their times resolved through the feed's own VTIMEZONE.
struct Parsed {
  int errors = -1;
  std::string errorText;
  std::vector<ParsedEvent> events;
};

Parsed parse(const std::string& text) {
  Parsed out;
  icalcomponent* cal = icalparser_parse_string(text.c_str());
  if (!cal) return out;
  icalrestriction_check(cal);
  out.errors = icalcomponent_count_errors(cal);
  if (out.errors > 0) {
    char* s = icalcomponent_as_ical_string(cal);
    out.errorText = s ? s : "";
  }
  for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
       ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
    ParsedEvent e;
    e.uid = icalcomponent_get_uid(ev);
    e.summary = icalcomponent_get_summary(ev) ? icalcomponent_get_summary(ev) : "";
    e.description = icalcomponent_get_description(ev) ? icalcomponent_get_description(ev) : "";
    const auto start = icalcomponent_get_dtstart(ev);
    const auto end = icalcomponent_get_dtend(ev);
    e.start = domain::Instant{std::chrono::seconds{icaltime_as_timet_with_zone(start, start.zone)}};
    e.end = domain::Instant{std::chrono::seconds{icaltime_as_timet_with_zone(end, end.zone)}};
    out.events.push_back(e);
  }
  icalcomponent_free(cal);
  return out;
}

const ParsedEvent* findEvent(const Parsed& p, const std::string& uidPrefix) {
  for (const auto& e : p.events)
    if (e.uid.rfind(uidPrefix, 0) == 0) return &e;
  return nullptr;
}

// Wednesday 4 March 2026, 10:00 in Paris (09:00 UTC); 8 weeks (56 × 24 h) later is Wednesday
// 29 April, 09:00 UTC, which is 11:00 in Paris (summer time from 29 March).
class CalendarExportTest : public ::testing::Test {
 protected:
  CalendarExportTest()
      : platform_(parisTime(2026, 3, 4, 10)), manager_(platform_.port()), other_(platform_.port()) {
    idf_ = platform_.addTerritory("ARS Île-de-France", {"75"});
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    std::tie(otherStructure_, otherPlace_) = platform_.addCentre("Centre de santé Marcadet");
    camille_ = platform_.addManager("camille@sas.test", kPassword, {structure_});
    platform_.addManager("karim@sas.test", kPassword, {otherStructure_});
    EXPECT_EQ(manager_.login("camille@sas.test", kPassword).status, 303);
    EXPECT_EQ(other_.login("karim@sas.test", kPassword).status, 303);
  }

  domain::Instant now() { return platform_.clock().now(); }

  app::Actor actor(std::int64_t userId) {
    app::Actor a;
    a.user = *platform_.users().findById(userId);
    a.structureIds = platform_.users().linkedStructureIds(userId);
    a.clientAddress = "127.0.0.1";
    return a;
  }

  void participate() {
    platform_.structures().saveParticipation(structure_, {true, 1, true, true},
                                             {std::nullopt, "test", "", "", ""}, now());
    platform_.platform().search().placeChanged(place_);
  }

  app::OccurrenceAsked offer(Day day, int fromMinute, int toMinute) {
    domain::Availability a;
    a.placeId = place_;
    domain::ConsultationTypes office;
    office.add(domain::ConsultationType::Office);
    a.base = {day, fromMinute, toMinute, domain::AvailabilityKind::Slot, 1, office};
    domain::AgendaChange change;
    change.created.push_back(a);
    platform_.agenda().applyChange(place_, change, {std::nullopt, "test", "", "", ""}, now());
    platform_.platform().search().placeChanged(place_);
    const auto& paris = *domain::findZone("Europe/Paris");
    return {place_, domain::localToInstant(paris, day, fromMinute),
            domain::localToInstant(paris, day, toMinute), domain::AvailabilityKind::Slot};
  }

  std::string exportPage(std::int64_t place = 0) {
    return "/lieux/" + std::to_string(place ? place : place_) + "/agenda-externe";
  }

  /// « Créer le lien d'abonnement »: the URL the page shows once.
  std::string createLink(Browser& b, std::int64_t place = 0) {
    EXPECT_EQ(b.get(exportPage(place)).status, 200);
    auto page = b.post(exportPage(place) + "/lien", {});
    EXPECT_EQ(page.status, 200);
    std::smatch m;
    const std::regex url(
        "value=\"(http://sas\\.test/lieux/[0-9]+/agenda\\.ics\\?cle=[A-Za-z0-9_-]+)\"");
    if (!std::regex_search(page.body, m, url)) {
      ADD_FAILURE() << "no link on the page";
      return "";
    }
    return m[1];
  }

  /// The feed fetched with no cookie at all, as a calendar application does.
  Page fetch(const std::string& url) {
    std::map<std::string, std::string> jar;
    const auto target = url.substr(std::string("http://sas.test").size());
    return exchange("127.0.0.1", platform_.port(), "GET", target, "", jar);
  }

  int count(const std::string& sql) {
    storage::Connection c(platform_.platform().database());
    int n = 0;
    c.sql() << sql, soci::into(n);
    return n;
  }

  TestPlatform platform_;
  Browser manager_;
  Browser other_;
  std::int64_t idf_ = 0, structure_ = 0, place_ = 0, otherStructure_ = 0, otherPlace_ = 0;
  std::int64_t camille_ = 0;
};

TEST_F(CalendarExportTest, FeedParsesAndHoldsTheEightWeeksInTheZone) {
  participate();
  offer(ymd(2026, 3, 5), 10 * 60, 11 * 60);  // Thursday 10h00 winter time
  offer(ymd(2026, 4, 2), 10 * 60, 11 * 60);  // summer time
  // 8 weeks from now end on 29 April at 11h00: 10h45 is inside, 11h00 is not.
  offer(ymd(2026, 4, 29), 10 * 60 + 45, 11 * 60);
  offer(ymd(2026, 4, 29), 11 * 60, 11 * 60 + 15);
  offer(ymd(2026, 3, 3), 10 * 60, 11 * 60);  // yesterday: not in the feed (made before "now")
  const auto regulator =
      actor(platform_.addUser("regul@sas.test", kPassword, app::Role::Regulator, {}, idf_));
  const auto asked = offer(ymd(2026, 3, 6), 14 * 60, 14 * 60 + 30);
  auto done = platform_.platform().orientations().orient(regulator, asked, "DOSSIER-SECRET-42");
  ASSERT_TRUE(done.result.ok());

  auto page = manager_.get(exportPage());
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Exporter vers un agenda (iCalendar)"));
  EXPECT_TRUE(has(page.body, "Créer le lien d'abonnement"));
  EXPECT_FALSE(has(page.body, "Révoquer le lien"));
  // The agenda links to it.
  EXPECT_TRUE(has(manager_.get("/lieux/" + std::to_string(place_) + "/agenda").body,
                  "href=\"" + exportPage() + "\""));

  const auto url = createLink(manager_);
  ASSERT_FALSE(url.empty());
  const auto key = url.substr(url.find("cle=") + 4);
  EXPECT_GE(key.size(), 43u);  // 256 random bits
  // Only its digest is kept.
  EXPECT_EQ(count("SELECT COUNT(*) FROM calendar_links WHERE revoked_at IS NULL"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM calendar_links WHERE digest = '" + key + "'"), 0);
  // Shown once: the page read again says a link is in force, not which.
  auto again = manager_.get(exportPage());
  EXPECT_FALSE(has(again.body, key));
  EXPECT_TRUE(has(again.body, "Un lien d'abonnement est actif depuis le 04/03/2026."));
  EXPECT_TRUE(has(again.body, "Révoquer le lien"));

  const auto feed = fetch(url);
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_EQ(feed.headers.at("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(feed.headers.count("Set-Cookie"), 0u);
  // CRLF everywhere, no line over 75 octets.
  for (std::size_t start = 0; start < feed.body.size();) {
    const auto end = feed.body.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 75u);
    EXPECT_EQ(feed.body.substr(start, end - start).find('\n'), std::string::npos);
    start = end + 2;
  }
  EXPECT_TRUE(has(feed.body, "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"));

  const auto parsed = parse(feed.body);
  ASSERT_EQ(parsed.errors, 0) << parsed.errorText;
  ASSERT_EQ(parsed.events.size(), 5u) << feed.body;
  const auto* thursday = findEvent(parsed, "disponibilite-");
  ASSERT_NE(thursday, nullptr);
  EXPECT_EQ(thursday->start, parisTime(2026, 3, 5, 10));
  EXPECT_EQ(thursday->end, parisTime(2026, 3, 5, 11));
  EXPECT_EQ(thursday->summary, "Disponibilité SAS (créneau, 1 patient)");
  EXPECT_EQ(thursday->description, "Consultation en cabinet");
  int inSummer = 0, atTheEdge = 0, afterTheEdge = 0, yesterday = 0;
  for (const auto& e : parsed.events) {
    inSummer += e.start == parisTime(2026, 4, 2, 10) && e.end == parisTime(2026, 4, 2, 11);
    atTheEdge += e.start == parisTime(2026, 4, 29, 10, 45);
    afterTheEdge += e.start == parisTime(2026, 4, 29, 11);
    yesterday += e.start == parisTime(2026, 3, 3, 10);
  }
  EXPECT_EQ(inSummer, 1);
  EXPECT_EQ(atTheEdge, 1);
  EXPECT_EQ(afterTheEdge, 0);
  EXPECT_EQ(yesterday, 0);
  const auto* oriented = findEvent(parsed, "orientation-");
  ASSERT_NE(oriented, nullptr);
  EXPECT_EQ(oriented->summary, "Patient adressé par le SAS");
  EXPECT_EQ(oriented->start, parisTime(2026, 3, 6, 14));
  EXPECT_EQ(oriented->end, parisTime(2026, 3, 6, 14, 30));
  // No patient datum, nor who oriented.
  EXPECT_FALSE(has(feed.body, "DOSSIER-SECRET-42"));
  EXPECT_FALSE(has(feed.body, "regul@sas.test"));

  // An hour later the same events keep their UIDs (calendar applications update them, not
  // duplicate them), and 29 April 11h00 has come into the 8 weeks.
  platform_.clock().advance(std::chrono::hours{1});
  const auto later = parse(fetch(url).body);
  ASSERT_EQ(later.events.size(), parsed.events.size() + 1);
  for (const auto& e : parsed.events) EXPECT_NE(findEvent(later, e.uid), nullptr) << e.uid;
}

TEST_F(CalendarExportTest, RevokedWrongOrOtherKeysAnswerTheSame404) {
  const auto url = createLink(manager_);
  ASSERT_EQ(fetch(url).status, 200);
  const auto key = url.substr(url.find("cle=") + 4);
  const auto unknownPlace = fetch("http://sas.test/lieux/999999/agenda.ics?cle=" + key);
  const auto wrongKey = fetch("http://sas.test/lieux/" + std::to_string(place_) +
                              "/agenda.ics?cle=" + std::string(43, 'A'));
  const auto otherPlace =
      fetch("http://sas.test/lieux/" + std::to_string(otherPlace_) + "/agenda.ics?cle=" + key);
  const auto noKey = fetch("http://sas.test/lieux/" + std::to_string(place_) + "/agenda.ics");
  for (const auto* p : {&unknownPlace, &wrongKey, &otherPlace, &noKey}) {
    EXPECT_EQ(p->status, 404);
    EXPECT_EQ(p->body, unknownPlace.body);
    EXPECT_EQ(p->headers.count("Set-Cookie"), 0u);  // a route for programs, its errors too
  }

  // A new link revokes the old one.
  const auto second = createLink(manager_);
  EXPECT_EQ(fetch(url).status, 404);
  EXPECT_EQ(fetch(second).status, 200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM calendar_links WHERE revoked_at IS NULL"), 1);

  // « Révoquer le lien ».
  auto revoked = manager_.post(exportPage() + "/revocation", {});
  EXPECT_EQ(revoked.status, 303);
  EXPECT_EQ(fetch(second).status, 404);
  auto page = manager_.get(revoked.location);
  EXPECT_TRUE(has(page.body, "Le lien d'abonnement a été révoqué"));
  EXPECT_TRUE(has(page.body, "Aucun lien d'abonnement n'est actif."));
  EXPECT_EQ(count("SELECT COUNT(*) FROM calendar_links WHERE revoked_at IS NULL"), 0);
  // Again, from a page left open: nothing was in force, so nothing is said to be revoked.
  const auto twice = manager_.post(exportPage() + "/revocation", {});
  EXPECT_EQ(twice.status, 303);
  EXPECT_FALSE(has(manager_.get(twice.location).body, "Le lien d'abonnement a été révoqué"));
  // Journal entries like every change.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar_link.create' AND "
                  "object = 'place:" +
                  std::to_string(place_) + "'"),
            2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar_link.revoke'"), 1);
}

TEST_F(CalendarExportTest, OnlyThePlacesOwnManagersMakeOrRevokeItsLink) {
  const auto url = createLink(manager_);
  const int audits = count("SELECT COUNT(*) FROM audit_log");
  // Karim manages another structure: the place answers as if it did not exist.
  EXPECT_EQ(other_.get(exportPage()).status, 404);
  other_.get(exportPage(otherPlace_));  // his own page, for a valid CSRF token
  EXPECT_EQ(other_.post(exportPage() + "/lien", {}).status, 404);
  EXPECT_EQ(other_.post(exportPage() + "/revocation", {}).status, 404);
  EXPECT_EQ(count("SELECT COUNT(*) FROM calendar_links"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), audits);
  EXPECT_EQ(fetch(url).status, 200);
  // Without the CSRF token, nothing either.
  EXPECT_EQ(manager_.postRaw(exportPage() + "/revocation", {}).status, 400);
  EXPECT_EQ(fetch(url).status, 200);
  // Not logged in: to the login page.
  Browser anonymous(platform_.port());
  EXPECT_EQ(anonymous.get(exportPage()).status, 303);

  // A délégataire of Camille manages the agenda but not this link, which would outlive his
  // delegation.
  const auto delegate =
      platform_.addUser("secretaire@sas.test", kPassword, app::Role::Delegate, {}, idf_);
  {
    storage::Connection c(platform_.platform().database());
    long long d = delegate, p = camille_, at = now().time_since_epoch().count();
    c.sql()
        << "INSERT INTO delegations (delegate_id, principal_id, created_at) VALUES (:d, :p, :a)",
        soci::use(d), soci::use(p), soci::use(at);
  }
  Browser secretary(platform_.port());
  ASSERT_EQ(secretary.login("secretaire@sas.test", kPassword).status, 303);
  EXPECT_EQ(secretary.get("/lieux/" + std::to_string(place_) + "/agenda").status, 200);
  EXPECT_FALSE(
      has(secretary.get("/lieux/" + std::to_string(place_) + "/agenda").body, "agenda-externe"));
  EXPECT_EQ(secretary.get(exportPage()).status, 403);
  EXPECT_EQ(secretary.post(exportPage() + "/revocation", {}).status, 403);
  EXPECT_EQ(secretary.post(exportPage() + "/lien", {}).status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) FROM calendar_links"), 1);
  EXPECT_EQ(fetch(url).status, 200);
}

// A link lends no more than its maker still has: once he leaves the structure, or his account
// is disabled, it answers as an unknown key; given back his rights, it works again.
TEST_F(CalendarExportTest, ALinkEndsWithItsMakersRightOnThePlace) {
  const auto url = createLink(manager_);
  ASSERT_EQ(fetch(url).status, 200);
  const auto sql = [&](const std::string& statement) {
    storage::Connection c(platform_.platform().database());
    c.sql() << statement;
  };
  const auto camille = std::to_string(camille_);
  sql("DELETE FROM user_structures WHERE user_id = " + camille);
  EXPECT_EQ(fetch(url).status, 404);
  sql("INSERT INTO user_structures (user_id, structure_id) VALUES (" + camille + ", " +
      std::to_string(structure_) + ")");
  EXPECT_EQ(fetch(url).status, 200);
  sql("UPDATE users SET disabled = 1 WHERE id = " + camille);
  EXPECT_EQ(fetch(url).status, 404);
}

}  // namespace
}  // namespace sas::test
