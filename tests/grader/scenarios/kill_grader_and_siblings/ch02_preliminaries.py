"""SIGKILL the grader (its pid comes from the test) and every other sandbox child to be found in /proc.

The child sees only its own PID namespace: nothing to kill, and the grader cannot be reached."""
import json
import os
import signal

from solved_ch02_preliminaries import *  # noqa: F401,F403
from solved_ch02_preliminaries import sum_and_norm as _mine


def _victims():
    pids = {json.loads(os.environ.get("SCENARIO_TARGETS", "{}")).get("grader_pid", 0)}
    for name in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % name, "rb") as cmdline:
                if b"grader.sandbox" in cmdline.read() and int(name) != os.getpid():
                    pids.add(int(name))
        except (OSError, ValueError):
            continue
    return pids - {0}


def sum_and_norm(X):
    killed = []
    for pid in _victims():
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except OSError:
            continue
    if killed:
        raise RuntimeError("the attack worked: killed %s" % killed)
    return _mine(X)
