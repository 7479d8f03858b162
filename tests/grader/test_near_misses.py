"""Each check tells a right answer from a plausible wrong one, and its message points at the mistake.

A folder of near_misses/ is a scenario (see test_scenarios.py): chapter modules that start with
``from solved_<chapter> import *`` and override some answers with a near miss (a transposed weight,
a missing keepdims, an off-by-one window, a forgotten bias correction, ...). Its expected_outcome.json
lists each overridden exercise as failed, with a message fragment that names the mistake and the
points that still earn; every other exercise of the chapter must still pass.
"""
import json
from pathlib import Path

import pytest

from test_scenarios import assert_graded_as_expected

NEAR_MISSES = sorted(path for path in (Path(__file__).parent / "near_misses").iterdir() if path.is_dir())


@pytest.mark.slow
@pytest.mark.parametrize("scenario", NEAR_MISSES, ids=[path.name for path in NEAR_MISSES])
def test_near_miss(scenario, tmp_path, monkeypatch, capfd):
    assert_graded_as_expected(scenario, tmp_path, monkeypatch, capfd)


def test_every_near_miss_names_the_mistake():
    for scenario in NEAR_MISSES:
        expected = json.loads((scenario / "expected_outcome.json").read_text())
        missed = [i for i, status in expected.get("exercises", {}).items() if status != "passed"]
        assert missed and set(missed) <= set(expected.get("messages", {})), scenario.name
