#include "domain/availability.hpp"
#include "support/days.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace sas::domain {
namespace {

namespace fields = availability_fields;

using test::ymd;

Instant utc(int y, unsigned m, unsigned d, int hour, int minute, int second = 0) {
  return Instant{ymd(y, m, d)} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

int hm(int hour, int minute) {
  return hour * 60 + minute;
}

const date::time_zone& zone(const char* name) {
  const auto* z = findZone(name);
  if (!z) throw std::runtime_error(std::string{"missing zone "} + name);
  return *z;
}

const date::time_zone& paris() {
  return zone("Europe/Paris");
}

ConsultationTypes office() {
  ConsultationTypes t;
  t.add(ConsultationType::Office);
  return t;
}

OccurrenceValues values(Day day, int start, int end, AvailabilityKind kind = AvailabilityKind::Slot,
                        int capacity = 1) {
  OccurrenceValues v;
  v.date = day;
  v.startMinute = start;
  v.endMinute = end;
  v.kind = kind;
  v.capacity = capacity;
  v.types = office();
  return v;
}

Availability series(std::int64_t id, Day first, int start = hm(10, 0), int end = hm(12, 0)) {
  Availability a;
  a.id = id;
  a.placeId = 7;
  a.weekly = true;
  a.base = values(first, start, end);
  return a;
}

Availability oneOff(std::int64_t id, Day day, int start = hm(10, 0), int end = hm(12, 0)) {
  Availability a = series(id, day, start, end);
  a.weekly = false;
  return a;
}

AvailabilityException deletedOn(Day day) {
  AvailabilityException e;
  e.originalDate = day;
  e.deleted = true;
  e.values = values(day, hm(10, 0), hm(12, 0));
  return e;
}

AvailabilityException changedOn(Day day, OccurrenceValues v) {
  AvailabilityException e;
  e.originalDate = day;
  e.values = v;
  return e;
}

std::vector<Day> dates(const std::vector<Occurrence>& occurrences) {
  std::vector<Day> out;
  for (const auto& o : occurrences) out.push_back(o.values.date);
  return out;
}

std::vector<Day> originalDates(const std::vector<Occurrence>& occurrences) {
  std::vector<Day> out;
  for (const auto& o : occurrences) out.push_back(o.originalDate);
  return out;
}

bool hasErrorOn(const std::vector<FieldError>& errors, const std::string& field) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.field == field; });
}

std::string messageOn(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return e.message;
  return {};
}

// ---------------------------------------------------------------- types

TEST(ConsultationTypes, InitialsInFixedOrder) {
  ConsultationTypes t;
  EXPECT_EQ(typeInitials(t), "");
  t.add(ConsultationType::HomeVisit);
  EXPECT_EQ(typeInitials(t), "D");
  t.add(ConsultationType::Office);
  EXPECT_EQ(typeInitials(t), "C D");
  t.add(ConsultationType::Teleconsultation);
  EXPECT_EQ(typeInitials(t), "C T D");
}

TEST(ConsultationTypes, LabelsFromTheGuide) {
  EXPECT_EQ(typeLabel(ConsultationType::Office), "Consultation en cabinet");
  EXPECT_EQ(typeLabel(ConsultationType::Teleconsultation), "Téléconsultation");
  EXPECT_EQ(typeLabel(ConsultationType::HomeVisit), "Visite à domicile");
}

TEST(ConsultationTypes, LabelsJoinedInFixedOrder) {
  ConsultationTypes t;
  EXPECT_EQ(typeLabels(t), "");
  t.add(ConsultationType::HomeVisit);
  EXPECT_EQ(typeLabels(t), "Visite à domicile");
  t.add(ConsultationType::Office);
  EXPECT_EQ(typeLabels(t), "Consultation en cabinet, Visite à domicile");
}

// ---------------------------------------------------------------- checkAvailabilityInput

class CheckInput : public ::testing::Test {
 protected:
  // Monday 4 March 2024, 10h00 in Paris.
  Instant now = utc(2024, 3, 4, 9, 0);

  static AvailabilityInput valid() {
    AvailabilityInput in;
    in.date = "04/03/2024";
    in.from = "10h15";
    in.to = "20h00";
    in.kind = "creneau";
    in.office = true;
    return in;
  }

  Checked<OccurrenceValues> check(const AvailabilityInput& in) {
    return checkAvailabilityInput(in, paris(), now);
  }
};

TEST_F(CheckInput, ValidCreneau) {
  const auto r = check(valid());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, values(ymd(2024, 3, 4), hm(10, 15), hm(20, 0)));
}

TEST_F(CheckInput, EmptyFormNamesEveryField) {
  const auto r = check(AvailabilityInput{});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(messageOn(r.errors, fields::kDate), "La date est obligatoire.");
  EXPECT_FALSE(messageOn(r.errors, fields::kFrom).empty());
  EXPECT_FALSE(messageOn(r.errors, fields::kTo).empty());
  EXPECT_EQ(messageOn(r.errors, fields::kKind),
            "Choisissez un créneau (un patient) ou une plage (plusieurs patients).");
  EXPECT_EQ(messageOn(r.errors, fields::kTypes), "Choisissez au moins un type de consultation.");
  EXPECT_FALSE(hasErrorOn(r.errors, fields::kCapacity));
}

TEST_F(CheckInput, InvalidDate) {
  auto in = valid();
  in.date = "31/02/2024";
  const auto r = check(in);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, fields::kDate);
}

TEST_F(CheckInput, IsoDateFromAnHtmlFieldIsAccepted) {
  auto in = valid();
  in.date = "2024-03-05";
  in.from = "08:00";
  in.to = "09:30";
  const auto r = check(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.value, values(ymd(2024, 3, 5), hm(8, 0), hm(9, 30)));
}

TEST_F(CheckInput, StartMustBeAQuarterHourUpTo2345) {
  auto in = valid();
  in.date = "05/03/2024";
  in.to = "23h59";
  for (const char* ok : {"00h00", "10h15", "10h30", "10h45", "23h45"}) {
    in.from = ok;
    EXPECT_TRUE(check(in).ok()) << ok;
  }
  for (const char* bad : {"10h10", "10h01", "10h14", "10h16", "23h59", "10h99", "abc"}) {
    in.from = bad;
    const auto r = check(in);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(hasErrorOn(r.errors, fields::kFrom)) << bad;
  }
  in.from = "";
  EXPECT_EQ(messageOn(check(in).errors, fields::kFrom), "L'heure de début est obligatoire.");
}

