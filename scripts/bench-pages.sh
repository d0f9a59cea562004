#!/usr/bin/env bash
# Public pages next to nginx (docs/benchmarks.md, issue 16), on 127.0.0.1 only.
# In one run, on SQLite and then on PostgreSQL: the demo data plus synthetic
# profiles (`epop seed-bench`), `epop serve` (release), and every public page
# measured with `wrk -t1 -c16`, each right before nginx (`worker_processes 1`)
# serving the very bytes EPoP served to a visitor without cookies; then a
# table of ratios. It also checks that each page answers `If-None-Match`
# with a 304, and measures each page with a query parameter of its own on
# every request ("uncached": rendered every time, as before the page cache).
#
#   bash scripts/bench-pages.sh      # figures also in $EPOP_BENCH_DIR/pages.txt
#
# Needs wrk, nginx and curl (it installs nothing: e.g. `apt-get install wrk
# nginx-light curl`; only the nginx binary is used, no service is started).
# Settings (environment): PROFILES (100000), WRK_DURATION (10s),
# EPOP_BENCH_DIR (/tmp/epop-bench, the SQLite database is epop.db there, as
# for scripts/bench.sh), EPOP_BENCH_POSTGRES_URL
# (postgres://postgres@127.0.0.1:5432/epop_bench, created when psql is there;
# skipped when it does not answer), EPOP_BENCH_SKIP_SEED=1 to use the
# databases as they are (the demo data is loaded anyway: it is idempotent).
# Run nothing else heavy meanwhile: EPoP and nginx share the same cores.
set -euo pipefail
cd "$(dirname "$0")/.."

profiles="${PROFILES:-100000}"
duration="${WRK_DURATION:-10s}"
work="${EPOP_BENCH_DIR:-/tmp/epop-bench}"
pg_url="${EPOP_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/epop_bench}"

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "Missing: $tool. On Debian/Ubuntu: apt-get install wrk nginx-light curl" >&2
    exit 1
  }
done
mkdir -p "$work/pages" "$work/data" "$work/nginx-tmp"
results="$work/pages.txt"
: >"$results"
say() { echo "$*" | tee -a "$results"; }

cargo build --release --locked -p epop
target_dir="${CARGO_TARGET_DIR:-target}"
bin="$(cd "$target_dir" && pwd)/release/epop"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
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

say "== EPoP public pages next to nginx, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
say "Machine: $(nproc) cores, $(lscpu | grep 'Model name' | cut -d: -f2- | sed 's/^ *//'), $(free -m | awk '/^Mem:/ {print $2}') MiB RAM"
say "Load before starting: $(cut -d' ' -f1-3 /proc/loadavg) ($(uptime -p))"

# --- nginx, one worker, serving $work/pages (each engine's bytes in its folder)
nginx_port="$(free_port 18700)"
cat >"$work/nginx-pages.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx-pages.pid;
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
    listen 127.0.0.1:$nginx_port;
    root $work/pages;
  }
}
EOF
nginx -e "$work/nginx-error.log" -c "$work/nginx-pages.conf" &
pids+=("$!")

epop_port="$(free_port $((nginx_port + 1)))"
serve_pid=""
start_epop() { # $1: database URL
  EPOP_DATABASE_URL="$1" EPOP_DATA_DIR="$work/data" EPOP_LISTEN="127.0.0.1:$epop_port" \
    EPOP_LOG=warn "$bin" serve >"$work/serve-pages.log" 2>&1 &
  serve_pid=$!
  pids+=("$serve_pid")
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$epop_port/healthz" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "epop serve did not start (see $work/serve-pages.log)" >&2
  exit 1
}
stop_epop() { kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; }

# The first link of a list page to one of its items: $1 page, $2 prefix.
first_link() {
  curl -fs "http://127.0.0.1:$epop_port$1" | grep -o "href=\"$2[^\"/?#]*\"" |
    cut -d'"' -f2 | grep -v -e '/agenda$' -e '/proposer$' | head -n 1
}

rps() { wrk -t1 -c16 -d"$duration" "$@" | awk '/^Requests\/sec/ {print $2}'; }

