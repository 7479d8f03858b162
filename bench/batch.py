"""Wall time of ``python -m grader batch`` on 100 generated submissions, against one
``python -m grader --submission`` per student measured in the same run.

The class repeats the tests' class of 20 (tests/grader/classroom.py) five times: correct, partial,
wrong, not attempted, hostile at import (sys.exit, an endless loop), zipped, broken and unsafe zips.
The one-by-one baseline is measured on one copy of the class of 20 (the first round) and multiplied
by the number of copies (the output says so); the unreadable zips cannot be graded one by one and
count as 0 s there.
Targets (issue 10): at least 3x faster than one by one, and under 5 minutes for the 100.
Run: ``python bench/batch.py [--select ch02] [--jobs N] [--rounds 5]``.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The repository (not bench/, whose grader.py would shadow the grader package) and the tests' helpers.
sys.path[0:1] = [str(REPO), str(REPO / "tests" / "grader")]
import classroom  # noqa: E402  (the tests' class generator)

from grader.batch.worker import student_seed  # noqa: E402

SEED = 1


def generated_class(rounds):
    """{student: (kind, count, how handed in)}: the tests' class of 20, rounds times over."""
    return {"%s_%d" % (student, round_): kind for round_ in range(rounds)
            for student, kind in classroom.CLASS_OF_20.items()}


def timed(command):
    """(seconds, exit code) of running command in the repository root, its output discarded."""
    started = time.perf_counter()
    code = subprocess.run(command, cwd=str(REPO), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - started, code


def main(argv=None):
    """Build the class, time the batch and a sample of one-by-one runs, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", default="ch02", help="what every student is graded on (default: ch02)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="batch workers (default: cores)")
    parser.add_argument("--rounds", type=int, default=5, help="copies of the class of 20 (default: 5, 100 students)")
    args = parser.parse_args(argv)
    students = generated_class(args.rounds)
    chapters = [chapter for chapter in (p.stem for p in sorted((REPO / "solutions").glob("ch*.py")))
                if any(chapter.split("_")[0] == part.split(".")[0] for part in args.select.split(","))]
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as scratch:
        folder = Path(scratch) / "class"
        classroom.build_class(folder, students, chapters)
        print("load average before: %.2f %.2f %.2f" % os.getloadavg())
        batch_s, code = timed([sys.executable, "-m", "grader", "batch", str(folder), "--select", args.select,
                               "--jobs", str(args.jobs), "--seed", str(SEED), "-q"])
        if code not in (0, 1):
            sys.exit("bench/batch.py: the batch exited with %d" % code)
        readable = [s for s, (_, _, how) in students.items() if how not in classroom.UNREADABLE]
        sample = [student for student in readable if student.endswith("_0")]  # the first copy of the class
        single = []
        for student in sample:
            submission = next(p for p in folder.iterdir() if p.name.split(".")[0] == student)
            copy = classroom.readable_copy(submission, Path(scratch) / "one-by-one")
            seconds, _ = timed([sys.executable, "-m", "grader", "--submission", str(copy), "-q", "--seed",
                                str(student_seed(SEED, student))] + args.select.split(","))
            single.append(seconds)
        print("load average after:  %.2f %.2f %.2f" % os.getloadavg())
    baseline = sum(single) * args.rounds
    print("class: %d submissions (%d readable), graded on %s, --jobs %d, %d cores"
          % (len(students), len(readable), args.select, args.jobs, os.cpu_count() or 1))
    print("python -m grader batch:           %7.1f s  (%.1f submissions per minute)"
          % (batch_s, 60.0 * len(students) / batch_s))
    print("one by one (estimated):           %7.1f s  (%.1f s for the %d readable students of one class of 20,"
          " x %d copies)" % (baseline, sum(single), len(single), args.rounds))
    print("speed-up: %.2f x one by one; target >= 3 x and < 300 s" % (baseline / batch_s))


if __name__ == "__main__":
    main()
