"""The wire between the grader and a student child: framed messages and the plain-data encoding.

Grader -> child messages are pickles (trusted to untrusted). Child -> grader messages are
length-prefixed JSON that the grader validates: it never unpickles anything the child sends, so a
student object can only ever arrive as numbers, strings, lists, tuples, dicts and numeric arrays.
"""
import base64
import json
import math
import os
import pickle
import select
import struct
import sys
import time

import numpy as np

HEADER = struct.Struct(">I")
MAX_REPLY_BYTES = 64 << 20  # a reply larger than this is the student's fault, not data
ALLOWED_DTYPES = frozenset(
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
     "float16", "float32", "float64"])


class ProtocolError(Exception):
    """The child sent something that is not a well-formed message (or nothing at all)."""


class ChannelClosed(ProtocolError):
    """The other end closed the pipe: the child exited or died."""


class ChannelTimeout(ProtocolError):
    """No complete message arrived before the deadline."""


class Unsupported(Exception):
    """A student value that is not plain data; the message names its type."""


class NDArg:
    """A numpy array the child turns into an ``mx.nd.NDArray`` before the student sees it."""

    def __init__(self, array, dtype="float32"):
        self.array = np.asarray(array)
        self.dtype = dtype

    def __repr__(self):
        return "nd(array of shape %s, dtype=%s)" % (self.array.shape, self.dtype)


class ContextArg:
    """The run's --ctx ("cpu", "gpu", "gpu:N"); the child turns it into an ``mx.Context``."""

    def __init__(self, spec):
        self.spec = spec

    def __repr__(self):
        return "ctx(%s)" % self.spec


# ---- framing ---------------------------------------------------------------------------------

def _wait_for(fd, writing, deadline):
    """Return once fd can be written (writing) or read, or raise ChannelTimeout at deadline (time.monotonic())."""
    left = deadline - time.monotonic()
    watched = ([], [fd]) if writing else ([fd], [])
    if left <= 0 or not any(select.select(*watched, [], left)):
        raise ChannelTimeout("the other end did not %s before the deadline" % ("read" if writing else "reply"))


def write_frame(fd, payload, deadline=None):
    """Write one length-prefixed message to fd, giving up at deadline (None = block until written).

    With a deadline fd is switched to non-blocking mode, so a reader that stopped reading (a stopped
    or stuck child, a full pipe) costs at most the time left rather than blocking the writer forever.
    """
    data = memoryview(HEADER.pack(len(payload)) + payload)
    if deadline is not None:
        os.set_blocking(fd, False)
    while data:
        if deadline is not None:
            _wait_for(fd, True, deadline)
        try:
            data = data[os.write(fd, data):]
        except BlockingIOError:  # select said writable, but less room than a pipe's atomic write size
            continue


def _read_exactly(fd, count, deadline):
    """count bytes from fd, waiting at most until deadline (time.monotonic(); None = forever)."""
    chunks, missing = [], count
    while missing:
        if deadline is not None:
            _wait_for(fd, False, deadline)
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise ChannelClosed("the other end closed the pipe")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def read_frame(fd, deadline=None, max_bytes=MAX_REPLY_BYTES):
    """One message's bytes from fd; ProtocolError if it is larger than max_bytes."""
    (size,) = HEADER.unpack(_read_exactly(fd, HEADER.size, deadline))
    if size > max_bytes:
        raise ProtocolError("a message of %d bytes is over the %d-byte limit" % (size, max_bytes))
    return _read_exactly(fd, size, deadline)


def send_request(fd, request, deadline):
    """Grader side: send a request (a dict of trusted data) to the child; ChannelTimeout at deadline."""
    write_frame(fd, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL), deadline)


def receive_request(fd):
    """Child side: the next request, or None when the grader closed the pipe."""
    try:
        return pickle.loads(read_frame(fd, max_bytes=1 << 31))
    except ChannelClosed:
        return None


def send_reply(fd, reply):
    """Child side: send a reply dict whose values are already encoded with ``encode``."""
    write_frame(fd, json.dumps(reply).encode("utf-8"))


