"""``grade_class``: grade every submission of a class, resumably, and rebuild the gradebook.

Students whose record is current and complete are skipped (unless force); the others are graded by
a local WorkerPool or on a Dask cluster, each record written as soon as its student is done. The
gradebook and summary are rebuilt from the records at the end, also after an interruption.
"""
import os
import secrets
import sys
import tempfile
from dataclasses import dataclass, field
from typing import List

from grader.batch import gradebook, records
from grader.batch.pool import WorkerPool
from grader.batch.submissions import find_submissions
from grader.batch.worker import make_task
from grader.results import ERROR, TIMEOUT


@dataclass
class ClassResult:
    """What a batch did: the records of the class (current ones), who was graded now, and the paths."""

    records: List[dict]
    graded: List[str]
    skipped: List[str]
    seed: int
    output_dir: str
    gradebook: str
    interrupted: bool = False
    missing: List[str] = field(default_factory=list)  # students with no current record (after an interruption)

    @property
    def problems(self):
        """Students the grader could not grade (a broken zip, a failure of the grader's machinery)."""
        return [record["student"] for record in self.records if record["problem"]]


def default_output_dir(submissions_dir):
    """SUBMISSIONS-grades beside the submissions folder."""
    return os.path.abspath(submissions_dir).rstrip(os.sep) + "-grades"


def has_errors(record):
    """Whether a student's record has a problem or any exercise ending in error or timeout."""
    return bool(record["problem"]) or any(result["status"] in (ERROR, TIMEOUT)
                                          for result in record["report"]["exercises"])


def _progress_bar(total, show):
    """A tqdm bar on stderr counting students, or None when not shown."""
    if not show or not total:
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit="student", desc="grading", file=sys.stderr, dynamic_ncols=True)


def _run(tasks, grade_options, jobs, dask_scheduler, on_record):
    """Grade tasks on the Dask cluster at dask_scheduler, else with jobs local workers."""
    if not tasks:
        return
    if dask_scheduler:
        from grader.batch.cluster import run_on_cluster
        run_on_cluster(dask_scheduler, tasks, grade_options, on_record)
        return
    with tempfile.TemporaryDirectory(prefix="grader-batch-") as scratch:
        WorkerPool(jobs or os.cpu_count() or 1, grade_options, scratch).run(tasks, on_record)


def _plan(submissions, output_dir, options, seed, force, batch_seed, fmt):
    """({student: current record}, tasks to grade, students skipped) for a run over submissions.

    A student is skipped when their record is current and complete (its report is written in fmt if
    missing); an incomplete current record (a failure to retry) stays in the gradebook until replaced.
    """
    current, tasks, skipped = {}, [], []
    for submission in submissions:
        record = records.load_record(output_dir, submission.student)
        is_current = not force and records.is_current(record, submission, options, seed)
        if is_current:
            current[submission.student] = record
        if is_current and record["complete"]:
            skipped.append(submission.student)
            if not os.path.exists(records.report_path(output_dir, submission.student, fmt)):
                records.write_report(output_dir, record, fmt)
        else:
            tasks.append(make_task(submission, batch_seed))
    return current, tasks, skipped


def grade_class(submissions_dir, grade_options=None, output_dir=None, jobs=None, seed=None, fmt="table",
                force=False, dask_scheduler=None, progress=True):
    """Grade every student in submissions_dir and return a ClassResult; KeyboardInterrupt is caught and noted.

    grade_options: keyword arguments for grader.runner.grade (select, ctx, timeout, memory_mb, slow, ...).
    jobs: worker processes (default: the number of cores). seed: the batch seed (each student's run gets
    one derived from it and the student id). fmt: format of the per-student reports. force: regrade all.
    dask_scheduler: address of a Dask scheduler to grade on instead of local workers.
    """
    grade_options = dict(grade_options or {})
    output_dir = os.path.abspath(output_dir or default_output_dir(submissions_dir))
    submissions = find_submissions(submissions_dir, exclude=[output_dir])
    options = records.options_key(grade_options)
    batch_seed = secrets.randbits(32) if seed is None else int(seed)
    current, tasks, skipped = _plan(submissions, output_dir, options, seed, force, batch_seed, fmt)
    os.makedirs(output_dir, exist_ok=True)
    bar = _progress_bar(len(tasks), progress)
    graded, with_errors = [], []

    def on_record(record):
        records.write_record(output_dir, record, fmt)
        current[record["student"]] = record
        graded.append(record["student"])
        if has_errors(record):
            with_errors.append(record["student"])
        if bar is not None:
            bar.set_postfix_str("%d with errors" % len(with_errors), refresh=False)
            bar.update()

    interrupted = False
    try:
        _run(tasks, grade_options, jobs, dask_scheduler, on_record)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if bar is not None:
            bar.close()
    class_records = [current[student] for student in sorted(current)]
    path = gradebook.write_gradebook(output_dir, class_records)
    missing = sorted({submission.student for submission in submissions} - set(current))
    return ClassResult(class_records, graded, skipped, batch_seed, output_dir, path, interrupted, missing)
