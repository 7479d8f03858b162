"""The fork server ("zygote"): one process per grader imports mxnet once and forks every sandbox child.

Started fresh, each chapter's child pays ``import numpy, mxnet`` (1.5-3 s of CPU, most of a grading
run's CPU). The zygote, ``python -m grader.sandbox.forkserver``, imports numpy, mxnet, grader.probes and the
child's code (grader.sandbox.child) once and forks a child per spawn request; the child takes the
request's log, working folder, environment and isolation plan and runs the same code as
``python -m grader.sandbox`` (child.serve, which enters the plan before the student's code runs:
the forked child is single-threaded, as unshare(2) needs). The zygote imports nothing that holds
answers (no grader.checks, no solutions) and never touches a GPU (importing mxnet does not
initialise CUDA; a child may).

MXNet's NaiveEngine (set in the zygote's environment only) keeps the zygote, and so every forked child,
single-threaded: the threaded engine leaves a forked child with worker threads, in which
unshare(CLONE_NEWUSER) fails. A self-check when the zygote starts forks a test child that must be
single-threaded, enter a user namespace where the kernel allows them, and run NDArray, autograd and
Gluon code; if it fails, the grader starts fresh processes instead (``start="auto"``) and says why.

Protocol (a SOCK_SEQPACKET socket pair): the zygote says ``ready`` or ``unusable``; each ``spawn``
carries the child's parameters and, as SCM_RIGHTS, its request, reply and log fds; the zygote answers
``spawned`` (pid) and later ``exited`` (pid, Popen-style return code) once it reaped the child. The
zygote dies with the grader thread that started it (PDEATHSIG) or when the grader's end closes, and
kills its children then; it is a child subreaper that reaps the orphans of its children.
A forked child rewrites its command line and the mark in its environment in place, so /proc shows
what a fresh child's shows (the submission folder; MARK_VARIABLE=token) and leftover hunting works.

Why not multiprocessing's forkserver: its children re-run the parent's __main__ (the grader's CLI, or
pytest), its server is not a subreaper, does not die with the grader, and reports no exit statuses.
"""
import argparse
import array
import atexit
import ctypes
import errno
import faulthandler
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from grader.sandbox import child, client, isolation, limits
from grader.sandbox.processes import MARK_VARIABLE

START_METHODS = ("auto", "fork", "fresh")  # grade(start=...): auto = fork when the self-check passes
READY_TIMEOUT = client.STARTUP_TIMEOUT  # seconds for the zygote's imports and self-check
SELF_CHECK_TIMEOUT = 60.0  # seconds for the self-check's test child
CLOSE_TIMEOUT = 5.0  # seconds for the zygote to exit once its socket is closed
MESSAGE_BYTES = 1 << 20  # the largest message (a spawn request carries the child's environment)
MARK_PLACEHOLDER = "-" * 16  # the zygote's MARK_VARIABLE value, overwritten in place by each child's token
TITLE_ROOM = 4400  # bytes of command line a child can rewrite: room for child_command with a PATH_MAX folder
CLONE_NEWUSER = 0x10000000
ENGINE = "NaiveEngine"


class ForkServerUnavailable(RuntimeError):
    """The fork server cannot start children here (its self-check failed, or it died)."""


# ==== messages ================================================================================

def _send(sock, message, fds=()):
    """Send message (a JSON-able dict) as one packet, with fds attached (SCM_RIGHTS)."""
    data = json.dumps(message).encode("utf-8")
    rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
    sock.sendmsg([data], rights)


def _receive(sock):
    """(message, fds) of the next packet; (None, []) once the other end has closed."""
    data, ancillary, flags, _ = sock.recvmsg(MESSAGE_BYTES, socket.CMSG_SPACE(8 * array.array("i").itemsize))
    fds = array.array("i")
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
    if flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
        for fd in fds:
            os.close(fd)
        raise ValueError("a fork server message was cut short")
    return (json.loads(data.decode("utf-8")) if data else None), list(fds)


def _returncode(status):
    """Popen's return code for a waitpid status: the exit code, or -N for a child killed by signal N."""
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


# ==== zygote side =============================================================================

