"""A returning visitor's earlier conversations: the operators of the organisation see the
other conversations of visitors who gave the same e-mail address, never another
organisation's, and nobody else may ask."""

from __future__ import annotations

from tests.livechat.service.helpers import make_org, write
from tests.livechat.service.test_canned import refused


async def chat_with_email(org, op, text: str, email: str) -> int:
    vis, _ = await org.visitor()
    conv_id = (await write(vis, text))["conversation"]["id"]
    await op.rest("PUT", f"/api/livechat/conversations/{conv_id}/visitor", {"email": email})
    return conv_id


async def test_earlier_conversations_by_email_within_the_organisation(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    first = await chat_with_email(org, olga, "Mijn eerste vraag", "Jan@Example.nl")
    await olga.rest("POST", f"/api/livechat/conversations/{first}/resolve", {})
    stranger = await chat_with_email(org, olga, "Iemand anders", "piet@example.nl")
    now = await chat_with_email(org, olga, "Ik ben er weer", "jan@example.nl ")

    got = await olga.rest("GET", f"/api/livechat/conversations/{now}/earlier")
    assert got["email"] == "jan@example.nl"
    assert [(c["id"], c["state"], c["first_message"]) for c in got["conversations"]] == [
        (first, "resolved", "Mijn eerste vraag")
    ]
    assert got["conversations"][0]["created_at"] and got["conversations"][0]["resolved_at"]
    back = await olga.rest("GET", f"/api/livechat/conversations/{first}/earlier")
    assert [(c["id"], c["state"]) for c in back["conversations"]] == [(now, "incoming")]
    assert (await olga.rest("GET", f"/api/livechat/conversations/{stranger}/earlier"))["conversations"] == []
    # No address known: nothing to match on.
    vis, _ = await org.visitor()
    nameless = (await write(vis, "Hallo"))["conversation"]["id"]
    assert await olga.rest("GET", f"/api/livechat/conversations/{nameless}/earlier") == {"email": "", "conversations": []}

    # Another organisation with a visitor of the same address sees only its own.
    other = await make_org(server, "ander-bureau")
    otto = await other.operator("Otto Ander")
    theirs = await chat_with_email(other, otto, "Bij de buren", "jan@example.nl")
    assert (await otto.rest("GET", f"/api/livechat/conversations/{theirs}/earlier"))["conversations"] == []
    status, error = await refused(otto, "GET", f"/api/livechat/conversations/{now}/earlier")
    assert status == 404
    assert [c["id"] for c in (await olga.rest("GET", f"/api/livechat/conversations/{now}/earlier"))["conversations"]] == [first]
    # The visitor may not ask.
    status, _ = await refused(vis, "GET", f"/api/livechat/conversations/{now}/earlier")
    assert status in (401, 403)

