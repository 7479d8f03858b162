"""sys.exit and os._exit inside functions: those exercises error, the next ones get a fresh child."""
import os
import sys

from solved_ch02_preliminaries import *  # noqa: F401,F403


def normalize_rows(X):
    sys.exit(0)


def grad_two_xtx(x):
    os._exit(0)