def _memory_areas():
    """((arg_start, arg_end), (env_start, env_end)) of this process, from /proc/self/stat (fields 48-51)."""
    with open("/proc/self/stat", "rb") as stat:
        fields = stat.read().rsplit(b")", 1)[1].split()
    arg_start, arg_end, env_start, env_end = (int(field) for field in fields[45:49])
    return (arg_start, arg_end), (env_start, env_end)


def _rewrite_in_place(command, token):
    """Make /proc/self/cmdline read command and /proc/self/environ carry MARK_VARIABLE=token.

    Both files show the memory the kernel filled at exec: the zygote's command line (padded with
    TITLE_ROOM spaces) and environment (MARK_VARIABLE=MARK_PLACEHOLDER), which a forked child overwrites.
    """
    (arg_start, arg_end), (env_start, env_end) = _memory_areas()
    title = "\0".join(command).encode("utf-8")[:arg_end - arg_start - 1]
    ctypes.memmove(arg_start, title.ljust(arg_end - arg_start, b"\0"), arg_end - arg_start)
    placeholder = ("%s=%s\0" % (MARK_VARIABLE, MARK_PLACEHOLDER)).encode()
    where = ctypes.string_at(env_start, env_end - env_start).find(placeholder)
    if where < 0 or len(token) != len(MARK_PLACEHOLDER):
        raise RuntimeError("cannot mark the forked child with %r: its environment area needs %s=%s, and the "
                           "token as many characters" % (token, MARK_VARIABLE, MARK_PLACEHOLDER))
    ctypes.memmove(env_start + where + len(placeholder) - len(token) - 1, token.encode(), len(token))


def _become_child(request, fds, zygote):
    """In a freshly forked child: take the request's session, fds, folder and environment, then serve.

    zygote: (its pid, the fds it serves on, which the child must not keep). Returns the exit code.
    """
    zygote_pid, serving = zygote
    request_fd, reply_fd, log_fd = fds
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for fd in serving:
        os.close(fd)
    os.setsid()
    limits.prctl(limits.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != zygote_pid:  # the zygote died before PDEATHSIG was set
        return 1
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    os.chdir(request["cwd"])
    sys.path[0] = os.getcwd()  # where ``python -m`` puts the working folder
    os.environ.clear()
    os.environ.update(request["env"])
    plan = isolation.IsolationPlan.from_json(request["plan"]) if request["plan"] else None
    command = child.child_command(request["folder"], request["module"], request_fd, reply_fd,
                                  request["memory_mb"], plan)
    sys.argv = [os.path.join(os.path.dirname(child.__file__), "__main__.py")] + command[3:]
    _rewrite_in_place(command, request["env"][MARK_VARIABLE])
    return child.serve(request["folder"], request["module"], request_fd, reply_fd, request["memory_mb"], plan)


def _fork(run):
    """Fork a child that calls run() and exits with its return code (1 and a traceback if it raises)."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        code = run()
    except BaseException:  # the child must never return into the zygote's loop
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code if isinstance(code, int) else 1)


def _thread_count():
    """Threads of this process (/proc/self/status)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise RuntimeError("/proc/self/status has no Threads: line")


def _check_forked_child():
    """'' when this (forked) process is single-threaded, may enter a user namespace and runs MXNet; else why not."""
    threads = _thread_count()
    if threads != 1:
        return "a forked child has %d threads, not 1 (is MXNet's %s in use?)" % (threads, ENGINE)
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "unshare") and libc.unshare(CLONE_NEWUSER) != 0 and ctypes.get_errno() == errno.EINVAL:
        return "a forked child cannot enter a user namespace (unshare: EINVAL)"  # other errors: none allowed here
    import mxnet as mx
    from mxnet import autograd, gluon
    x = mx.nd.arange(6).reshape((2, 3))
    x.attach_grad()
    with autograd.record():
        y = (x * x).sum()
    y.backward()
    if x.grad.asnumpy().tolist() != [[0, 2, 4], [6, 8, 10]]:
        return "autograd in a forked child gave the gradient %s" % x.grad.asnumpy().tolist()
    net = gluon.nn.Dense(4, in_units=3)
    net.initialize()
    if net(x).shape != (2, 4):
        return "a Gluon Dense layer in a forked child gave the shape %s" % (net(x).shape,)
    return ""


