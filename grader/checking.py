"""What a check module imports: the exercise decorator, checkpoints, assertions and student outcomes.

The outcomes (NotAttempted, StudentError, StudentTimeout, WrongType) are raised by the student
client in grader.sandbox and re-exported here, where the checks and the plugin look for them.

Checks run in the grader's own process and judge plain data that the student's child process sent
back; nothing here ever touches student objects.

Everything a query returns comes from the student's process, probe results included: student code
can monkeypatch grader.probes (or anything else) inside its child and send back whatever it likes.
So a check computes the expected values itself, in the grader, and compares; it never trusts a
probe's own claim (a flag such as "passed" or "same_object", or a value the probe reports as the
one it was asked for) as a verdict.
"""
import contextlib
import re
import warnings

import numpy as np
import pytest

from grader import answers
from grader.protocol import NDArg
from grader.sandbox import NotAttempted, StudentError, StudentStatus, StudentTimeout, WrongType

__all__ = ["exercise", "checkpoint", "nd", "assert_close", "assert_equal", "assert_answer", "is_mistake",
           "NotAttempted", "StudentError", "StudentStatus", "StudentTimeout", "WrongType"]

EXERCISE_ID = re.compile(r"^ch\d\d\.[a-z0-9_]+$")


# ---- declaring exercises and partial credit --------------------------------------------------

def exercise(id, points, hint, slow=False):  # noqa: A002  (the contract's name)
    """Decorator marking a check function as grading exercise ``id`` worth ``points``.

    slow=True: the check trains for more than a few seconds. It runs only with ``--slow`` (its queries
    then get SLOW_TIMEOUT_FACTOR times the per-query time limit); otherwise it is reported as skipped,
    worth 0 points in that run.
    """
    if not EXERCISE_ID.match(id):
        raise ValueError("exercise id %r must look like 'ch03.linreg'" % (id,))
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        raise ValueError("exercise %s: points must be a number > 0, got %r" % (id, points))
    return pytest.mark.exercise(id=id, points=points, hint=hint, slow=bool(slow))


class CheckpointLog:
    """The checkpoints one exercise's check passed and failed, in order: (name, points, message)."""

    def __init__(self):
        self.passed = []
        self.failed = []

    def points(self):
        """Points of the checkpoints passed so far."""
        return sum(points for _, points, _ in self.passed)

    def total(self):
        """Points of every checkpoint recorded so far."""
        return self.points() + sum(points for _, points, _ in self.failed)


_log = CheckpointLog()


def reset_checkpoints():
    """Start a fresh log for the next check (the grader's plugin calls this) and return it."""
    global _log
    _log = CheckpointLog()
    return _log


@contextlib.contextmanager
def checkpoint(name, points):
    """Partial credit: an AssertionError inside fails this checkpoint only, and later ones still run."""
    try:
        yield
    except AssertionError as exc:
        _log.failed.append((name, points, str(exc)))
    else:
        _log.passed.append((name, points, ""))


def nd(array, dtype="float32"):
    """Mark a numpy array argument that the child hands to the student as an mx.nd.NDArray."""
    return NDArg(array, dtype)


# ---- assertions on plain data ----------------------------------------------------------------

def _numeric_array(value, what):
    """value as a float64 numpy array, or WrongType if it is not numbers in a rectangular shape."""
    if value is None or isinstance(value, (str, dict)):
        raise WrongType("%s: got %s, expected numbers" % (what, _describe(value)))
    try:
        with warnings.catch_warnings():  # numpy 1.23 warns before making a ragged list an object array
            warnings.simplefilter("ignore")
            array = np.asarray(value)
    except ValueError:
        raise WrongType("%s: got a ragged nested list, expected a rectangular array of numbers" % what)
    if array.dtype.kind not in "biuf":
        raise WrongType("%s: got %s, expected numbers" % (what, _describe(value)))
    return array.astype(np.float64)


def _describe(value):
    """A short phrase naming value's type (and shape for arrays) for failure messages."""
    if isinstance(value, np.ndarray):
        return "an array of shape %s" % (value.shape,)
    return "None" if value is None else "a %s" % type(value).__name__


def _index(flat_index, shape):
    """The index tuple of flat_index in shape, printed like (1, 2)."""
    return tuple(int(i) for i in np.unravel_index(flat_index, shape)) if shape else ()


