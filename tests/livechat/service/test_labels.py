"""Labels: the organisation's list (key-users keep it), on conversations by operators,
lists filtered by label; the visitor hears nothing of them; another organisation neither
sees nor uses ours."""

from __future__ import annotations

from tests.helpers import exact_events
from tests.livechat.service.helpers import make_org, write
from tests.livechat.service.test_canned import refused


async def test_the_list_is_kept_by_key_users_with_checked_fields(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vip = await org.key.rest("POST", "/api/livechat/labels", {"name": "  VIP  klant ", "colour": "#D93025"})
    assert vip == {"id": vip["id"], "name": "VIP klant", "colour": "#d93025"}
    await org.key.rest("POST", "/api/livechat/labels", {"name": "monteur", "colour": "#1e8e3e"})
    labels = (await olga.rest("GET", "/api/livechat/labels"))["labels"]
    assert [x["name"] for x in labels] == ["monteur", "VIP klant"]

    status, error = await refused(olga, "POST", "/api/livechat/labels", {"name": "x", "colour": "#000000"})
    assert (status, error["code"]) == (403, "key_user_only")
    status, error = await refused(olga, "PUT", f"/api/livechat/labels/{vip['id']}", {"name": "y"})
    assert (status, error["code"]) == (403, "key_user_only")
    for body, field, code in (
        ({"name": "x", "colour": "red"}, "colour", "invalid_value"),
        ({"name": "x", "colour": "#12345g"}, "colour", "invalid_value"),
        ({"name": "   ", "colour": "#123456"}, "name", "invalid_value"),
        ({"name": "x" * 41, "colour": "#123456"}, "name", "too_long"),
        ({"colour": "#123456"}, "name", "missing_field"),
    ):
        status, error = await refused(org.key, "POST", "/api/livechat/labels", body)
        assert (status, error["code"], error["details"]["field"]) == (400, code, field), body
    status, error = await refused(org.key, "POST", "/api/livechat/labels", {"name": "vip KLANT", "colour": "#000000"})
    assert (status, error["code"]) == (409, "label_taken")
    assert len((await olga.rest("GET", "/api/livechat/labels"))["labels"]) == 2

    # A change reaches every operator at once; the visitor hears nothing.
    vis, _ = await org.visitor()
    await write(vis, "Hallo")
    async with exact_events({olga: ["livechat.labels"], vis: []}) as got:
        await org.key.rest("PUT", f"/api/livechat/labels/{vip['id']}", {"colour": "#000000"})
    assert {"id": vip["id"], "name": "VIP klant", "colour": "#000000"} in got[olga][0]["data"]["labels"]


async def test_operators_label_conversations_and_filter_by_label(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    bram = await org.operator("Bram de Vries")
    vip = await org.key.rest("POST", "/api/livechat/labels", {"name": "VIP", "colour": "#d93025"})
    sales = await org.key.rest("POST", "/api/livechat/labels", {"name": "Sales", "colour": "#1f5fbf"})
    piet, _ = await org.visitor()
    anna, _ = await org.visitor()
    piet_conv = (await write(piet, "Ik wil een offerte"))["conversation"]["id"]
    anna_conv = (await write(anna, "Hallo"))["conversation"]["id"]

    path = f"/api/livechat/conversations/{piet_conv}/labels"
    async with exact_events({olga: ["livechat.updated"], bram: ["livechat.updated"], piet: [], anna: []}) as got:
        conv = await olga.rest("POST", path, {"label_id": vip["id"]})
    assert conv["label_ids"] == [vip["id"]]
    assert got[bram][0]["data"]["conversation"]["label_ids"] == [vip["id"]]
    # Twice is once, and says nothing new.
    async with exact_events({olga: [], bram: [], piet: []}):
        assert (await bram.rest("POST", path, {"label_id": vip["id"]}))["label_ids"] == [vip["id"]]
    await bram.rest("POST", path, {"label_id": sales["id"]})

    async def listed(**query: object) -> list[int]:
        return [c["id"] for c in (await olga.rest("GET", "/api/livechat/conversations", **query))["conversations"]]

    assert sorted(await listed(state="incoming")) == sorted([piet_conv, anna_conv])
    assert await listed(state="incoming", label=vip["id"]) == [piet_conv]
    assert await listed(label=sales["id"]) == [piet_conv]
    assert await listed(state="active", label=vip["id"]) == []
    status, error = await refused(olga, "GET", "/api/livechat/conversations?label=abc")
    assert (status, error["code"]) == (400, "invalid_value")

    # The visitor's own view never carries labels.
    history = await piet.rest("GET", "/api/livechat/visitor/conversation")
    assert "label_ids" not in history["conversation"]

    async with exact_events({olga: ["livechat.updated"], bram: ["livechat.updated"], piet: []}):
        conv = await olga.rest("DELETE", f"{path}/{vip['id']}")
    assert conv["label_ids"] == [sales["id"]]
    # A deleted label leaves the conversations that had it.
    await org.key.rest("DELETE", f"/api/livechat/labels/{sales['id']}")
    assert (await olga.rest("GET", f"/api/livechat/conversations/{piet_conv}"))["label_ids"] == []
    assert [x["name"] for x in (await olga.rest("GET", "/api/livechat/labels"))["labels"]] == ["VIP"]


async def test_another_organisation_neither_sees_nor_uses_our_labels(server):
    org = await make_org(server)
    olga = await org.operator("Olga Bakker")
    vip = await org.key.rest("POST", "/api/livechat/labels", {"name": "VIP", "colour": "#d93025"})
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/labels", {"label_id": vip["id"]})

    other = await make_org(server, "concurrent")
    tom = await other.operator("Tom Anders")
    theirs, _ = await other.visitor()
    their_conv = (await write(theirs, "Hoi"))["conversation"]["id"]
    assert (await tom.rest("GET", "/api/livechat/labels"))["labels"] == []
    # Our label on their conversation, their hands on ours, our label in their filter: 404.
    checks = [
        (tom, "POST", f"/api/livechat/conversations/{their_conv}/labels", {"label_id": vip["id"]}, "no_such_label"),
        (tom, "DELETE", f"/api/livechat/conversations/{conv_id}/labels/{vip['id']}", None, "not_found"),
        (tom, "GET", f"/api/livechat/conversations?label={vip['id']}", None, "no_such_label"),
        (other.key, "PUT", f"/api/livechat/labels/{vip['id']}", {"name": "gekaapt"}, "no_such_label"),
        (other.key, "DELETE", f"/api/livechat/labels/{vip['id']}", None, "no_such_label"),
    ]
    for client, method, path, body, code in checks:
        status, error = await refused(client, method, path, body)
        assert (status, error["code"]) == (404, code), path
    status, error = await refused(vis, "GET", "/api/livechat/labels")
    assert (status, error["code"]) == (403, "visitor_token")
    conv = await olga.rest("GET", f"/api/livechat/conversations/{conv_id}")
    assert conv["label_ids"] == [vip["id"]]
    assert (await olga.rest("GET", "/api/livechat/labels"))["labels"] == [vip]
