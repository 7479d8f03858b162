"""The grader side of the sandbox: ``ChapterSandbox`` starts and talks to one child per chapter module.

The child (grader.sandbox.child) imports the student's code under resource limits, isolated when the
run asks for it (grader.sandbox.isolation), and answers the grader's queries with plain data over a
dedicated pipe. It is started fresh (start_fresh) or forked from grader.sandbox.forkserver's zygote,
which has imported mxnet already; either way it runs child.serve(). This side enforces the time
limit, notices crashes, kills a child that misbehaves with every process it started, and starts a
fresh child for the next query.

Processes the student's code starts: the grader and each child are child subreapers (Linux), so a
process whose parent exits is re-parented to the child while it lives, else to the grader, instead of
to init. Closing a sandbox kills the child's process group, every process below the child in the
process tree, and every process whose environment still carries the child's mark (MARK_VARIABLE),
then reaps those that ended up as the grader's children. Limits: this is bookkeeping, not
containment. A process that detaches (double fork or setsid) and then execs with a cleared
environment after the child has died is not recognised; nor is anything once the grader itself is
killed with SIGKILL (the child then dies through PDEATHSIG, but a grandchild in its own session lives
on). An isolated child runs in a PID namespace of its own, so all of this is contained there.
"""
import ast
import atexit
import ctypes
import functools
import os
import secrets
import signal
import subprocess
import time
import weakref

from grader import protocol
from grader.sandbox import processes
from grader.sandbox.processes import MARK_VARIABLE
from grader.sandbox.child import MESSAGE_LIMIT, child_command
from grader.sandbox.limits import PR_GET_CHILD_SUBREAPER, PR_SET_CHILD_SUBREAPER, prctl

STARTUP_TIMEOUT = 300.0  # seconds for a child to import mxnet before the student's module is loaded
REAP_SECONDS = 60.0  # at most, how long close() waits for killed leftovers to die and be reaped (a PID
# namespace of a fork bomb can take many seconds to empty under load; close() returns as soon as it is)
GRADER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class StudentStatus(Exception):
    """An outcome of the student's code that decides the whole exercise (not a wrong answer)."""


class NotAttempted(StudentStatus):
    """The stub is untouched: it raised NotImplementedError, or the answer constant is still None."""


class StudentError(StudentStatus):
    """The student's code raised, crashed, exited, or its module could not be imported."""


class StudentTimeout(StudentStatus):
    """The student's code ran past the per-query time limit."""


class WrongType(AssertionError):
    """The student returned something that is not plain data (or not the kind the check needs)."""


_LIVE = weakref.WeakSet()  # every ChapterSandbox with a running child, killed at exit
_WAS_SUBREAPER = None  # the grader's own subreaper flag while it has live children, restored after


def _live_children_changed():
    """Keep the grader a child subreaper exactly while it has live children, then restore its own flag.

    Only while: a host process (a test run, say) would otherwise collect zombies of unrelated orphans.
    """
    global _WAS_SUBREAPER
    if _LIVE and _WAS_SUBREAPER is None:
        flag = ctypes.c_int(0)
        prctl(PR_GET_CHILD_SUBREAPER, ctypes.byref(flag))
        _WAS_SUBREAPER = flag.value
        prctl(PR_SET_CHILD_SUBREAPER, 1)
    elif not _LIVE and _WAS_SUBREAPER is not None:
        prctl(PR_SET_CHILD_SUBREAPER, _WAS_SUBREAPER)
        _WAS_SUBREAPER = None


@atexit.register
def close_all():
    """Kill every child still running (also called when a run ends or is interrupted)."""
    for sandbox in list(_LIVE):
        sandbox.close()


def _how_it_ended(returncode):
    """'signal SIGSEGV' or 'exit code 0' for a finished child's return code."""
    if returncode is not None and returncode < 0:
        try:
            return "signal %s" % signal.Signals(-returncode).name
        except ValueError:
            return "signal %d" % -returncode
    return "exit code %s, from os._exit() or a C library" % returncode


