// Orientations on the real storage (docs/rules.md#orientation), on SQLite and PostgreSQL: the
// capacity decided by the database, even between threads and processes racing for the last
// place; the search index that drops a full occurrence at once and shows « n / N »; who may
// orient, cancel and say what became of the patient.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

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
using domain::OrientationStatus;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const char* const kPassword = "Correct-Horse-42!";

using test::ymd;

// Wednesday 4 March 2026, 10:00 in Paris; the plage is on Thursday 5, 14h00–16h00.
class OrientationTest : public ::testing::Test {
 protected:
  OrientationTest() : platform_(parisTime(2026, 3, 4, 10)) {
    auto& store = platform_.platform().accountStore();
    const app::AuditEntry audit{std::nullopt, "test", "", "", ""};
    idf_ = store.createTerritory({0, "ARS Île-de-France", {"75"}}, audit, now());
    ara_ = store.createTerritory({0, "ARS Auvergne-Rhône-Alpes", {"69"}}, audit, now());
    std::tie(structure_, place_) = platform_.addCentre("Centre de santé Michel-Ange");
    other_ = platform_.addCentre("Centre de santé Voisin");
    regulatorA_ = actor(platform_.addUser("a@sas.test", kPassword, app::Role::Regulator, {}, idf_));
    regulatorB_ = actor(platform_.addUser("b@sas.test", kPassword, app::Role::Regulator, {}, idf_));
    ioa_ = actor(platform_.addUser("ioa@sas.test", kPassword, app::Role::Ioa, {}, idf_));
    farRegulator_ =
        actor(platform_.addUser("lyon@sas.test", kPassword, app::Role::Regulator, {}, ara_));
    manager_ = actor(platform_.addManager("gestion@sas.test", kPassword, {structure_}));
    otherManager_ = actor(platform_.addManager("voisin@sas.test", kPassword, {other_.first}));
  }

  domain::Instant now() { return platform_.clock().now(); }
  app::OrientationService& orientations() { return platform_.platform().orientations(); }

  app::Actor actor(std::int64_t userId) {
    app::Actor a;
    a.user = *platform_.users().findById(userId);
    a.structureIds = platform_.users().linkedStructureIds(userId);
    a.clientAddress = "127.0.0.1";
    return a;
  }

  // A one-off on Thursday 5 March, committed like a manager's; the asked occurrence that names it.
  app::OccurrenceAsked offer(AvailabilityKind kind, int capacity, int fromHour = 14,
                             int toHour = 16, std::int64_t place = 0) {
    if (!place) place = place_;
    domain::Availability a;
    a.placeId = place;
    domain::ConsultationTypes office;
    office.add(domain::ConsultationType::Office);
    a.base = {ymd(2026, 3, 5), fromHour * 60, toHour * 60, kind, capacity, office};
    domain::AgendaChange change;
    change.created.push_back(a);
    platform_.agenda().applyChange(place, change, {std::nullopt, "test", "", "", ""}, now());
    platform_.platform().search().placeChanged(place);
    return {place, parisTime(2026, 3, 5, fromHour), parisTime(2026, 3, 5, toHour), kind};
  }

  // The place's slots as the search answers them now.
  std::vector<domain::SearchSlot> slotsInSearch(app::SearchService& search,
                                                std::int64_t place = 0) {
    auto hit = search.placeSheet(regulatorA_, place ? place : place_).hit;
    return hit.slots;
  }

  TestPlatform platform_;
  std::int64_t idf_ = 0, ara_ = 0, structure_ = 0, place_ = 0;
  std::pair<std::int64_t, std::int64_t> other_;
  app::Actor regulatorA_, regulatorB_, ioa_, farRegulator_, manager_, otherManager_;
};

