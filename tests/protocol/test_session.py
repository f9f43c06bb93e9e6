"""Sans-IO tests of the connection state machine, its rate limit and frame size limit."""

from __future__ import annotations

import json

import msgpack
import pytest

from chatserver.clock import FakeClock
from chatserver.errors import BadRequest, ProtocolError, RateLimited, TooLarge
from chatserver.protocol import CloseCode, Session, SessionState
from chatserver.protocol.session import TokenBucket


def _session(fmt: str = "json", *, clock: FakeClock | None = None, rate: float = 1000, burst: int = 1000,
             max_frame_bytes: int = 1024) -> Session:
    return Session(fmt, clock=clock or FakeClock(), max_frame_bytes=max_frame_bytes, rate=rate, burst=burst)  # type: ignore[arg-type]


def _frame(type_: str, msg_id: str | None = "c1", fmt: str = "json", **data: object) -> str | bytes:
    frame = {"type": type_, "id": msg_id, "data": data}
    return json.dumps(frame, ensure_ascii=False) if fmt == "json" else msgpack.packb(frame, use_bin_type=True)


def _ready(session: Session) -> Session:
    session.receive(_frame("hello", fmt=session.format))
    session.ready()
    return session


def test_close_codes_are_the_documented_ones():
    assert (CloseCode.POLICY, CloseCode.TOO_BIG, CloseCode.UNAUTHORIZED) == (1008, 1009, 4001)


# --- state machine ---------------------------------------------------------------------


def test_a_new_session_waits_for_hello():
    session = _session()
    assert session.state is SessionState.AWAITING_HELLO
    req = session.receive(_frame("hello", last_seq=4, epoch="e"))
    assert (req.type, req.id, req.data) == ("hello", "c1", {"last_seq": 4, "epoch": "e"})
    session.ready()
    assert session.state is SessionState.READY


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
def test_anything_but_hello_or_ping_first_is_refused_with_its_id(fmt):
    session = _session(fmt)
    with pytest.raises(ProtocolError) as err:
        session.receive(_frame("chat.send", "c7", fmt, to=2, body="hoi", client_msg_id="m"))
    assert err.value.code == "hello_required"
    assert err.value.msg_id == "c7"
    assert "expected 'hello' first" in err.value.message
    # A ping is fine before hello, and the session still waits for hello.
    assert session.receive(_frame("ping", fmt=fmt)).type == "ping"
    assert session.state is SessionState.AWAITING_HELLO
    assert session.receive(_frame("hello", fmt=fmt)).type == "hello"


def test_hello_is_validated_like_any_message():
    session = _session()
    with pytest.raises(BadRequest) as err:
        session.receive(_frame("hello", "c2", last_seq="3"))
    assert err.value.code == "wrong_type" and err.value.msg_id == "c2"
    assert session.state is SessionState.AWAITING_HELLO


def test_a_second_hello_is_refused():
    session = _ready(_session())
    with pytest.raises(ProtocolError) as err:
        session.receive(_frame("hello", "c3"))
    assert err.value.code == "duplicate_hello" and err.value.msg_id == "c3"
    with pytest.raises(ProtocolError, match="cannot become ready from state ready"):
        session.ready()


def test_a_ready_session_passes_validated_requests():
    session = _ready(_session())
    req = session.receive(_frame("chat.read", "c5", conversation_id=1, message_id=2))
    assert (req.type, req.id, req.data) == ("chat.read", "c5", {"conversation_id": 1, "message_id": 2})


def test_schema_errors_carry_the_frame_id():
    session = _ready(_session())
    with pytest.raises(BadRequest) as err:
        session.receive(_frame("chat.read", "c6", conversation_id=1))
    assert err.value.code == "missing_field" and err.value.msg_id == "c6"
    with pytest.raises(BadRequest) as err:
        session.receive(_frame("nope", "c8"))
    assert err.value.code == "unknown_type" and err.value.msg_id == "c8"


def test_malformed_frames_do_not_change_the_state():
    session = _session()
    for raw in ("{", "[]", '{"type": ""}', b"\x00"):
        with pytest.raises(ProtocolError):
            session.receive(raw)
    assert session.state is SessionState.AWAITING_HELLO
    assert session.receive(_frame("hello")).type == "hello"


def test_a_closed_session_refuses_everything():
    session = _ready(_session())
    session.close()
    assert session.state is SessionState.CLOSED
    with pytest.raises(ProtocolError, match="closed"):
        session.receive(_frame("ping"))
    with pytest.raises(ProtocolError):
        session.ready()


def test_a_session_closed_before_hello_cannot_become_ready():
    session = _session()
    session.close()
    with pytest.raises(ProtocolError, match="cannot become ready from state closed"):
        session.ready()


# --- frame size ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
def test_a_frame_over_the_maximum_is_refused(fmt):
    session = _ready(_session(fmt, max_frame_bytes=200))
    big = _frame("ping", fmt=fmt, pad="x" * 300)
    with pytest.raises(TooLarge) as err:
        session.receive(big)
    assert err.value.code == "too_large" and err.value.status == 413
    assert err.value.msg_id == "c1"  # the client can match the refusal to its request
    assert "over the maximum of 200" in err.value.message
    # The connection goes on: a small frame is fine.
    assert session.receive(_frame("ping", fmt=fmt)).type == "ping"


