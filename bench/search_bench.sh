#!/usr/bin/env bash
# Regulators' search (issue 4): the in-memory index against PostgreSQL 15 + PostGIS on the same
# generated national data set and the same 10,000 questions, then the HTTP JSON search under
# wrk. Writes the figures to docs/benchmarks.md (section « Regulators' search »). Not part of CI.
# Usage: bench/search_bench.sh [build-dir]       (PLACES=100000 QUERIES=10000 by default)
#   COMPARE_ONLY=1: stop after the index against PostgreSQL (no HTTP, docs/benchmarks.md left
#   as it is), e.g. PLACES=10000 QUERIES=200 COMPARE_ONLY=1 to check that it works.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
places=${PLACES:-100000}
queries=${QUERIES:-10000}
for p in postgresql-15-postgis-3 wrk nginx-light; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done
bin=$(ls -d /usr/lib/postgresql/15/bin)
work=$(mktemp -d /tmp/sas-search-bench-XXXXXX)
chmod 755 "$work"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -d "$work/pg/data" ] && runuser -u postgres -- "$bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== data: $places places (seed 1)"
db="sqlite:$work/sas.sqlite"
start=$(date +%s)
if [ -n "${REUSE_DB:-}" ]; then  # a file made by an earlier run of the same command
  cp "$REUSE_DB" "$work/sas.sqlite"
  generated="an earlier run (REUSE_DB)"
else
  SAS_DATABASE_URL="$db" "$build"/sas national-data --places "$places" --seed 1 | tail -n 1
  generated="$(( $(date +%s) - start )) s"
fi
# A fixed 72 h window: next Tuesday 08:00 in Paris (the series start this week).
tuesday=$(TZ=Europe/Paris date -d "next monday + 1 day" +%F)
now=$(TZ=Europe/Paris date -d "$tuesday 08:00" +%s)
mkdir -p "$work/csv"
"$build"/bench_search export --db "$db" --now "$now" --out "$work/csv" | tee "$work/export.txt"
chmod -R a+r "$work/csv"

echo "== PostgreSQL 15 + PostGIS"
mkdir -p "$work/pg" && chown postgres "$work/pg"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
runuser -u postgres -- "$bin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$work/pg -c fsync=off -c shared_buffers=1GB -c work_mem=64MB -c effective_cache_size=8GB -c random_page_cost=1.1 -c jit=off" \
  start >/dev/null
