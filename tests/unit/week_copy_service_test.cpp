// « Dupliquer la semaine » through the agenda use cases, on in-memory ports
// (docs/rules.md#copy-a-week): the preview writes nothing, the copy writes every place's share
// with its audit entry, and the places offered are the manager's own.
#include <gtest/gtest.h>

#include "app/agenda_service.hpp"
#include "app/errors.hpp"
#include "support/days.hpp"
#include "support/fakes.hpp"

namespace sas::app {
namespace {

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

ErrorCode codeOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const AppError& e) {
    return e.code();
  }
  ADD_FAILURE() << "no AppError";
  return ErrorCode::Internal;
}

class WeekCopyServiceTest : public ::testing::Test {
 protected:
  WeekCopyServiceTest() {
    const auto paris = [&](const char* name, const char* street) {
      const auto s = structureRepo_.createStructure({0, name, "", "", "", "", "75", {}});
      return std::pair{s, structureRepo_.createPlace({0, s, "", street, "75016", "Paris", "75116",
                                                      48.84, 2.26, "Europe/Paris", ""})};
    };
    std::tie(structure_, place_) = paris("Centre de santé Michel-Ange", "81 Rue Michel-Ange");
    std::tie(secondStructure_, secondPlace_) = paris("Centre de santé Lyon", "1 Place Bellecour");
    std::tie(otherStructure_, otherPlace_) = paris("Centre d'un autre", "2 Rue Molitor");
    service_.addListener(listener_);
    manager_.user = {7,    "gestionnaire@sas.test", "Camille", "Martin", Role::StructureManager, "",
                     false};
    manager_.structureIds = {structure_, secondStructure_};
    manager_.clientAddress = "192.0.2.7";
  }

  std::int64_t oneOff(std::int64_t placeId, Day day, int start, int end) {
    domain::Availability a;
    a.placeId = placeId;
    a.base.date = day;
    a.base.startMinute = start;
    a.base.endMinute = end;
    a.base.types.add(domain::ConsultationType::Office);
    a.id = data_.newId();
    data_.availabilities[a.id] = a;
    return a.id;
  }

  std::size_t countOn(std::int64_t placeId, Day day) {
    return service_.week(manager_, placeId, day).occurrences().size();
  }

  // Wednesday 4 March 2026, 10h00 in Paris; the week copied is the next one (9 to 15 March).
  fakes::FixedClock clock_{utc(2026, 3, 4, 9)};
  fakes::Data data_;
  fakes::FakeStructures structureRepo_{data_};
  fakes::FakeAgenda agendaRepo_{data_};
  fakes::FakeOrientations orientationRepo_{data_};
  AgendaService service_{structureRepo_, agendaRepo_, orientationRepo_, clock_};
  Listener listener_;
  Actor manager_;
  std::int64_t structure_ = 0, place_ = 0, secondStructure_ = 0, secondPlace_ = 0,
               otherStructure_ = 0, otherPlace_ = 0;
  const Day monday_ = ymd(2026, 3, 9);
};

TEST_F(WeekCopyServiceTest, TheFormOffersTheManagersPlacesThisOneFirst) {
  const auto form = service_.weekCopyForm(manager_, secondPlace_, monday_ + date::days{3});
  EXPECT_EQ(form.monday, monday_);
  ASSERT_EQ(form.places.size(), 2u);
  EXPECT_EQ(form.places[0].place.id, secondPlace_);
  EXPECT_EQ(form.places[1].place.id, place_);
  EXPECT_EQ(form.places[1].structureName, "Centre de santé Michel-Ange");
  EXPECT_FALSE(form.result);
}

TEST_F(WeekCopyServiceTest, ThePreviewWritesNothing) {
  oneOff(place_, monday_, 600, 720);
  const auto before = data_.availabilities.size();
  const auto changes = data_.changes.size();
  const auto preview =
      service_.previewWeekCopy(manager_, place_, monday_, {"2", {place_, secondPlace_}});
  ASSERT_TRUE(preview.result && preview.result->ok());
  EXPECT_EQ(preview.result->value->copies.size(), 5u);  // 2 weeks here, 3 there
  EXPECT_FALSE(preview.written);
  EXPECT_EQ(data_.availabilities.size(), before);
  EXPECT_TRUE(data_.audit.empty());
  EXPECT_EQ(data_.changes.size(), changes);
  EXPECT_TRUE(listener_.changed.empty());
}

