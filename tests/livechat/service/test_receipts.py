"""Read receipts: the visitor's widget learns that an operator opened the conversation and
read what they wrote ("Seen"/"Gezien"), and only the visitor is told."""

from __future__ import annotations

from tests.helpers import exact_events
from tests.livechat.service.helpers import make_org, reply, write


async def test_opening_the_chat_tells_the_visitor_it_was_seen(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    bram = await org.operator("Bram de Vries")
    vis, _ = await org.visitor()
    answer = await write(vis, "Is de vacature nog open?")
    conv_id = answer["conversation"]["id"]
    assert answer["conversation"]["seen"] is False

    async with exact_events({vis: ["livechat.read"], olga: [], bram: []}) as got:
        await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    assert got[vis][0]["data"] == {"conversation_id": conv_id}
    history = await vis.rest("GET", "/api/livechat/visitor/conversation")
    assert history["conversation"]["seen"] is True

    # Opened again with nothing new: no second receipt.
    async with exact_events({vis: [], bram: []}):
        await bram.rest("GET", f"/api/livechat/conversations/{conv_id}")

    # A new line is unseen until someone opens the chat or answers it.
    assert (await write(vis, "En in Utrecht?"))["conversation"]["seen"] is False
    await reply(olga, conv_id, "Ja, ook daar.")
    history = await vis.rest("GET", "/api/livechat/visitor/conversation")
    assert history["conversation"]["seen"] is True
