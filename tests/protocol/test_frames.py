"""Sans-IO tests of the envelope codec and the message schema: no socket, no server."""

from __future__ import annotations

import json

import msgpack
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatserver.errors import BadRequest, ProtocolError
from chatserver.protocol.frames import (
    MAX_ID_LENGTH,
    SUBPROTOCOLS,
    Envelope,
    ack,
    decode,
    encode,
    error,
    event,
)
from chatserver.protocol.schema import MESSAGES, validate


def _pack(obj: object) -> bytes:
    return msgpack.packb(obj, use_bin_type=True)


# --- decoding valid frames -----------------------------------------------------------


def test_subprotocols_name_both_formats():
    assert SUBPROTOCOLS == {"chatserver.v1.json": "json", "chatserver.v1.msgpack": "msgpack"}


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
def test_decode_a_full_envelope(fmt):
    frame = {"type": "chat.send", "id": "c1", "data": {"to": 2, "body": "hoi", "client_msg_id": "x"}}
    raw = json.dumps(frame) if fmt == "json" else _pack(frame)
    assert decode(fmt, raw) == Envelope(type="chat.send", id="c1", data=frame["data"])


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
def test_id_and_data_are_optional(fmt):
    for frame in ({"type": "ping"}, {"type": "ping", "id": None, "data": None}):
        raw = json.dumps(frame) if fmt == "json" else _pack(frame)
        assert decode(fmt, raw) == Envelope(type="ping", id=None, data={})


@pytest.mark.parametrize("fmt", ["json", "msgpack"])
def test_an_integer_id_comes_back_as_text(fmt):
    frame = {"type": "ping", "id": 7}
    raw = json.dumps(frame) if fmt == "json" else _pack(frame)
    assert decode(fmt, raw).id == "7"


# --- malformed frames ----------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "{", "not json", '{"type": "ping",}', "{'type': 'ping'}"])
def test_invalid_json_is_refused_with_a_clear_message(raw):
    with pytest.raises(ProtocolError) as err:
        decode("json", raw)
    assert err.value.code == "protocol_error"
    assert err.value.status == 400
    assert "not valid JSON" in err.value.message


@pytest.mark.parametrize(
    "raw",
    [
        b"",  # nothing at all
        b"\xc1",  # a byte msgpack never uses
        b"\x82\xa4type",  # a map cut short
        b"\x81\xa4type\xa4ping\xc0",  # one valid object followed by extra data
        _pack({1: "int keys are not allowed"}),
    ],
)
def test_invalid_msgpack_is_refused_with_a_clear_message(raw):
    with pytest.raises(ProtocolError) as err:
        decode("msgpack", raw)
    assert err.value.code == "protocol_error"
    assert "not valid msgpack" in err.value.message


def test_binary_frame_on_a_json_connection_is_refused():
    with pytest.raises(ProtocolError, match="binary frame on a JSON connection"):
        decode("json", b'{"type": "ping"}')


def test_text_frame_on_a_msgpack_connection_is_refused():
    with pytest.raises(ProtocolError, match="text frame on a msgpack connection"):
        decode("msgpack", '{"type": "ping"}')


@pytest.mark.parametrize("obj", [[], ["ping"], "ping", 3, 1.5, None, True])
@pytest.mark.parametrize("fmt", ["json", "msgpack"])
def test_a_frame_that_is_not_an_object_is_refused(fmt, obj):
    raw = json.dumps(obj) if fmt == "json" else _pack(obj)
    with pytest.raises(ProtocolError, match="must be an object"):
        decode(fmt, raw)


@pytest.mark.parametrize(
    "frame",
    [{}, {"type": ""}, {"type": None}, {"type": 5}, {"type": ["ping"]}, {"type": {"x": 1}}, {"data": {}}],
)
@pytest.mark.parametrize("fmt", ["json", "msgpack"])
def test_missing_or_empty_type_is_refused(fmt, frame):
    raw = json.dumps(frame) if fmt == "json" else _pack(frame)
    with pytest.raises(ProtocolError, match="'type' is required"):
        decode(fmt, raw)


def test_a_binary_type_in_msgpack_is_not_a_string():
    with pytest.raises(ProtocolError, match="'type' is required"):
        decode("msgpack", _pack({"type": b"ping"}))


