// The regulators' search index against PostgreSQL 15 + PostGIS on the same data and the same
// questions (docs/benchmarks.md, « Regulators' search »). Not part of CI; run by
// bench/search_bench.sh, which generates the data, starts a throwaway PostgreSQL cluster and
// loads what `export` writes.
//
//   bench_search export  --db sqlite:F --now EPOCH --out DIR
//   bench_search compare --db sqlite:F --now EPOCH --pg CONNINFO [--queries N] [--seed S]
//                        [--count-limit N]   (first page and bounded total against PostgreSQL's
//                        fastest exact statements; their EXPLAIN ANALYZE on the densest town)
//   bench_search towns   --count N --seed S          (addresses for wrk, weighted by population)
//   bench_search index   --db sqlite:F --now EPOCH [--queries N] [--readers R] [--rebuilds K]
//                        [--changes C]
//                        (the index alone; R: the build's readers, SearchSettings::buildReaders
//                        by default; K: builds again after the first, the RSS after each; C:
//                        places changed one at a time after the questions, each timed)
//   bench_search professionals --db sqlite:F [--per-place K] [--seed S]
//                        (directory professionals at every place: names and specialties, issue 16)
//   bench_search who     --db sqlite:F --now EPOCH [--queries N]
//                        (no text, a structure type, a specialty, a name: the same questions)
//   bench_search who-paired --db sqlite:WITHOUT --with sqlite:WITH --now EPOCH [--queries N]
//                        [--rounds R]   (no text, both indexes in one process, alternated)
#include <libpq-fe.h>
#include <sys/resource.h>
#include <time.h>

#include <malloc.h>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/search_service.hpp"
#include "domain/search_index.hpp"
#include "domain/search_text.hpp"
#include "geo/gazetteer.hpp"
#include "geo/offline_geocoder.hpp"
#include "storage/database.hpp"
#include "storage/psc_store.hpp"
#include "storage/search_source.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using sas::domain::Instant;

class FixedClock final : public sas::app::Clock {
 public:
  explicit FixedClock(Instant t) : t_(t) {}
  Instant now() const override { return t_; }

 private:
  Instant t_;
};

std::map<std::string, std::string> options(int argc, char** argv) {
  std::map<std::string, std::string> o;
  for (int i = 2; i + 1 < argc; i += 2) o[std::string(argv[i]).substr(2)] = argv[i + 1];
  return o;
}

std::string need(const std::map<std::string, std::string>& o, const std::string& k) {
  auto it = o.find(k);
  if (it == o.end()) throw std::invalid_argument("--" + k + " manque");
  return it->second;
}

long rssKb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

// Towns drawn by population, as the queries are (the same weights as the data).
class TownDraw {
 public:
  TownDraw(const sas::geo::Gazetteer& g, std::uint64_t seed) : g_(g), state_(seed) {
    double total = 0;
    for (const auto& c : g.communes()) cumulative_.push_back(total += std::max(1L, c.population));
  }
  const sas::geo::Commune& next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    last_ = z;
    const double pick = static_cast<double>(z >> 11) * 0x1.0p-53 * cumulative_.back();
    return g_.communes()[static_cast<std::size_t>(
        std::lower_bound(cumulative_.begin(), cumulative_.end(), pick) - cumulative_.begin())];
  }
  std::uint64_t last() const { return last_; }

 private:
  const sas::geo::Gazetteer& g_;
  std::vector<double> cumulative_;
  std::uint64_t state_;
  std::uint64_t last_ = 0;
};

std::filesystem::path dataDir() {
  return std::filesystem::path(SAS_SOURCE_DIR) / "data";
}

int exportData(const std::map<std::string, std::string>& o) {
  sas::storage::Database db(need(o, "db"), 1);
  sas::storage::SqlSearchSource source(db);
  const Instant now{std::chrono::seconds{std::stoll(need(o, "now"))}};
  const Instant until = now + std::chrono::hours{73};
  // As the service searches by default (search.plage_closes_minutes_before_end).
  const std::chrono::seconds closes = sas::app::SearchSettings{}.plageClosesBeforeEnd;
  const std::filesystem::path out = need(o, "out");
  std::ofstream places(out / "places.csv"), slots(out / "occurrences.csv"),
      periods(out / "periods.csv");
  places << std::setprecision(17);
  std::size_t count = 0, occurrences = 0;
  const sas::domain::Day from = date::floor<date::days>(now) - date::days{1};
  source.forEachPlace(
      from,
      [&](sas::app::SearchRecord&& r) {
        const auto* zone = sas::domain::findZone(r.place.timeZone);
        if (!zone) return;
        ++count;
        places << r.place.id << ',' << r.place.longitude << ',' << r.place.latitude << ','
               << (r.structure.participation.participates ? 1 : 0) << ','
               << (r.structure.participation.acceptsContact ? 1 : 0) << ',' << r.place.timeZone
               << ',' << (r.unavailability.indefinite ? 1 : 0) << '\n';
        for (const auto& p : r.unavailability.periods)
          periods << r.place.id << ','
                  << sas::domain::localToInstant(*zone, p.from, 0).time_since_epoch().count() << ','
                  << sas::domain::localToInstant(*zone, p.to + date::days{1}, 0)
                         .time_since_epoch()
                         .count()
                  << '\n';
        // From the day before: a plage of the evening before may still be offered (its until).
        const auto first = sas::domain::localDay(*zone, now) - date::days{1},
                   last = sas::domain::localDay(*zone, until);
        for (const auto& a : r.availabilities)
          for (const auto& occ : sas::domain::occurrencesBetween(a, *zone, first, last)) {
            const auto offered = sas::domain::offeredUntil(occ, closes);
            if (offered < now || occ.start >= until) continue;
            ++occurrences;
            slots << r.place.id << ',' << occ.start.time_since_epoch().count() << ','
                  << occ.end.time_since_epoch().count() << ',' << int(occ.values.types.bits) << ','
                  << offered.time_since_epoch().count() << '\n';
          }
      },
      1);
  std::cout << "export: " << count << " places, " << occurrences
            << " occurrences starting in the next 73 h\n";
  return 0;
}

