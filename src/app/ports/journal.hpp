#pragma once
// What « Journal des modifications » reads from the audit log the platform writes
// (docs/rules.md#account-list-and-journal).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/calendar.hpp"

namespace sas::app {

struct JournalQuery {
  std::optional<domain::Instant> from;  // included
  std::optional<domain::Instant> to;    // excluded
  std::optional<std::int64_t> personId;
  std::string object;                     // "user:12", "structure:3", "place:5"; empty: any
  std::optional<std::int64_t> territory;  // its lines only; none: every line
  int limit = 50;
  int offset = 0;
};

struct JournalLine {
  std::int64_t id = 0;
  domain::Instant at;
  std::optional<std::int64_t> userId;
  std::string personName;  // « Prénom Nom », empty when no account acted (or it is gone)
  std::string personEmail;
  std::string action;
  std::string object;
  std::string detail;
  // A délégataire's change (docs/rules.md#delegates): the professional or manager he acted for.
  std::string onBehalfName;
  std::string onBehalfEmail;
};

class JournalRepository {
 public:
  virtual ~JournalRepository() = default;
  /// The lines of the query, newest first. A territory's lines: those about its accounts (not
  /// administrators'), its structures (by département) and their places, and those written by
  /// its accounts.
  virtual std::vector<JournalLine> journal(const JournalQuery& query) = 0;
  /// Whether `object` ("user:12", "structure:3", "place:5") is the territory's.
  virtual bool objectInTerritory(const std::string& object, std::int64_t territory) = 0;
};

}  // namespace sas::app
