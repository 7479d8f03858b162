"""Wrong answers: a wrong formula, a wrong option, and a function right on only one branch."""
from solved_ch02_preliminaries import *  # noqa: F401,F403

KEEPS_ID = "a"


def normalize_rows(X):
    return X / X.sum()


def piecewise(a):
    return a * a
