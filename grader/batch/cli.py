"""python -m grader batch: parse the command line, build grade()'s options in one place, call grade_class."""
import argparse
import os
import signal
import sys

from grader.__main__ import add_grading_options
from grader.batch.records import EXTENSIONS
from grader.batch.run import default_output_dir, grade_class
from grader.report import FORMATS
from grader.runner import CHECKS_DIR, GraderUsageError, check_modules, parse_selection

EXIT_ALL_GRADED, EXIT_SOME_UNGRADED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

DESCRIPTION = """\
Grade a whole class: every student's folder or .zip in SUBMISSIONS, in parallel, with the same
checks, sandboxes and options as `python -m grader --submission`.

The folder or zip name is the student id. Zips are unpacked into a scratch folder (never into
SUBMISSIONS), refusing unsafe paths, links and zip bombs; a zip may hold the chapter modules or one
folder with them. Each student gets a results record and a report in the output folder as soon as
they are graded; gradebook.csv and summary.png are rebuilt from those at the end.

Resume: run the same command again. Students whose record is newer than their submission are
skipped (--force regrades them); Ctrl-C stops cleanly and keeps every finished student. A
submission that breaks the grader itself is recorded as an error for that student, with the
reason, and the batch goes on (such students are tried again on the next run).
"""

EPILOG = """\
output folder (default: SUBMISSIONS-grades beside SUBMISSIONS):
  results/STUDENT.json   the student's results (the JSON results format, plus how it was graded)
  reports/STUDENT.EXT    the student's report in --format (txt, json, xml, csv or html)
  gradebook.csv          student, points per chapter, total, max, errors, timeouts, problem
  summary.png            histogram of totals, pass rate per exercise

examples:
  python -m grader batch ~/hw1                       grade everyone, one worker per core
  python -m grader batch ~/hw1 --select ch02,ch03    only chapters 2 and 3
  python -m grader batch ~/hw1 --format html         a report page per student
  python -m grader batch ~/hw1 --seed 7 --force      regrade everyone, reproducibly
  python -m grader batch ~/hw1 --dask-scheduler tcp://10.0.0.5:8786   on a Dask cluster

exit codes:
  0    every student was graded (whatever their points)
  1    some student could not be graded (a broken zip, a failure of the grader: see the problem column)
  2    usage error (missing folder, unknown chapter, dask not installed, ...)
  130  interrupted (Ctrl-C or SIGTERM); finished students are kept, rerun to resume
"""

def build_parser():
    """The argument parser; its defaults are grade()'s and grade_class()'s."""
    parser = argparse.ArgumentParser(prog="python -m grader batch", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", metavar="SUBMISSIONS", help="folder with one folder or .zip per student")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="students graded at once, one worker process each (default: %(default)s, the cores)")
    parser.add_argument("--output-dir", metavar="DIR", help="where results go (default: SUBMISSIONS-grades)")
    parser.add_argument("--select", action="append", default=[], metavar="CHAPTERS",
                        help="what to grade, as for single runs: ch03, ch03.linreg; comma-separated or repeated "
                        "(default: everything)")
    parser.add_argument("--seed", type=int, help="batch seed: each student's run gets a seed made from it and "
                        "the student id, the same however students are spread over workers")
    add_grading_options(parser)
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="format of the per-student reports (default: table, as .%s)" % EXTENSIONS["table"])
    parser.add_argument("--force", action="store_true", help="regrade every student, even those already graded")
    parser.add_argument("--dask-scheduler", metavar="ADDRESS",
                        help="grade on the Dask cluster at ADDRESS (tcp://host:8786) instead of local workers; "
                        "needs the 'dist' extra")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary table")
    return parser


def grade_options(args):
    """The keyword arguments for grader.runner.grade that every student's run gets, built in one place."""
    select = [part for value in args.select for part in value.split(",") if part]
    parse_selection(select, list(check_modules(CHECKS_DIR)))  # a usage error now, not in every worker
    return {"select": select, "ctx": args.ctx, "timeout": args.timeout, "memory_mb": args.memory_mb,
            "slow": args.slow, "isolate": True, "require_isolation": args.require_isolation,
            "sandbox_user": args.sandbox_user, "start": args.start}


def _interrupt(signum, frame):
    """SIGTERM ends the batch like Ctrl-C: workers stopped, finished students kept."""
    raise KeyboardInterrupt


def report_outcome(result, quiet, stream):
    """Print the summary table (unless quiet) and where everything went."""
    from grader.batch.gradebook import summary_text
    if not quiet:
        stream.write(summary_text(result.records))
        stream.write("\n")
    stream.write("%d graded now, %d already graded; gradebook: %s (batch seed %d)\n"
                 % (len(result.graded), len(result.skipped), result.gradebook, result.seed))
    if result.interrupted:
        stream.write("interrupted: %d students not graded yet; run the same command again to resume\n"
                     % len(result.missing))


def main(argv=None):
    """Run python -m grader batch with argv; return the exit code."""
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if args.jobs < 1:
            raise GraderUsageError("--jobs must be at least 1, got %d" % args.jobs)
        options = grade_options(args)
        result = grade_class(args.submissions, options, output_dir=args.output_dir or
                             default_output_dir(args.submissions), jobs=args.jobs, seed=args.seed,
                             fmt=args.format, force=args.force, dask_scheduler=args.dask_scheduler,
                             progress=not args.quiet)
    except GraderUsageError as exc:
        print("python -m grader batch: error: %s" % exc, file=sys.stderr)
        return EXIT_USAGE
    report_outcome(result, args.quiet, sys.stdout)
    if result.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_SOME_UNGRADED if result.problems else EXIT_ALL_GRADED
