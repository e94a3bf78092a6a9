// The publishers' feed (issue 21, docs/rules.md#publishers) over real mutual TLS: our own
// platform as a FHIR publisher on the demo set of fhir_search_test.cpp (Friday 6 March 2026:
// Dr Dupont 09:00–09:30 C T and plage 14:00–17:00 C in Paris 18e; Dr Martin 10:00–10:20 C in
// Lyon 4e and 11:00–11:20 D in Villeurbanne; Dr Hoarau 08:00–08:20 T in Saint-Denis de La
// Réunion, +04:00; Dr Bernard without a place), and a faulty publisher that is each of the bad
// publishers the issue names. Timeouts are told by their outcome, never by a stopwatch.
#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <tuple>

#include "app/directory_import.hpp"
#include "app/search_service.hpp"
#include "publishers/fhir_feed.hpp"
#include "storage/psc_store.hpp"
#include "support/faulty_publisher.hpp"
#include "support/fhir_client.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using app::FeedProblem;
using domain::ConsultationType;
using domain::Instant;
using Mode = FaultyPublisher::Mode;
using namespace std::chrono_literals;

const std::vector<std::string> kDemo{"810000000009", "810000000017", "810000000058",
                                     "810000000041"};

Instant utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return date::sys_days{date::year{y} / m / d} + std::chrono::hours{h} + std::chrono::minutes{min};
}

domain::ConsultationTypes types(std::initializer_list<ConsultationType> list) {
  domain::ConsultationTypes t;
  for (auto x : list) t.add(x);
  return t;
}

class PublisherFeed : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new FhirPki;
    platform_ =
        new TestPlatform(parisTime(2026, 3, 4, 10), [](config::Config& c) { fhirOn(c, *pki_); });
    auto& p = platform_->platform();
    storage::SqlPscStore directory(p.database());
    app::addPublisherDemoSet(directory, platform_->structures(), platform_->agenda(), p.geocoder(),
                             p.clock());
    p.search().rebuild();
    faulty_ = new FaultyPublisher(*pki_);
  }
  static void TearDownTestSuite() {
    delete faulty_;
    delete platform_;
    delete pki_;
    faulty_ = nullptr;
    platform_ = nullptr;
    pki_ = nullptr;
  }
  void SetUp() override {
    faulty_->setMode(Mode::Good);
    faulty_->setBundle(FaultyPublisher::sampleBundle());
  }

  static app::PublisherConnection connection(const std::string& baseUrl,
                                             const std::string& client = "valid",
                                             const std::string& ca = "ca") {
    return {"Éditeur de test", baseUrl, pki_->file(client + ".pem"),
            pki_->file(client + "-key.pem"), pki_->file(ca + ".pem")};
  }
  static app::PublisherConnection platformConnection() {
    return connection("https://127.0.0.1:" + std::to_string(platform_->fhirPort()) + "/fhir/");
  }
  static app::PublisherConnection faultyConnection() { return connection(faulty_->baseUrl()); }

  // All of Friday 6 March in Paris.
  app::FeedAnswer friday(const app::PublisherConnection& c, const std::vector<std::string>& ids,
                         app::FeedLimits limits = {}) {
    return feed_.freeSlots(c, ids, parisTime(2026, 3, 6, 0), parisTime(2026, 3, 6, 23, 59) + 59s,
                           limits);
  }
  static app::FeedAnswer sorted(app::FeedAnswer a) {
    std::sort(a.slots.begin(), a.slots.end(), [](const auto& x, const auto& y) {
      return std::tie(x.professionalId, x.start) < std::tie(y.professionalId, y.start);
    });
    return a;
  }
  static std::int64_t placeOf(const std::string& finess, const std::string& siret) {
    const auto s = platform_->structures().findByIdentifiers(finess, siret);
    return platform_->structures().placesOfStructure(s->id).at(0).id;
  }
  static app::FeedLimits quick() {
    app::FeedLimits limits;
    limits.timeout = 300ms;
    return limits;
  }

  publishers::FhirPublisherFeed feed_;
  static FhirPki* pki_;
  static TestPlatform* platform_;
  static FaultyPublisher* faulty_;
};

