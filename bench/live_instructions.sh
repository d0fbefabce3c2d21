#!/usr/bin/env bash
# What a live import costs the client a row, against wrk a request, on the
# same nginx (issue 16, item 3), in the two measures that repeat on a busy
# machine: user-space instructions (callgrind; two runs of different sizes,
# the difference divided by the difference in requests, so start-up and the
# CA store cancel) and system calls (strace -c). Wall time and pinned CPU
# are bench/import_throughput.sh's.
#
#   bench/live_instructions.sh                        # 4 connections, 5,000 and 10,000 rows
#   CONNECTIONS=16 BASE_BIN=old/prospect-import bench/live_instructions.sh   # and another importer beside
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SMALL=${SMALL:-5000}
LARGE=${LARGE:-10000}
CONNECTIONS=${CONNECTIONS:-4}
need_tools valgrind strace wrk nginx openssl python3 curl
need_binaries "$IMPORT_BIN"
[[ -z ${BASE_BIN:-} ]] || need_binaries "$BASE_BIN"

start_nginx
realistic_leads "$SMALL" "$tmp/small.csv"
realistic_leads "$LARGE" "$tmp/large.csv"

# Runs one importer on a file under `tool...`; sets sent (rows added).
import_under() {
  local bin=$1 csv=$2
  shift 2
  rm -f "$tmp/r.csv" "$tmp/r.csv.journal"
  EXTROVERT_API_KEY=sandbox-key "$@" "$bin" --base-url "$nginx_url" --ca-file "$tmp/nginx-ca.pem" \
    --campaign "$CAMPAIGN" --list "$LIST" --report "$tmp/r.csv" --quiet --rate 1000000 --burst 100 \
    --connections "$CONNECTIONS" "$csv" 2>"$tmp/import.err" || true
  sent=$(awk -F, 'NR > 1 && $6 == "added"' "$tmp/r.csv" | wc -l)
  ((sent > 0)) || { echo "$BENCH_NAME: the importer sent nothing" >&2; cat "$tmp/import.err" >&2; exit 1; }
}

total_of() { awk '/^summary:/ {print $2}' "$1"; }

# "name count/row ..." for the calls made at least 0.05 times a request.
syscalls_per() {
  awk -v n="$2" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $4 / n >= 0.05 {printf "%s %.2f, ", $NF, $4 / n}' "$1" | sed 's/, $//'
}

importer() {
  local label=$1 bin=$2 small large small_sent
  import_under "$bin" "$tmp/small.csv" valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.small"
  small_sent=$sent small=$(total_of "$tmp/cg.small")
  import_under "$bin" "$tmp/large.csv" valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.large"
  large=$(total_of "$tmp/cg.large")
  printf '%-28s %8s instructions a row   ' "$label" "$(calc "round(($large - $small) / ($sent - $small_sent))")"
  import_under "$bin" "$tmp/large.csv" strace -c -f -o "$tmp/strace.import"
  printf 'system calls a row: %s\n' "$(syscalls_per "$tmp/strace.import" "$sent")"
}

wrk_requests() { awk '/ requests in / {print $1}' "$1"; }

wrk_line() {
  local small large n_small n_large
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.wrk1" wrk -t1 -c"$CONNECTIONS" -d5s -s bench/add_prospect.lua "$nginx_url" >"$tmp/wrk1.out" 2>/dev/null
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.wrk2" wrk -t1 -c"$CONNECTIONS" -d10s -s bench/add_prospect.lua "$nginx_url" >"$tmp/wrk2.out" 2>/dev/null
  small=$(total_of "$tmp/cg.wrk1") large=$(total_of "$tmp/cg.wrk2")
  n_small=$(wrk_requests "$tmp/wrk1.out") n_large=$(wrk_requests "$tmp/wrk2.out")
  printf '%-28s %8s instructions a request   ' "wrk -t1 -c$CONNECTIONS" "$(calc "round(($large - $small) / ($n_large - $n_small))")"
  strace -c -f -o "$tmp/strace.wrk" wrk -t1 -c"$CONNECTIONS" -d3s -s bench/add_prospect.lua "$nginx_url" >"$tmp/wrk3.out" 2>/dev/null
  printf 'system calls a request: %s\n' "$(syscalls_per "$tmp/strace.wrk" "$(wrk_requests "$tmp/wrk3.out")")"
}

machine_line
printf 'into the private nginx, %s connections; callgrind %s vs %s rows (wrk: 5 s vs 10 s), strace -c on the larger run\n' \
  "$CONNECTIONS" "$SMALL" "$LARGE"
importer "prospect-import" "$IMPORT_BIN"
[[ -z ${BASE_BIN:-} ]] || importer "prospect-import (BASE_BIN)" "$BASE_BIN"
wrk_line
