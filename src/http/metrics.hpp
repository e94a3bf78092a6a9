#pragma once
// Request counters and a latency histogram, kept with atomics by the server and written in the
// Prometheus text format by /metrics.
#include <array>
#include <atomic>
#include <chrono>
#include <string>

namespace sas::http {

class Metrics {
 public:
  void record(int status, std::chrono::microseconds duration);
  /// The request metrics, in the Prometheus text exposition format.
  std::string prometheus() const;

 private:
  static constexpr std::array<double, 9> kBucketsSeconds{0.001, 0.0025, 0.005, 0.01, 0.025,
                                                         0.05,  0.1,    0.25,  1.0};
  std::array<std::atomic<std::uint64_t>, 5> byClass_{};  // 1xx … 5xx
  std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size()> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sumMicros_{0};
};

}  // namespace sas::http