FhirPki* PublisherFeed::pki_ = nullptr;
TestPlatform* PublisherFeed::platform_ = nullptr;
FaultyPublisher* PublisherFeed::faulty_ = nullptr;

bool hasIdentifier(const domain::PulledSlot& s, const std::string& id) {
  return std::find(s.locationIdentifiers.begin(), s.locationIdentifiers.end(), id) !=
         s.locationIdentifiers.end();
}

TEST_F(PublisherFeed, OurOwnPlatformsDemoSlotsComeBackChecked) {
  const auto a = sorted(friday(platformConnection(), kDemo));
  ASSERT_TRUE(a.ok) << a.detail;
  EXPECT_EQ(a.httpStatus, 200);
  EXPECT_TRUE(a.refused.empty());
  ASSERT_EQ(a.slots.size(), 5u);
  struct Expected {
    std::string pro;
    Instant start, end;
    domain::ConsultationTypes types;
    std::string idnst;
    std::int64_t place;
  };
  const std::vector<Expected> expected{
      {"810000000009", utc(2026, 3, 6, 8), utc(2026, 3, 6, 8, 30),
       types({ConsultationType::Office, ConsultationType::Teleconsultation}), "312345678200010",
       placeOf("", "12345678200010")},
      {"810000000009", utc(2026, 3, 6, 13), utc(2026, 3, 6, 16), types({ConsultationType::Office}),
       "312345678200010", placeOf("", "12345678200010")},
      {"810000000017", utc(2026, 3, 6, 9), utc(2026, 3, 6, 9, 20),
       types({ConsultationType::Office}), "1690000013", placeOf("690000013", "")},
      {"810000000017", utc(2026, 3, 6, 10), utc(2026, 3, 6, 10, 20),
       types({ConsultationType::HomeVisit}), "355012345900020", placeOf("", "55012345900020")},
      {"810000000058", utc(2026, 3, 6, 4), utc(2026, 3, 6, 4, 20),
       types({ConsultationType::Teleconsultation}), "340212345600012",
       placeOf("", "40212345600012")},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& s = a.slots[i];
    const auto& e = expected[i];
    SCOPED_TRACE(e.pro + " " + date::format("%FT%TZ", e.start));
    EXPECT_EQ(s.professionalId, e.pro);
    EXPECT_EQ(s.start, e.start);
    EXPECT_EQ(s.end, e.end);
    EXPECT_EQ(s.types, e.types);
    EXPECT_TRUE(hasIdentifier(s, e.idnst)) << ::testing::PrintToString(s.locationIdentifiers);
    EXPECT_TRUE(s.position.has_value());
    const std::string page = "/recherche/lieux/" + std::to_string(e.place);
    EXPECT_TRUE(s.bookingUrl.rfind("http", 0) == 0 && s.bookingUrl.size() > page.size() &&
                s.bookingUrl.compare(s.bookingUrl.size() - page.size(), page.size(), page) == 0)
        << s.bookingUrl;
  }
  // Paris 18e and Saint-Denis de La Réunion: the positions are the places'.
  EXPECT_NEAR(a.slots[0].position->latitude, 48.89, 0.05);
  EXPECT_NEAR(a.slots[4].position->latitude, -20.88, 0.1);
}

TEST_F(PublisherFeed, TwentyFiveProfessionalsInOneRequest) {
  std::vector<std::string> ids = kDemo;
  for (int i = 0; ids.size() < 25; ++i) ids.push_back("8100000001" + std::to_string(10 + i));
  ASSERT_EQ(ids.size(), 25u);
  const auto a = friday(platformConnection(), ids);
  ASSERT_TRUE(a.ok) << a.detail;
  EXPECT_EQ(a.slots.size(), 5u);
  // The publisher refuses a 26th: the feed's callers cut the list, the feed does not.
  ids.push_back("810000000999");
  const auto refused = friday(platformConnection(), ids);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.problem, FeedProblem::HttpStatus);
  EXPECT_EQ(refused.httpStatus, 400);
}

