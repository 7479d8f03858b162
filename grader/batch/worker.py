"""Grade one student: unpack a zip if needed, run grader.runner.grade, and return the results record.

The same code runs in a local pool's worker process and in a Dask worker. Whatever the submission
does, a record comes back: a zip that cannot be unpacked, or a failure of the grader's own machinery,
becomes a record whose every selected exercise is an error with the reason, and the batch goes on.
"""
import os
import shutil
import tempfile
import uuid

from grader.batch.records import RECORD_FORMAT, options_key
from grader.batch.submissions import SubmissionError, unpack
from grader.results import ERROR, SKIPPED, ExerciseResult, GradeReport
from grader.runner import (CHECKS_DIR, SKIPPED_MESSAGE, GraderUsageError, check_modules, derive_seed,
                           exercises_declared, grade, parse_selection)

RETRY_NOTE = "; rerun the batch to try again, and report it if it persists"


def student_seed(batch_seed, student):
    """The seed of one student's run: the same for a batch seed however the students are distributed."""
    return derive_seed(batch_seed, "student", student)


def make_task(submission, batch_seed):
    """What a worker needs to grade a Submission: plain data, so it travels to any process or machine."""
    return {"student": submission.student, "path": os.path.abspath(submission.path), "is_zip": submission.is_zip,
            "modified": submission.modified(), "batch_seed": batch_seed,
            "seed": student_seed(batch_seed, submission.student)}


def problem_report(problem, grade_options, seed):
    """A GradeReport giving every selected exercise an error with problem (slow ones skipped without --slow)."""
    chapters = check_modules(CHECKS_DIR)
    results = []
    for chapter, ids in parse_selection(list(grade_options.get("select", ())), list(chapters)).items():
        fast = {declared[0] for declared in exercises_declared(chapters[chapter], slow=False)}
        for exercise_id, points, hint in exercises_declared(chapters[chapter]):
            if ids is not None and exercise_id not in ids:
                continue
            if exercise_id not in fast and not grade_options.get("slow"):
                results.append(ExerciseResult(exercise_id, chapter, SKIPPED, 0, 0, SKIPPED_MESSAGE, hint))
            else:
                results.append(ExerciseResult(exercise_id, chapter, ERROR, 0, points, problem, hint))
    return GradeReport(results, 0.0, seed, [problem])


def make_record(task, grade_options, report, problem="", complete=True):
    """The results record of a task: the report, how it was graded, and the problem if there was one."""
    return {"format": RECORD_FORMAT, "student": task["student"], "submission": task["path"],
            "submission_modified": task["modified"], "batch_seed": task["batch_seed"],
            "options": options_key(grade_options), "complete": complete, "problem": problem,
            "report": report.to_dict()}


def failed_record(task, grade_options, problem, complete):
    """The record of a student the grader could not grade; complete=False means a rerun tries again."""
    return make_record(task, grade_options, problem_report(problem, grade_options, task["seed"]), problem,
                       complete)


class StudentGrader:
    """Grades students one after another in this process, with the batch's options for grade().

    grade_options: keyword arguments of grader.runner.grade (select, ctx, timeout, memory_mb, slow, ...),
    the same for every student; only the folder and the seed change. scratch: where zips are unpacked.
    """

    def __init__(self, grade_options, scratch=None):
        self.grade_options = dict(grade_options)
        self.scratch = scratch or tempfile.gettempdir()

    def __call__(self, task):
        """The record of one task (see make_task); GraderUsageError and KeyboardInterrupt pass through."""
        unpacked = os.path.join(self.scratch, "%s-%s" % (task["student"], uuid.uuid4().hex[:8]))
        try:
            folder = unpack(task["path"], unpacked) if task["is_zip"] else task["path"]
            report = grade(folder, seed=task["seed"], **self.grade_options)
            return make_record(task, self.grade_options, report)
        except SubmissionError as exc:
            return failed_record(task, self.grade_options, "the submission could not be read: %s" % exc, True)
        except GraderUsageError:
            raise
        except Exception as exc:  # the grader's own machinery failed: record it, go on with the class
            return failed_record(task, self.grade_options, "the grader failed on this submission (%s: %s)%s"
                                 % (type(exc).__name__, exc, RETRY_NOTE), False)
        finally:
            shutil.rmtree(unpacked, ignore_errors=True)

    def answer(self, task):
        """('record', record) for a task, or ('usage', message) when the options themselves are unusable."""
        try:
            return "record", self(task)
        except GraderUsageError as exc:
            return "usage", str(exc)