TEST_F(WeekCopyServiceTest, TheCopyWritesEveryPlacesShareWithItsAuditEntry) {
  oneOff(place_, monday_, 600, 720);
  oneOff(place_, monday_ + date::days{2}, 840, 900);
  // A series: left alone, not copied (it repeats already).
  auto series = data_.availabilities.at(oneOff(place_, monday_ - date::days{7}, 480, 540));
  series.weekly = true;
  data_.availabilities[series.id] = series;

  WeekCache weeks;
  service_.keepWeeksIn(weeks);
  EXPECT_EQ(countOn(place_, monday_ + date::days{7}), 1u);  // the series, kept in the cache
  const auto copy = service_.copyWeek(manager_, place_, monday_, {"1", {place_, secondPlace_}});
  ASSERT_TRUE(copy.result && copy.result->ok());
  EXPECT_TRUE(copy.written);
  // Here: next week's two copies beside the series; there: this week and the next.
  EXPECT_EQ(countOn(place_, monday_ + date::days{7}), 3u);
  EXPECT_EQ(countOn(secondPlace_, monday_), 2u);
  EXPECT_EQ(countOn(secondPlace_, monday_ + date::days{7}), 2u);
  EXPECT_EQ(countOn(secondPlace_, monday_ + date::days{14}), 0u);
  EXPECT_EQ(data_.availabilities.at(series.id), series);

  ASSERT_EQ(data_.audit.size(), 2u);
  EXPECT_EQ(data_.audit[0].action, "availability.copy");
  EXPECT_EQ(data_.audit[0].object, "place:" + std::to_string(place_));
  EXPECT_EQ(data_.audit[0].detail,
            "from:place:" + std::to_string(place_) + " week:2026-03-09 weeks:1 created:2");
  EXPECT_EQ(data_.audit[1].object, "place:" + std::to_string(secondPlace_));
  EXPECT_EQ(data_.audit[1].detail,
            "from:place:" + std::to_string(place_) + " week:2026-03-09 weeks:1 created:4");
  EXPECT_EQ(data_.audit[1].clientAddress, "192.0.2.7");
  EXPECT_EQ(listener_.changed, (std::vector<std::int64_t>{place_, secondPlace_}));

  // Again: every copy is there already, so nothing is left to create and nothing is written.
  const auto again = service_.copyWeek(manager_, place_, monday_, {"1", {place_, secondPlace_}});
  ASSERT_TRUE(again.result);
  EXPECT_FALSE(again.result->ok());
  EXPECT_FALSE(again.written);
  EXPECT_EQ(again.result->errors.at(0).message, kNothingToCopy);
  EXPECT_EQ(again.result->value->skipped.size(), 6u);
  EXPECT_EQ(data_.audit.size(), 2u);
}

TEST_F(WeekCopyServiceTest, APlaceOfAnotherManagerIsNotFoundAndNothingIsWritten) {
  oneOff(place_, monday_, 600, 720);
  const auto before = data_.availabilities.size();
  for (const std::int64_t id : {otherPlace_, std::int64_t{999}}) {
    EXPECT_EQ(codeOf([&] {
                service_.previewWeekCopy(manager_, place_, monday_, {"1", {id}});
              }),
              ErrorCode::NotFound);
    EXPECT_EQ(codeOf([&] {
                service_.copyWeek(manager_, place_, monday_, {"1", {place_, id}});
              }),
              ErrorCode::NotFound);
  }
  // The week of another's place, by its address.
  EXPECT_EQ(codeOf([&] {
              service_.copyWeek(manager_, otherPlace_, monday_, {"1", {place_}});
            }),
            ErrorCode::NotFound);
  EXPECT_EQ(data_.availabilities.size(), before);
  EXPECT_TRUE(data_.audit.empty());
  EXPECT_TRUE(listener_.changed.empty());
}

TEST_F(WeekCopyServiceTest, ARefusedFormWritesNothing) {
  oneOff(place_, monday_, 600, 720);
  const auto copy = service_.copyWeek(manager_, place_, monday_, {"13", {place_}});
  ASSERT_TRUE(copy.result);
  EXPECT_FALSE(copy.result->ok());
  EXPECT_FALSE(copy.written);
  EXPECT_TRUE(data_.audit.empty());
  const auto atMax = service_.copyWeek(manager_, place_, monday_, {"12", {place_}});
  ASSERT_TRUE(atMax.result && atMax.result->ok());
  EXPECT_EQ(countOn(place_, monday_ + date::days{7 * 12}), 1u);
  EXPECT_EQ(countOn(place_, monday_ + date::days{7 * 13}), 0u);
}

TEST_F(WeekCopyServiceTest, ADelegateCopiesBetweenThePlacesOfTheOneHeActsFor) {
  // Delegated by the manager (both his structures) and by another (a third structure).
  Actor delegate;
  delegate.user = {20, "secretariat@sas.test", "Lou", "Bernard", Role::Delegate, "", false};
  delegate.delegated = {{structure_, 7}, {secondStructure_, 7}, {otherStructure_, 30}};
  oneOff(place_, monday_, 600, 720);
  const auto form = service_.weekCopyForm(delegate, place_, monday_);
  ASSERT_EQ(form.places.size(), 2u);
  EXPECT_EQ(form.places[1].place.id, secondPlace_);
  EXPECT_EQ(codeOf([&] {
              service_.copyWeek(delegate, place_, monday_, {"0", {otherPlace_}});
            }),
            ErrorCode::NotFound);
  const auto copy = service_.copyWeek(delegate, place_, monday_, {"0", {secondPlace_}});
  ASSERT_TRUE(copy.written);
  ASSERT_EQ(data_.audit.size(), 1u);
  EXPECT_EQ(data_.audit[0].userId, 20);
  EXPECT_EQ(data_.audit[0].onBehalfOf, 7);
}

TEST_F(WeekCopyServiceTest, RegulatorsCopyNothing) {
  Actor regulator = manager_;
  regulator.user.role = Role::Regulator;
  EXPECT_EQ(codeOf([&] { service_.weekCopyForm(regulator, place_, std::nullopt); }),
            ErrorCode::Forbidden);
}

}  // namespace
}  // namespace sas::app