TEST_F(CheckInput, EndMustBeAQuarterHourOr2359) {
  auto in = valid();
  in.date = "05/03/2024";
  in.from = "10h00";
  for (const char* ok : {"10h15", "23h45", "23h59"}) {
    in.to = ok;
    EXPECT_TRUE(check(in).ok()) << ok;
  }
  for (const char* bad : {"10h20", "23h50", "23h58", "24h00"}) {
    in.to = bad;
    const auto r = check(in);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(hasErrorOn(r.errors, fields::kTo)) << bad;
  }
  in.to = "";
  EXPECT_EQ(messageOn(check(in).errors, fields::kTo), "L'heure de fin est obligatoire.");
}

TEST_F(CheckInput, EndMustBeAfterStart) {
  auto in = valid();
  in.date = "05/03/2024";
  in.from = "10h00";
  in.to = "10h00";
  EXPECT_EQ(messageOn(check(in).errors, fields::kTo),
            "L'heure de fin doit être après l'heure de début.");
  in.to = "09h45";
  EXPECT_EQ(messageOn(check(in).errors, fields::kTo),
            "L'heure de fin doit être après l'heure de début.");
  in.to = "10h15";
  EXPECT_TRUE(check(in).ok());
}

TEST_F(CheckInput, StartInThePastIsRefused) {
  auto in = valid();
  in.from = "08h00";
  in.to = "20h00";
  const auto r = check(in);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(messageOn(r.errors, fields::kFrom), "L'heure de début ne peut pas être dans le passé.");
  in.from = "10h15";
  EXPECT_TRUE(check(in).ok());
}

TEST_F(CheckInput, StartExactlyNowIsNotPastOneMinuteLaterItIs) {
  auto in = valid();
  in.from = "10h00";
  EXPECT_TRUE(check(in).ok());
  now = utc(2024, 3, 4, 9, 1);
  EXPECT_TRUE(hasErrorOn(check(in).errors, fields::kFrom));
}

TEST_F(CheckInput, DateBeforeTodayIsRefusedOnTheDate) {
  auto in = valid();
  in.date = "03/03/2024";
  in.from = "20h00";
  in.to = "21h00";
  const auto r = check(in);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(messageOn(r.errors, fields::kDate), "La date ne peut pas être dans le passé.");
  in.date = "05/03/2024";
  in.from = "00h00";
  EXPECT_TRUE(check(in).ok());
}

TEST_F(CheckInput, TodayIsThePlacesToday) {
  // 23h30 UTC on 4 March: already 5 March in Paris, still 4 March (20h30) in Cayenne.
  now = utc(2024, 3, 4, 23, 30);
  auto in = valid();
  in.from = "21h00";
  in.to = "22h00";
  EXPECT_TRUE(hasErrorOn(checkAvailabilityInput(in, paris(), now).errors, fields::kDate));
  EXPECT_TRUE(checkAvailabilityInput(in, zone("America/Cayenne"), now).ok());
  in.from = "20h15";
  EXPECT_TRUE(
      hasErrorOn(checkAvailabilityInput(in, zone("America/Cayenne"), now).errors, fields::kFrom));
}

TEST_F(CheckInput, CreneauIsOnePatientWhateverTheCapacityField) {
  auto in = valid();
  in.capacity = "abc";
  const auto r = check(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->kind, AvailabilityKind::Slot);
  EXPECT_EQ(r.value->capacity, 1);
}

TEST_F(CheckInput, PlageTakesAWholeNumberOfAtLeastOne) {
  auto in = valid();
  in.kind = "plage";
  for (const auto& [text, expected] :
       std::vector<std::pair<const char*, int>>{{"1", 1}, {"3", 3}, {" 12 ", 12}, {"999", 999}}) {
    in.capacity = text;
    const auto r = check(in);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r.value->kind, AvailabilityKind::Range);
    EXPECT_EQ(r.value->capacity, expected);
  }
  for (const char* bad : {"0", "-1", "1.5", "abc", "", "+2", "1e3", "99999999999999999999"}) {
    in.capacity = bad;
    const auto r = check(in);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(messageOn(r.errors, fields::kCapacity),
              "Le nombre de patients doit être un nombre entier d'au moins 1.")
        << bad;
  }
  for (const char* tooMany : {"1000", "2147483647"}) {
    in.capacity = tooMany;
    const auto r = check(in);
    EXPECT_FALSE(r.ok()) << tooMany;
    EXPECT_EQ(messageOn(r.errors, fields::kCapacity), "Une plage reçoit au plus 999 patients.")
        << tooMany;
  }
}

TEST_F(CheckInput, KindMustBeCreneauOrPlage) {
  auto in = valid();
  for (const char* bad : {"", "autre", "Creneau", "les deux"}) {
    in.kind = bad;
    const auto r = check(in);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(hasErrorOn(r.errors, fields::kKind)) << bad;
  }
}

TEST_F(CheckInput, AtLeastOneConsultationType) {
  auto in = valid();
  in.office = false;
  EXPECT_EQ(messageOn(check(in).errors, fields::kTypes),
            "Choisissez au moins un type de consultation.");
  in.teleconsultation = true;
  ASSERT_TRUE(check(in).ok());
  EXPECT_TRUE(check(in).value->types.has(ConsultationType::Teleconsultation));
  EXPECT_FALSE(check(in).value->types.has(ConsultationType::Office));
  in.teleconsultation = false;
  in.homeVisit = true;
  ASSERT_TRUE(check(in).ok());
  in.office = in.teleconsultation = true;
  EXPECT_EQ(check(in).value->types.bits, 7);
}

TEST(AdviseRange, CreneauLongerThanOneHour) {
  EXPECT_FALSE(adviseRange(values(ymd(2024, 3, 4), hm(10, 0), hm(11, 0))));
  EXPECT_TRUE(adviseRange(values(ymd(2024, 3, 4), hm(10, 0), hm(11, 15))));
  EXPECT_FALSE(
      adviseRange(values(ymd(2024, 3, 4), hm(10, 0), hm(12, 0), AvailabilityKind::Range, 4)));
}

// ---------------------------------------------------------------- planCreation

