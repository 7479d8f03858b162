"""Write into grader/, the checkout, another submission's folder and the --output path.

The test checks that none of these files appeared and that the report is the grader's. (A write may
seem to work when it lands in the child's private /tmp, so the module cannot tell on its own.)"""
import json
import os

import grader
from solved_ch02_preliminaries import *  # noqa: F401,F403
from solved_ch02_preliminaries import sum_and_norm as _mine

MARK = "attack_was_here"


def _targets():
    targets = json.loads(os.environ.get("SCENARIO_TARGETS", "{}"))
    return [os.path.join(os.path.dirname(grader.__file__), MARK), os.path.join(targets.get("checkout", "/"), MARK),
            os.path.join(targets.get("other_submission", "/"), MARK), os.environ.get("SCENARIO_OUTPUT", MARK)]


def sum_and_norm(X):
    for path in _targets():
        try:
            with open(path, "w") as stream:
                stream.write("graded by the student")
        except OSError:
            continue
    return _mine(X)