def self_check(timeout=SELF_CHECK_TIMEOUT):
    """'' when a child forked from this process passes _check_forked_child, else why not."""
    read_end, write_end = os.pipe()

    def run():
        os.close(read_end)
        try:
            verdict = _check_forked_child()
        except Exception as exc:  # whatever breaks in the forked child is the verdict
            verdict = "a forked child failed: %s: %s" % (type(exc).__name__, exc)
        os.write(write_end, (verdict or "ok").encode("utf-8")[:4000])
        return 0

    pid = _fork(run)
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], timeout)
    verdict = os.read(read_end, 4096).decode("utf-8", "replace") if ready else ""
    os.close(read_end)
    if not ready:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if not ready:
        return "the self-check's forked child did not finish within %g s" % timeout
    if not verdict:
        return "the self-check's forked child died (%s)" % client._how_it_ended(_returncode(status))
    return "" if verdict == "ok" else verdict


def _reap(conn, children):
    """Reap every ended child; tell the grader how each of its children ended (orphans just vanish)."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid in children:
            children.discard(pid)
            _send(conn, {"kind": "exited", "pid": pid, "returncode": _returncode(status)})


def _drain(fd):
    """Read a non-blocking fd until it is empty."""
    try:
        while os.read(fd, 512):
            pass
    except BlockingIOError:
        pass


def _serve_forever(conn):
    """Fork a child per spawn request and report its end, until the grader's end closes; then kill them."""
    wakeup_read, wakeup_write = os.pipe()
    for fd in (wakeup_read, wakeup_write):
        os.set_blocking(fd, False)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)  # a handler, so the wakeup fd gets a byte
    signal.set_wakeup_fd(wakeup_write)
    zygote = (os.getpid(), (conn.fileno(), wakeup_read, wakeup_write))
    children = set()
    try:
        while True:
            ready, _, _ = select.select([conn, wakeup_read], [], [])
            if wakeup_read in ready:
                _drain(wakeup_read)
                _reap(conn, children)
            if conn not in ready:
                continue
            request, fds = _receive(conn)
            if request is None:
                return
            try:
                pid = _fork(lambda: _become_child(request, fds, zygote))
            except OSError as exc:
                _send(conn, {"kind": "failed", "reason": "fork: %s" % exc})
            else:
                children.add(pid)
                _send(conn, {"kind": "spawned", "pid": pid})
            finally:
                for fd in fds:
                    os.close(fd)
    finally:
        for pid in children:
            _kill_child(pid)


def _kill_child(pid):
    """SIGKILL a forked child's session (its process group), or the child alone if it has none yet."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def zygote_main(argv=None):
    """Entry point of ``python -m grader.sandbox.forkserver``: import, self-check, say so, then serve spawn requests."""
    parser = argparse.ArgumentParser(prog="python -m grader.sandbox.forkserver")
    parser.add_argument("--socket-fd", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True, help="the grader's pid")
    parser.add_argument("title_room", nargs="?", help="spaces a forked child overwrites with its command line")
    args = parser.parse_args(argv)
    limits.prctl(limits.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != args.parent:  # the grader died before PDEATHSIG was set
        return 1
    limits.prctl(limits.PR_SET_CHILD_SUBREAPER, 1)
    conn = socket.socket(fileno=args.socket_fd)
    faulthandler.enable()  # before mxnet installs its own SIGSEGV handler, in the order a fresh child has
    import numpy  # noqa: F401  (what every child needs, imported once)
    import mxnet  # noqa: F401
    import grader.probes  # noqa: F401
    problem = self_check()
    _send(conn, {"kind": "unusable", "reason": problem} if problem else {"kind": "ready"})
    if not problem:
        _serve_forever(conn)
    return 0


# ==== grader side =============================================================================

class ForkedChild:
    """Popen's interface (pid, returncode, poll, wait) for a sandbox child forked by the zygote."""

    def __init__(self, server, pid, args):
        self.pid = pid
        self.args = args  # its command line, as Popen keeps it (for TimeoutExpired)
        self._server = server
        self._returncode = None

    @property
    def returncode(self):
        """None while the child runs, else its exit code, or -N if signal N killed it (as Popen's)."""
        return self.poll()

    def poll(self):
        """The return code if the child has ended, else None."""
        return self._ask(0)

    def wait(self, timeout=None):
        """The return code once the child has ended; subprocess.TimeoutExpired after timeout seconds."""
        code = self._ask(timeout)
        if code is None:
            raise subprocess.TimeoutExpired(self.args, timeout)
        return code

    def _ask(self, timeout):
        """The return code, from the server the first time it knows it (waiting up to timeout seconds)."""
        if self._returncode is None:
            self._returncode = self._server.returncode(self.pid, timeout)
        return self._returncode