TEST(PlanCreation, NoWeekdayGivesOneOneOff) {
  const auto v = values(ymd(2024, 10, 7), hm(10, 0), hm(12, 0));
  const auto plan = planCreation(7, v, {});
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_FALSE(plan[0].weekly);
  EXPECT_EQ(plan[0].id, 0);
  EXPECT_EQ(plan[0].placeId, 7);
  EXPECT_EQ(plan[0].base, v);
  EXPECT_FALSE(plan[0].lastDate.has_value());
  EXPECT_TRUE(plan[0].exceptions.empty());
}

TEST(PlanCreation, OwnWeekdayGivesASeriesFromTheDate) {
  const auto v = values(ymd(2024, 10, 7), hm(10, 0), hm(12, 0));
  const auto plan = planCreation(7, v, {true, false, false, false, false, false, false});
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_TRUE(plan[0].weekly);
  EXPECT_EQ(plan[0].base, v);
  EXPECT_FALSE(plan[0].lastDate.has_value());
}

TEST(PlanCreation, MondayAndThursdayOnMonday7) {
  // docs/rules.md#agenda: Monday from the 7th and Thursday from the 10th.
  const auto v = values(ymd(2024, 10, 7), hm(10, 0), hm(12, 0), AvailabilityKind::Range, 3);
  const auto plan = planCreation(7, v, {true, false, false, true, false, false, false});
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_TRUE(plan[0].weekly);
  EXPECT_EQ(plan[0].base.date, ymd(2024, 10, 7));
  EXPECT_TRUE(plan[1].weekly);
  EXPECT_EQ(plan[1].base.date, ymd(2024, 10, 10));
  auto expected = v;
  expected.date = ymd(2024, 10, 10);
  EXPECT_EQ(plan[1].base, expected);
}

TEST(PlanCreation, OtherWeekdaysOnlyGiveAOneOffPlusSeries) {
  const auto v = values(ymd(2024, 10, 7), hm(10, 0), hm(12, 0));
  const auto plan = planCreation(7, v, {false, false, false, true, false, false, true});
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_FALSE(plan[0].weekly);
  EXPECT_EQ(plan[0].base.date, ymd(2024, 10, 7));
  EXPECT_TRUE(plan[1].weekly);
  EXPECT_EQ(plan[1].base.date, ymd(2024, 10, 10));  // Thursday
  EXPECT_TRUE(plan[2].weekly);
  EXPECT_EQ(plan[2].base.date, ymd(2024, 10, 13));  // Sunday
}

TEST(PlanCreation, EarlierWeekdayStartsTheFollowingWeek) {
  // A Wednesday form with Tuesday ticked: the first Tuesday after is six days later.
  const auto v = values(ymd(2024, 10, 9), hm(10, 0), hm(12, 0));
  const auto plan = planCreation(7, v, {false, true, false, false, false, false, false});
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_FALSE(plan[0].weekly);
  EXPECT_EQ(plan[0].base.date, ymd(2024, 10, 9));
  EXPECT_EQ(plan[1].base.date, ymd(2024, 10, 15));
  EXPECT_EQ(weekdayIndex(plan[1].base.date), 1);
}

TEST(PlanCreation, EveryWeekdayGivesSevenSeriesAndNoOneOff) {
  const auto v = values(ymd(2024, 10, 9), hm(10, 0), hm(12, 0));
  std::array<bool, 7> all;
  all.fill(true);
  const auto plan = planCreation(7, v, all);
  ASSERT_EQ(plan.size(), 7u);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    EXPECT_TRUE(plan[i].weekly);
    EXPECT_EQ(plan[i].base.date, ymd(2024, 10, 9) + date::days{static_cast<int>(i)});
  }
}

// ---------------------------------------------------------------- occurrencesBetween

TEST(Occurrences, OneOffInsideOrOutsideTheRange) {
  const auto a = oneOff(3, ymd(2024, 3, 6));
  EXPECT_EQ(occurrencesBetween(a, paris(), ymd(2024, 3, 6), ymd(2024, 3, 6)).size(), 1u);
  EXPECT_TRUE(occurrencesBetween(a, paris(), ymd(2024, 3, 7), ymd(2024, 3, 10)).empty());
  EXPECT_TRUE(occurrencesBetween(a, paris(), ymd(2024, 3, 1), ymd(2024, 3, 5)).empty());
  const auto o = occurrencesBetween(a, paris(), ymd(2024, 3, 4), ymd(2024, 3, 10));
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].availabilityId, 3);
  EXPECT_FALSE(o[0].weekly);
  EXPECT_EQ(o[0].originalDate, ymd(2024, 3, 6));
  EXPECT_EQ(o[0].start, utc(2024, 3, 6, 9, 0));
  EXPECT_EQ(o[0].end, utc(2024, 3, 6, 11, 0));
  EXPECT_FALSE(o[0].modified);
}

TEST(Occurrences, SeriesEveryWeekWithInclusiveBounds) {
  const auto a = series(1, ymd(2024, 3, 4));
  EXPECT_EQ(
      dates(occurrencesBetween(a, paris(), ymd(2024, 3, 1), ymd(2024, 3, 31))),
      (std::vector<Day>{ymd(2024, 3, 4), ymd(2024, 3, 11), ymd(2024, 3, 18), ymd(2024, 3, 25)}));
  EXPECT_EQ(dates(occurrencesBetween(a, paris(), ymd(2024, 3, 11), ymd(2024, 3, 18))),
            (std::vector<Day>{ymd(2024, 3, 11), ymd(2024, 3, 18)}));
  EXPECT_TRUE(occurrencesBetween(a, paris(), ymd(2024, 3, 12), ymd(2024, 3, 17)).empty());
  EXPECT_TRUE(occurrencesBetween(a, paris(), ymd(2024, 2, 1), ymd(2024, 3, 3)).empty());
  EXPECT_TRUE(occurrencesBetween(a, paris(), ymd(2024, 3, 31), ymd(2024, 3, 1)).empty());
}

