"""Student code runs in a sandbox child, one per chapter module; the grader talks to it through a client.

- ``client``: ``ChapterSandbox`` (start, query, restart after a crash, close) and ``StudentModule``.
- ``child``: ``python -m grader.sandbox``: enter isolation, import the student's module, answer queries.
- ``isolation``: the layers that keep a graded submission from the answers, the grader, other
  submissions and the network (``syscalls`` holds the Linux calls they need).
- ``limits``: rlimits and prctl flags; ``processes``: leftover processes found in /proc, killed, reaped.
"""
from grader.sandbox.child import describe_exception
from grader.sandbox.client import (MARK_VARIABLE, ChapterSandbox, NotAttempted, StudentError, StudentModule,
                                   StudentStatus, StudentTimeout, WrongType, close_all, probe_names)

__all__ = ["ChapterSandbox", "StudentModule", "StudentStatus", "NotAttempted", "StudentError", "StudentTimeout",
           "WrongType", "MARK_VARIABLE", "close_all", "probe_names", "describe_exception"]
