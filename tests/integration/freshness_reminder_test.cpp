// The freshness reminder (docs/rules.md#freshness-reminder) on SQLite and PostgreSQL, sent
// through the real SMTP test server, with the clock moved by hand: each boundary both sides.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "storage/database.hpp"
#include "support/days.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using domain::Day;
using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;

const char* const kPassword = "Correct-Horse-42!";

using test::ymd;

// Wednesday 4 March 2026 in Paris; reminders go out from 10h00 to 10h59 (reminders.freshness_hour).
class FreshnessReminderTest : public ::testing::Test {
 protected:
  explicit FreshnessReminderTest(bool enabled = true)
      : platform_(parisTime(2026, 3, 4, 10, 20), [this, enabled](config::Config& c) {
          c.mailTransport = "smtp";
          c.smtpHost = "127.0.0.1";
          c.smtpPort = smtp_.port();
          c.freshnessReminder = enabled;
          c.freshnessReminderHour = 10;
        }) {
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    std::tie(otherStructure_, otherPlace_) = platform_.addCentre("Centre de santé Marcadet");
    platform_.addManager("camille@sas.test", kPassword, {structure_});
    platform_.addManager("dominique@sas.test", kPassword, {structure_});
    platform_.addManager("karim@sas.test", kPassword, {otherStructure_});
    participate(structure_);
  }

  domain::Instant now() { return platform_.clock().now(); }

  void participate(std::int64_t structure) {
    platform_.structures().saveParticipation(structure, {true, 1, true, true},
                                             {std::nullopt, "test", "", "", ""}, now());
  }

  void offer(std::int64_t place, Day day, int fromMinute, int toMinute) {
    domain::Availability a;
    a.placeId = place;
    domain::ConsultationTypes office;
    office.add(domain::ConsultationType::Office);
    a.base = {day, fromMinute, toMinute, domain::AvailabilityKind::Slot, 1, office};
    domain::AgendaChange change;
    change.created.push_back(a);
    platform_.agenda().applyChange(place, change, {std::nullopt, "test", "", "", ""}, now());
  }

  int remind() { return platform_.platform().sendFreshnessReminders(); }

  std::vector<std::string> mailsTo(const std::string& address) {
    platform_.platform().deliverMail();
    return smtp_.messagesTo(address);
  }

  int auditCount() {
    storage::Connection c(platform_.platform().database());
    int n = 0;
    c.sql() << "SELECT COUNT(*) FROM audit_log WHERE action = 'place.freshness_reminder'",
        soci::into(n);
    return n;
  }

  SmtpSink smtp_;
  TestPlatform platform_;
  std::int64_t structure_ = 0, place_ = 0, otherStructure_ = 0, otherPlace_ = 0;
};

TEST_F(FreshnessReminderTest, NothingInTheNext72HoursRemindsEveryManagerOnceWithTheAgendaLink) {
  offer(place_, ymd(2026, 3, 1), 10 * 60, 10 * 60 + 30);       // Sunday, 3 days ago
  offer(place_, ymd(2026, 3, 7), 10 * 60 + 15, 10 * 60 + 30);  // Saturday 10h15
  // At 10h16 it starts in 72 h − 1 min: something ahead.
  platform_.clock().set(parisTime(2026, 3, 4, 10, 16));
  EXPECT_EQ(remind(), 0);
  EXPECT_TRUE(mailsTo("camille@sas.test").empty());
  // At 10h14 it starts in 72 h + 1 min: nothing in the next 72 h.
  platform_.clock().set(parisTime(2026, 3, 4, 10, 14));
  EXPECT_EQ(remind(), 1);
  EXPECT_EQ(remind(), 0);  // once
  const auto mails = mailsTo("camille@sas.test");
  ASSERT_EQ(mails.size(), 1u);
  const auto agenda = "http://sas.test/lieux/" + std::to_string(place_) + "/agenda";
  EXPECT_NE(mails[0].find(agenda), std::string::npos) << mails[0];
  EXPECT_NE(mails[0].find("72 prochaines heures"), std::string::npos);
  EXPECT_EQ(mailsTo("dominique@sas.test").size(), 1u);
  EXPECT_TRUE(mailsTo("karim@sas.test").empty());
  EXPECT_EQ(auditCount(), 1);
  // Named in words in « Journal des modifications ».
  platform_.addUser("admin@sas.test", kPassword, app::Role::Administrator, {});
  Browser admin(platform_.port());
  ASSERT_EQ(admin.login("admin@sas.test", kPassword).status, 303);
  const auto journal = admin.get("/journal?objet_type=lieu&objet=" + std::to_string(place_));
  ASSERT_EQ(journal.status, 200);
  EXPECT_NE(
      journal.body.find("<td>Rappel : aucune disponibilité dans les 72 prochaines heures</td>"),
      std::string::npos)
      << journal.body;
}