def receive_reply(fd, deadline):
    """Grader side: the next reply dict, validated to be a JSON object with a string 'kind'."""
    try:
        reply = json.loads(read_frame(fd, deadline).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ProtocolError("a reply that is not valid JSON (%s)" % exc)
    if not isinstance(reply, dict) or not isinstance(reply.get("kind"), str):
        raise ProtocolError("a reply without a 'kind'")
    return reply


# ---- plain data: child side ------------------------------------------------------------------

def encode(value, depth=0):
    """value as JSON-able data with tagged tuples, dicts and arrays; Unsupported for anything else.

    NDArrays become numpy arrays; subclasses of plain types become the plain type, so overriding
    __eq__ or __repr__ does not survive the trip.
    """
    if depth > 100:
        raise Unsupported("a structure nested more than 100 levels deep")
    if value is None or type(value) is bool:
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (np.ndarray, np.generic)):
        return _encode_array(value)
    mx = sys.modules.get("mxnet")
    if mx is not None and isinstance(value, mx.nd.NDArray):
        return _encode_array(value.asnumpy())
    if isinstance(value, tuple):
        return {"__tuple__": [encode(item, depth + 1) for item in value]}
    if isinstance(value, list):
        return [encode(item, depth + 1) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise Unsupported("a dict with non-string keys")
        return {"__dict__": {str.__str__(k): encode(v, depth + 1) for k, v in value.items()}}
    raise Unsupported("a %s" % _type_name(value))


def _type_name(value):
    """module.Class of value, as a student would recognise it."""
    cls = type(value)
    return cls.__name__ if cls.__module__ == "builtins" else "%s.%s" % (cls.__module__, cls.__name__)


def _encode_array(array):
    """A numpy array or scalar as a tagged dict of base64 bytes, dtype and shape."""
    dtype = np.dtype(array.dtype)
    if dtype.name not in ALLOWED_DTYPES:
        raise Unsupported("a numpy array of dtype %s (only numbers and bools are plain data)" % dtype)
    data = np.ascontiguousarray(array, dtype=dtype.newbyteorder("<"))
    return {"__ndarray__": base64.b64encode(data.tobytes()).decode("ascii"), "dtype": dtype.name,
            "shape": list(np.shape(array)), "scalar": isinstance(array, np.generic)}


# ---- plain data: grader side -----------------------------------------------------------------

def decode(data, depth=0):
    """Validated inverse of ``encode`` on data parsed from the child's JSON; ProtocolError if bad."""
    if depth > 100:
        raise ProtocolError("a value nested more than 100 levels deep")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(item, depth + 1) for item in data]
    if isinstance(data, dict) and set(data) == {"__tuple__"} and isinstance(data["__tuple__"], list):
        return tuple(decode(item, depth + 1) for item in data["__tuple__"])
    if isinstance(data, dict) and set(data) == {"__dict__"} and isinstance(data["__dict__"], dict):
        return {key: decode(item, depth + 1) for key, item in data["__dict__"].items()}
    if isinstance(data, dict) and set(data) == {"__ndarray__", "dtype", "shape", "scalar"}:
        return _decode_array(data)
    raise ProtocolError("an untagged or unknown JSON object in a reply")


def _decode_array(data):
    """A fresh numpy array (or numpy scalar) from a tagged dict, after checking every field."""
    dtype, shape = data["dtype"], data["shape"]
    if dtype not in ALLOWED_DTYPES:
        raise ProtocolError("an array of dtype %r" % (dtype,))
    if not (isinstance(shape, list) and all(type(n) is int and 0 <= n <= MAX_REPLY_BYTES for n in shape)):
        raise ProtocolError("an array with a malformed shape %r" % (shape,))
    try:
        raw = base64.b64decode(data["__ndarray__"], validate=True)
    except (TypeError, ValueError):
        raise ProtocolError("an array whose data is not base64")
    dt = np.dtype(dtype).newbyteorder("<")
    if len(raw) != math.prod(shape) * dt.itemsize:  # Python ints: no overflow for huge shapes
        raise ProtocolError("an array whose data does not match its shape %r" % (shape,))
    try:
        array = np.frombuffer(raw, dtype=dt).astype(np.dtype(dtype)).reshape(shape)
    except (ValueError, OverflowError) as exc:  # e.g. more dimensions than numpy allows
        raise ProtocolError("an array numpy cannot build with shape %r (%s)" % (shape, exc))
    if data["scalar"] is True and not shape:
        return array[()]
    return array
