"""A sent file names its conversation in the transaction that stores its message: whoever
gets the message can open the file at once (no asking again on a 404). A file goes into
one conversation only, and only its uploader's send can put it there."""

from __future__ import annotations

import asyncio
import uuid
from functools import partial
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from chatserver.actions import chat
from chatserver.actions.chat_batch import SendBatcher
from chatserver.client import ChatClient
from chatserver.db.models import Message, User
from chatserver.errors import Conflict
from chatserver.files.models import SentFile
from chatserver.files.storage import attach_query
from livechat.actions import routing
from livechat.models import LiveMessage
from tests.files.helpers import pdf, png, upload
from tests.helpers import Server, befriend, make_user, two_contacts
from tests.livechat.service.helpers import make_org, write


class _OpensOnArrival:
    """Asks for a file's links the moment its message's event arrives (before anything
    else runs on the loop after it): the status the server answered."""

    def __init__(self, server: Server, viewer: ChatClient, event: str) -> None:
        self.asked: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._viewer, self._event = viewer, event
        # Connected before the event: nothing to set up when it comes.
        self.http = httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {viewer.token}"})

    def __call__(self, frame: dict[str, Any]) -> None:
        message = (frame.get("data") or {}).get("message") or {}
        if frame.get("type") == self._event and message.get("kind") == "file" and not self.asked.done():
            task = asyncio.ensure_future(self.http.get(f"/api/files/{message['meta']['file']['id']}"))
            task.add_done_callback(lambda t: self.asked.set_result(t.result().status_code))

    async def __aenter__(self) -> _OpensOnArrival:
        assert (await self.http.get("/health/live")).status_code == 200
        self._viewer.listeners.append(self)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._viewer.listeners.remove(self)
        await self.http.aclose()


async def test_a_colleague_opens_the_file_as_its_message_arrives(fserver):
    _, anna, bram = await two_contacts(fserver)
    await bram.connect()
    for attempt in range(5):  # more than once: a race lost now and then would show
        async with _OpensOnArrival(fserver, bram, "chat.message") as opener:
            r = await upload(fserver, anna, "/api/chat/files", png(64, 48), f"plan-{attempt}.png", to=bram.user["id"])
            assert r.status_code == 201, r.text
            assert await asyncio.wait_for(opener.asked, 10) == 200


async def test_an_operator_and_a_visitor_open_the_file_as_its_message_arrives(fserver):
    org = await make_org(fserver)
    olga = await org.operator("Olga Bakker")
    vis, _ = await org.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    await olga.rest("POST", f"/api/livechat/conversations/{conv_id}/messages",
                    {"body": "Goedemiddag", "client_msg_id": uuid.uuid4().hex})
    for attempt in range(3):
        async with _OpensOnArrival(fserver, olga, "livechat.message") as opener:
            r = await upload(fserver, vis, "/api/livechat/visitor/files", pdf(), f"cv-{attempt}.pdf")
            assert r.status_code == 201, r.text
            assert await asyncio.wait_for(opener.asked, 10) == 200
        async with _OpensOnArrival(fserver, vis, "livechat.message") as opener:
            r = await upload(fserver, olga, f"/api/livechat/conversations/{conv_id}/files", pdf(), f"c-{attempt}.pdf")
            assert r.status_code == 201, r.text
            assert await asyncio.wait_for(opener.asked, 10) == 200


async def _user(server: Server, client: ChatClient) -> User:
    async with server.services.read() as s:
        user = await s.get(User, client.user["id"])
        assert user is not None
        return user


async def _messages(server: Server, client_msg_id: str) -> int:
    async with server.services.read() as s:
        chats = (await s.execute(select(func.count()).select_from(Message)
                                 .where(Message.client_msg_id == client_msg_id))).scalar_one()
        live = (await s.execute(select(func.count()).select_from(LiveMessage)
                                .where(LiveMessage.client_msg_id == client_msg_id))).scalar_one()
        return int(chats) + int(live)


async def test_a_file_goes_into_one_conversation_only(fserver):
    """Sending a file that is in a conversation already (another chat, a live chat) is
    refused with nothing stored; a file of another uploader likewise. The sends batched
    with a refused one are stored all the same."""
    org, anna, bram = await two_contacts(fserver)
    carla = await make_user(fserver, org, "Carla")
    await befriend(anna, carla)
    sent = (await upload(fserver, anna, "/api/chat/files", png(32, 32), "a.png", to=bram.user["id"])).json()
    file_id = sent["file"]["id"]
    svc = fserver.services
    anna_user, bram_user = await _user(fserver, anna), await _user(fserver, bram)
    batcher = svc.get(SendBatcher)

    def again(uploader: User) -> Any:
        return partial(attach_query, "conversation_id", file_id, uploader.id)

    # Anna's file from the chat with Bram, sent again to Carla, together with an ordinary
    # send in the same batch: the file's send is refused, the other one stored.
    meta = {"file": sent["file"]}
    plain = batcher.enqueue(anna_user, bram.user["id"], "tot zo", "plain-1", "")
    moved = batcher.enqueue(anna_user, carla.user["id"], "a.png", "moved-1", "", kind="file", meta=meta,
                            attach=again(anna_user))
    answers = await asyncio.gather(plain, moved, return_exceptions=True)
    assert isinstance(answers[0], dict) and answers[0]["duplicate"] is False
    assert isinstance(answers[1], Conflict) and answers[1].code == "file_not_attachable", answers[1]
    assert await _messages(fserver, "moved-1") == 0

    # Bram cannot send Anna's file, even into the chat it is in.
    with pytest.raises(Conflict) as refused:
        await chat.send_note(svc, bram_user, anna.user["id"], "a.png", "stolen-1", kind="file", meta=meta,
                             attach=again(bram_user))
    assert refused.value.code == "file_not_attachable"
    assert await _messages(fserver, "stolen-1") == 0

    # Nor does a live chat's send take a colleague chat's file (nothing of the reply is kept).
    lc = await make_org(fserver)
    olga = await lc.operator("Olga Bakker")
    vis, _ = await lc.visitor()
    conv_id = (await write(vis, "Hallo"))["conversation"]["id"]
    olga_user = await _user(fserver, olga)
    async with svc.transaction() as tx:  # as if Olga had uploaded it (the uploader check passes)
        await tx.session.execute(update(SentFile).where(SentFile.id == file_id).values(uploader_id=olga_user.id))
    with pytest.raises(Conflict) as refused:
        await routing.reply(svc, olga_user, conv_id, "a.png", "moved-2", kind="file", meta=meta,
                            attach=partial(attach_query, "livechat_conversation_id", file_id, olga_user.id))
    assert refused.value.code == "file_not_attachable"
    assert await _messages(fserver, "moved-2") == 0

    # The table itself refuses a file in two conversations at once.
    with pytest.raises(IntegrityError):
        async with svc.transaction() as tx:
            await tx.session.execute(update(SentFile).where(SentFile.id == file_id)
                                     .values(livechat_conversation_id=conv_id))
    # And the file is where it was: Bram still opens it, Carla does not.
    assert (await bram.rest("GET", f"/api/files/{file_id}"))["id"] == file_id
    async with httpx.AsyncClient(base_url=fserver.url) as http:
        r = await http.get(f"/api/files/{file_id}", headers={"Authorization": f"Bearer {carla.token}"})
    assert r.status_code == 404
