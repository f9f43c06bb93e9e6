"""The event contract (chatserver/protocol/events.py): every type an action emits is declared,
the docs are generated from the declarations, and each action sends exactly the events it
should, to exactly whom (an extra or a duplicate event fails, as zulip's verify_action)."""

from __future__ import annotations

import ast
import pathlib

import pytest

from chatserver.client import ChatClient
from chatserver.protocol import events
from chatserver.services import features
from tests.helpers import exact_events, make_user, two_contacts

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "chatserver", ROOT / "livechat", ROOT / "sms", ROOT / "signaling", ROOT / "widget"]
# The calls that send an event, and which argument holds its type.
EMITTERS = {"emit_durable": 1, "emit_ephemeral": 1, "tell_present": 2}


def _emitted_types() -> dict[str, str]:
    """Every event type a source file passes to an emitter or a Delivery, literal or constant."""
    found: dict[str, str] = {}
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for folder in SOURCES for path in folder.rglob("*.py")}
    # Module-level names bound to text anywhere (an emitter may use a constant imported from elsewhere).
    constants = {t.id: n.value.value for tree in trees.values() for n in tree.body if isinstance(n, ast.Assign)
                 for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
    if True:
        for path, tree in trees.items():
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                arg: ast.expr | None = None
                if name in EMITTERS and len(node.args) > EMITTERS[name]:
                    arg = node.args[EMITTERS[name]]
                elif name == "Delivery":
                    arg = next((k.value for k in node.keywords if k.arg == "type"), None)
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found[arg.value] = str(path.relative_to(ROOT))
                elif isinstance(arg, ast.Name) and arg.id in constants:
                    found[str(constants[arg.id])] = str(path.relative_to(ROOT))
    return found


def test_every_emitted_event_type_is_declared():
    emitted = _emitted_types()
    assert {"chat.message", "video.signal", "sms.recipient", "session.revoked"} <= emitted.keys()  # the scan works
    control = set(events.CONTROL)
    for feature in features():
        events.register(feature.events)
        control |= feature.control.keys()
    undeclared = {t: where for t, where in emitted.items() if t not in events.EVENTS and t not in control}
    assert undeclared == {}


def test_the_docs_tables_are_generated_from_the_declarations():
    for feature in features():
        events.register(feature.events)
    doc = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    assert events.render_doc(doc) == doc, "docs/protocol.md is stale: run python scripts/protocol_docs.py"


@pytest.mark.parametrize(("frame", "problem"), [
    ({"type": "chat.shout", "data": {}}, "event type 'chat.shout' is not declared"),
    ({"type": "chat.typing", "data": {"user_id": 1}}, "chat.typing.typing is missing"),
    ({"type": "chat.typing", "data": {"user_id": "1", "typing": True}}, "chat.typing.user_id is str, not integer"),
    ({"type": "chat.typing", "data": {"user_id": True, "typing": True}}, "chat.typing.user_id is bool, not integer"),
    ({"type": "chat.typing", "data": {"user_id": 1, "typing": True, "mood": "glad"}},
     "chat.typing.mood is not declared"),
    ({"type": "chat.typing", "seq": 4, "data": {"user_id": 1, "typing": True}},
     "chat.typing: ephemeral events carry no seq"),
    ({"type": "contact.removed", "data": {"user_id": 1}}, "contact.removed: durable events carry seq"),
    ({"type": "chat.message", "seq": 1, "data": {"message": {"id": 1}, "unread": 0, "from": "A", "notify": 7}},
     "chat.message.notify is 7, out of 0..2"),
    ({"type": "chat.message", "seq": 1, "data": {"message": {"id": None}, "unread": 0, "from": "A", "notify": 0}},
     "chat.message.message.id is null"),
])
def test_a_frame_that_breaks_the_contract_is_named(frame, problem):
    assert problem in events.problems(frame)


def test_a_fitting_frame_has_no_problem():
    frame = {"type": "chat.read", "seq": 9,
             "data": {"conversation_id": 1, "user_id": 2, "message_id": 3, "unread": 0}}
    assert events.problems(frame) == []


async def test_each_action_sends_exactly_its_events(server):
    org, anna, bram = await two_contacts(server)
    anna_phone = await ChatClient.login(server.url, org["slug"], anna.user["username"], "correct-horse-battery")
    server.clients.append(anna_phone)
    for c in (anna, anna_phone, bram):
        await c.connect()
    everyone = (anna, anna_phone, bram)

    async with exact_events({anna: [], anna_phone: ["chat.message"], bram: ["chat.message"]}):
        sent = await anna.send_message(bram.user["id"], "Hoi Bram")
    conv = sent["message"]["conversation_id"]

    # A durable event reaches every device of the reader, the reading one too (its stream has no gap).
    async with exact_events({anna: ["chat.read"], anna_phone: ["chat.read"], bram: ["chat.read"]}):
        await bram.request("chat.read", {"conversation_id": conv, "message_id": sent["message"]["id"]})

    async with exact_events({anna: ["chat.typing"], anna_phone: ["chat.typing"], bram: []}):
        await bram.request("chat.typing", {"to": anna.user["id"], "typing": True})

    async with exact_events({anna: [], anna_phone: ["presence.self"], bram: ["presence.changed"]}):
        await anna.set_status("away")

    async with exact_events({anna: ["settings.changed"], anna_phone: ["settings.changed"], bram: []}):
        await anna.rest("PUT", f"/api/users/{anna.user['id']}/settings/notify.chat_message", {"value": 2})

    async with exact_events({anna: ["contact.removed"], anna_phone: ["contact.removed"], bram: ["contact.removed"]}):
        await bram.rest("DELETE", f"/api/contacts/{anna.user['id']}")

    cees = await make_user(server, org, "Cees Bakker")
    await cees.connect()
    async with exact_events({anna: ["contact.request"], anna_phone: ["contact.request"], cees: ["contact.request"]}):
        req = await cees.rest("POST", "/api/contact-requests", {"user_id": anna.user["id"]})
    async with exact_events({anna: ["contact.accepted"], anna_phone: ["contact.accepted"], cees: ["contact.accepted"],
                             bram: []}):
        await anna.rest("POST", f"/api/contact-requests/{req['id']}/accept")
    del everyone
