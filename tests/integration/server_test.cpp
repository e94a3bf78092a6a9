// The event-driven server's timeouts and limits (issue 13), with real sockets: each one is
// configured short, and the test waits on the socket, on both sides of the boundary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/raw_socket.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kGet = "GET /connexion HTTP/1.1\r\nHost: sas.test\r\n\r\n";

/// Short timeouts, so that each boundary is crossed in well under a second.
void shortTimeouts(config::Config& c) {
  c.headTimeoutMs = 600;
  c.idleTimeoutMs = 600;
  c.bodyTimeoutMs = 600;
  c.minBodyRate = 100;
}

class ServerLimits : public ::testing::Test {
 protected:
  TestPlatform platform_{parisTime(2026, 3, 4, 10), shortTimeouts};
};

// Workers and I/O threads are told apart by their names (top -H, perf, /proc).
TEST(ServerThreads, WorkersAndIoThreadsAreNamed) {
  const auto named = [](const std::string& name) {
    int n = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
      std::ifstream comm(task.path() / "comm");
      std::string line;
      if (std::getline(comm, line) && line == name) ++n;
    }
    return n;
  };
  const int workersBefore = named("sas-worker");
  const int ioBefore = named("sas-io");
  {
    TestPlatform platform(parisTime(2026, 3, 4, 10), [](config::Config& c) {
      c.workers = 3;
      c.ioThreads = 2;
    });
    EXPECT_EQ(named("sas-worker") - workersBefore, 3);
    EXPECT_EQ(named("sas-io") - ioBefore, 2);
  }
}

TEST_F(ServerLimits, HalfARequestIsClosedAtTheHeadTimeout) {
  RawSocket s(platform_.port());
  const auto began = Clock::now();
  ASSERT_TRUE(s.send("GET /connexion HTTP/1.1\r\nHost: sas"));
  EXPECT_TRUE(s.quietFor(300ms));  // before the timeout, the connection waits
  EXPECT_TRUE(s.closedWithin(5s));
  EXPECT_GE(Clock::now() - began, 550ms);
  EXPECT_EQ(s.received(), "");  // closed without an answer: nobody is listening
}

TEST_F(ServerLimits, AConnectionThatSendsNothingIsClosedAtTheHeadTimeout) {
  RawSocket s(platform_.port());
  const auto began = Clock::now();
  EXPECT_TRUE(s.quietFor(300ms));
  EXPECT_TRUE(s.closedWithin(5s));
  EXPECT_GE(Clock::now() - began, 550ms);
}

TEST_F(ServerLimits, ASlowHeadThatEndsInTimeIsAnswered) {
  RawSocket s(platform_.port());
  ASSERT_TRUE(s.send("GET /connexion HTTP/1.1\r\n"));
  EXPECT_TRUE(s.quietFor(250ms));
  ASSERT_TRUE(s.send("Host: sas.test\r\n\r\n"));
  auto r = s.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerLimits, AnIdleKeptAliveConnectionIsClosedAtTheIdleTimeout) {
  RawSocket s(platform_.port());
  ASSERT_TRUE(s.send(kGet));
  ASSERT_TRUE(s.response());
  // Within the idle timeout the connection serves another request …
  EXPECT_TRUE(s.quietFor(300ms));
  ASSERT_TRUE(s.send(kGet));
  auto second = s.response();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
  // … and after it, it is closed.
  const auto answered = Clock::now();
  EXPECT_TRUE(s.closedWithin(5s));
  EXPECT_GE(Clock::now() - answered, 550ms);
}

TEST_F(ServerLimits, ABodyThatStopsIsClosedAtTheBodyTimeout) {
  RawSocket s(platform_.port());
  const auto began = Clock::now();
  ASSERT_TRUE(
      s.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\nContent-Type: "
             "application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=a"));
  EXPECT_TRUE(s.quietFor(300ms));
  EXPECT_TRUE(s.closedWithin(5s));
  EXPECT_GE(Clock::now() - began, 550ms);
}

