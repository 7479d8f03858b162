"""Grade each folder in scenarios/ through the command line and compare with its expected_outcome.json.

A scenario folder holds only the chapter modules it changes; they start with
``from solved_<chapter> import *`` and override a few names. The test copies every module of
solutions/ into a temporary submission (also as solved_<chapter>.py), overlays the scenario's
modules, runs ``python -m grader`` in this process with --format json --output, and checks:
each exercise's status (``default`` unless listed under ``chapters`` or ``exercises``), message
fragments, points, the exit code, that the student's output never reached stdout, that the
report file is the grader's, and that no process is left running: no child of this process (a
zombie counts) but the fork server's zygote, no child of that zygote, and no process whose command
line names the submission, which every sandbox child shows (a forked one rewrites its command line)
and every fork of it keeps, even one in a session of its own.

Every scenario is graded with children forked from the zygote (--start fork); those in FRESH_TOO,
whose outcome depends on how a child process starts and ends, also with fresh processes.

expected_outcome.json keys: submission ("solutions"/"exercises" to grade that folder as is),
select, slow (true: grade with --slow), default, chapters {chapter: status}, exercises {id: status or [statuses]},
messages {id: fragment}, points {id: points}, exit_code, timeout (seconds per query, default 2),
isolated (true: every isolation layer must
be active). The scenarios marked isolated run twice: with the grader as root, and as the unprivileged
user nobody (uid 65534, in a subprocess). Their modules find what to attack in $SCENARIO_TARGETS: the
grader's pid, a port the test listens on at 127.0.0.1, the checkout, another submission's folder.

tests/grader/test_near_misses.py grades the folders of near_misses/ the same way.
"""
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing import resource_tracker
from pathlib import Path

import pytest

from grader.__main__ import main
from grader.sandbox import forkserver, syscalls

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(path for path in (Path(__file__).parent / "scenarios").iterdir() if path.is_dir())
ISOLATED = [path for path in SCENARIOS if json.loads((path / "expected_outcome.json").read_text()).get("isolated")]
ATTACK_MARK = "attack_was_here"  # the file name tests/grader/scenarios/write_outside tries to create
NOBODY = 65534
MS_MOVE = 8192
FRESH_TOO = {"fork_setsid", "kill_grader_and_siblings", "memory_blowup", "os_exit_at_import", "read_answers_by_path",
             "segfault", "solutions_isolated", "solutions_pass"}
RUNS = [(scenario, "fork") for scenario in SCENARIOS] + [
    (scenario, "fresh") for scenario in SCENARIOS if scenario.name in FRESH_TOO]


def build_submission(scenario, expected, tmp_path):
    """The folder to grade: solutions/ or exercises/ as is, or solutions overlaid with the scenario's modules."""
    if "submission" in expected:
        return ROOT / expected["submission"]
    folder = tmp_path / "submission"
    folder.mkdir()
    for module in (ROOT / "solutions").glob("ch*.py"):
        shutil.copy(module, folder / module.name)
        shutil.copy(module, folder / ("solved_" + module.name))
    for module in scenario.glob("*.py"):
        shutil.copy(module, folder / module.name)
    return folder