TEST_F(PublisherFeed, TheQuerySentIsTheGuidesSearchByProfessional) {
  const auto a = friday(faultyConnection(), {"810000000009", "810000000017"});
  ASSERT_TRUE(a.ok) << a.detail;
  ASSERT_FALSE(faulty_->requests().empty());
  EXPECT_EQ(faulty_->requests().back(),
            "/fhir/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor"
            "&start=ge2026-03-05T23:00:00Z&start=le2026-03-06T22:59:59Z"
            "&schedule.actor:Practitioner.identifier=urn:oid:1.2.250.1.71.4.2.1%7C810000000009,"
            "urn:oid:1.2.250.1.71.4.2.1%7C810000000017&status=free");
  // What a value could break is encoded; the list's commas stay bare.
  EXPECT_EQ(publishers::slotSearchQuery({"8 1+2,3&x"}, utc(2026, 3, 6, 0), utc(2026, 3, 6, 1)),
            "_include=Slot:schedule&_include:iterate=Schedule:actor&start=ge2026-03-06T00:00:00Z"
            "&start=le2026-03-06T01:00:00Z&schedule.actor:Practitioner.identifier="
            "urn:oid:1.2.250.1.71.4.2.1%7C8%201%2B2%2C3%26x&status=free");
}

TEST_F(PublisherFeed, AGoodPublishersSlots) {
  const auto a = sorted(friday(faultyConnection(), {"810000000009"}));
  ASSERT_TRUE(a.ok) << a.detail;
  ASSERT_EQ(a.slots.size(), 2u);
  // A Schedule of the Practitioner alone: no Location to name nor place.
  EXPECT_EQ(a.slots[0], (domain::PulledSlot{"810000000009",
                                            utc(2026, 3, 6, 8),
                                            utc(2026, 3, 6, 8, 20),
                                            types({ConsultationType::Office}),
                                            {},
                                            std::nullopt,
                                            "https://editeur.test/rdv/dupont-1"}));
  EXPECT_EQ(a.slots[1].start, utc(2026, 3, 6, 9));
  EXPECT_EQ(a.slots[1].types, types({ConsultationType::Teleconsultation}));
  EXPECT_EQ(a.slots[1].bookingUrl, "");
  EXPECT_TRUE(a.refused.empty());
}

TEST_F(PublisherFeed, EachBadPublisherIsTold) {
  struct Case {
    Mode mode;
    FeedProblem problem;
  };
  for (const auto& [mode, problem] :
       {Case{Mode::Slow, FeedProblem::Timeout}, Case{Mode::Status500, FeedProblem::HttpStatus},
        Case{Mode::Html, FeedProblem::NotJson}, Case{Mode::MalformedJson, FeedProblem::NotJson},
        Case{Mode::OperationOutcome, FeedProblem::NotABundle},
        Case{Mode::WrongProfile, FeedProblem::NotABundle},
        Case{Mode::HundredThousandSlots, FeedProblem::TooManySlots},
        Case{Mode::NeverCloses, FeedProblem::Timeout}, Case{Mode::Trickle, FeedProblem::Timeout},
        Case{Mode::TrickleHeaders, FeedProblem::Timeout},
        Case{Mode::ShortBody, FeedProblem::Connection}}) {
    faulty_->setMode(mode);
    const auto a = friday(faultyConnection(), {"810000000009"},
                          mode == Mode::HundredThousandSlots ? app::FeedLimits{} : quick());
    SCOPED_TRACE(static_cast<int>(mode));
    EXPECT_FALSE(a.ok);
    EXPECT_EQ(a.problem, problem) << a.detail;
    EXPECT_FALSE(a.detail.empty());
    EXPECT_EQ(a.detail.find('\n'), std::string::npos);
    EXPECT_TRUE(a.slots.empty());
    // The status is kept when headers came.
    EXPECT_EQ(a.httpStatus, mode == Mode::Status500                              ? 500
                            : mode == Mode::Slow || mode == Mode::TrickleHeaders ? 0
                                                                                 : 200);
  }
}