struct Row {
  std::int64_t id;
  double distance;
  long long earliest;
  bool participates;
};

// The fastest exact statements found for the same question (issue 17), each prepared once.
// The page: for participants, then for the others, a KNN walk on that kind's partial GiST index
// (sphere order, `<->`) that stops at the k-th place with a matching start; the spheroid
// distance of the farthest of those bounds a second, exact pass (ST_DWithin and ST_Distance on
// the spheroid, ties by id) over the few places within it. The earliest matching start is one
// LATERAL probe of the covering B-tree on occurrences (place, start) INCLUDE (end, types,
// until: the last second it is offered, a started plage up to 30 min before its end; none lasts
// 25 h, which bounds how far back the probe starts). The
// others' walk asks only for what the participants left (LIMIT 0 when they filled the page).
// $1 longitude, $2 latitude, $3 radius (m), $4 now (s), $5 types (bits), $6 k.
const std::string kCentreSql = "ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)::geography";

std::string earliestSql(bool ordered) {
  return std::string(R"SQL(
    SELECT o.start_at AS earliest FROM bench_occurrences o
    WHERE o.place_id = p.id AND o.start_at > $4::bigint - 90000 AND o.until_at >= $4::bigint
      AND o.start_at < extract(epoch FROM ((date_trunc('day', to_timestamp($4::bigint) AT TIME ZONE p.tz)
                                            + interval '3 days') AT TIME ZONE p.tz))
      AND (o.types & $5::int) <> 0
      AND NOT EXISTS (SELECT 1 FROM bench_periods u WHERE u.place_id = p.id
                      AND o.start_at < u.end_at AND u.start_at < o.end_at))SQL") +
         (ordered ? "\n    ORDER BY o.start_at LIMIT 1" : "");
}

const char* const kPlaceVisibleSql =
    "NOT EXISTS (SELECT 1 FROM bench_periods u WHERE u.place_id = p.id\n"
    "                    AND u.start_at <= $4::bigint AND $4::bigint < u.end_at)";

std::string walkSql(const std::string& name, const std::string& kind, const std::string& k) {
  const std::string c = kCentreSql;
  return "knn_" + name + " AS (\n  SELECT ST_Distance(p.geog, " + c +
         ") AS d FROM bench_places p\n  CROSS JOIN LATERAL (" + earliestSql(true) +
         ") e\n  WHERE " + kind + " AND NOT p.indefinite AND ST_DWithin(p.geog, " + c +
         ", $3::float8)\n    AND " + kPlaceVisibleSql + "\n  ORDER BY p.geog <-> " + c + " LIMIT " +
         k + "),\nreach_" + name + " AS (\n  SELECT CASE WHEN count(*) < " + k +
         " THEN $3::float8 ELSE LEAST($3::float8, max(d) + 0.001) END AS r FROM knn_" + name +
         "),\nbest_" + name + " AS (\n  SELECT p.id, p.participates, ST_Distance(p.geog, " + c +
         ") AS d, e.earliest FROM bench_places p\n  CROSS JOIN LATERAL (" + earliestSql(true) +
         ") e\n  WHERE " + kind + " AND NOT p.indefinite\n    AND ST_DWithin(p.geog, " + c +
         ", (SELECT r FROM reach_" + name + "))\n    AND " + kPlaceVisibleSql +
         "\n  ORDER BY d, p.id LIMIT " + k + ")";
}

std::string pageSql() {
  return "WITH " + walkSql("p", "p.participates", "$6::int") + ",\n" +
         walkSql("n", "NOT p.participates", "($6::int - (SELECT count(*) FROM best_p))") +
         "\nSELECT id, participates, d, earliest FROM best_p\n"
         "UNION ALL SELECT id, participates, d, earliest FROM best_n\n"
         "ORDER BY participates DESC, d, id LIMIT $6::int";
}

// The bounded total as its own statement: the places of the disc (GiST) with a matching start,
// counted up to $6 (the cut-off plus one, as the index counts).
std::string countSql() {
  return "SELECT count(*) FROM (\n  SELECT 1 FROM bench_places p\n  WHERE NOT p.indefinite AND "
         "ST_DWithin(p.geog, " +
         kCentreSql + ", $3::float8)\n    AND " + kPlaceVisibleSql + "\n    AND EXISTS (" +
         earliestSql(false) + ")\n  LIMIT $6::int) s";
}

double threadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(std::min<double>(v.size() - 1, p * (v.size() - 1) + 0.5))];
}

PGresult* execute(PGconn* pg, const char* name, const char* const* params) {
  PGresult* res = PQexecPrepared(pg, name, 6, params, nullptr, nullptr, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) throw std::runtime_error(PQerrorMessage(pg));
  return res;
}

// The six parameters of both statements for one question.
struct Params {
  Params(const sas::domain::SearchQuery& q, std::size_t k) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", q.centre.longitude);  // as the index has them
    values[0] = text;
    std::snprintf(text, sizeof text, "%.17g", q.centre.latitude);
    values[1] = text;
    values[2] = std::to_string(q.radiusMetres);
    values[3] = std::to_string(q.now.time_since_epoch().count());
    values[4] = std::to_string(q.types.bits);
    values[5] = std::to_string(k);
    for (std::size_t i = 0; i < 6; ++i) pointers[i] = values[i].c_str();
  }
  std::array<std::string, 6> values;
  std::array<const char*, 6> pointers{};
};

// The plan PostgreSQL uses for the prepared statement `name` (its cached plan, as timed).
void explain(PGconn* pg, const std::string& title, const std::string& name, const Params& p) {
  std::string statement = "EXPLAIN (ANALYZE, BUFFERS) EXECUTE " + name + "(";
  for (std::size_t i = 0; i < p.values.size(); ++i)
    statement += (i ? ", '" : "'") + p.values[i] + "'";
  statement += ")";
  PGresult* res = PQexec(pg, statement.c_str());
  if (PQresultStatus(res) != PGRES_TUPLES_OK) throw std::runtime_error(PQerrorMessage(pg));
  std::cout << "EXPLAIN " << title << "\n";
  for (int i = 0; i < PQntuples(res); ++i) std::cout << PQgetvalue(res, i, 0) << "\n";
  std::cout << "END EXPLAIN\n";
  PQclear(res);
}

