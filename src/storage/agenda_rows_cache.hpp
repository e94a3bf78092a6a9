#pragma once
// The availabilities of a place as read for a week, kept while the place's rows version stays
// the same (moved by changes of its availabilities, not by orientations, which only count
// takings). Every request still reads that version (one row by primary key), so a change
// committed by any process is seen at once: only reading and decoding the rows is spared, the
// larger part of the agenda page's cost (docs/benchmarks.md, « Agenda page »).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "domain/availability.hpp"

namespace sas::storage {

class AgendaRowsCache {
 public:
  std::optional<std::vector<domain::Availability>> find(std::int64_t placeId, domain::Day from,
                                                        long long version) const;
  void store(std::int64_t placeId, domain::Day from, long long version,
             const std::vector<domain::Availability>& rows);

 private:
  static constexpr std::size_t kMaxEntries = 4096;  // a few MB at most; emptied when full
  struct Entry {
    long long version = 0;
    std::shared_ptr<const std::vector<domain::Availability>> rows;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::int64_t, int>, Entry> entries_;
};

}  // namespace sas::storage
