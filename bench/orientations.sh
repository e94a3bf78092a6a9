#!/usr/bin/env bash
# Orientations under contention (issue 15, « Speed and proof »): 200 orientations released
# together on the last places of 50 plages, on SQLite (one `sas serve`) and on PostgreSQL (two
# `sas serve` on one database, the requests split between them). Before any figure it checks:
# every answer 201 or 409, exactly as many 201 as free places, every loser a 409 carrying
# « Ce créneau vient d'être pris », no over-booking in the database. Then the search: a créneau
# taken through process A is absent from A's next search at once, and from B's within 1 s.
# Prints p50/p99/max of the 200 latencies per case and writes everything to $OUT (default
# bench-orientations.txt in the work folder, which is kept). Not part of CI.
# Usage: bench/orientations.sh [build-dir]       (PLAGES=50 PER_PLAGE=4 CAPACITY=2 by default)
# CASES=sqlite (or postgresql) runs one case only. The burst is sent by bench_orientation_burst
# (built with the platform); CLIENT=python sends it from the script's Python instead, which
# takes as much CPU as the server on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
plages=${PLAGES:-50}
per_plage=${PER_PLAGE:-4}     # requests aimed at each plage's last place
capacity=${CAPACITY:-2}       # each plage is taken to capacity - 1 before the burst
work=$(mktemp -d /tmp/sas-orientations-bench-XXXXXX)
chmod 755 "$work"
out=${OUT:-$work/bench-orientations.txt}
: >"$out"
pids=()
pgdir=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "$pgdir" ] && scripts/stop-postgres "$pgdir" >/dev/null 2>&1 || true
  rm -f "$work"/*.sqlite*
}
trap cleanup EXIT
say() { echo "$*" | tee -a "$out"; }
fail() { echo "FAILED: $*" | tee -a "$out" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# The shipped configuration without the request log (a line per request is not what is
# measured). Jobs stay on as deployed: their thread brings the search index up to date with
# the other processes' changes four times a second, which the 1 s check below relies on.
sed -e 's/^server.access_log = .*/server.access_log = false/' config/sas.properties >"$work/sas.properties"

burst_client=$build/bench_orientation_burst
[ "${CLIENT:-}" = python ] && burst_client=python
[ "$burst_client" = python ] || [ -x "$burst_client" ] || fail "$burst_client is missing: build it (cmake --build $build --target bench_orientation_burst)"
day=$(TZ=Europe/Paris date -d tomorrow +%F)  # a coming day, inside the search's window
export SAS_ROOT=$PWD

# The embedded client (standard library only).
cat >"$work/client.py" <<'PY'
import http.client, json, os, socket, subprocess, sys, threading, time, urllib.parse
from datetime import datetime
from zoneinfo import ZoneInfo

def iso(day, minute):
    d = datetime.fromisoformat(day).replace(hour=minute // 60, minute=minute % 60,
                                            tzinfo=ZoneInfo("Europe/Paris"))
    return d.isoformat()

def body(place, day, start, end, kind, reference):
    return json.dumps({"lieu": place, "debut": iso(day, start), "fin": iso(day, end),
                       "type": kind, "reference": reference})

