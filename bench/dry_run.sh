#!/usr/bin/env bash
# Times the dry run of a 1,000,000-row lead file against baselines in the
# same run: `wc -l` (the I/O floor), bench/python_dry_run.py (what a user
# would otherwise write) and, with BASE_BIN=, an older prospect-import.
# The dry run is timed twice: into a new report path (its old report
# removed first, outside the timing) and replacing the report of the run
# before (the file system then frees the old report's blocks in the rename).
# Prints rows/s, the ratios and peak RSS; checks that the script and the dry
# run agree on the outcome counts.
# usage: bench/dry_run.sh [ROWS]   (expects a build in build/: scripts/build;
#        IMPORT_BIN=path/to/prospect-import or BUILD_DIR=dir to time another;
#        BASE_BIN=path/to/older/prospect-import to time it alongside;
#        ONE_CPU=1 pins the dry runs to one CPU; ROUNDS=5 runs of each, the
#        median and the best kept)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
rounds=${ROUNDS:-5}
bin=${IMPORT_BIN:-${BUILD_DIR:-build}/src/prospect-import}
[[ -x $bin ]] || { echo "dry_run: no $bin (run scripts/build, or set BUILD_DIR or IMPORT_BIN)" >&2; exit 2; }
[[ -z ${BASE_BIN:-} || -x $BASE_BIN ]] || { echo "dry_run: no $BASE_BIN" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
campaign=8d256aa6-9b12-49a7-93ee-bf41634b5b60
list=cf33282b-b171-4d23-ae02-848499d793e4

python3 bench/generate_leads.py "$rows" "$work/leads.csv"
cat "$work/leads.csv" >/dev/null  # warm the page cache for every contender
size=$(stat -c %s "$work/leads.csv")

# One run of a command, interleaved with the other contenders' by the
# caller: appends "seconds rss_kib" to $work/<name>. Each starts once the
# writes before it are on disk (sync, untimed): a run that syncs its report
# would otherwise wait for the contender before it, whose 200 MB report or
# freed blocks were still being written or discarded. The dry runs are
# pinned from outside the timing (taskset runs /usr/bin/time), so that
# taskset's own start, about 5 ms, is not counted as theirs.
pin=()
[[ -n ${ONE_CPU:-} ]] && pin=(taskset -c 0)
once() {
  local name=$1; shift
  local prefix=()
  [[ $name != wc && $name != py ]] && prefix=("${pin[@]}")
  sync
  "${prefix[@]}" /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$work/time" >> "$work/$name"
}
dry_args=(--dry-run --quiet --campaign $campaign --list $list --report)

contenders=(new replaced)
[[ -n ${BASE_BIN:-} ]] && contenders+=(base_new base_replaced)
for ((i = 0; i < rounds; i++)); do
  once wc wc -l "$work/leads.csv"
  ((i < 3)) && once py python3 bench/python_dry_run.py "$work/leads.csv" $campaign $list "$work/py.csv"
  rm -f "$work/new.csv"; once new "$bin" "${dry_args[@]}" "$work/new.csv" "$work/leads.csv"
  once replaced "$bin" "${dry_args[@]}" "$work/new.csv" "$work/leads.csv"
  if [[ -n ${BASE_BIN:-} ]]; then
    rm -f "$work/base.csv"; once base_new "$BASE_BIN" "${dry_args[@]}" "$work/base.csv" "$work/leads.csv"
    once base_replaced "$BASE_BIN" "${dry_args[@]}" "$work/base.csv" "$work/leads.csv"
  fi
done

# name -> "median best rss_kib"
stats() { sort -n "$work/$1" | awk '{t[NR] = $1; m = $2} END {printf "%s %s %s\n", t[int((NR + 1) / 2)], t[1], m}'; }
echo "input: $rows rows, $(awk -v s="$size" 'BEGIN{printf "%.1f", s / 1e6}') MB; binary: $bin${BASE_BIN:+; baseline: $BASE_BIN}"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min); ${ONE_CPU:+dry runs on one CPU; }median and best of $rounds (Python: of $((rounds < 3 ? rounds : 3)))"
printf "%-40s %8s %8s %14s %10s\n" contender median best "rows/s (med)" "peak RSS"
row() {
  read -r med best rss < <(stats "$2")
  printf "%-40s %8.2f %8.2f %14.0f %6.1f MiB\n" "$1" "$med" "$best" "$(awk -v r="$rows" -v t="$med" 'BEGIN{print r / t}')" "$(awk -v m="$rss" 'BEGIN{print m / 1024}')"
  eval "med_$2=$med"
}
row "wc -l (I/O floor)" wc
row "python csv script" py
row "dry run, new report" new
row "dry run, replacing its report" replaced
if [[ -n ${BASE_BIN:-} ]]; then
  row "baseline dry run, new report" base_new
  row "baseline dry run, replacing its report" base_replaced
fi
awk -v py="$med_py" -v wc="$med_wc" -v n="$med_new" -v r="$med_replaced" -v bn="${med_base_new:-0}" -v br="${med_base_replaced:-0}" 'BEGIN {
  printf "dry run (new report) vs python: %.1fx faster; vs wc -l: %.1fx the time\n", py / n, n / wc
  if (bn > 0) printf "dry run vs baseline: %.2fx faster (new report), %.2fx (replacing)\n", bn / n, br / r
}'
# outcome counts of a report (CSV: a cell may hold a line break)
outcomes() {
  python3 -c 'import collections, csv, sys
c = collections.Counter(r[5] for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")) if r[0] != "row")
print(" ".join(f"{k} {c[k]}" for k in ("not_sent", "invalid", "duplicate")))' "$1"
}
echo "outcomes, python:  $(outcomes "$work/py.csv")"
echo "outcomes, dry run: $(outcomes "$work/new.csv")"
[[ $(outcomes "$work/py.csv") == "$(outcomes "$work/new.csv")" ]] || { echo "dry_run: the two disagree" >&2; exit 1; }
