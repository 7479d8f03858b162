"""Student code runs here: ``python -m grader.sandbox`` is the child, ``ChapterSandbox`` its client.

The child is started fresh (start_fresh) or forked from grader.forkserver's zygote, which has
imported mxnet already; either way it runs serve().

One child per chapter module imports the student's code under resource limits and answers the
grader's queries (read a constant, call a function, run a probe from grader.probes) with plain data
over a dedicated pipe. The grader side enforces the time limit, notices crashes, kills a child that
misbehaves with every process it started, and starts a fresh child for the next query.

Processes the student's code starts: the grader and each child are child subreapers (Linux), so a
process whose parent exits is re-parented to the child while it lives, else to the grader, instead of
to init. Closing a sandbox kills the child's process group, every process below the child in the
process tree, and every process whose environment still carries the child's mark (MARK_VARIABLE),
then reaps those that ended up as the grader's children. Limits: this is bookkeeping, not
containment. A process that detaches (double fork or setsid) and then execs with a cleared
environment after the child has died is not recognised; nor is anything once the grader itself is
killed with SIGKILL (the child then dies through PDEATHSIG, but a grandchild in its own session lives
on). Full containment needs a separate user account, a cgroup, or a PID namespace per child.
"""
import argparse
import ast
import atexit
import ctypes
import faulthandler
import functools
import importlib.util
import os
import random
import resource
import secrets
import signal
import subprocess
import sys
import time
import traceback
import weakref

from grader import processes, protocol
from grader.notebooks import cells as notebook_cells  # notebook hook: cells (In [7]) are the student's frames

STARTUP_TIMEOUT = 300.0  # seconds for a child to import mxnet before the student's module is loaded
LOG_LIMIT_BYTES = 64 << 20  # RLIMIT_FSIZE: a student printing forever is stopped, not the disk filled
MESSAGE_LIMIT = 3000  # characters of an exception message sent back
MARK_VARIABLE = "D2LZH_GRADER_SANDBOX"  # environment variable naming the child a process descends from
REAP_SECONDS = 2.0  # how long close() waits for killed leftovers to die and be reaped
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER = 1, 36, 37


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


# ==== child side ==============================================================================

def _limit_resources(memory_mb):
    """Cap the child's writable memory (RLIMIT_DATA), file sizes, and turn off core dumps.

    RLIMIT_DATA rather than RLIMIT_AS: MXNet reserves far more address space than it uses
    (about 1.5 GB after import on CPU, tens of GB with CUDA), while its data segment stays near 0.7 GB.
    """
    limit = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (LOG_LIMIT_BYTES, LOG_LIMIT_BYTES))


def _prctl(option, value):
    """Linux prctl(option, value); does nothing elsewhere (the pipes closing still end a child there)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _display_path(path, folder):
    """path as <folder name>/<file> when it lies in the submission folder, else unchanged."""
    if path.startswith(folder + os.sep):
        return os.path.join(os.path.basename(folder), os.path.relpath(path, folder))
    return path


def describe_exception(exc, folder):
    """'exercises/ch03_x.py line 12: ValueError: ...' plus the traceback trimmed to student frames."""
    if isinstance(exc, SystemExit):
        return "called sys.exit(%r); the grader needs the module to keep running" % (exc.code,)
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if notebook_cells.is_student_frame(frame.filename, folder)]
    if isinstance(exc, SyntaxError):
        headline = "%s line %s: %s: %s\n    %s" % (_display_path(exc.filename or "?", folder), exc.lineno,
                                                type(exc).__name__, exc.msg, (exc.text or "").strip())
    else:
        where = "%s line %s: " % (_display_path(frames[-1].filename, folder), frames[-1].lineno) if frames else ""
        headline = where + "".join(traceback.format_exception_only(type(exc), exc)).strip()
    for frame in frames:
        frame.filename = _display_path(frame.filename, folder)
    lines = "".join(traceback.format_list(frames)).rstrip()
    text = headline + ("\nTraceback (your code, most recent call last):\n" + lines if lines else "")
    return text[:MESSAGE_LIMIT]


def _import_student(folder, module_name):
    """Import <folder>/<module_name>.py as module_name, with folder first on sys.path."""
    sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(module_name, os.path.join(folder, module_name + ".py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def _resolve(value, mx):
    """Turn nd(...) and ctx markers (also inside lists, tuples, dicts) into NDArrays and Contexts."""
    if isinstance(value, protocol.NDArg):
        return mx.nd.array(value.array, dtype=value.dtype)
    if isinstance(value, protocol.ContextArg):
        kind, _, index = value.spec.partition(":")
        return mx.Context(kind, int(index or 0))
    if isinstance(value, (list, tuple)):
        return type(value)(_resolve(item, mx) for item in value)
    if isinstance(value, dict):
        return {key: _resolve(item, mx) for key, item in value.items()}
    return value


def _seed_everything(seed, np, mx):
    """Seed python random, numpy and mx.random for one query."""
    random.seed(seed)
    np.random.seed(seed)
    mx.random.seed(seed)


def _run_query(module, request, folder, np, mx):
    """Answer one request as a reply dict (kind 'reply' with a status, and an encoded value if ok)."""
    name = request["name"]
    target = getattr(module, name, protocol.Unsupported)
    if target is protocol.Unsupported:
        return {"status": "not_found", "message": name}
    if target is None:
        return {"status": "not_attempted", "message": "%s is still None" % name}
    _seed_everything(request["seed"], np, mx)
    args = _resolve(request.get("args", ()), mx)
    kwargs = _resolve(request.get("kwargs", {}), mx)
    try:
        if request["op"] == "value":
            result = target
        elif request["op"] == "call":
            if not callable(target):
                message = "%s is a %s, not a function" % (name, type(target).__name__)
                return {"status": "exception", "message": message}
            result = target(*args, **kwargs)
        else:
            result = sys.modules["grader.probes"].PROBES[request["probe"]](target, *args, **kwargs)
        mx.nd.waitall()
    except NotImplementedError as exc:
        return {"status": "not_attempted", "message": str(exc)[:MESSAGE_LIMIT] or "NotImplementedError"}
    except BaseException as exc:  # student code may raise anything, SystemExit and KeyboardInterrupt too
        return {"status": "exception", "message": describe_exception(exc, folder)}
    try:
        return {"status": "ok", "value": protocol.encode(result)}
    except protocol.Unsupported as exc:
        return {"status": "wrong_type", "message": str(exc)}
    except BaseException as exc:  # e.g. asnumpy() of a failed lazy computation
        return {"status": "exception", "message": describe_exception(exc, folder)}


def child_command(folder, module, request_fd, reply_fd, memory_mb):
    """The command line of the child for module of folder, talking over request_fd and reply_fd."""
    return [sys.executable, "-m", "grader.sandbox", folder, module, "--request-fd", str(request_fd),
            "--reply-fd", str(reply_fd), "--memory-mb", str(memory_mb)]


def child_main(argv=None):
    """Entry point of ``python -m grader.sandbox``: parse child_command's arguments, then serve."""
    parser = argparse.ArgumentParser(prog="python -m grader.sandbox")
    parser.add_argument("folder")
    parser.add_argument("module")
    parser.add_argument("--request-fd", type=int, required=True)
    parser.add_argument("--reply-fd", type=int, required=True)
    parser.add_argument("--memory-mb", type=int, required=True)
    args = parser.parse_args(argv)
    return serve(args.folder, args.module, args.request_fd, args.reply_fd, args.memory_mb)


