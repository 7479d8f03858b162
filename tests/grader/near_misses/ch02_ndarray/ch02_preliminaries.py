"""Near misses of section 2.2: NumPy's dtype, a missing None, non-strict comparisons, a transposed
product, a norm without its square root, the wrong axis, an off-by-one slice, a rebound name, a NumPy
result, and a shape that does not broadcast."""
import numpy as np
from mxnet import nd

from solved_ch02_preliminaries import *  # noqa: F401,F403


def arange_matrix(rows, cols):
    return np.arange(rows * cols).reshape((rows, cols))  # int64, not nd.arange's float32


def reshape_shape(size, shape):
    known = int(np.prod([n for n in shape if n != -1]))
    return tuple(size // known if n == -1 else n for n in shape)  # never None


def compare(X, Y):
    return X <= Y, X >= Y


def dot_transpose(X, Y):
    return nd.dot(Y, X.T)


def sum_and_norm(X):
    return X.sum().asscalar(), (X ** 2).sum().asscalar()


def normalize_rows(X):
    return X / X.sum(axis=0, keepdims=True)


def fill_block(X, top, left, height, width, value):
    X[top:top + height + 1, left:left + width + 1] = value


def add_in_place(X, Y, Z):
    Z = X + Y  # noqa: F841


def column_medians(X):
    return np.median(X.asnumpy(), axis=0)


BROADCAST_SHAPES = ((3, 2), (2, 4, 3), True)