int compare(const std::map<std::string, std::string>& o) {
  const Instant now{std::chrono::seconds{std::stoll(need(o, "now"))}};
  const std::size_t queries = o.count("queries") ? std::stoul(o.at("queries")) : 10'000;
  const std::uint64_t seed = o.count("seed") ? std::stoull(o.at("seed")) : 7;
  // The service's default cut-off (search.count_limit).
  const std::size_t countLimit = o.count("count-limit") ? std::stoul(o.at("count-limit"))
                                                        : sas::app::SearchSettings{}.countLimit;
  constexpr std::size_t kPage = 20;
  sas::geo::Gazetteer gazetteer(dataDir());
  sas::geo::OfflineGeocoder geocoder(gazetteer);
  FixedClock clock(now);

  sas::storage::Database db(need(o, "db"), 2);
  sas::storage::SqlSearchSource source(db);
  sas::app::SearchService search(source, geocoder, gazetteer, clock, {});
  const long rssBefore = rssKb();
  const auto t0 = Clock::now();
  search.rebuild();
  const double buildSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const long rssAfter = rssKb();
  std::cout << "index: " << search.placeCount() << " places, " << search.slotCount()
            << " occurrences kept (8-day horizon), built in " << std::fixed << std::setprecision(2)
            << buildSeconds << " s; RSS " << rssBefore / 1024 << " MB before, " << rssAfter / 1024
            << " MB after\n";

  PGconn* pg = PQconnectdb(need(o, "pg").c_str());
  if (PQstatus(pg) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(pg));
  const std::string page = pageSql(), count = countSql();
  for (const auto& [name, sql] : {std::pair{"page", &page}, std::pair{"count", &count}}) {
    PGresult* prepared = PQprepare(pg, name, sql->c_str(), 6, nullptr);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) throw std::runtime_error(PQerrorMessage(pg));
    PQclear(prepared);
  }

  TownDraw towns(gazetteer, seed);
  // Per question: the index's first page alone (no count past what the walk reads) and with its
  // bounded total; PostgreSQL's page statement and its count statement.
  std::vector<double> pageMs, totalMs, pageCpuMs, totalCpuMs, pgPageMs, pgCountMs, pgBothMs;
  std::vector<double> pageRatios, totalRatios;
  std::size_t pageMismatches = 0, countMismatches = 0, totalResults = 0, lowerBounds = 0;
  const std::array<std::uint8_t, 3> types{1, 2, 4};
  for (std::size_t k = 0; k < queries + 100; ++k) {  // the first 100 warm both up, uncounted
    const auto& town = towns.next();
    sas::domain::SearchQuery q;
    q.centre = {town.latitude, town.longitude};
    q.radiusMetres = 20'000;
    q.now = now;
    q.order = sas::domain::SearchOrder::Distance;
    q.types = sas::domain::ConsultationTypes{types[towns.last() % 3]};
    q.limit = kPage;
    // One untimed search first: both timings below are then warm (the PostgreSQL statements of
    // the previous question have run in between and evicted the index's lines).
    q.countLimit = countLimit;
    (void)search.query(q);
    q.countLimit = 0;
    double cpu0 = threadCpuMs();
    auto a = Clock::now();
    const auto first = search.query(q);
    const double firstMs = std::chrono::duration<double, std::milli>(Clock::now() - a).count();
    const double firstCpu = threadCpuMs() - cpu0;
    q.countLimit = countLimit;
    cpu0 = threadCpuMs();
    a = Clock::now();
    const auto answer = search.query(q);
    const double withTotalMs = std::chrono::duration<double, std::milli>(Clock::now() - a).count();
    const double withTotalCpu = threadCpuMs() - cpu0;

    const Params pageParams(q, kPage), countParams(q, countLimit + 1);
    a = Clock::now();
    PGresult* res = execute(pg, "page", pageParams.pointers.data());
    const double pgPage = std::chrono::duration<double, std::milli>(Clock::now() - a).count();
    std::vector<Row> sql;
    for (int i = 0; i < PQntuples(res); ++i)
      sql.push_back({std::stoll(PQgetvalue(res, i, 0)), std::stod(PQgetvalue(res, i, 2)),
                     std::stoll(PQgetvalue(res, i, 3)), PQgetvalue(res, i, 1)[0] == 't'});
    PQclear(res);
    a = Clock::now();
    res = execute(pg, "count", countParams.pointers.data());
    const double pgCount = std::chrono::duration<double, std::milli>(Clock::now() - a).count();
    const std::size_t sqlCount = std::stoul(PQgetvalue(res, 0, 0));
    PQclear(res);

    bool samePage = sql.size() == answer.hits.size() && first.hits.size() == answer.hits.size();
    for (std::size_t i = 0; samePage && i < sql.size(); ++i) {
      const auto& h = answer.hits[i];
      samePage = h.placeId == sql[i].id && first.hits[i].placeId == h.placeId &&
                 h.participates == sql[i].participates &&
                 std::abs(h.distanceMetres - sql[i].distance) < 1e-3 &&
                 h.earliestStart.time_since_epoch().count() == sql[i].earliest;
    }
    const bool sameCount = answer.total == std::min(sqlCount, countLimit) &&
                           answer.totalIsLowerBound == (sqlCount > countLimit);
    if (!samePage) ++pageMismatches;
    if (!sameCount) ++countMismatches;
    if ((!samePage || !sameCount) && pageMismatches + countMismatches <= 5) {
      std::cout << "MISMATCH at " << town.name << " (" << int(q.types.bits) << "): index total "
                << answer.total << (answer.totalIsLowerBound ? "+" : "") << ", SQL count "
                << sqlCount << "\n";
      for (std::size_t i = 0; i < std::max(sql.size(), answer.hits.size()); ++i) {
        std::cout << "  " << i << ": ";
        if (i < answer.hits.size())
          std::cout << answer.hits[i].placeId << " " << answer.hits[i].distanceMetres << " "
                    << answer.hits[i].earliestStart.time_since_epoch().count();
        std::cout << " | ";
        if (i < sql.size())
          std::cout << sql[i].id << " " << sql[i].distance << " " << sql[i].earliest;
        std::cout << "\n";
      }
    }
    if (k < 100) continue;
    totalResults += answer.total;
    lowerBounds += answer.totalIsLowerBound;
    pageMs.push_back(firstMs);
    pageCpuMs.push_back(firstCpu);
    totalMs.push_back(withTotalMs);
    totalCpuMs.push_back(withTotalCpu);
    pgPageMs.push_back(pgPage);
    pgCountMs.push_back(pgCount);
    pgBothMs.push_back(pgPage + pgCount);
    pageRatios.push_back(pgPage / firstMs);
    totalRatios.push_back((pgPage + pgCount) / withTotalMs);
  }

  // One dense question's plans: the most populous town, office consultations.
  const sas::geo::Commune* largest = &gazetteer.communes().front();
  for (const auto& c : gazetteer.communes())
    if (c.population > largest->population) largest = &c;
  sas::domain::SearchQuery dense;
  dense.centre = {largest->latitude, largest->longitude};
  dense.radiusMetres = 20'000;
  dense.now = now;
  dense.types = sas::domain::ConsultationTypes{1};
  explain(pg, "page (" + largest->name + ", 20 km, C, first 20)", "page", Params(dense, kPage));
  explain(pg,
          "count (" + largest->name + ", 20 km, C, up to " + std::to_string(countLimit + 1) + ")",
          "count", Params(dense, countLimit + 1));
  PQfinish(pg);

  // The answers first: a speed-up between different answers means nothing.
  const std::size_t mismatches = pageMismatches + countMismatches;
  std::cout << std::setprecision(4) << "queries: " << queries << "; answers compared: first page "
            << queries - std::min(queries, pageMismatches) << " of " << queries
            << " identical, bounded total " << queries - std::min(queries, countMismatches)
            << " of " << queries << " identical; mean total " << totalResults / queries << ", "
            << lowerBounds << " past the cut-off (" << countLimit << ")\n";
  const auto line = [](const char* what, const std::vector<double>& v) {
    std::cout << what << ": p50 " << percentile(v, 0.5) << " ms, p90 " << percentile(v, 0.9)
              << " ms, p99 " << percentile(v, 0.99) << " ms\n";
  };
  line("index, first page alone, wall clock", pageMs);
  line("index, first page alone, CPU time", pageCpuMs);
  line("index, page with its total, wall clock", totalMs);
  line("index, page with its total, CPU time", totalCpuMs);
  line("PostgreSQL, page statement", pgPageMs);
  line("PostgreSQL, count statement", pgCountMs);
  line("PostgreSQL, page + count", pgBothMs);
  std::cout << "RESULT build_s=" << buildSeconds << " mismatches=" << mismatches
            << " page_mismatches=" << pageMismatches << " count_mismatches=" << countMismatches
            << " index_page_p50_ms=" << percentile(pageMs, 0.5)
            << " index_page_p99_ms=" << percentile(pageMs, 0.99)
            << " index_p50_ms=" << percentile(totalMs, 0.5)
            << " index_p99_ms=" << percentile(totalMs, 0.99)
            << " index_cpu_p50_ms=" << percentile(totalCpuMs, 0.5)
            << " index_cpu_p99_ms=" << percentile(totalCpuMs, 0.99)
            << " pg_page_p50_ms=" << percentile(pgPageMs, 0.5)
            << " pg_page_p99_ms=" << percentile(pgPageMs, 0.99)
            << " pg_count_p50_ms=" << percentile(pgCountMs, 0.5)
            << " pg_count_p99_ms=" << percentile(pgCountMs, 0.99)
            << " pg_p50_ms=" << percentile(pgBothMs, 0.5)
            << " pg_p99_ms=" << percentile(pgBothMs, 0.99) << " rss_mb=" << rssAfter / 1024;
  if (mismatches == 0)
    std::cout << " speedup_page_median=" << percentile(pageRatios, 0.5)
              << " speedup_page_p10=" << percentile(pageRatios, 0.1)
              << " speedup_total_median=" << percentile(totalRatios, 0.5)
              << " speedup_total_p10=" << percentile(totalRatios, 0.1) << "\n"
              << "speed-up (per question, PostgreSQL time / index time): first page alone, median "
              << percentile(pageRatios, 0.5) << " (p10 " << percentile(pageRatios, 0.1)
              << "); page with its total against page + count, median "
              << percentile(totalRatios, 0.5) << " (p10 " << percentile(totalRatios, 0.1) << ")\n";
  else
    std::cout << "\nno speed-up: " << mismatches << " answers differ\n";
  return mismatches == 0 ? 0 : 3;
}

