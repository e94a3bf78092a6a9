#include "domain/participation.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace sas::domain {
namespace {

namespace fields = participation_fields;
using std::chrono::minutes;

Day ymd(int y, unsigned m, unsigned d) {
  return Day{date::year{y} / date::month{m} / date::day{d}};
}

int hm(int hour, int minute) {
  return hour * 60 + minute;
}

const date::time_zone& paris() {
  const auto* z = findZone("Europe/Paris");
  if (!z) throw std::runtime_error("missing zone Europe/Paris");
  return *z;
}

std::string messageOn(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return e.message;
  return {};
}

// ---------------------------------------------------------------- checkParticipationInput

ParticipationInput participating(std::string professionals) {
  ParticipationInput in;
  in.participates = true;
  in.professionals = std::move(professionals);
  in.acceptsContact = true;
  in.honourDeclared = true;
  return in;
}

TEST(CheckParticipation, NotParticipatingRequiresNothing) {
  const auto r = checkParticipationInput(ParticipationInput{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, Participation{});
}

TEST(CheckParticipation, NotParticipatingKeepsAValidNumber) {
  ParticipationInput in;
  in.professionals = "5";
  in.acceptsContact = true;
  auto r = checkParticipationInput(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, (Participation{false, 5, true, false}));
  in.professionals = "abc";
  r = checkParticipationInput(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->professionals, 0);
}

TEST(CheckParticipation, ParticipatingWithOneProfessionalAndBothBoxes) {
  const auto r = checkParticipationInput(participating("1"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, (Participation{true, 1, true, true}));
  EXPECT_EQ(checkParticipationInput(participating(" 12 ")).value->professionals, 12);
}

TEST(CheckParticipation, NumberMustBeAWholeNumberOfAtLeastOne) {
  for (const char* bad : {"0", "", "-1", "1.5", "abc", "2 3", "99999999999999999999"}) {
    const auto r = checkParticipationInput(participating(bad));
    EXPECT_FALSE(r.ok()) << bad;
    ASSERT_EQ(r.errors.size(), 1u) << bad;
    EXPECT_EQ(r.errors[0].field, fields::kProfessionals) << bad;
    EXPECT_FALSE(r.errors[0].message.empty());
  }
}

TEST(CheckParticipation, EachMissingBoxHasItsOwnMessage) {
  auto in = participating("3");
  in.acceptsContact = false;
  auto r = checkParticipationInput(in);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, fields::kAcceptsContact);

  in = participating("3");
  in.honourDeclared = false;
  r = checkParticipationInput(in);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, fields::kHonour);

  in = participating("0");
  in.acceptsContact = in.honourDeclared = false;
  r = checkParticipationInput(in);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 3u);
  const auto a = messageOn(r.errors, fields::kProfessionals);
  const auto b = messageOn(r.errors, fields::kAcceptsContact);
  const auto c = messageOn(r.errors, fields::kHonour);
  EXPECT_FALSE(a.empty());
  EXPECT_FALSE(b.empty());
  EXPECT_FALSE(c.empty());
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
}

// ---------------------------------------------------------------- weekEligibility

class Eligibility : public ::testing::Test {
 protected:
  const Day monday = ymd(2024, 3, 11);
  Participation p{true, 3, true, true};
  Unavailability none;
  std::vector<Occurrence> occurrences;

  void add(Day day, int start, int end, AvailabilityKind kind = AvailabilityKind::Slot,
           int capacity = 1) {
    Occurrence o;
    o.availabilityId = static_cast<std::int64_t>(occurrences.size()) + 1;
    o.originalDate = day;
    o.values.date = day;
    o.values.startMinute = start;
    o.values.endMinute = end;
    o.values.kind = kind;
    o.values.capacity = capacity;
    o.values.types.add(ConsultationType::Office);
    o.start = localToInstant(paris(), day, start);
    o.end = localToInstant(paris(), day, end);
    occurrences.push_back(o);
  }

  void mondayAndThursday() {
    add(monday, hm(10, 0), hm(12, 0));
    add(monday + date::days{3}, hm(10, 0), hm(12, 0));
  }

  WeekEligibility eligibility(const Unavailability& u) {
    return weekEligibility(p, occurrences, u, paris(), monday);
  }
  WeekEligibility eligibility() { return eligibility(none); }
};

TEST_F(Eligibility, FourHoursOfSixAreMissingTwo) {
  mondayAndThursday();
  const auto e = eligibility();
  EXPECT_EQ(e.monday, monday);
  EXPECT_EQ(e.visible, minutes{4 * 60});
  EXPECT_EQ(e.committed, minutes{6 * 60});
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.reason, IneligibilityReason::MissingHours);
  EXPECT_EQ(e.missing, minutes{2 * 60});
  EXPECT_EQ(reasonText(e), "2 h manquantes cette semaine");
}

TEST_F(Eligibility, PlusFridayMakesSixOfSix) {
  mondayAndThursday();
  add(monday + date::days{4}, hm(14, 0), hm(16, 0));
  const auto e = eligibility();
  EXPECT_EQ(e.visible, minutes{6 * 60});
  EXPECT_EQ(e.committed, minutes{6 * 60});
  EXPECT_TRUE(e.eligible);
  EXPECT_EQ(e.reason, IneligibilityReason::None);
  EXPECT_EQ(e.missing, minutes{0});
  EXPECT_EQ(reasonText(e), "");
}