TEST_F(ServerLimits, ABodyThatEndsInTimeIsAnswered) {
  RawSocket s(platform_.port());
  ASSERT_TRUE(
      s.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\nContent-Type: "
             "application/x-www-form-urlencoded\r\nContent-Length: 14\r\n\r\nemail="));
  EXPECT_TRUE(s.quietFor(250ms));
  ASSERT_TRUE(s.send("a&pass=b"));
  auto r = s.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);  // read whole, then refused for its missing CSRF token
}

TEST_F(ServerLimits, ALargeUploadKeepsItsConnectionWhileItKeepsTheMinimumRate) {
  RawSocket s(platform_.port());
  // 200 bytes at 100 bytes a second buy two seconds beyond the body's 0.6 s grace.
  ASSERT_TRUE(
      s.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\nContent-Type: "
             "application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n" +
             std::string(200, 'a')));
  EXPECT_TRUE(s.quietFor(1500ms));  // past the grace alone, still open
  EXPECT_TRUE(s.closedWithin(5s));  // then behind the rate: closed
}

TEST_F(ServerLimits, AHeaderOver16KiBGets431AndOneUnderIsServed) {
  {
    RawSocket s(platform_.port());
    ASSERT_TRUE(s.send("GET /connexion HTTP/1.1\r\nHost: sas.test\r\nX-Pad: " +
                       std::string(17 * 1024, 'x') + "\r\n\r\n"));
    auto r = s.response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431);
    EXPECT_NE(r->body.find("trop volumineuse"), std::string::npos);
    EXPECT_EQ(r->headers["connection"], "close");
    EXPECT_TRUE(s.closedWithin(5s));
  }
  RawSocket s(platform_.port());
  ASSERT_TRUE(s.send("GET /connexion HTTP/1.1\r\nHost: sas.test\r\nX-Pad: " +
                     std::string(15 * 1024, 'x') + "\r\n\r\n"));
  auto r = s.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerLimits, AChunkedBodyOverTheCapGets413) {
  RawSocket s(platform_.port());
  std::string request =
      "POST /connexion HTTP/1.1\r\nHost: sas.test\r\nTransfer-Encoding: chunked\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\n\r\n";
  const std::string chunk(16 * 1024, 'a');
  for (int i = 0; i < 5; ++i) request += "4000\r\n" + chunk + "\r\n";  // 80 KiB > 64 KiB
  request += "0\r\n\r\n";
  s.send(request);
  auto r = s.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

// A chunk whose size line alone says it is over the cap is refused at that line, not after the
// body's timeout (30 s) spent waiting for bytes the server would refuse anyway.
TEST_F(ServerLimits, AChunkAnnouncedOverTheCapGets413AtItsSizeLine) {
  RawSocket s(platform_.port());
  ASSERT_TRUE(
      s.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\nTransfer-Encoding: chunked\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
             "10001\r\nemail=a"));  // 65,537 bytes announced, 64 KiB allowed
  auto r = s.response(5s);
  ASSERT_TRUE(r) << s.received().size() << " bytes received";
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->headers["connection"], "close");
  // One byte under: read on, answered as the form it is once whole.
  RawSocket under(platform_.port());
  ASSERT_TRUE(
      under.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\nTransfer-Encoding: chunked\r\n"
                 "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
                 "10000\r\n" +
                 std::string(65536, 'a') + "\r\n0\r\n\r\n"));
  auto whole = under.response(5s);
  ASSERT_TRUE(whole);
  EXPECT_NE(whole->status, 413);
}

TEST_F(ServerLimits, PipelinedRequestsAreAnsweredInOrder) {
  RawSocket s(platform_.port());
  ASSERT_TRUE(s.send(kGet + "GET /nulle-part HTTP/1.1\r\nHost: sas.test\r\n\r\n" + kGet));
  auto a = s.response(), b = s.response(), c = s.response();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(b->status, 404);
  EXPECT_EQ(c->status, 200);
}

