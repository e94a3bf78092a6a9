#!/usr/bin/env bash
# Issue 16 « Qui »: the regulators' search with professionals' names and specialties indexed.
# On the generated national data (100,000 places): the index alone before any professional
# (`bench_search index`, optionally from another build: today's), then PER_PLACE directory
# professionals at every place, then the same questions with no text, a structure type
# (« centre de santé »), a specialty (« médecine générale ») and a name (« martin »).
# Checks: p99 with names indexed within 10 % of the p99 before (separate runs, and paired: the
# same file without and with the professionals, both indexes in one process, questions asked
# of each in turn); « médecine générale » costs no more than « centre de santé ». Prints a Markdown table for docs/benchmarks.md (« Who »).
# Take the figures on a quiet machine: wall-clock tails on a shared one measure the others.
# Usage: bench/search_who_bench.sh [build-dir]
#   PLACES=100000 QUERIES=10000 PER_PLACE=2 by default; REUSE_DB=<sqlite file> skips the
#   generation (the file is copied, never changed); BASELINE=<build dir of main> times the
#   « before » with that build's bench_search.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
baseline=${BASELINE:-$build}
places=${PLACES:-100000}
queries=${QUERIES:-10000}
per=${PER_PLACE:-2}
work=$(mktemp -d /tmp/sas-who-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
db="sqlite:$work/sas.sqlite"

echo "== data: $places places (seed 1)"
if [ -n "${REUSE_DB:-}" ]; then
  cp "$REUSE_DB" "$work/sas.sqlite"
else
  SAS_DATABASE_URL="$db" "$build"/sas national-data --places "$places" --seed 1 | tail -n 1
fi
SAS_DATABASE_URL="$db" "$build"/sas migrate >/dev/null  # a reused file gets migration 052
tuesday=$(TZ=Europe/Paris date -d "next monday + 1 day" +%F)
now=$(TZ=Europe/Paris date -d "$tuesday 08:00" +%s)
load=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== before: no professional, $queries queries ($baseline)"
"$baseline"/bench_search index --db "$db" --now "$now" --queries "$queries" | tee "$work/before.txt"
before_p99=$(sed -n 's/^index ms: p50 [^,]*, p90 [^,]*, p99 \([^;]*\);.*/\1/p' "$work/before.txt")
before_p50=$(sed -n 's/^index ms: p50 \([^,]*\),.*/\1/p' "$work/before.txt")

cp "$work/sas.sqlite" "$work/without.sqlite"  # the same places, no professional: the pair's side
echo "== $per professionals a place"
"$build"/bench_search professionals --db "$db" --per-place "$per" | tee "$work/pros.txt"

# The 10 % holds or not on a difference smaller than this machine's run-to-run noise (±20 %):
# both indexes in one process, asked the same no-text question in turn, the order alternated.
echo "== paired: the same no-text questions, without and with the professionals, in turn"
"$build"/bench_search who-paired --db "sqlite:$work/without.sqlite" --with "$db" --now "$now" \
  --queries "$queries" --rounds "${ROUNDS:-5}" | tee "$work/paired.txt"
paired=$(grep '^RESULT' "$work/paired.txt")

echo "== after: the same questions, with text"
"$build"/bench_search who --db "$db" --now "$now" --queries "$queries" | tee "$work/after.txt"
result=$(grep '^RESULT' "$work/after.txt")
get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }

python3 - "$before_p50" "$before_p99" "$(get none_p50_ms)" "$(get none_p99_ms)" \
  "$(get type_p50_ms)" "$(get type_p99_ms)" "$(get specialty_p50_ms)" "$(get specialty_p99_ms)" \
  "$(get name_p50_ms)" "$(get name_p99_ms)" "$(get type_cpu_p99_ms)" "$(get specialty_cpu_p99_ms)" \
  "$(get type_mean_total)" "$(get specialty_mean_total)" "$(get name_mean_total)" \
  "$(get build_s)" "$(get rss_mb)" "$load" "$places" "$queries" "$per" \
  "$(sed -n 's/.*paired_p99_ratio_median=\([^ ]*\).*/\1/p' <<<"$paired")" \
  "$(sed -n 's/.*paired_p99_ratio_max=\([^ ]*\).*/\1/p' <<<"$paired")" \
  "$(sed -n 's/.*rounds=\([^ ]*\).*/\1/p' <<<"$paired")" <<'PY'
import sys
(b50, b99, n50, n99, t50, t99, s50, s99, m50, m99, tc99, sc99, tt, st, mt, build, rss, load,
 places, queries, per, pmed, pmax, rounds) = sys.argv[1:]
f = float
print(f"""
| measure (index alone, {queries} questions, 20 km, first 20 by distance) | result | target |
|---|---|---|
| no text, before any professional: p50 / p99 | {b50} ms / {b99} ms | |
| no text, {per} professionals a place indexed: p50 / p99 | {n50} ms / {n99} ms | p99 ≤ {f(b99) * 1.1:.4f} ms (+10 %) |
| « centre de santé » (a type): p50 / p99, CPU p99, mean total | {t50} ms / {t99} ms, {tc99} ms, {tt} | |
| « médecine générale » (a specialty): p50 / p99, CPU p99, mean total | {s50} ms / {s99} ms, {sc99} ms, {st} | p99 ≤ the type's |
| « martin » (a name): p50 / p99, mean total | {m50} ms / {m99} ms, {mt} | |
| index build with the professionals; RSS | {build} s; {rss} MB | |

Load average at the start: {load}.
no-text p99 against before (separate runs): {100 * (f(n99) / f(b99) - 1):+.1f} % ({"ok" if f(n99) <= 1.1 * f(b99) else "OVER 10 %"});
no-text p99 with / without the professionals, paired in one process over {rounds} rounds: median {100 * (f(pmed) - 1):+.1f} %, worst {100 * (f(pmax) - 1):+.1f} % ({"ok" if f(pmed) <= 1.1 else "OVER 10 %"});
specialty p99 against type p99: {100 * (f(s99) / f(t99) - 1):+.1f} % ({"ok" if f(s99) <= f(t99) else "OVER"}).""")
PY
