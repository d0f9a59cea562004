#!/usr/bin/env bash
# The whole test suite: Rust tests on SQLite and PostgreSQL, then the browser
# tests (axe-core, reflow, keyboard journeys) in Debian's Chromium.
#
#   bash scripts/test-all.sh
#
# PostgreSQL: EPOP_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test
# when a server answers there). Set EPOP_SKIP_E2E=1 to skip the browser tests.
# What the tests open the platform's files with (Chromium, LibreOffice Calc,
# poppler, zbar to read QR codes back, nginx in front of the processes
# killed under load, Node.js for the browser tests) is installed from Debian's packages when missing (as root, or with
# sudo without a password).
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
need_install=""
for tool in chromium soffice pdftotext zbarimg npm; do
  command -v "$tool" >/dev/null 2>&1 || need_install=1
done
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_install=1
if [ -n "$need_install" ]; then
  echo "== Installing Chromium, LibreOffice Calc, poppler-utils, zbar-tools, nginx and Node.js (Debian)"
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core \
    libreoffice-calc-nogui poppler-utils zbar-tools nginx-light $(command -v npm >/dev/null || echo nodejs npm) >/dev/null
fi

default_pg="postgres://postgres@127.0.0.1:5432/test"
if [ -z "${EPOP_TEST_POSTGRES_URL:-}" ]; then
  if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    export EPOP_TEST_POSTGRES_URL="$default_pg"
  else
    echo "PostgreSQL not reachable on 127.0.0.1:5432: Rust tests run on SQLite only." >&2
  fi
fi
echo "== Rust tests (SQLite${EPOP_TEST_POSTGRES_URL:+ and PostgreSQL})"
cargo test --workspace --locked

if [ "${EPOP_SKIP_E2E:-}" = "1" ]; then
  echo "EPOP_SKIP_E2E=1: browser tests skipped." >&2
  exit 0
fi
echo "== Browser tests"
cargo build --locked -p epop
target_dir="${CARGO_TARGET_DIR:-target}"
export EPOP_BIN="$(cd "$target_dir" && pwd)/debug/epop"
cd e2e
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
node run.mjs
