// What operations rely on: /healthz, /metrics, and a consistent SQLite backup while serving.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "app/search_service.hpp"
#include "storage/database.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_platform.hpp"

namespace sas::test {
namespace {

const char* const kPassword = "Correct-Horse-42!";

TEST(Operations, HealthIsOkThenDegradedWhenEmailsAreStuck) {
  SmtpSink smtp;
  TestPlatform platform(parisTime(2026, 3, 4, 10), [&](config::Config& c) {
    c.mailTransport = "smtp";
    c.smtpPort = smtp.port();
  });
  Browser b(platform.port());
  auto ok = b.get("/healthz");
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("\"database\":\"ok\""), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(ok.body)["index"]["status"], "current");
  // An email the SMTP server cannot take, for 15 minutes: the outbox is stuck.
  platform.addManager("camille@sas.test", kPassword, {platform.addCentre("Centre").first});
  smtp.stop();
  b.get("/mot-de-passe-oublie");
  b.post("/mot-de-passe-oublie", {{"email", "camille@sas.test"}});
  platform.platform().deliverMail();
  platform.clock().advance(std::chrono::minutes{15} - std::chrono::seconds{1});
  platform.platform().search().catchUp();  // the new centre: only the outbox is judged here
  EXPECT_EQ(b.get("/healthz").status, 200);
  platform.clock().advance(std::chrono::seconds{1});
  auto stuck = b.get("/healthz");
  EXPECT_EQ(stuck.status, 503);
  EXPECT_NE(stuck.body.find("\"pending\":1"), std::string::npos);
}

TEST(Operations, MetricsCountRequestsInThePrometheusFormat) {
  TestPlatform platform(parisTime(2026, 3, 4, 10));
  Browser b(platform.port());
  b.get("/connexion");
  b.get("/nulle-part");
  auto m = b.get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.headers["Content-Type"].find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(m.body.find("sas_http_requests_total{class=\"2xx\"} 1"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("sas_http_requests_total{class=\"4xx\"} 1"), std::string::npos);
  EXPECT_NE(m.body.find("sas_http_request_duration_seconds_count 2"), std::string::npos);
  EXPECT_NE(m.body.find("sas_outbox_pending 0"), std::string::npos);
  EXPECT_NE(m.body.find("sas_database_up 1"), std::string::npos);
  // The search index: its size and how far it lags behind the committed changes.
  EXPECT_NE(m.body.find("# TYPE sas_search_index_places gauge\nsas_search_index_places 0\n"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("sas_search_index_occurrences 0\n"), std::string::npos);
  EXPECT_NE(m.body.find("sas_search_index_pending_changes 0\n"), std::string::npos);
  EXPECT_NE(
      m.body.find("# TYPE sas_search_index_lag_seconds gauge\nsas_search_index_lag_seconds 0\n"),
      std::string::npos);
  EXPECT_NE(m.body.find("sas_search_index_current 1\n"), std::string::npos);
  EXPECT_NE(m.body.find("sas_search_index_builds_total 1\n"), std::string::npos);
}

TEST(Operations, HealthSaysWhenTheSearchIndexLagsBehindCommittedChanges) {
  TestPlatform platform(parisTime(2026, 3, 4, 10));
  Browser b(platform.port());
  // A place and its agenda committed straight to the database, as another process would.
  const auto place = platform.addCentre("Centre Ailleurs").second;
  domain::Availability a;
  a.placeId = place;
  a.base = {domain::localDay(*domain::findZone("Europe/Paris"), platform.clock().now()),
            14 * 60,
            15 * 60,
            domain::AvailabilityKind::Slot,
            1,
            {}};
  a.base.types.add(domain::ConsultationType::Office);
  domain::AgendaChange change;
  change.created.push_back(a);
  platform.agenda().applyChange(place, change, {std::nullopt, "test", "", "", ""},
                                platform.clock().now());
  auto fresh = b.get("/healthz");
  EXPECT_EQ(fresh.status, 200) << fresh.body;
  auto index = nlohmann::json::parse(fresh.body)["index"];
  EXPECT_EQ(index["status"], "current");
  EXPECT_EQ(index["pending_changes"], 2);  // the place's creation, then its availability
  EXPECT_EQ(index["lag_seconds"], 0);

  // Not applied 30 seconds later: the index is behind, the process says so.
  platform.clock().advance(std::chrono::seconds{30});
  EXPECT_EQ(b.get("/healthz").status, 200);
  platform.clock().advance(std::chrono::seconds{1});
  auto behind = b.get("/healthz");
  EXPECT_EQ(behind.status, 503);
  index = nlohmann::json::parse(behind.body)["index"];
  EXPECT_EQ(index["status"], "behind");
  EXPECT_EQ(index["lag_seconds"], 31);
  EXPECT_EQ(index["places"], 0);
  auto m = b.get("/metrics");
  EXPECT_NE(m.body.find("sas_search_index_pending_changes 2\n"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("sas_search_index_lag_seconds 31\n"), std::string::npos);
  EXPECT_NE(m.body.find("sas_search_index_current 0\n"), std::string::npos);

  // Once applied (what each search and the background job do), current again.
  platform.platform().search().catchUp();
  auto caught = b.get("/healthz");
  EXPECT_EQ(caught.status, 200) << caught.body;
  index = nlohmann::json::parse(caught.body)["index"];
  EXPECT_EQ(index["status"], "current");
  EXPECT_EQ(index["pending_changes"], 0);
  EXPECT_EQ(index["places"], 1);
  EXPECT_EQ(index["occurrences"], 1);
  m = b.get("/metrics");
  EXPECT_NE(m.body.find("sas_search_index_places 1\n"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("sas_search_index_occurrences 1\n"), std::string::npos);
}

TEST(Operations, BackupWhileWritingIsConsistent) {
  TestPlatform platform(parisTime(2026, 3, 4, 10));
  if (platform.platform().database().dialect() == storage::Dialect::Postgres) {
    // SQLite's backup API; PostgreSQL is backed up with its own tools, and says so.
    try {
      platform.platform().database().backupTo("/tmp/unused.sqlite");
      ADD_FAILURE() << "backupTo must refuse on PostgreSQL";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("pg_dump"), std::string::npos);
    }
    return;
  }
  auto [structure, place] = platform.addCentre("Centre");
  platform.addManager("camille@sas.test", kPassword, {structure});
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    Browser b(platform.port());
    b.login("camille@sas.test", kPassword);
    for (int i = 0; !stop && i < 200; ++i) {
      b.get("/lieux/" + std::to_string(place) + "/agenda");
      b.post("/lieux/" + std::to_string(place) + "/disponibilites",
             {{"date", "2026-03-05"},
              {"de", "10:00"},
              {"a", "11:00"},
              {"type_disponibilite", "creneau"},
              {"cabinet", "1"},
              {"lundi", "1"},
              {"mardi", "1"}});
    }
  });
  // The copy starts once writes are under way.
  while (platform.agenda().availabilitiesOfPlace(place, domain::Day{}).empty())
    std::this_thread::yield();
  const auto copy = std::filesystem::temp_directory_path() /
                    ("sas-backup-" + std::to_string(::getpid()) + ".sqlite");
  platform.platform().database().backupTo(copy);
  stop = true;
  writer.join();
  {
    storage::Database db("sqlite:" + copy.string(), 1);
    storage::Connection c(db);
    std::string integrity;
    c.sql() << "PRAGMA integrity_check", soci::into(integrity);
    EXPECT_EQ(integrity, "ok");
    // Each creation wrote 3 availabilities, 1 audit row and 1 change in one transaction: a
    // consistent copy has them in step (one more change: the place's creation).
    int availabilities = 0, audits = 0, changes = 0;
    c.sql() << "SELECT COUNT(*) FROM availabilities", soci::into(availabilities);
    c.sql() << "SELECT COUNT(*) FROM audit_log WHERE action = 'availability.create'",
        soci::into(audits);
    c.sql() << "SELECT COUNT(*) FROM changes", soci::into(changes);
    EXPECT_GT(audits, 0);
    EXPECT_EQ(availabilities, 3 * audits);
    EXPECT_EQ(changes, audits + 1);
  }
  // Closed first: the copy's log files go with it rather than stay behind in the folder.
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(copy.string() + suffix);
}

// The write-ahead log is copied into the database by its own thread once a connection is given
// back, not inside the COMMIT (under the writer mutex) nor by the worker that gave it back:
// without that, SQLite's hook replaced, it would only grow.
TEST(Operations, SqliteLogIsCheckpointedOnceWritesPassAThousandPages) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("sas-wal-" + std::to_string(::getpid()) + ".sqlite");
  {
    storage::Database db("sqlite:" + file.string(), 2);
    {
      storage::Connection c(db);
      c.sql() << "CREATE TABLE filler (b BLOB)";
    }
    {
      // One commit past 1,000 pages: not copied by the COMMIT (the writer mutex is still held
      // then), but once the connection is given back.
      storage::Connection c(db);
      storage::Transaction tx(c.sql(), db);
      for (int i = 0; i < 70; ++i)  // 70 × 64 KiB: about 1,150 pages of 4 KiB
        c.sql() << "INSERT INTO filler (b) VALUES (randomblob(65536))";
      tx.commit();
      EXPECT_LT(std::filesystem::file_size(file), 1024u * 1024u) << "checkpointed in COMMIT";
    }
    db.waitForCheckpoints();
    EXPECT_GT(std::filesystem::file_size(file), 4u * 1024u * 1024u) << "not checkpointed after";
    int pageSize = 0;
    for (int i = 0; i < 300; ++i) {  // 300 × 64 KiB: about 4,800 pages of 4 KiB
      {
        storage::Connection c(db);
        storage::Transaction tx(c.sql(), db);
        c.sql() << "INSERT INTO filler (b) VALUES (randomblob(65536))";
        tx.commit();
        if (i == 0) c.sql() << "PRAGMA page_size", soci::into(pageSize);
      }                         // given back: a checkpoint asked once the log passed 1,000 pages
      db.waitForCheckpoints();  // done before the next writer, who starts the log again
    }
    ASSERT_GT(pageSize, 0);
    const auto wal = std::filesystem::file_size(file.string() + "-wal");
    EXPECT_LT(wal, 2u * 1000u * static_cast<unsigned>(pageSize)) << wal << " bytes of log";
    EXPECT_GT(std::filesystem::file_size(file), 10u * 1024u * 1024u);  // copied into the file
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
}

// A transaction left without COMMIT (an error) gives the writer mutex back: another thread's
// transaction goes on. A second transaction in the same thread is refused, not waited for.
TEST(Operations, ATransactionRolledBackLetsTheNextWriterIn) {
  TestPlatform platform(parisTime(2026, 3, 4, 10));
  auto& db = platform.platform().database();
  {
    storage::Connection c(db);
    storage::Transaction tx(c.sql(), db);
    storage::Connection other(db);
    EXPECT_THROW(storage::Transaction(other.sql(), db), std::logic_error);
  }  // rolled back
  auto next = std::async(std::launch::async, [&db] {
    storage::Connection c(db);
    storage::Transaction tx(c.sql(), db);
    tx.commit();
    return true;
  });
  ASSERT_EQ(next.wait_for(std::chrono::seconds{10}), std::future_status::ready);
  EXPECT_TRUE(next.get());
}

// The reads of a scope share one connection (both databases) and, on SQLite, one snapshot: a
// row written meanwhile by another thread is seen after the scope, not inside it. A scope
// opened inside it joins it; a transaction inside it is refused, not deadlocked.
TEST(Operations, AReadScopeKeepsItsConnectionAndOnSqliteItsSnapshot) {
  TestPlatform platform(parisTime(2026, 3, 4, 10));
  auto& db = platform.platform().database();
  const bool sqlite = db.dialect() == storage::Dialect::Sqlite;
  const auto count = [&db] {
    storage::Connection c(db);
    int n = 0;
    c.sql() << "SELECT COUNT(*) FROM users", soci::into(n);
    return n;
  };
  const auto addUser = [&db](const std::string& email) {
    return std::async(std::launch::async, [&db, email] {
      storage::Connection c(db);
      storage::Transaction tx(c.sql(), db);
      c.sql() << "INSERT INTO users (email, first_name, last_name, role, password_hash, "
                 "disabled, created_at) VALUES (:e, 'A', 'B', 'regulateur', 'x', 0, 0)",
          soci::use(email);
      tx.commit();
    });
  };
  const int before = count();
  {
    storage::ReadScope scope(db);
    soci::session* first = nullptr;
    soci::session* second = nullptr;
    {
      storage::Connection c(db);
      first = &c.sql();
    }
    EXPECT_EQ(count(), before);
    {
      storage::ReadScope inner(db);  // joins
      storage::Connection c(db);
      second = &c.sql();
    }
    EXPECT_EQ(first, second) << "one connection for the scope's reads";
    addUser("pendant@sas.test").get();  // another thread, another connection
    EXPECT_EQ(count(), sqlite ? before : before + 1) << "SQLite: the scope's snapshot";
    storage::Connection c(db);
    EXPECT_THROW(storage::Transaction(c.sql(), db), std::logic_error);
  }
  EXPECT_EQ(count(), before + 1) << "after the scope, the row written meanwhile";
  addUser("apres@sas.test").get();  // the scope gave its connection back, unlocked
  EXPECT_EQ(count(), before + 2);
}

}  // namespace
}  // namespace sas::test
