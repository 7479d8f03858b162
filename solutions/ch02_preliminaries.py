"""Chapter 2, Preliminaries: model solutions (same names as exercises/ch02_preliminaries.py)."""
import numpy as np
from mxnet import autograd, nd

# ---------------------------------------------------------------------------------------------
# 2.2 Data manipulation (ndarray)
# ---------------------------------------------------------------------------------------------

# Exercise 2.2.1: shapes of nd.concat(X, Y, dim=0) and nd.concat(X, Y, dim=1) for two (3, 4) arrays.
CONCAT_SHAPES = ((6, 4), (3, 8))

# Exercise 2.2.2: broadcast result shapes of (3, 1) + (1, 2) and (2, 1, 3) + (4, 1), and whether
# (3, 4) + (2, 4) broadcasts at all.
BROADCAST_SHAPES = ((3, 2), (2, 4, 3), False)


# Exercise 2.2.3
def sum_and_norm(X):
    """Sum and L2 norm of all elements, as Python numbers."""
    return X.sum().asscalar(), X.norm().asscalar()


# Exercise 2.2.4
def normalize_rows(X):
    """Divide every row of X by its sum, using broadcasting."""
    return X / X.sum(axis=1, keepdims=True)


# Exercise 2.2.5: which statements keep id(...) of the target unchanged (b, c and d write in place).
KEEPS_ID = "bcd"


# Exercise 2.2.6
def arange_matrix(rows, cols):
    """0 .. rows * cols - 1 as a float32 (rows, cols) NDArray."""
    return nd.arange(rows * cols).reshape((rows, cols))


# Exercise 2.2.7
def reshape_shape(size, shape):
    """The shape reshape gives for size elements and a shape with one -1, or None if none fits."""
    known = int(np.prod([n for n in shape if n != -1]))
    if size % known:
        return None
    return tuple(size // known if n == -1 else n for n in shape)


# Exercise 2.2.8
def stack_blocks(A, B, C, D):
    """The block matrix [[A, B], [C, D]]: rows joined side by side, then stacked."""
    return nd.concat(nd.concat(A, B, dim=1), nd.concat(C, D, dim=1), dim=0)


# Exercise 2.2.9
def compare(X, Y):
    """Elementwise X < Y and X > Y as 0/1 NDArrays."""
    return X < Y, X > Y


# Exercise 2.2.10
def dot_transpose(X, Y):
    """X times the transpose of Y."""
    return nd.dot(X, Y.T)


# Exercise 2.2.11
def fill_block(X, top, left, height, width, value):
    """Slice assignment into X itself."""
    X[top:top + height, left:left + width] = value


# Exercise 2.2.12
def add_in_place(X, Y, Z):
    """X + Y written into Z's own memory."""
    nd.elemwise_add(X, Y, out=Z)


# Exercise 2.2.13
def column_medians(X):
    """Column medians through NumPy and back."""
    return nd.array(np.median(X.asnumpy(), axis=0))


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


# Exercise 2.3.6
def grad_with_head(f, x, head):
    """Gradient of (head * f(x)).sum(): backward with a head gradient."""
    x = x.copy()
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward(head)
    return x.grad
