"""The output folder of a batch: one results record (JSON) and one report per student, written atomically.

A record holds the student's GradeReport (as the JSON results format), how it was graded (the options
that change which exercises count, the batch seed, the submission's modification time), and, when the
grader's own machinery failed on the submission, the problem. Resuming trusts a record only when it
is current (same options, submission not modified since) and complete (not a failure worth retrying).
"""
import json
import os

from grader.report import render, write_atomically
from grader.results import GradeReport

RECORD_FORMAT = 1
RESULTS_DIR, REPORTS_DIR = "results", "reports"
EXTENSIONS = {"table": "txt", "json": "json", "gradescope": "json", "junit": "xml", "csv": "csv", "html": "html"}


def options_key(grade_options):
    """What of grade()'s options decides which exercises a record covers: the selection and --slow."""
    return {"select": sorted(grade_options.get("select", ())), "slow": bool(grade_options.get("slow", False))}


def record_path(output_dir, student):
    """Where student's results record lives."""
    return os.path.join(output_dir, RESULTS_DIR, student + ".json")


def report_path(output_dir, student, fmt):
    """Where student's report in format fmt lives."""
    return os.path.join(output_dir, REPORTS_DIR, "%s.%s" % (student, EXTENSIONS[fmt]))


def write_record(output_dir, record, fmt):
    """Write the student's report in fmt, then the record (so a record on disk always has its report)."""
    write_report(output_dir, record, fmt)
    os.makedirs(os.path.join(output_dir, RESULTS_DIR), exist_ok=True)
    write_atomically(record_path(output_dir, record["student"]), json.dumps(record, indent=2) + "\n")


def write_report(output_dir, record, fmt):
    """Render the record's report in fmt into the reports folder."""
    os.makedirs(os.path.join(output_dir, REPORTS_DIR), exist_ok=True)
    write_atomically(report_path(output_dir, record["student"], fmt), render(report_of(record), fmt))


def report_of(record):
    """The GradeReport a record holds."""
    return GradeReport.from_dict(record["report"])


def load_record(output_dir, student):
    """student's record, or None when there is none or it cannot be read (it is then graded again)."""
    try:
        with open(record_path(output_dir, student), encoding="utf-8") as source:
            record = json.load(source)
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT or record.get("student") != student:
        return None
    return record


def is_current(record, submission, options, seed=None):
    """Whether record grades this submission as it is now, with these options (and this --seed, if given)."""
    if record is None or record.get("options") != options:
        return False
    if seed is not None and record.get("batch_seed") != seed:
        return False
    try:
        return record.get("submission_modified", -1) >= submission.modified()
    except OSError:
        return False