TEST_F(Eligibility, OneMinuteShortIsNotEligible) {
  mondayAndThursday();
  add(monday + date::days{4}, hm(14, 0), hm(15, 45));
  const auto e = eligibility();
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.missing, minutes{15});
  EXPECT_EQ(reasonText(e), "0 h 15 manquantes cette semaine");
}

TEST_F(Eligibility, ContactBoxNotTickedIsTheAvenant4Notice) {
  mondayAndThursday();
  add(monday + date::days{4}, hm(14, 0), hm(16, 0));
  p.acceptsContact = false;
  const auto e = eligibility();
  EXPECT_EQ(e.visible, minutes{6 * 60});
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(e.reason, IneligibilityReason::ContactNotAccepted);
  const auto text = reasonText(e);
  EXPECT_NE(text.find("J'accepte d'être directement contacté par la régulation"),
            std::string::npos);
  EXPECT_NE(text.find("n'est pas éligible à la rémunération SAS prévue par l'avenant n°4"),
            std::string::npos);
}

TEST_F(Eligibility, ThursdayInsideAnUnavailabilityCountsTwoHoursLess) {
  mondayAndThursday();
  add(monday + date::days{4}, hm(14, 0), hm(16, 0));
  Unavailability u;
  u.periods = {{monday + date::days{3}, monday + date::days{3}}};
  const auto e = eligibility(u);
  EXPECT_EQ(e.visible, minutes{4 * 60});
  EXPECT_FALSE(e.eligible);
  EXPECT_EQ(reasonText(e), "2 h manquantes cette semaine");
}

TEST_F(Eligibility, IndefiniteUnavailabilityHidesEverything) {
  mondayAndThursday();
  Unavailability u;
  u.indefinite = true;
  EXPECT_EQ(eligibility(u).visible, minutes{0});
}

TEST_F(Eligibility, OnlyTheWeeksLocalDatesCount) {
  add(monday - date::days{1}, hm(10, 0), hm(12, 0));    // Sunday before
  add(monday, hm(0, 0), hm(1, 0));                      // first minute of the week
  add(monday + date::days{6}, hm(23, 0), kLastMinute);  // Sunday, last hour
  add(monday + date::days{7}, hm(10, 0), hm(12, 0));    // Monday after
  EXPECT_EQ(eligibility().visible, minutes{60 + 59});
}

TEST_F(Eligibility, OverlapsEachCountAndAPlageCountsOnce) {
  add(monday, hm(10, 0), hm(12, 0), AvailabilityKind::Range, 5);
  add(monday, hm(11, 0), hm(13, 0));
  EXPECT_EQ(eligibility().visible, minutes{4 * 60});
}

TEST_F(Eligibility, DurationIsRealTimeAcrossDaylightSaving) {
  // Sunday 31 March 2024, 01h00–04h00 local lasts two real hours.
  const Day week = ymd(2024, 3, 25);
  add(week + date::days{6}, hm(1, 0), hm(4, 0));
  EXPECT_EQ(weekEligibility(p, occurrences, none, paris(), week).visible, minutes{2 * 60});
}

TEST_F(Eligibility, ReasonsInOrder) {
  mondayAndThursday();  // hours missing as well
  p = {false, 3, false, false};
  auto e = eligibility();
  EXPECT_EQ(e.reason, IneligibilityReason::NotParticipating);
  EXPECT_EQ(e.committed, minutes{0});
  EXPECT_FALSE(reasonText(e).empty());
  p = {true, 3, false, false};
  EXPECT_EQ(eligibility().reason, IneligibilityReason::ContactNotAccepted);
  p = {true, 3, true, false};
  e = eligibility();
  EXPECT_EQ(e.reason, IneligibilityReason::NotDeclared);
  EXPECT_FALSE(e.eligible);
  EXPECT_FALSE(reasonText(e).empty());
  p = {true, 3, true, true};
  EXPECT_EQ(eligibility().reason, IneligibilityReason::MissingHours);
  p = {true, 2, true, true};
  EXPECT_EQ(eligibility().reason, IneligibilityReason::None);
}

TEST_F(Eligibility, ReasonsHaveDistinctTexts) {
  WeekEligibility e;
  std::vector<std::string> texts;
  for (auto reason : {IneligibilityReason::NotParticipating,
                      IneligibilityReason::ContactNotAccepted, IneligibilityReason::NotDeclared}) {
    e.reason = reason;
    texts.push_back(reasonText(e));
    EXPECT_FALSE(texts.back().empty());
  }
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(std::unique(texts.begin(), texts.end()), texts.end());
}

TEST(FormatHours, HoursAndMinutes) {
  EXPECT_EQ(formatHours(minutes{0}), "0 h");
  EXPECT_EQ(formatHours(minutes{4 * 60}), "4 h");
  EXPECT_EQ(formatHours(minutes{90}), "1 h 30");
  EXPECT_EQ(formatHours(minutes{65}), "1 h 05");
  EXPECT_EQ(formatHours(minutes{30}), "0 h 30");
  EXPECT_EQ(formatHours(minutes{25 * 60}), "25 h");
}

}  // namespace
}  // namespace sas::domain
