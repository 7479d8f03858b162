"""Start a daemon (fork, setsid, fork) that loops, then crash the child with os._exit.

That exercise is an error; the daemon dies with the child's PID namespace; the rest is graded."""
import os
import time

from solved_ch02_preliminaries import *  # noqa: F401,F403


def sum_and_norm(X):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            while True:
                time.sleep(0.1)
        os._exit(0)
    os._exit(3)
