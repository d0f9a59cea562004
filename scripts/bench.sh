#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md, end to end, on this machine (127.0.0.1 only):
#   1. seed 100,000 synthetic profiles on SQLite and on PostgreSQL
#      (`epop seed-bench`, idempotent: a second run only checks);
#   2. time the directory searches on both (`epop bench-search`);
#   3. HTTP: every public page on both databases, each next to nginx serving
#      the same bytes (scripts/bench-pages.sh, which also loads the demo data).
#
#   bash scripts/bench.sh
#
# Needs wrk, nginx and curl (it installs nothing). Settings (environment):
#   PROFILES (100000), ITERATIONS (100), WRK_DURATION (10s), EPOP_BENCH_DIR
#   (/tmp/epop-bench), EPOP_BENCH_POSTGRES_URL
#   (postgres://postgres@127.0.0.1:5432/epop_bench; PostgreSQL is skipped
#   when it does not answer), EPOP_BENCH_SKIP_SEED=1 to use the databases as
#   they are.
# Run nothing else heavy meanwhile: every figure shares the same cores.
set -euo pipefail
cd "$(dirname "$0")/.."

profiles="${PROFILES:-100000}"
iterations="${ITERATIONS:-100}"
duration="${WRK_DURATION:-10s}"
work="${EPOP_BENCH_DIR:-/tmp/epop-bench}"
pg_url="${EPOP_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/epop_bench}"
sqlite_url="sqlite://$work/epop.db"

missing=""
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "Missing:$missing. On Debian/Ubuntu: sudo apt-get install wrk nginx-light curl" >&2
  echo "(nginx-light or nginx; only the binary is used, no service is started)." >&2
  exit 1
fi

mkdir -p "$work"
results="$work/results.txt"
: >"$results"
say() { echo "$*" | tee -a "$results"; }

cargo build --release --locked -p epop
target_dir="${CARGO_TARGET_DIR:-target}"
bin="$(cd "$target_dir" && pwd)/release/epop"

say "== EPoP benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -m | awk '/^Mem:/ {print $2}') MiB RAM"
say "Load before starting: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- PostgreSQL: reachable? (create the database when psql is there)
pg_ok=0
if command -v psql >/dev/null 2>&1; then
  psql "${pg_url%/*}/postgres" -qc "CREATE DATABASE \"${pg_url##*/}\"" >/dev/null 2>&1 || true
  if psql "$pg_url" -qAtc "SELECT 1" >/dev/null 2>&1; then pg_ok=1; fi
elif EPOP_DATABASE_URL="$pg_url" "$bin" migrate >/dev/null 2>&1; then
  pg_ok=1
fi
[ "$pg_ok" = 1 ] || say "PostgreSQL does not answer at $pg_url: skipped."

# --- 1. Seed
seed() {
  say "-- seed-bench --profiles $profiles ($1)"
  EPOP_DATABASE_URL="$2" "$bin" seed-bench --profiles "$profiles" | tee "$work/seed-$1.log"
  tail -n 1 "$work/seed-$1.log" >>"$results"
}
if [ "${EPOP_BENCH_SKIP_SEED:-}" != "1" ]; then
  seed SQLite "$sqlite_url"
  [ "$pg_ok" = 1 ] && seed PostgreSQL "$pg_url"
fi
if [ "$pg_ok" = 1 ] && command -v psql >/dev/null 2>&1; then
  # What autovacuum would have done after a bulk load (statistics, visibility
  # map for index-only scans). Custom plans for every search are set by the
  # store itself on each connection (`plan_cache_mode`).
  psql "$pg_url" -qc "VACUUM ANALYZE"
  # And write what it changed now, not during the timings.
  psql "$pg_url" -qc "CHECKPOINT"
fi

# --- 2. Search latency
say "-- bench-search --iterations $iterations (SQLite)"
EPOP_DATABASE_URL="$sqlite_url" "$bin" bench-search --iterations "$iterations" | tee -a "$results"
if [ "$pg_ok" = 1 ]; then
  say "-- bench-search --iterations $iterations (PostgreSQL)"
  EPOP_DATABASE_URL="$pg_url" "$bin" bench-search --iterations "$iterations" | tee -a "$results"
fi

# --- 3. Every public page next to nginx, on both engines (scripts/bench-pages.sh)
EPOP_BENCH_DIR="$work" EPOP_BENCH_POSTGRES_URL="$pg_url" WRK_DURATION="$duration" \
  EPOP_BENCH_SKIP_SEED=1 bash scripts/bench-pages.sh
cat "$work/pages.txt" >>"$results"
say "Goals: search p99 <= 10 ms; every public page >= 0.3 of nginx. All figures in $results"