TEST(Occurrences, AppendedAfterThoseAlreadyThereAndSortedAmongThemselves) {
  // A later series first, then an earlier one appended: the first stay first, untouched.
  std::vector<Occurrence> out;
  appendOccurrencesBetween(series(2, ymd(2024, 3, 18)), paris(), ymd(2024, 3, 1), ymd(2024, 3, 31),
                           out);
  auto moved = series(1, ymd(2024, 3, 4));
  // The 11th's moved to the 5th: after the others were made, before them once sorted.
  moved.exceptions.push_back(
      changedOn(ymd(2024, 3, 11), values(ymd(2024, 3, 5), hm(20, 0), hm(21, 0))));
  appendOccurrencesBetween(moved, paris(), ymd(2024, 3, 1), ymd(2024, 3, 31), out);
  EXPECT_EQ(dates(out), (std::vector<Day>{ymd(2024, 3, 18), ymd(2024, 3, 25), ymd(2024, 3, 4),
                                          ymd(2024, 3, 5), ymd(2024, 3, 18), ymd(2024, 3, 25)}));
  EXPECT_EQ(out[0].availabilityId, 2);
  EXPECT_EQ(out[2].availabilityId, 1);
  EXPECT_TRUE(out[3].modified);
  // What occurrencesBetween gives, after them.
  const auto alone = occurrencesBetween(moved, paris(), ymd(2024, 3, 1), ymd(2024, 3, 31));
  const std::vector<Occurrence> appended(out.begin() + 2, out.end());
  EXPECT_EQ(dates(appended), dates(alone));
  EXPECT_EQ(originalDates(appended), originalDates(alone));
}

TEST(Occurrences, LastDateIsInclusive) {
  auto a = series(1, ymd(2024, 3, 4));
  a.lastDate = ymd(2024, 3, 18);
  EXPECT_EQ(dates(occurrencesBetween(a, paris(), ymd(2024, 3, 1), ymd(2024, 4, 30))),
            (std::vector<Day>{ymd(2024, 3, 4), ymd(2024, 3, 11), ymd(2024, 3, 18)}));
  a.lastDate = ymd(2024, 3, 17);
  EXPECT_EQ(dates(occurrencesBetween(a, paris(), ymd(2024, 3, 1), ymd(2024, 4, 30))),
            (std::vector<Day>{ymd(2024, 3, 4), ymd(2024, 3, 11)}));
}

TEST(Occurrences, OldSeriesJumpsToTheRange) {
  const auto a = series(1, ymd(1900, 1, 1));  // a Monday
  const auto o = occurrencesBetween(a, paris(), ymd(2024, 3, 5), ymd(2024, 3, 18));
  EXPECT_EQ(dates(o), (std::vector<Day>{ymd(2024, 3, 11), ymd(2024, 3, 18)}));
  EXPECT_EQ(o[0].start, utc(2024, 3, 11, 9, 0));
}

TEST(Occurrences, DeletedExceptionIsSkipped) {
  auto a = series(1, ymd(2024, 3, 4));
  a.exceptions.push_back(deletedOn(ymd(2024, 3, 11)));
  EXPECT_EQ(dates(occurrencesBetween(a, paris(), ymd(2024, 3, 1), ymd(2024, 3, 20))),
            (std::vector<Day>{ymd(2024, 3, 4), ymd(2024, 3, 18)}));
}

TEST(Occurrences, ChangedExceptionAppliesItsValues) {
  auto a = series(1, ymd(2024, 3, 4));
  a.exceptions.push_back(changedOn(ymd(2024, 3, 11), values(ymd(2024, 3, 11), hm(14, 0), hm(15, 0),
                                                            AvailabilityKind::Range, 2)));
  const auto o = occurrencesBetween(a, paris(), ymd(2024, 3, 11), ymd(2024, 3, 11));
  ASSERT_EQ(o.size(), 1u);
  EXPECT_TRUE(o[0].modified);
  EXPECT_TRUE(o[0].weekly);
  EXPECT_EQ(o[0].values.kind, AvailabilityKind::Range);
  EXPECT_EQ(o[0].values.capacity, 2);
  EXPECT_EQ(o[0].start, utc(2024, 3, 11, 13, 0));
  EXPECT_EQ(o[0].end, utc(2024, 3, 11, 14, 0));
}

TEST(Occurrences, MovedOccurrenceFollowsItsNewDate) {
  auto a = series(1, ymd(2024, 3, 4));
  a.exceptions.push_back(
      changedOn(ymd(2024, 3, 11), values(ymd(2024, 3, 13), hm(10, 0), hm(12, 0))));
  // Moved into a range that does not hold its original date.
  auto o = occurrencesBetween(a, paris(), ymd(2024, 3, 12), ymd(2024, 3, 14));
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].originalDate, ymd(2024, 3, 11));
  EXPECT_EQ(o[0].values.date, ymd(2024, 3, 13));
  // Moved out of a range that holds its original date.
  o = occurrencesBetween(a, paris(), ymd(2024, 3, 10), ymd(2024, 3, 12));
  EXPECT_TRUE(o.empty());
}

TEST(Occurrences, SortedByStartIncludingMovedOnes) {
  auto a = series(1, ymd(2024, 3, 4));
  a.exceptions.push_back(changedOn(ymd(2024, 3, 18), values(ymd(2024, 3, 5), hm(8, 0), hm(9, 0))));
  const auto o = occurrencesBetween(a, paris(), ymd(2024, 3, 1), ymd(2024, 3, 31));
  EXPECT_EQ(originalDates(o), (std::vector<Day>{ymd(2024, 3, 4), ymd(2024, 3, 18), ymd(2024, 3, 11),
                                                ymd(2024, 3, 25)}));
  EXPECT_TRUE(std::is_sorted(o.begin(), o.end(),
                             [](const auto& x, const auto& y) { return x.start < y.start; }));
}

TEST(Occurrences, ExceptionOutsideTheSeriesIsIgnored) {
  auto a = series(1, ymd(2024, 3, 4));
  a.lastDate = ymd(2024, 3, 11);
  a.exceptions.push_back(
      changedOn(ymd(2024, 3, 18), values(ymd(2024, 3, 6), hm(10, 0), hm(12, 0))));
  a.exceptions.push_back(
      changedOn(ymd(2024, 3, 12), values(ymd(2024, 3, 7), hm(10, 0), hm(12, 0))));  // a Tuesday
  EXPECT_EQ(dates(occurrencesBetween(a, paris(), ymd(2024, 3, 1), ymd(2024, 3, 31))),
            (std::vector<Day>{ymd(2024, 3, 4), ymd(2024, 3, 11)}));
}

