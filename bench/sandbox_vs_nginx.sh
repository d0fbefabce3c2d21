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
BUILD_DIR=${BUILD_DIR:-build}
NGINX_WORKERS=${NGINX_WORKERS:-1}
SANDBOX_BIN=${SANDBOX_BIN:-$BUILD_DIR/sandbox/prospect-sandbox}
SCRIPT=bench/add_prospect.lua

for tool in wrk nginx openssl python3; do
  command -v "$tool" >/dev/null || { echo "sandbox_vs_nginx: $tool is not installed" >&2; exit 2; }
done
[[ -x $SANDBOX_BIN ]] || { echo "sandbox_vs_nginx: no $SANDBOX_BIN (build first, or set BUILD_DIR)" >&2; exit 2; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

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

# The sandbox: its own throwaway CA; wrk does not verify certificates, nor for nginx.
"$SANDBOX_BIN" --listen 127.0.0.1:0 >"$tmp/sandbox.out" 2>"$tmp/sandbox.err" &
pids+=($!)
for _ in $(seq 100); do grep -q '^listening on ' "$tmp/sandbox.out" && break; sleep 0.05; done
sandbox_url=$(sed -n 's/^listening on //p' "$tmp/sandbox.out")
[[ -n $sandbox_url ]] || { echo "sandbox_vs_nginx: prospect-sandbox did not start" >&2; cat "$tmp/sandbox.err" >&2; exit 1; }

# nginx: a private instance with TLS and a static 201.
nginx_port=$(free_port)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/nginx.key" -out "$tmp/nginx.crt" 2>/dev/null
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<CONF
worker_processes $NGINX_WORKERS;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $tmp/nginx.crt;
    ssl_certificate_key $tmp/nginx.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      default_type application/json;
      return 201 '{"status":"success","data":null,"message":"Operation completed successfully","statusCode":201}';
    }
  }
}
CONF
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 100); do
  curl -skf -o /dev/null -X POST "https://127.0.0.1:$nginx_port/" 2>/dev/null && break
  sleep 0.05
done

sandbox_all=()
nginx_all=()
for round in $(seq "$ROUNDS"); do
  echo "== round $round: prospect-sandbox ($sandbox_url): wrk -t$THREADS -c$CONNECTIONS -d$DURATION -s $SCRIPT" >&2
  read -r rps non2xx < <(run_wrk "$sandbox_url")
  sandbox_all+=("$rps")
  sandbox_non2xx=$non2xx
  echo "== round $round: nginx, $NGINX_WORKERS worker(s) (https://127.0.0.1:$nginx_port): same wrk" >&2
  read -r rps non2xx < <(run_wrk "https://127.0.0.1:$nginx_port")
  nginx_all+=("$rps")
  nginx_non2xx=$non2xx
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
sandbox_rps=$(median "${sandbox_all[@]}")
nginx_rps=$(median "${nginx_all[@]}")
ratio=$(python3 -c "print(f'{$sandbox_rps / $nginx_rps * 100:.0f}')")
echo
printf 'machine: %s, %s cores, load average %s\n' "$(uname -srm)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'wrk -t%s -c%s -d%s -s %s, %s rounds\n' "$THREADS" "$CONNECTIONS" "$DURATION" "$SCRIPT" "$ROUNDS"
printf 'prospect-sandbox  %10.0f requests/s median  (rounds: %s; non-2xx in the last: %s)\n' "$sandbox_rps" "${sandbox_all[*]}" "$sandbox_non2xx"
printf 'nginx return 201  %10.0f requests/s median  (rounds: %s; non-2xx in the last: %s)\n' "$nginx_rps" "${nginx_all[*]}" "$nginx_non2xx"
printf 'sandbox / nginx   %9s%%   (target: at least 50%%)\n' "$ratio"
