#!/usr/bin/env bash
# Re-make requirements.lock: the newest versions that pyproject.toml's ranges allow today,
# for every platform and Python >= 3.11. Run it after changing a dependency, then run
# scripts/test.sh (which installs from the lock) and commit both files together.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
python3 -m uv pip compile pyproject.toml --extra test --extra bench --universal --python-version 3.11 \
  --no-header --quiet -o requirements.lock