// The index's question for `town`: 20 km, one consultation type, first 20 by distance with the
// total up to the service's cut-off; `typed` in « spécialité, structure ».
sas::domain::SearchQuery townQuestion(const sas::geo::Commune& town, Instant now, std::uint8_t type,
                                      std::string_view typed = {}) {
  sas::domain::SearchQuery q;
  q.centre = {town.latitude, town.longitude};
  q.radiusMetres = 20'000;
  q.now = now;
  q.types = sas::domain::ConsultationTypes{type};
  q.words = sas::domain::searchWords(typed);
  q.limit = 20;
  // As the service asks; read once: making the settings counts the cores (a file read), and
  // that between every two timed questions evicted what the next one could have found cached.
  static const std::size_t countLimit = sas::app::SearchSettings{}.countLimit;
  q.countLimit = countLimit;
  return q;
}

struct TimedAnswer {
  sas::domain::SearchAnswer answer;
  double wallMs = 0;
  double cpuMs = 0;  // this thread's, whatever else runs
};

// What two runs compare to tell whether they answered alike (two builds of one file, say): the
// totals, and each hit's place, distance and slots, folded FNV-1a fashion.
struct AnswerPrint {
  std::uint64_t value = 1469598103934665603ull;
  void add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      value ^= (v >> (8 * i)) & 0xff;
      value *= 1099511628211ull;
    }
  }
  void add(const sas::domain::SearchAnswer& a) {
    add(a.total);
    add(a.available);
    add(a.totalIsLowerBound ? 1 : 0);
    for (const auto& h : a.hits) {
      add(static_cast<std::uint64_t>(h.placeId));
      add(static_cast<std::uint64_t>(std::llround(h.distanceMetres * 1000)));
      add(static_cast<std::uint64_t>(h.earliestStart.time_since_epoch().count()));
      for (const auto& s : h.slots) {
        add(static_cast<std::uint64_t>(s.start.time_since_epoch().count()));
        add(static_cast<std::uint64_t>(s.end.time_since_epoch().count()));
        add(static_cast<std::uint64_t>(s.capacity * 1000 + s.taken));
        add(s.types.bits + (s.kind == sas::domain::AvailabilityKind::Range ? 256u : 0u));
      }
    }
  }
};

