#!/usr/bin/env bash
# The whole test suite: Rust tests on SQLite and PostgreSQL, then the browser
# tests (axe-core, reflow, keyboard journeys) in Debian's Chromium.
#
#   bash scripts/test-all.sh
#
# PostgreSQL: EPOP_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test
# when a server answers there). S3: a moto server (PyPI, installed once into
# ~/.cache/epop/moto) is started on a free loopback port for the storage tests
# and stopped at exit; EPOP_TEST_S3_URL given from outside is used as it is.
# Set EPOP_SKIP_E2E=1 to skip the browser tests.
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
# A real S3 server on the loopback for the file storage's tests (moto, pinned).
MOTO_VERSION="5.2.5"
if [ -z "${EPOP_TEST_S3_URL:-}" ]; then
  moto_env="$HOME/.cache/epop/moto"
  if [ ! -x "$moto_env/bin/moto_server" ] \
    || ! "$moto_env/bin/pip" show moto 2>/dev/null | grep -qx "Version: $MOTO_VERSION"; then
    echo "== Installing moto $MOTO_VERSION (S3 test server, PyPI) into $moto_env"
    rm -rf "$moto_env"
    if ! { python3 -m venv "$moto_env" \
      && "$moto_env/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"; }; then
      echo "ERROR: moto could not be installed from PyPI: the S3 storage cannot be tested." >&2
      exit 1
    fi
  fi
  moto_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$moto_env/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"${TMPDIR:-/tmp}/epop-moto-$moto_port.log" 2>&1 &
  moto_pid=$!
  trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
  export AWS_ACCESS_KEY_ID=essai AWS_SECRET_ACCESS_KEY=essai AWS_REGION=us-east-1
  bucket=""
  for _ in $(seq 1 150); do
    if "$moto_env/bin/python" - "$moto_port" 2>/dev/null <<'PY'
import sys, boto3
boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1").create_bucket(Bucket="epop-test")
PY
    then bucket=1; break; fi
    kill -0 "$moto_pid" 2>/dev/null || break
    sleep 0.2
  done
  if [ -z "$bucket" ]; then
    echo "ERROR: the moto S3 server did not start on 127.0.0.1:$moto_port:" >&2
    cat "${TMPDIR:-/tmp}/epop-moto-$moto_port.log" >&2
    exit 1
  fi
  export EPOP_TEST_S3_URL="s3://epop-test?endpoint=http://127.0.0.1:$moto_port&region=us-east-1"
fi
echo "== Rust tests (SQLite${EPOP_TEST_POSTGRES_URL:+ and PostgreSQL}; files in a folder and in S3 at ${EPOP_TEST_S3_URL%%&*})"
# Every test binary runs even when one fails, so that one failure never hides another.
cargo test --workspace --locked --no-fail-fast

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