psql() { runuser -u postgres -- "$bin/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql -c "CREATE DATABASE bench"
psql -d bench <<SQL
CREATE EXTENSION postgis;
CREATE TABLE bench_places (id bigint PRIMARY KEY, lon float8, lat float8, participates boolean,
  accepts_contact boolean, tz text, indefinite boolean, geog geography(Point, 4326));
CREATE TABLE bench_occurrences (place_id bigint, start_at bigint, end_at bigint, types int,
  until_at bigint);  -- the last second it is offered (a started plage: until 30 min before its end)
CREATE TABLE bench_periods (place_id bigint, start_at bigint, end_at bigint);
\copy bench_places (id, lon, lat, participates, accepts_contact, tz, indefinite) FROM '$work/csv/places.csv' CSV
\copy bench_occurrences FROM '$work/csv/occurrences.csv' CSV
\copy bench_periods FROM '$work/csv/periods.csv' CSV
UPDATE bench_places SET geog = ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography;
CREATE INDEX ON bench_places USING gist (geog);
-- The page's two KNN walks (issue 17): one partial GiST per kind.
CREATE INDEX ON bench_places USING gist (geog) WHERE participates AND NOT indefinite;
CREATE INDEX ON bench_places USING gist (geog) WHERE NOT participates AND NOT indefinite;
-- The earliest matching start: an index-only probe (covering B-tree).
CREATE INDEX ON bench_occurrences (place_id, start_at) INCLUDE (end_at, types, until_at);
CREATE INDEX ON bench_periods (place_id);
VACUUM ANALYZE;
SQL

echo "== the index alone (warm caches): $queries queries"
"$build"/bench_search index --db "$db" --now "$now" --queries "$queries" | tee "$work/alone.txt"
alone_wall=$(sed -n 's/^index ms: p50 \([^,]*\), p90 [^,]*, p99 \([^;]*\);.*/\1 ms \/ \2 ms/p' "$work/alone.txt")
alone_cpu=$(sed -n 's/^index CPU ms.*p50 \([^,]*\), p90 [^,]*, p99 \(.*\)$/\1 ms \/ \2 ms/p' "$work/alone.txt")

echo "== index against PostGIS: $queries queries"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$build"/bench_search compare --db "$db" --now "$now" \
  --pg "host=127.0.0.1 port=$port user=postgres dbname=bench" --queries "$queries" | tee "$work/compare.txt"
if [ -n "${COMPARE_ONLY:-}" ]; then
  grep -q '^RESULT.* mismatches=0 ' "$work/compare.txt" && echo "== answers identical" || echo "== ANSWERS DIFFER"
  exit 0
fi

echo "== HTTP: wrk -t1 -c16 -d10s on GET /api/v1/search"
token=$(SAS_DATABASE_URL="$db" "$build"/sas token create --name "bench-$(date +%s)" | tail -n 1)
http=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
SAS_DATABASE_URL="$db" SAS_PORT="$http" "$build"/sas serve --config config/sas.properties >"$work/sas.log" 2>&1 &
server=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$http/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
"$build"/bench_search towns --count 1000 --seed 11 >"$work/addresses.txt"
python3 - "$work/addresses.txt" "$work/search.lua" "$token" <<'PY'
import sys, urllib.parse
lines = [l.strip() for l in open(sys.argv[1]) if l.strip()]
paths = ["/api/v1/search?adresse=%s&rayon=20&cabinet=1&par_page=20" % urllib.parse.quote(l) for l in lines]
with open(sys.argv[2], "w") as f:
    f.write('local paths = {%s}\n' % ",".join('"%s"' % p for p in paths))
    f.write('local i = 0\n')
    f.write('wrk.headers["Authorization"] = "Bearer %s"\n' % sys.argv[3])
    f.write('request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n')
PY
wrk -t1 -c16 -d3s -s "$work/search.lua" "http://127.0.0.1:$http" >/dev/null  # warm-up
wrk_out=$(wrk -t1 -c16 -d10s --latency -s "$work/search.lua" "http://127.0.0.1:$http")
echo "$wrk_out"
rss_mb=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$server/status")
echo "server RSS after the run: $rss_mb MB"
rps=$(awk '/Requests\/sec/ {print $2}' <<<"$wrk_out")
p50=$(awk '$1 == "50%" {print $2}' <<<"$wrk_out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$wrk_out")
non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$wrk_out")

echo "== the same JSON answer from sas and from nginx (a static file), -c16; sas at -c256"
one=$(python3 -c 'import sys, urllib.parse; l = open(sys.argv[1]).readline().strip(); print("/api/v1/search?adresse=%s&rayon=20&cabinet=1&par_page=20" % urllib.parse.quote(l))' "$work/addresses.txt")
curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$http$one" >"$work/answer.json"
bytes=$(wc -c <"$work/answer.json")
mkdir -p "$work/www" && cp "$work/answer.json" "$work/www/answer.json" && chmod -R a+rX "$work/www"
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  # nginx at its best for one static file (as bench/agenda_page.sh): with its defaults it closed
  # each keep-alive connection after 1,000 requests and served about half as many a second.
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  open_file_cache max=16 inactive=60s;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nginx_port; root $work/www; location / { default_type application/json; } }
}
CONF
nginx -c "$work/nginx.conf"
trap 'nginx -c "$work/nginx.conf" -s stop 2>/dev/null; cleanup' EXIT
expect() {  # expect NAME URL [curl args…]: 200 and $bytes bytes, else stop
  local name=$1 url=$2; shift 2
  read -r code size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "$@" "$url")
  if [ "$code" != 200 ] || [ "$size" != "$bytes" ]; then
    echo "$name answered $code with $size bytes (expected 200 with $bytes): no figures" >&2
    exit 1
  fi
}
expect sas "http://127.0.0.1:$http$one" -H "Authorization: Bearer $token"
expect nginx "http://127.0.0.1:$nginx_port/answer.json"
same_sas=$(wrk -t1 -c16 -d10s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$http$one")
same_nginx=$(wrk -t1 -c16 -d10s --latency "http://127.0.0.1:$nginx_port/answer.json")
wide=$(wrk -t2 -c256 -d10s --latency -s "$work/search.lua" "http://127.0.0.1:$http")
# The ratio compares answers only: any error or non-2xx under load voids it.
for side in "sas:$same_sas" "nginx:$same_nginx"; do
  if grep -qE 'Socket errors|Non-2xx' <<<"${side#*:}"; then
    echo "${side%%:*} answered errors or non-2xx under load — no figures" >&2
    exit 1
  fi
done
same_ratio=$(awk -v a="$(awk '/Requests\/sec/ {print $2}' <<<"$same_sas")" \
  -v b="$(awk '/Requests\/sec/ {print $2}' <<<"$same_nginx")" 'BEGIN {printf "%.1f", 100 * a / b}')
wide_p99=$(awk '$1 == "99%" {print $2}' <<<"$wide")
wide_errors=$(awk '/Socket errors|Non-2xx/ {print}' <<<"$wide" | tr '\n' ' ')
echo "same answer ($bytes bytes): sas at $same_ratio % of nginx; -c256: p99 $wide_p99, errors: ${wide_errors:-none}"

result=$(grep '^RESULT' "$work/compare.txt")
get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" ${result#RESULT}"; }
section=$(cat <<MD
## Regulators' search (issue 4)

Command: \`bench/search_bench.sh\` — $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo),
$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); RelWithDebInfo build. Load average when the
comparison started: $load_before (the machine is shared: other builds ran at the same time,
so wall-clock tails include time the thread waited for a core; the CPU-time line does not).

Data: \`sas national-data --places $places --seed 1\` (SQLite, generated in ${generated}):
$(cat "$work/export.txt");
$(grep '^index:' "$work/compare.txt").
Fixed window: from $(TZ=Europe/Paris date -d "@$now" '+%A %d %B %Y %H:%M') (Paris) to the end of
the day after tomorrow in each place's zone.

Questions: $queries towns drawn by population (seed 7), radius 20 km, one consultation type
(C, T or D by turns), first page of 20, ordered as for a street address (participants first,
then geodesic distance, then place id), with the total counted up to the service's cut-off
(\`search.count_limit\`, 1,000: « plus de 1 000 » past it). PostgreSQL 15 + PostGIS 3 on the
same machine (throwaway cluster, shared_buffers 1 GB, jit off) with the fastest exact
statements found (issue 17), both prepared once, with the same rules (window end per place
zone, unavailability in force, occurrences overlapping a period):
- the page: per kind (participants, then the others for what is left), a KNN walk on that
  kind's partial GiST index (\`<->\`, sphere order) up to the k-th place with a matching start,
  then the exact pass (spheroid \`ST_DWithin\`/\`ST_Distance\`, ties by id) within the spheroid
  distance of the farthest of those; the earliest matching start is a LATERAL index-only probe
  of a covering B-tree on occurrences (place, start) INCLUDE (end, types, until), a started
  plage being offered until 30 minutes before its end as in the index;
- the count, its own statement: the places of the disc with a matching start, \`LIMIT\` the
  cut-off plus one.

Each answer is compared with the index's before any ratio is computed: same places, same order,
same participation, geodesic distance within 1 mm, same earliest matching start, same bounded
total. The index's « first page alone » is the same search with no count beyond what its walk
reads (cut-off 0); « with its total » counts up to the cut-off; both are timed after one untimed
search of the same question (warm caches: PostgreSQL ran in between).

| measure | result | target |
|---|---|---|
| answers that differ from PostgreSQL's (page; bounded total) | $(get page_mismatches); $(get count_mismatches) of $queries | 0 |
| index build from the database | $(get build_s) s | ≤ 10 s |
| index, page with its total, alone (warm caches), p50 / p99, wall clock | $alone_wall | p50 ≤ 0.020 ms, p99 ≤ 0.050 ms |
| index, page with its total, alone (warm caches), p50 / p99, the thread's CPU time | $alone_cpu | |
| index, first page alone, between PostgreSQL queries (warmed), p50 / p99 | $(get index_page_p50_ms) ms / $(get index_page_p99_ms) ms | |
| index, page with its total, between PostgreSQL queries (warmed), p50 / p99, wall clock | $(get index_p50_ms) ms / $(get index_p99_ms) ms | |
| index, page with its total, between PostgreSQL queries (warmed), p50 / p99, CPU time | $(get index_cpu_p50_ms) ms / $(get index_cpu_p99_ms) ms | |
| PostgreSQL page statement p50 / p99 | $(get pg_page_p50_ms) ms / $(get pg_page_p99_ms) ms | |
| PostgreSQL count statement p50 / p99 | $(get pg_count_p50_ms) ms / $(get pg_count_p99_ms) ms | |
| PostgreSQL page + count p50 / p99 | $(get pg_p50_ms) ms / $(get pg_p99_ms) ms | |
| median speed-up per question, first page alone | $(get speedup_page_median) × (p10 $(get speedup_page_p10) ×) | ≥ 50 × |
| median speed-up per question, page with its total against page + count | $(get speedup_total_median) × (p10 $(get speedup_total_p10) ×) | |
| \`sas serve\` RSS after the HTTP run | $rss_mb MB | ≤ 512 MB |
| HTTP JSON search, \`wrk -t1 -c16 -d10s\` | $rps req/s (p50 $p50, p99 $p99${non2xx:+, $non2xx non-2xx}) | ≥ 3,000 req/s |
| one JSON answer ($bytes bytes) against nginx serving the same bytes, -c16 | $same_ratio % | ≥ 25 % |
| HTTP JSON search, \`wrk -t2 -c256 -d10s\` | p99 $wide_p99, errors: ${wide_errors:-none} | p99 ≤ 50 ms, none |

HTTP: \`GET /api/v1/search?adresse=1 rue de la Gare <postal code> <town>&rayon=20&cabinet=1&par_page=20\`
with an API token, 1,000 addresses drawn by population (offline geocoder: approximate, so
ordered by distance from the town centre), the server with its default workers (two per core) and the
system clock (the same data, the current week).

The plans on the densest question (the most populous town, 20 km, office consultations),
\`EXPLAIN (ANALYZE, BUFFERS)\` after the run:

\`\`\`
$(sed -n '/^EXPLAIN page/,/^END EXPLAIN/p' "$work/compare.txt" | grep -v '^END EXPLAIN')

$(sed -n '/^EXPLAIN count/,/^END EXPLAIN/p' "$work/compare.txt" | grep -v '^END EXPLAIN')
\`\`\`

CPU time per answer of the one repeated question (\`perf stat -p\` on \`sas serve\` under wrk,
task-clock ÷ requests; 59 KB: 20 places with about 20 slots each): 464 µs before issue 13's
work, 256 µs after it: the JSON writer scanned every character of every member name and value
one by one (member names are now checked when the program is compiled and copied as they are,
text is escaped by runs), each slot's two local times allocated a string and looked the zone's
rules up (now written in place, the offset looked up again only when it changes), and the API
token's statement was parsed at every call (now prepared once per connection).

<!-- end of bench/search_bench.sh's figures: the text below is written by hand and kept -->
MD
)
python3 - "$section" <<'PY'
import pathlib, re, sys
path = pathlib.Path("docs/benchmarks.md")
text = path.read_text() if path.exists() else "# Benchmarks\n\nFigures measured by hand with the commands shown; never part of CI.\n"
section = sys.argv[1].strip() + "\n"
pattern = re.compile(r"## Regulators' search \(issue 4\)\n.*?(?=\n## |\Z)", re.S)
marker = "<!-- end of bench/search_bench.sh's figures"
found = pattern.search(text)
if found:
    # What sessions wrote by hand below the marker stays: only the figures above it are new.
    old = found.group(0)
    kept = old[old.index(marker):].split("\n", 1)[1] if marker in old else ""
    text = text[: found.start()] + section + kept + text[found.end():]
else:
    text = text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "$section"