TEST(Occurrences, TenOClockStaysTenOClockAcrossBothChanges) {
  const auto& z = paris();
  auto spring = series(1, ymd(2024, 3, 25));
  auto o = occurrencesBetween(spring, z, ymd(2024, 3, 25), ymd(2024, 4, 1));
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[0].start, utc(2024, 3, 25, 9, 0));  // CET
  EXPECT_EQ(o[1].start, utc(2024, 4, 1, 8, 0));   // CEST
  EXPECT_EQ(o[1].end, utc(2024, 4, 1, 10, 0));
  for (const auto& occ : o) {
    EXPECT_EQ(localMinute(z, occ.start), hm(10, 0));
    EXPECT_EQ(localMinute(z, occ.end), hm(12, 0));
  }
  auto autumn = series(1, ymd(2024, 10, 21));
  o = occurrencesBetween(autumn, z, ymd(2024, 10, 21), ymd(2024, 10, 28));
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[0].start, utc(2024, 10, 21, 8, 0));  // CEST
  EXPECT_EQ(o[1].start, utc(2024, 10, 28, 9, 0));  // CET
  for (const auto& occ : o) EXPECT_EQ(localMinute(z, occ.start), hm(10, 0));
}

TEST(Occurrences, OnTheChangeDayItself) {
  // A Sunday series across the spring-forward Sunday: 10h00 is 08h00 UTC that day.
  const auto a = series(1, ymd(2024, 3, 24));
  const auto o = occurrencesBetween(a, paris(), ymd(2024, 3, 24), ymd(2024, 3, 31));
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[0].start, utc(2024, 3, 24, 9, 0));
  EXPECT_EQ(o[1].start, utc(2024, 3, 31, 8, 0));
}

TEST(Occurrences, OverseasSeriesKeepsItsUtcHour) {
  const auto a = series(1, ymd(2024, 3, 25));
  const auto o = occurrencesBetween(a, zone("Indian/Reunion"), ymd(2024, 3, 25), ymd(2024, 4, 1));
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[0].start, utc(2024, 3, 25, 6, 0));
  EXPECT_EQ(o[1].start, utc(2024, 4, 1, 6, 0));
}

// ---------------------------------------------------------------- findOccurrence

TEST(FindOccurrence, ScheduledDatesOnly) {
  auto a = series(1, ymd(2024, 3, 4));
  a.lastDate = ymd(2024, 3, 25);
  a.exceptions.push_back(deletedOn(ymd(2024, 3, 11)));
  a.exceptions.push_back(
      changedOn(ymd(2024, 3, 18), values(ymd(2024, 3, 19), hm(14, 0), hm(15, 0))));
  const auto first = findOccurrence(a, paris(), ymd(2024, 3, 4));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->values, a.base);
  EXPECT_FALSE(first->modified);
  EXPECT_FALSE(findOccurrence(a, paris(), ymd(2024, 3, 11)).has_value());  // deleted
  const auto moved = findOccurrence(a, paris(), ymd(2024, 3, 18));
  ASSERT_TRUE(moved.has_value());
  EXPECT_TRUE(moved->modified);
  EXPECT_EQ(moved->values.date, ymd(2024, 3, 19));
  EXPECT_EQ(moved->start, utc(2024, 3, 19, 13, 0));
  EXPECT_TRUE(findOccurrence(a, paris(), ymd(2024, 3, 25)).has_value());   // last date
  EXPECT_FALSE(findOccurrence(a, paris(), ymd(2024, 4, 1)).has_value());   // after the end
  EXPECT_FALSE(findOccurrence(a, paris(), ymd(2024, 2, 26)).has_value());  // before the start
  EXPECT_FALSE(findOccurrence(a, paris(), ymd(2024, 3, 5)).has_value());   // not a Monday
  EXPECT_FALSE(findOccurrence(a, paris(), ymd(2024, 3, 19)).has_value());  // moved-to date
}

TEST(FindOccurrence, OneOff) {
  const auto a = oneOff(3, ymd(2024, 3, 6));
  EXPECT_TRUE(findOccurrence(a, paris(), ymd(2024, 3, 6)).has_value());
  EXPECT_FALSE(findOccurrence(a, paris(), ymd(2024, 3, 13)).has_value());
}

// ---------------------------------------------------------------- planModification

class Modify : public ::testing::Test {
 protected:
  // Wednesday 13 March 2024, 10h00 in Paris: the Mondays 4 and 11 are past.
  Instant now = utc(2024, 3, 13, 9, 0);
  Availability s = series(42, ymd(2024, 3, 4));

  Checked<AgendaChange> modify(const Availability& a, Day original, const OccurrenceValues& v,
                               EditScope scope) {
    return planModification(a, original, v, scope, paris(), now);
  }
};

TEST_F(Modify, ThisOccurrenceRecordsAnException) {
  const auto v = values(ymd(2024, 3, 18), hm(14, 0), hm(16, 0));
  const auto r = modify(s, ymd(2024, 3, 18), v, EditScope::ThisOccurrence);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value->created.empty());
  EXPECT_TRUE(r.value->deleted.empty());
  ASSERT_EQ(r.value->updated.size(), 1u);
  auto expected = s;
  expected.exceptions.push_back(changedOn(ymd(2024, 3, 18), v));
  EXPECT_EQ(r.value->updated[0], expected);
}

TEST_F(Modify, ThisOccurrenceMayMoveTheDate) {
  const auto v = values(ymd(2024, 3, 20), hm(10, 0), hm(12, 0));
  const auto r = modify(s, ymd(2024, 3, 18), v, EditScope::ThisOccurrence);
  ASSERT_TRUE(r.ok());
  const auto& updated = r.value->updated.at(0);
  const auto o = occurrencesBetween(updated, paris(), ymd(2024, 3, 18), ymd(2024, 3, 24));
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].originalDate, ymd(2024, 3, 18));
  EXPECT_EQ(o[0].values.date, ymd(2024, 3, 20));
  // The other weeks are untouched.
  EXPECT_EQ(
      dates(occurrencesBetween(updated, paris(), ymd(2024, 3, 1), ymd(2024, 3, 31))),
      (std::vector<Day>{ymd(2024, 3, 4), ymd(2024, 3, 11), ymd(2024, 3, 20), ymd(2024, 3, 25)}));
}

TEST_F(Modify, ThisOccurrenceReplacesAnEarlierExceptionForTheSameDate) {
  s.exceptions.push_back(changedOn(ymd(2024, 3, 18), values(ymd(2024, 3, 18), hm(8, 0), hm(9, 0))));
  const auto v = values(ymd(2024, 3, 18), hm(14, 0), hm(16, 0));
  const auto r = modify(s, ymd(2024, 3, 18), v, EditScope::ThisOccurrence);
  ASSERT_TRUE(r.ok());
  const auto& exceptions = r.value->updated.at(0).exceptions;
  ASSERT_EQ(exceptions.size(), 1u);
  EXPECT_EQ(exceptions[0], changedOn(ymd(2024, 3, 18), v));
}

