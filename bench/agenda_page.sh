#!/usr/bin/env bash
# Agenda page (week view, 50 weekly series, logged-in user) against nginx serving the same
# bytes as a static file, both with `wrk -t1 -c16 -d10s --latency` in the same run. Writes the
# figures to docs/benchmarks.md (section « Agenda page »). Not part of CI.
# Usage: bench/agenda_page.sh [build-dir]
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
sas_out=$(run -H "Cookie: sas_session=$session" "$url")
nginx_out=$(run http://127.0.0.1:18081/agenda.html)
# 256 connections: every one answered, no error, p99 within 50 ms (issue 13).
sas_256=$(wrk -t2 -c256 -d10s --latency -H "Cookie: sas_session=$session" "$url")
errors() { awk '/Socket errors|Non-2xx/ {print}' <<<"$1" | tr '\n' ' '; }
errors_256=$(errors "$sas_256")
# A ratio of pages counts only pages: a session that expired mid-run would count redirects.
for side in "sas:$sas_out" "nginx:$nginx_out"; do
  if [ -n "$(errors "${side#*:}")" ]; then
    echo "${side%%:*} answered errors or non-2xx under load: $(errors "${side#*:}") — no figures" >&2
    exit 1
  fi
done
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
p99() { awk '$1 == "99%" {print $2}' <<<"$1"; }
p50() { awk '$1 == "50%" {print $2}' <<<"$1"; }
sas_rps=$(rps "$sas_out"); nginx_rps=$(rps "$nginx_out")
ratio=$(awk -v a="$sas_rps" -v b="$nginx_rps" 'BEGIN {printf "%.1f", 100 * a / b}')

section=$(cat <<MD
## Agenda page (issue 2)

Command: \`bench/agenda_page.sh\` — $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo),
$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'). Week view of a place with
50 weekly series, logged-in session, SQLite file; \`wrk -t1 -c16 -d10s --latency\`; nginx 1 worker,
access log off, serving the same bytes as a static file, in the same run.

| server | requests/s | p50 | p99 | page size |
|---|---|---|---|---|
| sas (agenda page) | $sas_rps | $(p50 "$sas_out") | $(p99 "$sas_out") | $bytes bytes |
| nginx (same bytes, static) | $nginx_rps | $(p50 "$nginx_out") | $(p99 "$nginx_out") | $bytes bytes |

Ratio: the agenda page runs at **$ratio %** of nginx's static throughput (target ≥ 40 % at -c16).
At -c256 (\`wrk -t2 -c256 -d10s\`): $(rps "$sas_256") requests/s, p99 $(p99 "$sas_256")
(target ≤ 50 ms), errors: ${errors_256:-none}.
Load average when the run started: $load.

Where the time went and what changed (\`valgrind --tool=callgrind\` on \`sas serve\`, 200 agenda
requests after 40 to warm up): 11 M instructions per page before, about 0.5 M now (before this
work the same command measured 715 requests/s, 1.6 % of nginx, p99 75 ms). The JSON view
model and its Mustache rendering (8 M) gave way to a writer of the page's HTML
(\`http/pages/agenda_view.cpp\`, 0.2 M); the layout is rendered once per user and title and
pages are spliced into it; a request runs five statements (the session with its user, the
user's structures, the place with its structure, the agenda version, the unavailability with the
note), each prepared once per pooled connection instead of at each request (0.8 M of SQLite's
parsing saved); one pooled connection per server thread, and SQLite without its
per-connection mutexes and memory statistics, so threads no longer wait on each other; the week's rows
are kept by each process while \`places.agenda_version\`, read on every request, is unchanged
(the first view after a change decodes them again: about +0.4 M); the page leaves in one
\`send\` instead of eleven 4 KB ones.

On the event-driven server (issue 13), CPU time per page measured with \`perf stat -p\` on
\`sas serve\` under the same wrk load (task-clock ÷ requests): the request log wrote one line
per request with its own \`write\` (about 30 µs of a 140 µs page): lines now leave in batches,
at most 200 ms late, failures at once; at 256 connections glibc gave each arena's free pages
back to the kernel after every burst and faulted them in again (page faults in \`memmove\`: 260
against 140 µs per page at -c16); the process now keeps up to 64 MB per arena. What remains is
mostly the kernel: the hand-over of each request from the I/O thread to a worker and back
(futex and eventfd wake-ups on 2 shared cores) and the copy of 47 KB into the socket.
MD
)
python3 - "$section" <<'PY'
import pathlib, re, sys
path = pathlib.Path("docs/benchmarks.md")
text = path.read_text() if path.exists() else "# Benchmarks\n\nFigures measured by hand with the commands shown; never part of CI.\n"
section = sys.argv[1].strip() + "\n"
pattern = re.compile(r"## Agenda page \(issue 2\)\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "$section"
