"""No token in the server's log: `chatserver serve --log-level info` as run in production,
its whole output captured while clients connect with ?ticket=... and ?token=..."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
import websockets

from chatserver.client import ChatClient
from chatserver.log_redact import redact
from tests.helpers import free_port, wait_http

# Run once (scripts/test.sh): the server runs on its embedded SQLite whatever CHATSERVER_TEST_DB says.
pytestmark = pytest.mark.dbindependent


def test_redact_names_secret_parameters_however_spelled():
    line = '1.2.3.4:5 - "GET /ws?x=1&token=abc.DEF&%74oken=zz&Secret=s&q=anna HTTP/1.1" 101'
    assert redact(line) == ('1.2.3.4:5 - "GET /ws?x=1&token=[redacted]&%74oken=[redacted]&Secret=[redacted]'
                            '&q=anna HTTP/1.1" 101')


async def test_the_access_log_never_shows_a_token(tmp_path):
    port = free_port()
    env = {**os.environ, "CHATSERVER_DATABASE_URL": "", "CHATSERVER_REDIS_URL": "", "PWD": str(tmp_path)}
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "chatserver", "serve", "--demo", "--port", str(port), "--log-level", "info"],
            cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            await wait_http(url, timeout=90)  # the demo seeds first: slow on a busy machine
            anna = await ChatClient.login(url, "demo", "anna", "demo-password")
            token = anna.token
            try:
                # As browsers connect (a one-use ticket), and as they did before (the
                # token in the query string: deprecated, still taken from API clients).
                ticket = (await anna.rest("POST", "/api/ws/ticket"))["ticket"]
                for query in (f"ticket={ticket}", f"token={token}"):
                    async with websockets.connect(f"ws://127.0.0.1:{port}/ws?{query}") as ws:
                        await ws.send('{"type": "hello", "id": "h1"}')
                        assert '"ack"' in await ws.recv()
                async with httpx.AsyncClient(base_url=url) as http:
                    await http.get(f"/api/me?token={token}", headers={"Authorization": f"Bearer {token}"})
                    await http.get(f"/api/sms/reports/spryng?secret=not-{token}&x=1")
            finally:
                await anna.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    text = log.read_text()
    assert "/ws?token=[redacted]" in text, text[-2000:]  # the lines are there, without the token
    assert "/ws?ticket=[redacted]" in text and ticket not in text
    assert "/api/me?token=[redacted]" in text
    assert token not in text


def test_redact_hides_media_link_signatures_and_room_link_tokens():
    line = ('"GET /api/video/recordings/5/file?user=3&expires=99&signature=c2lnbmVk HTTP/1.1" 206; '
            '"GET /v/Zk3x_9q HTTP/1.1" 200; "POST /api/video/rooms/Zk3x_9q/guests HTTP/1.1" 201')
    assert redact(line) == ('"GET /api/video/recordings/5/file?user=3&expires=99&signature=[redacted] HTTP/1.1" 206; '
                            '"GET /v/[redacted] HTTP/1.1" 200; "POST /api/video/rooms/[redacted]/guests HTTP/1.1" 201')
    assert redact('"POST /api/video/rooms HTTP/1.1" 201') == '"POST /api/video/rooms HTTP/1.1" 201'
