#!/usr/bin/env bash
# User-space instructions per row of the pure core (CSV reading, validation,
# URL normalization, de-duplication, report formatting): callgrind counts of
# a dry run of two bench/generate_leads.py files, the difference divided by
# the row difference so that start-up cancels. Instruction counts repeat to
# a few per row on a busy machine, unlike wall time.
#
#   bench/core_instructions.sh                      # 10000 and 20000 rows
#   SMALL=10000 LARGE=20000 BUILD_DIR=build/core bench/core_instructions.sh
#   KEEP=DIR bench/core_instructions.sh             # keep the callgrind.out files (callgrind_annotate)
#   FORMAT=jsonl bench/core_instructions.sh         # the JSONL report instead of CSV
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SMALL=${SMALL:-10000}
LARGE=${LARGE:-20000}
FORMAT=${FORMAT:-csv}
command -v valgrind >/dev/null || { echo "$BENCH_NAME: valgrind is not installed" >&2; exit 2; }
need_binaries "$IMPORT_BIN"
((LARGE > SMALL)) || { echo "$BENCH_NAME: LARGE must exceed SMALL" >&2; exit 2; }

# Total instructions of a dry run of `rows` rows.
instructions() {
  local rows=$1 out=$tmp/callgrind.out.$1
  realistic_leads "$rows" "$tmp/leads-$rows.csv"
  valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$IMPORT_BIN" --dry-run --campaign "$CAMPAIGN" --list "$LIST" --report-format "$FORMAT" --report "$tmp/report-$rows.csv" --quiet \
    "$tmp/leads-$rows.csv" 2>"$tmp/valgrind-$rows.err" || true
  [[ -s $tmp/report-$rows.csv ]] || { echo "$BENCH_NAME: the dry run wrote no report" >&2; cat "$tmp/valgrind-$rows.err" >&2; exit 1; }
  if [[ -n ${KEEP:-} ]]; then mkdir -p "$KEEP" && cp "$out" "$KEEP/"; fi
  awk '/^summary:/ {print $2}' "$out"
}

small=$(instructions "$SMALL")
large=$(instructions "$LARGE")
machine_line
printf 'dry run, %s report, bench/generate_leads.py files, callgrind (user space): %s rows %s, %s rows %s instructions\n' \
  "$FORMAT" "$SMALL" "$small" "$LARGE" "$large"
printf 'instructions per row: %s\n' "$(calc "round(($large - $small) / ($LARGE - $SMALL))")"
