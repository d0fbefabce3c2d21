#!/usr/bin/env bash
# Goodput under a server's rate limit (issue 12): rows added a second by
# prospect-import with --rate from under to 10x over a limit of 200/s (burst
# 20), against prospect-sandbox's --rate and a private nginx limit_req, each
# with 429 and Retry-After: 1; then stray 429s (sandbox --throttle-rate 0.01,
# no limit, --rate 400) and a limit changed mid-run (200 -> 100 -> 300/s
# through /_sandbox/limit every CHANGE_EVERY s), drawn with gnuplot.
#
#   bench/import_goodput.sh                                  # the new importer only
#   BASELINE_BIN=/work/build-baseline/src/prospect-import bench/import_goodput.sh   # old beside new
#   ROWS=3000 RATES="100 200 400" STRAY_ROWS=2000 CHANGE_EVERY=20 SVG=docs/rate_control_changing_limit.svg bench/import_goodput.sh
#
# The builds take turns on each case so that a machine busy with something
# else slows both alike. Every sandbox measurement gets a fresh sandbox; the
# one nginx keeps its bucket, which refills while the next run starts.
# Added/s is rows added over the time from the first request to the last,
# on the server's clock (the importer's start-up left out). Targets: at
# least 95% of min(--rate, limit) in each row of the table, at most 2% of
# requests answered 429 above the limit, 90% of --rate under stray 429s.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

ROWS=${ROWS:-3000}
RATES=${RATES-100 190 200 250 400 800 2000}
LIMIT=${LIMIT:-200}
LIMIT_BURST=${LIMIT_BURST:-20}
CONNECTIONS=${CONNECTIONS:-8}
BURST=${BURST:-8}
STRAY_ROWS=${STRAY_ROWS:-2000}
STRAY_RATE=${STRAY_RATE:-400}
STRAY_SHARE=${STRAY_SHARE:-0.01}
CHANGE_EVERY=${CHANGE_EVERY:-20}
CHANGE_LIMITS=${CHANGE_LIMITS:-200 100 300}
CHANGE_RATE=${CHANGE_RATE:-400}
SVG=${SVG:-}
CASES=${CASES:-table stray changing}
NEW_BIN=$IMPORT_BIN
BASELINE_BIN=${BASELINE_BIN:-}
need_tools nginx openssl python3 curl
[[ -z $SVG ]] || need_tools gnuplot
builds=(new)
if [[ -n $BASELINE_BIN ]]; then
  need_binaries "$BASELINE_BIN"
  builds=(old new)
fi
bin_of() { if [[ $1 == old ]]; then echo "$BASELINE_BIN"; else echo "$NEW_BIN"; fi; }

# nginx from lib.sh, reconfigured: limit_req in front of a backend server on
# a loopback port that answers the 201 (a `return` in the limited location
# would answer before limit_req runs); over the limit, 429 with the API's
# envelope and Retry-After: 1; each status logged for counting.
start_limited_nginx() {
  start_nginx
  local dir=$tmp/nginx
  python3 - "$dir/nginx.conf" "$dir" "$LIMIT" "$LIMIT_BURST" "$(free_port)" <<'PY'
import sys
path, d, rate, burst, port = sys.argv[1:]
conf = open(path).read()
created = '{"status":"success","data":null,"message":"Operation completed successfully","statusCode":201}'
start = conf.index("    location / {")
end = conf.index("    }\n", start) + len("    }\n")
conf = conf[:start] + f"""    location / {{
      limit_req zone=api burst={burst} nodelay;
      limit_req_status 429;
      error_page 429 = @throttled;
      add_header X-Bench-Limit {rate} always;
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
    location @throttled {{
      default_type application/json;
      add_header Retry-After 1 always;
      return 429 '{{"status":"error","data":null,"message":"rate limit exceeded","statusCode":429}}';
    }}
""" + conf[end:]
conf = conf.replace("  access_log off;\n", f"""  log_format status_only "$msec $status";
  access_log {d}/access.log status_only;
  limit_req_zone $binary_remote_addr zone=api:1m rate={rate}r/s;
  upstream backend {{
    server 127.0.0.1:{port};
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    access_log off;
    location / {{
      default_type application/json;
      return 201 '{created}';
    }}
  }}
""")
open(path, "w").write(conf)
PY
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -s reload
  local _
  for _ in $(seq 200); do
    curl -s -i --cacert "$tmp/nginx-ca.pem" -X POST "$nginx_url/" 2>/dev/null | grep -qi '^x-bench-limit:' && return
    sleep 0.05
  done
  echo "$BENCH_NAME: nginx did not take the limited configuration" >&2
  cat "$dir/error.log" >&2
  exit 1
}

