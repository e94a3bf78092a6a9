// The search index's rules (docs/rules.md#search), each with a case that fails if the rule
// breaks, and a property test that compares the index with a plain scan of the same places.
#include "domain/search_index.hpp"

#include <gtest/gtest.h>

#include <GeographicLib/Geodesic.hpp>

#include <algorithm>
#include <limits>
#include <random>
#include <set>
#include <stdexcept>
#include <tuple>

#include "domain/search_text.hpp"
#include "support/days.hpp"

namespace sas::domain {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const date::time_zone& zone(const char* name) {
  const auto* z = findZone(name);
  if (!z) throw std::runtime_error(std::string{"missing zone "} + name);
  return *z;
}
const date::time_zone& paris() {
  return zone("Europe/Paris");
}

using test::ymd;

Instant local(const date::time_zone& z, Day day, int hour, int minute = 0) {
  return localToInstant(z, day, hour * 60 + minute);
}

const GeoPoint kCentre{48.85341, 2.34880};  // Paris, town hall

GeoPoint destination(GeoPoint from, double azimuth, double metres) {
  GeoPoint to;
  GeographicLib::Geodesic::WGS84().Direct(from.latitude, from.longitude, azimuth, metres,
                                          to.latitude, to.longitude);
  return to;
}

ConsultationTypes typesOf(std::initializer_list<ConsultationType> list) {
  ConsultationTypes t;
  for (auto x : list) t.add(x);
  return t;
}
const ConsultationTypes kOffice = typesOf({ConsultationType::Office});
const ConsultationTypes kTele = typesOf({ConsultationType::Teleconsultation});

Occurrence occurrence(const date::time_zone& z, Instant start, minutes length,
                      ConsultationTypes types = kOffice,
                      AvailabilityKind kind = AvailabilityKind::Slot, int capacity = 1) {
  Occurrence o;
  o.start = start;
  o.end = start + length;
  const auto day = localDay(z, start);
  o.values = {day,
              localMinute(z, start),
              localMinute(z, start) + static_cast<int>(length.count()),
              kind,
              capacity,
              types};
  o.originalDate = day;
  return o;
}

// Wednesday 4 March 2026, 10:00 in Paris: the window ends on Saturday 7 March at 00:00.
class SearchIndexTest : public ::testing::Test {
 protected:
  SearchIndexTest()
      : now_(local(paris(), ymd(2026, 3, 4), 10)), index_(now_, now_ + hours{24 * 8}) {}

  SearchPlace place(std::int64_t id, GeoPoint where, bool participates = true) {
    SearchPlace p;
    p.id = id;
    p.position = where;
    p.zone = &paris();
    p.participates = participates;
    p.acceptsContact = false;
    p.text = foldText("Centre de santé " + std::to_string(id) + " Médecine générale");
    return p;
  }

  // A place `metres` north-east of the centre with one créneau at 11:00 today.
  SearchPlace available(std::int64_t id, double metres, bool participates = true) {
    auto p = place(id, destination(kCentre, 45, metres), participates);
    p.occurrences.push_back(occurrence(paris(), local(paris(), ymd(2026, 3, 4), 11), minutes{30}));
    return p;
  }

  SearchQuery query() const {
    SearchQuery q;
    q.centre = kCentre;
    q.radiusMetres = 20'000;
    q.now = now_;
    q.limit = 100;
    return q;
  }

  std::vector<std::int64_t> ids(const SearchQuery& q) const {
    std::vector<std::int64_t> out;
    for (const auto& h : index_.search(q).hits) out.push_back(h.placeId);
    return out;
  }

