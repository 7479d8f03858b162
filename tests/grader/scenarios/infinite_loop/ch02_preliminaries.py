"""An endless loop in one function: a timeout there, the exercises after it still pass."""
from solved_ch02_preliminaries import *  # noqa: F401,F403


def piecewise(a):
    while True:
        pass
