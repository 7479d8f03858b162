"""Timing code that runs asynchronously on MXNet's engine."""
import time

from mxnet import nd


class Benchmark:
    """``with Benchmark('name'):`` prints '<name> time: X sec' for the block and keeps X in ``.elapsed``.

    Unlike 1.0.0 it waits for all queued MXNet work (``nd.waitall()``) before and after the
    block, so the time covers the computation and not just its queueing. ``wait=False`` gives
    1.0.0's behaviour, which times only the enqueueing (the book's "Workloads are queued." demo).
    """

    def __init__(self, prefix=None, *, wait=True):
        self.prefix = prefix + " " if prefix else ""
        self.wait = wait
        self.elapsed = None

    def __enter__(self):
        if self.wait:
            nd.waitall()
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc_info):
        if self.wait:
            nd.waitall()
        self.elapsed = time.perf_counter() - self.start
        print("%stime: %.4f sec" % (self.prefix, self.elapsed))