  Instant now_;
  SearchIndex index_;
};

TEST_F(SearchIndexTest, RadiusIsInclusiveOnTheSpheroid) {
  index_.put(available(1, 19'999.99));
  index_.put(available(2, 20'000.01));
  index_.put(available(3, 150));
  EXPECT_EQ(ids(query()), (std::vector<std::int64_t>{3, 1}));
  auto q = query();
  q.radiusMetres = 20'000.02;
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{3, 1, 2}));
  q.radiusMetres = 100;
  EXPECT_TRUE(ids(q).empty());
}

// The index gives back where each place is, as put (the cards do not keep it), and forgets it
// with the place.
TEST_F(SearchIndexTest, APlaceIsWhereItWasPut) {
  const auto p = available(7, 3'210.5);
  index_.put(p);
  const auto hits = index_.search(query()).hits;
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].position, p.position);
  ASSERT_TRUE(index_.place(7, now_));
  EXPECT_EQ(index_.place(7, now_)->position, p.position);
  EXPECT_EQ(index_.position(7), p.position);
  EXPECT_FALSE(index_.position(8));
  index_.remove(7);
  EXPECT_FALSE(index_.position(7));
}

TEST_F(SearchIndexTest, DistanceIsTheGeodesic) {
  index_.put(available(1, 12'345.678));
  const auto hits = index_.search(query()).hits;
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NEAR(hits[0].distanceMetres, 12'345.678, 1e-6);
}

TEST_F(SearchIndexTest, WindowRunsFromNowToTheEndOfTheDayAfterTomorrow) {
  auto p = place(1, kCentre);
  const auto at = [](int d, int h, int m) { return local(paris(), ymd(2026, 3, d), h, m); };
  p.occurrences = {occurrence(paris(), at(4, 9, 45), minutes{60}),   // started: past
                   occurrence(paris(), at(4, 10, 0), minutes{15}),   // starts now: in
                   occurrence(paris(), at(6, 23, 45), minutes{14}),  // last quarter: in
                   occurrence(paris(), at(7, 0, 0), minutes{60})};   // Saturday: out
  index_.put(p);
  const auto hits = index_.search(query()).hits;
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].slots.size(), 2u);
  EXPECT_EQ(hits[0].slots[0].start, at(4, 10, 0));
  EXPECT_EQ(hits[0].slots[1].start, at(6, 23, 45));
  EXPECT_EQ(hits[0].earliestStart, at(4, 10, 0));

  // A place with only the past one or only Saturday's is not found.
  auto past = place(2, kCentre);
  past.occurrences = {occurrence(paris(), at(4, 9, 59), minutes{120}),
                      occurrence(paris(), at(7, 0, 0), minutes{60})};
  index_.put(past);
  EXPECT_EQ(ids(query()), (std::vector<std::int64_t>{1}));
}

// SPEC §10 « Past »: plage Wednesday 09h00–12h00 for 3 is searched until 11h30 (that second
// included, as a créneau at its start second), a créneau until its start.
TEST_F(SearchIndexTest, APlageStaysSearchedUntilThirtyMinutesBeforeItsEnd) {
  const auto today = ymd(2026, 3, 4);
  auto p = place(1, kCentre);
  p.occurrences = {occurrence(paris(), local(paris(), today, 9), minutes{180}, kOffice,
                              AvailabilityKind::Range, 3)};
  index_.put(p);  // started before the horizon (10h00): kept, being still offered
  auto creneau = place(2, destination(kCentre, 0, 100));
  creneau.occurrences = {occurrence(paris(), local(paris(), today, 11), minutes{30})};
  index_.put(creneau);
  const auto close = local(paris(), today, 11, 30);
  const auto at = [&](Instant now) {
    auto q = query();
    q.now = now;
    return ids(q);
  };
  EXPECT_EQ(at(now_), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(at(local(paris(), today, 11)), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(at(local(paris(), today, 11) + std::chrono::seconds{1}),
            (std::vector<std::int64_t>{1}));  // the créneau leaves at its start, as before
  EXPECT_EQ(at(close - std::chrono::seconds{1}), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(at(close), (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(at(close + std::chrono::seconds{1}).empty());

  // The slot is the whole plage, as it is shown (« 09h00 - 12h00 », capacity 3).
  auto q = query();
  q.now = close;
  const auto hits = index_.search(q).hits;
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].slots.size(), 1u);
  EXPECT_EQ(hits[0].slots[0].start, local(paris(), today, 9));
  EXPECT_EQ(hits[0].slots[0].end, local(paris(), today, 12));
  EXPECT_EQ(hits[0].slots[0].capacity, 3);
  EXPECT_EQ(hits[0].earliestStart, local(paris(), today, 9));

  // The sheet follows the same rule.
  ASSERT_TRUE(index_.place(1, close));
  EXPECT_EQ(index_.place(1, close)->slots.size(), 1u);
  EXPECT_TRUE(index_.place(1, close + std::chrono::seconds{1})->slots.empty());
  EXPECT_FALSE(index_.place(1, close + std::chrono::seconds{1})->available);
}

// Starts are kept as 22-bit seconds from a week before the horizon's start: a horizon of up to
// 2^22 s less that week (41 days and a half) is held to the second, a longer one refused.
TEST(SearchIndexHorizon, MustLieWithinTheSpanTheSlotsCanHold) {
  const Instant start = local(paris(), ymd(2026, 3, 4), 8) + std::chrono::seconds{17};
  const std::chrono::seconds longest{(1 << 22) - 1 - 7 * 86'400};
  EXPECT_NO_THROW(SearchIndex(start, start + longest));
  EXPECT_THROW(SearchIndex(start, start + longest + std::chrono::seconds{1}), std::out_of_range);
  EXPECT_THROW(SearchIndex(start, start - std::chrono::seconds{1}), std::out_of_range);

  // At both ends of that span, a slot comes back to the second.
  SearchIndex index(start, start + longest);
  SearchPlace p;
  p.id = 1;
  p.position = {48.85, 2.35};
  p.zone = &paris();
  Occurrence last;
  last.start = start + longest - std::chrono::seconds{1};
  last.end = last.start + std::chrono::seconds{61};
  last.values.types = kOffice;
  Occurrence first = last;
  first.start = start;
  first.end = start + std::chrono::seconds{1};
  p.occurrences = {last, first};
  index.put(p);
  index.prepare();
  const auto early = index.freeSlots(1, start, start, start);
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].start, first.start);
  EXPECT_EQ(early[0].end, first.end);
  const auto late = index.freeSlots(1, last.start, last.start, last.start);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].start, last.start);
  EXPECT_EQ(late[0].end, last.end);
}

TEST(SearchIndexPlageClose, TheSettingIsHonoured) {
  const auto today = ymd(2026, 3, 4);
  const auto horizon = local(paris(), today, 8);
  SearchPlace p;
  p.id = 1;
  p.position = kCentre;
  p.zone = &paris();
  p.occurrences = {occurrence(paris(), local(paris(), today, 9), minutes{180}, kOffice,
                              AvailabilityKind::Range, 3)};
  const auto found = [&](const SearchIndex& index, Instant now) {
    SearchQuery q;
    q.centre = kCentre;
    q.now = now;
    return index.search(q).total == 1;
  };
  using std::chrono::seconds;
  SearchIndex upToItsEnd(horizon, horizon + hours{24 * 8}, minutes{0});
  upToItsEnd.put(p);
  EXPECT_TRUE(found(upToItsEnd, local(paris(), today, 12) - seconds{1}));
  EXPECT_TRUE(found(upToItsEnd, local(paris(), today, 12)));
  EXPECT_FALSE(found(upToItsEnd, local(paris(), today, 12) + seconds{1}));

  SearchIndex fortyFive(horizon, horizon + hours{24 * 8}, minutes{45});
  fortyFive.put(p);
  EXPECT_TRUE(found(fortyFive, local(paris(), today, 11, 15) - seconds{1}));
  EXPECT_TRUE(found(fortyFive, local(paris(), today, 11, 15)));
  EXPECT_FALSE(found(fortyFive, local(paris(), today, 11, 15) + seconds{1}));

  // A plage shorter than the setting is offered as a créneau: up to its start.
  SearchIndex fourHours(horizon, horizon + hours{24 * 8}, hours{4});
  fourHours.put(p);
  EXPECT_TRUE(found(fourHours, local(paris(), today, 9)));
  EXPECT_FALSE(found(fourHours, local(paris(), today, 9) + seconds{1}));
}

// A plage from 22h00 the evening before the horizon's day to 02h00 is still offered at 00h30
// (until 01h30), and counts as one of today's.
TEST(SearchIndexPlageClose, APlageOfTheEveningBeforeIsStillOffered) {
  const auto tuesday = ymd(2026, 3, 3);
  const auto wednesday = ymd(2026, 3, 4);
  const auto horizon = local(paris(), wednesday, 0, 10);
  SearchIndex index(horizon, horizon + hours{24 * 8});
  SearchPlace p;
  p.id = 1;
  p.position = kCentre;
  p.zone = &paris();
  p.occurrences = {occurrence(paris(), local(paris(), tuesday, 22), minutes{240}, kOffice,
                              AvailabilityKind::Range, 2),
                   occurrence(paris(), local(paris(), tuesday, 20), minutes{30})};
  index.put(p);
  index.prepare();
  SearchQuery q;
  q.centre = kCentre;
  q.now = local(paris(), wednesday, 0, 30);
  auto answer = index.search(q);
  ASSERT_EQ(answer.hits.size(), 1u);
  ASSERT_EQ(answer.hits[0].slots.size(), 1u);
  EXPECT_EQ(answer.hits[0].slots[0].start, local(paris(), tuesday, 22));
  q.now = local(paris(), wednesday, 1, 30);
  EXPECT_EQ(index.search(q).total, 1u);
  q.now += std::chrono::seconds{1};
  EXPECT_EQ(index.search(q).total, 0u);
}

// « Disponible sous » counts a started plage from now: at 10h00, 09h00–12h00 is in 0–4 h only.
TEST_F(SearchIndexTest, AvailableWithinCountsAStartedPlageFromNow) {
  auto p = place(1, kCentre);
  p.occurrences = {occurrence(paris(), local(paris(), ymd(2026, 3, 4), 9), minutes{180}, kOffice,
                              AvailabilityKind::Range, 3)};
  index_.put(p);
  auto q = query();
  q.within = {{0, 4}};
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{1}));
  q.within = {{4, 8}};
  EXPECT_TRUE(ids(q).empty());
}

TEST_F(SearchIndexTest, TheAnswerCountsThePlacesWithAvailabilities) {
  index_.put(available(1, 100));
  index_.put(available(2, 200));
  auto without = place(3, destination(kCentre, 90, 300));
  without.acceptsContact = true;
  index_.put(without);
  auto q = query();
  EXPECT_EQ(index_.search(q).available, 2u);
  q.mode = SearchMode::BeyondAvailabilities;
  auto contact = available(4, 400);
  contact.acceptsContact = true;
  index_.put(contact);
  const auto answer = index_.search(q);
  EXPECT_EQ(answer.total, 2u);      // 3 and 4 accept contact
  EXPECT_EQ(answer.available, 1u);  // 4 only has an availability
  q.limit = 0;
  EXPECT_EQ(index_.search(q).available, 1u);  // counted without a page too
}

TEST_F(SearchIndexTest, WindowEndsAtThePlacesOwnMidnight) {
  // La Réunion is UTC+4, Paris UTC+1 in March: its Saturday starts on Friday at 21:00 Paris.
  const auto& reunion = zone("Indian/Reunion");
  EXPECT_EQ(windowEnd(reunion, now_), local(paris(), ymd(2026, 3, 6), 21));
  EXPECT_EQ(windowEnd(paris(), now_), local(paris(), ymd(2026, 3, 7), 0));
  auto p = place(1, {-20.88231, 55.45040});
  p.zone = &reunion;
  p.occurrences = {occurrence(reunion, local(reunion, ymd(2026, 3, 6), 23, 45), minutes{14}),
                   occurrence(reunion, local(reunion, ymd(2026, 3, 7), 0, 0), minutes{60})};
  index_.put(p);
  auto q = query();
  q.centre = {-20.9, 55.45};
  const auto hits = index_.search(q).hits;
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].slots.size(), 1u);
  EXPECT_EQ(hits[0].zone, &reunion);
}