def serve(folder, module_name, request_fd, reply_fd, memory_mb):
    """The child's life: limit resources, import mxnet and the student module, answer queries; exit code.

    Runs in a fresh ``python -m grader.sandbox`` or in a child forked by grader.forkserver (which has
    imported numpy, mxnet and grader.probes already).
    """
    _limit_resources(memory_mb)
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # no child outlives a killed grader
    _prctl(PR_SET_CHILD_SUBREAPER, 1)  # the student's orphans stay below this child, where close() finds them
    faulthandler.enable()
    import numpy as np
    import mxnet as mx
    import grader.probes  # noqa: F401  (imported before student code could shadow the package)
    protocol.send_reply(reply_fd, {"kind": "loaded"})
    try:
        module = _import_student(folder, module_name)
    except BaseException as exc:  # a syntax error, an exception or sys.exit at import
        message = describe_exception(exc, folder)
        protocol.send_reply(reply_fd, {"kind": "import_error", "message": message})
        return 0
    protocol.send_reply(reply_fd, {"kind": "ready"})
    while True:
        request = protocol.receive_request(request_fd)
        if request is None:
            return 0
        reply = _run_query(module, request, folder, np, mx)
        reply["kind"] = "reply"
        protocol.send_reply(reply_fd, reply)


# ==== grader side =============================================================================

_LIVE = weakref.WeakSet()  # every ChapterSandbox with a running child, killed at exit
_WAS_SUBREAPER = None  # the grader's own subreaper flag while it has live children, restored after


def _live_children_changed():
    """Keep the grader a child subreaper exactly while it has live children, then restore its own flag.

    Only while: a host process (a test run, say) would otherwise collect zombies of unrelated orphans.
    """
    global _WAS_SUBREAPER
    if _LIVE and _WAS_SUBREAPER is None:
        flag = ctypes.c_int(0)
        _prctl(PR_GET_CHILD_SUBREAPER, ctypes.byref(flag))
        _WAS_SUBREAPER = flag.value
        _prctl(PR_SET_CHILD_SUBREAPER, 1)
    elif not _LIVE and _WAS_SUBREAPER is not None:
        _prctl(PR_SET_CHILD_SUBREAPER, _WAS_SUBREAPER)
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

    def __init__(self, folder, chapter, timeout, memory_mb, workdir, starter=None):
        """starter(folder, module, request_fd, reply_fd, memory_mb, cwd, env, log) starts the child and
        returns a Popen-like handle (pid, returncode, wait); default start_fresh, see grader.forkserver."""
        self.folder = os.path.abspath(folder)
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
        with open(self._log_path, "wb") as log:
            self._proc = self.starter(self.folder, self.chapter, request_read, reply_write, self.memory_mb, cwd,
                                      _child_env(self._token), log)
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


def start_fresh(folder, module, request_fd, reply_fd, memory_mb, cwd, env, log):
    """Start the child as a new ``python -m grader.sandbox`` process in its own session; its Popen.

    log: the open file that gets the child's stdout and stderr; env: its environment (_child_env).
    """
    return subprocess.Popen(child_command(folder, module, request_fd, reply_fd, memory_mb),
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=cwd, env=env,
                            pass_fds=(request_fd, reply_fd), start_new_session=True)


def _child_env(token):
    """The grader's environment, with the grader importable, no bytecode written into submissions,
    and MARK_VARIABLE=token, inherited by every process the child starts that keeps its environment."""
    env = dict(os.environ)
    env[MARK_VARIABLE] = token
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["MALLOC_ARENA_MAX"] = "2"  # fewer malloc arenas: less memory counted against the cap
    return env


@functools.lru_cache(maxsize=None)
def probe_names():
    """Names of the public functions of grader/probes/*.py, read without importing mxnet here."""
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probes")
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


if __name__ == "__main__":
    sys.exit(child_main())