TimedAnswer timedQuery(sas::app::SearchService& search, const sas::domain::SearchQuery& q) {
  const double cpu0 = threadCpuMs();
  const auto a = Clock::now();
  TimedAnswer t{search.query(q)};
  t.wallMs = std::chrono::duration<double, std::milli>(Clock::now() - a).count();
  t.cpuMs = threadCpuMs() - cpu0;
  return t;
}

// The index alone, for profiling: the same questions, no PostgreSQL.
int indexOnly(const std::map<std::string, std::string>& o) {
  const Instant now{std::chrono::seconds{std::stoll(need(o, "now"))}};
  const std::size_t queries = o.count("queries") ? std::stoul(o.at("queries")) : 10'000;
  sas::geo::Gazetteer gazetteer(dataDir());
  sas::geo::OfflineGeocoder geocoder(gazetteer);
  FixedClock clock(now);
  sas::storage::Database db(need(o, "db"), 2);
  sas::storage::SqlSearchSource source(db);
  sas::app::SearchSettings settings;
  if (o.count("readers")) settings.buildReaders = std::stoul(o.at("readers"));
  sas::app::SearchService search(source, geocoder, gazetteer, clock, settings);
  const long rssBefore = rssKb();
  const auto t0 = Clock::now();
  search.rebuild();
  std::cout << "index: " << search.placeCount() << " places, " << search.slotCount()
            << " occurrences, built in " << std::chrono::duration<double>(Clock::now() - t0).count()
            << " s; RSS " << rssBefore / 1024 << " MB before, " << rssKb() / 1024 << " MB after"
            << std::endl;
  // What the allocator holds: in use, and free but kept (what RSS counts beyond the heap's use).
  const auto heap = mallinfo2();
  std::cout << "heap: " << (heap.uordblks + heap.hblkhd) / (1024 * 1024) << " MB in use, "
            << heap.fordblks / (1024 * 1024) << " MB free in the arenas" << std::endl;
  // What a running server's daily rebuild leaves: the new index built, the old one freed.
  const std::size_t rebuilds = o.count("rebuilds") ? std::stoul(o.at("rebuilds")) : 0;
  for (std::size_t k = 1; k <= rebuilds; ++k) {
    search.rebuild();
    std::cout << "rebuild " << k << ": RSS " << rssKb() / 1024 << " MB" << std::endl;
  }
  TownDraw towns(gazetteer, o.count("seed") ? std::stoull(o.at("seed")) : 7);
  const std::array<std::uint8_t, 3> types{1, 2, 4};
  std::vector<std::pair<double, std::string>> times;
  std::vector<double> cpu;
  const sas::geo::Commune* only = nullptr;
  AnswerPrint print;
  if (o.count("town"))
    for (const auto& c : gazetteer.communes())
      if (c.name == o.at("town")) only = &c;
  for (std::size_t k = 0; k < queries; ++k) {
    const auto& town = only ? *only : towns.next();
    const auto t = timedQuery(
        search, townQuestion(town, now, only ? std::uint8_t{1} : types[towns.last() % 3]));
    cpu.push_back(t.cpuMs);
    print.add(t.answer);
    times.emplace_back(cpu.back(), town.name + " " + std::to_string(t.answer.total) + " wall " +
                                       std::to_string(t.wallMs));
  }
  std::cout << "answers: " << queries << ", fingerprint " << std::hex << print.value << std::dec
            << "\n";
  std::vector<double> ms;
  for (const auto& t : times) ms.push_back(std::stod(t.second.substr(t.second.rfind(' ') + 1)));
  std::sort(times.begin(), times.end());
  std::cout << "index ms: p50 " << percentile(ms, 0.5) << ", p90 " << percentile(ms, 0.9)
            << ", p99 " << percentile(ms, 0.99) << "; slowest by CPU:";
  for (std::size_t i = times.size() > 5 ? times.size() - 5 : 0; i < times.size(); ++i)
    std::cout << " " << times[i].second << " (" << times[i].first << " ms)";
  std::cout << "\nindex CPU ms (this thread's time, whatever else runs): p50 "
            << percentile(cpu, 0.5) << ", p90 " << percentile(cpu, 0.9) << ", p99 "
            << percentile(cpu, 0.99) << "\n";
  // A place's change as the index takes it (an agenda saved, a publisher's slots): read again
  // from the database, put, its cells' counts made again.
  const std::size_t changes = o.count("changes") ? std::stoul(o.at("changes")) : 0;
  if (changes > 0) {
    const auto places = static_cast<std::int64_t>(search.placeCount());
    std::uint64_t state = 11;
    std::vector<double> changeMs;
    for (std::size_t k = 0; k < changes; ++k) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const auto id =
          1 + static_cast<std::int64_t>((state >> 33) % static_cast<std::uint64_t>(places));
      const auto a = Clock::now();
      search.placeChanged(id);
      changeMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
    }
    std::cout << "place changed (" << changes << ", ids 1 to " << places << ") ms: p50 "
              << percentile(changeMs, 0.5) << ", p99 " << percentile(changeMs, 0.99) << "; index "
              << search.placeCount() << " places, " << search.slotCount() << " occurrences\n";
  }
  return 0;
}

