#!/usr/bin/env bash
# Agenda page (week view, 50 weekly series, logged-in user) against nginx serving the same
# bytes as a static file, both with `wrk -t1 -c16 -d10s --latency` in the same run. Writes the
# figures to docs/benchmarks.md (section « Agenda page »). Not part of CI.
# Usage: [ROUNDS=3] bench/agenda_page.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
command -v wrk >/dev/null && command -v nginx >/dev/null || {
  apt-get install -y -qq wrk nginx-light >/dev/null
}
work=$(mktemp -d)
chmod 755 "$work"  # nginx's worker (www-data) must read the copy of the page below
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 0.3; rm -rf "$work"' EXIT

place=$("$build"/bench_seed_agenda "sqlite:$work/bench.sqlite")
SAS_DATABASE_URL="sqlite:$work/bench.sqlite" SAS_PORT=18080 "$build"/sas serve \
  --config config/sas.properties >"$work/sas.log" 2>&1 &
for _ in $(seq 50); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.1; done

# Log in as a person would: the login form, its CSRF token, then the POST.
jar="$work/cookies"
token=$(curl -s -c "$jar" http://127.0.0.1:18080/connexion | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
curl -s -b "$jar" -c "$jar" -o /dev/null \
  --data-urlencode "email=bench@sas.test" --data-urlencode "password=Bench-Password-1!" \
  --data-urlencode "csrf=$token" http://127.0.0.1:18080/connexion
# A new account accepts the CGU at its first login, as a person does.
cgu=$(curl -s -b "$jar" -c "$jar" http://127.0.0.1:18080/cgu/accepter | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
[ -z "$cgu" ] || curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "cgu=1" \
  --data-urlencode "csrf=$cgu" http://127.0.0.1:18080/cgu/accepter
session=$(awk '$6 == "sas_session" {print $7}' "$jar")
url="http://127.0.0.1:18080/lieux/$place/agenda"
curl -s -H "Cookie: sas_session=$session" "$url" >"$work/agenda.html"
bytes=$(wc -c <"$work/agenda.html")
grep -q "agenda-occ__time" "$work/agenda.html" || { echo "the agenda page did not render"; exit 1; }

mkdir -p "$work/www"
cp "$work/agenda.html" "$work/www/agenda.html"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  # nginx at its best for one static file: sendfile, the file kept open, no reconnection every
  # 1,000 requests (its default), so that the ratio is not flattered by a slow baseline.
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  open_file_cache max=16 inactive=60s;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:18081; root $work/www; location / { default_type text/html; } }
}
CONF
nginx -c "$work/nginx.conf"
# Both sides must answer 200 with the same bytes before any ratio means something.
expect() {  # expect NAME URL [curl args…]: 200 and $bytes bytes, else stop
  local name=$1 url=$2; shift 2
  read -r code size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "$@" "$url")
  if [ "$code" != 200 ] || [ "$size" != "$bytes" ]; then
    echo "$name answered $code with $size bytes (expected 200 with $bytes): no figures" >&2
    exit 1
  fi
}
expect sas "$url" -H "Cookie: sas_session=$session"
expect nginx http://127.0.0.1:18081/agenda.html
trap 'nginx -c "$work/nginx.conf" -s stop 2>/dev/null; kill $(jobs -p) 2>/dev/null || true; sleep 0.3; rm -rf "$work"' EXIT