class ChapterSandbox:
    """The grader's client for one chapter module's child: start, query, restart after a crash, close."""

    def __init__(self, folder, chapter, timeout, memory_mb, workdir, isolation=None, starter=None):
        """isolation: an IsolationPlan the child enters, or None. starter(folder, module, request_fd, reply_fd,
        memory_mb, plan, cwd, env, log) starts the child and returns a Popen-like handle (pid, returncode,
        wait); default start_fresh, see grader.sandbox.forkserver."""
        self.folder = os.path.abspath(folder)
        self.isolation = isolation
        self.starter = starter or start_fresh
        self.chapter = chapter
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.workdir = workdir
        self.path = "%s/%s.py" % (os.path.basename(self.folder), chapter)
        self.starts = 0  # children started so far (each gets its own log file)
        self.import_failure = None  # the StudentStatus every query gets once the module failed to import
        self._proc = None
        self._ready = False

    # -- lifecycle --

    def start(self):
        """Start the child in the background (its mxnet import overlaps with other work)."""
        if self._proc is not None or self.import_failure is not None:
            return
        if not os.path.isfile(os.path.join(self.folder, self.chapter + ".py")):
            self.import_failure = StudentError("%s is missing: a submission keeps every chapter module" % self.path)
            return
        _LIVE.add(self)
        _live_children_changed()  # before the child exists, so none of its orphans can go to init
        request_read, self._request_fd = os.pipe()
        self._reply_fd, reply_write = os.pipe()
        self._token = secrets.token_hex(8)  # the value of MARK_VARIABLE in this child's environment
        self._log_path = os.path.join(self.workdir, "%s.%d.log" % (self.chapter, self.starts))
        cwd = os.path.join(self.workdir, self.chapter)
        os.makedirs(cwd, exist_ok=True)
        plan = None
        if self.isolation is not None:
            plan = self.isolation.for_child(self.folder, cwd)
            if plan.uid is not None:
                os.chown(cwd, plan.uid, plan.gid)  # the child's one writable folder
        with open(self._log_path, "wb") as log:
            self._proc = self.starter(self.folder, self.chapter, request_read, reply_write, self.memory_mb, plan,
                                      cwd, _child_env(self._token), log)
        os.close(request_read)
        os.close(reply_write)
        self.starts += 1
        self._ready = False

    def close(self):
        """Kill the child with its process group and every leftover process it started; release its pipes."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        mark = ("%s=%s" % (MARK_VARIABLE, self._token)).encode()
        table = processes.process_table()
        leftovers = processes.marked(mark, table) - {proc.pid}
        if proc.returncode is None:  # not reaped yet, so proc.pid is still this child's and its tree too
            leftovers |= processes.descendants(proc.pid, table)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        processes.kill(leftovers)
        proc.wait()
        processes.reap(leftovers, mark, REAP_SECONDS)
        os.close(self._request_fd)
        os.close(self._reply_fd)
        _LIVE.discard(self)
        _live_children_changed()

    # -- queries --

    def query(self, request, label, timeout=None):
        """Send request, return the decoded value, or raise the StudentStatus / WrongType it earned.

        timeout: seconds for this query (default: the sandbox's per-query limit).
        """
        self._ensure_ready()
        timeout = timeout or self.timeout
        deadline = time.monotonic() + timeout
        try:
            protocol.send_request(self._request_fd, request, deadline)  # a stopped child stops reading
            reply = protocol.receive_reply(self._reply_fd, deadline)
            status = reply.get("status")
            if status == "ok":
                return protocol.decode(reply.get("value"))
        except protocol.ChannelTimeout:
            self.close()
            raise StudentTimeout("%s did not finish within %g s (an endless loop? a long training run?)"
                                 % (label, timeout))
        except (protocol.ProtocolError, BrokenPipeError) as exc:
            raise self._crash("while running %s" % label, exc)
        message = str(reply.get("message", ""))[:MESSAGE_LIMIT]
        if status == "not_attempted":
            raise NotAttempted("%s: not attempted yet (%s)" % (label, message))
        if status == "not_found":
            raise StudentError("%s has no %s: keep the names of the exercise stubs" % (self.path, message))
        if status == "wrong_type":
            raise WrongType("%s gave %s, expected plain data (numbers, strings, lists, tuples, "
                            "dicts, NDArrays or numpy arrays)" % (label, message))
        if status == "exception":
            raise StudentError("%s raised an exception: %s" % (label, message))
        raise self._crash("while running %s" % label, protocol.ProtocolError("an unknown status %r" % (status,)))

    def _ensure_ready(self):
        """Start the child if needed and wait until the student's module is imported."""
        if self.import_failure is None and self._proc is None:
            self.start()
        if self.import_failure is None and not self._ready:
            self.import_failure = self._wait_until_imported()
        if self.import_failure is not None:
            raise self.import_failure

    def _wait_until_imported(self):
        """None once the child has imported the student's module, else the outcome every query gets."""
        when = None
        try:
            self._expect(("loaded",), time.monotonic() + STARTUP_TIMEOUT)
            when = "while being imported"
            reply = self._expect(("ready", "import_error"), time.monotonic() + self.timeout)
        except protocol.ChannelTimeout:
            self.close()
            return StudentTimeout("importing %s did not finish within %g s (an endless loop at module level?)"
                                    % (self.path, self.timeout))
        except (protocol.ProtocolError, ValueError) as exc:
            return self._crash(when, exc)
        if reply["kind"] == "ready":
            self._ready = True
            return None
        self.close()
        return StudentError("importing the module failed: %s" % str(reply.get("message", ""))[:MESSAGE_LIMIT])

    def _expect(self, kinds, deadline):
        """The next reply, which must be of one of kinds (ValueError otherwise)."""
        reply = protocol.receive_reply(self._reply_fd, deadline)
        if reply["kind"] not in kinds:
            raise ValueError("an unexpected %r message" % reply["kind"])
        return reply

    def _crash(self, when, cause):
        """Kill the child and build the StudentError that says how it died and what it printed last.

        when is 'while running X' or 'while being imported', or None if the student's code had not run yet.
        """
        proc = self._proc
        try:
            proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:  # alive but talking nonsense: student code wrote to the grader's pipe
            self.close()
            return StudentError("the student module %s broke the grader's channel %s (%s)"
                                % (self.path, when or "while starting", cause))
        self.close()
        how = _how_it_ended(proc.returncode)
        if when is None:  # not the student's doing: mxnet or grader.probes could not be imported
            return StudentError("the grader's child process for %s died (%s) before importing your code; "
                                "is --memory-mb too small?%s" % (self.path, how, self._crash_trace()))
        hint = " (over the --memory-mb cap?)" if how in ("signal SIGABRT", "signal SIGKILL") else ""
        return StudentError("the student module %s crashed (%s%s) %s%s"
                            % (self.path, how, hint, when, self._crash_trace()))

    def _crash_trace(self):
        """The crash report's lines about the student's files (faulthandler writes them to the log)."""
        try:
            with open(self._log_path, "rb") as log:
                log.seek(max(0, os.path.getsize(self._log_path) - 20000))
                lines = log.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return ""
        trace = [line.replace(self.folder + os.sep, os.path.basename(self.folder) + "/") for line in lines
                 if "Fatal Python error" in line or self.folder + os.sep in line]
        return ":\n" + "\n".join(trace[-6:]) if trace else ""


def start_fresh(folder, module, request_fd, reply_fd, memory_mb, plan, cwd, env, log):
    """Start the child as a new ``python -m grader.sandbox`` process in its own session; its Popen.

    plan: the child's IsolationPlan or None; log: the open file that gets the child's stdout and
    stderr; env: its environment (_child_env).
    """
    return subprocess.Popen(child_command(folder, module, request_fd, reply_fd, memory_mb, plan),
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=cwd, env=env,
                            pass_fds=(request_fd, reply_fd), start_new_session=True)


def _child_env(token):
    """The grader's environment, with the grader importable, no bytecode written into submissions,
    and MARK_VARIABLE=token, inherited by every process the child starts that keeps its environment."""
    env = dict(os.environ)
    env[MARK_VARIABLE] = token
    root = os.path.dirname(GRADER_DIR)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["MALLOC_ARENA_MAX"] = "2"  # fewer malloc arenas: less memory counted against the cap
    return env


@functools.lru_cache(maxsize=None)
def probe_names():
    """Names of the public functions of grader/probes/*.py, read without importing mxnet here."""
    folder = os.path.join(GRADER_DIR, "probes")
    names = set()
    for entry in sorted(os.listdir(folder)):
        if entry.endswith(".py") and entry != "__init__.py":
            with open(os.path.join(folder, entry), encoding="utf-8") as source:
                tree = ast.parse(source.read())
            names.update(node.name for node in tree.body
                         if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"))
    return tuple(sorted(names))


class StudentModule:
    """The ``student`` fixture: one exercise's queries to its chapter's sandbox, each freshly seeded."""

    def __init__(self, sandbox, seeds, timeout=None):
        self.sandbox = sandbox
        self._seeds = seeds
        self._timeout = timeout  # seconds per query; None: the sandbox's limit

    def value(self, name):
        """Plain data of the module-level constant name (NotAttempted while it is None)."""
        return self._ask({"op": "value", "name": name}, name)

    def call(self, name, *args, **kwargs):
        """Plain data returned by the student's function name called with args and kwargs."""
        return self._ask({"op": "call", "name": name, "args": args, "kwargs": kwargs}, "%s(...)" % name)

    def probe(self, probe, name, *args, **kwargs):
        """Plain data returned by grader.probes.<probe>(student's name, *args, **kwargs) in the child."""
        if probe not in probe_names():
            raise ValueError("grader.probes has no probe %r; choose from %s" % (probe, ", ".join(probe_names())))
        request = {"op": "probe", "probe": probe, "name": name, "args": args, "kwargs": kwargs}
        return self._ask(request, "%s (through the %s probe)" % (name, probe))

    def _ask(self, request, label):
        """Seed the query and send it to the sandbox."""
        request["seed"] = next(self._seeds)
        return self.sandbox.query(request, label, self._timeout)
