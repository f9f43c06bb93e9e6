"""Canned responses: the organisation's (key-users keep them) and each operator's own,
with validation and isolation between organisations and between operators."""

from __future__ import annotations

from typing import Any

from chatserver.client import ChatClient
from tests.helpers import make_user
from tests.livechat.service.helpers import make_org


async def refused(client: ChatClient, method: str, path: str, body: Any = None) -> tuple[int, dict[str, Any]]:
    """Status and error of a request that must fail."""
    r = await client._http.request(method, path, json=body)
    assert r.status_code >= 400, r.text
    return r.status_code, r.json()["error"]


async def shortcuts(client: ChatClient) -> list[tuple[str, str]]:
    return [(c["scope"], c["shortcut"]) for c in (await client.rest("GET", "/api/livechat/canned"))["canned"]]


async def test_organisation_and_own_responses_each_seen_by_who_may(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    bram = await org.operator("Bram de Vries")
    welcome = await org.key.rest(
        "POST", "/api/livechat/canned",
        {"scope": "organisation", "shortcut": "/Welkom", "text": "Welkom bij Job Genius! Waarmee kan ik helpen?"},
    )
    assert welcome["shortcut"] == "welkom" and welcome["scope"] == "organisation"
    mine = await olga.rest("POST", "/api/livechat/canned",
                           {"scope": "personal", "shortcut": "groet", "text": "Groetjes, Olga"})
    # The same shortcut in one's own list as in the organisation's is allowed.
    await olga.rest("POST", "/api/livechat/canned", {"scope": "personal", "shortcut": "welkom", "text": "Hoi!"})

    assert await shortcuts(olga) == [("personal", "groet"), ("organisation", "welkom"), ("personal", "welkom")]
    assert await shortcuts(bram) == [("organisation", "welkom")]
    assert await shortcuts(org.key) == [("organisation", "welkom")]

    # Bram cannot see, change or delete Olga's own: as if it did not exist.
    for method, body in (("PUT", {"text": "Van Bram"}), ("DELETE", None)):
        status, error = await refused(bram, method, f"/api/livechat/canned/{mine['id']}", body)
        assert (status, error["code"]) == (404, "no_such_canned")
    # An operator cannot change the organisation's list; a key-user can.
    status, error = await refused(olga, "PUT", f"/api/livechat/canned/{welcome['id']}", {"text": "Anders"})
    assert (status, error["code"]) == (403, "key_user_only")
    status, error = await refused(olga, "POST", "/api/livechat/canned",
                                  {"scope": "organisation", "shortcut": "x", "text": "y"})
    assert (status, error["code"]) == (403, "key_user_only")
    changed = await org.key.rest("PUT", f"/api/livechat/canned/{welcome['id']}", {"shortcut": "hallo"})
    assert (changed["shortcut"], changed["text"]) == ("hallo", welcome["text"])

    # Olga edits and deletes her own.
    edited = await olga.rest("PUT", f"/api/livechat/canned/{mine['id']}", {"text": "Met vriendelijke groet, Olga"})
    assert edited["text"] == "Met vriendelijke groet, Olga"
    assert await olga.rest("DELETE", f"/api/livechat/canned/{mine['id']}") == {"id": mine["id"], "deleted": True}
    assert await shortcuts(olga) == [("organisation", "hallo"), ("personal", "welkom")]


async def test_another_organisation_sees_and_changes_nothing(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    ours = await org.key.rest("POST", "/api/livechat/canned", {"scope": "organisation", "shortcut": "a", "text": "A"})
    own = await olga.rest("POST", "/api/livechat/canned", {"scope": "personal", "shortcut": "b", "text": "B"})
    other = await make_org(server, "concurrent")
    theirs = await other.operator("Tom Anders")
    assert await shortcuts(theirs) == []
    assert await shortcuts(other.key) == []
    for client in (theirs, other.key):
        for row in (ours, own):
            for method, body in (("PUT", {"text": "gekaapt"}), ("DELETE", None)):
                status, error = await refused(client, method, f"/api/livechat/canned/{row['id']}", body)
                assert (status, error["code"]) == (404, "no_such_canned")
    assert [c["text"] for c in (await olga.rest("GET", "/api/livechat/canned"))["canned"]] == ["A", "B"]


async def test_who_may_not_use_them(server):
    org = await make_org(server)
    plain = await make_user(server, org.tenant, "Gewone Collega")  # live chat not enabled
    status, error = await refused(plain, "GET", "/api/livechat/canned")
    assert (status, error["code"]) == (403, "livechat_disabled")
    status, _ = await refused(plain, "POST", "/api/livechat/canned", {"scope": "personal", "shortcut": "a", "text": "A"})
    assert status == 403
    vis, _ = await org.visitor(connect=False)
    status, error = await refused(vis, "GET", "/api/livechat/canned")
    assert (status, error["code"]) == (403, "visitor_token")


BAD = [
    ({"scope": "team", "shortcut": "a", "text": "A"}, "scope", "invalid_value"),
    ({"shortcut": "a", "text": "A"}, "scope", "missing_field"),
    ({"scope": "personal", "shortcut": "met spatie", "text": "A"}, "shortcut", "invalid_value"),
    ({"scope": "personal", "shortcut": "/", "text": "A"}, "shortcut", "invalid_value"),
    ({"scope": "personal", "shortcut": "x" * 41, "text": "A"}, "shortcut", "invalid_value"),
    ({"scope": "personal", "shortcut": 7, "text": "A"}, "shortcut", "wrong_type"),
    ({"scope": "personal", "shortcut": "a", "text": "   "}, "text", "invalid_value"),
    ({"scope": "personal", "shortcut": "a", "text": "x" * 4001}, "text", "too_long"),
    ({"scope": "personal", "shortcut": "a", "text": "A\u0000"}, "text", "invalid_value"),
]


async def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    for body, field, code in BAD:
        status, error = await refused(olga, "POST", "/api/livechat/canned", body)
        assert (status, error["code"], error["details"]["field"]) == (400, code, field), body
    assert await shortcuts(olga) == []


async def test_a_taken_shortcut_is_a_conflict(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    first = await olga.rest("POST", "/api/livechat/canned", {"scope": "personal", "shortcut": "prijs", "text": "€ 10"})
    second = await olga.rest("POST", "/api/livechat/canned", {"scope": "personal", "shortcut": "tarief", "text": "€ 20"})
    status, error = await refused(olga, "POST", "/api/livechat/canned",
                                  {"scope": "personal", "shortcut": "PRIJS", "text": "€ 30"})
    assert (status, error["code"]) == (409, "shortcut_taken")
    status, error = await refused(olga, "PUT", f"/api/livechat/canned/{second['id']}", {"shortcut": "prijs"})
    assert (status, error["code"]) == (409, "shortcut_taken")
    # Renaming to its own shortcut is no conflict.
    assert (await olga.rest("PUT", f"/api/livechat/canned/{first['id']}", {"shortcut": "prijs"}))["text"] == "€ 10"
    status, error = await refused(olga, "PUT", "/api/livechat/canned/notanumber", {"text": "x"})
    assert (status, error["code"]) == (400, "invalid_id")
