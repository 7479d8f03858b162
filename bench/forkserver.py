"""A chapter child's start-up, fresh against forked from the zygote, and ``python -m grader --solutions`` with each.

Per child: the median seconds from ChapterSandbox.start() until the child answers its first query
about a one-line module (fresh: a new python that imports numpy and mxnet; fork: a fork of the
zygote, whose own launch, imports and self-check are timed once beforehand).
Whole runs: wall time and CPU time (the grader and every process below it) of
``python -m grader --solutions -q --start fresh|fork``, interleaved so that load from other
processes hits both alike. Medians of --repeats runs.
Run: ``python bench/forkserver.py [--repeats N]``.
"""
import argparse
import itertools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[0] = REPO  # not bench/, whose grader.py would shadow the grader package

from grader import sandbox  # noqa: E402
from grader.sandbox import client, forkserver  # noqa: E402


def child_startup(starter, folder):
    """Seconds from start() to the first answer of a child of folder's ch99_tiny, started by starter."""
    box = sandbox.ChapterSandbox(folder, "ch99_tiny", 60.0, 2048, folder, starter=starter)
    started = time.perf_counter()
    try:
        sandbox.StudentModule(box, itertools.count()).value("X")
        return time.perf_counter() - started
    finally:
        box.close()


def grader_run(start):
    """(wall, CPU) seconds of ``python -m grader --solutions -q --start start``; exits if it does not pass."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "grader", "--solutions", "-q", "--start", start], cwd=REPO,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        sys.exit("bench/forkserver.py: the --start %s run exited with %s; its output:\n%s"
                 % (start, run.returncode, run.stdout.decode("utf-8", "replace")[-5000:]))
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv=None):
    """Print the per-child and whole-run medians, and the ratios fresh / fork."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement (default: 3)")
    args = parser.parse_args(argv)
    launched = time.perf_counter()
    problem = forkserver.shared_server().problem()
    if problem:
        sys.exit("bench/forkserver.py: the fork server cannot be used here: %s" % problem)
    print("zygote launch (python, imports, self-check): %.2f s" % (time.perf_counter() - launched))
    with tempfile.TemporaryDirectory(prefix="bench-forkserver-") as folder:
        with open(os.path.join(folder, "ch99_tiny.py"), "w") as module:
            module.write("X = 1\n")
        startup = {"fresh": [], "fork": []}
        for _ in range(args.repeats):
            startup["fresh"].append(child_startup(client.start_fresh, folder))
            startup["fork"].append(child_startup(forkserver.start_forked, folder))
    runs = {"fresh": [], "fork": []}
    for _ in range(args.repeats):
        for start in runs:
            runs[start].append(grader_run(start))
    fresh, fork = statistics.median(startup["fresh"]), statistics.median(startup["fork"])
    print("one chapter child, start to first answer: fresh %.3f s, fork %.3f s (%.0f x)" % (fresh, fork, fresh / fork))
    medians = {start: [statistics.median(values) for values in zip(*pairs)] for start, pairs in runs.items()}
    for start, (wall, cpu) in medians.items():
        print("grader --solutions --start %-5s wall %6.2f s   CPU %6.2f s" % (start, wall, cpu))
    print("fresh / fork: wall %.2f x, CPU %.2f x" % (medians["fresh"][0] / medians["fork"][0],
                                                     medians["fresh"][1] / medians["fork"][1]))


if __name__ == "__main__":
    main()
