// The agenda use cases on in-memory ports (tests/support/fakes.hpp): who may act, what is saved
// with which audit entry, and that a refused form saves nothing.
#include "app/agenda_service.hpp"

#include <gtest/gtest.h>

#include "app/errors.hpp"
#include "domain/text.hpp"
#include "support/days.hpp"
#include "support/fakes.hpp"

namespace sas::app {
namespace {

using domain::characterCount;
using domain::Day;

using test::ymd;

domain::Instant utc(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return date::sys_days{ymd(y, m, d)} + std::chrono::hours{hour} + std::chrono::minutes{minute};
}

class Listener final : public PlaceChangeListener {
 public:
  void placeChanged(std::int64_t placeId) override { changed.push_back(placeId); }
  std::vector<std::int64_t> changed;
};

class AgendaServiceTest : public ::testing::Test {
 protected:
  AgendaServiceTest() {
    structure_ = structureRepo_.createStructure(
        {0, "Centre de santé Michel-Ange", "", "", "", "", "75", {}});
    place_ = structureRepo_.createPlace({0, structure_, "", "81 Rue Michel-Ange", "75016", "Paris",
                                         "75116", 48.84, 2.26, "Europe/Paris", ""});
    const auto other =
        structureRepo_.createStructure({0, "Autre centre", "", "", "", "", "69", {}});
    otherPlace_ = structureRepo_.createPlace({0, other, "", "1 Place Bellecour", "69002", "Lyon",
                                              "69382", 45.76, 4.83, "Europe/Paris", ""});
    service_.addListener(listener_);
    manager_.user = {7,    "gestionnaire@sas.test", "Camille", "Martin", Role::StructureManager, "",
                     false};
    manager_.structureIds = {structure_};
    manager_.clientAddress = "192.0.2.7";
  }

  static domain::AvailabilityInput slot(const std::string& date, const std::string& from,
                                        const std::string& to) {
    domain::AvailabilityInput in;
    in.date = date;
    in.from = from;
    in.to = to;
    in.kind = "creneau";
    in.office = true;
    return in;
  }

  // Wednesday 4 March 2026, 10h00 in Paris.
  fakes::FixedClock clock_{utc(2026, 3, 4, 9)};
  fakes::Data data_;
  fakes::FakeStructures structureRepo_{data_};
  fakes::FakeAgenda agendaRepo_{data_};
  fakes::FakeOrientations orientationRepo_{data_};
  AgendaService service_{structureRepo_, agendaRepo_, orientationRepo_, clock_};
  Listener listener_;
  Actor manager_;
  std::int64_t structure_ = 0, place_ = 0, otherPlace_ = 0;
};

ErrorCode codeOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const AppError& e) {
    return e.code();
  }
  ADD_FAILURE() << "no AppError";
  return ErrorCode::Internal;
}

TEST_F(AgendaServiceTest, CreatedSlotShowsInItsWeekWithAnAuditEntryAndANotice) {
  const auto created = service_.create(manager_, place_, slot("05/03/2026", "14h00", "15h00"));
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(created.value->size(), 1u);

  const auto week = service_.week(manager_, place_, ymd(2026, 3, 5));
  EXPECT_EQ(week.monday, ymd(2026, 3, 2));
  EXPECT_EQ(week.today, ymd(2026, 3, 4));
  ASSERT_EQ(week.occurrences().size(), 1u);
  EXPECT_EQ(week.occurrences()[0].availabilityId, created.value->at(0));
  EXPECT_EQ(week.occurrences()[0].start, utc(2026, 3, 5, 13));  // 14h00 in Paris (UTC+1)

  ASSERT_EQ(data_.audit.size(), 1u);
  EXPECT_EQ(data_.audit[0].action, "availability.create");
  EXPECT_EQ(data_.audit[0].object, "place:" + std::to_string(place_));
  EXPECT_EQ(data_.audit[0].userId, 7);
  EXPECT_EQ(data_.audit[0].clientAddress, "192.0.2.7");
  EXPECT_EQ(listener_.changed, std::vector<std::int64_t>{place_});
}

