#pragma once
// The agenda page's weeks, expanded, kept while the place's agenda version stays the same.
// Every view still reads that version (one row by primary key), so a change committed by any
// process is seen at once; what is spared is expanding 50 series through the place's time zone
// rules, reading the takings and the unavailability, the larger part of the page's cost
// (docs/benchmarks.md, « Agenda page »).
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "domain/availability.hpp"
#include "domain/unavailability.hpp"

namespace date {
class time_zone;
}

namespace sas::app {

/// A week of a place as its agenda shows it: the same whoever looks, whenever.
struct WeekContent {
  std::vector<domain::Occurrence> occurrences;  // of the 7 days, sorted by start, with `taken`
  domain::Unavailability unavailability;
  std::string regulatorNote;
};

class WeekCache {
 public:
  /// The week read at `version` in `zone`, or none.
  std::shared_ptr<const WeekContent> find(std::int64_t placeId, domain::Day monday,
                                          long long version, const date::time_zone* zone) const;
  void store(std::int64_t placeId, domain::Day monday, long long version,
             const date::time_zone* zone, std::shared_ptr<const WeekContent> content);

 private:
  static constexpr std::size_t kMaxEntries = 4096;  // a few MB at most; emptied when full
  struct Entry {
    long long version = 0;
    const date::time_zone* zone = nullptr;
    std::shared_ptr<const WeekContent> content;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::int64_t, int>, Entry> entries_;
};

}  // namespace sas::app