TEST_F(Modify, ThisOccurrenceOfAOneOffUpdatesItWhole) {
  const auto a = oneOff(5, ymd(2024, 3, 20));
  const auto v = values(ymd(2024, 3, 22), hm(9, 0), hm(11, 0), AvailabilityKind::Range, 4);
  const auto r = modify(a, ymd(2024, 3, 20), v, EditScope::ThisOccurrence);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value->updated.size(), 1u);
  auto expected = a;
  expected.base = v;
  EXPECT_EQ(r.value->updated[0], expected);
  EXPECT_TRUE(r.value->created.empty());
  EXPECT_TRUE(r.value->deleted.empty());
}

TEST_F(Modify, RefusedOnAMissingOccurrence) {
  const auto v = values(ymd(2024, 3, 19), hm(10, 0), hm(12, 0));
  for (Day d : {ymd(2024, 3, 19), ymd(2024, 2, 26)}) {
    const auto r = modify(s, d, v, EditScope::ThisOccurrence);
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].field, "");
    EXPECT_FALSE(r.errors[0].message.empty());
  }
  s.exceptions.push_back(deletedOn(ymd(2024, 3, 18)));
  EXPECT_FALSE(modify(s, ymd(2024, 3, 18), v, EditScope::ThisOccurrence).ok());
  s.exceptions.clear();
  s.lastDate = ymd(2024, 3, 17);
  EXPECT_FALSE(modify(s, ymd(2024, 3, 18), v, EditScope::ThisOccurrence).ok());
}

TEST_F(Modify, RefusedOnAPastOccurrence) {
  const auto v = values(ymd(2024, 3, 18), hm(10, 0), hm(12, 0));
  const auto r = modify(s, ymd(2024, 3, 11), v, EditScope::ThisOccurrence);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, "");
  EXPECT_FALSE(modify(s, ymd(2024, 3, 11), v, EditScope::AllWeeks).ok());
}

TEST_F(Modify, AnOccurrenceIsPastOnceItStarts) {
  const auto v = values(ymd(2024, 3, 25), hm(10, 0), hm(12, 0));
  now = utc(2024, 3, 18, 9, 0);  // 10h00 in Paris, the start of the 18 March occurrence
  EXPECT_FALSE(modify(s, ymd(2024, 3, 18), v, EditScope::ThisOccurrence).ok());
  now = utc(2024, 3, 18, 8, 59, 59);
  EXPECT_TRUE(modify(s, ymd(2024, 3, 18), v, EditScope::ThisOccurrence).ok());
}

TEST_F(Modify, RefusedWhenTheNewStartIsPast) {
  // Moved to yesterday.
  auto r = modify(s, ymd(2024, 3, 18), values(ymd(2024, 3, 12), hm(10, 0), hm(12, 0)),
                  EditScope::ThisOccurrence);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, "");
  // Moved to today, before and at now (10h00).
  EXPECT_FALSE(modify(s, ymd(2024, 3, 18), values(ymd(2024, 3, 13), hm(9, 45), hm(12, 0)),
                      EditScope::ThisOccurrence)
                   .ok());
  EXPECT_TRUE(modify(s, ymd(2024, 3, 18), values(ymd(2024, 3, 13), hm(10, 0), hm(12, 0)),
                     EditScope::ThisOccurrence)
                  .ok());
}

TEST_F(Modify, AllWeeksRefusedOnAOneOff) {
  const auto a = oneOff(5, ymd(2024, 3, 20));
  const auto r = modify(a, ymd(2024, 3, 20), values(ymd(2024, 3, 20), hm(14, 0), hm(16, 0)),
                        EditScope::AllWeeks);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, "");
}

TEST_F(Modify, AllWeeksSplitsTheSeries) {
  s.exceptions = {
      changedOn(ymd(2024, 3, 11), values(ymd(2024, 3, 11), hm(8, 0), hm(9, 0))),
      deletedOn(ymd(2024, 3, 18)),
      deletedOn(ymd(2024, 4, 1)),
      changedOn(ymd(2024, 4, 8), values(ymd(2024, 4, 9), hm(8, 0), hm(9, 0))),
  };
  const Day d = ymd(2024, 3, 25);
  // The date typed is ignored: the series keeps its weekday.
  const auto v = values(ymd(2024, 3, 27), hm(14, 0), hm(17, 0), AvailabilityKind::Range, 3);
  const auto r = modify(s, d, v, EditScope::AllWeeks);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value->updated.size(), 1u);
  ASSERT_EQ(r.value->created.size(), 1u);
  EXPECT_TRUE(r.value->deleted.empty());

  const auto& old = r.value->updated[0];
  auto expectedOld = s;
  expectedOld.lastDate = ymd(2024, 3, 24);
  expectedOld.exceptions = {s.exceptions[0], s.exceptions[1]};
  EXPECT_EQ(old, expectedOld);

  const auto& next = r.value->created[0];
  EXPECT_EQ(next.id, 0);
  EXPECT_EQ(next.placeId, 7);
  EXPECT_TRUE(next.weekly);
  auto expectedBase = v;
  expectedBase.date = d;
  EXPECT_EQ(next.base, expectedBase);
  EXPECT_FALSE(next.lastDate.has_value());
  EXPECT_EQ(next.exceptions, (std::vector<AvailabilityException>{deletedOn(ymd(2024, 4, 1))}));

  // Nothing before D changes.
  EXPECT_EQ(occurrencesBetween(old, paris(), ymd(2024, 3, 1), ymd(2024, 3, 24)).size(), 2u);
  const auto before = occurrencesBetween(s, paris(), ymd(2024, 3, 1), ymd(2024, 3, 24));
  const auto after = occurrencesBetween(old, paris(), ymd(2024, 3, 1), ymd(2024, 3, 24));
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(before[i].values, after[i].values);
    EXPECT_EQ(before[i].start, after[i].start);
  }
  EXPECT_TRUE(occurrencesBetween(old, paris(), d, ymd(2024, 12, 31)).empty());

  // From D: the new values every week, the deletion kept, the later change replaced.
  const auto o = occurrencesBetween(next, paris(), d, ymd(2024, 4, 15));
  EXPECT_EQ(dates(o), (std::vector<Day>{ymd(2024, 3, 25), ymd(2024, 4, 8), ymd(2024, 4, 15)}));
  for (const auto& occ : o) {
    EXPECT_EQ(occ.values.startMinute, hm(14, 0));
    EXPECT_EQ(occ.values.kind, AvailabilityKind::Range);
    EXPECT_EQ(occ.values.capacity, 3);
    EXPECT_FALSE(occ.modified);
  }
}

