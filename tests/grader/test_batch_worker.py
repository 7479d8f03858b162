"""grader.batch.worker: every student gets a record, whatever breaks; seeds depend on the student alone."""
import pathlib
import zipfile

import pytest

from grader.batch import worker
from grader.batch.submissions import Submission
from grader.runner import GraderUsageError

OPTIONS = {"select": ["ch02.keeps_id"], "timeout": 5.0}


def task_for(path, student="bob"):
    """A task for the submission at path with batch seed 4."""
    return worker.make_task(Submission(student, str(path)), 4)


def test_a_student_seed_depends_on_the_batch_seed_and_the_student_only():
    assert worker.student_seed(4, "bob") == worker.student_seed(4, "bob")
    assert len({worker.student_seed(4, "bob"), worker.student_seed(5, "bob"), worker.student_seed(4, "ann")}) == 3


def test_a_failure_of_the_grader_becomes_an_error_record_to_retry(tmp_path, monkeypatch):
    (tmp_path / "bob").mkdir()

    def broken_grade(folder, **options):
        raise RuntimeError("pytest could not run the checks (exit code 3)")

    monkeypatch.setattr(worker, "grade", broken_grade)
    record = worker.StudentGrader(OPTIONS, str(tmp_path))(task_for(tmp_path / "bob"))
    assert record["problem"] == ("the grader failed on this submission (RuntimeError: pytest could not run the "
                                 "checks (exit code 3)); rerun the batch to try again, and report it if it persists")
    assert not record["complete"] and record["report"]["exercises"][0]["status"] == "error"
    assert record["report"]["notes"] == [record["problem"]] and record["report"]["seed"] == worker.student_seed(4, "bob")


def test_a_zip_is_graded_from_a_scratch_copy_that_is_removed_after(tmp_path, monkeypatch):
    with zipfile.ZipFile(tmp_path / "bob.zip", "w") as archive:
        archive.writestr("bob/ch02_preliminaries.py", "KEEPS_ID = True\n")
    seen = []

    def fake_grade(folder, **options):
        seen.append((folder, sorted(p.name for p in pathlib.Path(folder).iterdir()), options))
        return worker.problem_report("unused", OPTIONS, options["seed"])

    monkeypatch.setattr(worker, "grade", fake_grade)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    record = worker.StudentGrader(OPTIONS, str(scratch))(task_for(tmp_path / "bob.zip"))
    folder, files, options = seen[0]
    assert folder.startswith(str(scratch)) and files == ["ch02_preliminaries.py"]
    assert options == dict(OPTIONS, seed=worker.student_seed(4, "bob"))
    assert record["complete"] and list(scratch.iterdir()) == []


def test_usage_errors_are_answered_as_such_not_recorded(tmp_path, monkeypatch):
    def usage(folder, **options):
        raise GraderUsageError("--ctx gpu:3: gpu(3) is not available")

    monkeypatch.setattr(worker, "grade", usage)
    (tmp_path / "bob").mkdir()
    grader = worker.StudentGrader(OPTIONS, str(tmp_path))
    assert grader.answer(task_for(tmp_path / "bob")) == ("usage", "--ctx gpu:3: gpu(3) is not available")
    with pytest.raises(GraderUsageError):
        grader(task_for(tmp_path / "bob"))
