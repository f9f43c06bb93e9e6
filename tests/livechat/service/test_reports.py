"""Reports: per local day and per operator over a date range, as JSON and CSV, from chats
that really happened on a server whose clock the test moves (SQLite, or PostgreSQL with
CHATSERVER_TEST_DB=postgres)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from chatserver.client import ChatClient
from chatserver.clock import FakeClock
from chatserver.config import Config
from tests.helpers import PASSWORD, Server, make_user, running_server, unique
from tests.livechat.service.helpers import Org, make_org, reply, write

# Saturday 28 March 2026, 22:30 UTC: 23:30 in Amsterdam. Summer time starts that night
# (02:00 becomes 03:00), so Sunday the 29th has 23 hours there.
START = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)


@pytest.fixture
async def server(config: Config) -> AsyncIterator[Server]:
    async with running_server(config, clock=FakeClock(START)) as srv:
        yield srv


def _clock(server: Server) -> FakeClock:
    clock = server.services.clock
    assert isinstance(clock, FakeClock)
    return clock


async def _get(server: Server, token: str, path: str, **query: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as http:
        return await http.get(path, params=query)


async def _operator(server: Server, org: Org, display_name: str) -> ChatClient:
    """An operator as Org.operator makes one, with a display name that is no username."""
    from chatserver.actions import accounts

    username = unique("bram")
    await accounts.create_user(server.services, org.tenant["id"], username=username, password=PASSWORD,
                               display_name=display_name, function="Operator", role="user", email="")
    op = await ChatClient.login(server.url, org.tenant["slug"], username, PASSWORD)
    server.clients.append(op)
    for setting in ("livechat.enabled", "livechat.reachable"):
        await org.key.rest("PUT", f"/api/users/{op.user['id']}/settings/{setting}", {"value": True})
    await op.connect()
    await op.rest("PUT", "/api/livechat/availability", {"online": True})
    return op


async def _chats(server: Server, org: Org) -> dict[str, Any]:
    """Four chats over two nights; what each should count is said beside it."""
    clock = _clock(server)
    olga = await org.operator("Olga Bakker")
    bram = await _operator(server, org, '=Bram+ "de" Vries')  # a spreadsheet would run it as a formula

    # 1. Sat 23:30 Amsterdam: answered by Olga after 60 s, resolved 600 s later.
    vis, _ = await org.visitor()
    one = (await write(vis, "Hallo?"))["conversation"]["id"]
    clock.advance(60)
    await reply(olga, one, "Goedenavond!")
    clock.advance(600)
    await olga.rest("POST", f"/api/livechat/conversations/{one}/resolve", {})

    # 2. Sun 00:30 Amsterdam (still Saturday in UTC): Olga's private note after 10 s is
    # no response; Bram answers after 120 s, resolves after 300 s; the visitor rates 5.
    clock.advance(3600 - 660)
    vis2, _ = await org.visitor()
    two = (await write(vis2, "Zijn jullie open?"))["conversation"]["id"]
    clock.advance(10)
    await olga.rest("POST", f"/api/livechat/conversations/{two}/notes",
                    {"body": "Bram weet dit", "client_msg_id": uuid.uuid4().hex})
    clock.advance(110)
    await reply(bram, two, "Ja, tot 17 uur.")
    clock.advance(180)
    await bram.rest("POST", f"/api/livechat/conversations/{two}/resolve", {})
    await vis2.request("livechat.rate", {"score": 5})

    # 3. Sun 12:00 Amsterdam: the visitor writes twice; Olga answers 30 s after the
    # first; still active.
    clock.advance(datetime(2026, 3, 29, 10, 0, tzinfo=UTC).timestamp() - clock.now().timestamp())
    vis3, _ = await org.visitor()
    three = (await write(vis3, "Vraagje"))["conversation"]["id"]
    clock.advance(20)
    await write(vis3, "over mijn rooster")
    clock.advance(10)
    await reply(olga, three, "Zeg het maar")

    # 4. Sun 13:00 Amsterdam: nobody answers yet.
    clock.advance(3600)
    vis4, _ = await org.visitor()
    await write(vis4, "Iemand daar?")

    # 1 again. Sun 14:00 Amsterdam: the first visitor writes again, the chat reopens with
    # Olga: a second opening, answered after 40 s, resolved 200 s later.
    clock.advance(3600)
    await write(vis, "Nog één ding")
    clock.advance(40)
    await reply(olga, one, "Zeg het maar")
    clock.advance(200)
    await olga.rest("POST", f"/api/livechat/conversations/{one}/resolve", {})
    return {"olga": olga, "bram": bram}


async def test_days_and_operators_in_the_organisations_time_zone(server):
    org = await make_org(server)
    ops = await _chats(server, org)
    olga = ops["olga"]

    r = await _get(server, olga.token, "/api/livechat/reports", **{"from": "2026-03-28", "to": "2026-03-30",
                                                                   "tz": "Europe/Amsterdam"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert (data["from"], data["to"], data["tz"]) == ("2026-03-28", "2026-03-30", "Europe/Amsterdam")
    sat, sun, mon = data["days"]
    assert sat == {"date": "2026-03-28", "started": 1, "resolved": 1, "first_response_median_s": 60.0,
                   "first_response_p90_s": 60.0, "resolution_median_s": 660.0, "csat_average": None, "ratings": 0}
    # Chats 2, 3 and 4 and chat 1's reopening started on Sunday in Amsterdam; answers after
    # 120, 30 and 40 s (the middle one is the median; the nearest rank is the 90th
    # percentile); chat 2 and the reopened chat 1 resolved after 300 and 240 s.
    assert sun == {"date": "2026-03-29", "started": 4, "resolved": 2, "first_response_median_s": 40.0,
                   "first_response_p90_s": 120.0, "resolution_median_s": 270.0, "csat_average": 5.0, "ratings": 1}
    assert mon == {"date": "2026-03-30", "started": 0, "resolved": 0, "first_response_median_s": None,
                   "first_response_p90_s": None, "resolution_median_s": None, "csat_average": None, "ratings": 0}

    by_name = {o["name"]: o for o in data["operators"]}
    assert by_name["Olga Bakker"] == {
        "id": olga.user["id"], "name": "Olga Bakker", "chats": 3, "first_responses": 3,
        "first_response_median_s": 40.0, "resolved": 2, "resolution_median_s": 450.0, "csat_average": None,
        "ratings": 0,
    }
    bram = by_name['=Bram+ "de" Vries']
    assert (bram["chats"], bram["first_response_median_s"], bram["resolution_median_s"]) == (1, 120.0, 300.0)
    assert (bram["csat_average"], bram["ratings"]) == (5.0, 1)

    # One operator's days: only the chats in their hands, and their ratings.
    query = {"from": "2026-03-28", "to": "2026-03-29", "tz": "Europe/Amsterdam"}
    theirs = (await _get(server, olga.token, "/api/livechat/reports", **query, operator=str(bram["id"]))).json()
    assert theirs["operator"] == bram["id"]
    assert [(d["started"], d["resolved"], d["first_response_median_s"], d["csat_average"]) for d in theirs["days"]] \
        == [(0, 0, None, None), (1, 1, 120.0, 5.0)]
    assert len(theirs["operators"]) == 2  # the operators' table stays whole
    mine = (await _get(server, olga.token, "/api/livechat/reports", **query, operator=str(olga.user["id"]))).json()
    assert [(d["started"], d["resolved"]) for d in mine["days"]] == [(1, 1), (2, 1)]
    r = await _get(server, olga.token, "/api/livechat/reports/days.csv", **query, operator=str(bram["id"]))
    assert f'livechat-days-2026-03-28-to-2026-03-29-operator-{bram["id"]}.csv' in r.headers["content-disposition"]
    r = await _get(server, olga.token, "/api/livechat/reports", **query, operator="olga")
    assert (r.status_code, r.json()["error"]["details"]["field"]) == (400, "operator")

    # In UTC the second chat is Saturday's: the days move with the zone.
    utc = (await _get(server, olga.token, "/api/livechat/reports", **{"from": "2026-03-28", "to": "2026-03-29"}))
    sat, sun = utc.json()["days"]
    assert utc.json()["tz"] == "UTC"
    assert (sat["started"], sat["first_response_median_s"], sat["resolved"]) == (2, 90.0, 2)
    assert (sun["started"], sun["first_response_median_s"], sun["resolved"]) == (3, 35.0, 1)

    # Without a range: the last 30 days up to today (Sunday 29 March on the moved clock).
    last30 = (await _get(server, olga.token, "/api/livechat/reports")).json()
    assert (last30["from"], last30["to"], len(last30["days"])) == ("2026-02-28", "2026-03-29", 30)
    assert last30["days"][-1]["started"] == 3

    # A key-user who is no operator reads them too.
    assert (await _get(server, org.key.token, "/api/livechat/reports",
                       **{"from": "2026-03-29", "to": "2026-03-29"})).json()["days"][0]["started"] == 3


async def test_csv_files_quote_guard_formulas_and_name_themselves(server):
    org = await make_org(server)
    ops = await _chats(server, org)
    query = {"from": "2026-03-28", "to": "2026-03-29", "tz": "Europe/Amsterdam"}

    r = await _get(server, ops["olga"].token, "/api/livechat/reports/operators.csv", **query)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == \
        'attachment; filename="livechat-operators-2026-03-28-to-2026-03-29.csv"'
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in r.content
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["name", "chats", "first_responses", "first_response_median_s", "resolved",
                       "resolution_median_s", "csat_average", "ratings"]
    # The formula-like name is text: an apostrophe before it, the quotes kept by quoting.
    assert ["'=Bram+ \"de\" Vries", "1", "1", "120.0", "1", "300.0", "5.0", "1"] in rows
    assert ["Olga Bakker", "3", "3", "40.0", "2", "450.0", "", "0"] in rows
    assert "'=Bram+ \"\"de\"\" Vries" in r.content.decode("utf-8-sig")  # quotes doubled inside quotes

    r = await _get(server, ops["olga"].token, "/api/livechat/reports/days.csv", **query)
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows == [
        ["date", "started", "resolved", "first_response_median_s", "first_response_p90_s", "resolution_median_s",
         "csat_average", "ratings"],
        ["2026-03-28", "1", "1", "60.0", "60.0", "660.0", "", "0"],
        ["2026-03-29", "4", "2", "40.0", "120.0", "270.0", "5.0", "1"],
    ]
    assert 'filename="livechat-days-2026-03-28-to-2026-03-29.csv"' in r.headers["content-disposition"]


_BAD = [
    ({"from": "2026-3-1", "to": "2026-03-02"}, "from", "invalid_value"),
    ({"from": "2026-02-30", "to": "2026-03-02"}, "from", "invalid_value"),
    ({"from": "2026-03-02", "to": "2026-03-01"}, "from", "invalid_value"),
    ({"from": "2025-01-01", "to": "2026-01-02"}, "to", "range_too_long"),
    ({"from": "0001-01-01", "to": "2026-01-02"}, "from", "invalid_value"),
    ({"from": "2026-03-02", "to": "9999-12-31"}, "to", "invalid_value"),
    ({"from": "2026-03-01", "to": "2026-03-02", "tz": "Europe/Atlantis"}, "tz", "invalid_value"),
    ({"from": "2026-03-01", "to": "2026-03-02", "tz": "../../etc/passwd"}, "tz", "invalid_value"),
    ({"from": "2026-03-01", "to": "2026-03-02", "tz": "x" * 65}, "tz", "too_long"),
]


async def test_a_bad_range_or_zone_is_refused_naming_it(server):
    org = await make_org(server)
    for query, field, code in _BAD:
        for path in ("/api/livechat/reports", "/api/livechat/reports/days.csv"):
            r = await _get(server, org.key.token, path, **query)
            assert r.status_code == 400, (query, r.text)
            error = r.json()["error"]
            assert (error["code"], error.get("details", {}).get("field")) == (code, field), (query, error)


async def test_a_leap_year_fits_and_another_organisation_sees_none_of_it(server):
    org = await make_org(server)
    await _chats(server, org)
    whole = {"from": "2028-01-01", "to": "2028-12-31", "tz": "Pacific/Auckland"}
    assert len((await _get(server, org.key.token, "/api/livechat/reports", **whole)).json()["days"]) == 366

    other = await make_org(server, "concurrent")
    stranger = await other.operator("Sanne Smit")
    data = (await _get(server, stranger.token, "/api/livechat/reports",
                       **{"from": "2026-03-28", "to": "2026-03-29"})).json()
    assert [d["started"] for d in data["days"]] == [0, 0]
    assert [o["name"] for o in data["operators"]] == ["Sanne Smit"]
    # Naming the first organisation's operator shows nothing of theirs either.
    olga_id = next(o.user["id"] for o in org.operators if o.user["username"].startswith("olga"))
    data = (await _get(server, stranger.token, "/api/livechat/reports",
                       **{"from": "2026-03-28", "to": "2026-03-29", "operator": str(olga_id)})).json()
    assert [d["started"] for d in data["days"]] == [0, 0]
    csv_text = (await _get(server, stranger.token, "/api/livechat/reports/operators.csv",
                           **{"from": "2026-03-28", "to": "2026-03-29"})).text
    assert "Olga" not in csv_text and "Bram" not in csv_text

    # A colleague without live chat, a visitor and nobody: refused.
    colleague = await make_user(server, org.tenant, "Piet Planner")
    r = await _get(server, colleague.token, "/api/livechat/reports", **{"from": "2026-03-28", "to": "2026-03-29"})
    assert (r.status_code, r.json()["error"]["code"]) == (403, "livechat_disabled")
    vis, answer = await org.visitor()
    r = await _get(server, answer["token"], "/api/livechat/reports", **{"from": "2026-03-28", "to": "2026-03-29"})
    assert (r.status_code, r.json()["error"]["code"]) == (403, "visitor_token")
    async with httpx.AsyncClient(base_url=server.url) as http:
        assert (await http.get("/api/livechat/reports/days.csv",
                               params={"from": "2026-03-28", "to": "2026-03-29"})).status_code == 401
