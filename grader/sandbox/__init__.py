"""Student code runs in a sandbox child, one per chapter module; the grader talks to it through a client.

- ``client``: ``ChapterSandbox`` (start, query, restart after a crash, close) and ``StudentModule``.
- ``child``: ``python -m grader.sandbox``: enter isolation, import the student's module, answer queries.
- ``isolation``: the layers that keep a graded submission from the answers, the grader, other
  submissions and the network (``syscalls`` holds the Linux calls they need).
- ``forkserver``: the zygote that imports mxnet once and forks each child (``start='fork'``).
- ``limits``: rlimits and prctl flags; ``processes``: leftover processes found in /proc, killed, reaped.
"""
__all__ = ["ChapterSandbox", "StudentModule", "StudentStatus", "NotAttempted", "StudentError", "StudentTimeout",
           "WrongType", "MARK_VARIABLE", "close_all", "probe_names", "describe_exception"]


def __getattr__(name):
    """Import the client (or the child) on first use: the child, started as ``python -m grader.sandbox``, must
    not import numpy (grader.protocol does) before it enters isolation, as numpy starts threads."""
    if name == "describe_exception":
        from grader.sandbox.child import describe_exception
        return describe_exception
    if name in __all__:
        from grader.sandbox import client
        return getattr(client, name)
    raise AttributeError("module 'grader.sandbox' has no attribute %r" % name)
