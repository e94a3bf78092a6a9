#!/usr/bin/env bash
# Password hashing under load (issue 12, item 3): 64 concurrent anonymous login attempts for
# 30 s (`wrk -t2 -c64`, each a wrong password for a new email, so that every attempt reaches
# Argon2id at the production cost) while a logged-in user loads the agenda page
# (`wrk -t1 -c1 --latency`). Prints and writes to docs/benchmarks.md (section « Logins under
# load ») the agenda's latency, the login answers by status and the server's peak RSS.
# Targets: agenda p99 ≤ 50 ms, peak RSS ≤ 600 MB. The login throttle is opened wide for the
# run (it would otherwise turn the flood away before any hashing, which is the point of it but
# not what is measured here). Not part of CI.
# Usage: bench/login_load.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 0.3; rm -rf "$work"' EXIT
port=18090

place=$("$build"/bench_seed_agenda "sqlite:$work/bench.sqlite")
grep -v '^login\.' config/sas.properties >"$work/sas.properties"
cat >>"$work/sas.properties" <<CONF
login.max_failures = 1000
login.window_minutes = 15
login.lockout_minutes = 15
login.max_accounts_per_address = 100000
CONF
SAS_DATABASE_URL="sqlite:$work/bench.sqlite" SAS_PORT=$port SAS_ROOT="$PWD" "$build"/sas serve \
  --config "$work/sas.properties" >"$work/sas.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# The logged-in user: the login form, its CSRF token, then the POST.
jar="$work/cookies"
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/connexion" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
curl -s -b "$jar" -c "$jar" -o /dev/null \
  --data-urlencode "email=bench@sas.test" --data-urlencode "password=Bench-Password-1!" \
  --data-urlencode "csrf=$token" "http://127.0.0.1:$port/connexion"
session=$(awk '$6 == "sas_session" {print $7}' "$jar")
url="http://127.0.0.1:$port/lieux/$place/agenda"
curl -s -H "Cookie: sas_session=$session" "$url" | grep -q "agenda-occ__time" ||
  { echo "the agenda page did not render"; exit 1; }

# The anonymous flood: one CSRF cookie and token shared by every attempt.
flood_csrf=$(curl -s -c "$work/anon" "http://127.0.0.1:$port/connexion" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
cat >"$work/flood.lua" <<'LUA'
local token = os.getenv("FLOOD_CSRF")
local statuses = {}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "sas_csrf=" .. token
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
request = function()
  local body = "email=flood" .. math.random(1, 1e9) .. "%40sas.test&password=Wrong-Password-1%21&csrf=" .. token
  return wrk.format(nil, "/connexion", nil, body)
end
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end
LUA
probe=$(curl -s -o /dev/null -w '%{http_code}' -b "sas_csrf=$flood_csrf" \
  --data-urlencode "email=probe@sas.test" --data-urlencode "password=x" \
  --data-urlencode "csrf=$flood_csrf" "http://127.0.0.1:$port/connexion")
[ "$probe" = 422 ] || { echo "a failed login answered $probe, not 422"; exit 1; }

rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
load=$(cut -d' ' -f1-3 /proc/loadavg)
FLOOD_CSRF=$flood_csrf wrk -t2 -c64 -d30s -s "$work/flood.lua" "http://127.0.0.1:$port/connexion" \
  >"$work/flood.txt" 2>&1 &
flood=$!
sleep 1  # the flood is under way before the agenda is measured
agenda_out=$(wrk -t1 -c1 -d27s --latency -H "Cookie: sas_session=$session" "$url")
wait "$flood"
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
login_total=$(awk '/requests in/ {print $1}' "$work/flood.txt")
login_non2xx=$(awk '/Non-2xx or 3xx/ {print $5}' "$work/flood.txt")
p() { awk -v q="$1" '$1 == q {print $2}' <<<"$agenda_out"; }
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
peak_mb=$((peak_kb / 1024))
rss_before_mb=$((rss_before / 1024))

section=$(cat <<MD
## Logins under load (issue 12)

Command: \`bench/login_load.sh\` — $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo),
$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'). Argon2id at libsodium's moderate
cost (about 64 MiB a hash); \`security.max_concurrent_hashes\` and \`security.max_waiting_hashes\`
as in config/sas.properties; login throttle opened wide for the run. 64 connections post failed
logins for 30 s (\`wrk -t2 -c64\`) while one logged-in user loads the agenda page
(\`wrk -t1 -c1 -d27s --latency\`).

| measure | value | target |
|---|---|---|
| agenda page p50 / p90 / p99 | $(p 50%) / $(p 90%) / $(p 99%) | p99 ≤ 50 ms |
| agenda pages served | $(rps "$agenda_out") /s | |
| login attempts answered | ${login_total:-?} (not 2xx/3xx: ${login_non2xx:-0}, i.e. 422 refused and 503 turned away) | |
| server RSS before / peak | ${rss_before_mb} MB / ${peak_mb} MB | ≤ 600 MB |

Load average when the run started: $load.
MD
)
python3 - "$section" <<'PY'
import pathlib, re, sys
path = pathlib.Path("docs/benchmarks.md")
text = path.read_text() if path.exists() else "# Benchmarks\n\nFigures measured by hand with the commands shown; never part of CI.\n"
section = sys.argv[1].strip() + "\n"
pattern = re.compile(r"## Logins under load \(issue 12\)\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
path.write_text(text)
PY
echo "$section"
cat "$work/flood.txt"
