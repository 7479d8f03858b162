"""grade(): selection, the plugin's statuses and partial credit, seeds, and check modules that break.

These tests grade a tiny chapter of their own (check modules and a submission written to
tmp_path), so they exercise the engine independently of the shipped exercises.
"""
import textwrap

import pytest

from grader.checking import CheckpointLog, NotAttempted, StudentError, StudentTimeout, WrongType
from grader.runner import GraderUsageError, grade, judge, parse_selection

CHAPTERS = ["ch02_preliminaries", "ch03_deep_learning_basics", "ch05_cnn"]

TINY_CHECKS = '''
import numpy as np
from grader.checking import assert_close, assert_equal, checkpoint, exercise, nd

CHAPTER = "ch99_tiny"


@exercise("ch99.double", 2, "Multiply by 2.")
def test_double(student, rng):
    x = rng.normal(size=int(rng.integers(2, 5)))
    assert_close(student.call("double", nd(x)), 2 * x, what="double(x)")


@exercise("ch99.answer", 1, "The answer is a number.")
def test_answer(student):
    assert_equal(student.value("ANSWER"), 42, what="ANSWER")


@exercise("ch99.parts", 3, "Two parts.")
def test_parts(student):
    with checkpoint("first part", 1):
        assert_equal(student.call("first"), 1)
    with checkpoint("second part", 2):
        assert_equal(student.call("second"), 2)


@exercise("ch99.draws", 1, "Shows what the seeds give.")
def test_draws(student, rng):
    raise AssertionError("draws %r %r" % (int(rng.integers(10 ** 9)), student.call("draw")))


@exercise("ch99.trains", 2, "A slow one.", slow=True)
def test_trains(student):
    assert_equal(student.call("trains"), "took its time")


@exercise("ch99.buggy_check", 1, "A check with a bug.")
def test_buggy_check(student):
    return {}["missing"]
'''

TINY_SUBMISSION = '''
import random

import numpy as np

ANSWER = None


def double(x):
    return x * 2


def first():
    return 1


def second():
    return 3


def draw():
    return [random.random(), float(np.random.rand())]


def trains():
    import time
    time.sleep(1.5)  # longer than the per-query limit of the test, within 10 times it
    return "took its time"
'''

BROKEN_CHECKS = '''
from grader.checking import exercise
import a_module_that_does_not_exist

CHAPTER = "ch98_broken"


@exercise("ch98.lost", 2, "Never runs.")
def test_lost(student):
    pass
'''


@pytest.fixture
def tiny(tmp_path):
    """(submission folder, checks folder) for the tiny chapter ch99 and a check module that cannot import."""
    checks, submission = tmp_path / "checks", tmp_path / "submission"
    checks.mkdir()
    submission.mkdir()
    (checks / "conftest.py").write_text("from grader.checks.conftest import ctx, rng, student  # noqa: F401\n")
    (checks / "test_ch99_tiny.py").write_text(textwrap.dedent(TINY_CHECKS))
    (checks / "test_ch98_broken.py").write_text(textwrap.dedent(BROKEN_CHECKS))
    (submission / "ch99_tiny.py").write_text(textwrap.dedent(TINY_SUBMISSION))
    return submission, checks


def test_parse_selection_accepts_chapters_exercises_and_file_names():
    assert parse_selection([], CHAPTERS) == dict.fromkeys(CHAPTERS)
    assert parse_selection(["ch05", "exercises/ch02_preliminaries.py"], CHAPTERS) == {
        "ch02_preliminaries": None, "ch05_cnn": None}
    assert parse_selection(["ch03.linreg", "ch03.sgd"], CHAPTERS) == {
        "ch03_deep_learning_basics": {"ch03.linreg", "ch03.sgd"}}
    assert parse_selection(["ch03.linreg", "ch03"], CHAPTERS) == {"ch03_deep_learning_basics": None}


def test_parse_selection_names_the_choices_for_an_unknown_chapter():
    with pytest.raises(GraderUsageError, match="'ch04' matches no chapter; choose from ch02_preliminaries"):
        parse_selection(["ch04"], CHAPTERS)


