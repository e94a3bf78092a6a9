#pragma once
// Statements prepared once per pooled connection and run again and again. Preparing costs more
// than running for the small queries of every page (the session, the place, its week), so the
// hot ones keep theirs (docs/benchmarks.md, « Agenda page »).
#include <soci/soci.h>

#include <memory>
#include <typeindex>
#include <unordered_map>

namespace sas::storage {

/// A prepared statement with the variables it is bound to. Subclasses declare their variables
/// before `statement`, bind them in their constructor, set the inputs, then run it.
class PreparedQuery {
 public:
  virtual ~PreparedQuery() = default;
};

/// One per pooled connection, used only by the thread holding that connection.
class StatementCache {
 public:
  template <class Query>
  Query& get(soci::session& sql) {
    auto& slot = queries_[std::type_index(typeid(Query))];
    if (!slot) slot = std::make_unique<Query>(sql);
    return static_cast<Query&>(*slot);
  }
  /// After an error the connection may have been reset: prepare again next time.
  void clear() { queries_.clear(); }

 private:
  std::unordered_map<std::type_index, std::unique_ptr<PreparedQuery>> queries_;
};

/// Ends a run of a cached statement. SQLite keeps a read snapshot open while a statement has
/// rows left, so every run is reset when it is done with, whether or not all rows were read.
class StatementRun {
 public:
  StatementRun(soci::statement& st, bool sqlite) : st_(st), sqlite_(sqlite) {}
  ~StatementRun();
  StatementRun(const StatementRun&) = delete;
  StatementRun& operator=(const StatementRun&) = delete;

 private:
  soci::statement& st_;
  bool sqlite_;
};

}  // namespace sas::storage