# Each request with a query parameter of its own, so that no page is served
# from the page cache: what every request cost before it (issue 16).
cat >"$work/uncached.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "sans-cache=" .. n)
end
LUA

# Every public page of one engine, each next to nginx: $1 engine name, $2 URL.
measure() {
  local engine="$1" url="$2" dir="$work/pages/$1"
  EPOP_DATABASE_URL="$url" "$bin" migrate >/dev/null
  EPOP_DATABASE_URL="$url" EPOP_DATA_DIR="$work/data" "$bin" demo >/dev/null
  if [ "${EPOP_BENCH_SKIP_SEED:-}" != "1" ]; then
    say "-- seed-bench --profiles $profiles ($engine)"
    EPOP_DATABASE_URL="$url" "$bin" seed-bench --profiles "$profiles" | tail -n 1 | tee -a "$results"
  fi
  if [ "$engine" = PostgreSQL ] && command -v psql >/dev/null 2>&1; then
    psql "$url" -qc "VACUUM ANALYZE" && psql "$url" -qc "CHECKPOINT"
  fi
  start_epop "$url"
  local pages=(/ "/annuaire?q=sante" /evenements /formations /actualites /boite-a-outils
    /statistiques /territoires /programmes /accessibilite)
  pages+=("$(first_link '/annuaire?q=sante' /annuaire/)" "$(first_link /evenements /evenements/)"
    "$(first_link /formations /formations/)" "$(first_link /actualites /actualites/)"
    "$(first_link /boite-a-outils /boite-a-outils/)")
  rm -rf "$dir"
  mkdir -p "$dir"
  say "-- $engine: wrk -t1 -c16 -d$duration on EPoP, then on nginx (1 worker) serving the same bytes"
  say "$(printf '%-44s %7s %9s %9s %6s %5s %9s %6s' page bytes 'EPoP r/s' 'nginx r/s' ratio 304 'uncached' ratio)"
  local path file n=0 etag revalidated epop nginx uncached
  for path in "${pages[@]}"; do
    [ -n "$path" ] || continue
    n=$((n + 1))
    file="page-$n.html"
    etag="$(curl -fs -D - -o "$dir/$file" "http://127.0.0.1:$epop_port$path" |
      awk -F': ' 'tolower($1) == "etag" {sub("\r", "", $2); print $2}')"
    revalidated="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" \
      "http://127.0.0.1:$epop_port$path")"
    epop="$(rps "http://127.0.0.1:$epop_port$path")"
    nginx="$(rps "http://127.0.0.1:$nginx_port/$engine/$file")"
    uncached="$(rps -s "$work/uncached.lua" "http://127.0.0.1:$epop_port$path")"
    say "$(awk -v p="$path" -v b="$(wc -c <"$dir/$file")" -v e="$epop" -v x="$nginx" -v r="$revalidated" -v u="$uncached" \
      'BEGIN { printf "%-44s %7d %9.0f %9.0f %6.2f %5s %9.0f %6.2f", substr(p, 1, 44), b, e, x, e / x, r, u, u / x }')"
  done
  say "EPoP's peak RSS ($engine): $(awk '/^VmHWM/ {printf "%.1f MiB", $2 / 1024}' "/proc/$serve_pid/status")"
  stop_epop
}

measure SQLite "sqlite://$work/epop.db"

pg_ok=0
if command -v psql >/dev/null 2>&1; then
  psql "${pg_url%/*}/postgres" -qc "CREATE DATABASE \"${pg_url##*/}\"" >/dev/null 2>&1 || true
  psql "$pg_url" -qAtc "SELECT 1" >/dev/null 2>&1 && pg_ok=1
elif EPOP_DATABASE_URL="$pg_url" "$bin" migrate >/dev/null 2>&1; then
  pg_ok=1
fi
if [ "$pg_ok" = 1 ]; then
  measure PostgreSQL "$pg_url"
else
  say "PostgreSQL does not answer at $pg_url: skipped."
fi
say "Load after: $(cut -d' ' -f1-3 /proc/loadavg). Goal: every ratio >= 0.3 and every 304 column 304. Figures in $results"