TEST_F(OrientationTest, APlageOfTwoTakesTwoThenLeavesTheSearchAndComesBackOnCancel) {
  const auto asked = offer(AvailabilityKind::Range, 2);
  auto& search = platform_.platform().search();
  ASSERT_EQ(slotsInSearch(search).size(), 1u);
  EXPECT_EQ(slotsInSearch(search)[0].taken, 0);

  auto first = orientations().orient(regulatorA_, asked, "DR-2026-0001");
  ASSERT_TRUE(first.result.ok()) << first.result.errors.front().message;
  EXPECT_EQ(first.taken, 1);
  ASSERT_EQ(slotsInSearch(search).size(), 1u);
  EXPECT_EQ(slotsInSearch(search)[0].taken, 1);  // « 1 / 2 »
  EXPECT_EQ(slotsInSearch(search)[0].capacity, 2);

  auto second = orientations().orient(ioa_, asked, "");
  ASSERT_TRUE(second.result.ok());
  EXPECT_EQ(second.taken, 2);
  EXPECT_TRUE(slotsInSearch(search).empty());  // full: gone from the search at once

  auto third = orientations().orient(regulatorB_, asked, "");
  EXPECT_FALSE(third.result.ok());
  EXPECT_TRUE(third.gone);
  EXPECT_EQ(third.result.errors.front().message, app::kOccurrenceGone);

  auto cancelled = orientations().cancel(regulatorA_, first.result.value->id);
  ASSERT_TRUE(cancelled.ok());
  ASSERT_EQ(slotsInSearch(search).size(), 1u);
  EXPECT_EQ(slotsInSearch(search)[0].taken, 1);
  auto stored = platform_.platform().orientationStore().findOrientation(first.result.value->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, OrientationStatus::Cancelled);
  EXPECT_EQ(stored->reference, "DR-2026-0001");
  EXPECT_EQ(stored->territoryId, idf_);
}

TEST_F(OrientationTest, ACreneauTakesOnePatient) {
  const auto asked = offer(AvailabilityKind::Slot, 1, 14, 15);
  auto& search = platform_.platform().search();
  ASSERT_TRUE(orientations().orient(regulatorA_, asked, "").result.ok());
  EXPECT_TRUE(slotsInSearch(search).empty());
  EXPECT_TRUE(orientations().orient(regulatorB_, asked, "").gone);
}

TEST_F(OrientationTest, ThreadsRacingForTheLastPlacesNeverOverbook) {
  const auto asked = offer(AvailabilityKind::Range, 3);
  constexpr int kThreads = 8;
  std::atomic<int> won{0}, lost{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      auto out = orientations().orient(i % 2 ? regulatorA_ : regulatorB_, asked, "");
      (out.result.ok() ? won : lost)++;
      if (!out.result.ok()) {
        EXPECT_TRUE(out.gone);
      }
    });
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 3);
  EXPECT_EQ(lost.load(), kThreads - 3);
  auto target = orientations().target(regulatorA_, asked);
  EXPECT_EQ(target.occurrence.taken, 3);
}

TEST_F(OrientationTest, ASecondProcessRacesOnTheSameDatabaseAndSeesTheChangeWithinASecond) {
  const auto asked = offer(AvailabilityKind::Range, 1);
  // A second "process": the whole platform again on the same database.
  Platform second(platform_.config(), &platform_.clock());
  second.search().rebuild();
  ASSERT_EQ(second.search().placeSheet(regulatorA_, place_).hit.slots.size(), 1u);

  std::atomic<bool> go{false};
  app::OrientationOutcome mine, theirs;
  std::thread other([&] {
    while (!go) std::this_thread::yield();
    theirs = second.orientations().orient(regulatorB_, asked, "");
  });
  go = true;
  mine = orientations().orient(regulatorA_, asked, "");
  other.join();
  EXPECT_NE(mine.result.ok(), theirs.result.ok());  // exactly one wins
  EXPECT_TRUE(mine.gone || theirs.gone);

  // The winner's process drops it at once; the other one after its next poll (1 s).
  auto& winner = mine.result.ok() ? platform_.platform().search() : second.search();
  auto& loser = mine.result.ok() ? second.search() : platform_.platform().search();
  EXPECT_TRUE(winner.placeSheet(regulatorA_, place_).hit.slots.empty());
  platform_.clock().advance(seconds{1});
  loser.catchUp();
  EXPECT_TRUE(loser.placeSheet(regulatorA_, place_).hit.slots.empty());
}

TEST_F(OrientationTest, OnlyRegulatorsAndIoaOrient) {
  const auto asked = offer(AvailabilityKind::Range, 2);
  for (auto* who : {&manager_, &otherManager_}) {
    try {
      orientations().orient(*who, asked, "");
      ADD_FAILURE() << "a structure manager oriented a patient";
    } catch (const app::AppError& e) {
      EXPECT_EQ(e.code(), app::ErrorCode::Forbidden);
    }
  }
  EXPECT_TRUE(orientations().orient(ioa_, asked, "").result.ok());
}