// Issue 16: K professionals of the directory at each place's structure, names drawn from common
// French ones, specialties « Médecine générale » for 6 in 10, else one of the others. Through
// the directory's store, as `sas import-directory` writes them.
int addProfessionals(const std::map<std::string, std::string>& o) {
  const std::size_t perPlace =
      std::min<std::size_t>(999, o.count("per-place") ? std::stoul(o.at("per-place")) : 2);
  std::uint64_t state = o.count("seed") ? std::stoull(o.at("seed")) : 5;
  auto below = [&](std::size_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>((state >> 33) % n);
  };
  static const std::array<const char*, 16> kFirst{
      "Marie", "Jean",   "Claire",  "Pierre", "Sophie", "Nicolas", "Isabelle", "Thomas",
      "Anne",  "Julien", "Camille", "Paul",   "Hélène", "Karim",   "Inès",     "Noël"};
  static const std::array<const char*, 16> kLast{
      "MARTIN", "BERNARD", "DUBOIS", "THOMAS",  "ROBERT",  "RICHARD", "PETIT",  "DURAND",
      "LEROY",  "MOREAU",  "SIMON",  "LAURENT", "LEFÈVRE", "MICHEL",  "GARCIA", "BÉRANGER"};
  static const std::array<const char*, 6> kOther{"Pédiatrie",    "Gynécologie", "Cardiologie",
                                                 "Dermatologie", "Psychiatrie", "Ophtalmologie"};
  sas::storage::Database db(need(o, "db"), 1);
  sas::storage::SqlSearchSource source(db);
  std::vector<std::int64_t> structures;
  source.forEachPlace(
      sas::domain::Day{}, [&](sas::app::SearchRecord&& r) { structures.push_back(r.structure.id); },
      1);
  std::sort(structures.begin(), structures.end());
  structures.erase(std::unique(structures.begin(), structures.end()), structures.end());
  sas::storage::SqlPscStore directory(db);
  std::size_t count = 0;
  for (const auto sid : structures)
    for (std::size_t k = 0; k < perPlace; ++k) {
      // « 8 » and 11 digits, an RPPS as the FHIR publisher reads it.
      const std::string id =
          "8" + std::to_string(90000000000 + sid * 1000 + static_cast<std::int64_t>(k));
      const bool general = below(10) < 6;
      directory.saveProfessional({id, kLast[below(kLast.size())], kFirst[below(kFirst.size())],
                                  "Médecin",
                                  general ? "Médecine générale" : kOther[below(kOther.size())]});
      directory.addDirectoryPlace(id, "bench:" + std::to_string(sid), sid);
      ++count;
    }
  std::cout << "professionals: " << count << " at " << structures.size() << " structures\n";
  return 0;
}

// Issue 16: the same questions (towns by population, 20 km, one type, first 20 by distance)
// with no text, a structure type, a specialty and a professional's name, each timed alone.
int whoQueries(const std::map<std::string, std::string>& o) {
  const Instant now{std::chrono::seconds{std::stoll(need(o, "now"))}};
  const std::size_t queries = o.count("queries") ? std::stoul(o.at("queries")) : 10'000;
  sas::geo::Gazetteer gazetteer(dataDir());
  sas::geo::OfflineGeocoder geocoder(gazetteer);
  FixedClock clock(now);
  sas::storage::Database db(need(o, "db"), 2);
  sas::storage::SqlSearchSource source(db);
  sas::app::SearchService search(source, geocoder, gazetteer, clock, {});
  const long rssBefore = rssKb();
  const auto t0 = Clock::now();
  search.rebuild();
  const double buildSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::cout << std::fixed << std::setprecision(2) << "index: " << search.placeCount()
            << " places, built in " << buildSeconds << " s; RSS " << rssBefore / 1024
            << " MB before, " << rssKb() / 1024 << " MB after\n";
  const std::array<std::pair<const char*, const char*>, 4> kinds{
      {{"none", ""},
       {"type", "centre de santé"},
       {"specialty", "médecine générale"},
       {"name", "martin"}}};
  const std::array<std::uint8_t, 3> types{1, 2, 4};
  std::cout << std::setprecision(4) << "RESULT";
  for (const auto& [kind, typed] : kinds) {
    TownDraw towns(gazetteer, o.count("seed") ? std::stoull(o.at("seed")) : 7);
    std::vector<double> wall, cpu;
    std::size_t found = 0;
    for (std::size_t k = 0; k < queries + 100; ++k) {  // the first 100 warm up, uncounted
      const auto& town = towns.next();
      const auto t = timedQuery(search, townQuestion(town, now, types[towns.last() % 3], typed));
      if (k < 100) continue;
      wall.push_back(t.wallMs);
      cpu.push_back(t.cpuMs);
      found += t.answer.total;
    }
    std::cout << " " << kind << "_p50_ms=" << percentile(wall, 0.5) << " " << kind
              << "_p99_ms=" << percentile(wall, 0.99) << " " << kind
              << "_cpu_p50_ms=" << percentile(cpu, 0.5) << " " << kind
              << "_cpu_p99_ms=" << percentile(cpu, 0.99) << " " << kind
              << "_mean_total=" << found / queries;
  }
  std::cout << " build_s=" << buildSeconds << " rss_mb=" << rssKb() / 1024 << "\n";
  return 0;
}