TEST_F(ServerLimits, ConnectionCloseIsHonoured) {
  RawSocket s(platform_.port());
  ASSERT_TRUE(s.send("GET /connexion HTTP/1.1\r\nHost: sas.test\r\nConnection: close\r\n\r\n"));
  auto r = s.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers["connection"], "close");
  EXPECT_TRUE(s.closedWithin(2s));
  EXPECT_FALSE(s.wasReset());  // closed, not reset
  // HTTP/1.0 without keep-alive: closed too.
  RawSocket old(platform_.port());
  ASSERT_TRUE(old.send("GET /connexion HTTP/1.0\r\n\r\n"));
  ASSERT_TRUE(old.response());
  EXPECT_TRUE(old.closedWithin(2s));
}

// A client that asked for the end and sent nothing more is closed at once; one that sent more
// after its "close" (bytes the server will not read) is drained first: closing on unread bytes
// sends a reset, which can destroy the answer before the client reads it.
TEST_F(ServerLimits, BytesSentAfterConnectionCloseDoNotResetTheAnswer) {
  for (int i = 0; i < 20; ++i) {
    RawSocket s(platform_.port());
    ASSERT_TRUE(s.send("GET /connexion HTTP/1.1\r\nHost: sas.test\r\nConnection: close\r\n\r\n" +
                       kGet + std::string(64 * 1024, 'x')));
    auto r = s.response();
    ASSERT_TRUE(r) << "attempt " << i << ": " << s.received().size() << " bytes received";
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(s.closedWithin(3s));
    EXPECT_FALSE(s.wasReset()) << "attempt " << i;
  }
}

// A body answered before its end (a malformed chunk size: 400) on a connection that asked for
// the end: the client may still be sending the rest after the answer and the server's end of
// file, so the connection is drained, not closed at once.
TEST_F(ServerLimits, TheRestOfABodyAnsweredEarlyIsDrainedNotReset) {
  for (int i = 0; i < 5; ++i) {
    RawSocket s(platform_.port());
    ASSERT_TRUE(
        s.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\nConnection: close\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\n"
               "Transfer-Encoding: chunked\r\n\r\n5\r\nemail\r\nzz\r\n"));
    auto r = s.response();
    ASSERT_TRUE(r) << "attempt " << i << ": " << s.received().size() << " bytes received";
    EXPECT_EQ(r->status, 400);
    ASSERT_TRUE(s.closedWithin(3s));  // the server's end of file has come
    // The rest of the body, sent after it, is read and dropped. Had the server closed at once,
    // it would answer those bytes with a reset, and the next send would fail.
    EXPECT_TRUE(s.send(std::string(64 * 1024, 'x'))) << "attempt " << i;
    EXPECT_TRUE(s.send("0\r\n\r\n")) << "attempt " << i;
  }
}

TEST_F(ServerLimits, RequestsCarryAnIdForTheLogs) {
  RawSocket s(platform_.port());
  ASSERT_TRUE(s.send(kGet + kGet));
  auto a = s.response(), b = s.response();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->headers["x-request-id"].size(), 8u);
  EXPECT_NE(a->headers["x-request-id"], b->headers["x-request-id"]);
}

TEST_F(ServerLimits, StaticFilesCarryValidatorsAndPagesLinkTheirFingerprintedNames) {
  RawSocket s(platform_.port());
  ASSERT_TRUE(s.send(kGet));
  auto page = s.response();
  ASSERT_TRUE(page);
  const std::regex css("href=\"(/static/css/sas\\.[0-9a-f]{10}\\.css)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page->body, m, css)) << page->body.substr(0, 800);
  const std::string url = m[1];
  ASSERT_TRUE(s.send("GET " + url + " HTTP/1.1\r\nHost: sas.test\r\n\r\n"));
  auto file = s.response();
  ASSERT_TRUE(file);
  EXPECT_EQ(file->status, 200);
  EXPECT_EQ(file->headers["cache-control"], "public, max-age=31536000, immutable");
  const auto etag = file->headers["etag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_FALSE(file->headers["last-modified"].empty());
  ASSERT_TRUE(
      s.send("GET " + url + " HTTP/1.1\r\nHost: sas.test\r\nIf-None-Match: " + etag + "\r\n\r\n"));
  auto again = s.response();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_EQ(again->body, "");
}

TEST(ServerConnections, OneConnectionOverTheMaximumGets503AndIsClosed) {
  TestPlatform platform(parisTime(2026, 3, 4, 10), [](config::Config& c) { c.maxConnections = 3; });
  std::vector<std::unique_ptr<RawSocket>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawSocket>(platform.port()));
    ASSERT_TRUE(held.back()->send(kGet));
    ASSERT_TRUE(held.back()->response());  // each is served, then stays open (keep-alive)
  }
  RawSocket over(platform.port());
  over.send(kGet);
  auto refused = over.response();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_NE(refused->body.find("indisponible"), std::string::npos);
  EXPECT_TRUE(over.closedWithin(5s));
  // One of the three leaves: a new connection is served again.
  held.pop_back();
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    RawSocket next(platform.port());
    next.send(kGet);
    auto r = next.response();
    served = r && r->status == 200;
    if (!served) next.closedWithin(1s);
  }
  EXPECT_TRUE(served);
}

