#!/usr/bin/env bash
# Two or more builds of the search index asked the same questions by turns (issue 17's « before /
# after » figures in docs/benchmarks.md): `bench_search index` of each binary, pinned to one
# core, ROUNDS times in turn; then each one's p50 and p99 (µs) as the median of its runs with
# their range. The binaries must print the same fingerprint of their answers (totals, each hit's
# place, distance and slots), or no figure is printed. Not part of CI.
# Usage: bench/search_pairs.sh DB BIN_BEFORE BIN_AFTER [BIN...]
#   DB: a SQLite file of `sas national-data` (migrated); ROUNDS=10 QUERIES=20000 by default;
#   NOW: the questions' instant (1796713200: a Tuesday 08:00 in Paris, as the figures use).
set -euo pipefail
[ $# -ge 3 ] || { sed -n 2,9p "$0"; exit 2; }
db=$1
shift
rounds=${ROUNDS:-10}
queries=${QUERIES:-20000}
now=${NOW:-1796713200}
out=$(mktemp -d /tmp/sas-search-pairs-XXXXXX)
trap 'rm -rf "$out"' EXIT
for r in $(seq "$rounds"); do
  for i in $(seq $#); do
    bin=${!i}
    taskset -c 1 "$bin" index --db "sqlite:$db" --now "$now" --queries "$queries" 2>&1 |
      grep -E "^answers|^index ms" | tr '\n' ' ' >> "$out/$i"
    echo >> "$out/$i"
  done
done
python3 - "$out" "$@" <<'PY'
import re, statistics, sys
out, bins = sys.argv[1], sys.argv[2:]
prints, rows = set(), []
for i, b in enumerate(bins, 1):
    lines = [l for l in open(f"{out}/{i}") if l.strip()]
    p50 = [float(re.search(r"p50 ([0-9.]+)", l).group(1)) * 1000 for l in lines]
    p99 = [float(re.search(r"p99 ([0-9.]+)", l).group(1)) * 1000 for l in lines]
    fp = {re.search(r"fingerprint (\w+)", l).group(1) for l in lines}
    prints |= fp
    rows.append((b, p50, p99, fp))
if len(prints) != 1:
    for b, _, _, fp in rows:
        print(f"{b}: fingerprints {sorted(fp)}")
    sys.exit("the binaries do not answer alike: no figures")
print(f"answers alike (fingerprint {prints.pop()}), {len(rows[0][1])} runs each:")
for b, p50, p99, _ in rows:
    print(f"{b}: p50 {statistics.median(p50):.1f} µs [{min(p50):.1f}-{max(p50):.1f}], "
          f"p99 {statistics.median(p99):.1f} µs [{min(p99):.1f}-{max(p99):.1f}]")
PY