# Counts of a status since the last reset_nginx_log.
nginx_count() { awk -v s="$1" '$2 == s' "$tmp/nginx/access.log" | wc -l; }
# Seconds from the first request logged to the last.
nginx_span() { awk 'NR == 1 {first = $1} {last = $1} END {print last - first}' "$tmp/nginx/access.log"; }
reset_nginx_log() { : >"$tmp/nginx/access.log"; }

declare -A added_per_s throttled requests
# measure <server> <build> <rate>: one import of $ROWS rows under the limit.
measure() {
  local server=$1 build=$2 rate=$3 url ca
  if [[ $server == sandbox ]]; then
    start_sandbox --rate "$LIMIT" --burst "$LIMIT_BURST"
    url=$sandbox_url ca=$tmp/sandbox-ca.pem
  else
    sleep 1  # the bucket refills after the previous run
    reset_nginx_log
    url=$nginx_url ca=$tmp/nginx-ca.pem
  fi
  IMPORT_BIN=$(bin_of "$build") run_import "$url" "$ca" "$tmp/leads.csv" \
    --rate "$rate" --burst "$BURST" --connections "$CONNECTIONS"
  local ok n429 span
  if [[ $server == sandbox ]]; then
    read -r ok n429 < <(sandbox_get /_sandbox/stats | python3 -c \
      'import json, sys; s = json.load(sys.stdin)["byStatus"]; print(s.get("201", 0), s.get("429", 0))')
    span=$(sandbox_get /_sandbox/timeline | python3 -c 'import json, sys; print(json.load(sys.stdin)["spanUs"] / 1e6)')
    stop_sandbox
  else
    ok=$(nginx_count 201) n429=$(nginx_count 429) span=$(nginx_span)
  fi
  local key="$server $build $rate"
  added_per_s[$key]=$(calc "round($import_added / $span, 1)")
  throttled[$key]=$n429
  requests[$key]=$((ok + n429))
  printf '  %-7s %-3s --rate %-5s %7s added/s  (%s added, %s s from the first request to the last, %s s in all; %s answered 201, %s answered 429)\n' \
    "$server" "$build" "$rate" "${added_per_s[$key]}" "$import_added" "$span" "$import_elapsed" "$ok" "$n429" >&2
}

# The stray-429 case: no limit, STRAY_SHARE of requests throttled at random
# (0 for the machine's own ceiling at --rate STRAY_RATE, to read the case against).
measure_stray() {
  local build=$1
  start_sandbox --throttle-rate "$STRAY_SHARE" --seed 12
  IMPORT_BIN=$(bin_of "$build") run_import "$sandbox_url" "$tmp/sandbox-ca.pem" "$tmp/stray.csv" \
    --rate "$STRAY_RATE" --burst "$BURST" --connections "$CONNECTIONS"
  local ok n429 span
  read -r ok n429 < <(sandbox_get /_sandbox/stats | python3 -c \
    'import json, sys; s = json.load(sys.stdin)["byStatus"]; print(s.get("201", 0), s.get("429", 0))')
  span=$(sandbox_get /_sandbox/timeline | python3 -c 'import json, sys; print(json.load(sys.stdin)["spanUs"] / 1e6)')
  stop_sandbox
  added_per_s["stray $build"]=$(calc "round($import_added / $span, 1)")
  throttled["stray $build"]=$n429
  requests["stray $build"]=$((ok + n429))
  printf '  stray   %-3s --rate %-5s %7s added/s  (%s added in %s s; %s answered 429)\n' \
    "$build" "$STRAY_RATE" "${added_per_s["stray $build"]}" "$import_added" "$import_elapsed" "$n429" >&2
}