// A créneau is orientable up to its start second, a plage (14h00–16h00) up to 30 minutes
// before its end (15h30:00 included), as the search offers them (docs/rules.md#orientation).
TEST_F(OrientationTest, ACreneauUntilItsStartAPlageUntilThirtyMinutesBeforeItsEnd) {
  const auto plage = offer(AvailabilityKind::Range, 3);
  const auto creneau = offer(AvailabilityKind::Slot, 1, 14, 15, other_.second);
  auto wrong = plage;
  wrong.start += minutes{15};
  EXPECT_THROW(orientations().orient(regulatorA_, wrong, ""), app::AppError);
  auto& search = platform_.platform().search();

  platform_.clock().set(creneau.start + seconds{1});
  EXPECT_TRUE(orientations().orient(regulatorA_, creneau, "").gone);
  EXPECT_TRUE(slotsInSearch(search, other_.second).empty());
  EXPECT_TRUE(orientations().target(regulatorA_, plage).started);
  ASSERT_EQ(slotsInSearch(search).size(), 1u);  // started, still offered
  EXPECT_TRUE(orientations().orient(regulatorA_, plage, "").result.ok());

  const auto close = plage.end - minutes{30};
  platform_.clock().set(close - seconds{1});
  EXPECT_TRUE(orientations().orient(regulatorA_, plage, "").result.ok());
  platform_.clock().set(close);
  ASSERT_EQ(slotsInSearch(search).size(), 1u);
  EXPECT_EQ(slotsInSearch(search)[0].taken, 2);  // « 2 / 3 »
  platform_.clock().set(close + seconds{1});
  EXPECT_TRUE(slotsInSearch(search).empty());
  auto late = orientations().orient(regulatorA_, plage, "");
  EXPECT_TRUE(late.gone);
  EXPECT_EQ(late.result.errors.front().message, app::kOccurrenceGone);
  platform_.clock().set(close);
  EXPECT_TRUE(orientations().orient(regulatorA_, plage, "").result.ok());  // the last place

  platform_.clock().set(creneau.start);
  EXPECT_FALSE(orientations().target(regulatorA_, creneau).started);
  EXPECT_TRUE(orientations().orient(regulatorA_, creneau, "").result.ok());
}

TEST_F(OrientationTest, ThePlagesCloseFollowsTheSetting) {
  TestPlatform platform(parisTime(2026, 3, 4, 10),
                        [](config::Config& c) { c.searchPlageClosesMinutesBeforeEnd = 45; });
  const auto place = platform.addCentre("Centre de santé Réglé").second;
  const auto regulator =
      platform.addUser("r@sas.test", kPassword, app::Role::Regulator, {}, std::nullopt);
  app::Actor actor;
  actor.user = *platform.users().findById(regulator);
  domain::Availability a;
  a.placeId = place;
  a.base = {ymd(2026, 3, 5),         14 * 60, 16 * 60,
            AvailabilityKind::Range, 3,       domain::ConsultationTypes{1}};
  domain::AgendaChange change;
  change.created.push_back(a);
  platform.agenda().applyChange(place, change, {std::nullopt, "test", "", "", ""},
                                platform.clock().now());
  platform.platform().search().placeChanged(place);
  const app::OccurrenceAsked asked{place, parisTime(2026, 3, 5, 14), parisTime(2026, 3, 5, 16),
                                   AvailabilityKind::Range};
  platform.clock().set(parisTime(2026, 3, 5, 15, 15));
  EXPECT_EQ(platform.platform().search().placeSheet(actor, place).hit.slots.size(), 1u);
  EXPECT_TRUE(platform.platform().orientations().orient(actor, asked, "").result.ok());
  platform.clock().advance(seconds{1});
  EXPECT_TRUE(platform.platform().search().placeSheet(actor, place).hit.slots.empty());
  EXPECT_TRUE(platform.platform().orientations().orient(actor, asked, "").gone);
}

TEST_F(OrientationTest, ATooLongReferenceIsRefusedAndNothingIsTaken) {
  const auto asked = offer(AvailabilityKind::Slot, 1, 14, 15);
  auto refused = orientations().orient(regulatorA_, asked, std::string(31, 'x'));
  ASSERT_FALSE(refused.result.ok());
  EXPECT_FALSE(refused.gone);
  EXPECT_EQ(orientations().target(regulatorA_, asked).occurrence.taken, 0);
  EXPECT_TRUE(orientations().orient(regulatorA_, asked, std::string(30, 'x')).result.ok());
}

