"""schemathesis against a live server, with every check on: the REST API keeps to its
/openapi.json for a colleague and for a key-user who is also SMS-admin.

The server runs in this test's event loop (tests.helpers.running_server, on SQLite as
the rest of the suite); schemathesis runs as its command-line tool in a subprocess, so
the loop keeps serving while it waits. Every check is on (``--checks all``): no 5xx, every
answer's status, media type, headers and body as documented, schema-valid input taken
(tests/openapi/schemathesis.toml says which refusals are the server's own rules),
invalid input refused, undeclared methods 405 with Allow, auth not ignored, plus our
check (tests/openapi/checks.py) that nothing is refused for a rule the document leaves out.

Bounded for CI: a few examples per operation, no shrinking, a request timeout, and each
run cut off at :data:`DEADLINE_SECONDS`. The colleague's run has every phase, the
coverage phase too (every boundary and every wrong type of every field and parameter,
undeclared methods, missing auth: about 4,000 requests, most of the time); the key-user's
runs the generated examples, the fuzzing and the stateful phases (what differs by role
is what the server allows, not what it takes). Logout is left out: it would revoke the
token every later request uses. It runs once, on SQLite (marker ``dbindependent``,
scripts/test.sh): what it checks is the HTTP layer, not the database.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import Server, make_tenant, make_user

pytestmark = pytest.mark.dbindependent

HERE = Path(__file__).parent / "openapi"
EXAMPLES_PER_OPERATION = 3
DEADLINE_SECONDS = 300  # per run: a hang or a slow machine fails the test instead of eating CI's time
SEED = os.environ.get("CHATSERVER_FUZZ_SEED", "20261206")


async def _schemathesis(server: Server, token: str, phases: str, report: Path) -> tuple[int, str]:
    args = [
        sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()",
        "--config-file", str(HERE / "schemathesis.toml"), "--no-color",
        "run", f"{server.url}/openapi.json",
        "--checks", "all", "--phases", phases,
        "--max-examples", str(EXAMPLES_PER_OPERATION),
        "--seed", SEED, "--no-shrink", "--generation-database", "none",
        "--request-timeout", "20", "--workers", "1",
        "--header", f"Authorization: Bearer {token}",
        "--exclude-operation-id", "post_api_auth_logout",
        "--report", "junit", "--report-junit-path", str(report),
    ]
    root = Path(__file__).parent.parent
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.openapi.checks",
           "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    proc = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.STDOUT, env=env, cwd=report.parent)
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), DEADLINE_SECONDS)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        pytest.fail(f"schemathesis took more than {DEADLINE_SECONDS} s")
    assert proc.returncode is not None
    return proc.returncode, out.decode("utf-8", "replace")


async def test_rest_api_keeps_to_its_openapi_document(server: Server, tmp_path: Path) -> None:
    tenant = await make_tenant(server)
    colleague = await make_user(server, tenant, "Anna de Vries")
    key = await make_user(server, tenant, "Kees Keyuser", role="key_user")
    await key.rest("PUT", f"/api/users/{key.user['id']}/settings/sms.admin", {"value": True})
    runs = [("colleague", colleague, "examples,coverage,fuzzing,stateful"),
            ("key-user and SMS-admin", key, "examples,fuzzing,stateful")]
    for role, client, phases in runs:
        started, cpu = time.monotonic(), _cpu()
        code, out = await _schemathesis(server, client.token, phases, tmp_path / f"{role[:3]}.xml")
        now = _cpu()
        print(f"schemathesis as {role} ({phases}): {time.monotonic() - started:.0f} s,"
              f" CPU {now[0] - cpu[0]:.0f} s server and test, {now[1] - cpu[1]:.0f} s schemathesis")
        summary = out[out.rfind("SUMMARY"):] if "SUMMARY" in out else out[-3000:]
        assert code == 0, f"schemathesis as {role} found problems:\n{out[-20000:]}"
        assert "Tested:" in summary, summary


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process (the server runs in it) and of finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime
