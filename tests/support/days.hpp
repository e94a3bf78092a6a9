#pragma once
// A calendar day written as tests write dates: ymd(2026, 3, 29).
#include "domain/calendar.hpp"

namespace sas::test {

inline domain::Day ymd(int y, unsigned m, unsigned d) {
  return domain::Day{date::year{y} / date::month{m} / date::day{d}};
}

}  // namespace sas::test