TEST_F(SearchIndexTest, AnOccurrenceThatOverlapsAPeriodIsHidden) {
  auto p = place(1, kCentre);
  // Period on Friday 6 March: Thursday 23:30–00:30 overlaps it, Thursday 22:00–00:00 touches it.
  p.unavailability.periods = {{ymd(2026, 3, 6), ymd(2026, 3, 6)}};
  const auto thursday = ymd(2026, 3, 5);
  p.occurrences = {occurrence(paris(), local(paris(), thursday, 23, 30), minutes{60}),
                   occurrence(paris(), local(paris(), thursday, 22), minutes{120}),
                   occurrence(paris(), local(paris(), ymd(2026, 3, 6), 10), minutes{60})};
  index_.put(p);
  const auto hits = index_.search(query()).hits;
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].slots.size(), 1u);
  EXPECT_EQ(hits[0].slots[0].start, local(paris(), thursday, 22));
}

TEST_F(SearchIndexTest, APlaceUnavailableNowIsLeftOutInEveryMode) {
  auto inForce = available(1, 100);
  inForce.acceptsContact = true;
  inForce.unavailability.periods = {{ymd(2026, 3, 3), ymd(2026, 3, 4)}};
  inForce.occurrences.push_back(
      occurrence(paris(), local(paris(), ymd(2026, 3, 6), 10), minutes{60}));
  auto indefinite = available(2, 200);
  indefinite.acceptsContact = true;
  indefinite.unavailability.indefinite = true;
  index_.put(inForce);
  index_.put(indefinite);
  index_.put(available(3, 300));
  EXPECT_EQ(ids(query()), (std::vector<std::int64_t>{3}));
  auto q = query();
  q.mode = SearchMode::BeyondAvailabilities;
  EXPECT_TRUE(ids(q).empty());
  // The next day the period is over: its Friday occurrence shows again.
  q = query();
  q.now = local(paris(), ymd(2026, 3, 5), 0);
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{1}));
}

TEST_F(SearchIndexTest, TypesFilterPlacesAndTheirSlots) {
  auto p = place(1, kCentre);
  p.occurrences = {occurrence(paris(), local(paris(), ymd(2026, 3, 4), 11), minutes{30}, kTele),
                   occurrence(paris(), local(paris(), ymd(2026, 3, 4), 12), minutes{30},
                              typesOf({ConsultationType::Office, ConsultationType::HomeVisit}))};
  index_.put(p);
  auto q = query();
  q.types = kTele;
  auto hits = index_.search(q).hits;
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].slots.size(), 1u);
  EXPECT_EQ(hits[0].slots[0].types, kTele);
  q.types = typesOf({ConsultationType::HomeVisit});
  hits = index_.search(q).hits;
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].earliestStart, local(paris(), ymd(2026, 3, 4), 12));
  q.types = typesOf({ConsultationType::HomeVisit, ConsultationType::Teleconsultation});
  EXPECT_EQ(index_.search(q).hits.at(0).slots.size(), 2u);
  auto onlyTele = place(2, kCentre);
  onlyTele.occurrences = {
      occurrence(paris(), local(paris(), ymd(2026, 3, 4), 11), minutes{30}, kTele)};
  index_.put(onlyTele);
  q.types = kOffice;
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{1}));
}

TEST_F(SearchIndexTest, AvailableWithinMatchesOverlapsWithTheTickedIntervals) {
  auto p = place(1, kCentre);
  const auto today = ymd(2026, 3, 4);
  // now is 10:00: [0 h, 4 h) is 10:00–14:00, [4 h, 8 h) is 14:00–18:00.
  p.occurrences = {occurrence(paris(), local(paris(), today, 13, 45), minutes{15}),
                   occurrence(paris(), local(paris(), today, 12, 0), minutes{120}),
                   occurrence(paris(), local(paris(), today, 17, 45), minutes{45}),
                   occurrence(paris(), local(paris(), today, 18, 0), minutes{60})};
  index_.put(p);
  auto q = query();
  q.within = {{4, 8}};
  auto hits = index_.search(q).hits;
  ASSERT_EQ(hits.size(), 1u);
  // 12:00–14:00 ends where the interval starts, 18:00 starts where it ends: only 17:45.
  ASSERT_EQ(hits[0].slots.size(), 1u);
  EXPECT_EQ(hits[0].slots[0].start, local(paris(), today, 17, 45));
  q.within = {{0, 4}};
  hits = index_.search(q).hits;
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].slots.size(), 2u);
  q.within = {{12, 24}};
  EXPECT_TRUE(ids(q).empty());
  q.within = {{4, 8}, {8, 12}};
  EXPECT_EQ(index_.search(q).hits.at(0).slots.size(), 2u);
}

