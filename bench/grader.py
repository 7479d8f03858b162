"""Wall time of ``python -m grader --solutions`` and of the stubs run, against N x ``python -c "import mxnet"``.

N is the number of chapter modules: the grader starts one child per chapter, each importing
mxnet, plus its own process; the target is a solutions run under 2x (N imports + the checks).
The children start together so their imports overlap, so on a machine with free cores the run
can come in under N imports. Each figure is the median of --repeats runs, interleaved so that
load from other processes hits them alike.
Run: ``python bench/grader.py [--repeats N]``.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wall_time(command):
    """Seconds command takes to run in the repository root (its output discarded)."""
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main(argv=None):
    """Print the medians and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command (default: 3)")
    args = parser.parse_args(argv)
    chapters = len([name for name in os.listdir(os.path.join(REPO, "solutions")) if name.startswith("ch")])
    commands = {
        "import mxnet": [sys.executable, "-c", "import mxnet"],
        "grader --solutions": [sys.executable, "-m", "grader", "--solutions", "-q"],
        "grader (stubs)": [sys.executable, "-m", "grader", "-q"],
    }
    times = {name: [] for name in commands}
    for _ in range(args.repeats):
        for name, command in commands.items():
            times[name].append(wall_time(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = chapters * medians["import mxnet"]
    print("one `import mxnet`: %.2f s; %d chapter modules: N x import = %.2f s" % (
        medians["import mxnet"], chapters, baseline))
    for name in ("grader --solutions", "grader (stubs)"):
        print("%-20s %6.2f s   %.2f x (N x import mxnet)" % (name, medians[name], medians[name] / baseline))


if __name__ == "__main__":
    main()