def test_an_error_about_the_type_names_the_frame_id_when_usable():
    with pytest.raises(ProtocolError) as err:
        decode("json", json.dumps({"id": "c9", "type": ""}))
    assert err.value.msg_id == "c9"
    with pytest.raises(ProtocolError) as err:
        decode("json", json.dumps({"id": ["c9"], "type": ""}))
    assert err.value.msg_id is None


@pytest.mark.parametrize("bad_id", ["x" * (MAX_ID_LENGTH + 1), 1.5, ["c1"], {"id": 1}, True, False])
@pytest.mark.parametrize("fmt", ["json", "msgpack"])
def test_a_bad_id_is_refused(fmt, bad_id):
    frame = {"type": "ping", "id": bad_id}
    raw = json.dumps(frame) if fmt == "json" else _pack(frame)
    with pytest.raises(ProtocolError, match="'id' must be"):
        decode(fmt, raw)


def test_an_integer_id_longer_than_the_maximum_is_refused():
    with pytest.raises(ProtocolError, match="'id' must be"):
        decode("json", json.dumps({"type": "ping", "id": 10 ** (MAX_ID_LENGTH + 1)}))


def test_an_id_of_exactly_the_maximum_length_is_accepted():
    assert decode("json", json.dumps({"type": "ping", "id": "x" * MAX_ID_LENGTH})).id == "x" * MAX_ID_LENGTH


@pytest.mark.parametrize("data", [[], [1, 2], "text", 3, True])
@pytest.mark.parametrize("fmt", ["json", "msgpack"])
def test_data_that_is_not_an_object_is_refused_with_the_id(fmt, data):
    frame = {"type": "chat.send", "id": "c4", "data": data}
    raw = json.dumps(frame) if fmt == "json" else _pack(frame)
    with pytest.raises(ProtocolError, match="'data' must be an object") as err:
        decode(fmt, raw)
    assert err.value.msg_id == "c4"


# --- encoding --------------------------------------------------------------------------


def test_encode_json_is_compact_text_and_keeps_non_ascii():
    out = encode("json", {"type": "ack", "id": "c1", "data": {"body": "café ☕"}})
    assert isinstance(out, str)
    assert out == '{"type":"ack","id":"c1","data":{"body":"café ☕"}}'


def test_encode_msgpack_is_binary():
    out = encode("msgpack", {"type": "ack", "id": "c1", "data": {"blob": b"\x00\x01"}})
    assert isinstance(out, bytes)
    assert msgpack.unpackb(out, raw=False) == {"type": "ack", "id": "c1", "data": {"blob": b"\x00\x01"}}


def test_reply_and_event_frames():
    assert ack("c1") == {"type": "ack", "id": "c1", "data": {}}
    assert ack("c1", {"x": 1}) == {"type": "ack", "id": "c1", "data": {"x": 1}}
    assert error("c2", {"code": "not_found", "message": "no"}) == {
        "type": "error", "id": "c2", "error": {"code": "not_found", "message": "no"},
    }
    assert event("chat.typing", {"typing": True}) == {"type": "chat.typing", "data": {"typing": True}}
    assert event("chat.message", {}, seq=42) == {"type": "chat.message", "data": {}, "seq": 42}


def test_error_frames_carry_the_error_code_and_message():
    exc = BadRequest("field 'to' is required", code="missing_field", field="to")
    assert error("c3", exc.to_dict())["error"] == {
        "code": "missing_field", "message": "field 'to' is required", "details": {"field": "to"},
    }


# --- round trip ------------------------------------------------------------------------

def _text(max_size: int, min_size: int = 0) -> st.SearchStrategy[str]:
    """Text the server takes: no NUL, no lone surrogate (protocol.schema refuses both)."""
    return st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                   min_size=min_size, max_size=max_size)


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _text(max_size=50)
)
_json_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(_text(max_size=10), children, max_size=5),
    max_leaves=20,
)
_ids = st.none() | _text(max_size=MAX_ID_LENGTH) | st.integers(min_value=-(10**18), max_value=10**18)


@given(
    fmt=st.sampled_from(["json", "msgpack"]),
    type_=_text(min_size=1, max_size=40),
    msg_id=_ids,
    data=st.dictionaries(_text(max_size=20), _json_values, max_size=8),
)
def test_encode_then_decode_gives_the_envelope_back(fmt, type_, msg_id, data):
    raw = encode(fmt, {"type": type_, "id": msg_id, "data": data})
    env = decode(fmt, raw)
    assert env == Envelope(type=type_, id=None if msg_id is None else str(msg_id), data=data)