TEST_F(PublisherFeed, BadSlotsAreLeftOutAndCountedTheOthersKept) {
  for (const auto& [mode, problem] :
       {std::pair{Mode::SlotsWithoutStart, FeedProblem::SlotWithoutStart},
        std::pair{Mode::DatesWithoutOffset, FeedProblem::DateWithoutOffset}}) {
    faulty_->setMode(mode);
    const auto a = friday(faultyConnection(), {"810000000009"});
    SCOPED_TRACE(static_cast<int>(mode));
    ASSERT_TRUE(a.ok) << a.detail;
    ASSERT_EQ(a.slots.size(), 1u);
    EXPECT_EQ(a.slots[0].start, utc(2026, 3, 6, 9));  // the second one
    EXPECT_EQ(a.refused, (std::map<FeedProblem, int>{{problem, 1}}));
  }
}

TEST_F(PublisherFeed, TheByteCapRefusesABodyTooLarge) {
  const auto body = FaultyPublisher::sampleBundle().dump().size();
  app::FeedLimits limits;
  limits.maxBytes = body - 1;
  auto a = friday(faultyConnection(), {"810000000009"}, limits);
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.problem, FeedProblem::TooLarge) << a.detail;
  limits.maxBytes = body;
  a = friday(faultyConnection(), {"810000000009"}, limits);
  EXPECT_TRUE(a.ok) << a.detail;
  EXPECT_EQ(a.slots.size(), 2u);
  // Without Content-Length the cap is kept while reading.
  faulty_->setMode(Mode::Chunked);
  a = friday(faultyConnection(), {"810000000009"}, limits);
  EXPECT_TRUE(a.ok) << a.detail;
  EXPECT_EQ(a.slots.size(), 2u);
  limits.maxBytes = body - 1;
  a = friday(faultyConnection(), {"810000000009"}, limits);
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.problem, FeedProblem::TooLarge) << a.detail;
}

TEST_F(PublisherFeed, CertificatesRefusedEitherWayAreTls) {
  // Our certificate from a CA the publisher does not trust.
  auto a = friday(connection(faulty_->baseUrl(), "stranger"), {"810000000009"});
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.problem, FeedProblem::Tls) << a.detail;
  // The publisher's certificate from a CA we do not trust.
  a = friday(connection(faulty_->baseUrl(), "valid", "other-ca"), {"810000000009"});
  EXPECT_EQ(a.problem, FeedProblem::Tls) << a.detail;
  // A publisher whose certificate, from the right CA, names another host.
  {
    FaultyPublisher elsewhere(*pki_, "other-name");
    a = friday(connection(elsewhere.baseUrl()), {"810000000009"});
    EXPECT_EQ(a.problem, FeedProblem::Tls) << a.detail;
    EXPECT_TRUE(elsewhere.requests().empty());
  }
  // A key that is not the certificate's, a file that is not a certificate, no file at all.
  auto c = faultyConnection();
  c.keyFile = pki_->file("wrong-cn-key.pem");
  a = friday(c, {"810000000009"});
  EXPECT_EQ(a.problem, FeedProblem::Tls) << a.detail;
  c = faultyConnection();
  c.certificateFile = pki_->file("garbage.pem");
  a = friday(c, {"810000000009"});
  EXPECT_EQ(a.problem, FeedProblem::Tls) << a.detail;
  c = faultyConnection();
  c.caFile = pki_->file("absent.pem");
  a = friday(c, {"810000000009"});
  EXPECT_EQ(a.problem, FeedProblem::Tls) << a.detail;
  // Plain HTTP is never asked.
  a = friday(connection("http://127.0.0.1:" + std::to_string(faulty_->port()) + "/fhir"),
             {"810000000009"});
  EXPECT_EQ(a.problem, FeedProblem::Tls) << a.detail;
  // And the right files still work after all that.
  a = friday(faultyConnection(), {"810000000009"});
  EXPECT_TRUE(a.ok) << a.detail;
}

