"""A flood of oversized frames over a real socket: refused, counted towards the flood, and
the connection closed with 1008 long before the flooder is done (it used to go on for ever)."""

from __future__ import annotations

import json

from websockets.exceptions import ConnectionClosed

from chatserver.protocol import CloseCode, Session
from tests.helpers import two_contacts


async def test_oversized_frames_are_closed_as_a_flood_while_others_go_on(server):
    _, flooder, bram = await two_contacts(server)
    await flooder.connect()
    await bram.connect()
    limit = server.config.max_frame_bytes
    big = json.dumps({"type": "ping", "id": "big", "data": {"pad": "x" * (limit + 36 * 1024)}})
    assert limit < len(big) < 2 * limit  # refused by the session, not by the server's frame cap
    sent = 0
    try:
        while sent < 1500:
            await flooder.send_raw(big)
            sent += 1
    except ConnectionClosed:
        pass
    refused = 0
    while True:
        frame = await flooder.next_event()
        if frame["type"] == "_closed":
            break
        if frame["type"] == "presence.changed":
            continue
        assert frame["type"] == "error" and frame["error"]["code"] in ("too_large", "rate_limited"), frame
        refused += 1
    assert frame["data"]["code"] == CloseCode.POLICY
    print(f"closed after {refused} refusals, {sent} frames sent")
    assert Session.FLOOD_LIMIT <= refused < 1500
    assert await bram.request("ping") == {"pong": True}
