"""The fork server: its self-check, the Popen-like handles of forked children, its life and death, the fallback.

Children are spawned as the grader spawns them (a student module in tmp_path, pipes, a log file), so
what is tested is the child a chapter's checks talk to.
"""
import itertools
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from grader import sandbox
from grader.sandbox import client, forkserver, processes
from grader.runner import GraderUsageError, grade

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server needs Linux")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

REPORTS = """\
import os

THREADS = [line for line in open("/proc/self/status") if line.startswith("Threads:")][0].split()[1]


def where():
    return {"cwd": os.getcwd(), "mark": os.environ.get("%s"), "from_grader": os.environ.get("FROM_GRADER")}
""" % sandbox.MARK_VARIABLE


@pytest.fixture(scope="module")
def server():
    """The test process's shared fork server (its self-check must pass on this machine)."""
    shared = forkserver.shared_server()
    assert shared.problem() == ""
    return shared


@pytest.fixture
def own_server(monkeypatch):
    """Make shared_server() launch a fresh zygote for this test; close whatever it launched afterwards."""
    previous = forkserver._SERVER
    monkeypatch.setattr(forkserver, "_SERVER", None)
    yield
    if forkserver._SERVER not in (None, previous):
        forkserver._SERVER.close()


def spawn(server, tmp_path, source, name="ch99_forked"):
    """Spawn a child importing source as name; (handle, request pipe's write end, reply pipe's read end)."""
    (tmp_path / (name + ".py")).write_text(source)
    request_read, request_write = os.pipe()
    reply_read, reply_write = os.pipe()
    (tmp_path / "cwd").mkdir(exist_ok=True)
    with open(str(tmp_path / (name + ".log")), "wb") as log:
        child = server.spawn(str(tmp_path), name, request_read, reply_write, 2048, None, str(tmp_path / "cwd"),
                             dict(os.environ, **{sandbox.MARK_VARIABLE: "0123456789abcdef"}), log)
    os.close(request_read)
    os.close(reply_write)
    return child, request_write, reply_read


def alive(pid):
    """Whether pid is a live process (a zombie does not count)."""
    return processes.process_table().get(pid, (b"Z",))[0] != b"Z"


def wait_until(condition, seconds=10):
    """Poll condition() until it holds or seconds passed; its last value."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_a_forked_child_is_single_threaded_and_takes_the_requests_folder_and_environment(server, tmp_path,
                                                                                           monkeypatch):
    monkeypatch.setenv("FROM_GRADER", "yes")
    box = sandbox.ChapterSandbox(str(tmp_path), "ch99_reports", 5.0, 2048, str(tmp_path),
                                 starter=forkserver.start_forked)
    (tmp_path / "ch99_reports.py").write_text(REPORTS)
    student = sandbox.StudentModule(box, itertools.count())
    try:
        assert student.value("THREADS") == "1"  # what entering namespaces before the student's code needs
        seen = student.call("where")
        assert seen["cwd"] == str(tmp_path / "ch99_reports") and seen["from_grader"] == "yes"
        assert seen["mark"] == box._token
        table = processes.process_table()
        mark = ("%s=%s" % (sandbox.MARK_VARIABLE, box._token)).encode()
        assert processes.marked(mark, table) == {box._proc.pid}  # close() finds it and its forks by the mark
        with open("/proc/%d/cmdline" % box._proc.pid, "rb") as cmdline:
            command = cmdline.read().rstrip(b"\0").split(b"\0")
        assert command[1:5] == [b"-m", b"grader.sandbox", str(tmp_path).encode(), b"ch99_reports"]
    finally:
        box.close()


def test_the_handle_reports_exit_codes_and_signals_as_popen_does(server, tmp_path):
    exits, request, reply = spawn(server, tmp_path, "import os\nos._exit(7)\n")
    assert exits.wait(timeout=30) == 7 and exits.returncode == 7 and exits.poll() == 7
    waits, request, reply = spawn(server, tmp_path, "X = 1\n")
    with pytest.raises(subprocess.TimeoutExpired):
        waits.wait(timeout=0.2)
    assert waits.poll() is None and waits.returncode is None
    os.killpg(waits.pid, signal.SIGTERM)  # the child leads a session of its own, as a fresh one does
    assert waits.wait(timeout=30) == -signal.SIGTERM
    finishes, request, reply = spawn(server, tmp_path, "X = 1\n")
    os.close(request)  # no more queries: the child's serve() returns 0
    assert finishes.wait(timeout=30) == 0
    os.close(reply)


def test_the_zygote_reaps_the_orphans_of_its_children(server, tmp_path):
    pid_file = tmp_path / "daemon.pid"
    source = textwrap.dedent("""\
        import os, time
        if os.fork() == 0:
            os.setsid()
            with open(%r, "w") as out:
                out.write(str(os.getpid()))
            while True:
                time.sleep(0.1)
        X = 1
        """ % str(pid_file))
    child, request, reply = spawn(server, tmp_path, source)
    assert wait_until(lambda: pid_file.exists() and pid_file.read_text())
    daemon = int(pid_file.read_text())
    os.killpg(child.pid, signal.SIGKILL)  # the daemon has its own session: it survives its parent
    assert child.wait(timeout=30) == -signal.SIGKILL
    assert wait_until(lambda: processes.process_table()[daemon][1] == server.process.pid)
    os.kill(daemon, signal.SIGKILL)
    assert wait_until(lambda: daemon not in processes.process_table())  # reaped, not left a zombie
    os.close(request)
    os.close(reply)


def test_closing_the_grader_side_ends_the_zygote_and_its_children(own_server, tmp_path):
    server = forkserver.shared_server()
    child, request, reply = spawn(server, tmp_path, "X = 1\n")
    server.close()
    assert server.process.returncode is not None
    assert wait_until(lambda: not alive(child.pid))
    assert child.returncode == -signal.SIGKILL
    os.close(request)
    os.close(reply)


def test_a_dead_zygote_is_replaced_and_its_children_count_as_killed(own_server, tmp_path):
    server = forkserver.shared_server()
    child, request, reply = spawn(server, tmp_path, "X = 1\n")
    server.process.kill()  # as a child could, with os.kill(os.getppid(), 9)
    server.process.wait()
    assert wait_until(lambda: not alive(child.pid))  # PDEATHSIG: it died with the zygote
    (tmp_path / "ch99_next.py").write_text("X = 2\n")
    box = sandbox.ChapterSandbox(str(tmp_path), "ch99_next", 5.0, 2048, str(tmp_path),
                                 starter=forkserver.start_forked)
    try:
        assert sandbox.StudentModule(box, itertools.count()).value("X") == 2
    finally:
        box.close()
    assert forkserver._SERVER is not server and server.died()
    assert child.wait(timeout=0) == -signal.SIGKILL
    server.close()
    os.close(request)
    os.close(reply)


DIES_WITH_ITS_GRADER = """\
import os, sys, time
from grader.sandbox import forkserver
server = forkserver.shared_server()
assert server.problem() == ""
folder = sys.argv[1]
with open(os.path.join(folder, "ch99_forked.py"), "w") as module:
    module.write("X = 1\\n")
