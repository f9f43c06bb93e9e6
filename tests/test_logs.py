"""Structured logs: `chatserver serve` with CHATSERVER_LOG_FORMAT=json writes one JSON object a
line, each HTTP request's lines carry its id (also in its X-Request-ID), each socket's its
connection id, and no line carries a token, in JSON or text."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
import websockets

from chatserver import logs
from chatserver.client import ChatClient
from tests.helpers import free_port, wait_http

# Run once (scripts/test.sh): the server runs on its embedded SQLite whatever CHATSERVER_TEST_DB says.
pytestmark = pytest.mark.dbindependent


async def test_json_lines_carry_the_request_and_connection_ids_and_no_token(tmp_path):
    port = free_port()
    env = {**os.environ, "CHATSERVER_DATABASE_URL": "", "CHATSERVER_REDIS_URL": "", "PWD": str(tmp_path),
           "CHATSERVER_LOG_FORMAT": "json"}
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "chatserver", "serve", "--demo", "--port", str(port), "--log-level", "info"],
            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=out,  # the log is standard error
        )
        url = f"http://127.0.0.1:{port}"
        try:
            await wait_http(url)
            anna = await ChatClient.login(url, "demo", "anna", "demo-password")
            token, anna_id = anna.token, anna.user["id"]
            try:
                async with httpx.AsyncClient(base_url=url) as http:
                    mine = await http.get("/health/live", headers={"X-Request-ID": "lb-check-42"})
                    assert mine.headers["X-Request-ID"] == "lb-check-42"
                    # An id that could forge a log line is replaced by one of ours.
                    forged = await http.get("/health/live", headers={"X-Request-ID": 'x" level=error'})
                    ours = forged.headers["X-Request-ID"]
                    assert len(ours) == 16 and ours != 'x" level=error'
                    me = await http.get(f"/api/me?token={token}", headers={"Authorization": f"Bearer {token}"})
                    assert me.status_code == 200
                    me_id = me.headers["X-Request-ID"]
                    wrong = await http.post("/api/auth/login", json={"tenant": "demo", "username": "anna",
                                                                    "password": "not-" + token})
                    assert wrong.status_code == 401
                # As a browser connects: the token in the query string.
                async with websockets.connect(f"ws://127.0.0.1:{port}/ws?token={token}") as ws:
                    await ws.send('{"type": "hello", "id": "h1"}')
                    hello = json.loads(await ws.recv())
                    conn_id = hello["data"]["conn_id"]
            finally:
                await anna.close()
            # The closing line is written once the server saw the socket go.
            await _wait_for_line(log, "connection closed")
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    text = log.read_text()
    assert token not in text
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]  # every line is JSON
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any(line.get("request_id") == "lb-check-42" and "/health/live" in line["message"] for line in lines)
    assert any(line.get("request_id") == ours for line in lines)
    access = [line for line in lines if "/api/me" in line["message"]]
    assert access and access[0]["request_id"] == me_id and "token=[redacted]" in access[0]["message"]
    socket_lines = [line for line in lines if line.get("conn_id") == conn_id]
    assert [line["message"].split(" (")[0] for line in socket_lines] == ["connection opened", "connection closed"]
    assert all(line["user_id"] == anna_id for line in socket_lines)


async def _wait_for_line(log: object, needle: str) -> None:
    import asyncio
    import time
    from pathlib import Path

    assert isinstance(log, Path)
    deadline = time.monotonic() + 10
    while needle not in log.read_text():
        assert time.monotonic() < deadline, f"no {needle!r} line"
        await asyncio.sleep(0.05)


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    yield io.StringIO()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_no_secret_reaches_a_line_from_any_logger_in_either_format(captured, fmt):
    logs.configure(fmt, "INFO", stream=captured)
    logs.bind_connection("c0ffee", 7)
    try:
        raise ValueError("could not fetch https://example.test/cb?secret=hunter2&id=5")
    except ValueError:
        logging.getLogger("chatserver.anything").exception("call to %s failed", "/ws?token=abc.def")
    logs.unbind()
    logging.getLogger("sms.dispatcher").info("plain line")
    out = captured.getvalue()
    assert "hunter2" not in out and "abc.def" not in out
    assert "secret=[redacted]" in out and "token=[redacted]" in out
    first, second = out.splitlines()[0], out.splitlines()[-1]
    if fmt == "json":
        line = json.loads(first)
        assert (line["conn_id"], line["user_id"], line["level"]) == ("c0ffee", 7, "error")
        assert "ValueError" in line["exc"]
        assert "conn_id" not in json.loads(second)
    else:
        assert first.endswith("[conn_id=c0ffee user_id=7]")
        assert second.endswith("plain line")
