"""Salted hashes of answer constants, so the shipped grader holds no answer a student could copy.

A check stores ``digest(exercise_id, value, decimals)`` of the right answer and compares the
student's value with ``matches``. Values are hashed in a normal form: tuples and lists alike, numpy
arrays as nested lists, numbers as numbers (3.0 == 3), strings stripped. With ``decimals`` every
number is rounded to that many places, and a rounding one unit of the last place off still
matches, so any value within half a unit of the right answer passes even across a rounding boundary.

Make a digest for a check with:  python -m grader.answers ch02.keeps_id '"bcd"'  [--decimals N]
"""
import argparse
import ast
import hashlib
import itertools
import json
import math
import sys

import numpy as np

PREFIX = "sha256:"
SALT = "d2lzh-grader answers v1"
MAX_FUZZED_NUMBERS = 4  # with decimals, numbers beyond this many are matched at their rounding only


def _normal(value, decimals, offsets):
    """value in the hashed normal form; offsets is an iterator of unit offsets for rounded numbers."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _normal_number(float(value) if decimals is not None else value, decimals, offsets)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, np.ndarray):
        return _normal(value.tolist(), decimals, offsets)
    if isinstance(value, (list, tuple)):
        return [_normal(item, decimals, offsets) for item in value]
    if isinstance(value, dict):
        return {str(key): _normal(value[key], decimals, offsets) for key in sorted(value, key=str)}
    if value is None:
        return None
    raise TypeError("cannot hash a %s answer; use plain data" % type(value).__name__)


def _normal_number(number, decimals, offsets):
    """An int for integral numbers, else the float (rounded to decimals, plus an offset in units)."""
    if isinstance(number, (int, np.integer)):
        return int(number)
    if not math.isfinite(number):
        return repr(float(number))
    if decimals is not None:
        number = round(round(number, decimals) + next(offsets) * 10.0 ** -decimals, decimals) + 0.0
    return int(number) if float(number).is_integer() else float(number)


def _hash(exercise_id, normal):
    """The salted digest string of one normal form."""
    text = json.dumps(normal, sort_keys=True, separators=(",", ":"))
    payload = "%s\0%s\0%s" % (SALT, exercise_id, text)
    return PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def digest(exercise_id, value, decimals=None):
    """The salted hash a check stores for the right answer value of exercise_id."""
    return _hash(exercise_id, _normal(value, decimals, itertools.repeat(0)))


def _count_numbers(value):
    """How many non-bool numbers value holds (they get rounding neighbours)."""
    if isinstance(value, (bool, np.bool_)):
        return 0
    if isinstance(value, (int, float, np.integer, np.floating)):
        return 1
    if isinstance(value, np.ndarray):
        return int(value.size)
    if isinstance(value, (list, tuple)):
        return sum(_count_numbers(item) for item in value)
    if isinstance(value, dict):
        return sum(_count_numbers(item) for item in value.values())
    return 0


def matches(exercise_id, value, expected_digest, decimals=None):
    """Whether value hashes to expected_digest (with rounding neighbours when decimals is given)."""
    if not (isinstance(expected_digest, str) and expected_digest.startswith(PREFIX)):
        raise ValueError("%r is not a digest; make one with python -m grader.answers" % (expected_digest,))
    try:
        if decimals is None or _count_numbers(value) > MAX_FUZZED_NUMBERS:
            return digest(exercise_id, value, decimals) == expected_digest
        count = _count_numbers(value)
        return any(_hash(exercise_id, _normal(value, decimals, iter(offsets))) == expected_digest
                   for offsets in itertools.product((0, -1, 1), repeat=count))
    except TypeError:
        return False


def main(argv=None):
    """Print the digest of a Python literal, for pasting into a check."""
    parser = argparse.ArgumentParser(prog="python -m grader.answers", description=main.__doc__)
    parser.add_argument("exercise_id", help="e.g. ch02.keeps_id")
    parser.add_argument("value", help="a Python literal, e.g. '\"bcd\"' or '((6, 4), (3, 8))'")
    parser.add_argument("--decimals", type=int, default=None, help="round numbers to this many places")
    args = parser.parse_args(argv)
    print(digest(args.exercise_id, ast.literal_eval(args.value), args.decimals))


if __name__ == "__main__":
    sys.exit(main())
