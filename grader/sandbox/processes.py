"""The processes a sandbox child leaves behind: find them in /proc, kill them, reap them (Linux).

Where there is no /proc the process table is empty and every function here does nothing.
"""
import os
import signal
import time

MARK_VARIABLE = "D2LZH_GRADER_SANDBOX"  # environment variable naming the child a process descends from


def process_table():
    """{pid: (state, parent pid)} of every process in /proc, state as bytes (b'R', b'S', b'Z', ...)."""
    table = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return table
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            table[int(name)] = (fields[0], int(fields[1]))
        except (OSError, IndexError, ValueError):  # it ended while we looked
            continue
    return table


def descendants(root, table):
    """pids of every process below root in table's process tree (zombies included)."""
    children = {}
    for pid, (_, parent) in table.items():
        children.setdefault(parent, []).append(pid)
    found, stack = set(), [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def marked(mark, table):
    """pids of the live processes in table whose environment holds the entry mark (b'NAME=value')."""
    found = set()
    for pid, (state, _) in table.items():
        if state == b"Z":
            continue
        try:
            with open("/proc/%d/environ" % pid, "rb") as environ:
                if mark in environ.read().split(b"\0"):
                    found.add(pid)
        except OSError:  # another user's process, or it ended
            continue
    return found


def kill(pids):
    """SIGKILL each of pids that still exists."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            continue


def reap(pids, mark, seconds):
    """Wait up to seconds until the killed pids are gone, reaping those re-parented to this process.

    A marked process that shows up meanwhile (forked just before its parent died) is killed too.
    """
    me, pending = os.getpid(), set(pids)
    deadline = time.monotonic() + seconds
    while True:
        table = process_table()
        fresh = marked(mark, table) - pending
        kill(fresh)
        pending |= fresh
        for pid in list(pending):
            if table.get(pid) == (b"Z", me):
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:  # reaped meanwhile by whoever else waits for it
                    pass
                pending.discard(pid)
            elif pid not in table:
                pending.discard(pid)
        if not pending or time.monotonic() > deadline:
            return
        time.sleep(0.01)
