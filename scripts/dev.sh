#!/usr/bin/env bash
# Set everything up, then build and serve the site, or run the tests.
#
#   bash scripts/dev.sh serve    # set up, build the whole site (strict), serve it on http://127.0.0.1:8000/
#   bash scripts/dev.sh test     # set up, run the whole test suite
#   bash scripts/dev.sh setup    # set up only
#
# Setting up means: Debian/Ubuntu packages the site needs (installed when
# missing, as root; otherwise this stops and names them), a virtual environment
# in .venv/ and the pinned Python packages of requirements.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- system packages --------------------------------------------------------
# fonts-noto-cjk: Simplified Chinese fonts for the PDF and for screenshots.
# libpango-1.0-0, libpangoft2-1.0-0, fontconfig: what WeasyPrint (the PDF) lays text out with.
# chromium:       the real browser the browser tests drive (tests only).
# nginx:          the tests serve the site with scripts/deploy/nginx.conf (tests only).
# nodejs, npm:    fetch axe-core and vnu-jar (the W3C Nu HTML checker) from the npm registry (tests only).
# default-jre-headless: the Java runtime vnu-jar runs on (tests only, when no `java` is on the PATH).
# python3-venv:   Debian splits venv out of Python.
need_pkgs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

install_system() {
  local pkgs=(fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0)
  [ "${1:-}" = test ] && pkgs+=(chromium nginx)
  [ "${1:-}" = test ] && ! command -v npm >/dev/null && pkgs+=(nodejs npm)
  [ "${1:-}" = test ] && ! command -v java >/dev/null && pkgs+=(default-jre-headless)
  if ! "$PY" -c 'import ensurepip, venv' 2>/dev/null; then pkgs+=(python3-venv); fi
  if ! command -v dpkg-query >/dev/null; then
    say "Not a Debian/Ubuntu system: make sure these are installed: ${pkgs[*]}"
    return 0
  fi
  local missing
  missing=$(need_pkgs "${pkgs[@]}")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: $missing" >&2
    echo "Install them first:  sudo apt-get update && sudo apt-get install -y $missing" >&2
    exit 1
  fi
  say "Installing system packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# --- Python environment -----------------------------------------------------
install_python() {
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "Python 3.11 or newer is needed (found $("$PY" --version 2>&1)); set PYTHON=python3.11" >&2; exit 1; }
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating virtual environment in .venv/"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.requirements.sha"
  local want
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing Python packages (requirements.txt)"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -r requirements.txt
    echo "$want" > "$stamp"
  fi
}

cmd=${1:-serve}
case "$cmd" in
  setup)
    install_system test
    install_python
    ;;
  serve)
    install_system
    install_python
    say "Building the site (strict)"
    "$VENV/bin/python" scripts/docs.py build
    say "Serving"
    exec "$VENV/bin/python" scripts/docs.py serve --port "${PORT:-8000}"
    ;;
  test)
    install_system test
    install_python
    # the checkers pinned in tests/package-lock.json; again whenever the lock file changes.
    # --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's is used.
    lock_sha=$(sha256sum tests/package-lock.json | cut -d' ' -f1)
    if [ "$(cat tests/node_modules/.lock.sha 2>/dev/null)" != "$lock_sha" ]; then
      say "Installing axe-core and vnu-jar (tests/package-lock.json)"
      npm ci --prefix tests --no-audit --no-fund --silent --ignore-scripts
      echo "$lock_sha" > tests/node_modules/.lock.sha
    fi
    say "Running the test suite"
    shift || true
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: bash scripts/dev.sh [serve|test|setup]" >&2
    exit 2
    ;;
esac
