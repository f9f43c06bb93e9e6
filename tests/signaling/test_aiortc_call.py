"""Two aiortc peers call each other through our signaling (VC-6), without a browser:
offer, answer and candidates go over /ws, audio and video frames arrive."""

from __future__ import annotations

from tests.helpers import two_contacts
from tests.signaling.peers import AiortcMember


async def test_two_aiortc_peers_exchange_audio_and_video_through_the_hub(server):
    _, anna, bram = await two_contacts(server)
    room = (await anna.rest("POST", "/api/video/calls", {"to": bram.user["id"]}))["room"]
    await anna.connect()
    await bram.connect()
    a, b = AiortcMember(anna), AiortcMember(bram)
    try:
        await a.join(room["token"])
        ack = await b.join(room["token"])
        await b.offer_to(ack["participants"][0]["id"])  # the newcomer calls who is there
        assert await a.frames("video", 5) == 5
        assert await a.frames("audio", 5) == 5
        assert await b.frames("video", 5) == 5
    finally:
        await a.close()
        await b.close()