def _processes():
    """(pid, parent pid, command line) of every running process, from a /proc scan (no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit():
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
                found.append((int(entry.name), parent, command))
        except (OSError, IndexError, ValueError):  # the process ended while we looked
            continue
    return found


def leftover_processes(folder):
    """Children of this test process and of its zygote (not the zygote itself, nor multiprocessing's
    resource tracker, which the batch's workers start and which lives as long as this process), and
    processes anywhere whose command line names folder."""
    table = _processes()
    zygotes = {pid for pid, parent, command in table
               if parent == os.getpid() and "grader.sandbox.forkserver" in command}
    helpers = zygotes | {resource_tracker._resource_tracker._pid}
    return [(pid, command) for pid, parent, command in table
            if (parent == os.getpid() and pid not in helpers) or parent in zygotes
            or (str(folder) in command and pid != os.getpid())]


def wait_for(condition, seconds):
    """Poll condition() until it is true or seconds have passed; return its last value."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def assert_none_left(tmp_path, seconds=0):
    """Fail if processes of the graded submission are left (waiting up to seconds); kill them first."""
    wait_for(lambda: leftover_processes(tmp_path) == [], seconds)
    left = leftover_processes(tmp_path)
    for pid, _ in left:  # a failing run must not leave an endless loop on the machine
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert left == []


def expected_status(result, expected):
    """The statuses expected_outcome.json allows for this exercise (a status, or a list of them)."""
    status = expected.get("exercises", {}).get(
        result["id"], expected.get("chapters", {}).get(result["chapter"], expected["default"]))
    return status if isinstance(status, list) else [status]


def skip_unless_forkable(start):
    """Skip a test of start='fork' where the fork server cannot be used (the reason is the skip's)."""
    if start == "fork":
        _, notes = forkserver.choose_starter("auto")
        if notes:
            pytest.skip(notes[0])


@contextlib.contextmanager
def attack_targets(base, monkeypatch):
    """$SCENARIO_TARGETS for the hostile scenarios: a listening port, another submission, the checkout."""
    other = base / "other_submission"
    other.mkdir()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    targets = {"grader_pid": os.getpid(), "port": listener.getsockname()[1], "checkout": str(ROOT),
               "other_submission": str(other)}
    monkeypatch.setenv("SCENARIO_TARGETS", json.dumps(targets))
    try:
        yield targets
    finally:
        listener.close()
    for folder in (ROOT, ROOT / "grader", other):
        assert not (folder / ATTACK_MARK).exists(), "the submission wrote into %s" % folder


def _closed_folders(paths):
    """{folder others cannot enter: names inside it to keep}, for every such folder on the way to each path
    (what leads on to the path) and each path itself (all it holds); read as root, which enters them all."""
    closed = {}
    for target in paths:
        parts = Path(os.path.realpath(target)).parts
        for depth in range(1, len(parts)):
            folder = os.path.join(*parts[:depth + 1])
            if os.stat(folder).st_mode & 0o001 == 0:
                names = parts[depth + 1:depth + 2] or os.listdir(folder)
                closed.setdefault(folder, set()).update(names)
    return closed


def _reachable(paths):
    """In this (new, private) mount namespace, make paths reachable by everyone: each folder on their way that
    others cannot enter (/root, a `mktemp -d`) is covered by a tmpfs holding only what leads to paths."""
    for folder, names in sorted(_closed_folders(paths).items(), key=lambda item: len(item[0])):
        staged = {}
        for name in names:
            source = os.path.join(folder, name)
            if os.path.isdir(source):
                staged[name] = tempfile.mkdtemp()
            else:
                handle, staged[name] = tempfile.mkstemp()
                os.close(handle)
            syscalls.mount(source, staged[name], None, syscalls.MS_BIND | syscalls.MS_REC)
        syscalls.mount("tmpfs", folder, "tmpfs", 0, "mode=755")
        for name, staging in staged.items():
            place = os.path.join(folder, name)
            if os.path.isdir(staging):
                os.mkdir(place)
            else:
                open(place, "w").close()
            syscalls.mount(staging, place, None, MS_MOVE)


def _become_nobody():
    """preexec_fn: a private mount namespace where Python, the virtual environment and the checkout are
    reachable, then the user nobody."""
    syscalls.unshare(syscalls.CLONE_NEWNS)
    syscalls.mount(None, "/", None, syscalls.MS_REC | syscalls.MS_PRIVATE)
    _reachable([sys.base_prefix, sys.prefix, str(ROOT)])
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)