TEST_F(FreshnessReminderTest, OnlyAPlaceThatHadSomethingInTheLastFourWeeks) {
  // 4 weeks + 1 day before 4 March 10h20 is 3 February 10h20: 10h00 that day is older.
  offer(place_, ymd(2026, 2, 3), 10 * 60, 10 * 60 + 30);
  EXPECT_EQ(remind(), 0);
  // 4 weeks − 1 day: 5 February.
  offer(place_, ymd(2026, 2, 5), 10 * 60, 10 * 60 + 30);
  EXPECT_EQ(remind(), 1);
  EXPECT_EQ(mailsTo("camille@sas.test").size(), 1u);
}

TEST_F(FreshnessReminderTest, AtMostOneAWeekPerPlaceAndOnlyAtTheConfiguredHour) {
  offer(place_, ymd(2026, 3, 1), 10 * 60, 10 * 60 + 30);
  const auto first = now();
  EXPECT_EQ(remind(), 1);
  platform_.clock().set(first + days{7} - seconds{1});
  EXPECT_EQ(remind(), 0);
  // A week later, but at 11h20: past the hour.
  platform_.clock().set(first + days{7} + minutes{60});
  EXPECT_EQ(remind(), 0);
  platform_.clock().set(first + days{7} + seconds{1});
  EXPECT_EQ(remind(), 1);
  EXPECT_EQ(mailsTo("camille@sas.test").size(), 2u);
  EXPECT_EQ(auditCount(), 2);
}

TEST_F(FreshnessReminderTest, NoneForANonParticipatingPlaceNorUnderAnUnavailability) {
  offer(otherPlace_, ymd(2026, 3, 1), 10 * 60, 10 * 60 + 30);  // Marcadet does not participate
  domain::Unavailability away;
  away.periods = {{ymd(2026, 3, 2), ymd(2026, 3, 8)}};
  platform_.agenda().saveUnavailability(place_, away, {std::nullopt, "test", "", "", ""}, now());
  offer(place_, ymd(2026, 3, 1), 10 * 60, 10 * 60 + 30);
  EXPECT_EQ(remind(), 0);
  EXPECT_TRUE(mailsTo("karim@sas.test").empty());
  // The unavailability over, the reminder goes out.
  platform_.agenda().saveUnavailability(place_, {}, {std::nullopt, "test", "", "", ""}, now());
  EXPECT_EQ(remind(), 1);
}

class FreshnessReminderOffTest : public FreshnessReminderTest {
 protected:
  FreshnessReminderOffTest() : FreshnessReminderTest(false) {}
};

TEST_F(FreshnessReminderOffTest, TurnedOffSendsNothing) {
  offer(place_, ymd(2026, 3, 1), 10 * 60, 10 * 60 + 30);
  EXPECT_EQ(remind(), 0);
  EXPECT_TRUE(mailsTo("camille@sas.test").empty());
}

}  // namespace
}  // namespace sas::test
