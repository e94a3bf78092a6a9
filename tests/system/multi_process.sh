#!/usr/bin/env bash
# Two `sas serve` processes on one PostgreSQL database behind nginx (round robin):
#  1. a session opened through one process is valid on the other;
#  2. with both processes sending the outbox, each email goes out exactly once;
#  3. kill -9 of a process in the middle of writes loses no committed change and leaves
#     nothing half-written;
#  4. SIGTERM: the process finishes and exits within 25 seconds.
# Usage: tests/system/multi_process.sh BUILD_DIR POSTGRES_URL (scripts/test passes them).
set -uo pipefail
cd "$(dirname "$0")/../.."
build=$1
base_url=$2
work=$(mktemp -d)
passed=0
failed=0
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  [ -f "$work/nginx.pid" ] && nginx -c "$work/nginx.conf" -s stop 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
check() {  # check NAME COMMAND…
  local name=$1; shift
  if "$@"; then echo "ok   - $name"; passed=$((passed + 1)); else echo "FAIL - $name"; failed=$((failed + 1)); fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

db="mp$RANDOM$RANDOM"
psql -q "$base_url" -c "CREATE DATABASE $db" >/dev/null
export PGOPTIONS="-c client_min_messages=warning"
url="${base_url%/*}/$db"
export SAS_DATABASE_URL="$url" SAS_ROOT="$PWD"
"$build/sas" migrate >/dev/null && "$build/sas" demo-data >/dev/null

start() {  # start NAME PORT → pid in $started
  SAS_PORT=$2 SAS_MAIL_DIR="$work/mail-$1" "$build/sas" serve --config config/sas.properties \
    >"$work/$1.log" 2>&1 &
  started=$!
  pids+=("$started")
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return 0; sleep 0.1; done
  return 1
}
pa=$(free_port); start a "$pa"; pid_a=$started
pb=$(free_port); start b "$pb"; pid_b=$started
pn=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 256; }
http {
  access_log off;
  upstream sas { server 127.0.0.1:$pa; server 127.0.0.1:$pb; }
  server { listen 127.0.0.1:$pn; location / { proxy_pass http://sas; proxy_set_header Host \$host; } }
}
CONF
nginx -c "$work/nginx.conf"

login() {  # login BASE_URL JAR EMAIL
  local token
  token=$(curl -s -c "$2" -b "$2" "$1/connexion" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -s -c "$2" -b "$2" -o /dev/null -w '%{http_code}' --data-urlencode "email=$3" \
    --data-urlencode "password=Demo-SAS-2026!" --data-urlencode "csrf=$token" "$1/connexion"
}

# 1. Sessions are shared.
jar="$work/jar"
code=$(login "http://127.0.0.1:$pa" "$jar" gestionnaire.structure@sas.test)
check "login on process A" test "$code" = 303
status_b=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "http://127.0.0.1:$pb/tableau-de-bord")
check "the session opened on A is valid on B" test "$status_b" = 200
all_ok=1
for _ in $(seq 10); do
  c=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "http://127.0.0.1:$pn/tableau-de-bord")
  [ "$c" = 200 ] || all_ok=0
done
check "ten requests through nginx, alternating processes, stay logged in" test $all_ok = 1

# 2. Each email exactly once, with two senders.
for i in $(seq 10); do
  j="$work/anon$i"
  t=$(curl -s -c "$j" -b "$j" "http://127.0.0.1:$pn/mot-de-passe-oublie" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -s -c "$j" -b "$j" -o /dev/null --data-urlencode "email=gestionnaire.structure@sas.test" \
    --data-urlencode "csrf=$t" "http://127.0.0.1:$pn/mot-de-passe-oublie"
done
for _ in $(seq 150); do
  pending=$(psql -tA "$url" -c "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
  [ "$pending" = 0 ] && break
  sleep 0.1
done
sent=$(find "$work"/mail-a "$work"/mail-b -name '*.eml' 2>/dev/null | wc -l)
check "ten emails queued through two processes are sent exactly ten times" test "$sent" = 10

# 3. kill -9 in the middle of writes.
place=$(psql -tA "$url" -c "SELECT id FROM places ORDER BY id LIMIT 1")
token=$(curl -s -b "$jar" "http://127.0.0.1:$pa/lieux/$place/agenda" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
tomorrow=$(date -d tomorrow +%F)
before=$(psql -tA "$url" -c "SELECT COUNT(*) FROM availabilities WHERE place_id = $place AND start_minute = 600")
( for _ in $(seq 2000); do
    curl -s -b "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "date=$tomorrow" \
      --data-urlencode "de=10:00" --data-urlencode "a=11:00" --data-urlencode "type_disponibilite=creneau" \
      --data-urlencode "cabinet=1" --data-urlencode "lundi=1" --data-urlencode "mardi=1" \
      "http://127.0.0.1:$pa/lieux/$place/disponibilites" || break
  done ) &
writer=$!
for _ in $(seq 100); do
  n=$(psql -tA "$url" -c "SELECT COUNT(*) FROM audit_log WHERE action = 'availability.create'")
  [ "$n" -ge 20 ] && break
  sleep 0.05
done
kill -9 "$pid_a"
wait "$writer" 2>/dev/null
audits=$(psql -tA "$url" -c "SELECT COUNT(*) FROM audit_log WHERE action = 'availability.create'")
rows=$(psql -tA "$url" -c "SELECT COUNT(*) FROM availabilities WHERE place_id = $place AND start_minute = 600")
orphans=$(psql -tA "$url" -c "SELECT COUNT(*) FROM availability_exceptions e LEFT JOIN availabilities a ON a.id = e.availability_id WHERE a.id IS NULL")
check "after kill -9, every committed creation is whole ($audits creations, $((rows - before)) rows)" \
  test $((rows - before)) = $((3 * audits)) -a "$audits" -ge 20 -a "$orphans" = 0
status_b=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "http://127.0.0.1:$pb/lieux/$place/agenda")
check "process B goes on serving" test "$status_b" = 200

# 4. SIGTERM.
began=$(date +%s%N)
kill -TERM "$pid_b"
wait "$pid_b"
code=$?
elapsed_ms=$(( ($(date +%s%N) - began) / 1000000 ))
check "SIGTERM ends the process cleanly within 25 s (${elapsed_ms} ms, exit $code)" \
  test "$code" = 0 -a "$elapsed_ms" -lt 25000

psql -q "$base_url" -c "DROP DATABASE $db WITH (FORCE)" >/dev/null 2>&1
echo "multi-process: $passed passed, $failed failed"
[ "$failed" = 0 ]
