#pragma once
// Connections to the SQL database (a SQLite file, or PostgreSQL), its migrations, and
// transactions. SOCI stays behind this header: nothing above storage/ includes it.
#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/prepared.hpp"

namespace soci {
class session;
class connection_pool;
}  // namespace soci

namespace sas::storage {

enum class Dialect { Sqlite, Postgres };

class Database {
 public:
  /// `url` is "sqlite:/path/to/file.sqlite" or "postgresql://user@host:port/db".
  Database(const std::string& url, std::size_t poolSize);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const { return dialect_; }
  soci::connection_pool& pool() { return *pool_; }

  /// Applies the numbered files of `dir/<dialect>/` not applied yet, each in one transaction.
  /// Returns how many were applied.
  int migrate(const std::filesystem::path& migrationsRoot);

  /// SQLite only: a consistent copy of the database at `destination`, taken with SQLite's
  /// online backup API while the server goes on serving. Throws on PostgreSQL (use pg_dump).
  void backupTo(const std::filesystem::path& destination);
  /// A trivial query: is the database reachable.
  bool ping();
  /// SQLite: returns once every checkpoint asked of the log's own thread so far is done (tests).
  void waitForCheckpoints();

 private:
  friend class Connection;
  friend class Transaction;
  friend class ReadScope;
  Dialect dialect_;
  std::size_t size_;
  // SQLite: this process's transactions queue here, asleep, for the file's one write lock;
  // SQLite's busy handler then waits only for other processes and one-statement writes.
  std::mutex writer_;
  std::atomic<int> walPages_{0};  // SQLite: the log's size at the last commit (database.cpp)
  std::unique_ptr<soci::connection_pool> pool_;
  std::vector<StatementCache> statements_;  // one per pooled session; destroyed before them
  class Checkpointer;                       // SQLite (database.cpp)
  std::unique_ptr<Checkpointer> checkpointer_;
  /// After a connection's use: copies the log into the file when it passed its size.
  void checkpointIfDue(soci::session& sql);
  /// Runs BEGIN, BEGIN IMMEDIATE, COMMIT or ROLLBACK on a pooled session: on SQLite by the
  /// session's statement prepared once, on PostgreSQL as a one-time statement.
  void control(soci::session& sql, const char* statement);
};

/// A pooled connection for the time of one unit of work.
class Connection {
 public:
  explicit Connection(Database& db);
  /// Only if one is free now (else leased() is false and the object must not be used): a
  /// helper thread that waits for a connection could wait for ever on threads that wait for it.
  Connection(Database& db, std::try_to_lock_t);
  ~Connection();
  bool leased() const { return session_ != nullptr; }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  soci::session& sql() { return *session_; }
  /// This session's prepared statements.
  StatementCache& statements() { return db_.statements_[position_]; }
  bool sqlite() const { return db_.dialect() == Dialect::Sqlite; }
  /// This thread's ReadScope's connection: nothing may be written on it.
  bool scoped() const { return borrowed_; }

 private:
  bool joinScope();  // this thread's ReadScope's connection, when it has one on db_
  Database& db_;
  soci::connection_pool& pool_;
  std::size_t position_;
  soci::session* session_;
  int uncaught_;
  bool borrowed_ = false;  // the thread's ReadScope's connection: not given back here
};

/// The reads of one request on one pooled connection: while a scope is open on a thread, every
/// Connection of that thread to the same database is the scope's. On SQLite they are also one
/// read transaction (BEGIN … COMMIT), so they see one snapshot and take the log's shared
/// locks once: each statement outside a transaction is a read transaction of its own, whose
/// shared-memory locks the server's threads contend for (docs/benchmarks.md). On PostgreSQL
/// the connection only (a BEGIN there is a round trip more). Reads only: a Transaction opened
/// inside a scope throws. A scope opened inside another one on the same thread joins it.
class ReadScope {
 public:
  explicit ReadScope(Database& db);
  ~ReadScope();
  ReadScope(const ReadScope&) = delete;
  ReadScope& operator=(const ReadScope&) = delete;

 private:
  Database& db_;
  std::size_t position_;
  soci::session* session_;
  bool began_ = false;
  bool joined_ = false;
};

/// BEGIN IMMEDIATE on SQLite (a writer takes the lock first, so two writers never deadlock on
/// a lock upgrade), BEGIN on PostgreSQL; rolled back unless committed. On SQLite the process's
/// writers first take turns on the database's writer mutex: fifteen threads polling the file
/// lock through the busy handler cost more CPU than the writes they waited for
/// (bench/orientations.sh). One transaction at a time per thread: a second throws.
class Transaction {
 public:
  Transaction(soci::session& sql, Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  std::unique_lock<std::mutex> turn_;  // held from BEGIN to COMMIT or ROLLBACK (SQLite)
  soci::session& sql_;
  Database& db_;
  bool done_ = false;
};

}  // namespace sas::storage
