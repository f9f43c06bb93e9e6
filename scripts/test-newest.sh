#!/usr/bin/env bash
# The suite with the newest versions pyproject.toml's ranges allow today, not the lock:
# a release of a dependency that breaks us shows up here, by name, before a newcomer
# meets it. Its own virtual environment (.venv-newest), SQLite only; arguments go to pytest.
# When it passes, scripts/lock.sh makes those versions the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
CHATSERVER_TEST_VENV=.venv-newest CHATSERVER_TEST_LOCK="" CHATSERVER_TEST_SQLITE_ONLY=1 \
  exec bash scripts/test.sh "$@"
