#include "http/metrics.hpp"

#include <sstream>

namespace sas::http {

void Metrics::record(int status, std::chrono::microseconds duration) {
  const int cls = status / 100;
  if (cls >= 1 && cls <= 5) byClass_[static_cast<std::size_t>(cls - 1)]++;
  const double seconds = static_cast<double>(duration.count()) / 1e6;
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i)
    if (seconds <= kBucketsSeconds[i]) buckets_[i]++;
  count_++;
  sumMicros_ += static_cast<std::uint64_t>(duration.count());
}

std::string Metrics::prometheus() const {
  std::ostringstream out;
  out << "# HELP sas_http_requests_total HTTP requests answered, by status class.\n"
      << "# TYPE sas_http_requests_total counter\n";
  for (std::size_t i = 0; i < byClass_.size(); ++i)
    out << "sas_http_requests_total{class=\"" << i + 1 << "xx\"} " << byClass_[i].load() << "\n";
  out << "# HELP sas_http_request_duration_seconds Time to answer a request.\n"
      << "# TYPE sas_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i)
    out << "sas_http_request_duration_seconds_bucket{le=\"" << kBucketsSeconds[i] << "\"} "
        << buckets_[i].load() << "\n";
  out << "sas_http_request_duration_seconds_bucket{le=\"+Inf\"} " << count_.load() << "\n"
      << "sas_http_request_duration_seconds_sum " << static_cast<double>(sumMicros_.load()) / 1e6
      << "\n"
      << "sas_http_request_duration_seconds_count " << count_.load() << "\n";
  return out.str();
}

}  // namespace sas::http