TEST_F(AgendaServiceTest, TheNextWeekDoesNotShowIt) {
  ASSERT_TRUE(service_.create(manager_, place_, slot("08/03/2026", "14h00", "15h00")).ok());
  EXPECT_EQ(service_.week(manager_, place_, ymd(2026, 3, 8)).occurrences().size(), 1u);  // Sunday
  EXPECT_TRUE(service_.week(manager_, place_, ymd(2026, 3, 9)).occurrences().empty());   // Monday
}

TEST_F(AgendaServiceTest, RefusedFormSavesNothingAndTellsNoOne) {
  const auto refused = service_.create(manager_, place_, slot("05/03/2026", "15h00", "14h00"));
  EXPECT_FALSE(refused.ok());
  EXPECT_FALSE(refused.errors.empty());
  EXPECT_TRUE(data_.availabilities.empty());
  EXPECT_TRUE(data_.audit.empty());
  EXPECT_TRUE(listener_.changed.empty());
}

TEST_F(AgendaServiceTest, AnotherStructuresPlaceAnswersAsIfItDidNotExist) {
  EXPECT_EQ(codeOf([&] { service_.week(manager_, otherPlace_, std::nullopt); }),
            ErrorCode::NotFound);
  EXPECT_EQ(codeOf([&] { service_.week(manager_, 999, std::nullopt); }), ErrorCode::NotFound);
  EXPECT_EQ(
      codeOf([&] { service_.create(manager_, otherPlace_, slot("05/03/2026", "14h00", "15h00")); }),
      ErrorCode::NotFound);
  EXPECT_TRUE(data_.availabilities.empty());
  EXPECT_TRUE(data_.audit.empty());
}

TEST_F(AgendaServiceTest, RegulatorsChangeNothing) {
  Actor regulator = manager_;
  regulator.user.role = Role::Regulator;
  EXPECT_EQ(codeOf([&] { service_.placeFor(regulator, place_); }), ErrorCode::Forbidden);
  EXPECT_EQ(codeOf([&] { service_.saveRegulatorNote(regulator, place_, "x"); }),
            ErrorCode::Forbidden);
  EXPECT_TRUE(data_.notes.empty());
}

TEST_F(AgendaServiceTest, RemovingOneOccurrenceOfASeriesKeepsTheOthers) {
  auto weekly = slot("05/03/2026", "14h00", "15h00");
  weekly.weekdays[3] = true;  // « Chaque Jeudi »
  const auto created = service_.create(manager_, place_, weekly);
  ASSERT_TRUE(created.ok());
  const auto id = created.value->at(0);

  const auto removed =
      service_.remove(manager_, {place_, id, ymd(2026, 3, 12)}, domain::EditScope::ThisOccurrence);
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(service_.week(manager_, place_, ymd(2026, 3, 12)).occurrences().empty());
  EXPECT_EQ(service_.week(manager_, place_, ymd(2026, 3, 19)).occurrences().size(), 1u);
  EXPECT_EQ(data_.audit.back().action, "availability.delete");
  EXPECT_EQ(data_.audit.back().detail, "availability:" + std::to_string(id) + " 2026-03-12 one");
}

