"""Fake pass lines and a fake results JSON on stdout, stderr and in the --output file."""
import json
import os
import sys

from solved_ch02_preliminaries import *  # noqa: F401,F403

FAKE = json.dumps({"score": 1000, "max_score": 14, "duration_s": 0, "exercises": []})


def _fake_everything():
    print("ch02.normalize_rows passed 2/2")
    print(FAKE)
    print("Total 14/14 points", file=sys.stderr)
    os.write(1, FAKE.encode())
    try:
        with open(os.environ["SCENARIO_OUTPUT"], "w") as out:
            out.write(FAKE)
    except OSError:  # an isolated child cannot reach it at all
        pass


_fake_everything()


def normalize_rows(X):
    _fake_everything()
    return X
