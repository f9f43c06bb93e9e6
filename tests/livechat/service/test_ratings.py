"""Ratings (CSAT): the visitor rates a resolved chat once per resolution; operators see
the rating on the conversation and the organisation's mean in the overview."""

from __future__ import annotations

import pytest

from chatserver.client import ClientError
from tests.helpers import exact_events
from tests.livechat.service.helpers import make_org, reply, write


async def test_the_visitor_rates_a_resolved_chat_once_per_resolution(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    bram = await org.operator("Bram de Vries")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hoe laat sluiten jullie?"))["conversation"]["id"]
    await reply(olga, conv_id, "Om 17 uur.")

    # Not before it is resolved.
    with pytest.raises(ClientError) as err:
        await vis.request("livechat.rate", {"score": 5})
    assert err.value.code == "conversation_not_resolved"
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve", {})
    assert (await vis.rest("GET", "/api/livechat/visitor/conversation"))["conversation"]["rating"] is None

    for data, field, code in (
        ({"score": 0}, "score", "out_of_range"),
        ({"score": 6}, "score", "out_of_range"),
        ({"score": "5"}, "score", "wrong_type"),
        ({}, "score", "missing_field"),
        ({"score": 4, "comment": "x" * 1001}, "comment", "too_long"),
    ):
        with pytest.raises(ClientError) as err:
            await vis.request("livechat.rate", data)
        assert err.value.code == code, data
        assert field in err.value.message

    async with exact_events({olga: ["livechat.updated"], bram: ["livechat.updated"], vis: ["livechat.updated"]}) as got:
        ack = await vis.request("livechat.rate", {"score": 4, "comment": "  Snel geholpen!  "})
    rating = ack["conversation"]["rating"]
    assert (rating["score"], rating["comment"]) == (4, "Snel geholpen!")
    assert got[bram][0]["data"]["conversation"]["rating"]["score"] == 4
    assert got[vis][0]["data"]["conversation"]["rating"]["score"] == 4
    with pytest.raises(ClientError) as err:
        await vis.request("livechat.rate", {"score": 1})
    assert err.value.code == "already_rated"
    conv = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    assert conv["rating"]["score"] == 4 and conv["rating"]["comment"] == "Snel geholpen!"
    overview = await olga.rest("GET", "/api/livechat/overview")
    assert (overview["avg_rating"], overview["ratings"]) == (4.0, 1)

    # Written again, resolved again: a new rating; operators keep seeing the latest.
    await write(vis, "Nog een vraag")
    assert (await vis.rest("GET", "/api/livechat/visitor/conversation"))["conversation"]["rating"] is None
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve", {})
    await vis.request("livechat.rate", {"score": 1})
    overview = await olga.rest("GET", "/api/livechat/overview")
    assert (overview["avg_rating"], overview["ratings"]) == (2.5, 2)
    # Per operator: the chats each had when rated.
    ops = {o["name"]: (o["avg_rating"], o["ratings"]) for o in (await olga.rest("GET", "/api/livechat/operators"))["operators"]}
    assert ops == {"Olga Bakker": (2.5, 2), "Bram de Vries": (None, 0)}
    assert (await olga.rest("GET", f"/api/livechat/conversations/{conv_id}"))["rating"]["score"] == 1


async def test_ratings_stay_in_their_organisation_and_only_visitors_rate(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve", {})
    await vis.request("livechat.rate", {"score": 5})
    other = await make_org(server, "concurrent")
    tom = await other.operator("Tom Anders")
    overview = await tom.rest("GET", "/api/livechat/overview")
    assert (overview["avg_rating"], overview["ratings"]) == (None, 0)
    # A colleague's connection has no livechat.rate.
    with pytest.raises(ClientError) as err:
        await olga.request("livechat.rate", {"score": 1})
    assert err.value.code in ("not_allowed", "unknown_type")
    assert (await olga.rest("GET", "/api/livechat/overview"))["ratings"] == 1