class ForkServer:
    """The grader's end of one zygote: launch it, learn its self-check verdict, spawn children, track their ends."""

    def __init__(self):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._stderr = tempfile.TemporaryFile()  # what the zygote prints, read if it fails
        env = client._child_env(MARK_PLACEHOLDER)
        env["MXNET_ENGINE_TYPE"] = ENGINE
        root = os.path.dirname(client.GRADER_DIR)
        command = [sys.executable, "-m", "grader.sandbox.forkserver", "--socket-fd", str(theirs.fileno()),
                   "--parent", str(os.getpid()), " " * TITLE_ROOM]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=self._stderr, cwd=root, env=env, pass_fds=(theirs.fileno(),),
                                        start_new_session=True)
        theirs.close()
        self._conn = ours
        self._lock = threading.RLock()
        self._verdict = None  # None until the zygote reports: '' usable, else why not
        self._running = set()  # pids of children spawned and not yet reported ended
        self._ended = {}  # pid -> return code of each child reported ended
        self._spawn_reply = None
        self._gone = False  # the zygote's end of the socket has closed

    def problem(self, timeout=READY_TIMEOUT):
        """'' once the zygote passed its self-check, else why it cannot start children (waits for its verdict)."""
        with self._lock:
            deadline = time.monotonic() + timeout
            while self._verdict is None and not self._gone and self._pump(deadline):
                pass
            if self._verdict is None:
                self._verdict = self._death_notice(deadline)
            if not self._verdict and self._gone:
                return "the fork server exited"
            return self._verdict

    def spawn(self, folder, module, request_fd, reply_fd, memory_mb, plan, cwd, env, log):
        """Fork a sandbox child (client.start_fresh's arguments and meaning); its ForkedChild handle."""
        with self._lock:
            problem = self.problem()
            if problem:
                raise ForkServerUnavailable(problem)
            request = {"kind": "spawn", "folder": folder, "module": module, "memory_mb": memory_mb, "cwd": cwd,
                       "env": env, "plan": plan.to_json() if plan is not None else None}
            self._spawn_reply = None
            try:
                _send(self._conn, request, [request_fd, reply_fd, log.fileno()])
            except OSError as exc:
                self._mark_gone()
                raise ForkServerUnavailable("the fork server is gone (%s)" % exc)
            deadline = time.monotonic() + READY_TIMEOUT
            while self._spawn_reply is None and self._pump(deadline):
                pass
            reply = self._spawn_reply or {"kind": "failed", "reason": "no answer from the fork server"}
            if reply["kind"] != "spawned":
                raise ForkServerUnavailable("the fork server could not start a child: %s" % reply["reason"])
            self._running.add(reply["pid"])
            return ForkedChild(self, reply["pid"], child.child_command(folder, module, request_fd, reply_fd,
                                                                       memory_mb, plan))

    def returncode(self, pid, timeout):
        """pid's return code once the zygote reported its end (waiting up to timeout seconds; None: forever).

        Handed out once (the ForkedChild keeps it): a later child may get the same pid.
        """
        with self._lock:
            deadline = None if timeout is None else time.monotonic() + timeout
            while pid not in self._ended and self._pump(deadline):
                pass
            return self._ended.pop(pid, None)

    def died(self):
        """Whether the zygote passed its self-check and has died since (a new one may be launched)."""
        return self._gone and self._verdict == ""

    def close(self):
        """Close the grader's end: the zygote kills its children and exits; wait for it (kill it if it lingers)."""
        with self._lock:
            self._conn.close()
            self._mark_gone()
            try:
                self.process.wait(CLOSE_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self._stderr.close()

    def forget(self):
        """Close this copy of the grader's end (in a fork of the grader), leaving the zygote to the parent."""
        self._conn.close()
        self._stderr.close()

    def _pump(self, deadline):
        """Handle the zygote's next message, waiting until deadline (None: forever); False if none came."""
        if self._gone:
            return False
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([self._conn], [], [], wait)
        if not ready:
            return False
        try:
            message, fds = _receive(self._conn)
        except (OSError, ValueError):
            message, fds = None, []
        for fd in fds:
            os.close(fd)
        if message is None:
            self._mark_gone()
            return False
        kind = message.get("kind")
        if kind == "exited":
            self._running.discard(message["pid"])
            self._ended[message["pid"]] = message["returncode"]
        elif kind in ("spawned", "failed"):
            self._spawn_reply = message
        elif kind in ("ready", "unusable"):
            self._verdict = message.get("reason", "")
        return True

    def _mark_gone(self):
        """The zygote is gone, and with it (PDEATHSIG) every child it had not reported ended."""
        self._gone = True
        for pid in self._running:
            self._ended[pid] = -signal.SIGKILL
        self._running.clear()

    def _death_notice(self, deadline):
        """Why the zygote gave no verdict: it hung (and is killed now), or how it ended and what it printed last."""
        if not self._gone:
            self.process.kill()
            self._mark_gone()
            return "the fork server gave no verdict within %g s" % READY_TIMEOUT
        try:
            code = self.process.wait(max(0.0, deadline - time.monotonic()) + 1.0)
        except subprocess.TimeoutExpired:
            code = None
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return "the fork server exited (%s) before its self-check%s" % (
            client._how_it_ended(code), ": " + lines[-1] if lines else "")


_SERVER = None  # this process's ForkServer, launched on first use


def shared_server():
    """This process's ForkServer, launched on first use, and again after its zygote died.

    One whose self-check failed is kept, so that its verdict is known at once next time.
    """
    global _SERVER
    if _SERVER is None or _SERVER.died():
        _SERVER = ForkServer()
    return _SERVER


def start_forked(folder, module, request_fd, reply_fd, memory_mb, plan, cwd, env, log):
    """A ChapterSandbox starter: the child forked by this process's zygote (ForkServerUnavailable if it cannot).

    A zygote found dead is replaced once (a child may have killed its parent).
    """
    server = shared_server()
    try:
        return server.spawn(folder, module, request_fd, reply_fd, memory_mb, plan, cwd, env, log)
    except ForkServerUnavailable:
        if not server.died():
            raise
    return shared_server().spawn(folder, module, request_fd, reply_fd, memory_mb, plan, cwd, env, log)


def launch(start):
    """Launch the zygote in the background, unless start (one of START_METHODS) is 'fresh'."""
    if start != "fresh" and sys.platform.startswith("linux"):
        shared_server()


def choose_starter(start):
    """(starter for ChapterSandbox, notes) for start; the note says why 'auto' fell back to fresh processes.

    start='fork' raises ForkServerUnavailable where the fork server cannot be used.
    """
    launch(start)
    if start == "fresh":
        return client.start_fresh, []
    problem = shared_server().problem() if sys.platform.startswith("linux") else "the fork server needs Linux"
    if not problem:
        return start_forked, []
    if start == "fork":
        raise ForkServerUnavailable(problem)
    return client.start_fresh, ["chapter processes were started fresh, not forked: %s" % problem]


@atexit.register
def _close_at_exit():
    """Kill the sandbox children first (their close() needs the zygote's reports), then the zygote."""
    if _SERVER is not None:
        client.close_all()
        _SERVER.close()


def _forget_after_fork():
    """In a fork of this process (a pool's worker, say): drop the parent's zygote; the fork launches its own."""
    global _SERVER
    if _SERVER is not None:
        _SERVER.forget()
        _SERVER = None


os.register_at_fork(after_in_child=_forget_after_fork)


if __name__ == "__main__":
    sys.exit(zygote_main())