TEST(ServerStop, IdleConnectionsDoNotHoldAStop) {
  TestPlatform platform(parisTime(2026, 3, 4, 10));  // idle timeout: the default 5 s
  RawSocket s(platform.port());
  ASSERT_TRUE(s.send(kGet));
  ASSERT_TRUE(s.response());
  const auto began = Clock::now();
  platform.platform().stopServer();
  EXPECT_LT(Clock::now() - began, 2s);
  EXPECT_TRUE(s.closedWithin(1s));
}

/// Whether a new connection is refused within `within` (the listening socket closed).
bool refusesConnectionsWithin(int port, std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  while (Clock::now() < deadline) {
    try {
      RawSocket probe(port);
    } catch (const std::runtime_error&) {
      return true;
    }
    std::this_thread::sleep_for(20ms);  // polling for the stop to begin, not a timing under test
  }
  return false;
}

TEST(ServerStop, ARequestInFlightIsFinishedWhileNewConnectionsAreRefused) {
  TestPlatform platform(parisTime(2026, 3, 4, 10));
  const int port = platform.port();
  RawSocket s(port);
  const std::string body = "email=a%40sas.test&password=x&csrf=y";
  ASSERT_TRUE(
      s.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10)));
  ASSERT_TRUE(s.quietFor(100ms));  // the head is read: the request is in flight

  std::chrono::steady_clock::duration stopTook{};
  std::thread stopper([&] {
    const auto began = Clock::now();
    platform.platform().stopServer();  // what SIGTERM calls
    stopTook = Clock::now() - began;
  });
  EXPECT_TRUE(refusesConnectionsWithin(port, 3s));
  const bool sent = s.send(body.substr(10));
  auto r = sent ? s.response() : decltype(s.response()){};
  stopper.join();  // before any ASSERT: a thread left joinable ends the program
  ASSERT_TRUE(sent);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);  // read in full and answered: the CSRF check refuses the made-up token
  EXPECT_EQ(r->headers["connection"], "close");
  EXPECT_TRUE(s.closedWithin(1s));
  EXPECT_LT(stopTook, 5s);  // it waited for the answer, not for the grace (20 s)
}

TEST(ServerStop, ARequestThatNeverEndsHoldsTheStopNoLongerThanTheGrace) {
  TestPlatform platform(parisTime(2026, 3, 4, 10),
                        [](config::Config& c) { c.stopGraceSeconds = 1; });
  RawSocket s(platform.port());
  ASSERT_TRUE(
      s.send("POST /connexion HTTP/1.1\r\nHost: sas.test\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\n"
             "Content-Length: 100\r\n\r\nemail="));
  ASSERT_TRUE(s.quietFor(100ms));
  const auto began = Clock::now();
  platform.platform().stopServer();
  const auto took = Clock::now() - began;
  EXPECT_GE(took, 900ms);  // the grace was given …
  EXPECT_LT(took, 3s);     // … and no more (then one second for the cancelled ones to end)
  EXPECT_TRUE(s.closedWithin(1s));
}

}  // namespace
}  // namespace sas::test
