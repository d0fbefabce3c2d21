#!/usr/bin/env bash
# Fuzzes each libFuzzer target (or those named) for SECONDS, starting from
# a scratch copy of its seed corpus (the repository is not modified), and
# prints one line per target: executions, executions a second, the corpus
# at the end and crashes. Exits 1 if any target crashed (or hung, or ran out
# of memory); the input that did it is kept and named.
# usage: BUILD_DIR=build/fuzz bench/fuzz.sh SECONDS [TARGET...]
#   BUILD_DIR  a build configured with -DPROSPECT_FUZZ=ON (clang); default build/fuzz
#   JOBS       targets fuzzed at once; default 1 (the cores are shared with the tests)
#   ARTIFACTS  where crashing inputs and their logs are kept; default $BUILD_DIR/fuzz-artifacts
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/fuzz}
JOBS=${JOBS:-1}
ARTIFACTS=${ARTIFACTS:-$BUILD_DIR/fuzz-artifacts}
usage="usage: BUILD_DIR=build/fuzz bench/fuzz.sh SECONDS [TARGET...]"

seconds=${1:-}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "$usage" >&2; exit 2; }
shift
mapfile -t known < <(find fuzz -maxdepth 1 -name '*.cpp' -printf '%f\n' | sed 's/\.cpp$//' | sort)
targets=("$@")
((${#targets[@]})) || targets=("${known[@]}")
for t in "${targets[@]}"; do
  [[ " ${known[*]} " == *" $t "* ]] || { echo "fuzz.sh: no target $t (known: ${known[*]})" >&2; exit 2; }
  [[ -x $BUILD_DIR/fuzz/fuzz_$t ]] ||
    { echo "fuzz.sh: no $BUILD_DIR/fuzz/fuzz_$t (configure with -DPROSPECT_FUZZ=ON and build the target fuzz)" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/prospect-fuzz.XXXXXX")
pids=()
# shellcheck disable=SC2317  # run by the traps
cleanup() {
  local pid
  for pid in "${pids[@]}"; do pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Fuzzes one target in $tmp/<target>; its exit status goes to $tmp/<target>/rc.
fuzz_one() {
  local t=$1 dir=$tmp/$1 dict=()
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp fuzz/corpus/"$t"/* "$dir/corpus/"
  [[ -f fuzz/dict/$t.dict ]] && dict=(-dict="fuzz/dict/$t.dict")
  local rc=0
  "$BUILD_DIR/fuzz/fuzz_$t" "${dict[@]}" -max_total_time="$seconds" -timeout=25 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$dir/log" 2>&1 || rc=$?
  echo "$rc" >"$dir/rc"
}

for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= JOBS)); do wait -n || true; done
  fuzz_one "$t" &
  pids+=($!)
done
wait

failed=0
printf '%-18s %12s %9s %13s %13s %8s\n' target executions execs/s corpus_files corpus_bytes crashes
for t in "${targets[@]}"; do
  dir=$tmp/$t
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$dir/log")
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$dir/log")
  files=$(find "$dir/corpus" -type f | wc -l)
  bytes=$(du -sb "$dir/corpus" | cut -f1)
  mapfile -t found < <(find "$dir/artifacts" -type f)
  crashes=${#found[@]}
  rc=$(cat "$dir/rc")
  # A non-zero exit without an input to show (killed, a broken binary) is a failure too.
  ((rc == 0 || crashes > 0)) || crashes=1
  printf '%-18s %12s %9s %13s %13s %8s\n' "$t" "${execs:-?}" "${rate:-?}" "$files" "$bytes" "$crashes"
  if ((crashes > 0)); then
    failed=1
    mkdir -p "$ARTIFACTS/$t"
    cp "$dir/log" "$ARTIFACTS/$t/log"
    for f in "${found[@]}"; do cp "$f" "$ARTIFACTS/$t/"; done
    echo "  $t failed (exit $rc): log and inputs in $ARTIFACTS/$t/; reproduce with $BUILD_DIR/fuzz/fuzz_$t FILE" >&2
    for f in "${found[@]}"; do echo "  $ARTIFACTS/$t/$(basename "$f")" >&2; done
    grep -m1 -E 'ERROR: |invariant broken|runtime error' "$dir/log" | sed 's/^/  /' >&2 || true
  fi
done
exit "$failed"
