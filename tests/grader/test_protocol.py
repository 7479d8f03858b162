"""The child-to-grader wire: plain data survives the trip, anything else is refused."""
import base64
import json
import os
import threading
import time

import mxnet as mx
import numpy as np
import pytest

from grader import protocol


def round_trip(value):
    """value encoded in the child, sent as JSON, decoded in the grader."""
    return protocol.decode(json.loads(json.dumps(protocol.encode(value))))


def test_plain_data_round_trips_with_tuples_kept_apart_from_lists():
    value = {"shapes": ((3, 4), [5]), "flag": True, "name": "x", "none": None, "n": 3, "f": 0.5}
    assert round_trip(value) == value
    assert type(round_trip(((3, 4), [5]))[0]) is tuple


def test_arrays_and_ndarrays_arrive_as_numpy_arrays():
    array = np.arange(6, dtype=np.int32).reshape(2, 3)
    got = round_trip([array, mx.nd.ones((2, 2)), np.float32(1.5)])
    assert got[0].dtype == np.int32 and np.array_equal(got[0], array)
    assert got[1].dtype == np.float32 and got[1].shape == (2, 2)
    assert isinstance(got[2], np.float32) and got[2] == 1.5


def test_nan_and_inf_survive():
    got = round_trip([float("nan"), float("inf")])
    assert np.isnan(got[0]) and got[1] == float("inf")


def test_subclasses_of_plain_types_lose_their_overrides():
    class EqualStr(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    got = round_trip(EqualStr("a"))
    assert type(got) is str and got != "b"


@pytest.mark.parametrize("value", [object(), np.array(["a"]), np.array([object()]), {1: "a"}, 1j])
def test_anything_else_is_unsupported(value):
    with pytest.raises(protocol.Unsupported):
        protocol.encode(value)


def tagged_array(data=b"\0" * 8, dtype="float32", shape=(2,)):
    """A tagged array dict as a (possibly hostile) child could send it."""
    return {"__ndarray__": base64.b64encode(data).decode(), "dtype": dtype, "shape": list(shape), "scalar": False}


@pytest.mark.parametrize("data", [
    {"__class__": "os.system"}, {"a": 1},
    tagged_array(dtype="object"), tagged_array(shape=(3,)), tagged_array(shape=(-1,)),
    dict(tagged_array(), __ndarray__="not base64!"),
    tagged_array(b"", shape=(2 ** 33, 2 ** 33)), tagged_array(b"", shape=(2 ** 64,)),
    tagged_array(b"", shape=(0, 2 ** 64)), tagged_array(b"\0" * 4, shape=(1,) * 40),
])
def test_decode_refuses_malformed_or_untagged_data(data):
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(data)


def test_frames_round_trip_and_oversized_ones_are_refused():
    read, write = os.pipe()
    try:
        protocol.send_reply(write, {"kind": "reply", "status": "ok", "value": [1, 2]})
        assert protocol.receive_reply(read, deadline=None)["value"] == [1, 2]
        protocol.write_frame(write, b"x" * 100)
        with pytest.raises(protocol.ProtocolError, match="over the 10-byte limit"):
            protocol.read_frame(read, max_bytes=10)
    finally:
        os.close(read)
        os.close(write)


def test_a_closed_pipe_and_a_silent_one_are_told_apart():
    read, write = os.pipe()
    with pytest.raises(protocol.ChannelTimeout):
        protocol.read_frame(read, deadline=0)
    os.close(write)
    with pytest.raises(protocol.ChannelClosed):
        protocol.read_frame(read, deadline=None)
    os.close(read)


def test_a_request_to_a_child_that_stopped_reading_times_out():
    read, write = os.pipe()
    request = {"op": "call", "args": (np.ones((200, 500)),)}  # far more than a pipe buffer holds
    try:
        with pytest.raises(protocol.ChannelTimeout):
            protocol.send_request(write, request, deadline=time.monotonic() + 0.2)
    finally:
        os.close(read)
        os.close(write)


def test_a_large_request_arrives_whole_when_the_child_reads():
    read, write = os.pipe()
    request = {"op": "call", "args": (np.arange(100000.0),)}
    received = []
    reader = threading.Thread(target=lambda: received.append(protocol.receive_request(read)))
    reader.start()
    try:
        protocol.send_request(write, request, deadline=time.monotonic() + 10)
        reader.join(10)
    finally:
        os.close(write)
        os.close(read)
    assert np.array_equal(received[0]["args"][0], request["args"][0])