TEST_F(PublisherFeed, ARenewedCertificateFileIsReadAgain) {
  // The same file names, new contents: the context made for the old ones is not kept.
  const auto dir = std::filesystem::path(pki_->file("renewed"));
  std::filesystem::create_directories(dir);
  const auto put = [&](const std::string& client, int second) {
    for (const auto& suffix : {std::string(".pem"), std::string("-key.pem")}) {
      const auto to = dir / ("client" + suffix);
      std::filesystem::copy_file(pki_->file(client + suffix), to,
                                 std::filesystem::copy_options::overwrite_existing);
      std::filesystem::last_write_time(
          to, std::filesystem::file_time_type::clock::now() + std::chrono::seconds(second));
    }
  };
  auto c = faultyConnection();
  c.certificateFile = (dir / "client.pem").string();
  c.keyFile = (dir / "client-key.pem").string();
  put("valid", 0);
  EXPECT_TRUE(friday(c, {"810000000009"}).ok);
  put("stranger", 10);
  EXPECT_EQ(friday(c, {"810000000009"}).problem, FeedProblem::Tls);
  put("valid", 20);
  EXPECT_TRUE(friday(c, {"810000000009"}).ok);
}

TEST_F(PublisherFeed, NoProfessionalAsksNothing) {
  const auto before = faulty_->requests().size();
  const auto a = friday(faultyConnection(), {});
  EXPECT_TRUE(a.ok);
  EXPECT_TRUE(a.slots.empty());
  EXPECT_EQ(faulty_->requests().size(), before);
}

TEST_F(PublisherFeed, NothingListeningIsConnection) {
  int port = 0;
  {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = probe.address().port();
  }
  const auto a = friday(connection("https://127.0.0.1:" + std::to_string(port) + "/fhir"),
                        {"810000000009"}, quick());
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.problem, FeedProblem::Connection) << a.detail;
  const auto b = friday(connection("https://publisher.invalid/fhir"), {"810000000009"}, quick());
  EXPECT_TRUE(b.problem == FeedProblem::Connection || b.problem == FeedProblem::Timeout)
      << b.detail;
  EXPECT_FALSE(b.ok);
}

// The feed's watchdog sleeps until the earliest deadline it knows: a request with a shorter
// timeout, watched while it waits for a longer one, must wake it, or the request whose headers
// trickle (read by POCO, where the feed cannot look at the clock) would run on until the longer
// deadline.
TEST_F(PublisherFeed, AShorterDeadlineIsKeptWhileALongerOneIsWatched) {
  faulty_->setMode(Mode::TrickleHeaders);
  const auto before = faulty_->requests().size();
  app::FeedLimits slow;
  slow.timeout = 3s;
  std::atomic<bool> longerEnded{false};
  app::FeedAnswer longer;
  const auto longerStarted = std::chrono::steady_clock::now();
  std::thread first([&] {
    longer = friday(faultyConnection(), {"810000000009"}, slow);
    longerEnded = true;
  });
  // The first request has reached the publisher: it is watched (its connection's handshake is
  // over, and the second request has its own to make before it is watched in turn).
  while (faulty_->requests().size() == before && !longerEnded) std::this_thread::yield();
  const auto shorter = friday(faultyConnection(), {"810000000009"}, quick());
  const auto shorterEnded = std::chrono::steady_clock::now();
  const bool longerRanOn = !longerEnded;
  first.join();
  EXPECT_EQ(shorter.problem, FeedProblem::Timeout) << shorter.detail;
  // Missed, the shorter deadline is noticed only at the longer one, 3 s after it started: both
  // requests then end together. Kept, it ends 300 ms after it was watched, two handshakes in.
  EXPECT_LT(shorterEnded - longerStarted, 2s);
  EXPECT_TRUE(longerRanOn);
  EXPECT_EQ(longer.problem, FeedProblem::Timeout) << longer.detail;
}

TEST_F(PublisherFeed, SeveralThreadsAtOnceOnTheSameFeed) {
  constexpr int kThreads = 8;
  constexpr int kCalls = 4;
  const auto before = faulty_->requests().size();
  std::atomic<int> good{0};
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        const bool ours = (t + i) % 2 == 0;
        const auto a = friday(ours ? platformConnection() : faultyConnection(), kDemo);
        if (a.ok && a.slots.size() == (ours ? 5u : 2u)) {
          ++good;
        } else {
          failures[t] += a.detail + "; ";
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), kThreads * kCalls);
  EXPECT_EQ(failures, std::vector<std::string>(kThreads));
  EXPECT_EQ(faulty_->requests().size() - before, static_cast<std::size_t>(kThreads * kCalls / 2));
}

}  // namespace
}  // namespace sas::test
