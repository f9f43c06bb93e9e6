"""The transcript limit is one count for all nodes: a visitor whose requests land on two
nodes (two servers sharing the database, as behind a load balancer) gets three transcripts
an hour in all, not three per node; an hour later they may ask again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chatserver.client import ChatClient, ClientError
from chatserver.clock import FakeClock
from tests.helpers import running_server
from tests.livechat.service.helpers import make_org, write


async def test_two_nodes_share_the_hourly_transcript_limit(config):
    clock = FakeClock(datetime(2026, 3, 30, 10, 0, tzinfo=UTC))
    async with running_server(config, clock=clock) as node_a, running_server(config, clock=clock) as node_b:
        org = await make_org(node_a)
        jan_a, _ = await org.visitor()
        await write(jan_a, "Mag ik het verslag?")
        jan_b = ChatClient(node_b.url, jan_a.token)  # the same visitor, on the other node
        node_b.clients.append(jan_b)
        await jan_b.connect()

        ask = {"email": "jan@example.nl"}
        assert (await jan_a.request("livechat.transcript", ask))["to"] == "jan@example.nl"
        assert (await jan_b.request("livechat.transcript", ask))["to"] == "jan@example.nl"
        assert (await jan_a.request("livechat.transcript", ask))["to"] == "jan@example.nl"
        for node in (jan_b, jan_a):  # the fourth, on either node
            with pytest.raises(ClientError) as err:
                await node.request("livechat.transcript", ask)
            assert err.value.code == "rate_limited"
        clock.advance(3601)
        assert (await jan_b.request("livechat.transcript", ask))["to"] == "jan@example.nl"
