#pragma once
// A place's availabilities packed into one value (migration 064): a build of the search index
// on SQLite reads a place's digest instead of stepping through its rows, about 37 a place.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/availability.hpp"
#include "domain/calendar.hpp"

namespace sas::storage {

/// The digest of one place's series, added in id order: those a build from `floor` reads (span
/// ending on or after it, or never), without their exceptions (read apart). Builds from `floor`
/// on can read it; an earlier one cannot (it may lack series that were over at `floor`).
class DigestWriter {
 public:
  explicit DigestWriter(domain::Day floor);
  /// `spanEnd`: the last date any of its occurrences can fall on (the row's span_end).
  void add(const domain::Availability& a, std::optional<domain::Day> spanEnd);
  std::string finish() &&;

 private:
  std::string out_;
  std::string series_;
  std::uint64_t count_ = 0;
  std::int64_t lastId_ = 0;
};

/// Appends to `out` the series of `digest` that a build from `from` reads (span ending on or
/// after it, or never), with the place `placeId`, as reading their rows gives them. False, and
/// `out` as it was, when the digest cannot serve that build: written for a later floor, in
/// another format, or damaged (the build then reads the rows).
bool readDigest(std::string_view digest, std::int64_t placeId, domain::Day from,
                std::vector<domain::Availability>& out);

}  // namespace sas::storage