@pytest.mark.parametrize("exc, status", [
    (None, "passed"), (AssertionError("wrong"), "failed"), (WrongType("a Foo"), "failed"),
    (NotAttempted("stub"), "not_attempted"), (StudentError("boom"), "error"),
    (StudentTimeout("slow"), "timeout"), (KeyError("bug"), "error")])
def test_judge_maps_each_outcome_to_its_status(exc, status):
    got_status, points, message = judge(exc, CheckpointLog(), 2)
    assert (got_status, points) == (status, 2 if status == "passed" else 0)
    assert message.startswith("internal check error") == isinstance(exc, KeyError)


def test_judge_gives_the_points_of_passed_checkpoints():
    log = CheckpointLog()
    log.passed.append(("first", 1, ""))
    log.failed.append(("second", 2, "expected 2, got 3"))
    assert judge(None, log, 3) == ("failed", 1, "second (0/2): expected 2, got 3")


def test_judge_flags_checkpoints_that_do_not_add_up():
    log = CheckpointLog()
    log.passed.append(("only", 1, ""))
    assert judge(None, log, 3)[0] == "error"


def test_grade_is_the_packages_api():
    import grader
    assert grader.grade is grade


def test_grade_refuses_a_missing_folder(tmp_path):
    with pytest.raises(GraderUsageError, match="--submission PATH"):
        grade(tmp_path / "nowhere")


@pytest.mark.slow
def test_grade_a_tiny_chapter(tiny):
    submission, checks = tiny
    seen = []
    report = grade(submission, checks_dir=checks, seed=1, progress=lambda *args: seen.append(args[1:]))
    results = {result.id: result for result in report.exercises}
    assert {i: (r.status, r.points) for i, r in results.items()} == {
        "ch98.lost": ("error", 0), "ch99.double": ("passed", 2), "ch99.answer": ("not_attempted", 0),
        "ch99.parts": ("failed", 1), "ch99.draws": ("failed", 0), "ch99.buggy_check": ("error", 0),
        "ch99.trains": ("skipped", 0)}
    assert results["ch99.trains"].message == "skipped (slow, run with --slow)"
    assert results["ch99.trains"].max_points == 0
    assert "a_module_that_does_not_exist" in results["ch98.lost"].message
    assert results["ch99.buggy_check"].message.startswith("internal check error: KeyError")
    assert results["ch99.parts"].message == "second part (0/2): result: expected 2, got 3"
    assert results["ch99.answer"].hint == "The answer is a number."
    assert (report.score, report.max_score, report.seed) == (3, 10, 1)
    assert seen == [(n, 7) for n in range(1, 8)]


@pytest.mark.slow
def test_slow_exercises_run_with_slow_and_get_a_longer_time_limit(tiny):
    submission, checks = tiny
    report = grade(submission, ["ch99.trains"], checks_dir=checks, timeout=1, slow=True)
    assert [(r.status, r.points, r.max_points) for r in report.exercises] == [("passed", 2, 2)]
    assert report.all_passed


@pytest.mark.slow
def test_the_seed_reproduces_a_run_and_changes_the_inputs(tiny):
    submission, checks = tiny

    def draws(seed):
        report = grade(submission, ["ch99.draws"], checks_dir=checks, seed=seed)
        return report.exercises[0].message

    assert draws(5) == draws(5) != draws(6)


@pytest.mark.slow
def test_grade_names_unknown_exercises_and_missing_modules(tiny):
    submission, checks = tiny
    with pytest.raises(GraderUsageError, match="no exercise ch99.nope; choose from .*ch99.double"):
        grade(submission, ["ch99.nope"], checks_dir=checks)
    (submission / "ch99_tiny.py").unlink()
    report = grade(submission, ["ch99.answer"], checks_dir=checks)
    assert report.exercises[0].status == "error"
    assert "submission/ch99_tiny.py is missing" in report.exercises[0].message
