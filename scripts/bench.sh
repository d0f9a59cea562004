#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md, end to end, on this machine (127.0.0.1 only):
#   1. seed 100,000 synthetic profiles on SQLite and on PostgreSQL
#      (`epop seed-bench`, idempotent: a second run only checks);
#   2. time the directory searches on both (`epop bench-search`);
#   3. HTTP: `epop serve` on the SQLite database and nginx serving the same
#      page bytes as static files, with wrk, one after the other in the same
#      run; the server's peak RSS (VmHWM) during each wrk run.
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

mkdir -p "$work/www" "$work/data" "$work/nginx-tmp"
results="$work/results.txt"
: >"$results"
say() { echo "$*" | tee -a "$results"; }

cargo build --release --locked -p epop
target_dir="${CARGO_TARGET_DIR:-target}"
bin="$(cd "$target_dir" && pwd)/release/epop"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# A port nothing listens on, from $1 upwards.
free_port() {
  local port
  for port in $(seq "$1" $(($1 + 500))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port from $1" >&2
  exit 1
}

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

# --- 3. HTTP throughput: EPoP (SQLite, 100,000 profiles) next to nginx
epop_port="$(free_port 18480)"
serve_pid=""
start_epop() {
  EPOP_DATABASE_URL="$sqlite_url" EPOP_DATA_DIR="$work/data" EPOP_LISTEN="127.0.0.1:$epop_port" \
    EPOP_LOG=warn "$bin" serve >"$work/serve.log" 2>&1 &
  serve_pid=$!
  pids+=("$serve_pid")
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$epop_port/healthz" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "epop serve did not start (see $work/serve.log)" >&2
  exit 1
}
stop_epop() {
  kill "$serve_pid"
  wait "$serve_pid" 2>/dev/null || true
}

# The page bytes nginx will serve, as EPoP serves them to a visitor. (A
# visitor's search is served from EPoP's 2-second read cache after the first
# request: wrk measures that path; signed-in people always query the database.)
start_epop
curl -fs "http://127.0.0.1:$epop_port/annuaire?q=sante" -o "$work/www/annuaire-sante.html"
curl -fs "http://127.0.0.1:$epop_port/annuaire" -o "$work/www/annuaire.html"
profile_path="$(grep -o 'href="/annuaire/[^"?/]*"' "$work/www/annuaire-sante.html" | head -n 1 | cut -d'"' -f2)"
curl -fs "http://127.0.0.1:$epop_port$profile_path" -o "$work/www/profil.html"
stop_epop

declare -A nginx_port
for workers in 1 auto; do
  port="$(free_port $((epop_port + 1)))"
  nginx_port[$workers]="$port"
  cat >"$work/nginx-$workers.conf" <<EOF
worker_processes $workers;
daemon off;
pid $work/nginx-$workers.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; }
  default_type text/html;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$port;
    root $work/www;
  }
}
EOF
  nginx -e "$work/nginx-error.log" -c "$work/nginx-$workers.conf" &
  pids+=("$!")
  for _ in $(seq 1 50); do
    curl -fs "http://127.0.0.1:$port/profil.html" >/dev/null 2>&1 && break
    sleep 0.1
  done
done

rps() { wrk -t2 -c16 -d"$duration" "$1" | awk '/^Requests\/sec/ {print $2}'; }
say "-- wrk -t2 -c16 -d$duration, one after the other; EPoP's peak RSS (VmHWM) over its wrk run"
say "$(printf '%-26s %10s %10s %10s %8s %8s %8s' page 'EPoP r/s' 'nginx 1' 'nginx auto' 'ratio 1' 'ratio a' 'RSS MiB')"
for page in "/annuaire?q=sante annuaire-sante.html" "/annuaire annuaire.html" "$profile_path profil.html"; do
  set -- $page
  start_epop
  epop="$(rps "http://127.0.0.1:$epop_port$1")"
  hwm_kb="$(awk '/^VmHWM/ {print $2}' "/proc/$serve_pid/status")"
  stop_epop
  one="$(rps "http://127.0.0.1:${nginx_port[1]}/$2")"
  auto="$(rps "http://127.0.0.1:${nginx_port[auto]}/$2")"
  label="$1"
  [ "$2" = profil.html ] && label="/annuaire/<profil>"
  say "$(awk -v l="$label" -v e="$epop" -v o="$one" -v a="$auto" -v h="$hwm_kb" \
    'BEGIN { printf "%-26s %10.0f %10.0f %10.0f %8.4f %8.4f %8.1f", l, e, o, a, e / o, e / a, h / 1024 }')"
done
say "Bytes served: $(wc -c <"$work/www/annuaire-sante.html") (/annuaire?q=sante), $(wc -c <"$work/www/annuaire.html") (/annuaire), $(wc -c <"$work/www/profil.html") ($profile_path)"
say "Goals: search p99 <= 10 ms; EPoP >= 0.3 of nginx; peak RSS <= 55 MiB. All figures in $results"
