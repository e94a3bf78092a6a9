#!/usr/bin/env bash
# Two `sas serve` processes on one PostgreSQL database behind nginx (round robin):
#  1. a session opened through one process is valid on the other;
#  2. with both processes sending the outbox, each email goes out exactly once;
#  3. an availability created through one process is found by the regulators' JSON search of
#     the other within one second, and is gone from it within one second of its deletion;
#  4. kill -9 of a process in the middle of writes loses no committed change and leaves
#     nothing half-written;
#  5. SIGTERM: the process finishes and exits within 25 seconds;
#  6. two processes started together run the password-expiry job at the same moment: each
#     account due gets exactly one warning.
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

launch() {  # launch NAME PORT → pid in $started
  SAS_PORT=$2 SAS_MAIL_DIR="$work/mail-$1" "$build/sas" serve --config config/sas.properties \
    >"$work/$1.log" 2>&1 &
  started=$!
  pids+=("$started")
}
up() {  # up PORT: waits until /healthz answers 200
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.1; done
  return 1
}
start() {  # start NAME PORT → pid in $started
  launch "$1" "$2"
  up "$2"
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

login() {  # login BASE_URL JAR EMAIL: the login's status; the CGU accepted as at a first login
  local token code
  token=$(curl -s -c "$2" -b "$2" "$1/connexion" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  code=$(curl -s -c "$2" -b "$2" -o /dev/null -w '%{http_code}' --data-urlencode "email=$3" \
    --data-urlencode "password=Demo-SAS-2026!" --data-urlencode "csrf=$token" "$1/connexion")
  token=$(curl -s -c "$2" -b "$2" "$1/cgu/accepter" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  if [ -n "$token" ]; then
    curl -s -c "$2" -b "$2" -o /dev/null --data-urlencode "cgu=1" --data-urlencode "csrf=$token" \
      "$1/cgu/accepter"
  fi
  echo "$code"
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

# The publishers' pull thread yields the cores to the requests (SCHED_IDLE, src/wiring.cpp): by
# now its job has run once in A; the threads serving requests keep the normal policy.
idle=$(ps -L -o cls= -p "$pid_a" | grep -c IDL)
normal=$(ps -L -o cls= -p "$pid_a" | grep -c TS)
check "process A: one thread at SCHED_IDLE (the pull), the other $normal at the normal policy" \
  test "$idle" = 1 -a "$normal" -gt 4

# 2. Each email exactly once, with two senders. Two reset requests for each of five accounts:
# within the per-email and per-address limits of « Mot de passe oublié ».
i=0
for who in gestionnaire.structure gestionnaire.marcadet gestionnaire.comptes administrateur regulateur; do
  for _ in 1 2; do
    i=$((i + 1))
    j="$work/anon$i"
    t=$(curl -s -c "$j" -b "$j" "http://127.0.0.1:$pn/mot-de-passe-oublie" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
    curl -s -c "$j" -b "$j" -o /dev/null --data-urlencode "email=$who@sas.test" \
      --data-urlencode "csrf=$t" "http://127.0.0.1:$pn/mot-de-passe-oublie"
  done
done
for _ in $(seq 150); do
  pending=$(psql -tA "$url" -c "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
  [ "$pending" = 0 ] && break
  sleep 0.1
done
# The reset emails alone: between 08:00 and 09:00 in Paris the freshness reminder's job also
# writes to a demo manager (« aucune disponibilité »), which this check does not count.
sent=$(find "$work"/mail-a "$work"/mail-b -name '*.eml' -print0 2>/dev/null |
  xargs -0 -r grep -l 'R=C3=A9initialisation_de_votre_mot_de_passe' | wc -l)
check "ten emails queued through two processes are sent exactly ten times" test "$sent" = 10

# 3. A change through A is in B's search within a second, and so is its deletion.
place=$(psql -tA "$url" -c "SELECT id FROM places ORDER BY id LIMIT 1")
token=$(curl -s -b "$jar" "http://127.0.0.1:$pa/lieux/$place/agenda" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
rjar="$work/regulator"
code=$(login "http://127.0.0.1:$pb" "$rjar" regulateur@sas.test)
check "a regulator logs in on process B" test "$code" = 303
# A home visit of 30 minutes at the next quarter hour at least 30 minutes ahead (Paris time; the
# demo place is in Paris 16e), or tomorrow at 08:00 late in the evening.
ahead=$(( ($(date +%s) + 1800 + 899) / 900 * 900 ))
if [ "$(TZ=Europe/Paris date -d "@$ahead" +%H)" -ge 23 ]; then
  ahead=$(TZ=Europe/Paris date -d "tomorrow 08:00" +%s)
fi
day=$(TZ=Europe/Paris date -d "@$ahead" +%F)
from=$(TZ=Europe/Paris date -d "@$ahead" +%H:%M)
to=$(TZ=Europe/Paris date -d "@$((ahead + 1800))" +%H:%M)
search_b="http://127.0.0.1:$pb/api/v1/search?adresse=75016&rayon=10&domicile=1&par_page=50"
# seen_within WANT WRITTEN_NS: searches through B until one second after the write (WRITTEN_NS,
# date +%s%N); passes when a search sent by then answers WANT ("present" or "absent"), and
# prints how long after the write it was sent; else prints "never" and fails.
seen_within() {
  python3 - "$1" "$search_b" "$(awk '$6 == "sas_session" {print $7}' "$rjar")" "$place" \
    "${day}T${from}:00" "$2" <<'PY'
import json, sys, time, urllib.request
want, url, session, place, start, written = sys.argv[1:7]
request = urllib.request.Request(url, headers={"Cookie": "sas_session=" + session})
written = int(written) / 1e9
while True:
    sent = time.time()
    if sent > written + 1.0:
        print("never")
        sys.exit(1)
    body = json.load(urllib.request.urlopen(request, timeout=5))
    present = any(r["id"] == int(place) and any(a["start"].startswith(start) for a in r["availabilities"])
                  for r in body["results"])
    if present == (want == "present"):
        print(int((sent - written) * 1000))
        sys.exit(0)
    time.sleep(0.02)
PY
}
ms=$(seen_within absent "$(date +%s%N)")
check "before the change, B's search does not show an availability on $day at $from" test $? = 0
curl -s -b "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "date=$day" \
  --data-urlencode "de=$from" --data-urlencode "a=$to" --data-urlencode "type_disponibilite=creneau" \
  --data-urlencode "domicile=1" "http://127.0.0.1:$pa/lieux/$place/disponibilites"
written=$(date +%s%N)
availability=$(psql -tA "$url" -c "SELECT id FROM availabilities WHERE place_id = $place AND weekly = 0 AND first_date = '$day' AND start_minute = $((10#${from%:*} * 60 + 10#${from#*:})) ORDER BY id DESC LIMIT 1")
check "the availability is created through A" test -n "$availability"
ms=$(seen_within present "$written")
check "B's JSON search shows it within one second ($ms ms)" test $? = 0
curl -s -b "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "portee=occurrence" \
  "http://127.0.0.1:$pa/lieux/$place/disponibilites/$availability/$day/supprimer"
written=$(date +%s%N)
gone=$(psql -tA "$url" -c "SELECT COUNT(*) FROM availabilities WHERE id = $availability")
check "the availability is deleted through A" test "$gone" = 0
ms=$(seen_within absent "$written")
check "B's JSON search no longer shows it within one second ($ms ms)" test $? = 0

# 4. kill -9 in the middle of writes.
# A Wednesday, so that each creation is three rows (the day itself, and the Monday and Tuesday
# series): on a ticked weekday, the day is its series' first occurrence and the rows two.
wednesday=$(date -d "next wednesday" +%F)
before=$(psql -tA "$url" -c "SELECT COUNT(*) FROM availabilities WHERE place_id = $place AND start_minute = 600")
created="SELECT COUNT(*) FROM audit_log WHERE action = 'availability.create'"
created_before=$(psql -tA "$url" -c "$created")  # the creation of step 3
( for _ in $(seq 2000); do
    curl -s -b "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "date=$wednesday" \
      --data-urlencode "de=10:00" --data-urlencode "a=11:00" --data-urlencode "type_disponibilite=creneau" \
      --data-urlencode "cabinet=1" --data-urlencode "lundi=1" --data-urlencode "mardi=1" \
      "http://127.0.0.1:$pa/lieux/$place/disponibilites" || break
  done ) &
writer=$!
for _ in $(seq 100); do
  n=$(psql -tA "$url" -c "$created")
  [ $((n - created_before)) -ge 20 ] && break
  sleep 0.05
done
kill -9 "$pid_a"
wait "$writer" 2>/dev/null
audits=$(( $(psql -tA "$url" -c "$created") - created_before ))
rows=$(psql -tA "$url" -c "SELECT COUNT(*) FROM availabilities WHERE place_id = $place AND start_minute = 600")
orphans=$(psql -tA "$url" -c "SELECT COUNT(*) FROM availability_exceptions e LEFT JOIN availabilities a ON a.id = e.availability_id WHERE a.id IS NULL")
check "after kill -9, every committed creation is whole ($audits creations, $((rows - before)) rows)" \
  test $((rows - before)) = $((3 * audits)) -a "$audits" -ge 20 -a "$orphans" = 0
status_b=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "http://127.0.0.1:$pb/lieux/$place/agenda")
check "process B goes on serving" test "$status_b" = 200

# 5. SIGTERM.
began=$(date +%s%N)
kill -TERM "$pid_b"
wait "$pid_b"
code=$?
elapsed_ms=$(( ($(date +%s%N) - began) / 1000000 ))
check "SIGTERM ends the process cleanly within 25 s (${elapsed_ms} ms, exit $code)" \
  test "$code" = 0 -a "$elapsed_ms" -lt 25000

# 6. Password-expiry warnings, with two processes running the job at the same moment (each
# runs it as it starts, then every ten minutes): 150 more accounts, every password changed
# three months and three days ago, then two processes started together.
psql -q "$url" -c "INSERT INTO users (email, first_name, last_name, role, password_hash, created_at)
  SELECT 'expiration' || g || '@sas.test', 'Camille', 'Martin ' || g, 'gestionnaire_structure',
         (SELECT password_hash FROM users ORDER BY id LIMIT 1), 0 FROM generate_series(1, 150) g"
psql -q "$url" -c "UPDATE users SET expiry_warned_at = NULL,
  password_changed_at = EXTRACT(EPOCH FROM now() - interval '3 months 3 days')::bigint"
due=$(psql -tA "$url" -c "SELECT COUNT(*) FROM users WHERE disabled = 0")
pc=$(free_port); pd=$(free_port)
launch c "$pc"; pid_c=$started
launch d "$pd"; pid_d=$started
up "$pc" && up "$pd"
check "two more processes start together" test $? = 0
subject="Votre mot de passe SAS expire bientôt"
for _ in $(seq 300); do  # each sender takes 20 emails every 5 s: up to a minute
  warned=$(psql -tA "$url" -c "SELECT COUNT(*) FROM users WHERE expiry_warned_at IS NOT NULL")
  pending=$(psql -tA "$url" -c "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
  [ "$warned" = "$due" ] && [ "$pending" = 0 ] && break
  sleep 0.2
done
sleep 1  # a second warning, if the job were not once-only, would have been queued by now
read -r queued recipients < <(psql -tA -F ' ' "$url" -c "SELECT COUNT(*), COUNT(DISTINCT recipient) FROM outbox WHERE subject = '$subject'")
audits=$(psql -tA "$url" -c "SELECT COUNT(*) FROM audit_log WHERE action = 'password.expiry_warning'")
files=$(find "$work"/mail-c "$work"/mail-d -name '*.eml' 2>/dev/null | wc -l)
check "each of the $due accounts due is warned once ($queued warnings to $recipients addresses, $audits audit rows, $files emails sent)" \
  test "$warned" = "$due" -a "$queued" = "$due" -a "$recipients" = "$due" -a "$audits" = "$due" -a "$files" = "$due"
kill -TERM "$pid_c" "$pid_d"
wait "$pid_c" "$pid_d" 2>/dev/null

psql -q "$base_url" -c "DROP DATABASE $db WITH (FORCE)" >/dev/null 2>&1
echo "multi-process: $passed passed, $failed failed"
[ "$failed" = 0 ]
