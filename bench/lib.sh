# shellcheck shell=bash
# Shared by the benchmarks (sourced, not run): the binaries, a temp dir
# removed on exit with every process started here, a fresh prospect-sandbox
# per measurement, a private TLS nginx answering the API's 201, lead files,
# CPU and RSS measurement, medians. Everything stays on 127.0.0.1.

BUILD_DIR=${BUILD_DIR:-build}
IMPORT_BIN=${IMPORT_BIN:-$BUILD_DIR/src/prospect-import}
SANDBOX_BIN=${SANDBOX_BIN:-$BUILD_DIR/sandbox/prospect-sandbox}
CAMPAIGN=8d256aa6-9b12-49a7-93ee-bf41634b5b60
LIST=cf33282b-b171-4d23-ae02-848499d793e4
BENCH_NAME=$(basename "$0" .sh)

need_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$BENCH_NAME: $tool is not installed" >&2; exit 2; }
  done
  [[ -x /usr/bin/time ]] || { echo "$BENCH_NAME: /usr/bin/time is not installed (Debian package time)" >&2; exit 2; }
  need_binaries "$IMPORT_BIN" "$SANDBOX_BIN"
}

need_binaries() {
  local bin
  for bin in "$@"; do
    [[ -x $bin ]] || { echo "$BENCH_NAME: no $bin (run scripts/build, or set BUILD_DIR)" >&2; exit 2; }
  done
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/prospect-bench.XXXXXX")
bench_pids=()
bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# CPU seconds (user + system) a process and its reaped children used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15 + $16 + $17) / hz}' "/proc/$1/stat"
}

# Starts a fresh prospect-sandbox (extra options in "$@"); sets sandbox_pid
# and sandbox_url; its CA goes to $tmp/sandbox-ca.pem.
start_sandbox() {
  stop_sandbox
  : >"$tmp/sandbox.out"
  "$SANDBOX_BIN" --listen 127.0.0.1:0 --ca-out "$tmp/sandbox-ca.pem" "$@" >"$tmp/sandbox.out" 2>"$tmp/sandbox.err" &
  sandbox_pid=$!
  bench_pids+=("$sandbox_pid")
  local _
  for _ in $(seq 200); do grep -q '^listening on ' "$tmp/sandbox.out" && break; sleep 0.05; done
  sandbox_url=$(sed -n 's/^listening on //p' "$tmp/sandbox.out")
  [[ -n $sandbox_url ]] || { echo "$BENCH_NAME: prospect-sandbox did not start" >&2; cat "$tmp/sandbox.err" >&2; exit 1; }
}

stop_sandbox() {
  if [[ -n ${sandbox_pid:-} ]]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
    sandbox_pid=
  fi
}

sandbox_get() {
  curl -sf --cacert "$tmp/sandbox-ca.pem" "$sandbox_url$1"
}

# A private nginx (own prefix, pid, logs, temp paths; the system nginx is
# never touched) answering every request with the API's 201 envelope over
# TLS, with a certificate for 127.0.0.1 signed by a CA made here, so that
# the importer verifies it as it would the real API ($tmp/nginx-ca.pem).
# One worker, like the sandbox's one thread. Sets nginx_url and nginx_pid.
start_nginx() {
  local dir=$tmp/nginx port
  mkdir -p "$dir"
  port=$(free_port)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=bench CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
    -keyout "$dir/ca.key" -out "$tmp/nginx-ca.pem" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$tmp/nginx-ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 1 -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
  cat >"$dir/nginx.conf" <<CONF
worker_processes ${NGINX_WORKERS:-1};
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $dir/server.crt;
    ssl_certificate_key $dir/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      default_type application/json;
      return 201 '{"status":"success","data":null,"message":"Operation completed successfully","statusCode":201}';
    }
  }
}
CONF
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' &
  nginx_pid=$!
  bench_pids+=("$nginx_pid")
  nginx_url=https://127.0.0.1:$port
  local _
  for _ in $(seq 200); do
    curl -sf --cacert "$tmp/nginx-ca.pem" -o /dev/null -X POST "$nginx_url/" 2>/dev/null && return
    sleep 0.05
  done
  echo "$BENCH_NAME: nginx did not start" >&2
  cat "$dir/error.log" >&2
  exit 1
}

# Pins a server process, its threads and its children to one CPU.
pin_server_to() {
  local cpu=$1 pid
  for pid in "$2" $(cat "/proc/$2/task/$2/children" 2>/dev/null); do taskset -a -p -c "$cpu" "$pid" >/dev/null; done
}

# CPU seconds of the nginx master and its workers.
nginx_cpu_seconds() {
  local total=0 pid
  for pid in "$nginx_pid" $(cat "/proc/$nginx_pid/task/$nginx_pid/children" 2>/dev/null); do
    total=$(python3 -c "print($total + $(cpu_seconds "$pid"))")
  done
  echo "$total"
}

# A lead file of `rows` rows as bench/generate_leads.py writes them (an
# Apollo-like export: ~2 % invalid URLs, ~1 % duplicates, quoted cells).
realistic_leads() {
  python3 bench/generate_leads.py "$1" "$2"
}

# A lead file of `rows` distinct valid URLs and nothing else: every row is sent.
plain_leads() {
  awk -v n="$1" -v tag="$RANDOM$RANDOM" 'BEGIN { print "url"; for (i = 1; i <= n; ++i) print "https://www.linkedin.com/in/bench-" tag "-" i }' >"$2"
}

# Runs prospect-import into `url` trusting `ca` on `csv`, with the options
# after them, under /usr/bin/time. Sets import_user, import_sys,
# import_elapsed (s), import_rss_kb, import_status; its report and journal
# are removed afterwards (a journal would make the next run skip rows).
# import_prefix: a command put before the importer (taskset, for one).
import_prefix=()
run_import() {
  local url=$1 ca=$2 csv=$3
  shift 3
  local report=$tmp/report.csv
  rm -f "$report" "$report.journal"
  import_status=0
  EXTROVERT_API_KEY=sandbox-key /usr/bin/time -o "$tmp/time.out" -f "%U %S %e %M" \
    "${import_prefix[@]}" "$IMPORT_BIN" --base-url "$url" --ca-file "$ca" --campaign "$CAMPAIGN" --list "$LIST" \
    --report "$report" --quiet "$@" "$csv" 2>"$tmp/import.err" || import_status=$?
  read -r import_user import_sys import_elapsed import_rss_kb < <(tail -n 1 "$tmp/time.out")
  if ((import_status > 1)); then
    echo "$BENCH_NAME: prospect-import exited $import_status" >&2
    cat "$tmp/import.err" >&2
    exit 1
  fi
  import_added=$(awk -F, 'NR > 1 && $6 == "added"' "$report" | wc -l)
  rm -f "$report" "$report.journal"
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

calc() { python3 -c "print($1)"; }

machine_line() {
  printf 'machine: %s, %s cores, load average %s (1, 5, 15 min)\n' "$(uname -srm)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  # The binary may be older than HEAD: name the last commit that changed its sources.
  printf 'prospect-import sources at %s (HEAD %s)%s\n' "$(git log -1 --format=%h -- src include sandbox 2>/dev/null || echo '?')" \
    "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "$(git diff --quiet HEAD -- src include sandbox 2>/dev/null || echo ' + uncommitted changes')"
}
