"""python -m grader: parse the command line, call grader.grade, print or write the report, set the exit code."""
import argparse
import importlib
import signal
import sys
import traceback

from grader.report import FORMATS, render, write_atomically
from grader.runner import (DEFAULT_CTX, DEFAULT_MEMORY_MB, DEFAULT_SANDBOX_USER, DEFAULT_START, DEFAULT_TIMEOUT,
                           SLOW_TIMEOUT_FACTOR, GraderUsageError, grade)
from grader.sandbox.forkserver import START_METHODS

EXIT_ALL_PASSED, EXIT_NOT_ALL_PASSED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

# Sub-commands: first word -> (module whose main(argv) runs it, one line for --help).
COMMANDS = {
    "batch": ("grader.batch.cli", "grade a class: every student's folder or .zip, in parallel, with a gradebook"),
    "notebooks": ("grader.notebooks.generate", "write a Jupyter notebook per chapter module (exercises/*.ipynb)"),
    "release": ("grader.release", "write the student release into OUT_DIR (no solutions), checked for leaks"),
}

DESCRIPTION = """\
Grade your exercise modules and tell you, per exercise, what passed, what failed and why,
and what you have not tried yet (with a hint).

Your code runs in a separate process per chapter module, so a crash, an endless loop or a
syntax error in one chapter costs only that chapter's exercises. A --submission is graded
isolated: its code cannot see the answers, the grader or other files, nor use the network.
"""

EPILOG = """\
examples:
  python -m grader                      grade everything in ./exercises
  python -m grader ch03                 only chapter 3
  python -m grader ch03.linreg ch05     one exercise of chapter 3, and all of chapter 5
  python -m grader --solutions          grade the model solutions (they all pass)
  python -m grader --submission ~/hw    grade the chapter modules (or notebooks) in ~/hw
  python -m grader --submission ~/hw --require-isolation   refuse to grade unless fully isolated
  python -m grader --format json --output results.json
  python -m grader --format html --output report.html
  python -m grader notebooks            write exercises/chNN_*.ipynb, one notebook per chapter
  python -m grader --slow ch05          also the slow exercises that train a model
  python -m grader --ctx gpu --slow     train on the first GPU

exit codes:
  0    every graded exercise passed (slow ones skipped without --slow do not count)
  1    some exercise did not pass (failed, not attempted, error or timeout)
  2    usage or internal error (unknown chapter, missing folder, unavailable GPU, ...)
  130  interrupted (Ctrl-C)
"""


def build_parser():
    """The argument parser; its defaults are grader.grade's."""
    commands = "".join("  %-10s %s\n" % (name, line) for name, (_, line) in sorted(COMMANDS.items()))
    epilog = EPILOG + ("\ncommands (python -m grader COMMAND --help for each):\n" + commands if commands else "")
    parser = argparse.ArgumentParser(prog="python -m grader", description=DESCRIPTION, epilog=epilog,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("select", nargs="*", metavar="CHAPTER_OR_EXERCISE",
                        help="what to grade: ch03, ch03_deep_learning_basics or ch03.linreg (default: everything)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--solutions", action="store_const", dest="folder", const="solutions",
                       help="grade ./solutions instead of ./exercises")
    where.add_argument("--submission", metavar="PATH",
                       help="grade the chapter modules (chNN_*.py or chNN_*.ipynb) in PATH")
    parser.set_defaults(folder="exercises")
    parser.add_argument("--format", choices=FORMATS, default="table", help="report format (default: table)")
    parser.add_argument("--output", metavar="FILE", help="write the report to FILE instead of printing it")
    isolation = add_grading_options(parser)
    isolation.add_argument("--no-isolation", dest="isolate", action="store_const", const=False,
                           help="run a submission's code without isolation (trusted code only)")
    parser.add_argument("--seed", type=int, help="reproduce a run: the seed its table footer printed")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress line; the table shows totals only")
    return parser


def add_grading_options(parser):
    """--ctx, --timeout, --memory-mb, --slow, --require-isolation, --sandbox-user and --start, with
    grader.grade's defaults (also for `batch`); returns the group --require-isolation is in."""
    parser.add_argument("--ctx", default=DEFAULT_CTX, help="cpu, gpu or gpu:N for exercises that train "
                        "(default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="time limit per query to your code (default: %(default)g)")
    parser.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                        help="memory cap per chapter process (default: %(default)d)")
    parser.add_argument("--slow", action="store_true", help="also grade the slow exercises that train a model "
                        "(skipped otherwise; their queries get %d times --timeout)" % SLOW_TIMEOUT_FACTOR)
    isolation = parser.add_mutually_exclusive_group()
    isolation.add_argument("--require-isolation", action="store_true",
                           help="exit with code 2 before grading if a layer of isolation is not available")
    parser.add_argument("--sandbox-user", default=DEFAULT_SANDBOX_USER, metavar="NAME",
                        help="the user a submission's code runs as when the grader is root (default: %(default)s)")
    parser.add_argument("--start", choices=START_METHODS, default=DEFAULT_START,
                        help="how chapter processes start: fork (from one process that imported mxnet once), "
                        "fresh (a new python each), auto (fork where its self-check passes; default)")
    return isolation


def progress_line(stream):
    """A progress callback that rewrites one line on stream (a terminal) as exercises finish."""
    def show(result, done, total):
        stream.write("\r\033[K[%d/%d] %s %s" % (done, total, result.id, result.status))
        if done == total:
            stream.write("\r\033[K")
        stream.flush()
    return show


def _interrupt(signum, frame):
    """Turn SIGTERM into KeyboardInterrupt, so children are killed on the way out."""
    raise KeyboardInterrupt


def run_command(name, argv):
    """Run the sub-command name with the rest of the command line; return its exit code."""
    module, _ = COMMANDS[name]
    return importlib.import_module(module).main(argv)


def main(argv=None):
    """Run the command line (grading, or a sub-command named by the first word); return the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in COMMANDS:
        return run_command(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    show = progress_line(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    try:
        isolate = True if args.submission and args.isolate is None else args.isolate  # a --submission: always
        report = grade(args.submission or args.folder, args.select, ctx=args.ctx, timeout=args.timeout,
                       memory_mb=args.memory_mb, seed=args.seed, progress=show, slow=args.slow,
                       isolate=isolate, require_isolation=args.require_isolation,
                       sandbox_user=args.sandbox_user, start=args.start)
        text = render(report, args.format)
        if args.quiet and args.format == "table":
            text = text.splitlines()[-1] + "\n"
        if args.output:
            write_atomically(args.output, text)
        else:
            sys.stdout.write(text)
    except GraderUsageError as exc:
        print("python -m grader: error: %s" % exc, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\npython -m grader: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:  # a bug in the grader or its checks: say so, never report a grade
        traceback.print_exc()
        print("python -m grader: internal error (a grader bug; please report it with the trace above)",
              file=sys.stderr)
        return EXIT_USAGE
    return EXIT_ALL_PASSED if report.all_passed else EXIT_NOT_ALL_PASSED


if __name__ == "__main__":
    sys.exit(main())
