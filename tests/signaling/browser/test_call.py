"""A video call in Chromium (VC-3, VC-4): a colleague and a guest see and hear each
other, mute and camera reach the other side, the organiser's password keeps others out."""

from __future__ import annotations

import time
from typing import Any

from playwright.async_api import Page, expect

from tests.browser.ui import shoot
from tests.helpers import make_tenant, make_user

# What the page's peers receive: frames decoded and audio bytes per remote participant.
INBOUND = """async () => {
  const out = [];
  for (const peer of window.__call.peers.values()) {
    const stats = await peer.pc.getStats();
    let frames = 0, audio = 0;
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') audio += s.bytesReceived || 0;
    });
    out.push({ name: peer.name, frames, audio, signaling: peer.pc.signalingState,
               ice: peer.pc.iceConnectionState, connection: peer.pc.connectionState });
  }
  return out;
}"""


async def media_flowing(page: Page, names: list[str], timeout: float = 20) -> None:
    """Every one of ``names`` is decoded on ``page``: video frames and audio bytes arrive,
    and go on arriving (counted twice, the second count higher for each)."""
    async def inbound() -> dict[str, Any]:
        return {s["name"]: s for s in await page.evaluate(INBOUND)}

    def flowing(since: dict[str, Any], now: dict[str, Any]) -> bool:
        return sorted(now) == sorted(names) and all(
            now[n]["frames"] > since.get(n, {}).get("frames", 0) and now[n]["audio"] > since.get(n, {}).get("audio", 0)
            for n in names)

    deadline = time.monotonic() + timeout
    first: dict[str, Any] = {}
    while not flowing({}, first := await inbound()):
        assert time.monotonic() < deadline, f"nothing decoded of {names}: {first}"
        await page.wait_for_timeout(200)
    later = first
    while not flowing(first, later := await inbound()):
        assert time.monotonic() < deadline, ("decoding stopped", names, first, later)
        await page.wait_for_timeout(200)


async def test_colleague_and_guest_see_and_hear_each_other(server, open_call, artifacts):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna Jansen")
    room = (await anna.rest("POST", "/api/video/rooms", {"title": "Interview Jan"}))["room"]

    host = await open_call(room["token"], session={"token": anna.token, "user": anna.user})
    await expect(host.get_by_test_id("call-title")).to_have_text("Interview Jan")
    await host.get_by_test_id("join").click()
    await expect(host.get_by_test_id("alone")).to_be_visible()
    await expect(host.get_by_test_id("call-state")).to_have_text("Connected")
    # The organiser sets a password from the call (VC-4).
    await host.get_by_test_id("set-password").click()
    await host.get_by_test_id("new-password").fill("geheim-123")
    await host.get_by_test_id("save-password").click()
    await expect(host.get_by_test_id("call-message")).to_have_text("Password saved")
    # The link by e-mail, from the call (VC-3): no SMTP here, so it waits in the outbox.
    await host.get_by_test_id("invite-email").fill("jan@example.nl")
    await host.get_by_test_id("invite-name").fill("Jan de Vries")
    await host.get_by_test_id("invite-send").click()
    await expect(host.get_by_test_id("call-message")).to_have_text("The link was sent to jan@example.nl.")

    guest = await open_call(room["token"], locale="nl-NL")
    guest_sockets: list[str] = []
    guest.on("websocket", lambda ws: guest_sockets.append(ws.url))
    await expect(guest.get_by_test_id("join")).to_have_text("Deelnemen")
    await expect(guest.get_by_test_id("invite-form")).to_be_hidden()
    await expect(guest.get_by_test_id("room-password")).to_be_visible()
    await guest.get_by_test_id("guest-name").fill("Jan de Vries")
    await guest.get_by_test_id("room-password").fill("wrong")
    await guest.get_by_test_id("join").click()
    await expect(guest.get_by_test_id("join-error")).to_have_text("Onjuist wachtwoord.")
    await guest.get_by_test_id("room-password").fill("geheim-123")
    await guest.get_by_test_id("join").click()

    await expect(host.get_by_test_id("tile-name")).to_have_text(["Jan de Vries"])
    await expect(guest.get_by_test_id("tile-name")).to_have_text(["Anna Jansen"])
    await media_flowing(host, ["Jan de Vries"])
    await media_flowing(guest, ["Anna Jansen"])
    await expect(host.get_by_test_id("tile-state")).to_have_text([""])  # connected: no warning shown
    await shoot(host, artifacts, "video-call-host")
    await shoot(guest, artifacts, "video-call-guest-nl")

    # Mute and camera off show on the other side; back on, they clear.
    await guest.get_by_test_id("mute").click()
    await guest.get_by_test_id("camera").click()
    await expect(host.get_by_test_id("tile-flags")).to_have_text(["muted · camera off"])
    await guest.get_by_test_id("mute").click()
    await expect(host.get_by_test_id("tile-flags")).to_have_text(["camera off"])

    # The guest leaves; the organiser sees them go and waits alone.
    await guest.get_by_test_id("leave").click()
    await expect(guest.get_by_test_id("after-text")).to_have_text("U heeft het gesprek verlaten.")
    await expect(host.get_by_test_id("alone")).to_be_visible()
    assert host.js_errors == [] and guest.js_errors == []  # type: ignore[attr-defined]
    # The guest's socket opened with a one-use ticket, never the guest's token in its URL.
    assert len(guest_sockets) == 1 and "/ws?ticket=" in guest_sockets[0], guest_sockets


async def test_three_people_in_one_room_and_the_organiser_ends_it(server, open_call, artifacts):
    org = await make_tenant(server)
    anna = await make_user(server, org, "Anna")
    bram = await make_user(server, org, "Bram")
    room = (await anna.rest("POST", "/api/video/rooms", {"title": "Team"}))["room"]
    pages = [await open_call(room["token"], session={"token": c.token, "user": c.user}, query="?quality=low")
             for c in (anna, bram)]
    pages.append(await open_call(room["token"], query="?quality=low"))
    await pages[2].get_by_test_id("guest-name").fill("Gast")
    for page in pages:
        await page.get_by_test_id("join").click()
        await expect(page.get_by_test_id("call-state")).to_have_text("Connected")
    await media_flowing(pages[0], ["Bram", "Gast"])
    await media_flowing(pages[1], ["Anna", "Gast"])
    await media_flowing(pages[2], ["Anna", "Bram"])
    await shoot(pages[2], artifacts, "video-call-three")

    # The organiser removes the guest, then ends the call for everyone.
    await pages[0].get_by_test_id("tile").filter(has_text="Gast").get_by_test_id("remove").click()
    await expect(pages[2].get_by_test_id("after-text")).to_have_text("The organiser removed you from the call.")
    await expect(pages[0].get_by_test_id("tile-name")).to_have_text(["Bram"])
    await pages[0].get_by_test_id("end-all").click()
    await expect(pages[1].get_by_test_id("after-text")).to_have_text("The call has ended.")
    await expect(pages[1].get_by_test_id("rejoin")).to_be_hidden()