def test_the_frame_limit_counts_bytes_not_characters():
    session = _ready(_session(max_frame_bytes=100))
    frame = _frame("ping", pad="é" * 40)  # 40 characters, 80 bytes in UTF-8, plus the envelope
    assert len(frame) <= 100 < len(frame.encode())
    with pytest.raises(TooLarge):
        session.receive(frame)


def test_a_frame_of_exactly_the_maximum_is_accepted():
    frame = _frame("ping", pad="x" * 20)  # longer than the hello that makes the session ready
    session = _ready(_session(max_frame_bytes=len(frame.encode())))
    assert session.receive(frame).type == "ping"


# --- rate limit ------------------------------------------------------------------------


def test_burst_then_refusal_then_refill_as_the_clock_moves():
    clock = FakeClock()
    session = _ready(_session(clock=clock, rate=2, burst=5))  # hello took one token
    for _ in range(4):
        session.receive(_frame("ping"))
    with pytest.raises(RateLimited) as err:
        session.receive(_frame("ping", "c9"))
    assert err.value.code == "rate_limited" and err.value.status == 429
    assert err.value.msg_id == "c9"  # "retry this one" needs to say which
    assert session.refusals == 1
    clock.advance(0.25)  # half a token: still refused
    with pytest.raises(RateLimited):
        session.receive(_frame("ping"))
    clock.advance(0.5)  # 0.75 s at 2/s since the last refill: one token
    session.receive(_frame("ping"))
    assert session.refusals == 2  # an accepted frame does not wipe the count (the window does)
    with pytest.raises(RateLimited):
        session.receive(_frame("ping"))


def test_refill_never_exceeds_the_burst():
    clock = FakeClock()
    session = _ready(_session(clock=clock, rate=10, burst=3))
    clock.advance(3600)
    for _ in range(3):
        session.receive(_frame("ping"))
    with pytest.raises(RateLimited):
        session.receive(_frame("ping"))


def test_malformed_frames_count_against_the_rate_limit():
    session = _ready(_session(rate=0.001, burst=3))  # hello took one token
    for _ in range(2):
        with pytest.raises(ProtocolError):
            session.receive("{")
    with pytest.raises(RateLimited) as err:
        session.receive("{")
    assert err.value.msg_id is None  # no usable id to name


def test_a_flood_of_refused_frames_is_flagged_and_a_quiet_window_clears_it():
    clock = FakeClock()
    session = _ready(_session(clock=clock, rate=1, burst=1))
    for i in range(Session.FLOOD_LIMIT):
        assert not session.flooding
        with pytest.raises(RateLimited):
            session.receive(_frame("ping", f"p{i}"))
    assert session.flooding
    clock.advance(Session.FLOOD_WINDOW)
    assert not session.flooding
    session.receive(_frame("ping"))
    with pytest.raises(RateLimited):
        session.receive(_frame("ping"))
    assert session.refusals == 1 and not session.flooding


def test_a_flood_a_little_faster_than_the_refill_is_flagged_within_the_window():
    # 100 frames/s against 20/s: every fifth is accepted. Counted in a row, the count
    # restarted at each and never reached the limit.
    clock = FakeClock()
    session = _ready(_session(clock=clock, rate=20, burst=60))
    sent = accepted = 0
    start = clock.monotonic()
    while not session.flooding:
        clock.advance(0.01)
        sent += 1
        try:
            session.receive(_frame("ping", f"p{sent}"))
            accepted += 1
        except RateLimited:
            pass
        assert clock.monotonic() - start < Session.FLOOD_WINDOW, "never flagged"
    assert accepted > 60  # frames went through between the refusals all along


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
def test_oversized_frames_take_tokens_and_count_towards_the_flood(fmt):
    session = _ready(_session(fmt, rate=0.001, burst=5, max_frame_bytes=200))  # hello took one token
    big = _frame("ping", fmt=fmt, pad="x" * 300)
    for _ in range(4):
        with pytest.raises(TooLarge):
            session.receive(big)
    with pytest.raises(RateLimited):  # they used up the budget: a small frame waits too
        session.receive(_frame("ping", fmt=fmt))
    for _ in range(Session.FLOOD_LIMIT - 5 - 1):
        with pytest.raises(RateLimited):
            session.receive(big)
        assert not session.flooding
    with pytest.raises(RateLimited):
        session.receive(big)
    assert session.flooding


def test_oversized_frames_alone_make_a_flood_even_with_tokens_to_spare():
    session = _ready(_session(rate=1000, burst=1000, max_frame_bytes=100))
    for _ in range(Session.FLOOD_LIMIT):
        assert not session.flooding
        with pytest.raises(TooLarge):
            session.receive(_frame("ping", pad="x" * 200))
    assert session.flooding


def test_token_bucket_alone():
    clock = FakeClock()
    bucket = TokenBucket(rate=1, burst=2, clock=clock)
    assert [bucket.take() for _ in range(3)] == [True, True, False]
    clock.advance(1)
    assert [bucket.take() for _ in range(2)] == [True, False]
