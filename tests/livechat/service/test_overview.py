"""The overview figures (LC-9) from stored timestamps, on a clock the test moves."""

from __future__ import annotations

from chatserver.clock import FakeClock
from tests.helpers import running_server
from tests.livechat.service.helpers import make_org, reply, write


async def test_overview_figures_match_a_scripted_day(config):
    clock = FakeClock()
    async with running_server(config, clock=clock) as server:
        org = await make_org(server)
        olga = await org.operator("Olga Bakker")
        await org.operator("Piet Jansen", online=False)

        async def chat(first_response: float, resolution: float | None) -> int:
            vis, _ = await org.visitor()
            conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
            clock.advance(first_response)
            await reply(olga, conv_id, "Goedemiddag")
            if resolution is not None:
                clock.advance(resolution - first_response)
                await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/resolve")
            return conv_id

        empty = await olga.rest("GET", "/api/livechat/overview")
        assert empty["incoming"] == 0 and empty["longest_resolution_s"] is None and empty["resolved_share"] == 0

        await chat(30, 120)   # answered after 30 s, resolved after 2 minutes
        await chat(90, 600)   # answered after 90 s, resolved after 10 minutes
        await chat(60, None)  # answered after a minute, still active
        waiting, _ = await org.visitor()
        await write(waiting, "Is daar iemand?")  # incoming, unanswered
        clock.advance(3600)  # time passing changes no stored figure

        figures = await olga.rest("GET", "/api/livechat/overview")
        assert figures == {
            "incoming": 1,
            "active": 1,
            "resolved": 2,
            "operators_online": 1,
            "operators_offline": 1,
            "longest_resolution_s": 600,
            "shortest_resolution_s": 120,
            "avg_first_response_s": 60,
            "online_agents": ["Olga Bakker"],
            "resolved_share": 0.5,
            # Nobody rated a chat (tests/livechat/service/test_ratings.py).
            "avg_rating": None,
            "ratings": 0,
        }
