#!/usr/bin/env bash
# The FHIR publisher (issue 20): the by-professional Slot search with 25 identifiers over 72 h,
# on the national data set with directory professionals at every place, over mutual TLS.
# Measures (1) each request on a fresh TLS connection with a client certificate, end to end
# (handshake included) and (2) the server's own time per request (its request log), on one
# kept-alive connection. Before any figure, every answer must be 200, a searchset Bundle whose
# Slots all start in the window and belong to the identifiers asked. Writes the figures to
# $OUT (default bench-fhir.txt in the work folder, which is kept). Not part of CI.
# Usage: bench/fhir_bench.sh [build-dir]     (PLACES=100000 PER_PLACE=2 QUERIES=500 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
places=${PLACES:-100000}
per_place=${PER_PLACE:-2}
queries=${QUERIES:-500}
work=$(mktemp -d /tmp/sas-fhir-bench-XXXXXX)
out=${OUT:-$work/bench-fhir.txt}
: >"$out"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -f "$work"/*.sqlite*
}
trap cleanup EXIT
say() { echo "$*" | tee -a "$out"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

say "== data: $places places (seed 1), $per_place directory professionals each"
db="sqlite:$work/sas.sqlite"
SAS_DATABASE_URL="$db" "$build"/sas national-data --places "$places" --seed 1 | tail -n 1
"$build"/bench_search professionals --db "$db" --per-place "$per_place" | tail -n 1
# The professionals whose place has availabilities: the pool the questions draw from.
sqlite3 "$work/sas.sqlite" "SELECT DISTINCT dp.national_id FROM directory_places dp
  JOIN places p ON p.structure_id = dp.structure_id
  JOIN availabilities a ON a.place_id = p.id ORDER BY dp.national_id" >"$work/pool.txt"
say "professionals with availabilities: $(wc -l <"$work/pool.txt")"

# A test PKI: a CA, the server's certificate, an allowed client's.
(
  cd "$work"
  key="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
  openssl req -x509 $key -keyout ca-key.pem -out ca.pem -days 2 -subj "/CN=AC banc FHIR"
  issue() {
    printf "$3\n" >"$1.ext"
    openssl req $key -keyout "$1-key.pem" -out "$1.csr" -subj "$2"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out "$1.pem" \
      -days 2 -extfile "$1.ext"
  }
  issue server "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth"
  issue client "/CN=banc/OU=SAS" "extendedKeyUsage=clientAuth"
  : >index.txt
  echo 01 >crlnumber
  printf '[ca]\ndefault_ca = t\n[t]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 2\ncertificate = ca.pem\nprivate_key = ca-key.pem\n' >ca.cnf
  openssl ca -config ca.cnf -gencrl -out crl.pem
) >"$work/openssl.log" 2>&1

port=$(free_port)
fhir_port=$(free_port)
sed -e "s|^fhir.listen =.*|fhir.listen = 127.0.0.1:$fhir_port|" \
  -e "s|^fhir.certificate =.*|fhir.certificate = $work/server.pem|" \
  -e "s|^fhir.key =.*|fhir.key = $work/server-key.pem|" \
  -e "s|^fhir.client_ca =.*|fhir.client_ca = $work/ca.pem|" \
  -e "s|^fhir.client_crl =.*|fhir.client_crl = $work/crl.pem|" \
  -e "s|^fhir.allowed_clients =.*|fhir.allowed_clients = banc/SAS|" \
  config/sas.properties >"$work/sas.properties"
SAS_ROOT=$PWD SAS_DATABASE_URL="$db" SAS_PORT=$port "$build"/sas serve \
  --config "$work/sas.properties" 2>"$work/server.log" >/dev/null &
server=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
python3 - "$fhir_port" "$work" "$queries" <<'PY' | tee -a "$out"
import http.client, json, random, ssl, statistics, sys, time
from datetime import datetime, timedelta, timezone
port, work, queries = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
pool = open(work + "/pool.txt").read().split()
ctx = ssl.create_default_context(cafile=work + "/ca.pem")
ctx.load_cert_chain(work + "/client.pem", work + "/client-key.pem")
now = datetime.now(timezone.utc).replace(microsecond=0)
ge, le = now, now + timedelta(hours=72)
fmt = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
rnd = random.Random(1)

def path(ids):
    return ("/fhir/Slot?_include=Slot:schedule&_include:iterate=Schedule:actor&start=ge" +
            fmt(ge) + "&start=le" + fmt(le) + "&schedule.actor:Practitioner.identifier=" +
            ",".join("urn:oid:1.2.250.1.71.4.2.1%7C" + i for i in ids) + "&status=free")

def check(status, body, ids):
    assert status == 200, status
    b = json.loads(body)
    assert b["resourceType"] == "Bundle" and b["type"] == "searchset", body[:200]
    slots = 0
    for e in b.get("entry", []):
        r = e["resource"]
        if r["resourceType"] == "Slot":
            slots += 1
            start = datetime.fromisoformat(r["start"])
            assert ge <= start <= le, r["start"]
            assert r["schedule"]["reference"].split("/")[1].split("-")[0] in ids
    assert b["total"] == slots
    return slots

def run(fresh):
    times, slots, sizes = [], 0, 0
    conn = None
    for q in range(queries):
        ids = rnd.sample(pool, 25)
        t0 = time.perf_counter()
        if fresh or conn is None:
            if conn: conn.close()
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
        conn.request("GET", path(ids), headers={"Accept": "application/fhir+json"})
        r = conn.getresponse()
        body = r.read()
        times.append((time.perf_counter() - t0) * 1000)
        slots += check(r.status, body, ids)
        sizes += len(body)
    times.sort()
    pct = lambda p: times[min(len(times) - 1, int(p * len(times)))]
    return pct(0.5), pct(0.99), times[-1], slots / queries, sizes / queries

run(False)  # the warm-up: caches, the allocator, the first handshakes
p50, p99, mx, slots, size = run(True)
print(f"fresh mTLS connection per request, end to end: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
      f"max {mx:.1f} ms ({queries} requests, {slots:.1f} slots and {size/1024:.0f} KiB a Bundle)")
p50, p99, mx, slots, size = run(False)
print(f"one kept-alive connection, end to end: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {mx:.1f} ms")
PY
# The server's own time for the kept-alive run (the last $queries lines of /fhir/Slot).
grep 'path=/fhir/Slot' "$work/server.log" | tail -n "$queries" |
  sed -E 's/.*duration_ms=([0-9.]+).*/\1/' | sort -n |
  awk -v q="$queries" '{a[NR]=$1} END {printf "server time per request (its log): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", a[int(NR*0.5)+1], a[int(NR*0.99)+1], a[NR]}' |
  tee -a "$out"
say "figures in $out"