# --- schema ----------------------------------------------------------------------------


def test_an_unknown_type_is_refused_and_the_known_types_are_listed():
    with pytest.raises(BadRequest) as err:
        validate("chat.explode", {})
    assert err.value.code == "unknown_type"
    assert "'chat.explode'" in err.value.message
    for known in MESSAGES:
        assert known in err.value.message


def test_a_valid_message_keeps_only_its_declared_fields():
    data = {"to": 2, "body": "hoi", "client_msg_id": "m1", "admin": True}
    assert validate("chat.send", data) == {"to": 2, "body": "hoi", "client_msg_id": "m1"}


def test_optional_fields_may_be_absent_or_null():
    assert validate("hello", {}) == {}
    assert validate("hello", {"last_seq": None, "epoch": None}) == {}
    assert validate("hello", {"last_seq": 3, "epoch": "e1"}) == {"last_seq": 3, "epoch": "e1"}


@pytest.mark.parametrize(
    ("type_", "data", "field"),
    [
        ("chat.send", {"body": "hoi", "client_msg_id": "m"}, "to"),
        ("chat.send", {"to": 2, "client_msg_id": "m"}, "body"),
        ("chat.send", {"to": 2, "body": "hoi", "client_msg_id": None}, "client_msg_id"),
        ("chat.read", {"conversation_id": 1}, "message_id"),
        ("chat.typing", {"to": 2}, "typing"),
        ("presence.set", {}, "status"),
    ],
)
def test_a_missing_field_is_named(type_, data, field):
    with pytest.raises(BadRequest) as err:
        validate(type_, data)
    assert err.value.code == "missing_field"
    assert err.value.details == {"field": field}
    assert f"{type_}: field {field!r} is required" == err.value.message


@pytest.mark.parametrize(
    ("type_", "data", "field", "expected"),
    [
        ("chat.send", {"to": "2", "body": "hoi", "client_msg_id": "m"}, "to", "an integer"),
        # 2.0 is an integer to JSON Schema (and /openapi.json), so it is taken as 2; 2.5 is not.
        ("chat.send", {"to": 2.5, "body": "hoi", "client_msg_id": "m"}, "to", "an integer"),
        ("chat.send", {"to": True, "body": "hoi", "client_msg_id": "m"}, "to", "an integer"),
        ("chat.send", {"to": 2, "body": 5, "client_msg_id": "m"}, "body", "a string"),
        ("chat.send", {"to": 2, "body": ["hoi"], "client_msg_id": "m"}, "body", "a string"),
        ("chat.read", {"conversation_id": False, "message_id": 1}, "conversation_id", "an integer"),
        ("chat.typing", {"to": 2, "typing": 1}, "typing", "true or false"),
        ("chat.typing", {"to": 2, "typing": "yes"}, "typing", "true or false"),
        ("hello", {"last_seq": True}, "last_seq", "an integer"),
        ("presence.set", {"status": 1}, "status", "a string"),
    ],
)
def test_a_wrong_type_is_named_and_bool_is_not_an_integer(type_, data, field, expected):
    with pytest.raises(BadRequest) as err:
        validate(type_, data)
    assert err.value.code == "wrong_type"
    assert err.value.details == {"field": field}
    assert err.value.message == f"{type_}: field {field!r} must be {expected}"


def test_a_too_long_field_is_refused():
    with pytest.raises(BadRequest) as err:
        validate("chat.send", {"to": 2, "body": "hoi", "client_msg_id": "m" * 65})
    assert err.value.code == "too_long"
    assert "longer than 64 characters" in err.value.message
    assert validate("chat.send", {"to": 2, "body": "hoi", "client_msg_id": "m" * 64})["client_msg_id"] == "m" * 64


def test_an_invalid_choice_lists_the_choices():
    with pytest.raises(BadRequest) as err:
        validate("presence.set", {"status": "busy"})
    assert err.value.code == "invalid_value"
    assert "online, away, dnd, invisible, offline" in err.value.message
    assert validate("presence.set", {"status": "dnd"}) == {"status": "dnd"}
