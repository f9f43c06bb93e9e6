"""Group commit for ``chat.send``: the sends waiting at one moment share one transaction.

One worker per process takes every send queued while the previous batch was being
written and stores them together: one query per step (users, chat switch, contacts,
conversations, messages, unread counts, event streams, notification levels) instead of
about eleven statements per message. A send is answered only after the batch commits,
so an ack still means stored, and events are still published after the commit.

Idempotency costs no query of its own: the messages are inserted with ON CONFLICT DO
NOTHING on (sender, client_msg_id), and only a send whose row did not come back (a
resend) is looked up, to answer it with the stored message.

This is the only send path: a send about a record (``record_id``) is checked (the
record is the sender's organisation's), stored and written into the record's timeline
in the same batch as the others.

A send may bring a statement of its own to run in the batch's transaction once its
message is stored (``attach``: a sent file names the message's conversation,
chatserver.files), so that whoever gets the message can already read what it carries.

A send that a check refuses (offline, chat disabled, not a contact, another
organisation's record, ...) is refused before anything is written and alone; a batch
that fails as a whole (a database error) is retried one send at a time, each in a batch
of its own, so one bad send cannot fail others. With no load a batch holds one send:
nothing waits for company.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncConnection

from chatserver.actions import notify
from chatserver.batching import Batcher
from chatserver.bus import Delivery
from chatserver.db import pg_direct, prepared
from chatserver.db.models import User
from chatserver.db.prepared import Plan, Query
from chatserver.errors import Forbidden, NotFound
from chatserver.metrics import MESSAGES_STORED, SEND_COMMIT_SECONDS
from chatserver.storage import accounts, chat, chat_sends, contacts, directory, events
from chatserver.storage import settings as settings_store
from chatserver.storage.accounts import UserBrief

if TYPE_CHECKING:
    from chatserver.actions.context import Services

MAX_BATCH = 256
# The one event type a send makes (declared in protocol/events.py).
CHAT_MESSAGE = "chat.message"
# Read for the batch's users in one query: the senders' chat switch, the recipients' level.
_SETTINGS = ["chat.internal_enabled", "notify.chat_message"]

# Given a send's message as stored (not a resend), a statement for the same transaction
# that ties what the message carries to it; a refusal it raises fails the send (and the
# batch, which is then retried one send at a time).
Attach = Callable[[dict[str, Any]], Query[None]]


@dataclass
class SendRequest:
    actor: User
    to: int
    body: str
    client_msg_id: str
    subject: str
    # The connection the send came from: its ack may carry the sender's own event.
    origin: str | None = None
    # A record (dossier) of the sender's organisation the message is about: it gets the
    # record's name as subject when it has none, and a line in the record's timeline.
    record_id: int | None = None
    # Set only by the server's own notes (chat.send_note; a video call's, VC-1): clients
    # send text, and the chat.send schema has no such field.
    kind: str = "text"
    meta: dict[str, Any] | None = None
    attach: Attach | None = None


def _sender(r: SendRequest) -> int:
    return r.actor.id


class UserTenants(dict[int, int]):
    """Each user's tenant as a batch of sends last read it, by user id (one per Services).

    A user never moves to another tenant, so with every tenant of a batch known, the reads
    of the settings the checks need (which are per tenant) go with the batch's first reads:
    on PostgreSQL a round trip fewer. Only a guess to save that trip: the batch reads its
    users anyway, and when a guess was wrong (an id used again after its user was erased,
    on SQLite) it reads the settings again with the tenants it found.
    """

    LIMIT = 100_000  # users remembered; beyond, forgotten all at once (visitors come and go)

    def remember(self, found: dict[int, UserBrief]) -> None:
        if len(self) + len(found) > self.LIMIT:
            self.clear()
        for uid, user in found.items():
            self[uid] = user.tenant_id


def user_tenants(svc: Services) -> UserTenants:
    try:
        return svc.get(UserTenants)
    except LookupError:
        tenants = UserTenants()
        svc.provide(tenants)
        return tenants


class SendBatcher:
    """The sends of one Services, stored in batches (``chatserver.batching``).

    Each batch runs on a pooled connection the batcher keeps while sends keep coming (one
    on SQLite; on PostgreSQL one for each batch at work at once) and gives back once none
    has come for :attr:`HOLD_SECONDS`: checking one out and back in for every batch cost
    ~0.1 ms of CPU through SQLAlchemy's asyncio layer (docs/benchmarks.md, step 36), and
    under a steady trickle of sends the queue is empty after nearly every batch (step 50).
    On PostgreSQL a batch that writes only its messages runs on it without a session
    (step 51).
    """

    # Seconds the connections stay with the batcher after its last batch.
    HOLD_SECONDS = 2.0

    def __init__(self, svc: Services) -> None:
        self._svc = svc
        self._free: list[AsyncConnection] = []  # kept, and no batch at work on them
        self._last_batch = 0.0  # the event loop's time at the end of the last batch
        self._holder: asyncio.Task[None] | None = None

        async def handle(batch: list[SendRequest]) -> list[dict[str, Any] | BaseException]:
            conn = self._free.pop() if self._free else await svc.engine.connect()
            try:
                out = await send_many(svc, batch, conn)
            except BaseException:
                # The connection may be what failed (the database restarted, say): it is
                # dropped, with those kept idle, rather than given to the batch's retry.
                dropped, self._free = [conn, *self._free], []
                for each in dropped:
                    with contextlib.suppress(Exception):  # the batch's own error is the one to tell
                        await each.invalidate()
                        await each.close()
                raise
            self._free.append(conn)
            self._last_batch = asyncio.get_running_loop().time()
            if self._holder is None:
                self._holder = asyncio.create_task(self._hold(), name="chat-send-connections")
            return out

        # On PostgreSQL a batch spends most of its time waiting for its round trips and its
        # commit, so up to config.send_batches run at once, each on a connection of its
        # own. A sender's sends are never in two of them: they are stored in the order
        # sent (their ids rise with it) and a resend meets the send it repeats.
        # (Rows are locked in key order, so concurrent batches cannot deadlock, as two
        # nodes' batches cannot.) SQLite has one writer: one batch at a time.
        sqlite = svc.engine.dialect.name == "sqlite"
        self._batcher: Batcher[SendRequest, dict[str, Any]] = Batcher(
            handle, name="chat-send-batcher", max_batch=MAX_BATCH,
            concurrent=1 if sqlite else svc.config.send_batches, key=_sender)

    async def _hold(self) -> None:
        """Give the kept connections back once no batch has ended for HOLD_SECONDS.

        A task rather than a timer: when the event loop stops (the end of a command or of
        a test) its tasks are cancelled and run their ``finally``, so the connections (on
        SQLite, and their threads) are closed then too, not left to the garbage collector.
        A connection a batch is at work on is not among them: that batch keeps it, and
        the next holder gives it back.
        """
        loop = asyncio.get_running_loop()
        try:
            while (idle := loop.time() - self._last_batch) < self.HOLD_SECONDS:
                await asyncio.sleep(self.HOLD_SECONDS - idle)
        finally:
            self._holder = None
            free, self._free = self._free, []
            for conn in free:
                await conn.close()

    async def aclose(self) -> None:
        """Give the kept connections back now (the server's shutdown, before its engine goes)."""
        if self._holder is not None:
            self._holder.cancel()
            await asyncio.gather(self._holder, return_exceptions=True)

    async def submit(self, actor: User, to: int, body: str, client_msg_id: str, subject: str,
                     origin: str | None = None, record_id: int | None = None) -> dict[str, Any]:
        return await self.enqueue(actor, to, body, client_msg_id, subject, origin, record_id)

    def pending(self) -> int:
        """Sends queued and not yet taken into a batch."""
        return self._batcher.pending()

    @property
    def working(self) -> bool:
        return self._batcher.working

    def enqueue(self, actor: User, to: int, body: str, client_msg_id: str, subject: str,
                origin: str | None = None, record_id: int | None = None, *, kind: str = "text",
                meta: dict[str, Any] | None = None, attach: Attach | None = None) -> asyncio.Future[dict[str, Any]]:
        """Queue the send now (sends queued in a row are stored in that order); its answer to come."""
        return self._batcher.enqueue(SendRequest(actor, to, body, client_msg_id, subject, origin, record_id,
                                                 kind, meta, attach))


async def send_many(svc: Services, batch: list[SendRequest],
                    conn: AsyncConnection | None = None) -> list[dict[str, Any] | BaseException]:
    """Store the batch's messages in one transaction; each gets its result or its refusal.

    ``conn``: the connection to work on. On SQLite the one written on (one is checked out
    if none is given); on PostgreSQL the one a batch that writes only its messages runs on
    without a session (:func:`_without_session`; otherwise a session's is used).
    """
    # The whole batch, checks and writes and commit, is one plan: on SQLite one hop of the
    # database's thread for the write lock, the rest on the event loop's thread
    # (db.prepared.run_plan; docs/benchmarks.md, step 28), and no session around it (step 36).
    tenants = user_tenants(svc)
    if svc.engine.dialect.name == "sqlite":
        pending: list[Delivery] = []
        async with svc.writing():
            now = svc.clock.now()
            if conn is not None:
                out = await prepared.run_write_plan(conn, _batch(batch, now, pending, tenants),
                                                    SEND_COMMIT_SECONDS.observe)
            else:
                async with svc.engine.connect() as own:
                    out = await prepared.run_write_plan(own, _batch(batch, now, pending, tenants),
                                                        SEND_COMMIT_SECONDS.observe)
        # Committed: only now may anyone hear of it (as Services.transaction does).
        if pending:
            await svc.publish_many(pending)
    else:
        found = None
        if conn is not None and not _writes_more_than_messages(batch):
            found = await _without_session(svc, batch, conn, tenants)
        out = found if found is not None else await _in_session(svc, batch, tenants)
    MESSAGES_STORED.inc(sum(1 for o in out if isinstance(o, dict) and not o["duplicate"]))
    return [o if o is not None else RuntimeError("send not answered") for o in out]


async def _without_session(svc: Services, batch: list[SendRequest], conn: AsyncConnection,
                           tenants: UserTenants) -> Out | None:
    """PostgreSQL: the batch on ``conn`` without a session, each statement its own
    transaction (``prepared.run_direct_plan``): its reads, then the one statement that
    stores its messages with all they change. None, having only read, when it needs a
    session after all (a first message's conversation is made through the ORM)."""
    pending: list[Delivery] = []
    plan = _batch(batch, svc.clock.now(), pending, tenants, together=True)
    try:
        out = await prepared.run_direct_plan(await pg_direct.Direct.of(conn), plan)
    except prepared.NeedsSession:
        return None
    # Stored: only now may anyone hear of it (as Services.transaction does).
    if pending:
        await svc.publish_many(pending)
    return out


async def _in_session(svc: Services, batch: list[SendRequest], tenants: UserTenants) -> Out:
    """PostgreSQL: the batch in a session's transaction (steps the ORM runs, or more writes
    than the messages' one statement), or outside one where it writes only that statement."""
    async with svc.transaction() as tx:
        if not _writes_more_than_messages(batch):
            # The batch writes in one statement (_store; a first message's conversation
            # is made first, in a transaction the ORM begins, which the rest then joins).
            pg_direct.begin_nothing(tx.session)
        out = await prepared.run_plan(tx.session, _batch(batch, tx.now, tx.pending, tenants, together=True),
                                      commit=True)
        # Committed here rather than by the transaction's end, to time the commit alone
        # (a batch written in one statement outside a transaction has no commit: that
        # statement's time is observed instead, by store_sends_query).
        if pg_direct.transaction_begun(tx.session):
            started = time.perf_counter()
            await tx.session.commit()
            SEND_COMMIT_SECONDS.observe(time.perf_counter() - started)
    return out


Out = list[dict[str, Any] | BaseException | None]


def _writes_more_than_messages(batch: list[SendRequest]) -> bool:
    """Whether storing the batch may write more than its messages and what they change: a
    record's timeline line, a file's tie (``SendRequest.attach``). On PostgreSQL those are
    statements of their own after the messages' one (:func:`_store`), so such a batch needs
    its transaction; any other is written by that one statement, atomic on its own."""
    return any(r.record_id is not None or r.attach is not None for r in batch)


def _batch(batch: list[SendRequest], now: datetime, pending: list[Delivery], tenants: UserTenants,
           together: bool = False) -> Plan[Out]:
    """Check the batch's sends and store those that pass: the plan :func:`send_many` runs.

    Each send is answered in the list it returns, in order; the events to publish once the
    transaction commits are added to ``pending``. ``together``: see :func:`_store`.
    ``tenants``: the users' tenants as known before (:class:`UserTenants`), kept up to date.
    """
    out: Out = [None] * len(batch)
    # Each sender's id, read once: ``actor`` is an ORM instance, and every read of one of
    # its attributes goes through SQLAlchemy's instrumentation (docs/benchmarks.md, step 33).
    senders = [r.actor.id for r in batch]
    # The users, which pairs are contacts and their conversations: read together, for
    # every pair of the batch, though the checks below may refuse some.
    pairs = {(sid, r.to) for sid, r in zip(senders, batch, strict=True)}
    users: dict[int, UserBrief]
    friends: set[frozenset[int]]
    convs: dict[tuple[int, int], int]
    records: dict[int, tuple[int, str]]  # id: organisation, subject
    everyone = set(senders) | {r.to for r in batch}
    # With every user's tenant known from earlier batches, the settings are read with the
    # rest, for every sender and recipient (some may be refused below: a few rows more).
    guessed = {uid: tenants[uid] for uid in everyone} if all(uid in tenants for uid in everyone) else None
    early = _settings_queries(batch, senders, range(len(batch)), guessed) if guessed is not None else []
    users, friends, convs, records, *answers = yield [
        accounts.user_briefs_query(list(everyone)),
        contacts.accepted_pairs_query(pairs),
        chat_sends.conversation_ids_query({(min(a, b), max(a, b)) for a, b in pairs}),
        directory.record_subjects_query(sorted({r.record_id for r in batch if r.record_id is not None})),
        *early,
    ]
    tenants.remember(users)
    live: list[int] = []
    for i, sid in enumerate(senders):
        sender = users.get(sid)
        if sender is None:
            out[i] = NotFound(f"no user with id {sid}")
        elif sender.status == "offline":
            out[i] = Forbidden("your status is Offline: set another status to send messages", code="status_offline")
        else:
            live.append(i)
    if guessed is None or any(guessed[uid] != user.tenant_id for uid, user in users.items()):
        found = {uid: user.tenant_id for uid, user in users.items()}
        answers = yield _settings_queries(batch, senders, live, found)
    blocking: set[int] = answers.pop()
    enabled: dict[int, Any] = {}
    notify_values: dict[int, Any] = {}
    for values in answers:
        enabled.update(values["chat.internal_enabled"])
        notify_values.update(values["notify.chat_message"])
    ok: list[int] = []
    refused: list[int] = []
    in_batch: dict[tuple[int, str], int] = {}
    for i in live:
        r, sid = batch[i], senders[i]
        if not enabled[sid]:
            out[i] = Forbidden("chat is not enabled for this user; a key-user can enable it", code="chat_disabled")
            continue
        key = (sid, r.client_msg_id)
        if key in in_batch:  # the same send twice in one batch: the first is stored
            continue
        if frozenset((sid, r.to)) not in friends:
            out[i] = NotFound(f"user {r.to} is not one of your contacts", code="not_a_contact")
            refused.append(i)
            continue
        sender, recipient = users[sid], users[r.to]
        if sender.tenant_id != recipient.tenant_id and blocking & {sender.tenant_id, recipient.tenant_id}:
            out[i] = Forbidden(
                f"external chat with {recipient.display_name} is blocked by your organisation or theirs",
                code="external_chat_blocked",
            )
            refused.append(i)
            continue
        record = records.get(r.record_id) if r.record_id is not None else None
        if r.record_id is not None and (record is None or record[0] != sender.tenant_id):
            out[i] = NotFound(f"no record with id {r.record_id}")
            refused.append(i)
            continue
        in_batch[key] = i
        ok.append(i)
    if refused:
        # A resend of a message stored before the contact ended still gets it back.
        yield from _answer_resends(batch, senders, refused, out)
    if ok:
        yield from _store(batch, senders, ok, users, convs, records, notify_values, now, pending, out, together)
        for j, r in enumerate(batch):
            first = in_batch.get((senders[j], r.client_msg_id))
            if out[j] is None and first is not None:
                answer = out[first]
                if isinstance(answer, dict):
                    out[j] = {"message": answer["message"], "duplicate": True}
    return out


def _settings_queries(batch: list[SendRequest], senders: list[int], indexes: Iterable[int],
                      tenant_of: dict[int, int]) -> list[Query[Any]]:
    """The settings the checks of the sends at ``indexes`` need: the chat switch of each
    sender (contacts.require_chat) and the notification level of each recipient, one query
    per tenant; last, when a send crosses organisations, which of them block that. A user
    not in ``tenant_of`` (not found) is left out."""
    by_tenant: dict[int, set[int]] = defaultdict(set)
    crossing: set[int] = set()
    for i in indexes:
        to, sid = batch[i].to, senders[i]
        if sid not in tenant_of:
            continue
        by_tenant[tenant_of[sid]].add(sid)
        if to in tenant_of:
            by_tenant[tenant_of[to]].add(to)
            if tenant_of[to] != tenant_of[sid]:
                crossing |= {tenant_of[to], tenant_of[sid]}
    return [
        *(settings_store.effective_for_query(tenant_id, sorted(ids), _SETTINGS) for tenant_id, ids in by_tenant.items()),
        settings_store.tenants_blocking_external_query(crossing),
    ]


def _answer_resends(batch: list[SendRequest], senders: list[int], indexes: list[int], out: Out) -> Plan[None]:
    """Answer the sends among ``indexes`` whose message is stored already with it (duplicate)."""
    existing = yield chat_sends.stored_messages_query([(senders[i], batch[i].client_msg_id) for i in indexes])
    for i in indexes:
        found = existing.get((senders[i], batch[i].client_msg_id))
        if found is not None:
            out[i] = {"message": found, "duplicate": True}


def _store(batch: list[SendRequest], senders: list[int], ok: list[int], users: dict[int, UserBrief], convs: dict[tuple[int, int], int],
           records: dict[int, tuple[int, str]], notify_values: dict[int, Any], now: datetime, pending: list[Delivery],
           out: Out, together: bool) -> Plan[None]:
    """Write the checked sends: messages, unread counts, conversations, events, and the
    timeline line of each message about a record.

    ``together`` (PostgreSQL): the messages and all they change in one statement
    (:func:`chat_sends.store_sends_query`), one round trip instead of three; SQLite runs
    them one by one, each in process.

    Answers each in ``out``: a resend (its message stored already) with that message; a
    new message with it (as sent to clients) and, for a send made on a connection, the
    sender's own event (its ``seq`` and fields), which that connection's ack carries when
    it can (``hub.Connection.absorb``).
    """
    pair_of = {i: (min(senders[i], batch[i].to), max(senders[i], batch[i].to)) for i in ok}
    new_pairs = list(dict.fromkeys(pair for pair in pair_of.values() if pair not in convs))
    if new_pairs:
        convs.update((yield from chat_sends.new_conversations_plan(new_pairs, now)))
    def subject(r: SendRequest) -> str:
        return r.subject if r.subject or r.record_id is None else records[r.record_id][1]

    levels = notify.levels_from(list({users[batch[i].to].id: users[batch[i].to] for i in ok}.values()), notify_values)
    # The events' data as stored: each message encoded once for both of its events, the
    # rest spliced around it, the text json.dumps gives the whole (steps 33 and 34).
    names = {uid: json.dumps(u.display_name) for uid, u in users.items()}

    def tails(i: int) -> tuple[str, str]:
        """The recipient's event's text after its unread count, and the sender's."""
        sent_by = names[senders[i]]
        return (f', "from": {sent_by}, "notify": {levels[batch[i].to]:d}}}', f', "from": {sent_by}, "notify": 0}}')

    msgs: dict[int, dict[str, Any]] = {}
    unread: dict[int, int] = {}
    seqs: dict[int, tuple[int, int]] = {}  # each send's events' seqs: the recipient's, the sender's
    resends: list[int] = []
    if together:
        created_at = now.isoformat()

        sends = []
        unnumbered: dict[int, dict[str, Any]] = {}
        head = '{"id": 0'
        for i in ok:
            r = batch[i]
            unnumbered[i] = chat.message_fields(0, convs[pair_of[i]], senders[i], r.client_msg_id, r.body, subject(r),
                                                r.record_id, created_at, r.kind, r.meta)
            # The message's JSON after its id, which the statement writes in front of it.
            blank = chat.message_json(unnumbered[i])
            assert blank.startswith(head), blank
            sends.append(chat_sends.NewSend(convs[pair_of[i]], senders[i], r.to, r.client_msg_id, r.body, subject(r),
                                            r.record_id, r.kind, r.meta, blank[len(head):], *tails(i)))
        stored = yield chat_sends.store_sends_query(sends, CHAT_MESSAGE, now, SEND_COMMIT_SECONDS.observe)
        for i, done in zip(ok, stored, strict=True):
            if done is None:
                resends.append(i)
                continue
            msgs[i] = unnumbered[i]
            msgs[i]["id"] = done.id
            unread[i] = done.unread
            seqs[i] = (done.recipient_seq, done.sender_seq)
    else:
        # Core statements of fixed shape: the ORM's unit of work cost a third of the batch
        # for objects nobody reads again (docs/benchmarks.md, step 11).
        rows = [{"conversation_id": convs[pair_of[i]], "sender_id": senders[i],
                 "client_msg_id": batch[i].client_msg_id, "body": batch[i].body, "subject": subject(batch[i]),
                 "record_id": batch[i].record_id, "kind": batch[i].kind, "meta": batch[i].meta} for i in ok]
        inserted = dict(zip(ok, (yield chat_sends.insert_messages_query(rows, now)), strict=True))
        resends = [i for i in ok if inserted[i] is None]
        msgs = {i: m for i, m in inserted.items() if m is not None}
    if resends:  # stored by an earlier send: answered with it, written no further
        yield from _answer_resends(batch, senders, resends, out)
        ok = [i for i in ok if i in msgs]
        if not ok:
            return
    timeline = [{"tenant_id": users[senders[i]].tenant_id, "record_id": batch[i].record_id, "kind": "chat",
                 "summary": f"{users[senders[i]].display_name} to {users[batch[i].to].display_name}: "
                            f"{batch[i].body[:200]}",
                 "ref_id": msgs[i]["id"], "actor_user_id": senders[i]}
                for i in ok if batch[i].record_id is not None]
    attached = [attach(msgs[i]) for i in ok if (attach := batch[i].attach) is not None]
    if together:
        if timeline or attached:  # in the transaction send_many began (_writes_more_than_messages)
            yield [directory.add_timeline_query(timeline, now), *attached]
    else:
        yield from _store_rest(batch, senders, ok, msgs, timeline, attached, now, unread, seqs, tails)
    for i in ok:
        r, sid = batch[i], senders[i]
        data = msgs[i]
        name = users[sid].display_name
        # Recipient first, then the sender's other devices: as the single path did.
        pending.append(Delivery(users=[r.to], type=CHAT_MESSAGE, seqs=[seqs[i][0]], data={
            "message": data, "unread": unread[i], "from": name, "notify": levels[r.to]}))
        own = {"message": data, "unread": 0, "from": name, "notify": 0}
        pending.append(Delivery(users=[sid], type=CHAT_MESSAGE, data=own, seqs=[seqs[i][1]], exclude_conn=r.origin))
        result: dict[str, Any] = {"message": data, "duplicate": False}
        if r.origin is not None:
            result.update(own, seq=seqs[i][1])
        out[i] = result


def _store_rest(batch: list[SendRequest], senders: list[int], ok: list[int], msgs: dict[int, dict[str, Any]],
                timeline: list[dict[str, Any]], attached: list[Query[None]], now: datetime, unread: dict[int, int],
                seqs: dict[int, tuple[int, int]], tails: Callable[[int], tuple[str, str]]) -> Plan[None]:
    """SQLite, after the messages' insert: the conversations' time, the unread counts, the
    timeline and what sends attach, then the events; fills ``unread`` and ``seqs``."""
    unread_add: dict[tuple[int, int], int] = defaultdict(int)
    for i in ok:
        unread_add[(msgs[i]["conversation_id"], batch[i].to)] += 1
    final: dict[tuple[int, int], int]
    _, final, _, *_ = yield [
        chat_sends.touch_conversations_query({m["conversation_id"] for m in msgs.values()}, now),
        chat_sends.bump_unread_query(dict(unread_add)), directory.add_timeline_query(timeline, now), *attached]
    # Each message's unread is the recipient's count just after it, in batch order.
    remaining = dict(unread_add)
    for i in ok:
        key = (msgs[i]["conversation_id"], batch[i].to)
        remaining[key] -= 1
        unread[i] = final[key] - remaining[key]
    items: list[tuple[int, str, dict[str, Any]]] = []
    texts: list[str] = []
    for i in ok:
        # The events' data is read back from the texts only: no dict made here for it.
        items.append((batch[i].to, CHAT_MESSAGE, {}))
        items.append((senders[i], CHAT_MESSAGE, {}))
        message = chat.message_json(msgs[i])
        recipient_tail, sender_tail = tails(i)
        texts.append(f'{{"message": {message}, "unread": {unread[i]:d}{recipient_tail}')
        texts.append(f'{{"message": {message}, "unread": 0{sender_tail}')
    numbers = yield from events.append_many_plan(items, now, texts)
    for k, i in enumerate(ok):
        seqs[i] = (numbers[2 * k], numbers[2 * k + 1])
