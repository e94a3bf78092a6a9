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

}  // namespace sas::app
