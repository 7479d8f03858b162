"""A daemon at import: fork, setsid, fork again, and the grandchild loops forever.

Grading is unaffected, and no process is left once the grader is done, although the grandchild
left the child's session and process group (so killing that group misses it).
"""
import os
import time

from solved_ch02_preliminaries import *  # noqa: F401,F403


def _start_daemon():
    if os.fork() == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                while True:
                    time.sleep(0.1)
        finally:
            os._exit(0)


_start_daemon()
