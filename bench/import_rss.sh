#!/usr/bin/env bash
# Peak memory (issue 4, benchmark c): prospect-import's peak RSS
# (/usr/bin/time %M) for 100k and 1M rows of bench/generate_leads.py into
# prospect-sandbox at a rate that does not limit; beside it, the same file
# as a dry run (no network, no TLS) and a 10-row import (the fixed part:
# binary, TLS, buffers), so that the growth per row can be told apart from
# what any run costs.
#
#   bench/import_rss.sh                            # 100000 and 1000000 rows
#   SIZES="100000 1000000" CONNECTIONS=4 BUILD_DIR=build bench/import_rss.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SIZES=${SIZES:-100000 1000000}
CONNECTIONS=${CONNECTIONS:-4}
need_tools python3 curl

realistic_leads 10 "$tmp/leads-10.csv"
start_sandbox
run_import "$sandbox_url" "$tmp/sandbox-ca.pem" "$tmp/leads-10.csv" --rate 1000000 --burst 100 --connections "$CONNECTIONS"
base_kb=$import_rss_kb
echo "== 10 rows: import peak RSS $base_kb KiB" >&2

declare -A import_kb dry_kb sent elapsed
for rows in $SIZES; do
  realistic_leads "$rows" "$tmp/leads.csv"
  start_sandbox
  run_import "$sandbox_url" "$tmp/sandbox-ca.pem" "$tmp/leads.csv" --rate 1000000 --burst 100 --connections "$CONNECTIONS"
  import_kb[$rows]=$import_rss_kb sent[$rows]=$import_added elapsed[$rows]=$import_elapsed
  stop_sandbox
  run_import "https://127.0.0.1:1" "$tmp/sandbox-ca.pem" "$tmp/leads.csv" --dry-run
  dry_kb[$rows]=$import_rss_kb
  echo "== $rows rows: import peak RSS ${import_kb[$rows]} KiB (${sent[$rows]} sent in ${elapsed[$rows]} s), dry run ${dry_kb[$rows]} KiB" >&2
  rm -f "$tmp/leads.csv"
done

echo
machine_line
printf 'bench/generate_leads.py rows into prospect-sandbox, --rate 1000000 --burst 100 --connections %s; peak RSS by /usr/bin/time\n\n' "$CONNECTIONS"
printf '| rows | import peak RSS | dry run peak RSS | import above the 10-row run | per row |\n|---|---|---|---|---|\n'
printf '| 10 | %s MiB | | | |\n' "$(calc "round($base_kb / 1024, 1)")"
for rows in $SIZES; do
  printf '| %s | %s MiB | %s MiB | %s MiB | %s bytes |\n' "$rows" "$(calc "round(${import_kb[$rows]} / 1024, 1)")" \
    "$(calc "round(${dry_kb[$rows]} / 1024, 1)")" "$(calc "round((${import_kb[$rows]} - $base_kb) / 1024, 1)")" \
    "$(calc "round((${import_kb[$rows]} - $base_kb) * 1024 / $rows)")"
done
set -- $SIZES
if (($# >= 2)); then
  printf '\ngrowth from %s to %s rows: %s bytes per row\n' "$1" "$2" \
    "$(calc "round((${import_kb[$2]} - ${import_kb[$1]}) * 1024 / ($2 - $1))")"
fi