def orient(port, token, payload):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("POST", "/api/v1/orientations", payload,
              {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = c.getresponse()
    out = (r.status, r.read().decode())
    c.close()
    return out

def search(port, token, query):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/api/v1/search?" + query, headers={"Authorization": "Bearer " + token})
    r = c.getresponse()
    text = r.read().decode()
    c.close()
    if r.status != 200:
        sys.exit("search on %d answered %d: %s" % (port, r.status, text))
    return json.loads(text)

def shown(answer, place, start):
    return any(r["id"] == place and any(a["start"] == start for a in r["availabilities"])
               for r in answer["results"])

def burst(token, plan):
    """One connection per request, all opened first; then one thread sends every request, one
    after the other without waiting, and reads the answers as they come (a selector). A latency
    runs from a request's first byte sent to its answer's last byte. One thread, not one per
    request: 200 Python threads fighting for the interpreter's lock measured their own waits."""
    import selectors
    n = len(plan)
    results = [None] * n
    socks = []
    for i, (port, payload) in enumerate(plan):
        raw = payload.encode()
        head = ("POST /api/v1/orientations HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\nConnection: close\r\n\r\n" % (port, token, len(raw))).encode()
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        socks.append((s, head + raw))
    sel = selectors.DefaultSelector()
    state = {}
    for i, (s, message) in enumerate(socks):
        t0 = time.perf_counter()
        s.sendall(message)  # a few hundred bytes: the socket's buffer takes them at once
        s.setblocking(False)
        state[s.fileno()] = {"i": i, "sock": s, "data": b"", "t0": t0}
        sel.register(s, selectors.EVENT_READ)
    left = n
    deadline = time.perf_counter() + 30
    while left and time.perf_counter() < deadline:
        for key, _ in sel.select(timeout=1):
            st = state[key.fd]
            s = st["sock"]
            try:
                chunk = s.recv(65536)
            except BlockingIOError:
                continue
            st["data"] += chunk
            data = st["data"]
            done = not chunk
            if b"\r\n\r\n" in data:
                top, _, rest = data.partition(b"\r\n\r\n")
                length = 0
                for h in top.decode("latin-1").split("\r\n")[1:]:
                    k, _, v = h.partition(":")
                    if k.strip().lower() == "content-length":
                        length = int(v)
                done = done or len(rest) >= length
            if not done:
                continue
            t1 = time.perf_counter()
            sel.unregister(s)
            s.close()
            left -= 1
            top, _, rest = data.partition(b"\r\n\r\n")
            lines = top.decode("latin-1").split("\r\n")
            try:
                status = int(lines[0].split()[1])
            except (IndexError, ValueError):
                status = 0
            results[st["i"]] = {"port": plan[st["i"]][0], "status": status,
                                "body": rest.decode(errors="replace"), "ms": (t1 - st["t0"]) * 1000,
                                "t0": st["t0"], "t1": t1}
    for i, r in enumerate(results):  # no answer within 30 s: counted as a wrong answer below
        if r is None:
            results[i] = {"port": plan[i][0], "status": 0, "body": "no answer", "ms": 0, "t0": 0, "t1": 0}
    return results

def pct(values, p):  # nearest rank
    v = sorted(values)
    return v[max(0, -(-len(v) * p // 100) - 1)]

cmd = sys.argv[1]
if cmd == "prepare":
    # prepare PORT TOKEN DAY PLACE_IDS_FILE TAKEN: takes each plage to TAKEN, one by one.
    port, token, day, ids, taken = int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])
    ms = []
    for place in [int(l) for l in open(ids) if l.strip()]:
        for k in range(taken):
            t0 = time.perf_counter()
            status, text = orient(port, token, body(place, day, 600, 720, "plage", "PRE-%d-%d" % (place, k)))
            ms.append((time.perf_counter() - t0) * 1000)
            if status != 201:
                sys.exit("preparing place %d: %d %s" % (place, status, text))
    if ms:
        print("one at a time before the burst (%d orientations, a connection each): p50 %.1f ms, p99 %.1f ms" % (
            len(ms), pct(ms, 50), pct(ms, 99)))
elif cmd == "burst":
    # burst TOKEN DAY PLACE_IDS_FILE PER_PLAGE CAPACITY FREE RESULT_JSON PORT...
    token, day, ids, per, capacity, free, result = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
    ports = [int(p) for p in sys.argv[9:]]
    places = [int(l) for l in open(ids) if l.strip()]
    plan = []
    for place in places:
        for k in range(per):  # the requests on one plage alternate between the processes
            plan.append((ports[k % len(ports)], body(place, day, 600, 720, "plage", "B-%d-%d" % (place, k))))
    program = os.environ.get("BURST_CLIENT", "")
    if program and program != "python":
        # The lean client (bench/orientation_burst.cpp); the same plan, the same results.
        with open(result + ".plan", "w") as f:
            for port, payload in plan:
                f.write("%d\t%s\n" % (port, payload))
        subprocess.run([program, token, result + ".plan", result], check=True)
        res = json.load(open(result))
    else:
        res = burst(token, plan)
    json.dump(res, open(result, "w"))
    wrong = [r for r in res if r["status"] not in (201, 409)]
    if wrong:
        sys.exit("answers other than 201/409: %d, e.g. %s %s" % (len(wrong), wrong[0]["status"], wrong[0]["body"][:300]))
    won = [r for r in res if r["status"] == 201]
    lost = [r for r in res if r["status"] == 409]
    if len(won) != free:
        sys.exit("%d answers 201 for %d free places" % (len(won), free))
    if len(lost) != len(res) - free:
        sys.exit("%d answers 409 for %d losers" % (len(lost), len(res) - free))
    for r in lost:
        b = json.loads(r["body"])
        if b.get("error") != "conflict" or "Ce créneau vient d'être pris" not in b.get("message", "") \
                or b.get("reserves") != capacity or b.get("capacite") != capacity:
            sys.exit("a 409 without the expected body: %s" % r["body"])
    for r in won:
        b = json.loads(r["body"])
        if b.get("reserves") != capacity or b.get("capacite") != capacity or b.get("statut") != "en_attente":
            sys.exit("a 201 with an unexpected counter: %s" % r["body"])
    ms = [r["ms"] for r in res]
    wall = (max(r["t1"] for r in res) - min(r["t0"] for r in res)) * 1000
    spread = (max(r["t0"] for r in res) - min(r["t0"] for r in res)) * 1000
    print("answers: %d × 201, %d × 409, nothing else" % (len(won), len(lost)))
    print("latency ms: p50 %.1f, p99 %.1f, max %.1f (201: p50 %.1f, max %.1f; 409: p50 %.1f, max %.1f)" % (
        pct(ms, 50), pct(ms, 99), max(ms), pct([r["ms"] for r in won], 50), max(r["ms"] for r in won),
        pct([r["ms"] for r in lost], 50), max(r["ms"] for r in lost)))
    if len(ports) > 1:
        for p in ports:
            mine = [r for r in res if r["port"] == p]
            print("  process on port %d: %d requests, %d × 201, p50 %.1f, p99 %.1f, max %.1f ms" % (
                p, len(mine), sum(r["status"] == 201 for r in mine), pct([r["ms"] for r in mine], 50),
                pct([r["ms"] for r in mine], 99), max(r["ms"] for r in mine)))
    print("burst: sent over %.1f ms, last answer %.1f ms after the first request" % (spread, wall))
    print("RESULT p50=%.1f p99=%.1f max=%.1f wall=%.1f" % (pct(ms, 50), pct(ms, 99), max(ms), wall))
elif cmd == "search":
    # search TOKEN PLACE DAY QUERY PORT_A [PORT_B]: the créneau 10:00-10:30 of PLACE is shown
    # by every process; taken through A, absent from A's next search, and from B's within 1 s.
    token, place, day, query, a = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
    b = int(sys.argv[7]) if len(sys.argv) > 7 else None
    start = iso(day, 600)
    for p in [a] + ([b] if b else []):
        if not shown(search(p, token, query), place, start):
            sys.exit("before the orientation, the search of port %d does not show the créneau %s" % (p, start))
    status, text = orient(a, token, body(place, day, 600, 630, "creneau", "SEARCH-CHECK"))
    written = time.perf_counter()
    if status != 201:
        sys.exit("orienting on the créneau: %d %s" % (status, text))
    if shown(search(a, token, query), place, start):
        sys.exit("the créneau taken through A is still in A's next search")
    print("same process: absent from the next search (no delay)")
    if b:
        while True:
            sent = time.perf_counter()
            if sent > written + 1.0:
                sys.exit("the créneau taken through A is still in B's search 1 s later")
            if not shown(search(b, token, query), place, start):
                print("other process: absent from its search %d ms after the 201 (limit 1000 ms)" % int((sent - written) * 1000))
                print("RESULT delay=%d" % int((sent - written) * 1000))
                break
            time.sleep(0.01)
PY

# run_case NAME DATABASE_URL PROCESSES: q SQL answers one query, load FILE runs a script.
run_case() {
  local name=$1 url=$2 nproc=$3
  if [[ $url == sqlite:* ]]; then
    q() { sqlite3 "${url#sqlite:}" "$1"; }
    load() { sqlite3 -bail "${url#sqlite:}" <"$1"; }
  else
    q() { psql -qtA -v ON_ERROR_STOP=1 "$url" -c "$1"; }
    load() { psql -q -v ON_ERROR_STOP=1 "$url" -f "$1" >/dev/null; }
  fi
  say ""
  say "== $name: $nproc process(es), $plages plages of capacity $capacity taken to $((capacity - 1)), $per_plage requests on each last place"
  SAS_DATABASE_URL="$url" "$build"/sas migrate >/dev/null
  SAS_DATABASE_URL="$url" "$build"/sas demo-data >/dev/null  # regulateur@sas.test and his territory
  # The bench's places: $plages in Brest with a plage tomorrow 10:00-12:00, one in Quimper with
  # a créneau 10:00-10:30 for the search check (alone within 5 km of its town).
  {
    echo "INSERT INTO structures (name, type, departement, participates, professionals, accepts_contact, honour_declared) VALUES ('Banc d''essai orientations', 'Centre de santé', '29', 1, 3, 0, 1);"
    for i in $(seq "$plages"); do
      echo "INSERT INTO places (structure_id, name, street, postal_code, town, insee_code, latitude, longitude, time_zone) SELECT MAX(id), 'Plage $i', '$i Rue de Siam', '29200', 'Brest', '29019', 48.39 + $i * 0.0001, -4.486, 'Europe/Paris' FROM structures;"
    done
    echo "INSERT INTO places (structure_id, name, street, postal_code, town, insee_code, latitude, longitude, time_zone) SELECT MAX(id), 'Créneau', '1 Rue Kéréon', '29000', 'Quimper', '29232', 47.996, -4.098, 'Europe/Paris' FROM structures;"
    echo "INSERT INTO availabilities (place_id, weekly, first_date, last_date, span_end, start_minute, end_minute, kind, capacity, types) SELECT id, 0, '$day', NULL, '$day', 600, 720, 'plage', $capacity, 1 FROM places WHERE town = 'Brest' AND name LIKE 'Plage %';"
    echo "INSERT INTO availabilities (place_id, weekly, first_date, last_date, span_end, start_minute, end_minute, kind, capacity, types) SELECT id, 0, '$day', NULL, '$day', 600, 630, 'creneau', 1, 1 FROM places WHERE town = 'Quimper' AND name = 'Créneau';"
  } >"$work/seed.sql"
  load "$work/seed.sql"
  q "SELECT COUNT(*) FROM places WHERE town = 'Brest' AND name LIKE 'Plage %'" | grep -qx "$plages" || fail "the seed did not load"
  q "SELECT id FROM places WHERE town = 'Brest' AND name LIKE 'Plage %' ORDER BY id" >"$work/plages.txt"
  local check_place
  check_place=$(q "SELECT id FROM places WHERE town = 'Quimper' AND name = 'Créneau'")
  local token
  token=$(SAS_DATABASE_URL="$url" "$build"/sas token create --name "bench-$name" --scope orientation \
    --user regulateur@sas.test | tail -n 1)

  local -a ports=()
  for k in $(seq "$nproc"); do
    local port
    port=$(free_port)
    SAS_DATABASE_URL="$url" SAS_PORT=$port SAS_MAIL_DIR="$work/mail-$name-$k" \
      "$build"/sas serve --config "$work/sas.properties" >"$work/$name-$k.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || fail "sas serve on port $port did not start"
    ports+=("$port")
  done

  # Each plage taken to capacity - 1, one orientation at a time, through the first process.
  local sequential
  sequential=$(python3 "$work/client.py" prepare "${ports[0]}" "$token" "$day" "$work/plages.txt" \
    $((capacity - 1))) || fail "preparing the plages"
  local free
  free=$(q "SELECT SUM(a.capacity - COALESCE(t.taken, 0)) FROM availabilities a JOIN places p ON p.id = a.place_id LEFT JOIN occurrence_takings t ON t.availability_id = a.id WHERE p.town = 'Brest'")
  [ "$free" = "$plages" ] || fail "$free free places before the burst, $plages expected"

  # CPU time of the sas processes' threads (nanoseconds, from the scheduler: clock ticks were
  # 10 ms, a quarter of a burst), read around the burst: on a shared machine it says what the
  # burst costs whatever else runs.
  cpu() { local p; for p in "${pids[@]}"; do cat /proc/"$p"/task/*/schedstat; done | awk '{t += $1} END {printf "%d", t}'; }
  local load cpu_before cpu_ms
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  cpu_before=$(cpu)
  local burst
  burst=$(BURST_CLIENT=$burst_client python3 "$work/client.py" burst "$token" "$day" "$work/plages.txt" "$per_plage" "$capacity" \
    "$free" "$work/$name-results.json" "${ports[@]}") || fail "$name: the answers are wrong (above)"
  sleep 0.5  # the index jobs read the changes of the burst within 250 ms: part of its cost
  cpu_ms=$(( ($(cpu) - cpu_before) / 1000000 ))

  # No over-booking, in the database: no counter above its capacity, no occurrence holding more
  # orientations in force than its capacity, every counter equal to its orientations.
  local held="SELECT o.availability_id, o.occurrence_date, COUNT(*) AS n FROM orientations o WHERE o.status <> 'annulee' AND o.availability_id IS NOT NULL GROUP BY o.availability_id, o.occurrence_date"
  local over_counter over_rows mismatch total
  over_counter=$(q "SELECT COUNT(*) FROM occurrence_takings t JOIN availabilities a ON a.id = t.availability_id WHERE t.taken > a.capacity")
  over_rows=$(q "SELECT COUNT(*) FROM ($held) g JOIN availabilities a ON a.id = g.availability_id WHERE g.n > a.capacity")
  mismatch=$(q "SELECT COUNT(*) FROM occurrence_takings t LEFT JOIN ($held) g ON g.availability_id = t.availability_id AND g.occurrence_date = t.occurrence_date WHERE COALESCE(g.n, 0) <> t.taken")
  total=$(q "SELECT COUNT(*) FROM orientations o JOIN places p ON p.id = o.place_id WHERE p.town = 'Brest' AND o.status <> 'annulee'")
  [ "$over_counter" = 0 ] && [ "$over_rows" = 0 ] && [ "$mismatch" = 0 ] ||
    fail "$name: over-booking: $over_counter counters above capacity, $over_rows occurrences over capacity, $mismatch counters unequal to their orientations"
  [ "$total" = $((plages * capacity)) ] || fail "$name: $total orientations in force, $((plages * capacity)) expected"
  local full
  full=$(q "SELECT COUNT(*) FROM occurrence_takings t JOIN availabilities a ON a.id = t.availability_id JOIN places p ON p.id = a.place_id WHERE p.town = 'Brest' AND t.taken = a.capacity")
  [ "$full" = "$plages" ] || fail "$name: $full plages full, $plages expected"

  local searched
  searched=$(python3 "$work/client.py" search "$token" "$check_place" "$day" "adresse=29000&rayon=5&par_page=50" \
    "${ports[@]}") || fail "$name: the search check (above)"

  say "$sequential"
  say "load average when the burst started: $load"
  say "$burst"
  say "server CPU for the burst (every sas process, user + system, the next 0.5 s included): $cpu_ms ms"
  say "database: $total orientations in force on $plages plages of capacity $capacity, all full; 0 counters above capacity, 0 occurrences over capacity, 0 counters unequal to their orientations"
  say "$searched"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

say "bench/orientations.sh — $(date -u '+%F %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)"
say "occurrences on $day (Europe/Paris)"

cases=${CASES:-sqlite postgresql}
case " $cases " in *" sqlite "*) run_case sqlite "sqlite:$work/sas.sqlite" 1 ;; esac
case " $cases " in
  *" postgresql "*)
    read -r pgdir pgurl < <(scripts/start-postgres)
    export PGOPTIONS="-c client_min_messages=warning"
    run_case postgresql "$pgurl" 2
    ;;
esac

say ""
say "All checks passed. Results: $out (work folder $work)"
