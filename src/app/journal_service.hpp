#pragma once
// « Journal des modifications » (issue 18, item 8; docs/rules.md#account-list-and-journal): the
// audit trail the platform writes, read-only, filtered by period, person and object, a page at a
// time. Administrators read every line, account managers and référents their territory's; who may
// read which part is decided by journalScope() alone.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/journal.hpp"
#include "app/ports/repositories.hpp"
#include "domain/checked.hpp"

namespace sas::app {

/// The part of the journal `actor` may read: nullopt for every line (administrators), else a
/// territory's (account managers and référents territoriaux). Throws Forbidden for any other role
/// or one of them without territory. The one check of who reads the journal.
std::optional<std::int64_t> journalScope(const Actor& actor);

/// The filters as typed. Object kinds: "compte", "structure", "lieu".
struct JournalForm {
  std::string from;    // « Du », aaaa-mm-jj or jj/mm/aaaa, included
  std::string to;      // « Au », included
  std::string person;  // an account's email
  std::string objectKind;
  std::string objectId;
  std::string page;  // from 1
};

struct JournalResult {
  std::vector<domain::FieldError> errors;
  /// The person or object filtered on is not one the actor may read (or does not exist): the
  /// page answers 404 with the form as typed.
  bool outOfScope = false;
  std::vector<JournalLine> lines;
  int page = 1;
  bool hasNext = false;
};

inline constexpr int kJournalPageSize = 50;

class JournalService {
 public:
  JournalService(JournalRepository& journal, UserRepository& users);

  JournalResult read(const Actor& actor, const JournalForm& form);
  /// The audit log's name of an object ("user:12") from the form's kind and id; empty when the
  /// kind is unknown or the id is not a number.
  static std::string objectName(const std::string& kind, const std::string& id);

 private:
  JournalRepository& journal_;
  UserRepository& users_;
};

}  // namespace sas::app