load=$(cut -d' ' -f1-3 /proc/loadavg)
run() { wrk -t1 -c16 -d10s --latency "$@"; }
errors() { awk '/Socket errors|Non-2xx/ {print}' <<<"$1" | tr '\n' ' '; }
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
p99() { awk '$1 == "99%" {print $2}' <<<"$1"; }
p50() { awk '$1 == "50%" {print $2}' <<<"$1"; }
# This machine's throughput moves by a fifth from one 10 s run to the next (shared host): sas
# and nginx take turns ROUNDS times and the round of the median ratio is the one reported.
rounds=${ROUNDS:-3}
declare -a sas_runs nginx_runs ratios
for r in $(seq "$rounds"); do
  sas_runs[r]=$(run -H "Cookie: sas_session=$session" "$url")
  nginx_runs[r]=$(run http://127.0.0.1:18081/agenda.html)
  # A ratio of pages counts only pages: a session that expired mid-run would count redirects.
  for side in "sas:${sas_runs[r]}" "nginx:${nginx_runs[r]}"; do
    if [ -n "$(errors "${side#*:}")" ]; then
      echo "${side%%:*} answered errors or non-2xx under load: $(errors "${side#*:}") — no figures" >&2
      exit 1
    fi
  done
  ratios[r]=$(awk -v a="$(rps "${sas_runs[r]}")" -v b="$(rps "${nginx_runs[r]}")" 'BEGIN {printf "%.1f", 100 * a / b}')
  echo "round $r: sas $(rps "${sas_runs[r]}"), nginx $(rps "${nginx_runs[r]}") requests/s: ${ratios[r]} %"
done
median=$(for r in $(seq "$rounds"); do echo "${ratios[r]} $r"; done | sort -n | awk -v n="$rounds" 'NR == int((n + 1) / 2) {print $2}')
sas_out=${sas_runs[median]}; nginx_out=${nginx_runs[median]}
all_ratios=$(for r in $(seq "$rounds"); do printf '%s %%, ' "${ratios[r]}"; done | sed 's/, $//')
# 256 connections: every one answered, no error, p99 within 50 ms (issue 13).
sas_256=$(wrk -t2 -c256 -d10s --latency -H "Cookie: sas_session=$session" "$url")
errors_256=$(errors "$sas_256")
sas_rps=$(rps "$sas_out"); nginx_rps=$(rps "$nginx_out")
ratio=${ratios[median]}

section=$(cat <<MD
## Agenda page (issue 2)

Command: \`bench/agenda_page.sh\` — $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo),
$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'). Week view of a place with
50 weekly series, logged-in session, SQLite file; \`wrk -t1 -c16 -d10s --latency\`; nginx 1 worker,
access log off, sendfile, open file cache, keep-alive without limit, serving the same bytes as a
static file, in the same run; the two take turns $rounds times (\`ROUNDS\`), and the round of the
median ratio is shown.

| server | requests/s | p50 | p99 | page size |
|---|---|---|---|---|
| sas (agenda page) | $sas_rps | $(p50 "$sas_out") | $(p99 "$sas_out") | $bytes bytes |
| nginx (same bytes, static) | $nginx_rps | $(p50 "$nginx_out") | $(p99 "$nginx_out") | $bytes bytes |

Ratio: the agenda page runs at **$ratio %** of nginx's static throughput (target ≥ 40 % at -c16);
every round, in order: $all_ratios.
At -c256 (\`wrk -t2 -c256 -d10s\`): $(rps "$sas_256") requests/s, p99 $(p99 "$sas_256")
(target ≤ 50 ms), errors: ${errors_256:-none}.
Load average when the run started: $load.
<!-- end of bench/agenda_page.sh's figures: the text below is written by hand and kept -->
MD
)
python3 - "$section" <<'PY'
import pathlib, re, sys
path = pathlib.Path("docs/benchmarks.md")
text = path.read_text() if path.exists() else "# Benchmarks\n\nFigures measured by hand with the commands shown; never part of CI.\n"
section = sys.argv[1].strip() + "\n"
# Only the figures are replaced, up to the marker; the section's text after it is kept.
marker = "<!-- end of bench/agenda_page.sh's figures"
pattern = re.compile(r"## Agenda page \(issue 2\)\n.*?" + re.escape(marker) + r"[^\n]*\n", re.S)
if not pattern.search(text):
    pattern = re.compile(r"## Agenda page \(issue 2\)\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "$section"
