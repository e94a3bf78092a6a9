#include "storage/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "storage/sqlite_native.hpp"

namespace sas::storage {
namespace {

// Before SQLite's first connection: each session is used by one thread at a time (the pool
// lends it), so the per-connection mutexes and the global memory statistics, whose lock every
// allocation took, only made the server's threads wait on each other.
void configureSqliteLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    using namespace sqlite_api;
    if (sqlite3_config(SQLITE_CONFIG_MULTITHREAD) == SQLITE_OK)
      sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

// A writer that finds the database locked by another process (or by a one-statement write of
// this one, outside a Transaction) waits here, up to 10 s. SQLite's own busy timeout sleeps
// 1 ms, then 2, 5, 10… ms behind writers that each hold the lock a tenth of a millisecond.
// Short naps first, longer ones only once the wait is long.
int waitForTheLock(void*, int tries) {
  using namespace std::chrono_literals;
  thread_local std::chrono::steady_clock::time_point since;
  const auto now = std::chrono::steady_clock::now();
  if (tries == 0) since = now;
  if (now - since > 10s) return 0;  // SQLITE_BUSY to the caller
  std::this_thread::sleep_for(tries < 200 ? 20us : tries < 1000 ? 200us : 2ms);
  return 1;
}

// SQLite copies its write-ahead log into the database file (a checkpoint, with two fsyncs:
// several milliseconds) once the log passes 1,000 pages, by default inside the COMMIT that
// passed it, while that writer still holds the process's writer mutex: every other write of a
// burst queued behind it. The hook only notes the log's size, per database; the log's own thread
// (Database::Checkpointer) copies it when a connection is given back: done by the worker that
// gave it back, the fsyncs held that worker and its answer (bench/orientations.sh). Past 4,000
// pages (that thread kept behind) the giver copies it itself. PASSIVE: it waits for nobody.
constexpr int kCheckpointPages = 1000;
constexpr int kInlineCheckpointPages = 4000;

int noteWalSize(void* pages, sqlite_api::sqlite3*, const char*, int size) {
  static_cast<std::atomic<int>*>(pages)->store(size);
  return 0;  // SQLITE_OK
}

// A checkpoint that cannot finish now (a reader on an old snapshot) is tried again after the
// next commit, as SQLite's own would be.
void checkpoint(sqlite_api::sqlite3* db) {
  sqlite_api::sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

void configureSqlite(soci::session& sql, std::atomic<int>& walPages) {
  // WAL lets readers go on while one writer writes (Transaction queues this process's writers).
  sql << "PRAGMA journal_mode=WAL";
  sql << "PRAGMA synchronous=NORMAL";
  sql << "PRAGMA foreign_keys=ON";
  auto* db = sqlite::handle(sql);
  sqlite_api::sqlite3_busy_handler(db, waitForTheLock, nullptr);
  sqlite_api::sqlite3_wal_hook(db, noteWalSize, &walPages);  // replaces autocheckpoint
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// SOCI runs one statement per call: split a migration file on the semicolons that end a line.
std::vector<std::string> splitStatements(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line.compare(first, 2, "--") == 0) continue;
    current += line + "\n";
    const auto last = line.find_last_not_of(" \t\r");
    if (last != std::string::npos && line[last] == ';') {
      out.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
  return out;
}

std::string quoteConninfo(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// SOCI hands its PostgreSQL backend a libpq "key=value" string and garbles a URI: convert.
std::string toConninfo(const std::string& url) {
  const Poco::URI uri(url);
  std::string info;
  auto add = [&](const std::string& key, const std::string& value) {
    if (!value.empty()) info += (info.empty() ? "" : " ") + key + "=" + quoteConninfo(value);
  };
  add("host", uri.getHost());
  if (uri.getPort() != 0) add("port", std::to_string(uri.getPort()));
  const auto& userInfo = uri.getUserInfo();
  const auto colon = userInfo.find(':');
  add("user", userInfo.substr(0, colon));
  if (colon != std::string::npos) add("password", userInfo.substr(colon + 1));
  add("dbname", uri.getPath().empty() ? "" : uri.getPath().substr(1));
  for (const auto& [k, v] : uri.getQueryParameters()) add(k, v);
  return info;
}

}  // namespace

// The log's own thread, on a connection of its own to the file.
class Database::Checkpointer {
 public:
  explicit Checkpointer(const std::string& path) : thread_([this, path] { run(path); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(m_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  void ask() {
    {
      std::lock_guard lock(m_);
      ++asked_;
    }
    wake_.notify_all();
  }

  void waitForAll() {
    std::unique_lock lock(m_);
    const auto asked = asked_;
    done_.wait(lock, [&] { return finished_ >= asked || stop_; });
  }

 private:
  void run(const std::string& path) {
    sqlite_api::sqlite3* db = nullptr;
    if (sqlite_api::sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
        SQLITE_OK) {
      sqlite_api::sqlite3_close(db);
      db = nullptr;  // the givers copy the log themselves past kInlineCheckpointPages
    }
    std::unique_lock lock(m_);
    while (true) {
      wake_.wait(lock, [&] { return stop_ || asked_ > finished_; });
      if (stop_) break;
      const auto taking = asked_;
      lock.unlock();
      // A connection that has read nothing yet has not found the log: its checkpoint does
      // nothing. A read of the schema's version opens it.
      if (db) {
        sqlite_api::sqlite3_exec(db, "PRAGMA schema_version", nullptr, nullptr, nullptr);
        checkpoint(db);
      }
      lock.lock();
      finished_ = taking;
      done_.notify_all();
    }
    lock.unlock();
    sqlite_api::sqlite3_close(db);
  }

  std::mutex m_;
  std::condition_variable wake_, done_;
  std::uint64_t asked_ = 0, finished_ = 0;
  bool stop_ = false;
  std::thread thread_;  // last: it reads the members above
};

void Database::checkpointIfDue(soci::session& sql) {
  const int pages = walPages_.load();
  if (pages < kCheckpointPages) return;
  walPages_.store(0);  // the next commit says the log's size again
  if (checkpointer_ && pages < kInlineCheckpointPages) {
    checkpointer_->ask();
    return;
  }
  checkpoint(sqlite::handle(sql));
}

namespace {

// A transaction's BEGIN, COMMIT and ROLLBACK prepared once per pooled connection (SQLite): each
// request's read scope and each write begins and ends one, and `sql << "BEGIN"` parsed the
// statement each time, through one of SOCI's one-time statements.
class TransactionControl final : public PreparedQuery {
 public:
  explicit TransactionControl(soci::session& sql) : db_(sqlite::handle(sql)) {}

  void run(const char* statement) {
    sqlite_api::sqlite3_stmt* st = nullptr;
    for (const auto& [text, prepared] : prepared_)
      if (std::strcmp(text, statement) == 0) st = prepared.get();
    if (!st) {
      // SOCI's error, not sqlite::prepare's: callers catch that type (the support store).
      if (sqlite_api::sqlite3_prepare_v2(db_, statement, -1, &st, nullptr) != SQLITE_OK)
        throw soci::soci_error(std::string(statement) + ": " + sqlite_api::sqlite3_errmsg(db_));
      prepared_.emplace_back(statement, sqlite::Statement(st, sqlite_api::sqlite3_finalize));
    }
    const int rc = sqlite_api::sqlite3_step(st);
    const std::string error = rc == SQLITE_DONE ? "" : sqlite_api::sqlite3_errmsg(db_);
    sqlite_api::sqlite3_reset(st);
    if (rc != SQLITE_DONE) throw soci::soci_error(std::string(statement) + ": " + error);
  }

 private:
  sqlite_api::sqlite3* db_;
  // BEGIN, BEGIN IMMEDIATE, COMMIT, ROLLBACK: a list is enough.
  std::vector<std::pair<const char*, sqlite::Statement>> prepared_;
};

}  // namespace

void Database::control(soci::session& sql, const char* statement) {
  if (dialect_ == Dialect::Sqlite)
    for (std::size_t i = 0; i < size_; ++i)
      if (&pool_->at(i) == &sql) {
        statements_[i].get<TransactionControl>(sql).run(statement);
        return;
      }
  sql << statement;
}

void Database::waitForCheckpoints() {
  if (checkpointer_) checkpointer_->waitForAll();
}

Database::Database(const std::string& url, std::size_t poolSize) : size_(poolSize) {
  if (poolSize == 0) throw std::invalid_argument("database pool size must be at least 1");
  pool_ = std::make_unique<soci::connection_pool>(poolSize);
  statements_.resize(poolSize);
  if (url.rfind("sqlite:", 0) == 0) {
    dialect_ = Dialect::Sqlite;
    configureSqliteLibrary();
    const std::string path = url.substr(7);
    for (std::size_t i = 0; i < poolSize; ++i) {
      auto& s = pool_->at(i);
      s.open(soci::sqlite3, "db=" + path + " timeout=10");
      configureSqlite(s, walPages_);
    }
    checkpointer_ = std::make_unique<Checkpointer>(path);
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    dialect_ = Dialect::Postgres;
    const std::string conninfo = toConninfo(url);
    for (std::size_t i = 0; i < poolSize; ++i) pool_->at(i).open(soci::postgresql, conninfo);
  } else {
    throw std::invalid_argument("database URL must start with sqlite: or postgresql://");
  }
}

Database::~Database() = default;

int Database::migrate(const std::filesystem::path& migrationsRoot) {
  const auto dir = migrationsRoot / (dialect_ == Dialect::Sqlite ? "sqlite" : "postgres");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".sql") files.push_back(e.path());
  std::sort(files.begin(), files.end());

  Connection c(*this);
  auto& sql = c.sql();
  sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, "
         "applied_at TEXT NOT NULL)";
  int applied = 0;
  for (const auto& f : files) {
    const std::string version = f.stem().string();
    int count = 0;
    sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(version),
        soci::into(count);
    if (count > 0) continue;
    Transaction tx(sql, *this);
    for (const auto& statement : splitStatements(readFile(f))) sql << statement;
    sql << "INSERT INTO schema_migrations (version, applied_at) VALUES (:v, CURRENT_TIMESTAMP)",
        soci::use(version);
    tx.commit();
    ++applied;
  }
  return applied;
}

void Database::backupTo(const std::filesystem::path& destination) {
  if (dialect_ != Dialect::Sqlite)
    throw std::runtime_error("sas backup copies a SQLite database; for PostgreSQL use pg_dump");
  Connection c(*this);
  using namespace sqlite_api;  // where SOCI's header puts SQLite's C API
  sqlite3* target = nullptr;
  const auto tmp = destination.string() + ".partial";
  if (sqlite3_open(tmp.c_str(), &target) != SQLITE_OK) {
    sqlite3_close(target);
    throw std::runtime_error("cannot create " + tmp);
  }
  sqlite3_backup* backup = sqlite3_backup_init(target, "main", sqlite::handle(c.sql()), "main");
  int rc = backup ? SQLITE_OK : sqlite3_errcode(target);
  // Page by page, letting writers in between: the copy is of one consistent state.
  while (backup && (rc = sqlite3_backup_step(backup, 256)) == SQLITE_OK) sqlite3_sleep(1);
  if (backup) sqlite3_backup_finish(backup);
  const std::string error = sqlite3_errmsg(target);
  sqlite3_close(target);
  if (rc != SQLITE_DONE) {
    std::filesystem::remove(tmp);
    throw std::runtime_error("backup failed: " + error);
  }
  std::filesystem::rename(tmp, destination);
}

bool Database::ping() {
  try {
    Connection c(*this);
    int one = 0;
    c.sql() << "SELECT 1", soci::into(one);
    return one == 1;
  } catch (const std::exception&) {
    return false;
  }
}

namespace {
// The connection of the ReadScope open on this thread, if any.
struct Pinned {
  const Database* db = nullptr;
  std::size_t position = 0;
  soci::session* session = nullptr;
};
thread_local Pinned pinned;
}  // namespace

bool Connection::joinScope() {
  if (pinned.db != &db_) return false;
  position_ = pinned.position;
  session_ = pinned.session;
  borrowed_ = true;
  return true;
}

Connection::Connection(Database& db)
    : db_(db), pool_(db.pool()), uncaught_(std::uncaught_exceptions()) {
  if (joinScope()) return;
  position_ = pool_.lease();
  session_ = &pool_.at(position_);
}

Connection::Connection(Database& db, std::try_to_lock_t)
    : db_(db),
      pool_(db.pool()),
      position_(0),
      session_(nullptr),
      uncaught_(std::uncaught_exceptions()) {
  if (joinScope()) return;
  if (pool_.try_lease(position_, 0)) session_ = &pool_.at(position_);
}

Connection::~Connection() {
  if (!session_) return;
  // Left by an error: its prepared statements may belong to a broken connection.
  if (std::uncaught_exceptions() > uncaught_) statements().clear();
  if (borrowed_) return;  // the scope gives it back
  if (db_.dialect() == Dialect::Sqlite) db_.checkpointIfDue(*session_);
  pool_.give_back(position_);
}

ReadScope::ReadScope(Database& db) : db_(db), position_(0), session_(nullptr) {
  if (pinned.db == &db) {  // inside another scope on this database: part of it
    joined_ = true;
    return;
  }
  if (pinned.db != nullptr) throw std::logic_error("a read scope inside another database's");
  position_ = db.pool().lease();
  session_ = &db.pool().at(position_);
  if (db.dialect() == Dialect::Sqlite) {
    try {
      db.control(*session_, "BEGIN");  // deferred: the first read takes the snapshot
    } catch (...) {
      db.pool().give_back(position_);
      throw;
    }
    began_ = true;
  }
  pinned = {&db, position_, session_};
}

ReadScope::~ReadScope() {
  if (joined_) return;
  pinned = {};
  if (began_) {
    // An error may have ended the transaction already (SQLite rolls back on some).
    if (!sqlite_api::sqlite3_get_autocommit(sqlite::handle(*session_))) {
      try {
        db_.control(*session_, "COMMIT");  // nothing written: it only ends the snapshot
      } catch (...) {  // an error here must not hide the one that unwinds, if any
        db_.statements_[position_].clear();
      }
    }
  }
  db_.pool().give_back(position_);
}

StatementRun::~StatementRun() {
  if (!sqlite_) return;
  // The backend's type is not exported for a dynamic_cast: the caller says which it is.
  auto* backend = static_cast<soci::sqlite3_statement_backend*>(st_.get_backend());
  if (backend && backend->stmt_) sqlite_api::sqlite3_reset(backend->stmt_);
}

namespace {
// Transactions open in this thread: a second one would wait for ever on the writer mutex that
// the first holds (SQLite), or not be part of it (PostgreSQL).
thread_local int transactionsOpen = 0;
}  // namespace

Transaction::Transaction(soci::session& sql, Database& db)
    : turn_(db.writer_, std::defer_lock), sql_(sql), db_(db) {
  if (transactionsOpen > 0)
    throw std::logic_error("a transaction inside another one, in the same thread");
  if (pinned.db == &db) throw std::logic_error("a transaction inside a read scope");
  if (db.dialect() == Dialect::Sqlite) turn_.lock();
  db.control(sql_, db.dialect() == Dialect::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  ++transactionsOpen;
}

Transaction::~Transaction() {
  --transactionsOpen;
  if (!done_) {
    try {
      db_.control(sql_, "ROLLBACK");
    } catch (...) {  // a failed rollback must not hide the error that caused it
    }
  }
}

void Transaction::commit() {
  db_.control(sql_, "COMMIT");
  done_ = true;
  if (turn_.owns_lock()) turn_.unlock();
}

}  // namespace sas::storage