TEST_F(AgendaServiceTest, ATakenOccurrenceIsShownTakenAndNeitherModifiedNorRemoved) {
  auto weekly = slot("05/03/2026", "14h00", "15h00");
  weekly.weekdays[3] = true;  // « Chaque Jeudi »
  const auto id = service_.create(manager_, place_, weekly).value->at(0);
  data_.takings[place_] = {{id, ymd(2026, 3, 12), 1}};
  const auto audits = data_.audit.size();

  EXPECT_EQ(service_.week(manager_, place_, ymd(2026, 3, 12)).occurrences().at(0).taken, 1);
  EXPECT_EQ(service_.week(manager_, place_, ymd(2026, 3, 5)).occurrences().at(0).taken, 0);
  const auto one = service_.removeOccurrence(manager_, {place_, id, ymd(2026, 3, 12)},
                                             domain::EditScope::ThisOccurrence);
  EXPECT_FALSE(one.result.ok());
  EXPECT_TRUE(one.conflict);
  EXPECT_EQ(one.result.errors.at(0).message, kOccurrenceTaken);
  EXPECT_EQ(data_.audit.size(), audits);  // nothing written

  // « Toutes les semaines » from the week before: the taken date stays as it was, a one-off
  // that its taking follows.
  const auto all = service_.removeOccurrence(manager_, {place_, id, ymd(2026, 3, 5)},
                                             domain::EditScope::AllWeeks);
  ASSERT_TRUE(all.result.ok());
  EXPECT_EQ(all.kept, 1u);
  EXPECT_EQ(data_.audit.back().detail,
            "availability:" + std::to_string(id) + " 2026-03-05 all kept:1");
  const auto kept = service_.week(manager_, place_, ymd(2026, 3, 12)).occurrences();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].taken, 1);
  EXPECT_FALSE(kept[0].weekly);
  EXPECT_EQ(kept[0].values.startMinute, 14 * 60);
  EXPECT_NE(kept[0].availabilityId, id);
  EXPECT_EQ(data_.takings[place_].at(0).availabilityId, kept[0].availabilityId);
  EXPECT_TRUE(service_.week(manager_, place_, ymd(2026, 3, 5)).occurrences().empty());
  EXPECT_TRUE(service_.week(manager_, place_, ymd(2026, 3, 19)).occurrences().empty());
}

TEST_F(AgendaServiceTest, AChangeForAllWeeksSkipsTheTakenDatesInTheNewSeries) {
  auto weekly = slot("05/03/2026", "14h00", "15h00");
  weekly.weekdays[3] = true;  // « Chaque Jeudi »
  const auto id = service_.create(manager_, place_, weekly).value->at(0);
  data_.takings[place_] = {{id, ymd(2026, 3, 19), 1}};
  const auto changed =
      service_.modifyOccurrence(manager_, {place_, id, ymd(2026, 3, 12)},
                                slot("12/03/2026", "16h00", "17h00"), domain::EditScope::AllWeeks);
  ASSERT_TRUE(changed.result.ok());
  EXPECT_EQ(changed.kept, 1u);
  const auto before = service_.week(manager_, place_, ymd(2026, 3, 5)).occurrences();
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].values.startMinute, 14 * 60);  // before the change: as it was
  const auto moved = service_.week(manager_, place_, ymd(2026, 3, 12)).occurrences();
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].values.startMinute, 16 * 60);
  const auto taken = service_.week(manager_, place_, ymd(2026, 3, 19)).occurrences();
  ASSERT_EQ(taken.size(), 1u);  // the kept one only: the new series skips its date
  EXPECT_EQ(taken[0].values.startMinute, 14 * 60);
  EXPECT_EQ(taken[0].taken, 1);
  const auto after = service_.week(manager_, place_, ymd(2026, 3, 26)).occurrences();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].values.startMinute, 16 * 60);
}

TEST_F(AgendaServiceTest, AnOccurrenceOfAnotherPlaceIsNotFound) {
  const auto created = service_.create(manager_, place_, slot("05/03/2026", "14h00", "15h00"));
  ASSERT_TRUE(created.ok());
  // The availability exists, but not at the place named in the link.
  Actor both = manager_;
  both.structureIds.push_back(data_.places.at(otherPlace_).structureId);
  EXPECT_EQ(codeOf([&] {
              service_.editTarget(both, {otherPlace_, created.value->at(0), ymd(2026, 3, 5)});
            }),
            ErrorCode::NotFound);
}