TEST_F(Modify, AllWeeksFromAChangedOccurrenceUsesTheNewValues) {
  s.exceptions = {changedOn(ymd(2024, 3, 18), values(ymd(2024, 3, 19), hm(8, 0), hm(9, 0)))};
  const auto v = values(ymd(2024, 3, 18), hm(14, 0), hm(16, 0));
  const auto r = modify(s, ymd(2024, 3, 18), v, EditScope::AllWeeks);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value->updated.at(0).exceptions.empty());
  EXPECT_TRUE(r.value->created.at(0).exceptions.empty());
  EXPECT_EQ(r.value->created.at(0).base, v);
}

TEST_F(Modify, AllWeeksFromTheFirstOccurrenceReplacesTheSeries) {
  now = utc(2024, 3, 1, 9, 0);
  const auto v = values(ymd(2024, 3, 4), hm(14, 0), hm(16, 0));
  const auto r = modify(s, ymd(2024, 3, 4), v, EditScope::AllWeeks);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value->updated.empty());
  EXPECT_EQ(r.value->deleted, (std::vector<std::int64_t>{42}));
  ASSERT_EQ(r.value->created.size(), 1u);
  EXPECT_EQ(r.value->created[0].base, v);
}

TEST_F(Modify, AllWeeksWhenEveryEarlierOccurrenceWasDeleted) {
  s.exceptions = {deletedOn(ymd(2024, 3, 4)), deletedOn(ymd(2024, 3, 11))};
  const auto v = values(ymd(2024, 3, 18), hm(14, 0), hm(16, 0));
  const auto r = modify(s, ymd(2024, 3, 18), v, EditScope::AllWeeks);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value->updated.empty());
  EXPECT_EQ(r.value->deleted, (std::vector<std::int64_t>{42}));
  // One earlier occurrence left: the series is only ended.
  s.exceptions = {deletedOn(ymd(2024, 3, 4))};
  const auto kept = modify(s, ymd(2024, 3, 18), v, EditScope::AllWeeks);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept.value->deleted.empty());
  ASSERT_EQ(kept.value->updated.size(), 1u);
  EXPECT_EQ(kept.value->updated[0].lastDate, ymd(2024, 3, 17));
}

TEST_F(Modify, AllWeeksKeepsTheEndOfABoundedSeries) {
  s.lastDate = ymd(2024, 4, 29);
  const auto r = modify(s, ymd(2024, 3, 18), values(ymd(2024, 3, 18), hm(14, 0), hm(16, 0)),
                        EditScope::AllWeeks);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->created.at(0).lastDate, ymd(2024, 4, 29));
  EXPECT_EQ(r.value->updated.at(0).lastDate, ymd(2024, 3, 17));
}

TEST_F(Modify, AllWeeksRefusedWhenTheNewStartIsPastToday) {
  // A Wednesday series; today's occurrence at 14h00 is still to come at 10h00.
  auto wednesday = series(9, ymd(2024, 3, 6), hm(14, 0), hm(16, 0));
  EXPECT_FALSE(modify(wednesday, ymd(2024, 3, 13), values(ymd(2024, 3, 13), hm(9, 0), hm(12, 0)),
                      EditScope::AllWeeks)
                   .ok());
  EXPECT_TRUE(modify(wednesday, ymd(2024, 3, 13), values(ymd(2024, 3, 13), hm(10, 0), hm(12, 0)),
                     EditScope::AllWeeks)
                  .ok());
  // The ignored date cannot smuggle a past start in either.
  EXPECT_FALSE(modify(wednesday, ymd(2024, 3, 13), values(ymd(2024, 3, 20), hm(9, 0), hm(12, 0)),
                      EditScope::AllWeeks)
                   .ok());
}

// ---------------------------------------------------------------- planDeletion

class Delete : public ::testing::Test {
 protected:
  Instant now = utc(2024, 3, 13, 9, 0);
  Availability s = series(42, ymd(2024, 3, 4));

  Checked<AgendaChange> remove(const Availability& a, Day original, EditScope scope) {
    return planDeletion(a, original, scope, paris(), now);
  }
};

TEST_F(Delete, ThisOccurrenceOfASeriesRecordsADeletion) {
  const auto r = remove(s, ymd(2024, 3, 18), EditScope::ThisOccurrence);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value->updated.size(), 1u);
  EXPECT_TRUE(r.value->created.empty());
  EXPECT_TRUE(r.value->deleted.empty());
  const auto& updated = r.value->updated[0];
  ASSERT_EQ(updated.exceptions.size(), 1u);
  EXPECT_EQ(updated.exceptions[0].originalDate, ymd(2024, 3, 18));
  EXPECT_TRUE(updated.exceptions[0].deleted);
  EXPECT_EQ(updated.id, 42);
  EXPECT_EQ(updated.base, s.base);
  EXPECT_EQ(updated.lastDate, s.lastDate);
  EXPECT_EQ(dates(occurrencesBetween(updated, paris(), ymd(2024, 3, 1), ymd(2024, 3, 31))),
            (std::vector<Day>{ymd(2024, 3, 4), ymd(2024, 3, 11), ymd(2024, 3, 25)}));
}

TEST_F(Delete, ThisOccurrenceReplacesAChange) {
  s.exceptions = {changedOn(ymd(2024, 3, 18), values(ymd(2024, 3, 20), hm(8, 0), hm(9, 0)))};
  const auto r = remove(s, ymd(2024, 3, 18), EditScope::ThisOccurrence);
  ASSERT_TRUE(r.ok());
  const auto& exceptions = r.value->updated.at(0).exceptions;
  ASSERT_EQ(exceptions.size(), 1u);
  EXPECT_TRUE(exceptions[0].deleted);
  EXPECT_TRUE(
      occurrencesBetween(r.value->updated[0], paris(), ymd(2024, 3, 18), ymd(2024, 3, 24)).empty());
}

TEST_F(Delete, OneOffIsDeletedWhole) {
  const auto r = remove(oneOff(5, ymd(2024, 3, 20)), ymd(2024, 3, 20), EditScope::ThisOccurrence);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->deleted, (std::vector<std::int64_t>{5}));
  EXPECT_TRUE(r.value->updated.empty());
  EXPECT_TRUE(r.value->created.empty());
}

