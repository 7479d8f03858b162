"""NaN results: NaN compares unequal to everything, but must still read as a failure, not a pass."""
from solved_ch02_preliminaries import *  # noqa: F401,F403


def normalize_rows(X):
    return X * float("nan")


def grad_two_xtx(x):
    return x * float("nan")