TEST_F(AgendaServiceTest, NoteUpToItsLimitIsSavedWithoutCarriageReturns) {
  const std::string limit(kMaxRegulatorNoteLength - 1, 'a');
  const auto saved = service_.saveRegulatorNote(manager_, place_, limit + "\r\n");
  ASSERT_TRUE(saved.ok());  // the \r is dropped: 1000 characters
  EXPECT_EQ(data_.notes.at(place_), limit + "\n");
  EXPECT_EQ(data_.audit.back().action, "note.save");
}

TEST_F(AgendaServiceTest, NoteOneCharacterOverItsLimitIsRefused) {
  // « é » is two bytes and one character: the limit counts characters.
  std::string over;
  for (std::size_t i = 0; i <= kMaxRegulatorNoteLength; ++i) over += "é";
  EXPECT_FALSE(service_.saveRegulatorNote(manager_, place_, over).ok());
  EXPECT_TRUE(
      service_.saveRegulatorNote(manager_, place_, over.substr(std::string("é").size())).ok());
  EXPECT_EQ(characterCount(data_.notes.at(place_)), kMaxRegulatorNoteLength);
}

TEST_F(AgendaServiceTest, UnavailabilityIsSavedAndShownInTheWeek) {
  domain::UnavailabilityInput input;
  input.periods.push_back({"09/03/2026", "13/03/2026"});
  const auto saved = service_.saveUnavailability(manager_, place_, input);
  ASSERT_TRUE(saved.ok());
  const auto week = service_.week(manager_, place_, ymd(2026, 3, 9));
  ASSERT_EQ(week.unavailability().periods.size(), 1u);
  EXPECT_EQ(week.unavailability().periods[0].from, ymd(2026, 3, 9));
  EXPECT_EQ(week.unavailability().periods[0].to, ymd(2026, 3, 13));
  EXPECT_EQ(data_.audit.back().action, "unavailability.save");
  EXPECT_EQ(listener_.changed.back(), place_);
}

// Kept weeks (app/week_cache.hpp): the same week is shared while the place's agenda version
// stays, and a change through the service shows at the next view.
TEST_F(AgendaServiceTest, AKeptWeekIsSharedUntilTheAgendaChanges) {
  WeekCache weeks;
  service_.keepWeeksIn(weeks);
  ASSERT_TRUE(service_.create(manager_, place_, slot("05/03/2026", "14h00", "15h00")).ok());
  const auto first = service_.week(manager_, place_, ymd(2026, 3, 5));
  const auto again = service_.week(manager_, place_, ymd(2026, 3, 5));
  EXPECT_EQ(first.content, again.content);
  EXPECT_NE(service_.week(manager_, place_, ymd(2026, 3, 12)).content, first.content);

  ASSERT_TRUE(service_.create(manager_, place_, slot("05/03/2026", "16h00", "17h00")).ok());
  const auto changed = service_.week(manager_, place_, ymd(2026, 3, 5));
  EXPECT_NE(changed.content, first.content);
  EXPECT_EQ(changed.occurrences().size(), 2u);

  domain::UnavailabilityInput input;
  input.periods.push_back({"05/03/2026", "06/03/2026"});
  ASSERT_TRUE(service_.saveUnavailability(manager_, place_, input).ok());
  EXPECT_EQ(service_.week(manager_, place_, ymd(2026, 3, 5)).unavailability().periods.size(), 1u);
  ASSERT_TRUE(service_.saveRegulatorNote(manager_, place_, "Sonner deux fois").ok());
  EXPECT_EQ(service_.week(manager_, place_, ymd(2026, 3, 5)).regulatorNote(), "Sonner deux fois");
  // Access is checked at every view, kept week or not.
  EXPECT_EQ(codeOf([&] { service_.week(manager_, otherPlace_, ymd(2026, 3, 5)); }),
            ErrorCode::NotFound);
}

}  // namespace
}  // namespace sas::app
