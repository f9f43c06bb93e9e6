"""A call through TURN only (VC-6): coturn on loopback with use-auth-secret, the hub
handing out its REST credentials, both pages with iceTransportPolicy "relay"."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

from playwright.async_api import expect

from signaling.config import VideoConfig
from tests.helpers import free_port, make_tenant, make_user, running_server, with_section
from tests.signaling.browser.test_call import media_flowing

SECRET = "turn-test-secret"

# The candidate pair each page's peer uses: its local and remote candidate types.
PAIR_TYPES = """async () => {
  const out = [];
  for (const peer of window.__call.peers.values()) {
    const stats = await peer.pc.getStats();
    const byId = new Map(); stats.forEach((s) => byId.set(s.id, s));
    stats.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        const pair = byId.get(s.selectedCandidatePairId);
        out.push([byId.get(pair.localCandidateId).candidateType, byId.get(pair.remoteCandidateId).candidateType]);
      }
    });
  }
  return out;
}"""


@contextlib.contextmanager
def coturn() -> Iterator[int]:
    """turnserver on 127.0.0.1, a free port, relaying between loopback peers."""
    binary = shutil.which("turnserver")
    if binary is None:
        raise RuntimeError("coturn is not installed: apt-get install coturn (scripts/test.sh does)")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([
            binary, "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", f"--listening-port={port}",
            "--use-auth-secret", f"--static-auth-secret={SECRET}", "--realm=chatserver.test",
            "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli", "--fingerprint",
            "--min-port=49160", "--max-port=49400", f"--pidfile={tmp}/turn.pid", "--log-file=stdout",
            "--simple-log", "--no-stdout-log",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while True:  # up when its TCP listener answers
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
                assert proc.poll() is None and time.monotonic() < deadline, "turnserver did not start"
                time.sleep(0.05)
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=10)


async def test_a_call_connects_through_turn_alone(server, open_call):
    with coturn() as port:
        config = with_section(server.config, VideoConfig, turn_urls=(f"turn:127.0.0.1:{port}?transport=udp",),
                              turn_secret=SECRET)
        async with running_server(config) as srv:
            org = await make_tenant(srv)
            anna = await make_user(srv, org, "Anna")
            room = (await anna.rest("POST", "/api/video/rooms", {"title": "Via TURN"}))["room"]
            # The members get short-lived coturn credentials with their join.
            await anna.connect()
            ack = await anna.request("video.join", {"room": room["token"]})
            (turn,) = ack["ice_servers"]
            assert turn["urls"] == [f"turn:127.0.0.1:{port}?transport=udp"]
            expiry, who = turn["username"].split(":")
            assert int(expiry) > time.time() and who == f"p{ack['participant']['id']}"
            await anna.request("video.leave", {})

            pages = [await open_call(room["token"], session=session, query="?relay=1&quality=low", base=srv.url)
                     for session in ({"token": anna.token, "user": anna.user}, None)]
            await pages[1].get_by_test_id("guest-name").fill("Jan")
            for page in pages:
                await page.get_by_test_id("join").click()
            await media_flowing(pages[0], ["Jan"])
            await media_flowing(pages[1], ["Anna"])
            for page in pages:
                assert await page.evaluate(PAIR_TYPES) == [["relay", "relay"]]
            await expect(pages[0].get_by_test_id("tile-state")).to_have_text([""])
