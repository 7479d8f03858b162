"""grader.batch.pool: a submission that kills its grading worker costs only that student, and is retried."""
import json

import pytest

import classroom
from grader.batch.run import grade_class

# The student's code can reach its grading worker only unisolated, in a child the worker started itself
# (isolated, its parent is outside its PID namespace; forked, its parent is the fork server).
OPTIONS = {"select": ["ch02.keeps_id", "ch02.concat_shapes"], "timeout": 5.0, "isolate": False, "start": "fresh"}
KILLS_ITS_GRADER = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"


@pytest.mark.slow
def test_a_worker_killed_by_a_submission_is_replaced_and_its_student_retried_next_time(tmp_path):
    folder = tmp_path / "hw"
    classroom.build_class(folder, {"a": ("correct", 0, "folder"), "c": ("correct", 0, "folder")})
    (folder / "b").mkdir()
    (folder / "b" / "ch02_preliminaries.py").write_text(KILLS_ITS_GRADER)
    result = grade_class(folder, OPTIONS, jobs=1, seed=3, progress=False)
    assert result.graded == ["a", "b", "c"] and result.problems == ["b"]
    record = json.loads((tmp_path / "hw-grades" / "results" / "b.json").read_text())
    assert record["problem"].startswith("the grading process died (exit code -9) while grading this submission")
    assert not record["complete"] and {r["status"] for r in record["report"]["exercises"]} == {"error"}
    assert "a,2,2,2,0,0," in (tmp_path / "hw-grades" / "gradebook.csv").read_text()
    again = grade_class(folder, OPTIONS, jobs=1, seed=3, progress=False)
    assert again.graded == ["b"] and again.skipped == ["a", "c"]