TEST_F(Delete, AllWeeksEndsTheSeriesTheDayBefore) {
  s.exceptions = {
      changedOn(ymd(2024, 3, 11), values(ymd(2024, 3, 11), hm(8, 0), hm(9, 0))),
      deletedOn(ymd(2024, 4, 1)),
      changedOn(ymd(2024, 4, 8), values(ymd(2024, 4, 9), hm(8, 0), hm(9, 0))),
  };
  const auto r = remove(s, ymd(2024, 3, 25), EditScope::AllWeeks);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value->updated.size(), 1u);
  EXPECT_TRUE(r.value->created.empty());
  EXPECT_TRUE(r.value->deleted.empty());
  auto expected = s;
  expected.lastDate = ymd(2024, 3, 24);
  expected.exceptions = {s.exceptions[0]};
  EXPECT_EQ(r.value->updated[0], expected);
  // Nothing before D changes; nothing from D is left.
  const auto& updated = r.value->updated[0];
  EXPECT_EQ(originalDates(occurrencesBetween(updated, paris(), ymd(2024, 3, 1), ymd(2024, 12, 31))),
            (std::vector<Day>{ymd(2024, 3, 4), ymd(2024, 3, 11), ymd(2024, 3, 18)}));
}

TEST_F(Delete, AllWeeksFromTheFirstOccurrenceDeletesTheSeries) {
  now = utc(2024, 3, 1, 9, 0);
  const auto r = remove(s, ymd(2024, 3, 4), EditScope::AllWeeks);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->deleted, (std::vector<std::int64_t>{42}));
  EXPECT_TRUE(r.value->updated.empty());
}

TEST_F(Delete, LastRemainingDateOfABoundedSeriesDeletesIt) {
  auto bounded = series(8, ymd(2024, 3, 18));
  bounded.lastDate = ymd(2024, 3, 25);
  bounded.exceptions = {deletedOn(ymd(2024, 3, 18))};
  const auto r = remove(bounded, ymd(2024, 3, 25), EditScope::ThisOccurrence);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->deleted, (std::vector<std::int64_t>{8}));
  EXPECT_TRUE(r.value->updated.empty());
  bounded.exceptions.clear();
  const auto kept = remove(bounded, ymd(2024, 3, 25), EditScope::ThisOccurrence);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept.value->deleted.empty());
  EXPECT_EQ(kept.value->updated.size(), 1u);
}

TEST_F(Delete, Refusals) {
  for (auto scope : {EditScope::ThisOccurrence, EditScope::AllWeeks}) {
    const auto past = remove(s, ymd(2024, 3, 11), scope);
    EXPECT_FALSE(past.ok());
    ASSERT_EQ(past.errors.size(), 1u);
    EXPECT_EQ(past.errors[0].field, "");
    EXPECT_FALSE(remove(s, ymd(2024, 3, 19), scope).ok());  // not a Monday
  }
  const auto oneOffAll = remove(oneOff(5, ymd(2024, 3, 20)), ymd(2024, 3, 20), EditScope::AllWeeks);
  EXPECT_FALSE(oneOffAll.ok());
  ASSERT_EQ(oneOffAll.errors.size(), 1u);
  EXPECT_EQ(oneOffAll.errors[0].field, "");
  s.exceptions = {deletedOn(ymd(2024, 3, 18))};
  EXPECT_FALSE(remove(s, ymd(2024, 3, 18), EditScope::ThisOccurrence).ok());
}

TEST_F(Delete, AnOccurrenceIsPastOnceItStarts) {
  now = utc(2024, 3, 18, 9, 0);
  EXPECT_FALSE(remove(s, ymd(2024, 3, 18), EditScope::ThisOccurrence).ok());
  now = utc(2024, 3, 18, 8, 59, 59);
  EXPECT_TRUE(remove(s, ymd(2024, 3, 18), EditScope::ThisOccurrence).ok());
}

}  // namespace
}  // namespace sas::domain

namespace sas::domain {
namespace {

// SPEC §10: a time the clock skips is taken as the time it names, and saved so (issue 19).
TEST(ClockGap, ATimeTheClockSkipsIsSavedAsTheTimeItNames) {
  const auto& zone = *findZone("Europe/Paris");
  const Day lastSundayOfMarch{date::year{2026} / date::March / date::day{29}};
  OccurrenceValues v;
  v.date = lastSundayOfMarch;
  v.startMinute = 2 * 60 + 30;
  v.endMinute = 4 * 60;
  EXPECT_TRUE(moveOutOfClockGap(v, zone));
  EXPECT_EQ(v.startMinute, 3 * 60 + 30);
  EXPECT_EQ(v.endMinute, 4 * 60);
  // The end alone: 01h00–02h30 is 01h00–03h30 (one real hour).
  v.startMinute = 60;
  v.endMinute = 2 * 60 + 30;
  EXPECT_TRUE(moveOutOfClockGap(v, zone));
  EXPECT_EQ(v.startMinute, 60);
  EXPECT_EQ(v.endMinute, 3 * 60 + 30);
  // The gap's edges: 01h45 and 03h00 exist, 02h00 does not.
  v.startMinute = 60 + 45;
  v.endMinute = 3 * 60;
  EXPECT_FALSE(moveOutOfClockGap(v, zone));
  v.startMinute = 2 * 60;
  v.endMinute = 3 * 60 + 15;
  EXPECT_TRUE(moveOutOfClockGap(v, zone));
  EXPECT_EQ(v.startMinute, 3 * 60);
  // The day before, and the doubled hour of October, change nothing.
  v.date = lastSundayOfMarch - date::days{1};
  v.startMinute = 2 * 60 + 30;
  v.endMinute = 4 * 60;
  EXPECT_FALSE(moveOutOfClockGap(v, zone));
  v.date = Day{date::year{2026} / date::October / date::day{25}};
  EXPECT_FALSE(moveOutOfClockGap(v, zone));
  EXPECT_EQ(v.startMinute, 2 * 60 + 30);
  // 23h59, the end of any day, stays.
  v.date = lastSundayOfMarch;
  v.startMinute = 22 * 60;
  v.endMinute = kLastMinute;
  EXPECT_FALSE(moveOutOfClockGap(v, zone));
}

}  // namespace
}  // namespace sas::domain
