"""Chapter 2, Preliminaries: model solutions (same names as exercises/ch02_preliminaries.py)."""
from mxnet import autograd, nd

# ---------------------------------------------------------------------------------------------
# 2.2 Data manipulation (ndarray)
# ---------------------------------------------------------------------------------------------

# Exercise 2.2.1: shapes of nd.concat(X, Y, dim=0) and nd.concat(X, Y, dim=1) for two (3, 4) arrays.
CONCAT_SHAPES = ((6, 4), (3, 8))

# Exercise 2.2.2: broadcast result shapes of (3, 1) + (1, 2) and (2, 1, 3) + (4, 1), and whether
# (3, 4) + (2, 4) broadcasts at all.
BROADCAST_SHAPES = ((3, 2), (2, 4, 3), False)

# Exercise 2.2.3: X.sum() and X.norm() for X = nd.arange(12).reshape((3, 4)).
SUM_AND_NORM = (66.0, 506 ** 0.5)


# Exercise 2.2.4
def normalize_rows(X):
    """Divide every row of X by its sum, using broadcasting."""
    return X / X.sum(axis=1, keepdims=True)


# Exercise 2.2.5: which statements keep id(...) of the target unchanged (b, c and d write in place).
KEEPS_ID = "bcd"

# ---------------------------------------------------------------------------------------------
# 2.3 Automatic differentiation (autograd)
# ---------------------------------------------------------------------------------------------


# Exercise 2.3.1
def grad_two_xtx(x):
    """Gradient of y = 2 x^T x with respect to the column vector x, via autograd."""
    x = x.copy()
    x.attach_grad()
    with autograd.record():
        y = 2 * nd.dot(x.T, x)
    y.backward()
    return x.grad


# Exercise 2.3.2
def grad_of(f, x):
    """Gradient of the scalar f(x) with respect to x, via autograd."""
    x = x.copy()
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward()
    return x.grad


# Exercise 2.3.3: autograd.is_training() outside and inside autograd.record().
IS_TRAINING = (False, True)


# Exercise 2.3.4
def piecewise(a):
    """a * a when the elements of a sum to a positive number, else -3 * a (a Python if)."""
    if a.sum().asscalar() > 0:
        return a * a
    return -3 * a


# Exercise 2.3.5: a.grad after c.backward() on the non-scalar c of the control-flow example.
CONTROL_FLOW_GRAD = "b"
