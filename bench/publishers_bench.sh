#!/usr/bin/env bash
# Interfaced booking software (issue 21): 3 publishers × 20,000 professionals × 72 h (about
# 1,000,000 slots) pulled over mutual TLS as the background job pulls them, the regulators'
# search timed alone and during a pull where every place changes, then with and without a pull
# by turns (the publishers answer one second, hold their answers the next), and the index's
# memory per million pulled slots. On `sas national-data --places 100000 --seed 1`, 60,000 of whose
# structures get a SIRET and one directory professional each (bulk SQL). Writes the figures to
# $OUT (default bench-publishers.txt in the work folder, which is kept). Not part of CI.
# Usage: bench/publishers_bench.sh [build-dir]
#   PROFESSIONALS=60000 CONCURRENCY=4 QUERIES=5000 PULL_NICE=idle PUBLISHERS_NICE=idle by default;
#   REUSE_DB=file: a database made by `sas national-data --places 100000 --seed 1` earlier
#   (copied, left as it is); KEEP=1 keeps the seeded database in the work folder (for perf);
#   TRACE=file: every question and the other threads' events (bench_publishers --trace);
#   SERVER_ALLOCATOR=0: glibc's malloc as it comes rather than as `sas serve` sets it.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
professionals=${PROFESSIONALS:-60000}
concurrency=${CONCURRENCY:-4}
queries=${QUERIES:-5000}
pull_nice=${PULL_NICE:-idle}  # the puller thread's nice value, or idle (as `sas serve` runs it)
publishers_nice=${PUBLISHERS_NICE:-idle}  # the in-process publishers' (idle: as if elsewhere)
work=$(mktemp -d /tmp/sas-publishers-bench-XXXXXX)
out=${OUT:-$work/bench-publishers.txt}
: >"$out"
cleanup() { [ -n "${KEEP:-}" ] || rm -f "$work"/*.sqlite*; }
trap cleanup EXIT
say() { echo "$*" | tee -a "$out"; }

CCACHE_NOHASHDIR=1 CCACHE_BASEDIR=$PWD nice -n 10 cmake --build "$build" -j2 \
  --target sas bench_publishers >/dev/null

say "== data: 100000 places (seed 1), $professionals professionals with a SIRET structure"
if [ -n "${REUSE_DB:-}" ]; then
  cp "$REUSE_DB" "$work/sas.sqlite"
else
  SAS_DATABASE_URL="sqlite:$work/sas.sqlite" "$build"/sas national-data --places 100000 --seed 1 |
    tail -n 1
fi
# Structures of one place each, spread over the country by a fixed shuffle of their ids; the
# SIRET « 9 » + 13 digits of the id, the RPPS « 8 » + 11 digits.
sqlite3 "$work/sas.sqlite" <<SQL
BEGIN;
CREATE TEMP TABLE chosen AS
  SELECT s.id AS sid FROM structures s
  WHERE (SELECT COUNT(*) FROM places p WHERE p.structure_id = s.id) = 1
  ORDER BY (s.id * 7919) % 100003 LIMIT $professionals;
UPDATE structures SET siret = printf('9%013d', id) WHERE id IN (SELECT sid FROM chosen);
INSERT INTO directory_professionals (national_id, last_name, first_name, profession, specialty)
  SELECT printf('8%011d', 10000000000 + sid), 'BANC', 'Essai', 'Médecin', 'Médecine générale'
  FROM chosen;
INSERT INTO directory_places (national_id, site_key, structure_id)
  SELECT printf('8%011d', 10000000000 + sid), 'banc:' || sid, sid FROM chosen;
COMMIT;
SQL

# A test PKI: a CA, the publishers' server certificate (127.0.0.1), our client certificate.
(
  cd "$work"
  key="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
  openssl req -x509 $key -keyout ca-key.pem -out ca.pem -days 2 -subj "/CN=AC banc editeurs"
  issue() {
    printf "$3\n" >"$1.ext"
    openssl req $key -keyout "$1-key.pem" -out "$1.csr" -subj "$2"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out "$1.pem" \
      -days 2 -extfile "$1.ext"
  }
  issue server "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth"
  issue client "/CN=sas-banc/OU=SAS" "extendedKeyUsage=clientAuth"
) >"$work/openssl.log" 2>&1

say "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$build"/bench_publishers --db "sqlite:$work/sas.sqlite" --pki "$work" \
  --concurrency "$concurrency" --queries "$queries" --pull-nice "$pull_nice" \
  --publishers-nice "$publishers_nice" --server-allocator "${SERVER_ALLOCATOR:-1}" ${TRACE:+--trace "$TRACE"} | tee -a "$out"
say "== done, load $(cut -d' ' -f1-3 /proc/loadavg); figures in $out"
grep -q 'checks=ok' "$out"
