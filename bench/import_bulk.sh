#!/usr/bin/env bash
# The bulk endpoint against the single one (issue 13): the same realistic
# lead file (bench/generate_leads.py) imported with --endpoint single and
# with --endpoint bulk --batch-size 10, 100 and 1000 into prospect-sandbox
# limited to LIMIT requests/s, rows added a second for each; then, with no
# limit anywhere, the importer's CPU time (user + system) a row for single
# and bulk.
#
#   bench/import_bulk.sh                                  # 20,000 rows, 600 for single, LIMIT=10
#   ROWS=20000 SINGLE_ROWS=600 LIMIT=10 BUILD_DIR=build bench/import_bulk.sh
#
# Under the limit the importer is given the API's own limit (--rate LIMIT
# --burst 1), as a user would, so that it never waits on a 429; the sandbox
# keeps its default burst (the limit) to absorb timing jitter. Single sends
# one request a row, so at 10 requests/s 20,000 rows would take 2,000 s: it
# is measured on the first SINGLE_ROWS rows of the same file instead. Every
# measurement gets a fresh sandbox (its store empty). rows/s = rows added /
# the importer's wall time, start-up included. Target: bulk with batches of
# 100 adds at least 800 rows/s at 10 requests/s.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

ROWS=${ROWS:-20000}
SINGLE_ROWS=${SINGLE_ROWS:-600}
LIMIT=${LIMIT:-10}
BATCHES=${BATCHES:-10 100 1000}
UNLIMITED_RATE=${UNLIMITED_RATE:-1000000}
need_tools python3 curl

realistic_leads "$ROWS" "$tmp/leads.csv"
# generate_leads.py quotes cells with line breaks: cut only where a record ends.
python3 - "$tmp/leads.csv" "$tmp/single.csv" "$SINGLE_ROWS" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as src, open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
    reader, writer = csv.reader(src), csv.writer(out, lineterminator="\n")
    for i, record in enumerate(reader):
        if i > int(sys.argv[3]):
            break
        writer.writerow(record)
PY

rows_in() { python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$1"; }

# One measurement: a fresh sandbox (options in sandbox_opts), the import
# with the options given; prints one table line and checks what the
# sandbox saw against what the report says.
measure() {
  local label=$1 csv=$2
  shift 2
  start_sandbox "${sandbox_opts[@]}"
  run_import "$sandbox_url" "$tmp/sandbox-ca.pem" "$csv" "$@"
  local stored requests
  stored=$(sandbox_get /_sandbox/prospects | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
  requests=$(sandbox_get /_sandbox/stats | python3 -c 'import json, sys; s = json.load(sys.stdin); print(s["requests"], s["byStatus"].get("429", 0))')
  stop_sandbox
  [[ $stored == "$import_added" ]] || echo "$BENCH_NAME: $label: the sandbox stores $stored URLs for $import_added rows added" >&2
  local rows rps cpu_us
  rows=$(rows_in "$csv")
  rps=$(calc "round($import_added / $import_elapsed)")
  cpu_us=$(calc "round(($import_user + $import_sys) / $rows * 1e6, 1)")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$rows" "$import_added" "${requests% *}" \
    "${requests#* }" "$import_elapsed" "$rps" "$cpu_us" >&2
  last_rps=$rps last_cpu_us=$cpu_us
}

echo >&2
echo "Under a limit of $LIMIT requests/s (sandbox --rate $LIMIT; importer --rate $LIMIT --burst 1):" >&2
echo '| endpoint | rows in file | rows added | requests | of which 429 | seconds | rows added/s | CPU us/row |' >&2
echo '|---|---|---|---|---|---|---|---|' >&2
sandbox_opts=(--rate "$LIMIT")
measure "single" "$tmp/single.csv" --rate "$LIMIT" --burst 1
declare -A limited
limited[single]=$last_rps
for b in $BATCHES; do
  measure "bulk, --batch-size $b" "$tmp/leads.csv" --endpoint bulk --batch-size "$b" --rate "$LIMIT" --burst 1
  limited[$b]=$last_rps
done

echo >&2
echo "No limit (sandbox unlimited; importer --rate $UNLIMITED_RATE --burst 100), CPU (user + system) per row of the file:" >&2
echo '| endpoint | rows in file | rows added | requests | of which 429 | seconds | rows added/s | CPU us/row |' >&2
echo '|---|---|---|---|---|---|---|---|' >&2
sandbox_opts=()
measure "single" "$tmp/leads.csv" --rate "$UNLIMITED_RATE" --burst 100
single_cpu=$last_cpu_us
measure "bulk, --batch-size 100" "$tmp/leads.csv" --endpoint bulk --rate "$UNLIMITED_RATE" --burst 100
bulk_cpu=$last_cpu_us

echo
machine_line
printf 'rows/s added at %s requests/s: single %s (first %s rows)' "$LIMIT" "${limited[single]}" "$SINGLE_ROWS"
for b in $BATCHES; do printf ', bulk %s: %s' "$b" "${limited[$b]}"; done
printf '\nCPU (user + system) a row, no limit: single %s us, bulk (batch 100) %s us\n' "$single_cpu" "$bulk_cpu"
if [[ " $BATCHES " == *" 100 "* ]]; then
  printf 'target: bulk with batches of 100 adds at least 800 rows/s at 10 requests/s: %s\n' \
    "$(calc "'met' if ${limited[100]} >= 800 else 'NOT met'")"
fi
