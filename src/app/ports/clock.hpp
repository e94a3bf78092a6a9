#pragma once
#include "domain/calendar.hpp"

namespace sas::app {

/// Time is injected: tests move it, the server reads the system clock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual domain::Instant now() const = 0;
};

class SystemClock final : public Clock {
 public:
  domain::Instant now() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

/// The system clock moved by a fixed offset: browser journeys restart the server "later" on the
/// same database to pass an occurrence's start (clock.offset_seconds, for tests only).
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(std::chrono::seconds offset) : offset_(offset) {}
  domain::Instant now() const override { return system_.now() + offset_; }

 private:
  SystemClock system_;
  std::chrono::seconds offset_;
};

}  // namespace sas::app
