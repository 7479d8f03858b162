"""The sandbox child, ``python -m grader.sandbox``: import the student's module and answer the grader's queries.

``serve(options)`` does the child's whole work and can run in a freshly forked, single-threaded
process as well as after an exec: enter the isolation plan (before any thread exists), limit
resources, import mxnet and the student module, then answer queries (read a constant, call a
function, run a probe from grader.probes) with plain data over a dedicated pipe until the grader
closes it. ``child_main(argv)`` only parses the command line.

grader.protocol is imported only once isolation is entered: it imports numpy, which starts threads.
"""
import argparse
import faulthandler
import importlib.util
import os
import random
import signal
import sys
import traceback

from grader.notebooks import cells as notebook_cells  # notebook hook: cells (In [7]) are the student's frames
from grader.sandbox import isolation, limits

MESSAGE_LIMIT = 3000  # characters of an exception message sent back


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
    from grader import protocol
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
    from grader import protocol
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


def serve(folder, module, request_fd, reply_fd, memory_mb, plan=None):
    """Enter plan (an IsolationPlan, or None), limit resources, import mxnet and the student module, answer queries."""
    limits.prctl(limits.PR_SET_PDEATHSIG, signal.SIGKILL)  # no child outlives a killed grader
    limits.limit_resources(memory_mb)  # before isolation's fork: no core dump of the process that waits outside
    if plan is not None:
        isolation.enter(plan)
    limits.prctl(limits.PR_SET_CHILD_SUBREAPER, 1)  # the student's orphans stay below this child
    faulthandler.enable()
    import numpy as np
    import mxnet as mx
    from grader import protocol
    import grader.probes  # noqa: F401  (imported before student code could shadow the package)
    protocol.send_reply(reply_fd, {"kind": "loaded"})
    try:
        student = _import_student(folder, module)
    except BaseException as exc:  # a syntax error, an exception or sys.exit at import
        protocol.send_reply(reply_fd, {"kind": "import_error", "message": describe_exception(exc, folder)})
        return 0
    protocol.send_reply(reply_fd, {"kind": "ready"})
    while True:
        request = protocol.receive_request(request_fd)
        if request is None:
            return 0
        reply = _run_query(student, request, folder, np, mx)
        reply["kind"] = "reply"
        protocol.send_reply(reply_fd, reply)


def child_command(folder, module, request_fd, reply_fd, memory_mb, plan=None):
    """The command line of a fresh child for module of folder, talking over request_fd and reply_fd."""
    command = [sys.executable, "-m", "grader.sandbox", folder, module, "--request-fd", str(request_fd),
               "--reply-fd", str(reply_fd), "--memory-mb", str(memory_mb)]
    return command + (["--isolation", plan.to_json()] if plan is not None else [])


def child_main(argv=None):
    """Entry point of ``python -m grader.sandbox``: parse the command line and serve."""
    parser = argparse.ArgumentParser(prog="python -m grader.sandbox")
    parser.add_argument("folder")
    parser.add_argument("module")
    parser.add_argument("--request-fd", type=int, required=True)
    parser.add_argument("--reply-fd", type=int, required=True)
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--isolation", metavar="JSON", help="an IsolationPlan to enter first")
    args = parser.parse_args(argv)
    plan = isolation.IsolationPlan.from_json(args.isolation) if args.isolation else None
    return serve(args.folder, args.module, args.request_fd, args.reply_fd, args.memory_mb, plan)
