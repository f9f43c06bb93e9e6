#!/usr/bin/env bash
# Install what the tests need, then run the whole suite on SQLite and on PostgreSQL.
#
# Needs: Python 3.11+, a PostgreSQL server (CHATSERVER_TEST_PG_ADMIN, default
# postgresql://postgres@127.0.0.1:5432/test), a Redis server on 127.0.0.1:6379,
# redis-server on PATH (tests start their own to restart it), and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Chromium from the distribution's packages"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
fi

echo "== lint"
python3 -m ruff check .
python3 -m mypy  # strict, over chatserver, sms and widget (pyproject.toml)

mkdir -p artifacts
echo "== test suite on SQLite"
CHATSERVER_TEST_DB=sqlite python3 -m pytest -q "$@"
echo "== test suite on PostgreSQL"
CHATSERVER_TEST_DB=postgres python3 -m pytest -q "$@"
