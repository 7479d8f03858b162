"""Wall time of ``python -m grader --solutions`` and of the stubs run, against N x ``python -c "import mxnet"``,
and what isolation costs: ``--submission`` of a copy of solutions/, isolated and with --no-isolation.

N is the number of chapter modules: started fresh, the grader's child per chapter each imports
mxnet, plus its own process; the target is a solutions run under 2x (N imports + the checks).
The children start together so their imports overlap, so on a machine with free cores the run
can come in under N imports; isolation's target is at most +10% on --submission. By default the
children are forked from one process that imported mxnet once (grader.sandbox.forkserver;
bench/forkserver.py compares both ways). Each figure is the median of --repeats runs, interleaved so
that load from other processes hits them alike.
Run: ``python bench/grader.py [--repeats N]``.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wall_time(command, exit_code):
    """Seconds command takes to run in the repository root; exits with its output if it ends otherwise
    than with exit_code (a crashed run must not be timed as a fast one)."""
    started = time.perf_counter()
    run = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    elapsed = time.perf_counter() - started
    if run.returncode != exit_code:
        sys.exit("bench/grader.py: %s exited with %s, expected %d; its output:\n%s"
                 % (" ".join(command), run.returncode, exit_code, run.stdout.decode("utf-8", "replace")[-5000:]))
    return elapsed


def main(argv=None):
    """Print the medians and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command (default: 3)")
    args = parser.parse_args(argv)
    chapters = len([name for name in os.listdir(os.path.join(REPO, "solutions")) if name.startswith("ch")])
    scratch = tempfile.mkdtemp(prefix="bench-grader-")
    submission = os.path.join(scratch, "submission")
    shutil.copytree(os.path.join(REPO, "solutions"), submission)
    graded = [sys.executable, "-m", "grader", "--submission", submission, "-q"]
    commands = {  # name: (command, the exit code a correct run ends with)
        "import mxnet": ([sys.executable, "-c", "import mxnet"], 0),
        "grader --solutions": ([sys.executable, "-m", "grader", "--solutions", "-q"], 0),
        "grader (stubs)": ([sys.executable, "-m", "grader", "-q"], 1),
        "--submission": (graded, 0),
        "--submission --no-isolation": (graded + ["--no-isolation"], 0),
    }
    times = {name: [] for name in commands}
    try:
        for _ in range(args.repeats):
            for name, (command, exit_code) in commands.items():
                times[name].append(wall_time(command, exit_code))
    finally:
        shutil.rmtree(scratch)
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = chapters * medians["import mxnet"]
    print("one `import mxnet`: %.2f s; %d chapter modules: N x import = %.2f s" % (
        medians["import mxnet"], chapters, baseline))
    for name in ("grader --solutions", "grader (stubs)"):
        print("%-20s %6.2f s   %.2f x (N x import mxnet)" % (name, medians[name], medians[name] / baseline))
    isolated, plain = medians["--submission"], medians["--submission --no-isolation"]
    print("--submission isolated %.2f s, --no-isolation %.2f s: isolation adds %+.1f%% (target: at most +10%%)"
          % (isolated, plain, 100.0 * (isolated / plain - 1)))


if __name__ == "__main__":
    main()
