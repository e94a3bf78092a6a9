// The log's batching: errors at once, requests in batches, every line whole and in order.
#include "http/log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

namespace sas::http {
namespace {

/// Standard error into a file while it lives.
class StandardErrorFile {
 public:
  StandardErrorFile() {
    char name[] = "/tmp/sas-log-test-XXXXXX";
    const int fd = ::mkstemp(name);
    path_ = name;
    flushLog();
    saved_ = ::dup(2);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StandardErrorFile() {
    flushLog();
    ::dup2(saved_, 2);
    ::close(saved_);
    std::remove(path_.c_str());
  }
  std::string text() const {
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::string path_;
  int saved_ = -1;
};

TEST(Log, AnErrorIsWrittenBeforeLogLineReturnsWithTheLinesBeforeIt) {
  StandardErrorFile err;
  logLine("info", "request", {{"path", "/a"}});
  logLine("error", "request failed", {{"reference", "ABCD2345"}});
  const auto text = err.text();  // no flush: the error line took the batch with it
  const auto info = text.find("level=info msg=request path=/a\n");
  const auto error = text.find("level=error msg=\"request failed\" reference=ABCD2345\n");
  ASSERT_NE(info, std::string::npos) << text;
  ASSERT_NE(error, std::string::npos) << text;
  EXPECT_LT(info, error);
}

TEST(Log, LinesOfManyThreadsArriveWholeAndInEachThreadsOrder) {
  StandardErrorFile err;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t] {
      for (int i = 0; i < 2000; ++i)
        logLine("info", "request",
                {{"thread", std::to_string(t)}, {"n", std::to_string(i)}, {"v", "a b\nc"}});
    });
  for (auto& t : threads) t.join();
  flushLog();
  std::istringstream lines(err.text());
  std::string line;
  int count = 0, next[4] = {0, 0, 0, 0};
  while (std::getline(lines, line)) {
    ++count;
    const auto at = line.find(" thread=");
    ASSERT_NE(at, std::string::npos) << line;
    const int t = line[at + 8] - '0';
    EXPECT_NE(line.find(" n=" + std::to_string(next[t]) + " v=\"a b c\""), std::string::npos)
        << line;
    ++next[t];
  }
  EXPECT_EQ(count, 8000);
}

}  // namespace
}  // namespace sas::http