// Issue 16, paired: the same no-text questions asked of two indexes in one process, one built
// from a file without professionals (`--db`), one from the same file with them (`--with`),
// alternating which goes first at each question, so that whatever else the machine does falls
// on both alike; `--rounds` passes over the questions, each with its own p99s.
int whoPaired(const std::map<std::string, std::string>& o) {
  const Instant now{std::chrono::seconds{std::stoll(need(o, "now"))}};
  const std::size_t queries = o.count("queries") ? std::stoul(o.at("queries")) : 10'000;
  const std::size_t rounds = o.count("rounds") ? std::stoul(o.at("rounds")) : 3;
  sas::geo::Gazetteer gazetteer(dataDir());
  sas::geo::OfflineGeocoder geocoder(gazetteer);
  FixedClock clock(now);
  sas::storage::Database dbWithout(need(o, "db"), 2), dbWith(need(o, "with"), 2);
  sas::storage::SqlSearchSource sourceWithout(dbWithout), sourceWith(dbWith);
  sas::app::SearchService without(sourceWithout, geocoder, gazetteer, clock, {});
  sas::app::SearchService with(sourceWith, geocoder, gazetteer, clock, {});
  without.rebuild();
  with.rebuild();
  std::cout << std::fixed << std::setprecision(4) << "indexes: " << without.placeCount()
            << " places without professionals, " << with.placeCount() << " with\n";
  if (without.placeCount() != with.placeCount()) throw std::runtime_error("not the same places");
  const std::array<std::uint8_t, 3> types{1, 2, 4};
  std::vector<double> ratios;
  for (std::size_t round = 0; round < rounds; ++round) {
    TownDraw towns(gazetteer, (o.count("seed") ? std::stoull(o.at("seed")) : 7) + round);
    std::vector<double> wallWithout, wallWith, cpuWithout, cpuWith;
    for (std::size_t k = 0; k < queries + 100; ++k) {  // the first 100 warm up, uncounted
      const auto& town = towns.next();
      const auto q = townQuestion(town, now, types[towns.last() % 3]);
      auto timed = [&](sas::app::SearchService& s, std::vector<double>& wall,
                       std::vector<double>& cpu) {
        auto t = timedQuery(s, q);
        if (k >= 100) {
          wall.push_back(t.wallMs);
          cpu.push_back(t.cpuMs);
        }
        return std::move(t.answer);
      };
      const bool withFirst = k % 2 == 1;
      auto first =
          withFirst ? timed(with, wallWith, cpuWith) : timed(without, wallWithout, cpuWithout);
      auto second =
          withFirst ? timed(without, wallWithout, cpuWithout) : timed(with, wallWith, cpuWith);
      // Both must give the same places in the same order: the professionals change no answer
      // to a question without text.
      if (first.total != second.total || first.hits.size() != second.hits.size())
        throw std::runtime_error("different answers at " + town.name);
      for (std::size_t i = 0; i < first.hits.size(); ++i)
        if (first.hits[i].placeId != second.hits[i].placeId)
          throw std::runtime_error("different answers at " + town.name);
    }
    const double ratio = percentile(wallWith, 0.99) / percentile(wallWithout, 0.99);
    ratios.push_back(ratio);
    std::cout << "round " << round + 1 << ": without p50 " << percentile(wallWithout, 0.5)
              << " / p99 " << percentile(wallWithout, 0.99) << " ms (CPU p99 "
              << percentile(cpuWithout, 0.99) << "), with p50 " << percentile(wallWith, 0.5)
              << " / p99 " << percentile(wallWith, 0.99) << " ms (CPU p99 "
              << percentile(cpuWith, 0.99) << "); p99 with / without " << ratio << "\n";
  }
  std::sort(ratios.begin(), ratios.end());
  std::cout << "RESULT paired_p99_ratio_median=" << ratios[ratios.size() / 2]
            << " paired_p99_ratio_max=" << ratios.back() << " rounds=" << rounds << "\n";
  return 0;
}

int townList(const std::map<std::string, std::string>& o) {
  sas::geo::Gazetteer gazetteer(dataDir());
  TownDraw towns(gazetteer, std::stoull(need(o, "seed")));
  const std::size_t n = std::stoul(need(o, "count"));
  for (std::size_t i = 0; i < n; ++i) {
    const auto& t = towns.next();
    std::cout << "1 rue de la Gare " << t.postalCodes.front() << " " << t.name << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2) throw std::invalid_argument("export | compare | towns");
    const std::string command = argv[1];
    const auto o = options(argc, argv);
    if (command == "export") return exportData(o);
    if (command == "compare") return compare(o);
    if (command == "towns") return townList(o);
    if (command == "index") return indexOnly(o);
    if (command == "professionals") return addProfessionals(o);
    if (command == "who") return whoQueries(o);
    if (command == "who-paired") return whoPaired(o);
    throw std::invalid_argument("commande inconnue : " + command);
  } catch (const std::exception& e) {
    std::cerr << "bench_search: " << e.what() << "\n";
    return 1;
  }
}
