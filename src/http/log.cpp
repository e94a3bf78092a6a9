#include "http/log.hpp"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string_view>
#include <thread>

namespace sas::http {

namespace {

/// A logfmt value: bare when it can be, else quoted with \" and \\ escaped and no newline.
void appendValue(std::string& out, std::string_view v) {
  bool bare = !v.empty();
  for (const char c : v)
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 127) bare = false;
  if (bare) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (const char c : v) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

/// Whole lines to standard error, in order, never mixed between threads.
void writeAll(std::string_view text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const auto w = ::write(2, p, left);
    if (w <= 0) return;
    p += w;
    left -= static_cast<std::size_t>(w);
  }
}

/// Lines waiting to be written, and the thread that writes them every 200 ms (or sooner when
/// 32 KB are waiting). A batch is taken and written under one lock, so lines keep their order.
class LogBuffer {
 public:
  static LogBuffer& instance() {
    static LogBuffer buffer;  // destroyed at exit, after writing what is left
    return buffer;
  }

  void append(std::string_view line, bool now) {
    {
      std::lock_guard lock(pendingMutex_);
      pending_.append(line);
      if (!now && pending_.size() < kBatchBytes) {
        if (!writer_.joinable()) writer_ = std::thread([this] { run(); });
        return;
      }
    }
    flush();
  }

  void flush() {
    std::lock_guard writing(writeMutex_);
    std::string batch;
    {
      std::lock_guard lock(pendingMutex_);
      batch.swap(pending_);
    }
    writeAll(batch);
  }

  ~LogBuffer() {
    {
      std::lock_guard lock(pendingMutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) writer_.join();
    flush();
  }

 private:
  static constexpr std::size_t kBatchBytes = 32 * 1024;

  void run() {
    std::unique_lock lock(pendingMutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds{200});
      if (pending_.empty()) continue;
      lock.unlock();
      flush();
      lock.lock();
    }
  }

  std::mutex writeMutex_;  // taken before pendingMutex_, never after
  std::mutex pendingMutex_;
  std::condition_variable wake_;
  std::string pending_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace

void logLine(const char* level, const char* message, std::span<const LogField> fields) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char ts[40];
  const auto n = std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(ts + n, sizeof ts - n, ".%03dZ", static_cast<int>(millis));
  std::string line;
  line.reserve(256);
  line += "ts=";
  line += ts;
  line += " level=";
  line += level;
  line += " msg=";
  appendValue(line, message);
  for (const auto& [k, v] : fields) {
    line.push_back(' ');
    line += k;
    line.push_back('=');
    appendValue(line, v);
  }
  line.push_back('\n');
  const std::string_view l(level);
  LogBuffer::instance().append(line, l == "error" || l == "warn");
}

void flushLog() {
  LogBuffer::instance().flush();
}

}  // namespace sas::http