# The changing-limit case: the limit steps through CHANGE_LIMITS every
# CHANGE_EVERY s of the import (the last one holds until the rows run out).
# The sandbox's timeline counts the requests arriving each second since the
# first (every status; 429s are about 1%), on its own clock; the time of each
# change is read from it too. $tmp/changing-<build>.dat: "second limit requests".
measure_changing() {
  local build=$1 limits=($CHANGE_LIMITS) out=$tmp/changing-$1.dat
  start_sandbox --rate "${limits[0]}" --burst "$LIMIT_BURST"
  local report=$tmp/changing-report.csv
  rm -f "$report" "$report.journal"
  EXTROVERT_API_KEY=sandbox-key "$(bin_of "$build")" --base-url "$sandbox_url" --ca-file "$tmp/sandbox-ca.pem" \
    --campaign "$CAMPAIGN" --list "$LIST" --report "$report" --quiet \
    --rate "$CHANGE_RATE" --burst "$BURST" --connections "$CONNECTIONS" "$tmp/changing.csv" 2>"$tmp/import.err" &
  local pid=$! phase changes=()
  bench_pids+=("$pid")
  for ((phase = 1; phase < ${#limits[@]}; ++phase)); do
    sleep "$CHANGE_EVERY"
    curl -sf --cacert "$tmp/sandbox-ca.pem" -d "{\"rate\":${limits[$phase]},\"burst\":$LIMIT_BURST}" \
      "$sandbox_url/_sandbox/limit" >/dev/null
    changes+=("$(sandbox_get /_sandbox/timeline | python3 -c 'import json, sys; print(json.load(sys.stdin)["spanUs"] / 1e6)')")
  done
  local status=0
  wait "$pid" || status=$?
  if ((status > 1)); then
    echo "$BENCH_NAME: prospect-import exited $status" >&2
    cat "$tmp/import.err" >&2
    exit 1
  fi
  sandbox_get /_sandbox/timeline >"$tmp/timeline.json"
  stop_sandbox
  rm -f "$report" "$report.journal"
  # Requests a second in each phase from 5 s after its change (the
  # contract's time to settle) to its end; the last partial second left out.
  changing[$build]=$(python3 - "$tmp/timeline.json" "$out" "$CHANGE_LIMITS" "${changes[*]}" <<'PY'
import json, sys
per_second = json.load(open(sys.argv[1]))["perSecond"]
limits = [float(x) for x in sys.argv[3].split()]
starts = [0.0] + [float(x) for x in sys.argv[4].split()]
def limit_at(t):
    return limits[max(i for i, s in enumerate(starts) if s <= t)]
with open(sys.argv[2], "w") as f:
    for i, n in enumerate(per_second):
        f.write(f"{i + 1} {limit_at(i + 0.5):.0f} {n}\n")
out = []
for i, (limit, begin) in enumerate(zip(limits, starts)):
    end = starts[i + 1] if i + 1 < len(starts) else len(per_second) - 1
    sample = [n for s, n in enumerate(per_second) if s >= begin + 5 and s + 1 <= end]
    mean = sum(sample) / len(sample) if sample else float("nan")
    out.append(f"{limit:.0f}/s: {mean:.1f} ({mean / limit * 100:.0f}%)")
print("; ".join(out))
PY
  )
  printf '  changing %-3s %s\n' "$build" "${changing[$build]}" >&2
}

plain_leads "$ROWS" "$tmp/leads.csv"
plain_leads "$STRAY_ROWS" "$tmp/stray.csv"
change_limits=($CHANGE_LIMITS)
change_rows=0
for l in "${change_limits[@]}"; do change_rows=$((change_rows + l * CHANGE_EVERY)); done
plain_leads "$change_rows" "$tmp/changing.csv"
start_limited_nginx
declare -A changing
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

for rate in $RATES; do
  for server in sandbox nginx; do
    for build in "${builds[@]}"; do measure "$server" "$build" "$rate"; done
  done
done
if [[ " $CASES " == *" stray "* ]]; then
  for build in "${builds[@]}"; do measure_stray "$build"; done
fi
if [[ " $CASES " == *" changing "* ]]; then
  for build in "${builds[@]}"; do measure_changing "$build"; done
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

if [[ -n $SVG && " $CASES " == *" changing "* ]]; then
  args="new='$tmp/changing-new.dat'; out='$SVG'; every=$CHANGE_EVERY"
  [[ -z $BASELINE_BIN ]] || args+="; old='$tmp/changing-old.dat'"
  gnuplot -e "$args" bench/rate_control_changing_limit.gp
  echo "$BENCH_NAME: wrote $SVG" >&2
fi

echo
machine_line
printf 'load average at the start: %s; at the end: %s\n' "$load_start" "$load_end"
printf 'limit %s/s burst %s (sandbox --rate/--burst; nginx limit_req nodelay, 429 with Retry-After: 1); %s rows a run; --connections %s --burst %s\n' \
  "$LIMIT" "$LIMIT_BURST" "$ROWS" "$CONNECTIONS" "$BURST"
[[ -z $BASELINE_BIN ]] || printf 'old: %s; new: %s\n' "$BASELINE_BIN" "$NEW_BIN"
echo
# share: added/s over what may be had, min(--rate, limit); 429s: count (share of requests).
cell() {
  local key=$1 rate=$2 allowed
  allowed=$(calc "min($rate, $LIMIT)")
  printf '%s | %s%% | %s (%s%%)' "${added_per_s[$key]}" "$(calc "round(${added_per_s[$key]} / $allowed * 100)")" \
    "${throttled[$key]}" "$(calc "round(${throttled[$key]} / max(1, ${requests[$key]}) * 100, 2)")"
}
header='| server | `--rate` |' rule='|---|---|'
for build in "${builds[@]}"; do header+=" $build added/s | share | 429s |"; rule+='---|---|---|'; done
echo "$header"
echo "$rule"
for server in sandbox nginx; do
  for rate in $RATES; do
    line="| $server | $rate |"
    for build in "${builds[@]}"; do line+=" $(cell "$server $build $rate" "$rate") |"; done
    echo "$line"
  done
done
echo
[[ " $CASES " == *" stray "* ]] && {
printf 'stray 429s (sandbox --throttle-rate %s, no limit, --rate %s, %s rows): ' "$STRAY_SHARE" "$STRAY_RATE" "$STRAY_ROWS"
for build in "${builds[@]}"; do
  printf '%s %s added/s (%s%% of --rate, %s 429s); ' "$build" "${added_per_s["stray $build"]}" \
    "$(calc "round(${added_per_s["stray $build"]} / $STRAY_RATE * 100)")" "${throttled["stray $build"]}"
done
echo
}
[[ " $CASES " == *" changing "* ]] && {
printf 'changing limit (%s every %s s, --rate %s, %s rows), requests a second from 5 s after each change:\n' \
  "$CHANGE_LIMITS" "$CHANGE_EVERY" "$CHANGE_RATE" "$change_rows"
for build in "${builds[@]}"; do printf '  %s: %s\n' "$build" "${changing[$build]}"; done
}
echo 'targets: 95% of min(--rate, limit) in every row; at most 2% of requests 429 above the limit; 90% of --rate under stray 429s'
