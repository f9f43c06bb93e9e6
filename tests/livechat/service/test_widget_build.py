"""The served widget (widget/widget.js, committed so installing needs no Node) is exactly
what tools/build-widget.mjs makes of its sources (widget/src/ and the shared front-end
modules): a change to the shared socket or the widget's source without a rebuild fails
here. scripts/test.sh installs tools/ with `npm ci` first and sets CHATSERVER_TEST_NODE;
there, and in CI, a missing Node or missing tools fail the test instead of skipping it
(a bare pytest on a machine without Node skips it, saying why)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TOOLS = ROOT / "tools"


def _node_or_skip() -> str:
    node = shutil.which("node")
    ready = node is not None and (TOOLS / "node_modules" / "esbuild").is_dir()
    if not ready:
        why = "node is not on PATH" if node is None else "tools/node_modules is missing: run `npm ci --prefix tools`"
        if os.environ.get("CI") or os.environ.get("CHATSERVER_TEST_NODE") == "required":
            pytest.fail(f"the widget's freshness cannot be checked in CI: {why}")
        pytest.skip(why)
    assert node is not None
    return node


def test_the_committed_widget_is_what_its_sources_build() -> None:
    node = _node_or_skip()
    run = subprocess.run([node, str(TOOLS / "build-widget.mjs"), "--check"], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr + run.stdout


def test_the_check_sees_a_stale_widget(tmp_path: Path) -> None:
    """The check itself can fail: a copy of the tree whose widget.js differs is reported."""
    node = _node_or_skip()
    copy = tmp_path / "repo"
    for part in ("widget", "tools/build-widget.mjs", "chatserver/static/shared"):
        source, target = ROOT / part, copy / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    (copy / "tools" / "node_modules").symlink_to(TOOLS / "node_modules")
    widget = copy / "widget" / "widget.js"
    widget.write_text(widget.read_text(encoding="utf-8") + "\n// edited by hand\n", encoding="utf-8")
    run = subprocess.run([node, str(copy / "tools" / "build-widget.mjs"), "--check"], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 1 and "stale" in run.stderr
