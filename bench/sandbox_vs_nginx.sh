#!/usr/bin/env bash
# prospect-sandbox against a private nginx answering `return 201` over TLS,
# in the same run, with the same wrk connections, threads, duration and
# request script. Builds nothing: expects prospect-sandbox in $BUILD_DIR.
#
#   bench/sandbox_vs_nginx.sh                 # wrk -t2 -c50 -d10s, 3 rounds
#   THREADS=2 CONNECTIONS=100 DURATION=20s ROUNDS=5 BUILD_DIR=build bench/sandbox_vs_nginx.sh
#
# The two servers take turns (sandbox, nginx, sandbox, ...) so that a
# machine busy with something else slows both alike; the medians are compared.
#
# nginx runs as a private instance (its own prefix, pid, logs and temp paths
# under a temp dir, worker_processes 1 like the sandbox's one thread); the
# system nginx is never touched. Both use an EC P-256 certificate.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
SCRIPT=bench/add_prospect.lua
source bench/lib.sh

for tool in wrk nginx openssl python3 curl; do
  command -v "$tool" >/dev/null || { echo "$BENCH_NAME: $tool is not installed" >&2; exit 2; }
done
need_binaries "$SANDBOX_BIN"

# Requests/sec and the non-2xx count of one wrk run against $1.
run_wrk() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$SCRIPT" "$1")
  echo "$out" >&2
  local rps non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  echo "$rps ${non2xx:-0}"
}

# One sandbox for all rounds (its store grows as in a long import); wrk
# does not verify certificates, for the sandbox nor for nginx.
start_sandbox
start_nginx

sandbox_all=()
nginx_all=()
for round in $(seq "$ROUNDS"); do
  echo "== round $round: prospect-sandbox ($sandbox_url): wrk -t$THREADS -c$CONNECTIONS -d$DURATION -s $SCRIPT" >&2
  read -r rps non2xx < <(run_wrk "$sandbox_url")
  sandbox_all+=("$rps")
  sandbox_non2xx=$non2xx
  echo "== round $round: nginx, ${NGINX_WORKERS:-1} worker(s) ($nginx_url): same wrk" >&2
  read -r rps non2xx < <(run_wrk "$nginx_url")
  nginx_all+=("$rps")
  nginx_non2xx=$non2xx
done

sandbox_rps=$(median "${sandbox_all[@]}")
nginx_rps=$(median "${nginx_all[@]}")
ratio=$(python3 -c "print(f'{$sandbox_rps / $nginx_rps * 100:.0f}')")
echo
printf 'machine: %s, %s cores, load average %s\n' "$(uname -srm)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'wrk -t%s -c%s -d%s -s %s, %s rounds\n' "$THREADS" "$CONNECTIONS" "$DURATION" "$SCRIPT" "$ROUNDS"
printf 'prospect-sandbox  %10.0f requests/s median  (rounds: %s; non-2xx in the last: %s)\n' "$sandbox_rps" "${sandbox_all[*]}" "$sandbox_non2xx"
printf 'nginx return 201  %10.0f requests/s median  (rounds: %s; non-2xx in the last: %s)\n' "$nginx_rps" "${nginx_all[*]}" "$nginx_non2xx"
printf 'sandbox / nginx   %9s%%   (target: at least 50%%)\n' "$ratio"
