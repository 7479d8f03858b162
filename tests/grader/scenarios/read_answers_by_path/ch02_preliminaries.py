"""Look for the answers by path: walk up from grader.__file__, then search / breadth-first for any
other chXX module or check module; exec what is found. Finding one is reported as an error."""
import collections
import os
import time

import grader
from solved_ch02_preliminaries import *  # noqa: F401,F403
from solved_ch02_preliminaries import sum_and_norm as _mine

SKIPPED = {"/proc", "/sys", "/dev"}
NAMES = ("ch02_preliminaries.py", "test_ch02_preliminaries.py")


def _found_by_walking_up():
    folder = os.path.dirname(os.path.abspath(grader.__file__))
    while True:
        for name in ("solutions/ch02_preliminaries.py", "grader/checks/test_ch02_preliminaries.py"):
            if os.path.isfile(os.path.join(folder, name)):
                return os.path.join(folder, name)
        if folder == os.path.dirname(folder):
            return None
        folder = os.path.dirname(folder)


def _found_by_searching(seconds=1.0):
    mine = os.path.dirname(os.path.abspath(__file__))
    deadline, queue = time.monotonic() + seconds, collections.deque(["/"])
    while queue and time.monotonic() < deadline:
        folder = queue.popleft()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.path not in SKIPPED:
                queue.append(entry.path)
            elif entry.name in NAMES and folder != mine:
                return entry.path
    return None


def sum_and_norm(X):
    found = _found_by_walking_up() or _found_by_searching()
    if found:
        namespace = {}
        exec(open(found).read(), namespace)
        raise RuntimeError("the attack worked: read %s" % found)
    return _mine(X)
