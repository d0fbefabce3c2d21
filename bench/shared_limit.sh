#!/usr/bin/env bash
# One limit shared by several importers (issue 15): 1, 2, 4 and 8 importers
# at once into one prospect-sandbox limited to RATE/s (burst BURST), in three
# ways: sharing the limit through a private redis-server (--shared-limit, each
# --rate RATE), each at the full rate with no sharing (each --rate RATE), and
# a static split (each --rate RATE/N). For each: goodput, the rows added over
# the time from the first POST to the last as the sandbox's timeline saw them
# ((added - burst) / span: the sandbox's bucket starts full, so over a span T
# it accepts at most burst + RATE x T, and a perfect sender scores exactly
# 100 %; importers' start-up before their first POST is not counted, their
# last grant left unused when their rows run out is), the 429 share of all
# requests, and (sharing) the Redis round trips per request, from
# redis-server's INFO commandstats (the importers' EVALSHA and EVAL calls,
# from their connects to their exits).
#
#   bench/shared_limit.sh                              # 200/s burst 20, 1200 rows a run, N = 1 2 4 8
#   RATE=200 BURST=20 ROWS=1200 IMPORTERS="1 2 4 8" MODES="shared full split" CONNECTIONS=4 BUILD_DIR=build bench/shared_limit.sh
#   ROWS=12000 MODES=shared bench/shared_limit.sh      # a minute a run at the limit, as the contract measures
#
# Every run gets a fresh sandbox and an empty Redis. The rows are split
# evenly among the importers. Sharing, an importer whose rows are all sent
# leaves unused what it still holds of its last grant (up to a lease, 200 ms
# of the rate), and drops what fell due beyond its share of the burst while
# it could not send: in short runs of many importers that shows (more ROWS).
# Targets (sharing): goodput at least 95 % of
# RATE, at most 2 % 429s, under 0.2 Redis round trips a request.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

RATE=${RATE:-200}
BURST=${BURST:-20}
ROWS=${ROWS:-1200}
IMPORTERS=${IMPORTERS:-1 2 4 8}
MODES=${MODES:-shared full split}
CONNECTIONS=${CONNECTIONS:-4}
need_tools python3 curl redis-server redis-cli

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" \
  --logfile "$tmp/redis.log" --daemonize no &
bench_pids+=("$!")
for _ in $(seq 200); do redis-cli -p "$redis_port" PING >/dev/null 2>&1 && break; sleep 0.05; done
redis-cli -p "$redis_port" PING >/dev/null || { echo "$BENCH_NAME: redis-server did not start" >&2; cat "$tmp/redis.log" >&2; exit 1; }
redis_url=redis://127.0.0.1:$redis_port

# Round trips the importers made since the last CONFIG RESETSTAT: every
# command they send is an EVALSHA of the script (or an EVAL after NOSCRIPT);
# commandstats also counts the commands the script runs inside Redis (TIME,
# HGETALL, HSET, PEXPIRE), which are no round trips.
redis_round_trips() {
  redis-cli -p "$redis_port" INFO commandstats |
    awk -F'[:=,]' '$1 == "cmdstat_evalsha" || $1 == "cmdstat_eval" { n += $3 } END { print n + 0 }'
}

# Runs `n` importers at once, each on its share of the rows, with the
# options after `n`; sets added, requests, throttled, span_s, round_trips.
run_importers() {
  local n=$1 i pids=() status failed=0
  shift
  start_sandbox --rate "$RATE" --burst "$BURST"
  redis-cli -p "$redis_port" FLUSHALL >/dev/null
  redis-cli -p "$redis_port" CONFIG RESETSTAT >/dev/null
  for i in $(seq "$n"); do
    awk -v n="$n" -v i="$i" 'NR == 1 || (NR - 2) % n == i - 1' "$tmp/leads.csv" >"$tmp/leads-$i.csv"
    rm -f "$tmp/report-$i.csv" "$tmp/report-$i.csv.journal"
    EXTROVERT_API_KEY=sandbox-key "$IMPORT_BIN" --base-url "$sandbox_url" --ca-file "$tmp/sandbox-ca.pem" \
      --campaign "$CAMPAIGN" --list "$LIST" --connections "$CONNECTIONS" --report "$tmp/report-$i.csv" --quiet \
      "$@" "$tmp/leads-$i.csv" 2>"$tmp/import-$i.err" &
    pids+=("$!")
  done
  for i in $(seq "$n"); do
    status=0
    wait "${pids[i - 1]}" || status=$?
    if ((status > 1)); then
      echo "$BENCH_NAME: importer $i of $n exited $status" >&2
      cat "$tmp/import-$i.err" >&2
      failed=1
    fi
  done
  ((failed == 0)) || exit 1
  round_trips=$(redis_round_trips)
  added=$(cat "$tmp"/report-*.csv | awk -F, '$6 == "added"' | wc -l)
  rm -f "$tmp"/report-*.csv "$tmp"/report-*.csv.journal
  sandbox_get /_sandbox/stats >"$tmp/stats.json"
  sandbox_get /_sandbox/timeline >"$tmp/timeline.json"
  stop_sandbox
  read -r requests throttled span_s < <(python3 - "$tmp/stats.json" "$tmp/timeline.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
t = json.load(open(sys.argv[2]))
print(s["requests"], s["byStatus"].get("429", 0), t["spanUs"] / 1e6)
PY
  )
}

plain_leads "$ROWS" "$tmp/leads.csv"
table=$'| importers | each | rows/s | % of the limit | 429s | Redis round trips a request |\n|---|---|---|---|---|---|\n'
for n in $IMPORTERS; do
  split_rate=$(calc "$RATE / $n")
  split_burst=$(calc "max(1, $BURST // $n)")
  for mode in $MODES; do
    case $mode in
      shared) run_importers "$n" --rate "$RATE" --burst "$BURST" --shared-limit "$redis_url"; each="--rate $RATE, sharing" ;;
      full) run_importers "$n" --rate "$RATE" --burst "$BURST"; each="--rate $RATE, alone" ;;
      split) run_importers "$n" --rate "$split_rate" --burst "$split_burst"; each="--rate $split_rate" ;;
    esac
    [[ $added == "$ROWS" ]] || echo "$BENCH_NAME: $n importers ($mode): $added of $ROWS rows added" >&2
    goodput=$(calc "f'{($added - $BURST) / $span_s:.1f}'")
    share=$(calc "f'{($added - $BURST) / $span_s / $RATE * 100:.1f}'")
    throttled_pct=$(calc "f'{$throttled / $requests * 100:.2f}'")
    per_request=-
    [[ $mode == shared ]] && per_request=$(calc "f'{$round_trips / $requests:.3f}'")
    printf '== %s importer(s), %s: %s added, %s requests, %s 429s over %s s; %s Redis round trips\n' \
      "$n" "$mode" "$added" "$requests" "$throttled" "$span_s" "$round_trips" >&2
    table+="| $n | $each | $goodput | $share % | $throttled_pct % | $per_request |"$'\n'
  done
done

echo
machine_line
printf '%s rows a run, sandbox limit %s/s burst %s, --connections %s each\n\n' "$ROWS" "$RATE" "$BURST" "$CONNECTIONS"
printf '%s' "$table"