TEST_F(SearchIndexTest, ParticipantsComeFirstThenByDistanceThenById) {
  index_.put(available(1, 5'000, false));
  index_.put(available(2, 9'000, true));
  index_.put(available(3, 1'000, false));
  index_.put(available(4, 9'000, true));  // same place as 2: by id
  index_.put(available(5, 7'000, true));
  EXPECT_EQ(ids(query()), (std::vector<std::int64_t>{5, 2, 4, 3, 1}));
}

// The first page comes from two walks outward (participants, then the others): a lone
// participant far out still heads a page that near non-participants would fill, and the page's
// last place, beyond many full cells, is still the nearest of the rest.
TEST_F(SearchIndexTest, AFarParticipantHeadsAPageOfNearNonParticipants) {
  for (int k = 0; k < 300; ++k) index_.put(available(100 + k, 200.0 + 30 * k, false));
  index_.put(available(1, 140'000, true));
  index_.put(available(2, 150'001, true));  // outside the radius by a metre
  index_.prepare();
  auto q = query();
  q.radiusMetres = 150'000;
  q.limit = 3;
  q.countLimit = 50;
  const auto answer = index_.search(q);
  ASSERT_EQ(answer.hits.size(), 3u);
  EXPECT_EQ(answer.hits[0].placeId, 1);
  EXPECT_EQ(answer.hits[1].placeId, 100);
  EXPECT_EQ(answer.hits[2].placeId, 101);
  EXPECT_TRUE(answer.totalIsLowerBound);
  EXPECT_EQ(answer.total, 50u);
  q.countLimit = 1000;
  q.offset = 299;
  q.limit = 5;
  const auto last = index_.search(q);
  EXPECT_EQ(last.total, 301u);
  EXPECT_FALSE(last.totalIsLowerBound);
  ASSERT_EQ(last.hits.size(), 2u);
  EXPECT_EQ(last.hits[0].placeId, 398);
  EXPECT_EQ(last.hits[1].placeId, 399);
}

TEST_F(SearchIndexTest, BeyondAvailabilitiesListsPlacesThatAcceptContact) {
  auto withSlots = available(1, 3'000, false);
  withSlots.acceptsContact = true;
  auto withoutSlots = place(2, destination(kCentre, 0, 1'000));
  withoutSlots.acceptsContact = true;
  auto refuses = available(3, 500);
  auto nonParticipantWithout = place(4, destination(kCentre, 0, 100), false);
  nonParticipantWithout.acceptsContact = true;
  index_.put(withSlots);
  index_.put(withoutSlots);
  index_.put(refuses);
  index_.put(nonParticipantWithout);
  auto q = query();
  q.mode = SearchMode::BeyondAvailabilities;
  const auto answer = index_.search(q);
  EXPECT_EQ(answer.total, 3u);
  ASSERT_EQ(answer.hits.size(), 3u);
  EXPECT_EQ(answer.hits[0].placeId, 1);
  EXPECT_TRUE(answer.hits[0].available);
  EXPECT_EQ(answer.hits[1].placeId, 2);
  EXPECT_FALSE(answer.hits[1].available);
  EXPECT_EQ(answer.hits[2].placeId, 4);
  EXPECT_EQ(ids(query()), (std::vector<std::int64_t>{3, 1}));
}

TEST_F(SearchIndexTest, TextMatchesNameTypeAndSpecialties) {
  auto pediatrics = available(1, 1'000);
  pediatrics.text = foldText("Maison de santé pluriprofessionnelle des Lilas Pédiatrie");
  auto sos = available(2, 2'000);
  sos.text = foldText("SOS Médecins Paris SOS Médecins Médecine générale");
  index_.put(pediatrics);
  index_.put(sos);
  auto q = query();
  q.words = searchWords("pédiatre");
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{1}));
  q.words = searchWords("sos médecins");
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{2}));
  q.words = searchWords("maison de santé");
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{1}));
  q.words = searchWords("cardiologie");
  EXPECT_TRUE(ids(q).empty());
}

TEST_F(SearchIndexTest, RandomOrderIsStableForASeedAndPagesNeitherRepeatNorSkip) {
  for (int i = 1; i <= 45; ++i) index_.put(available(i, 100.0 * i, i % 3 != 0));
  auto q = query();
  q.order = SearchOrder::Random;
  q.seed = 424242;
  const auto all = ids(q);
  ASSERT_EQ(all.size(), 45u);
  std::vector<std::int64_t> paged;
  for (std::size_t offset = 0; offset < 45; offset += 10) {
    q.offset = offset;
    q.limit = 10;
    const auto page = index_.search(q);
    EXPECT_EQ(page.total, 45u);
    for (const auto& h : page.hits) paged.push_back(h.placeId);
  }
  EXPECT_EQ(paged, all);
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), 45u);
  // Participants (i % 3 != 0) first, whatever the draw.
  for (std::size_t k = 0; k < 30; ++k) EXPECT_NE(all[k] % 3, 0) << k;
  // Not the distance order, and another seed gives another order.
  std::vector<std::int64_t> byDistance = all;
  std::sort(byDistance.begin(), byDistance.begin() + 30);
  EXPECT_NE(std::vector<std::int64_t>(all.begin(), all.begin() + 30),
            std::vector<std::int64_t>(byDistance.begin(), byDistance.begin() + 30));
  q.offset = 0;
  q.limit = 100;
  q.seed = 7;
  EXPECT_NE(ids(q), all);
}

TEST_F(SearchIndexTest, PagingCountsEverythingAndReturnsTheAskedSlice) {
  for (int i = 1; i <= 25; ++i) index_.put(available(i, 500.0 * i));
  auto q = query();
  q.limit = 10;
  q.offset = 20;
  const auto page = index_.search(q);
  EXPECT_EQ(page.total, 25u);
  ASSERT_EQ(page.hits.size(), 5u);
  EXPECT_EQ(page.hits[0].placeId, 21);
  q.offset = 25;
  EXPECT_TRUE(index_.search(q).hits.empty());
  EXPECT_EQ(index_.search(q).total, 25u);
}

// « Exact up to the cut-off »: a count equal to it is exact; one more and it is a lower bound.
TEST_F(SearchIndexTest, TheCountIsExactUpToTheCutOffThenALowerBound) {
  auto q = query();
  q.limit = 2;
  q.countLimit = 3;
  const auto count = [&](int places) {
    for (int i = 1; i <= places; ++i) index_.put(available(i, 1'000.0 * i));
    const auto answer = index_.search(q);
    for (int i = 1; i <= places; ++i) index_.remove(i);
    return answer;
  };
  for (const auto& [places, total, lowerBound] :
       {std::tuple{2, 2u, false}, std::tuple{3, 3u, false}, std::tuple{4, 3u, true},
        std::tuple{40, 3u, true}}) {
    const auto answer = count(places);
    EXPECT_EQ(answer.total, total) << places;
    EXPECT_EQ(answer.available, total) << places;
    EXPECT_EQ(answer.totalIsLowerBound, lowerBound) << places;
    ASSERT_EQ(answer.hits.size(), 2u) << places;
    EXPECT_EQ(answer.hits[0].placeId, 1);
    EXPECT_EQ(answer.hits[1].placeId, 2);
  }
  q.countLimit = 4;  // the other side of the same boundary
  EXPECT_FALSE(count(4).totalIsLowerBound);
  EXPECT_EQ(count(4).total, 4u);
  EXPECT_TRUE(count(5).totalIsLowerBound);
  EXPECT_EQ(count(5).total, 4u);
}

TEST_F(SearchIndexTest, PagesPastTheCountedOnesAreExact) {
  for (int i = 1; i <= 60; ++i) index_.put(available(i, 300.0 * i, i % 4 != 0));
  index_.prepare();
  for (const auto order : {SearchOrder::Distance, SearchOrder::Random}) {
    auto q = query();
    q.order = order;
    q.seed = 99;
    q.limit = 100;
    const auto all = ids(q);
    ASSERT_EQ(all.size(), 60u);
    q.countLimit = 5;
    q.limit = 7;
    for (std::size_t offset = 0; offset < 70; offset += 7) {
      q.offset = offset;
      const auto page = index_.search(q);
      EXPECT_EQ(page.total, 5u);
      EXPECT_TRUE(page.totalIsLowerBound);
      std::vector<std::int64_t> got;
      for (const auto& h : page.hits) got.push_back(h.placeId);
      const std::vector<std::int64_t> want(
          all.begin() + static_cast<long>(std::min(offset, all.size())),
          all.begin() + static_cast<long>(std::min(offset + 7, all.size())));
      EXPECT_EQ(got, want) << "offset " << offset;
    }
  }
}

// In the « en sus » mode the count goes on until places with availabilities pass the cut-off
// too, so that a bounded `available` is never taken for « fewer than 5 ».
TEST_F(SearchIndexTest, ABoundedCountNeverUndercountsThePlacesWithAvailabilities) {
  for (int i = 1; i <= 20; ++i) {
    auto p = place(i, destination(kCentre, 0, 200.0 * i));
    p.acceptsContact = true;
    index_.put(p);
  }
  for (int i = 21; i <= 24; ++i) {
    auto p = available(i, 10'000.0 + 200 * i);
    p.acceptsContact = true;
    index_.put(p);
  }
  auto q = query();
  q.mode = SearchMode::BeyondAvailabilities;
  q.limit = 2;
  q.countLimit = 3;
  auto answer = index_.search(q);
  EXPECT_EQ(answer.total, 3u);
  EXPECT_TRUE(answer.totalIsLowerBound);
  EXPECT_EQ(answer.available, 3u);
  EXPECT_EQ(answer.hits[0].placeId, 21);
  q.countLimit = 5;
  answer = index_.search(q);
  EXPECT_EQ(answer.total, 5u);
  EXPECT_EQ(answer.available, 4u);  // all of them: exact under the cut-off
}

TEST_F(SearchIndexTest, PutReplacesAndRemoveForgets) {
  index_.put(available(1, 1'000));
  EXPECT_EQ(index_.placeCount(), 1u);
  EXPECT_EQ(index_.slotCount(), 1u);
  auto moved = place(1, destination(kCentre, 90, 50'000));  // another cell, nothing today
  moved.occurrences.push_back(occurrence(paris(), local(paris(), ymd(2026, 3, 5), 9), minutes{30}));
  index_.put(moved);
  EXPECT_TRUE(ids(query()).empty());
  auto q = query();
  q.centre = destination(kCentre, 90, 50'000);
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(index_.placeCount(), 1u);
  index_.remove(1);
  EXPECT_TRUE(ids(q).empty());
  EXPECT_EQ(index_.slotCount(), 0u);
}

// A build's cells given back their spare memory answer as before, and take changes as before.
TEST_F(SearchIndexTest, ShrinkingAfterABuildChangesNoAnswer) {
  for (std::int64_t id = 1; id <= 40; ++id) {
    auto p = available(id, 300.0 * static_cast<double>(id), id % 3 != 0);
    p.occurrences.push_back(occurrence(
        paris(), local(paris(), ymd(2026, 3, 5), 8 + static_cast<int>(id % 9)), minutes{20}));
    index_.put(p);
  }
  index_.prepare();
  const auto answer = [&] {
    std::vector<std::pair<std::int64_t, std::size_t>> out;
    for (const auto& h : index_.search(query()).hits) out.emplace_back(h.placeId, h.slots.size());
    return out;
  };
  const auto before = answer();
  ASSERT_EQ(before.size(), 40u);
  index_.shrinkToFit();
  EXPECT_EQ(answer(), before);
  EXPECT_EQ(index_.slotCount(), 80u);
  index_.remove(7);
  index_.put(available(41, 100));
  index_.prepare();
  const auto after = answer();
  ASSERT_EQ(after.size(), 40u);
  EXPECT_EQ(after.front(), (std::pair<std::int64_t, std::size_t>{41, 1}));
  EXPECT_EQ(index_.slotCount(), 79u);
}

// The cells a change touched are counted again by the next prepare(), however many times it
// ran before: a change leaves no cell to be read place by place until the next build.
TEST_F(SearchIndexTest, PrepareCountsEveryCellChangedSinceTheLastOne) {
  EXPECT_EQ(index_.staleCellCount(), 0u);
  index_.put(available(1, 1'000));
  index_.put(available(2, 60'000));
  EXPECT_EQ(index_.staleCellCount(), 4u);  // two squares, a cell for each kind
  index_.prepare();
  EXPECT_EQ(index_.staleCellCount(), 0u);
  for (int round = 0; round < 3; ++round) {
    index_.put(available(1, 1'000 + 10 * round));
    EXPECT_EQ(index_.staleCellCount(), 1u) << "round " << round;
    index_.prepare();
    EXPECT_EQ(index_.staleCellCount(), 0u) << "round " << round;
  }
  index_.remove(2);
  EXPECT_EQ(index_.staleCellCount(), 1u);
  index_.prepare();
  EXPECT_EQ(index_.staleCellCount(), 0u);
}

// 180° east and 180° west are one meridian (Wallis-et-Futuna lies near it): a place on it
// keeps to its own row's last column, not the next row's first.
// No valid latitude lies past a pole, but one read from bad data must not break the grid: the
// place is kept in the last row on its side, found where it is put, searched near it (what its
// distance is, no rule says) and removed.
TEST_F(SearchIndexTest, ALatitudePastAPoleIsKeptInTheLastRow) {
  auto north = place(1, GeoPoint{90.02, 10.0});
  auto south = place(2, GeoPoint{-95.0, 10.0});
  for (auto* p : {&north, &south})
    p->occurrences.push_back(occurrence(paris(), local(paris(), ymd(2026, 3, 5), 9), minutes{30}));
  index_.put(north);
  index_.put(south);
  EXPECT_EQ(index_.position(1), (GeoPoint{90.02, 10.0}));
  EXPECT_EQ(index_.position(2), (GeoPoint{-95.0, 10.0}));
  auto q = query();
  q.centre = GeoPoint{89.99, 10.0};
  q.radiusMetres = 10'000;
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{1}));
  q.centre = GeoPoint{-89.99, 10.0};
  q.radiusMetres = 300'000;  // the box reaches past the pole: its rows stop at the last
  EXPECT_LE(ids(q).size(), 1u);
  index_.remove(1);
  index_.remove(2);
  EXPECT_EQ(index_.placeCount(), 0u);
  EXPECT_EQ(index_.slotCount(), 0u);
}

TEST_F(SearchIndexTest, APlaceOnTheAntimeridianStaysInItsOwnRow) {
  auto east = place(1, GeoPoint{-14.32, 180.0});
  auto west = place(2, GeoPoint{-14.27, -180.0});  // the row above
  for (auto* p : {&east, &west})
    p->occurrences.push_back(occurrence(paris(), local(paris(), ymd(2026, 3, 5), 9), minutes{30}));
  index_.put(west);
  index_.put(east);
  auto q = query();
  q.centre = GeoPoint{-14.32, 179.99};
  q.radiusMetres = 5'000;
  EXPECT_EQ(ids(q), (std::vector<std::int64_t>{1}));
  index_.remove(1);
  index_.remove(2);
  EXPECT_TRUE(ids(q).empty());
  EXPECT_EQ(index_.slotCount(), 0u);
}

TEST_F(SearchIndexTest, AnOrientationToldInProcessCountsAndAFullOneLeaves) {
  auto p = place(1, destination(kCentre, 45, 1'000));
  auto plage = occurrence(paris(), local(paris(), ymd(2026, 3, 4), 14), minutes{120}, kOffice,
                          AvailabilityKind::Range, 3);
  p.occurrences.push_back(plage);
  index_.put(p);
  plage.taken = 2;
  ASSERT_TRUE(index_.setTaken(1, plage));
  plage.taken = 1;  // told late: the higher count stays
  ASSERT_TRUE(index_.setTaken(1, plage));
  auto hits = index_.search(query()).hits;
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].slots.size(), 1u);
  EXPECT_EQ(hits[0].slots[0].taken, 2);
  plage.taken = 3;  // full: it leaves the search, and the place with it (nothing else today)
  ASSERT_TRUE(index_.setTaken(1, plage));  // its cell recounted: no prepare() needed
  EXPECT_TRUE(ids(query()).empty());
  EXPECT_EQ(index_.slotCount(), 0u);
  EXPECT_EQ(index_.placeCount(), 1u);
  // Unknown to the index: nothing changed, the caller reads the place.
  EXPECT_FALSE(index_.setTaken(1, plage));
  EXPECT_FALSE(index_.setTaken(2, plage));
}

TEST_F(SearchIndexTest, APublishersSlotIsFoundWithItsPublisherButNeitherTakenNorPublishedAgain) {
  auto p = place(1, destination(kCentre, 45, 1'000));
  auto ours = occurrence(paris(), local(paris(), ymd(2026, 3, 4), 14), minutes{20});
  auto pulled = occurrence(paris(), local(paris(), ymd(2026, 3, 4), 15), minutes{15}, kTele);
  pulled.publisher = 70'000;  // past 10 bits: kept whole in its 20
  auto other = occurrence(paris(), local(paris(), ymd(2026, 3, 4), 16), minutes{15});
  other.publisher = 2'000'000;  // past 20 bits: kept as the largest id the index holds
  p.occurrences = {ours, pulled, other};
  index_.put(p);
  auto hits = index_.search(query()).hits;
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].slots.size(), 3u);
  EXPECT_EQ(hits[0].slots[0].publisher, 0);
  EXPECT_EQ(hits[0].slots[0].capacity, 1);
  EXPECT_EQ(hits[0].slots[1].publisher, 70'000);
  EXPECT_EQ(hits[0].slots[1].types, kTele);
  EXPECT_EQ(hits[0].slots[1].capacity, 1);
  EXPECT_EQ(hits[0].slots[1].taken, 0);
  EXPECT_EQ(hits[0].slots[2].publisher, 1'048'575);
  // An orientation names one of ours: a publisher's slot alike in time is not it.
  auto taken = other;
  taken.publisher = 0;
  taken.taken = 1;
  EXPECT_FALSE(index_.setTaken(1, taken));
  // The FHIR publisher gives only our own slots.
  const auto free = index_.freeSlots(1, now_, now_, now_ + hours{24});
  ASSERT_EQ(free.size(), 1u);
  EXPECT_EQ(free[0].start, ours.start);
  // Put again from what the index holds (an orientation that fills a slot does it).
  ours.taken = 1;
  ASSERT_TRUE(index_.setTaken(1, ours));
  hits = index_.search(query()).hits;
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].slots.size(), 2u);
  EXPECT_EQ(hits[0].slots[0].publisher, 70'000);
  EXPECT_EQ(hits[0].slots[1].publisher, 1'048'575);
}

// Kept in 8 bytes (docs/rules.md#search): a duration of up to 2^17 − 1 s (36 h 24 min 31 s) and a
// capacity and a count of up to 1,023 to the unit; a longer occurrence is not kept, a larger
// capacity shown as 1,023 (with room while it has some).
TEST_F(SearchIndexTest, AnOccurrenceIsKeptExactlyUpToTheLongestAndLargestTheIndexHolds) {
  const std::chrono::seconds longest{(1 << 17) - 1};
  const auto at = local(paris(), ymd(2026, 3, 4), 9);
  auto longPlage = occurrence(paris(), at, minutes{0}, kOffice, AvailabilityKind::Range, 1'023);
  longPlage.end = at + longest;
  longPlage.taken = 1'022;
  auto tooLong = longPlage;
  tooLong.start += std::chrono::seconds{1};
  tooLong.end = tooLong.start + longest + std::chrono::seconds{1};
  auto big = occurrence(paris(), local(paris(), ymd(2026, 3, 4), 16), minutes{60}, kOffice,
                        AvailabilityKind::Range, 5'000);
  big.taken = 1'500;
  auto p = place(1, destination(kCentre, 45, 1'000));
  p.occurrences = {longPlage, tooLong, big};
  index_.put(p);
  index_.prepare();
  const auto hits = index_.search(query()).hits;
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].slots.size(), 2u);
  EXPECT_EQ(hits[0].slots[0].start, longPlage.start);
  EXPECT_EQ(hits[0].slots[0].end, longPlage.end);
  EXPECT_EQ(hits[0].slots[0].capacity, 1'023);
  EXPECT_EQ(hits[0].slots[0].taken, 1'022);
  EXPECT_EQ(hits[0].slots[1].start, big.start);
  EXPECT_EQ(hits[0].slots[1].capacity, 1'023);
  EXPECT_EQ(hits[0].slots[1].taken, 1'022);  // still with room, as it is
  EXPECT_EQ(index_.slotCount(), 2u);
  // The one not kept is not told apart in process either: the caller reads the place.
  tooLong.taken = 1;
  EXPECT_FALSE(index_.setTaken(1, tooLong));
  longPlage.taken = 1'023;  // full: it leaves
  ASSERT_TRUE(index_.setTaken(1, longPlage));
  EXPECT_EQ(index_.slotCount(), 1u);
}

TEST_F(SearchIndexTest, TwoOccurrencesAlikeAreNotToldApartInProcess) {
  auto p = place(1, destination(kCentre, 45, 1'000));
  const auto plage = occurrence(paris(), local(paris(), ymd(2026, 3, 4), 14), minutes{60}, kOffice,
                                AvailabilityKind::Range, 2);
  p.occurrences = {plage, plage};
  p.occurrences[0].availabilityId = 1;
  p.occurrences[1].availabilityId = 2;
  index_.put(p);
  auto taken = plage;
  taken.taken = 1;
  EXPECT_FALSE(index_.setTaken(1, taken));
  const auto hits = index_.search(query()).hits;
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].slots.size(), 2u);
  EXPECT_EQ(hits[0].slots[0].taken + hits[0].slots[1].taken, 0);
}

TEST_F(SearchIndexTest, PlaceGivesTheSheetsSlotsAndState) {
  auto p = available(1, 10);
  p.unavailability.periods = {{ymd(2026, 3, 4), ymd(2026, 3, 4)}};
  p.occurrences.push_back(occurrence(paris(), local(paris(), ymd(2026, 3, 5), 9), minutes{30}));
  index_.put(p);
  const auto sheet = index_.place(1, now_);
  ASSERT_TRUE(sheet);
  EXPECT_TRUE(sheet->unavailableNow);
  EXPECT_EQ(sheet->slots.size(), 1u);  // today's overlaps the period
  EXPECT_FALSE(index_.place(2, now_));
}

// What other systems read (the FHIR publisher): the occurrences starting in [from, to] that are
// still offered, have room and are not hidden, past the search's own window.
TEST_F(SearchIndexTest, FreeSlotsStartInTheBoundsAndAreStillOffered) {
  auto p = place(1, destination(kCentre, 45, 1'000));
  const auto today = ymd(2026, 3, 4);
  p.occurrences = {
      occurrence(paris(), local(paris(), today, 9), minutes{30}),   // past at 10:00
      occurrence(paris(), local(paris(), today, 10), minutes{30}),  // starts now: offered
      // a plage started at 8:00, until 10:30 − 30 min: offered to 10:00 inclusive
      occurrence(paris(), local(paris(), today, 8), minutes{150}, kOffice, AvailabilityKind::Range,
                 3),
      occurrence(paris(), local(paris(), ymd(2026, 3, 6), 9), minutes{30}),
      occurrence(paris(), local(paris(), ymd(2026, 3, 9), 9), minutes{30}),  // past the window
      occurrence(paris(), local(paris(), ymd(2026, 3, 10), 9), minutes{30}),
  };
  auto full = occurrence(paris(), local(paris(), today, 15), minutes{30});
  full.taken = 1;
  p.occurrences.push_back(full);
  p.unavailability.periods = {{ymd(2026, 3, 10), ymd(2026, 3, 10)}};
  index_.put(p);
  const auto starts = [&](Instant from, Instant to, Instant now) {
    std::vector<Instant> out;
    for (const auto& s : index_.freeSlots(1, now, from, to)) out.push_back(s.start);
    return out;
  };
  const auto all = starts(now_ - hours{24}, now_ + hours{24 * 8}, now_);
  EXPECT_EQ(all, (std::vector<Instant>{local(paris(), today, 8), local(paris(), today, 10),
                                       local(paris(), ymd(2026, 3, 6), 9),
                                       local(paris(), ymd(2026, 3, 9), 9)}));
  // A second later the plage is closed and the 10:00 créneau has begun.
  EXPECT_EQ(starts(now_ - hours{24}, now_ + hours{24 * 8}, now_ + std::chrono::seconds{1}),
            (std::vector<Instant>{local(paris(), ymd(2026, 3, 6), 9),
                                  local(paris(), ymd(2026, 3, 9), 9)}));
  // Both bounds inclusive, each side of each.
  const auto friday9 = local(paris(), ymd(2026, 3, 6), 9);
  EXPECT_EQ(starts(friday9, friday9, now_), (std::vector<Instant>{friday9}));
  EXPECT_TRUE(starts(friday9 + std::chrono::seconds{1}, friday9 + hours{1}, now_).empty());
  EXPECT_TRUE(starts(friday9 - hours{1}, friday9 - std::chrono::seconds{1}, now_).empty());
  EXPECT_TRUE(index_.freeSlots(2, now_, now_, now_ + hours{24}).empty());
}

TEST_F(SearchIndexTest, HorizonSaysWhetherAWindowIsCovered) {
  EXPECT_TRUE(index_.covers(now_));
  EXPECT_TRUE(index_.covers(now_ + hours{24 * 8 - 73}));
  EXPECT_FALSE(index_.covers(now_ + hours{24 * 8 - 72}));
  EXPECT_FALSE(index_.covers(now_ - hours{1}));
}

// ---------------------------------------------------------------- property test

// What the index must answer, by a plain scan with the domain's own rules.
std::vector<SearchHit> bruteForce(const std::vector<SearchPlace>& places, const SearchQuery& q,
                                  Instant horizonStart, Instant horizonEnd,
                                  std::chrono::seconds plageCloses) {
  struct Row {
    int group;
    double distance;
    std::uint64_t draw;
    SearchHit hit;
  };
  std::vector<Row> rows;
  for (const auto& p : places) {
    if (!placeVisibleAt(p.unavailability, *p.zone, q.now)) continue;
    if (q.mode == SearchMode::BeyondAvailabilities && !p.acceptsContact) continue;
    const double d = geodesicMetres(q.centre, p.position);
    if (d > q.radiusMetres) continue;
    if (!matchesWords(q.words, p.text)) continue;
    SearchHit hit;
    hit.placeId = p.id;
    hit.distanceMetres = d;
    hit.participates = p.participates;
    hit.acceptsContact = p.acceptsContact;
    hit.zone = p.zone;
    auto occurrences = p.occurrences;
    // By start, end, types, kind and capacity, as the index keeps them.
    std::sort(occurrences.begin(), occurrences.end(), [](const auto& a, const auto& b) {
      const auto key = [](const Occurrence& o) {
        return std::make_tuple(o.start, std::max(o.start, o.end), o.values.types.bits,
                               o.values.kind, o.values.capacity);
      };
      return key(a) < key(b);
    });
    const auto end = windowEnd(*p.zone, q.now);
    for (const auto& o : occurrences) {
      const auto until = offeredUntil(o, plageCloses);
      if (until < q.now || o.start >= end || until < horizonStart || o.start >= horizonEnd)
        continue;
      if (!visibleToRegulators(p.unavailability, *p.zone, q.now, o.start, o.end)) continue;
      if (!hasRoom(o)) continue;
      if (!q.types.empty() && !(o.values.types.bits & q.types.bits)) continue;
      // An occurrence that the spring change turns upside down is kept as an instant.
      const auto oEnd = std::max(o.start, o.end);
      bool inRange = q.within.empty();
      for (const auto& r : q.within)
        inRange =
            inRange || (o.start < q.now + hours{r.toHours} && oEnd > q.now + hours{r.fromHours});
      if (!inRange) continue;
      hit.slots.push_back(
          {o.start, oEnd, o.values.kind, o.values.capacity, o.taken, o.values.types});
    }
    hit.available = !hit.slots.empty();
    if (hit.available) hit.earliestStart = hit.slots.front().start;
    if (q.mode == SearchMode::Availabilities && !hit.available) continue;
    const int group = (hit.available ? 0 : 2) + (p.participates ? 0 : 1);
    rows.push_back({group, d, drawKey(q.seed, p.id), std::move(hit)});
  }
  std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    if (a.group != b.group) return a.group < b.group;
    if (q.order == SearchOrder::Random) {
      if (a.draw != b.draw) return a.draw < b.draw;
    } else if (a.distance != b.distance) {
      return a.distance < b.distance;
    }
    return a.hit.placeId < b.hit.placeId;
  });
  std::vector<SearchHit> out;
  for (auto& r : rows) out.push_back(std::move(r.hit));
  return out;
}

// With the default close of plages, none (up to their end), and one longer than some plages.
class SearchIndexProperty : public ::testing::TestWithParam<int> {};

TEST_P(SearchIndexProperty, AnswersLikeAPlainScanOnRandomData) {
  const std::chrono::seconds plageCloses = minutes{GetParam()};
  std::mt19937_64 rng(20260304 + static_cast<unsigned>(GetParam()));
  std::uniform_real_distribution<double> unit(0, 1);
  const std::array<const date::time_zone*, 3> zones{&paris(), &zone("Indian/Reunion"),
                                                    &zone("America/Cayenne")};
  const Instant start = local(paris(), ymd(2026, 3, 28), 7);  // across the spring change
  const Instant horizonEnd = start + hours{24 * 6};
  // A horizon that does not start on a whole minute, as when built at any second.
  const Instant horizonStart = start + std::chrono::seconds{17};
  SearchIndex index(horizonStart, horizonEnd, plageCloses);
  std::vector<SearchPlace> places;
  const std::array<GeoPoint, 3> towns{GeoPoint{48.85, 2.35}, GeoPoint{48.9, 2.5},
                                      GeoPoint{48.6, 2.2}};
  const std::array<std::string, 4> texts{"Centre de santé", "Maison de santé pluriprofessionnelle",
                                         "SOS Médecins pédiatrie", "Cabinet médecine générale"};
  for (int id = 1; id <= 2300; ++id) {
    SearchPlace p;
    p.id = id;
    // The last 800 in two town centres: cells of a hundred places and more, which the index
    // divides for the page (Cell::Counts::order).
    const bool centre = id > 1500;
    const auto town = centre ? towns[id % 2 == 0 ? 0 : 2] : towns[rng() % towns.size()];
    // Some places share a position exactly, to exercise ties; a few lie far from any town, so
    // that a walk outward crosses empty rings of cells.
    const double spread = centre ? 3'000 : id % 19 == 0 ? 120'000 : 30'000;
    p.position =
        !centre && id % 17 == 0 ? town : destination(town, 360 * unit(rng), spread * unit(rng));
    p.zone = zones[id % 23 == 0 ? 1 + rng() % 2 : 0];
    // Participants are most places around one town and few around another: the participants'
    // walk then settles the page alone or has to cross the whole circle.
    const double participation = town.latitude == towns[1].latitude ? 0.1 : 0.7;
    p.participates = unit(rng) < participation;
    p.acceptsContact = unit(rng) < 0.4;
    p.text = foldText(texts[rng() % texts.size()] + " " + std::to_string(id));
    const Day first = localDay(*p.zone, start);
    if (unit(rng) < 0.05) p.unavailability.indefinite = true;
    if (unit(rng) < 0.15) {
      const Day from = first + date::days{static_cast<int>(rng() % 4)};
      p.unavailability.periods.push_back({from, from + date::days{static_cast<int>(rng() % 2)}});
    }
    const int count = static_cast<int>(rng() % 25);
    for (int k = 0; k < count; ++k) {
      const Day day = first + date::days{static_cast<int>(rng() % 8) - 1};
      const int from = static_cast<int>(rng() % 92) * 15;
      const int length = 15 * (1 + static_cast<int>(rng() % 16));
      ConsultationTypes t{static_cast<std::uint8_t>(1 + rng() % 7)};
      Occurrence o;
      o.values = {day,
                  from,
                  std::min(from + length, kLastMinute),
                  unit(rng) < 0.5 ? AvailabilityKind::Slot : AvailabilityKind::Range,
                  1 + static_cast<int>(rng() % 4),
                  t};
      o.start = localToInstant(*p.zone, day, o.values.startMinute);
      o.end = localToInstant(*p.zone, day, o.values.endMinute);
      p.occurrences.push_back(o);
    }
    index.put(p);
    places.push_back(std::move(p));
  }
  index.prepare();
  // Replace some places after the fact, as changes do: their cells' counts are stale until
  // the next prepare(), and searches must be right either way.
  for (int k = 0; k < 100; ++k) {
    auto& p = places[rng() % places.size()];
    p.participates = !p.participates;
    if (!p.occurrences.empty()) p.occurrences.pop_back();
    p.position = destination(p.position, 360 * unit(rng), 5'000 * unit(rng));
    index.put(p);
  }
  // Orientations told to the index in-process (setTaken), some filling their occurrence; where
  // it cannot tell, the place is put again, as the search service does.
  int told = 0, full = 0;
  for (int k = 0; k < 400; ++k) {
    auto& p = places[rng() % places.size()];
    if (p.occurrences.empty()) continue;
    auto& o = p.occurrences[rng() % p.occurrences.size()];
    if (!hasRoom(o)) continue;
    o.taken += 1 + static_cast<int>(rng() % 2);
    o.taken = std::min(o.taken, o.values.kind == AvailabilityKind::Slot ? 1 : o.values.capacity);
    if (index.setTaken(p.id, o)) {
      ++told;
      full += !hasRoom(o);
    } else {
      index.put(p);
    }
  }
  EXPECT_GT(told, 100);
  EXPECT_GT(full, 50);

  for (int round = 0; round < 600; ++round) {
    if (round == 300) index.prepare();
    if (round == 450)
      // As the search service's job does: each place put, then its cells counted at once. A cell
      // counted at 300 and changed here must be counted again, or counting reads stale counts.
      for (int k = 0; k < 60; ++k) {
        auto& p = places[rng() % places.size()];
        p.participates = !p.participates;
        if (!p.occurrences.empty()) p.occurrences.erase(p.occurrences.begin());
        p.position = destination(p.position, 360 * unit(rng), 3'000 * unit(rng));
        index.put(p);
        index.prepare();
      }
    SearchQuery q;
    // Mostly around a town, sometimes far out or with a wide radius (the walk's rings).
    const bool far = rng() % 8 == 0;
    q.centre = destination(towns[rng() % towns.size()], 360 * unit(rng),
                           (far ? 90'000 : 10'000) * unit(rng));
    q.radiusMetres = rng() % 10 == 0 ? 30'000 + 170'000 * unit(rng) : 1'000 + 30'000 * unit(rng);
    q.now = horizonStart + std::chrono::seconds{static_cast<long>(rng() % (3 * 24 * 3600))};
    q.mode = unit(rng) < 0.3 ? SearchMode::BeyondAvailabilities : SearchMode::Availabilities;
    q.order = unit(rng) < 0.5 ? SearchOrder::Random : SearchOrder::Distance;
    q.seed = rng();
    if (unit(rng) < 0.5) q.types = ConsultationTypes{static_cast<std::uint8_t>(1 + rng() % 7)};
    if (unit(rng) < 0.3)
      for (const auto& r : kAvailableWithin)
        if (unit(rng) < 0.4) q.within.push_back(r);
    if (unit(rng) < 0.2) q.words = searchWords(unit(rng) < 0.5 ? "maison santé" : "pédiatre");
    q.offset = rng() % 3 == 0 ? rng() % 40 : 0;
    q.limit = 1 + rng() % 30;

    const auto expected = bruteForce(places, q, horizonStart, horizonEnd, plageCloses);
    const auto answer = index.search(q);
    ASSERT_EQ(answer.total, expected.size()) << "round " << round;
    ASSERT_EQ(answer.available,
              static_cast<std::size_t>(std::count_if(expected.begin(), expected.end(),
                                                     [](const auto& h) { return h.available; })))
        << "round " << round;
    const std::size_t end = std::min(expected.size(), q.offset + q.limit);
    // The same search with a count cut-off: the same page, the count bounded.
    {
      std::mt19937_64 cut(static_cast<unsigned>(round));
      auto bounded = q;
      bounded.countLimit = 1 + cut() % 80;
      const auto b = index.search(bounded);
      const auto limit = bounded.countLimit;
      ASSERT_EQ(b.total, std::min(expected.size(), limit)) << "round " << round;
      ASSERT_EQ(b.totalIsLowerBound, expected.size() > limit) << "round " << round;
      ASSERT_EQ(b.available, std::min(answer.available, limit)) << "round " << round;
      ASSERT_EQ(b.hits.size(), answer.hits.size()) << "round " << round;
      for (std::size_t k = 0; k < b.hits.size(); ++k) {
        ASSERT_EQ(b.hits[k].placeId, answer.hits[k].placeId) << "round " << round;
        EXPECT_EQ(b.hits[k].slots, answer.hits[k].slots);
      }
    }
    ASSERT_EQ(answer.hits.size(), q.offset < end ? end - q.offset : 0) << "round " << round;
    for (std::size_t k = 0; k < answer.hits.size(); ++k) {
      const auto& got = answer.hits[k];
      const auto& want = expected[q.offset + k];
      ASSERT_EQ(got.placeId, want.placeId) << "round " << round << " rank " << q.offset + k;
      EXPECT_DOUBLE_EQ(got.distanceMetres, want.distanceMetres);
      EXPECT_EQ(got.available, want.available);
      EXPECT_EQ(got.participates, want.participates);
      EXPECT_EQ(got.slots, want.slots) << "round " << round << " place " << got.placeId;
      if (want.available) {
        EXPECT_EQ(got.earliestStart, want.earliestStart);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(PlageCloses, SearchIndexProperty, ::testing::Values(30, 0, 45));

// A cell's counts leave a place out on the local days its periods hide (Summary::hiddenDays), where
// searching at an instant asks the periods' instants. In Santiago, 5 April 2026 at 00:00 (−03)
// becomes 4 April at 23:00 (−04): 4 April lasts 25 hours, and the period « 4 avril » with it.
TEST(SearchIndexCounts, ACellsCountsFollowAPeriodAcrossAClockChangeAtMidnight) {
  const auto& santiago = zone("America/Santiago");
  const Instant start = local(santiago, ymd(2026, 4, 2), 8);
  SearchIndex index(start, start + hours{24 * 6});
  const GeoPoint town{-33.45, -70.66};
  const auto santiagoPlace = [&](std::int64_t id) {
    SearchPlace p;
    p.id = id;
    p.position = destination(town, 90, 100.0 * static_cast<double>(id));
    p.zone = &santiago;
    p.participates = true;
    p.occurrences = {occurrence(santiago, local(santiago, ymd(2026, 4, 6), 10), minutes{30})};
    return p;
  };
  auto away = santiagoPlace(1);
  away.unavailability.periods = {{ymd(2026, 4, 4), ymd(2026, 4, 4)}};
  index.put(away);
  index.put(santiagoPlace(2));
  index.prepare();
  // Counted only (no page), the cell wholly inside the circle: by its counts.
  SearchQuery q;
  q.centre = destination(town, 0, 5'000);
  q.radiusMetres = 60'000;
  q.limit = 0;
  const Instant change{date::sys_days{ymd(2026, 4, 5)} + hours{3}};  // 00:00 −03 → 23:00 −04
  const Instant fifth{date::sys_days{ymd(2026, 4, 5)} + hours{4}};   // 00:00 −04 on 5 April
  ASSERT_EQ(localDay(santiago, change), ymd(2026, 4, 4));
  ASSERT_EQ(local(santiago, ymd(2026, 4, 5), 0), fifth);
  q.now = local(santiago, ymd(2026, 4, 4), 12);
  EXPECT_EQ(index.search(q).total, 1u);
  q.now = change + minutes{30};  // 23:30 (−04), 4 April again: still in the period
  EXPECT_EQ(index.search(q).total, 1u);
  q.now = fifth;  // the period is over
  EXPECT_EQ(index.search(q).total, 2u);
  q.now = fifth - std::chrono::seconds{1};
  EXPECT_EQ(index.search(q).total, 1u);
}

}  // namespace
}  // namespace sas::domain
