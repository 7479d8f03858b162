"""10 GB allocations, in numpy and in MXNet: stopped by the memory cap, not by the machine running out."""
import numpy as np
from mxnet import nd

from solved_ch02_preliminaries import *  # noqa: F401,F403


def normalize_rows(X):
    return np.ones(10 ** 10 // 8)


def grad_two_xtx(x):
    return nd.ones((40000, 40000)).sum()
