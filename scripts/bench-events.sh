#!/usr/bin/env bash
# Events benchmark (docs/benchmarks.md), on 127.0.0.1 only:
#   1. requests/second of an event page with wrk, next to nginx serving the
#      same bytes as a static file, in the same run;
#   2. registrations/second through the real form (POST, CSRF token, one new
#      e-mail address per request: wrk with a Lua script), on SQLite and on
#      PostgreSQL.
#
#   bash scripts/bench-events.sh
#
# Needs wrk, nginx and curl (it installs nothing); PostgreSQL is used when
# EPOP_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/epop_bench_events)
# answers. WRK_DURATION (10s) sets each run's length.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${WRK_DURATION:-10s}"
work="${EPOP_BENCH_DIR:-/tmp/epop-bench-events}"
pg_url="${EPOP_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/epop_bench_events}"
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "Missing: $tool (apt-get install wrk nginx-light curl)" >&2; exit 1; }
done
rm -rf "$work"
mkdir -p "$work/www" "$work/nginx-tmp"
results="$work/results.txt"
say() { echo "$*" | tee -a "$results"; }

cargo build --release --locked -p epop
target_dir="${CARGO_TARGET_DIR:-target}"
bin="$(cd "$target_dir" && pwd)/release/epop"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

say "== EPoP events benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"

port=18590
serve_pid=""
start_epop() { # $1: database URL
  EPOP_DATABASE_URL="$1" "$bin" migrate >/dev/null
  EPOP_DATABASE_URL="$1" "$bin" demo >/dev/null
  EPOP_DATABASE_URL="$1" EPOP_DATA_DIR="$work/data" EPOP_LISTEN="127.0.0.1:$port" \
    EPOP_LOG=warn "$bin" serve >"$work/serve.log" 2>&1 &
  serve_pid=$!
  pids+=("$serve_pid")
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "epop serve did not start (see $work/serve.log)" >&2
  exit 1
}
stop_epop() { kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; }

# The registration form, posted with one new address per request.
token="jeton-de-bench-csrf-0123456789abcdefghijklmn"
cat >"$work/register.lua" <<EOF
local n = 0
request = function()
  n = n + 1
  local body = "csrf=$token&name=Personne+" .. n .. "&email=p" .. n .. "-" .. math.random(1, 1000000000) .. "%40bench.epop.test&consent=oui"
  return wrk.format("POST", wrk.path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "epop_csrf=$token",
  }, body)
end
done = function(summary, latency, requests)
  io.write(string.format("non-3xx: %d\n", summary.errors.status))
end
EOF

rps() { awk '/^Requests\/sec/ {print $2}'; }

# --- SQLite: the event page next to nginx, then registrations
start_epop "sqlite://$work/epop.db"
slug="$(curl -fs "http://127.0.0.1:$port/evenements" | grep -o 'href="/evenements/reunion[^"]*"' | head -n 1 | cut -d'"' -f2)"
curl -fs "http://127.0.0.1:$port$slug" -o "$work/www/event.html"
cat >"$work/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  types { text/html html; }
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  server { listen 127.0.0.1:$((port + 1)); root $work/www; }
}
EOF
nginx -e "$work/nginx-error.log" -c "$work/nginx.conf" &
pids+=("$!")
sleep 0.5
epop_page="$(wrk -t2 -c16 -d"$duration" "http://127.0.0.1:$port$slug" | rps)"
nginx_page="$(wrk -t2 -c16 -d"$duration" "http://127.0.0.1:$((port + 1))/event.html" | rps)"
say "-- event page $slug ($(wc -c <"$work/www/event.html") bytes), wrk -t2 -c16 -d$duration"
say "$(awk -v e="$epop_page" -v n="$nginx_page" 'BEGIN { printf "EPoP %.0f req/s, nginx (auto) %.0f req/s, ratio %.3f", e, n, e / n }')"
sqlite_out="$(wrk -t2 -c16 -d"$duration" -s "$work/register.lua" "http://127.0.0.1:$port$slug/inscription")"
say "-- registrations, SQLite, wrk -t2 -c16 -d$duration: $(echo "$sqlite_out" | rps) registrations/s ($(echo "$sqlite_out" | grep non-3xx))"
stop_epop

# --- PostgreSQL
if command -v psql >/dev/null 2>&1; then
  psql "${pg_url%/*}/postgres" -qc "DROP DATABASE IF EXISTS \"${pg_url##*/}\"" -c "CREATE DATABASE \"${pg_url##*/}\"" >/dev/null 2>&1 || true
fi
if psql "$pg_url" -qAtc "SELECT 1" >/dev/null 2>&1; then
  start_epop "$pg_url"
  slug="$(curl -fs "http://127.0.0.1:$port/evenements" | grep -o 'href="/evenements/reunion[^"]*"' | head -n 1 | cut -d'"' -f2)"
  pg_out="$(wrk -t2 -c16 -d"$duration" -s "$work/register.lua" "http://127.0.0.1:$port$slug/inscription")"
  say "-- registrations, PostgreSQL, wrk -t2 -c16 -d$duration: $(echo "$pg_out" | rps) registrations/s ($(echo "$pg_out" | grep non-3xx))"
  stop_epop
else
  say "PostgreSQL does not answer at $pg_url: skipped."
fi
say "All figures in $results"
