#!/usr/bin/env bash
# Install what the tests need, then run the whole suite on SQLite and on PostgreSQL, then
# the lint, type and import checks. Every step runs even when an earlier one failed; the
# failures are listed together at the end (and the exit status is 1).
#
# The packages go into a virtual environment of their own (.venv, or CHATSERVER_TEST_VENV)
# at exactly the versions in requirements.lock, so every machine tests the same thing.
# scripts/test-newest.sh runs the same with the newest versions the ranges allow.
#
# Needs: Python 3.11+, a PostgreSQL server (CHATSERVER_TEST_PG_ADMIN, default
# postgresql://postgres@127.0.0.1:5432/test), a Redis server on 127.0.0.1:6379,
# redis-server on PATH (tests start their own to restart it), Chromium, and Node.js with npm
# (the front end's tools: tsc checks the JSDoc types, esbuild rebuilds the widget to check
# that the committed widget/widget.js is fresh; installed from tools/package-lock.json).
set -uo pipefail
cd "$(dirname "$0")/.."

venv=${CHATSERVER_TEST_VENV:-.venv}
lock=${CHATSERVER_TEST_LOCK-requirements.lock}  # empty: the newest allowed versions
python3 -m venv "$venv" || exit 1
py="$venv/bin/python"
pip=("$py" -m pip install --quiet --disable-pip-version-check)
if [ -n "$lock" ]; then
  "${pip[@]}" -c "$lock" -e '.[test,bench]' || exit 1
else
  "${pip[@]}" --upgrade --upgrade-strategy eager -e '.[test,bench]' || exit 1
fi
"$py" -m pip list --format=freeze --disable-pip-version-check > "$venv/installed.txt"

# Chromium drives the screens; coturn relays the video test that allows TURN only.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} from the distribution's packages"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mkdir -p artifacts
failed=()
step() {
  local name=$1; shift
  echo "== $name"
  "$@" || failed+=("$name")
}
# The front end's tools at the locked versions, before the tests: one of them rebuilds the
# widget and compares it with the committed file. Without npm this step fails by name (and
# so do that test and tsc): nothing is skipped quietly.
front_end_tools() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: install Node.js and npm (Debian: apt-get install nodejs npm)" >&2
    return 1
  fi
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
}
step "front-end tools (npm ci in tools/)" front_end_tools
export CHATSERVER_TEST_NODE=required  # the widget's freshness test fails, not skips, without them
# The tests marked postgres check PostgreSQL's own statements, plans and locks: they run in
# the PostgreSQL pass only (run alone on SQLite they skip), so neither pass skips anything.
step "test suite on SQLite" env CHATSERVER_TEST_DB=sqlite "$py" -m pytest -q -m "not postgres" "$@"
if [ -z "${CHATSERVER_TEST_SQLITE_ONLY:-}" ]; then
  # The screens (tests/browser*, tests/*/browser*) do not depend on the database: they run on SQLite only.
  # Nor do the tests marked dbindependent (schemathesis against /openapi.json checks the
  # HTTP layer, and takes a couple of minutes): they too run once, on SQLite.
  step "test suite on PostgreSQL" env CHATSERVER_TEST_DB=postgres "$py" -m pytest -q -m "not browser and not dbindependent" "$@"
fi
step "ruff" "$py" -m ruff check .
step "mypy" "$py" -m mypy  # strict, over chatserver, livechat, sms, signaling and widget (pyproject.toml)
step "import contracts" "$venv/bin/lint-imports"  # pyproject.toml [tool.importlinter]
step "import cycles" "$py" scripts/import_cycles.py
step "tsc (the front end's JSDoc types, tools/tsconfig.json)" tools/node_modules/.bin/tsc --noEmit -p tools/tsconfig.json

if [ ${#failed[@]} -gt 0 ]; then
  printf '== FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "== all steps passed"
