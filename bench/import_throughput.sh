#!/usr/bin/env bash
# Import throughput (issue 4, benchmark a): prospect-import with a --rate
# that does not limit, into prospect-sandbox and into nginx's static 201,
# each against wrk's requests/s on the same server with the same number of
# connections (the ceiling: a client that does nothing but send the same
# request). Also CPU per row: the importer's, wrk's, and each server's.
#
#   bench/import_throughput.sh                       # 100k rows, 4 and 16 connections, 3 rounds
#   ROWS=200000 CONNECTIONS="4" ROUNDS=5 WRK_DURATION=10s BUILD_DIR=build bench/import_throughput.sh
#   PIN=1 SERVERS=nginx bench/import_throughput.sh   # clients on CPU 0, the server on CPU 1
#   IMPORT_BIN=old/prospect-import ...               # another importer against the same wrk
#
# The measurements take turns within each round (importer and wrk, sandbox
# and nginx) so that a machine busy with something else slows all alike;
# medians of the rounds are compared. Every measurement gets a fresh sandbox
# (its store empty). Target (issue 16): the importer at least 0.8x wrk with
# both clients pinned to one CPU, where rows/s is the inverse of the client's
# CPU a row: the "CPU ratio" column (wrk's CPU a request over the importer's
# CPU a row) is that figure on a machine too busy to pin.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

ROWS=${ROWS:-100000}
CONNECTIONS=${CONNECTIONS:-4 16}
ROUNDS=${ROUNDS:-3}
WRK_DURATION=${WRK_DURATION:-10s}
WRK_THREADS=${WRK_THREADS:-1}
RATE=${RATE:-1000000}
SERVERS=${SERVERS:-sandbox nginx}
PIN=${PIN:-}
client=()
[[ -n $PIN ]] && client=(taskset -c 0)
import_prefix=("${client[@]}")
need_tools wrk nginx openssl python3 curl

realistic_leads "$ROWS" "$tmp/leads.csv"
start_nginx
[[ -n $PIN ]] && pin_server_to 1 "$nginx_pid"

declare -A results  # "<what> <server> <connections>" -> space-separated values, one per round

# Appends to results: rows/s, importer CPU us/row, server CPU us/row.
measure_import() {
  local server=$1 c=$2 url ca before after
  if [[ $server == sandbox ]]; then
    start_sandbox
    [[ -n $PIN ]] && pin_server_to 1 "$sandbox_pid"
    url=$sandbox_url ca=$tmp/sandbox-ca.pem
    before=$(cpu_seconds "$sandbox_pid")
  else
    url=$nginx_url ca=$tmp/nginx-ca.pem
    before=$(nginx_cpu_seconds)
  fi
  run_import "$url" "$ca" "$tmp/leads.csv" --rate "$RATE" --burst 100 --connections "$c"
  if [[ $server == sandbox ]]; then after=$(cpu_seconds "$sandbox_pid"); stop_sandbox; else after=$(nginx_cpu_seconds); fi
  local rps client_us server_us
  rps=$(calc "round($import_added / $import_elapsed)")
  client_us=$(calc "round(($import_user + $import_sys) / $import_added * 1e6, 1)")
  server_us=$(calc "round(($after - $before) / $import_added * 1e6, 1)")
  printf '  import  %-7s -c%-3s %7s rows/s  (%s rows sent in %s s; CPU per row: importer %s us, server %s us; RSS %s KiB)\n' \
    "$server" "$c" "$rps" "$import_added" "$import_elapsed" "$client_us" "$server_us" "$import_rss_kb" >&2
  results["import $server $c"]+="$rps "
  results["import_cpu $server $c"]+="$client_us "
  results["import_server_cpu $server $c"]+="$server_us "
}

measure_wrk() {
  local server=$1 c=$2 url before after out
  if [[ $server == sandbox ]]; then
    start_sandbox
    [[ -n $PIN ]] && pin_server_to 1 "$sandbox_pid"
    url=$sandbox_url
    before=$(cpu_seconds "$sandbox_pid")
  else
    url=$nginx_url
    before=$(nginx_cpu_seconds)
  fi
  out=$(/usr/bin/time -o "$tmp/wrk.time" -f "%U %S" "${client[@]}" wrk -t"$WRK_THREADS" -c"$c" -d"$WRK_DURATION" -s bench/add_prospect.lua "$url")
  if [[ $server == sandbox ]]; then after=$(cpu_seconds "$sandbox_pid"); stop_sandbox; else after=$(nginx_cpu_seconds); fi
  local rps requests non2xx user sys client_us server_us
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  requests=$(awk '/ requests in / {print $1}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  if [[ -n $non2xx ]]; then echo "$BENCH_NAME: wrk got $non2xx non-2xx responses from $server" >&2; exit 1; fi
  read -r user sys < <(tail -n 1 "$tmp/wrk.time")
  client_us=$(calc "round(($user + $sys) / $requests * 1e6, 1)")
  server_us=$(calc "round(($after - $before) / $requests * 1e6, 1)")
  printf '  wrk     %-7s -c%-3s %7s req/s   (%s requests; CPU per request: wrk %s us, server %s us)\n' \
    "$server" "$c" "$rps" "$requests" "$client_us" "$server_us" >&2
  results["wrk $server $c"]+="$rps "
  results["wrk_cpu $server $c"]+="$client_us "
  results["wrk_server_cpu $server $c"]+="$server_us "
}

loads=()
for round in $(seq "$ROUNDS"); do
  echo "== round $round of $ROUNDS (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  for c in $CONNECTIONS; do
    for server in $SERVERS; do
      measure_import "$server" "$c"
      measure_wrk "$server" "$c"
    done
  done
done

m() { median ${results["$1"]}; }
echo
machine_line
printf 'load average at the start of each round: %s\n' "${loads[*]}"
printf '%s rows (bench/generate_leads.py: %s sent, the rest invalid or duplicate), --rate %s --burst 100; wrk -t%s -d%s -s bench/add_prospect.lua; %s rounds, medians\n\n' \
  "$ROWS" "$import_added" "$RATE" "$WRK_THREADS" "$WRK_DURATION" "$ROUNDS"
printf '| server | connections | import rows/s | wrk req/s | import / wrk | importer CPU us/row | wrk CPU us/req | CPU ratio | server CPU us/row (import) | server CPU us/req (wrk) |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for c in $CONNECTIONS; do
  for server in $SERVERS; do
    imp=$(m "import $server $c")
    ceil=$(m "wrk $server $c")
    icpu=$(m "import_cpu $server $c")
    wcpu=$(m "wrk_cpu $server $c")
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$server" "$c" "$imp" "$ceil" "$(calc "f'{$imp / $ceil:.2f}'")" \
      "$icpu" "$wcpu" "$(calc "f'{$wcpu / $icpu:.2f}'")" "$(m "import_server_cpu $server $c")" "$(m "wrk_server_cpu $server $c")"
  done
done
echo
echo 'rounds (import rows/s; wrk req/s):'
for c in $CONNECTIONS; do
  for server in $SERVERS; do
    printf '  %-7s -c%-3s import %s; wrk %s\n' "$server" "$c" "${results["import $server $c"]}" "${results["wrk $server $c"]}"
  done
done
echo "target: import / wrk at least 0.80${PIN:+ (pinned)}; unpinned, read the CPU ratio"
