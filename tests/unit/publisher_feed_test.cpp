// Interfaced booking software (docs/rules.md#publishers): to which place a pulled slot
// belongs, how long a silent publisher's slots stay shown, how a failing one is left alone.
#include "domain/publisher_feed.hpp"

#include <gtest/gtest.h>
#include <GeographicLib/Geodesic.hpp>

namespace sas::domain {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const GeoPoint kOrdener{48.8925, 2.3444};  // Paris 18e
const Instant kNow = Instant{date::sys_days{date::year{2026} / 12 / 4}} + std::chrono::hours{3};

GeoPoint destination(GeoPoint from, double azimuth, double metres) {
  GeoPoint to;
  GeographicLib::Geodesic::WGS84().Direct(from.latitude, from.longitude, azimuth, metres,
                                          to.latitude, to.longitude);
  return to;
}

PulledSlot slotAt(std::optional<GeoPoint> position, std::vector<std::string> identifiers = {}) {
  PulledSlot s;
  s.professionalId = "810000000009";
  s.start = kNow + std::chrono::hours{1};
  s.end = s.start + minutes{20};
  s.locationIdentifiers = std::move(identifiers);
  s.position = position;
  return s;
}

CandidatePlace place(std::int64_t id, GeoPoint position, std::vector<std::string> ids = {}) {
  ids.push_back(placeIdentifier(id));
  return {id, position, std::move(ids)};
}

TEST(PublisherFeed, PlaceIdentifierIsLieuAndTheId) {
  EXPECT_EQ(placeIdentifier(7), "lieu:7");
  EXPECT_EQ(placeIdentifier(1234567890123), "lieu:1234567890123");
}

TEST(PublisherFeed, AnIdentifierTheLocationNamesWinsOverDistance) {
  const auto far = destination(kOrdener, 90, 50'000);
  const std::vector<CandidatePlace> places = {place(1, kOrdener, {"312345678200010"}),
                                              place(2, far, {"1750000016"})};
  // The slot is at Ordener, but names the far place's FINESS.
  EXPECT_EQ(matchPlace(slotAt(kOrdener, {"1750000016"}), places), 2);
  EXPECT_EQ(matchPlace(slotAt(std::nullopt, {"lieu:2"}), places), 2);
  EXPECT_EQ(matchPlace(slotAt(std::nullopt, {"312345678200010"}), places), 1);
  // A name no candidate has: the other rules decide.
  EXPECT_EQ(matchPlace(slotAt(kOrdener, {"399999999999999"}), places), 1);
}

TEST(PublisherFeed, OurPlaceIdentifierWinsOverAStructureSharedByTwoPlaces) {
  const auto near = destination(kOrdener, 0, 300);
  const std::vector<CandidatePlace> places = {place(1, kOrdener, {"312345678200010"}),
                                              place(2, near, {"312345678200010"})};
  EXPECT_EQ(matchPlace(slotAt(kOrdener, {"312345678200010", "lieu:2"}), places), 2);
  // The structure alone names both: the position decides among them.
  EXPECT_EQ(matchPlace(slotAt(destination(kOrdener, 0, 250), {"312345678200010"}), places), 2);
  EXPECT_EQ(matchPlace(slotAt(destination(kOrdener, 0, 50), {"312345678200010"}), places), 1);
  // …and without a position, or with none of them near, none is guessed.
  EXPECT_EQ(matchPlace(slotAt(std::nullopt, {"312345678200010"}), places), std::nullopt);
  EXPECT_EQ(matchPlace(slotAt(destination(kOrdener, 180, 5'000), {"312345678200010"}), places),
            std::nullopt);
}

TEST(PublisherFeed, TheOnlyPlaceTakesTheSlotWhereverItIs) {
  const std::vector<CandidatePlace> one = {place(5, kOrdener)};
  EXPECT_EQ(matchPlace(slotAt(std::nullopt), one), 5);
  EXPECT_EQ(matchPlace(slotAt(destination(kOrdener, 45, 80'000)), one), 5);
  EXPECT_EQ(matchPlace(slotAt(kOrdener), {}), std::nullopt);
}

TEST(PublisherFeed, NearestWithinOneKilometreOnBothSidesOfTheRadius) {
  const auto east = destination(kOrdener, 90, 5'000);
  const std::vector<CandidatePlace> places = {place(1, kOrdener), place(2, east)};
  EXPECT_EQ(matchPlace(slotAt(destination(kOrdener, 0, 999)), places), 1);
  EXPECT_EQ(matchPlace(slotAt(destination(kOrdener, 0, 1'001)), places), std::nullopt);
  EXPECT_EQ(matchPlace(slotAt(destination(east, 200, 999)), places), 2);
  EXPECT_EQ(matchPlace(slotAt(destination(east, 200, 1'001)), places), std::nullopt);
  EXPECT_EQ(matchPlace(slotAt(std::nullopt), places), std::nullopt);
}

TEST(PublisherFeed, NearerPlaceWinsAndTiesGoToTheSmallerId) {
  const auto slotPosition = destination(kOrdener, 0, 400);
  const std::vector<CandidatePlace> places = {place(9, destination(slotPosition, 90, 300)),
                                              place(4, destination(slotPosition, 270, 600))};
  EXPECT_EQ(matchPlace(slotAt(slotPosition), places), 9);
  // Two places at the very same point: the smaller id, whatever the order given.
  const std::vector<CandidatePlace> twins = {place(12, kOrdener), place(3, kOrdener),
                                             place(8, kOrdener)};
  EXPECT_EQ(matchPlace(slotAt(destination(kOrdener, 30, 100)), twins), 3);
}

TEST(PublisherFeed, PulledSlotsShownUntilThirtyMinutesOld) {
  EXPECT_TRUE(pulledSlotsShown(kNow, kNow));
  EXPECT_TRUE(pulledSlotsShown(kNow, kNow + minutes{30} - seconds{1}));
  EXPECT_FALSE(pulledSlotsShown(kNow, kNow + minutes{30}));
  EXPECT_FALSE(pulledSlotsShown(kNow, kNow + std::chrono::hours{5}));
}

TEST(PublisherFeed, RetryDelayDoublesUpToItsCeiling) {
  const milliseconds base{500};
  const milliseconds ceiling{3'000};
  EXPECT_EQ(retryDelay(1, base, ceiling), milliseconds{500});
  EXPECT_EQ(retryDelay(2, base, ceiling), milliseconds{1'000});
  EXPECT_EQ(retryDelay(3, base, ceiling), milliseconds{2'000});
  EXPECT_EQ(retryDelay(4, base, ceiling), milliseconds{3'000});  // 4,000 capped
  EXPECT_EQ(retryDelay(5, base, ceiling), milliseconds{3'000});
  EXPECT_EQ(retryDelay(1'000'000, base, ceiling), milliseconds{3'000});      // no overflow
  EXPECT_EQ(retryDelay(3, base, milliseconds{2'000}), milliseconds{2'000});  // exactly reached
  EXPECT_EQ(retryDelay(3, base, milliseconds{1'999}), milliseconds{1'999});
  EXPECT_EQ(retryDelay(1, milliseconds{5'000}, ceiling), milliseconds{3'000});
}

TEST(PublisherFeed, BreakerOpensAtTheThirdFailureInARow) {
  CircuitBreaker breaker;
  EXPECT_TRUE(breaker.allows(kNow));
  breaker.failed(kNow);
  breaker.failed(kNow + seconds{10});
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::Closed);
  EXPECT_EQ(breaker.failuresInARow(), 2);
  EXPECT_TRUE(breaker.allows(kNow + seconds{20}));
  breaker.failed(kNow + seconds{20});
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::Open);
  EXPECT_EQ(breaker.failuresInARow(), 3);
  EXPECT_EQ(breaker.openUntil(), kNow + seconds{20} + minutes{15});
  EXPECT_FALSE(breaker.allows(kNow + seconds{21}));
}

TEST(PublisherFeed, ASuccessBetweenFailuresStartsTheCountAgain) {
  CircuitBreaker breaker;
  breaker.failed(kNow);
  breaker.failed(kNow);
  breaker.succeeded();
  EXPECT_EQ(breaker.failuresInARow(), 0);
  breaker.failed(kNow);
  breaker.failed(kNow);
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::Closed);
  EXPECT_TRUE(breaker.allows(kNow));
}

TEST(PublisherFeed, BreakerStaysOpenUntilItsTimeThenTriesOnePull) {
  const BreakerSettings settings{2, seconds{600}};
  CircuitBreaker breaker(settings);
  breaker.failed(kNow);
  breaker.failed(kNow);
  ASSERT_EQ(breaker.state(), CircuitBreaker::State::Open);
  EXPECT_FALSE(breaker.allows(kNow + seconds{599}));
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::Open);
  EXPECT_TRUE(breaker.allows(kNow + seconds{600}));
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::HalfOpen);
  // One trial at a time: the others wait for its outcome.
  EXPECT_FALSE(breaker.allows(kNow + seconds{601}));
}

TEST(PublisherFeed, HalfOpenSuccessCloses) {
  CircuitBreaker breaker;
  for (int i = 0; i < 3; ++i) breaker.failed(kNow);
  ASSERT_TRUE(breaker.allows(kNow + minutes{15}));
  breaker.succeeded();
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::Closed);
  EXPECT_EQ(breaker.failuresInARow(), 0);
  EXPECT_TRUE(breaker.allows(kNow + minutes{15}));
  EXPECT_TRUE(breaker.allows(kNow + minutes{15}));
}

TEST(PublisherFeed, HalfOpenFailureOpensAgainForTheWholeTime) {
  CircuitBreaker breaker;
  for (int i = 0; i < 3; ++i) breaker.failed(kNow);
  const Instant trial = kNow + minutes{16};
  ASSERT_TRUE(breaker.allows(trial));
  breaker.failed(trial + seconds{5});  // one failure is enough when half open
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::Open);
  EXPECT_EQ(breaker.openUntil(), trial + seconds{5} + minutes{15});
  EXPECT_FALSE(breaker.allows(trial + seconds{5} + minutes{15} - seconds{1}));
  EXPECT_TRUE(breaker.allows(trial + seconds{5} + minutes{15}));
}

TEST(PublisherFeed, LateFailuresOfAnOpenBreakerDoNotPushItsTimeBack) {
  CircuitBreaker breaker;
  for (int i = 0; i < 3; ++i) breaker.failed(kNow);
  breaker.failed(kNow + minutes{5});  // a pull started before it opened
  EXPECT_EQ(breaker.openUntil(), kNow + minutes{15});
  EXPECT_TRUE(breaker.allows(kNow + minutes{15}));
}

}  // namespace
}  // namespace sas::domain
