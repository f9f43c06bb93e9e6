"""Live chat's answers are what /openapi.json describes (see test_answers.py)."""

from __future__ import annotations

from chatserver.client import ChatClient
from tests.helpers import Server
from tests.livechat.service.helpers import ORIGIN, write
from tests.livechat.service.helpers import make_org as make_livechat_org
from tests.openapi.answers import Answers


async def test_livechat_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_livechat_org(server)
    op = await org.operator("Olga Operator")
    anna = await org.operator("Anna Jansen")
    came = await answers.call(None, "POST", "/api/livechat/visit",
                              {"site_id": org.site["id"], "url": f"{ORIGIN}/vacatures", "language": "nl-NL"},
                              headers={"Origin": ORIGIN})
    assert came["conversation"] is None and came["operators_online"] == 2 and came["hours"]["open"] is True
    visitor = ChatClient(server.url, came["token"])
    server.clients.append(visitor)
    await visitor.connect()
    await write(visitor, "Hallo, is er iemand?")

    (conv,) = (await answers.call(op, "GET", "/api/livechat/conversations"))["conversations"]
    assert conv["last_message"]["body"] == "Hallo, is er iemand?" and conv["visitor"]["alias"]
    opened = await answers.call(op, "GET", f"/api/livechat/conversations/{conv['id']}")
    assert [m["sender"] for m in opened["messages"]] == ["visitor"] and opened["notes"] == []
    taken = await answers.call(op, "POST", f"/api/livechat/conversations/{conv['id']}/assign", {})
    assert taken["operator"]["name"] == "Olga Operator" and taken["state"] == "active"
    sent = await answers.call(op, "POST", f"/api/livechat/conversations/{conv['id']}/messages",
                              {"body": "Jazeker!", "client_msg_id": "lc-oa-1"})
    assert sent["duplicate"] is False and sent["message"]["sender"] == "operator"
    named = await answers.call(op, "PUT", f"/api/livechat/conversations/{conv['id']}/visitor",
                               {"name": "Jan", "email": "jan@example.nl"})
    assert named["visitor"]["name"] == "Jan"
    own = await answers.call(visitor, "GET", "/api/livechat/visitor/conversation")
    assert own["conversation"]["seen"] is True and "ip" not in own["conversation"]["visitor"]
    assert [m["body"] for m in own["messages"]] == ["Hallo, is er iemand?", "Jazeker!"]
    done = await answers.call(op, "POST", f"/api/livechat/conversations/{conv['id']}/resolve")
    assert done["state"] == "resolved" and done["resolved_at"]

    team = (await answers.call(anna, "GET", "/api/livechat/operators"))["operators"]
    assert sorted(o["name"] for o in team) == ["Anna Jansen", "Olga Operator"]
    assert await answers.call(anna, "PUT", "/api/livechat/availability", {"online": False}) == {"online": False}
    figures = await answers.call(op, "GET", "/api/livechat/overview")
    assert figures["resolved"] == 1 and figures["online_agents"] == ["Olga Operator"]
    (site,) = (await answers.call(org.key, "GET", "/api/livechat/sites"))["sites"]
    assert site["snippet"].startswith("<script")
    made = await answers.call(org.key, "POST", "/api/livechat/sites", {"name": "Tweede", "origins": [ORIGIN]})
    changed = await answers.call(org.key, "PUT", f"/api/livechat/sites/{made['id']}",
                                 {"name": "Tweede site", "origins": [ORIGIN]})
    assert changed["name"] == "Tweede site"
    assert len(answers.checked) == 14, answers.checked


async def test_livechat_list_label_and_note_answers_are_as_documented(server: Server, answers: Answers) -> None:
    org = await make_livechat_org(server)
    op = await org.operator("Olga Operator")
    visitor, _ = await org.visitor()
    conv_id = (await write(visitor, "Goedemiddag"))["conversation"]["id"]

    canned = await answers.call(op, "POST", "/api/livechat/canned",
                                {"scope": "personal", "shortcut": "hoi", "text": "Hallo, waarmee kan ik helpen?"})
    assert canned["scope"] == "personal"
    assert (await answers.call(op, "PUT", f"/api/livechat/canned/{canned['id']}", {"text": "Hallo!"}))["text"] == "Hallo!"
    assert [c["shortcut"] for c in (await answers.call(op, "GET", "/api/livechat/canned"))["canned"]] == ["hoi"]
    assert await answers.call(op, "DELETE", f"/api/livechat/canned/{canned['id']}") == {
        "id": canned["id"], "deleted": True}

    label = await answers.call(org.key, "POST", "/api/livechat/labels", {"name": "Sollicitatie", "colour": "#0a7d3b"})
    assert (await answers.call(org.key, "PUT", f"/api/livechat/labels/{label['id']}", {"name": "Vacature"}))[
        "name"] == "Vacature"
    assert [x["colour"] for x in (await answers.call(op, "GET", "/api/livechat/labels"))["labels"]] == ["#0a7d3b"]
    labelled = await answers.call(op, "POST", f"/api/livechat/conversations/{conv_id}/labels", {"label_id": label["id"]})
    assert labelled["label_ids"] == [label["id"]]
    assert (await answers.call(op, "DELETE", f"/api/livechat/conversations/{conv_id}/labels/{label['id']}"))[
        "label_ids"] == []
    assert (await answers.call(org.key, "DELETE", f"/api/livechat/labels/{label['id']}"))["deleted"] is True
    noted = await answers.call(op, "POST", f"/api/livechat/conversations/{conv_id}/notes",
                               {"body": "Belt morgen terug", "client_msg_id": "note-1"})
    assert noted["duplicate"] is False and noted["note"]["author_name"] == "Olga Operator"
    assert len(answers.checked) == 11, answers.checked


async def test_livechat_earlier_privacy_and_site_deletion_answers_are_as_documented(
        server: Server, answers: Answers) -> None:
    org = await make_livechat_org(server)
    op = await org.operator("Olga Operator")
    convs = []
    for text in ("Eerste vraag", "Tweede vraag"):
        visitor, _ = await org.visitor()
        conv_id = (await write(visitor, text))["conversation"]["id"]
        await op.rest("PUT", f"/api/livechat/conversations/{conv_id}/visitor", {"email": "jan@example.nl"})
        convs.append(conv_id)
    earlier = await answers.call(op, "GET", f"/api/livechat/conversations/{convs[1]}/earlier")
    assert earlier["email"] == "jan@example.nl" and [c["first_message"] for c in earlier["conversations"]] == [
        "Eerste vraag"]
    exported = await answers.call(org.key, "POST", "/api/livechat/privacy/export", {"email": "jan@example.nl"})
    assert sorted(c["conversation"]["id"] for c in exported["conversations"]) == convs
    assert (await answers.call(org.key, "POST", "/api/livechat/privacy/erase", {"conversation_id": convs[0]}))[
        "erased"] == 1
    other = await org.key.rest("POST", "/api/livechat/sites", {"name": "Tweede", "origins": [ORIGIN]})
    assert await answers.call(org.key, "DELETE", f"/api/livechat/sites/{other['id']}") == {
        "deleted": other["id"], "conversations": 0}
    assert len(answers.checked) == 4, answers.checked