TEST_F(OrientationTest, CancelByItsRegulatorOrHisTerritoryBeforeTheStartOnly) {
  const auto asked = offer(AvailabilityKind::Range, 3);
  const auto a = orientations().orient(regulatorA_, asked, "").result.value->id;
  const auto b = orientations().orient(regulatorA_, asked, "").result.value->id;
  const auto c = orientations().orient(regulatorA_, asked, "").result.value->id;
  // Another territory's regulator: as if it did not exist.
  try {
    orientations().cancel(farRegulator_, a);
    ADD_FAILURE() << "a regulator of another territory cancelled";
  } catch (const app::AppError& e) {
    EXPECT_EQ(e.code(), app::ErrorCode::NotFound);
  }
  EXPECT_THROW(orientations().cancel(manager_, a), app::AppError);
  EXPECT_TRUE(orientations().cancel(regulatorB_, a).ok());   // same territory
  EXPECT_FALSE(orientations().cancel(regulatorA_, a).ok());  // cancelled already
  platform_.clock().set(asked.start - seconds{1});
  EXPECT_TRUE(orientations().cancel(ioa_, b).ok());
  platform_.clock().set(asked.start);
  auto late = orientations().cancel(regulatorA_, c);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.errors.front().message,
            "Cette orientation ne peut plus être annulée : le rendez-vous a commencé.");
}

TEST_F(OrientationTest, ThePlaceSaysWhatBecameOfThePatientFromTheStartOn) {
  const auto asked = offer(AvailabilityKind::Range, 2);
  const auto id = orientations().orient(regulatorA_, asked, "").result.value->id;
  EXPECT_FALSE(orientations().setOutcome(manager_, id, OrientationStatus::Received).ok());
  platform_.clock().set(asked.start);
  try {
    orientations().setOutcome(otherManager_, id, OrientationStatus::Received);
    ADD_FAILURE() << "the manager of another structure set a status";
  } catch (const app::AppError& e) {
    EXPECT_EQ(e.code(), app::ErrorCode::NotFound);
  }
  EXPECT_THROW(orientations().setOutcome(regulatorA_, id, OrientationStatus::Received),
               app::AppError);
  auto received = orientations().setOutcome(manager_, id, OrientationStatus::Received);
  ASSERT_TRUE(received.ok());
  auto list = orientations().ofPlace(manager_, place_, asked.start, asked.end);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].status, OrientationStatus::Received);
  EXPECT_THROW(orientations().ofPlace(otherManager_, place_, asked.start, asked.end),
               app::AppError);
}

TEST_F(OrientationTest, BeyondAvailabilitiesOnlyWhereThePlaceAcceptsIt) {
  EXPECT_THROW(orientations().beyondTarget(regulatorA_, place_), app::AppError);
  auto s = *platform_.structures().findStructure(structure_);
  s.participation.participates = true;
  s.participation.acceptsContact = true;
  platform_.structures().saveParticipation(structure_, s.participation,
                                           {std::nullopt, "test", "", "", ""}, now());
  auto past = orientations().orientBeyond(regulatorA_, place_, "04/03/2026", "09:45", "");
  ASSERT_FALSE(past.result.ok());
  EXPECT_EQ(past.result.errors.front().message,
            "Il n'est pas possible de saisir une date ou une heure dans le passé.");
  auto made = orientations().orientBeyond(regulatorA_, place_, "04/03/2026", "10:00", "R-1");
  ASSERT_TRUE(made.result.ok());
  auto stored = platform_.platform().orientationStore().findOrientation(made.result.value->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->kind, domain::OrientationKind::Beyond);
  EXPECT_EQ(stored->availabilityId, 0);
}

TEST_F(OrientationTest, TheExportHoldsOneTerritoryOrAll) {
  const auto asked = offer(AvailabilityKind::Range, 3);
  ASSERT_TRUE(orientations().orient(regulatorA_, asked, "").result.ok());
  ASSERT_TRUE(orientations().orient(farRegulator_, asked, "").result.ok());
  auto& store = platform_.platform().orientationStore();
  const auto from = now() - hours{1}, to = now() + hours{1};
  EXPECT_EQ(store.orientationsMade(from, to, std::nullopt).size(), 2u);
  auto idf = store.orientationsMade(from, to, idf_);
  ASSERT_EQ(idf.size(), 1u);
  EXPECT_EQ(idf[0].territoryName, "ARS Île-de-France");
  EXPECT_EQ(idf[0].structureName, "Centre de santé Michel-Ange");
  EXPECT_TRUE(store.orientationsMade(to, to + hours{1}, std::nullopt).empty());
}

}  // namespace
}  // namespace sas::test
