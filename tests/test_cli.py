"""The README's first command works: `chatserver serve --demo` on the embedded default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from chatserver.client import ChatClient
from tests.helpers import free_port, serve_process, wait_http

# Run once (scripts/test.sh): the commands run on their own SQLite file whatever CHATSERVER_TEST_DB says.
pytestmark = pytest.mark.dbindependent


async def test_serve_demo_on_embedded_default(tmp_path):
    port = free_port()
    env = {"CHATSERVER_DATABASE_URL": "", "CHATSERVER_REDIS_URL": "", "PWD": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "chatserver", "serve", "--demo", "--port", str(port), "--log-level", "warning"],
        cwd=tmp_path, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_http(url, timeout=120)  # the demo seeds (a recording too) before it listens
        async with httpx.AsyncClient(base_url=url) as http:
            health = (await http.get("/health")).json()
            assert health["bus"]["backend"] == "memory" and health["ok"] is True
            page = await http.get("/app")
            assert page.status_code == 200 and "<!doctype html" in page.text.lower()
            spec = (await http.get("/openapi.json")).json()
            assert "/api/auth/login" in spec["paths"] and "/api/contacts" in spec["paths"]
        anna = await ChatClient.login(url, "demo", "anna", "demo-password")
        bram = await ChatClient.login(url, "demo", "bram", "demo-password")
        try:
            # The demo made them contacts (chatserver/demo_activity.py).
            await bram.connect()
            await anna.connect()
            await anna.send_message(bram.user["id"], "Welkom!")
            got = await bram.next_event("chat.message")
            assert got["data"]["message"]["body"] == "Welkom!"
            # Olga's console: canned responses, labels, the waiting visitor labelled.
            olga = await ChatClient.login(url, "demo", "olga", "demo-password")
            assert len((await olga.rest("GET", "/api/livechat/canned"))["canned"]) == 3
            labels = {x["id"]: x["name"] for x in (await olga.rest("GET", "/api/livechat/labels"))["labels"]}
            waiting = (await olga.rest("GET", "/api/livechat/conversations", state="incoming"))["conversations"]
            assert [[labels[i] for i in c["label_ids"]] for c in waiting] == [["Sollicitant"]]
            await olga.close()
        finally:
            await anna.close()
            await bram.close()
        assert (tmp_path / "chatserver.db").exists()
        # Video's demo recorder runs beside it (signaling.demo_recorder), pointed at this hub.
        recorders = _children(proc.pid, b"video-recorder")
        assert len(recorders) == 1 and f"--hub-url\0http://127.0.0.1:{port}".encode() in recorders[0][1]
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert b"password: demo-password" in out
    assert not Path(f"/proc/{recorders[0][0]}").exists()  # stopped with the server


def _children(pid: int, marker: bytes) -> list[tuple[int, bytes]]:
    """The processes ``pid`` started whose command line holds ``marker`` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if ppid == pid and marker in cmdline:
            found.append((int(entry.name), cmdline))
    return found


async def test_admin_commands_create_tenant_and_user(tmp_path):
    env = {**os.environ, "CHATSERVER_DATABASE_URL": f"sqlite:///{tmp_path / 'admin.db'}"}

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "chatserver", *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "tenant acme created" in run("create-tenant", "acme", "--name", "Acme")
    assert "user jo created" in run("create-user", "acme", "jo", "--name", "Jo", "--password", "a-good-password")
    port = free_port()
    proc = serve_process(port, {"CHATSERVER_DATABASE_URL": env["CHATSERVER_DATABASE_URL"]})
    try:
        url = f"http://127.0.0.1:{port}"
        await wait_http(url)
        jo = await ChatClient.login(url, "acme", "jo", "a-good-password")
        assert (await jo.rest("GET", "/api/me"))["user"]["name"] == "Jo"
        await jo.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
