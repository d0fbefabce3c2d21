#!/usr/bin/env bash
# Times the dry run of a 1,000,000-row lead file against two baselines in the
# same run: `wc -l` (the I/O floor) and bench/python_dry_run.py (what a user
# would otherwise write). Prints rows/s, the ratios and peak RSS.
# Checks that the script and the dry run agree on the outcome counts.
# usage: bench/dry_run.sh [ROWS]   (expects a build in build/: scripts/build;
#        IMPORT_BIN=path/to/prospect-import or BUILD_DIR=dir to time another;
#        ONE_CPU=1 pins the dry run to one CPU)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
bin=${IMPORT_BIN:-${BUILD_DIR:-build}/src/prospect-import}
[[ -x $bin ]] || { echo "dry_run: no $bin (run scripts/build, or set BUILD_DIR or IMPORT_BIN)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
campaign=8d256aa6-9b12-49a7-93ee-bf41634b5b60
list=cf33282b-b171-4d23-ae02-848499d793e4

python3 bench/generate_leads.py "$rows" "$work/leads.csv"
cat "$work/leads.csv" >/dev/null  # warm the page cache for every contender
size=$(stat -c %s "$work/leads.csv")

# best of 3 wall-clock seconds and the peak RSS (KiB) of a command
measure() {
  local best="" rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r t m < <(tail -n 1 "$work/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    rss=$m
  done
  echo "$best $rss"
}

read -r t_wc rss_wc < <(measure wc -l "$work/leads.csv")
read -r t_py rss_py < <(measure python3 bench/python_dry_run.py "$work/leads.csv" $campaign $list "$work/py.csv")
read -r t_pi rss_pi < <(measure ${ONE_CPU:+taskset -c 0} "$bin" --dry-run --quiet --campaign $campaign --list $list \
  --report "$work/pi.csv" "$work/leads.csv")

awk -v bin="$bin" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v rows="$rows" -v size="$size" -v wc="$t_wc" -v py="$t_py" -v pi="$t_pi" \
    -v rwc="$rss_wc" -v rpy="$rss_py" -v rpi="$rss_pi" 'BEGIN {
  printf "input: %d rows, %.1f MB\n", rows, size / 1e6
  printf "binary: %s; load average %s (1, 5, 15 min)\n", bin, load
  printf "%-32s %8s %14s %10s\n", "contender", "seconds", "rows/s", "peak RSS"
  printf "%-32s %8.2f %14.0f %7.1f MiB\n", "wc -l (I/O floor)", wc, rows / wc, rwc / 1024
  printf "%-32s %8.2f %14.0f %7.1f MiB\n", "python csv script", py, rows / py, rpy / 1024
  printf "%-32s %8.2f %14.0f %7.1f MiB\n", "prospect-import --dry-run", pi, rows / pi, rpi / 1024
  printf "dry run vs python: %.1fx faster; dry run vs wc -l: %.1fx the time\n", py / pi, pi / wc
}'
# outcome counts of a report (CSV: a cell may hold a line break)
outcomes() {
  python3 -c 'import collections, csv, sys
c = collections.Counter(r[5] for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")) if r[0] != "row")
print(" ".join(f"{k} {c[k]}" for k in ("not_sent", "invalid", "duplicate")))' "$1"
}
echo "outcomes, python:  $(outcomes "$work/py.csv")"
echo "outcomes, dry run: $(outcomes "$work/pi.csv")"
[[ $(outcomes "$work/py.csv") == "$(outcomes "$work/pi.csv")" ]] || { echo "dry_run: the two disagree" >&2; exit 1; }