def assert_close(got, expected, rtol=1e-5, atol=1e-6, what="result"):
    """Fail unless got matches expected elementwise within rtol/atol (same shape, no stray NaN/inf)."""
    want = np.asarray(expected, dtype=np.float64)
    have = _numeric_array(got, what)
    if have.shape != want.shape:
        raise AssertionError("%s: expected shape %s, got shape %s" % (what, want.shape, have.shape))
    stray = ~np.isfinite(have) & ~(np.isnan(have) & np.isnan(want)) & ~(have == want)
    if stray.any():
        first = int(np.flatnonzero(stray)[0])
        raise AssertionError("%s contains %s at index %s" % (what, have.flat[first], _index(first, have.shape)))
    close = np.isclose(have, want, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        first = int(np.flatnonzero(~close)[0])
        error = np.abs(np.where(close, 0.0, have - want))
        raise AssertionError(
            "%s: %d of %d values differ (max abs error %.3g); first at index %s: expected %r, got %r"
            % (what, int((~close).sum()), have.size, float(np.nanmax(error)),
               _index(first, have.shape), float(want.flat[first]), float(have.flat[first])))


def is_mistake(got, expected, mistake, rtol=1e-4, atol=1e-5):
    """Whether got is wrong and matches what a known mistake gives instead, so that a check can name the
    mistake (a missing factor, an ignored head gradient) before assert_close reports the numbers."""
    def close(a, b):
        try:
            return np.shape(a) == np.shape(b) and bool(np.allclose(a, b, rtol=rtol, atol=atol))
        except TypeError:  # not numbers: the assertion that follows reports them
            return False
    return not close(got, expected) and close(got, mistake)


def _difference(got, expected, path):
    """A sentence about the first place where got and expected differ, or None when equal."""
    number = (int, float, np.integer, np.floating)
    if isinstance(expected, (bool, np.bool_)) or isinstance(got, (bool, np.bool_)):
        same = isinstance(got, (bool, np.bool_)) and isinstance(expected, (bool, np.bool_)) and got == expected
    elif isinstance(expected, number):
        same = isinstance(got, number) and got == expected
    elif isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return "%s: expected an array, got %s" % (path, _describe(got))
        if got.shape != expected.shape:
            return "%s: expected shape %s, got shape %s" % (path, expected.shape, got.shape)
        same = bool(np.array_equal(got, expected))
    elif isinstance(expected, (list, tuple, dict)):
        return _container_difference(got, expected, path)
    else:
        same = type(got) is type(expected) and got == expected
    return None if same else "%s: expected %r, got %r" % (path, expected, got)


def _container_difference(got, expected, path):
    """_difference for lists, tuples and dicts: the kind, the length or keys, then each item."""
    if type(got) is not type(expected):
        return "%s: expected a %s, got %s" % (path, type(expected).__name__, _describe(got))
    if isinstance(expected, dict):
        if set(got) != set(expected):
            return "%s: expected keys %s, got %s" % (path, sorted(expected), sorted(got))
        pairs = [("%s[%r]" % (path, key), got[key], expected[key]) for key in expected]
    else:
        if len(got) != len(expected):
            return "%s: expected %d items, got %d" % (path, len(expected), len(got))
        pairs = [("%s[%d]" % (path, i), g, e) for i, (g, e) in enumerate(zip(got, expected))]
    for item_path, item_got, item_expected in pairs:
        difference = _difference(item_got, item_expected, item_path)
        if difference:
            return difference
    return None


def assert_equal(got, expected, what="result", reveal=True):
    """Fail unless got equals expected exactly (a tuple never equals a list), naming the first difference.

    With ``reveal=False`` (answer constants computed by an oracle) the message never shows the expected value.
    """
    difference = _difference(got, expected, what)
    if difference and not reveal:
        raise AssertionError("%s = %r is not the right answer" % (what, got))
    if difference:
        raise AssertionError(difference)


def assert_answer(got, digest, exercise_id, decimals=None, what="answer"):
    """Fail unless got hashes to digest (see grader.answers); the message never reveals the answer."""
    if not answers.matches(exercise_id, got, digest, decimals):
        precision = " (to %d decimals)" % decimals if decimals is not None else ""
        raise AssertionError("%s = %r is not the right answer%s" % (what, got, precision))
