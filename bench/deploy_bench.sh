#!/usr/bin/env bash
# Issue 7's speed: the agenda page (week view, logged-in structure manager) and the JSON search
# (API token) under wrk, on SQLite and on PostgreSQL, with one `sas serve` (alone, then behind
# nginx) and with two behind nginx (round robin, as in tests/system/multi_process.sh and
# docs/deploy.md), all in the same run. Writes the table between the « deploy_bench » markers of
# docs/benchmarks.md (replaced at each run). Not part of CI; about four minutes.
# Usage: bench/deploy_bench.sh [build-dir]
#   PLACES=10000 (generated places, seed 1)  DURATION=10s  CONNECTIONS=16  NOTE="…" (one line
#   written under the table: say there whether the machine was quiet)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
places=${PLACES:-10000}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
for p in wrk nginx-light postgresql; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    command -v "${p%-light}" >/dev/null ||
    apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done
for t in sas bench_seed_agenda bench_search; do
  [ -x "$build/$t" ] || { echo "missing $build/$t: cmake --build $build --target $t"; exit 1; }
done

work=$(mktemp -d /tmp/sas-deploy-bench-XXXXXX)
chmod 755 "$work"
servers=()
pgdir=""
cleanup() {
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true
  [ -n "$pgdir" ] && scripts/stop-postgres "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
began=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== PostgreSQL (throwaway cluster, scripts/start-postgres)"
read -r pgdir pgurl < <(scripts/start-postgres)
declare -A url=([sqlite]="sqlite:$work/sas.sqlite" [postgres]="$pgurl")
declare -A place token generated

for db in sqlite postgres; do
  echo "== $db: $places places (sas national-data, seed 1), the agenda's place, an API token"
  t0=$(date +%s)
  SAS_DATABASE_URL="${url[$db]}" "$build"/sas national-data --places "$places" --seed 1 | tail -n 1
  generated[$db]=$(( $(date +%s) - t0 ))
  place[$db]=$("$build"/bench_seed_agenda "${url[$db]}")
  token[$db]=$(SAS_DATABASE_URL="${url[$db]}" "$build"/sas token create --name bench | tail -n 1)
done

"$build"/bench_search towns --count 1000 --seed 11 >"$work/addresses.txt"
search_lua() {  # search_lua TOKEN FILE: wrk script cycling through the 1,000 addresses
  python3 - "$work/addresses.txt" "$2" "$1" <<'PY'
import sys, urllib.parse
lines = [l.strip() for l in open(sys.argv[1]) if l.strip()]
paths = ["/api/v1/search?adresse=%s&rayon=20&cabinet=1&par_page=20" % urllib.parse.quote(l) for l in lines]
with open(sys.argv[2], "w") as f:
    f.write('local paths = {%s}\n' % ",".join('"%s"' % p for p in paths))
    f.write('local i = 0\n')
    f.write('wrk.headers["Authorization"] = "Bearer %s"\n' % sys.argv[3])
    f.write('request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n')
PY
}

serve() {  # serve DB NAME → port in $port; waits for /healthz
  port=$(free_port)
  SAS_DATABASE_URL="${url[$1]}" SAS_PORT=$port SAS_MAIL_DIR="$work/mail-$2" \
    "$build"/sas serve --config config/sas.properties >"$work/$2.log" 2>&1 &
  servers+=($!)
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "$2 did not start:"; cat "$work/$2.log"; exit 1
}
stop_servers() {  # nginx first, so that no idle upstream connection delays a process's exit
  if [ -f "$work/nginx.pid" ]; then nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true; sleep 0.3; fi
  rm -f "$work/nginx.pid"
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  servers=()
}
front=$(free_port)
nginx_for() {  # nginx_for PORT…: nginx on $front, round robin over the ports given
  local upstream=""
  for p in "$@"; do upstream+="server 127.0.0.1:$p; "; done
  cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream sas { $upstream}
  server {
    listen 127.0.0.1:$front;
    location / { proxy_pass http://sas; proxy_set_header Host \$host; }
  }
}
CONF
  nginx -c "$work/nginx.conf"
}
session_for() {  # session_for BASE_URL → the bench manager's session id, logged in by the form
  local jar="$work/jar" csrf
  rm -f "$jar"
  csrf=$(curl -s -c "$jar" "$1/connexion" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "email=bench@sas.test" \
    --data-urlencode "password=Bench-Password-1!" --data-urlencode "csrf=$csrf" "$1/connexion"
  # A new account accepts the CGU at its first login, as a person does.
  csrf=$(curl -s -b "$jar" -c "$jar" "$1/cgu/accepter" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  [ -z "$csrf" ] || curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "cgu=1" \
    --data-urlencode "csrf=$csrf" "$1/cgu/accepter"
  awk '$6 == "sas_session" {print $7}' "$jar"
}

rows=""
measure() {  # measure DB SETUP BASE_URL: the agenda page and the search, one wrk run each
  local db=$1 setup=$2 base=$3 session out
  session=$(session_for "$base")
  local agenda="$base/lieux/${place[$db]}/agenda"
  curl -s -H "Cookie: sas_session=$session" "$agenda" >"$work/agenda.html"
  grep -q "agenda-occ__time" "$work/agenda.html" ||
    { echo "the agenda page did not render ($db, $setup)"; exit 1; }
  search_lua "${token[$db]}" "$work/search-$db.lua"
  for what in agenda search; do
    local args=()
    if [ "$what" = agenda ]; then args=(-H "Cookie: sas_session=$session" "$agenda")
    else args=(-s "$work/search-$db.lua" "$base"); fi
    wrk -t1 -c"$connections" -d2s "${args[@]}" >/dev/null  # warm-up
    out=$(wrk -t1 -c"$connections" -d"$duration" --latency "${args[@]}")
    local rps p50 p99 bad
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    local label="agenda page (week view)"
    [ "$what" = search ] && label="JSON search (/api/v1/search)"
    echo "$db | $setup | $label | $rps req/s | p50 $p50 | p99 $p99${bad:+ | $bad non-2xx}"
    rows+="| $label | $db | $setup | $rps | $p50 | $p99 |${bad:+ $bad non-2xx}"$'\n'
  done
}

for db in sqlite postgres; do
  echo "== $db, one process"
  serve "$db" "$db-a"; one=$port
  measure "$db" "1 process" "http://127.0.0.1:$one"
  echo "== $db, one process behind nginx"
  nginx_for "$one"
  measure "$db" "1 process + nginx" "http://127.0.0.1:$front"
  nginx -c "$work/nginx.conf" -s stop; sleep 0.3; rm -f "$work/nginx.pid"
  echo "== $db, two processes behind nginx"
  serve "$db" "$db-b"; two=$port
  nginx_for "$one" "$two"
  measure "$db" "2 processes + nginx" "http://127.0.0.1:$front"
  stop_servers
done

elapsed=$(( $(date +%s) - began ))
section=$(cat <<MD
## PostgreSQL and several processes (issue 7)
<!-- deploy_bench:begin: written by bench/deploy_bench.sh, replaced when it runs again -->

Command: \`bench/deploy_bench.sh\` — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores (nproc),
$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); RelWithDebInfo build;
load average at the start: $load_before; the whole run took ${elapsed} s.

Data, the same on both databases: \`sas national-data --places $places --seed 1\` (generated in
${generated[sqlite]} s on SQLite, ${generated[postgres]} s on PostgreSQL), plus the agenda page's
place with 50 weekly series (\`bench_seed_agenda\`). SQLite: a file; PostgreSQL: a throwaway
cluster made by \`scripts/start-postgres\` (fsync off), \`database.pool_size\` 8 a process.
Each process: \`sas serve --config config/sas.properties\` (16 threads, background jobs on).
nginx: 1 worker, round robin over the processes, access log off, a new connection to the
upstream for each request (no \`keepalive\` to it: see docs/deploy.md, « nginx in front »).

Each line: \`wrk -t1 -c$connections -d$duration --latency\` after a 2 s warm-up. Agenda page: \`GET
/lieux/<place>/agenda\` with the session of a structure manager logged in by the form. JSON
search: \`GET /api/v1/search?adresse=<1 rue de la Gare, postal code, town>&rayon=20&cabinet=1&par_page=20\`
with an API token, 1,000 addresses drawn by population (\`bench_search towns --seed 11\`).

| request | database | processes | requests/s | p50 | p99 |
|---|---|---|---|---|---|
${rows%$'\n'}

${NOTE:-Run while other builds shared the machine: figures are indicative.} Everything (wrk,
nginx, the sas processes, PostgreSQL) runs on the same $(nproc) cores, so a second process
cannot add CPU here: compare « 2 processes + nginx » with « 1 process + nginx » for the cost of
sharing the database, and « 1 process + nginx » with « 1 process » for the cost of the hop (one
nginx worker on the same cores), not for the gain of a second host.
<!-- deploy_bench:end -->
MD
)
python3 - "$section" <<'PY'
import pathlib, re, sys
path = pathlib.Path("docs/benchmarks.md")
text = path.read_text() if path.exists() else "# Benchmarks\n\nFigures measured by hand with the commands shown; never part of CI.\n"
section = sys.argv[1].strip() + "\n"
# The heading, then the markers (the other benchmarks' sections end at the next heading).
pattern = re.compile(r"## PostgreSQL and several processes \(issue 7\)\n<!-- deploy_bench:begin"
                     r".*?<!-- deploy_bench:end -->\n?", re.S)
if pattern.search(text):
    text = pattern.sub(lambda m: section, text)
else:
    text = text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "$section"