def run_grader(argv, as_nobody):
    """The grader's exit code for argv: run here, or as nobody in a subprocess (stdout must stay empty)."""
    if not as_nobody:
        return main(argv)
    done = subprocess.run([sys.executable, "-m", "grader"] + argv, preexec_fn=_become_nobody, cwd=os.getcwd(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    assert done.stdout == b"", done.stdout
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    return done.returncode


def assert_graded_as_expected(scenario, tmp_path, monkeypatch, capfd, start="fork", as_nobody=False):
    """Grade the scenario folder through the command line (children started as start says) and check
    everything its expected_outcome.json says."""
    skip_unless_forkable(start)
    expected = json.loads((scenario / "expected_outcome.json").read_text())
    folder = build_submission(scenario, expected, tmp_path)
    output = tmp_path / "results.json"
    monkeypatch.setenv("SCENARIO_OUTPUT", str(output))
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the grader's copy of the submission too, for assert_none_left
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.chdir(tmp_path)

    with attack_targets(tmp_path, monkeypatch) if expected.get("isolated") else contextlib.nullcontext():
        code = run_grader(expected.get("select", []) + (["--slow"] if expected.get("slow") else []) + [
            "--submission", str(folder), "--format", "json", "--output", str(output),
            "--timeout", str(expected.get("timeout", 2)), "--memory-mb", "2048", "--seed", "7", "--quiet",
            "--start", start], as_nobody)

    assert capfd.readouterr().out == ""
    report = json.loads(output.read_text())
    assert report["exercises"], "nothing was graded"
    for result in report["exercises"]:
        allowed = expected_status(result, expected)
        assert (result["id"], result["status"]) in [(result["id"], status) for status in allowed], result["message"]
        fragment = expected.get("messages", {}).get(result["id"])
        if fragment:
            assert fragment in result["message"], result["message"]
        points = expected.get("points", {}).get(result["id"])
        if points is not None or result["status"] == "passed":
            assert result["points"] == (result["max_points"] if points is None else points)
    assert report["score"] == sum(result["points"] for result in report["exercises"])
    listed = set().union(*(expected.get(key, {}) for key in ("exercises", "messages", "points")))
    assert listed <= {result["id"] for result in report["exercises"]}
    if expected.get("isolated"):
        assert all(layer["active"] for layer in report["isolation"].values()), report["isolation"]
    assert code == expected["exit_code"]
    assert_none_left(tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("scenario, start", RUNS, ids=["%s-%s" % (path.name, start) for path, start in RUNS])
def test_scenario(scenario, start, tmp_path, monkeypatch, capfd):
    assert_graded_as_expected(scenario, tmp_path, monkeypatch, capfd, start)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to become nobody")
@pytest.mark.parametrize("scenario", ISOLATED, ids=[path.name for path in ISOLATED])
def test_isolated_scenario_as_an_unprivileged_grader(scenario, monkeypatch, capfd):
    base = Path(tempfile.mkdtemp(prefix="scenario-", dir="/tmp"))  # pytest's tmp_path is root's alone
    os.chmod(str(base), 0o777)
    try:
        assert_graded_as_expected(scenario, base, monkeypatch, capfd, as_nobody=True)
    finally:
        monkeypatch.undo()  # tempfile.tempdir points into base
        shutil.rmtree(str(base))


@pytest.mark.slow
@pytest.mark.parametrize("start", ["fork", "fresh"])
@pytest.mark.parametrize("signum, exit_code", [(signal.SIGTERM, 130), (signal.SIGKILL, -signal.SIGKILL)])
def test_no_child_outlives_a_stopped_grader(signum, exit_code, start, tmp_path):
    skip_unless_forkable(start)
    folder = tmp_path / "submission"
    folder.mkdir()
    looping = tmp_path / "looping"
    (folder / "ch07_optimization.py").write_text("open(%r, 'w').close()\nwhile True:\n    pass\n" % str(looping))
    command = [sys.executable, "-m", "grader", "ch07", "--submission", str(folder), "--timeout", "60",
               "--no-isolation", "--start", start]  # the bookkeeping that holds without isolation
    grader = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(looping.exists, 60), "the child never reached the student's endless loop"
        grader.send_signal(signum)
        assert grader.wait(timeout=30) == exit_code
    finally:
        grader.kill()
        grader.wait()
    assert_none_left(tmp_path, seconds=10)
    its_zygote = "grader.sandbox.forkserver\0--socket-fd"
    assert wait_for(lambda: not [command for _, parent, command in _processes()
                                 if its_zygote in command and "--parent\0%d\0" % grader.pid in command], 10)
