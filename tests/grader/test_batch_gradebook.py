"""grader.batch.gradebook and records: the gradebook, summary and plot from records; when a record is current."""
import csv
import io
import os

from grader.batch import gradebook, records
from grader.batch.submissions import Submission
from grader.batch.worker import failed_record, make_record, make_task
from grader.results import ERROR, FAILED, PASSED, SKIPPED, TIMEOUT, ExerciseResult, GradeReport

OPTIONS = {"select": ["ch02", "ch03"], "slow": False}


def record(student, statuses, problem=""):
    """A record whose report has one exercise per (id, status), worth 2 points each (0 when skipped)."""
    results = [ExerciseResult(exercise_id, "ch0%s_x" % exercise_id[3], status,
                              2 if status == PASSED else 0, 0 if status == SKIPPED else 2)
               for exercise_id, status in statuses]
    task = {"student": student, "path": "/class/" + student, "modified": 1.0, "batch_seed": 5, "seed": 1}
    return make_record(task, OPTIONS, GradeReport(results, 1.5, 7), problem, not problem)


CLASS = [
    record("carol", [("ch02.a", PASSED), ("ch02.b", FAILED), ("ch03.c", TIMEOUT), ("ch03.slow", SKIPPED)]),
    record("alice", [("ch02.a", PASSED), ("ch02.b", PASSED), ("ch03.c", PASSED), ("ch03.slow", SKIPPED)]),
    record("bob", [("ch02.a", ERROR), ("ch02.b", FAILED), ("ch03.c", PASSED), ("ch03.slow", SKIPPED)]),
]


def test_the_gradebook_has_a_row_per_student_with_chapter_points_and_counts():
    rows = list(csv.reader(io.StringIO(gradebook.gradebook_csv(CLASS))))
    assert rows == [["student", "ch02", "ch03", "total", "max", "errors", "timeouts", "problem"],
                    ["alice", "4", "2", "6", "6", "0", "0", ""],
                    ["bob", "0", "2", "2", "6", "1", "0", ""],
                    ["carol", "2", "0", "2", "6", "0", "1", ""]]


def test_the_summary_gives_count_mean_median_pass_rates_and_the_hardest():
    text = gradebook.summary_text(CLASS)
    assert "3 students graded; total points: mean 3.33, median 2 (of 6)" in text
    assert "ch02.a     67% (2/3)" in text and "ch02.b     33% (1/3)" in text and "ch03.c     67% (2/3)" in text
    assert "ch03.slow" not in text  # skipped everywhere: not graded, no pass rate
    assert text.rstrip().endswith("hardest: ch02.b (33%), ch02.a (67%), ch03.c (67%)")


def test_students_the_grader_could_not_grade_are_named_in_the_summary_and_the_gradebook():
    broken = failed_record({"student": "dave", "path": "/class/dave.zip", "modified": 1.0, "batch_seed": 5,
                            "seed": 9}, {"select": ["ch02.keeps_id", "ch03.train_mlp"]}, "the zip is broken", True)
    assert [(r["id"], r["status"], r["max_points"]) for r in broken["report"]["exercises"]] == [
        ("ch02.keeps_id", ERROR, 1), ("ch03.train_mlp", SKIPPED, 0)]  # slow: skipped, as a real run would
    assert "1 could not be graded (see their reports): dave" in gradebook.summary_text(CLASS + [broken])
    assert gradebook.gradebook_csv([broken]).splitlines()[1] == "dave,0,0,0,1,1,0,the zip is broken"


def test_the_summary_plot_is_a_png_and_the_same_records_give_the_same_bytes(tmp_path):
    gradebook.write_gradebook(str(tmp_path), CLASS)
    png = (tmp_path / "summary.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert gradebook.summary_png(list(reversed(CLASS))) == png
    assert (tmp_path / "gradebook.csv").read_text() == gradebook.gradebook_csv(CLASS)


def test_a_record_is_current_until_the_submission_or_the_options_change(tmp_path):
    folder = tmp_path / "bob"
    folder.mkdir()
    (folder / "ch02_preliminaries.py").write_text("X = 1\n")
    submission = Submission("bob", str(folder))
    graded = make_record(make_task(submission, 5), OPTIONS, GradeReport([], 1.0, 3))
    records.write_record(str(tmp_path / "out"), graded, "html")
    loaded = records.load_record(str(tmp_path / "out"), "bob")
    assert loaded == graded and (tmp_path / "out" / "reports" / "bob.html").is_file()
    assert records.is_current(loaded, submission, OPTIONS)
    assert records.is_current(loaded, submission, OPTIONS, seed=5)
    assert not records.is_current(loaded, submission, OPTIONS, seed=6)
    assert not records.is_current(loaded, submission, {"select": ["ch02"], "slow": False})
    later = os.stat(folder).st_mtime + 10
    os.utime(folder / "ch02_preliminaries.py", (later, later))
    assert not records.is_current(loaded, submission, OPTIONS)


def test_an_unreadable_record_is_no_record(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "bob.json").write_text('{"format": 1, "student": "bo')
    assert records.load_record(str(tmp_path), "bob") is None
    assert records.load_record(str(tmp_path), "nobody") is None