request_read, request_write = os.pipe()
reply_read, reply_write = os.pipe()
with open(os.path.join(folder, "child.log"), "wb") as log:
    child = server.spawn(folder, "ch99_forked", request_read, reply_write, 2048, None, folder,
                         dict(os.environ, D2LZH_GRADER_SANDBOX="0123456789abcdef"), log)
print(server.process.pid, child.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.slow
def test_the_zygote_and_its_children_die_with_a_killed_grader(tmp_path):
    grader = subprocess.Popen([sys.executable, "-c", DIES_WITH_ITS_GRADER, str(tmp_path)], cwd=ROOT,
                              stdout=subprocess.PIPE)
    try:
        zygote, child = (int(pid) for pid in grader.stdout.readline().split())
        assert alive(zygote) and alive(child)
        grader.kill()
        assert grader.wait(timeout=30) == -signal.SIGKILL
        assert wait_until(lambda: not alive(zygote) and not alive(child))
    finally:
        grader.kill()
        grader.wait()
        grader.stdout.close()


FORKS_ITSELF = """\
import os, sys
from grader.sandbox import forkserver
parent = forkserver.shared_server()
assert parent.problem() == ""
pid = os.fork()
if pid == 0:
    own = forkserver.shared_server()
    ok = own is not parent and own.problem() == "" and own.process.pid != parent.process.pid
    own.close()
    os._exit(0 if ok else 1)
_, status = os.waitpid(pid, 0)
print(os.WEXITSTATUS(status), parent.died(), parent.problem() == "", parent.process.poll())
"""


@pytest.mark.slow
def test_a_fork_of_the_grader_launches_its_own_zygote_and_leaves_the_parents_alone():
    run = subprocess.run([sys.executable, "-c", FORKS_ITSELF], cwd=ROOT, stdout=subprocess.PIPE, check=True)
    assert run.stdout.decode().split() == ["0", "False", "True", "None"]


@pytest.mark.slow
def test_a_failed_self_check_falls_back_to_fresh_processes_and_says_why(own_server, monkeypatch, tmp_path):
    monkeypatch.setattr(forkserver, "ENGINE", "ThreadedEnginePerDevice")  # a forked child then has threads
    assert "a forked child has" in forkserver.shared_server().problem()
    with pytest.raises(GraderUsageError, match="--start fork: .* a forked child has"):
        grade(os.path.join(ROOT, "solutions"), ["ch02.normalize_rows"], start="fork")
    report = grade(os.path.join(ROOT, "solutions"), ["ch02.normalize_rows"], start="auto")
    assert [result.status for result in report.exercises] == ["passed"]
    assert len(report.notes) == 1
    assert report.notes[0].startswith("chapter processes were started fresh, not forked: a forked child has ")
    assert forkserver.choose_starter("auto")[0] is client.start_fresh  # the verdict is kept, not relaunched
