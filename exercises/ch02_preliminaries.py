"""Chapter 2, Preliminaries: exercises.

Topics:
- 2.2 Data manipulation: creating NDArrays, reshape with -1, concat along both axes, comparison, dot,
  sum, norm and asscalar, broadcasting, indexing and slice assignment, in-place operations that keep
  id(), round trips through NumPy.
- 2.3 Automatic differentiation: attach_grad, record and backward, the gradient of 2 x^T x,
  is_training, head gradients of non-scalar outputs, gradients through Python control flow.

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import nd, autograd``); ``import d2lzh as d2l`` is allowed too.
- Check your work with ``python -m grader ch02``.
"""
import numpy as np  # noqa: F401  (you will need them)
from mxnet import autograd, nd  # noqa: F401

# ---------------------------------------------------------------------------------------------
# 2.2 Data manipulation (ndarray)
# ---------------------------------------------------------------------------------------------

# Exercise 2.2.1 (1 point)
# X = nd.arange(12).reshape((3, 4)) and Y is another (3, 4) array.
# What are the shapes of nd.concat(X, Y, dim=0) and of nd.concat(X, Y, dim=1)?
# Answer: a tuple of two shape tuples, e.g. ((1, 2), (3, 4)).
CONCAT_SHAPES = None

# Exercise 2.2.2 (1 point)
# Broadcasting. What is the shape of nd.zeros((3, 1)) + nd.zeros((1, 2))? Of
# nd.zeros((2, 1, 3)) + nd.zeros((4, 1))? And can (3, 4) + (2, 4) be broadcast at all?
# Answer: a tuple (shape, shape, bool), e.g. ((1, 1), (1, 1, 1), True).
BROADCAST_SHAPES = None


# Exercise 2.2.3 (2 points)
def sum_and_norm(X):
    """Return (the sum of all elements of X, the L2 norm of all elements of X) as two Python numbers.

    X.sum() and X.norm() are one-element NDArrays; .asscalar() turns one into a Python number.
    Example: for X = nd.arange(12).reshape((3, 4)) the sum is 66.
    """
    raise NotImplementedError("Exercise 2.2.3: implement sum_and_norm")


# Exercise 2.2.4 (2 points)
def normalize_rows(X):
    """Divide every row of X by the sum of that row, using broadcasting (no Python loops).

    X: NDArray of shape (n, d) with positive entries.
    Returns an NDArray of shape (n, d) whose rows each sum to 1.
    Hint: X.sum(axis=1, keepdims=True) has shape (n, 1).
    """
    raise NotImplementedError("Exercise 2.2.4: implement normalize_rows")


# Exercise 2.2.5 (1 point)
# X, Y and Z are NDArrays of the same shape. After which of these statements does the name on the
# left still refer to the same object as before, i.e. id(...) is unchanged?
#   (a) Y = Y + X
#   (b) Z[:] = X + Y
#   (c) nd.elemwise_add(X, Y, out=Z)
#   (d) X += Y
# Answer: a string with every correct letter, e.g. "ab".
KEEPS_ID = None


# Exercise 2.2.6 (1 point)
def arange_matrix(rows, cols):
    """Return the numbers 0, 1, ..., rows * cols - 1 laid out row by row in a (rows, cols) NDArray.

    Create it with nd.arange and reshape; keep the dtype nd.arange gives (float32), unlike NumPy's
    np.arange, which gives integers. Example: arange_matrix(2, 3) is [[0, 1, 2], [3, 4, 5]].
    """
    raise NotImplementedError("Exercise 2.2.6: implement arange_matrix")


# Exercise 2.2.7 (2 points)
def reshape_shape(size, shape):
    """Return the shape that nd.arange(size).reshape(shape) has, as a tuple of ints, without making the array.

    size: the number of elements; shape: a tuple of positive ints with exactly one -1, which reshape
    replaces by whatever makes the element counts agree. Return None when no number fits.
    Examples: reshape_shape(12, (3, -1)) is (3, 4); reshape_shape(24, (-1, 3, 4)) is (2, 3, 4);
    reshape_shape(10, (3, -1)) is None.
    """
    raise NotImplementedError("Exercise 2.2.7: implement reshape_shape")


# Exercise 2.2.8 (2 points)
def stack_blocks(A, B, C, D):
    """Return the block matrix [[A, B], [C, D]] built with nd.concat.

    A: (m, p), B: (m, q), C: (n, p), D: (n, q). Returns an NDArray of shape (m + n, p + q): A top left,
    B top right, C bottom left, D bottom right. Join along dim=1 to put blocks side by side and along
    dim=0 to put them on top of each other.
    """
    raise NotImplementedError("Exercise 2.2.8: implement stack_blocks")


# Exercise 2.2.9 (1 point)
def compare(X, Y):
    """Return the pair (X < Y, X > Y) for two NDArrays of the same shape (the section's exercise).

    Each is an NDArray of X's shape holding 1 where the comparison is true and 0 where it is false.
    Where X and Y are equal, both are 0.
    """
    raise NotImplementedError("Exercise 2.2.9: implement compare")


# Exercise 2.2.10 (1 point)
def dot_transpose(X, Y):
    """Return the matrix product of X and the transpose of Y, with nd.dot.

    X: (n, d), Y: (m, d). Returns an NDArray (n, m) whose entry (i, j) is the dot product of row i of X
    and row j of Y (the section computes nd.dot(X, Y.T)).
    """
    raise NotImplementedError("Exercise 2.2.10: implement dot_transpose")


# Exercise 2.2.11 (2 points)
def fill_block(X, top, left, height, width, value):
    """Set the height x width block of X whose top left element is X[top, left] to value, in place.

    X: a 2-D NDArray. Use slice assignment (X[rows, cols] = value); slices stop before their end index.
    Returns nothing: the grader looks at the very NDArray it passed in.
    Example: for X = nd.zeros((3, 4)), fill_block(X, 1, 2, 2, 1, 7) sets X[1, 2] and X[2, 2] to 7.
    """
    raise NotImplementedError("Exercise 2.2.11: implement fill_block")


# Exercise 2.2.12 (2 points)
def add_in_place(X, Y, Z):
    """Write X + Y into the existing NDArray Z (all three of the same shape); return nothing.

    The caller keeps using its Z, so Z must be written in place: Z[:] = X + Y, or
    nd.elemwise_add(X, Y, out=Z) (no temporary array at all). ``Z = X + Y`` only rebinds a local name.
    """
    raise NotImplementedError("Exercise 2.2.12: implement add_in_place")


# Exercise 2.2.13 (2 points)
def column_medians(X):
    """Return the median of each column of X as an NDArray, computed with NumPy.

    MXNet 1.x has no median, so take a round trip: X.asnumpy() gives a NumPy array, np.median(...,
    axis=0) the medians, and nd.array(...) turns them back into an NDArray, which is what the rest of
    an MXNet program expects. X: (n, d); returns an NDArray of shape (d,).
    """
    raise NotImplementedError("Exercise 2.2.13: implement column_medians")


# ---------------------------------------------------------------------------------------------
# 2.3 Automatic differentiation (autograd)
# ---------------------------------------------------------------------------------------------


# Exercise 2.3.1 (2 points)
def grad_two_xtx(x):
    """Return the gradient of y = 2 * x^T x with respect to x, computed with autograd.

    x: NDArray of shape (n, 1) (a column vector, as in the book).
    Returns an NDArray of shape (n, 1).
    Steps: x.attach_grad(); record y inside ``with autograd.record():``; y.backward(); return x.grad.
    """
    raise NotImplementedError("Exercise 2.3.1: implement grad_two_xtx")


# Exercise 2.3.2 (2 points)
def grad_of(f, x):
    """Return the gradient of the scalar function f at x, computed with autograd.

    f: a function that maps an NDArray to a one-element NDArray (for example lambda x: (x ** 2).sum()).
    x: NDArray of any shape.
    Returns an NDArray of the same shape as x holding df/dx.
    """
    raise NotImplementedError("Exercise 2.3.2: implement grad_of")


# Exercise 2.3.3 (1 point)
# What does autograd.is_training() return outside any ``with`` block, and what inside
# ``with autograd.record():``?
# Answer: a tuple of two bools (outside, inside).
IS_TRAINING = None


# Exercise 2.3.4 (2 points)
def piecewise(a):
    """Return a * a if the elements of a sum to a positive number, else -3 * a.

    a: NDArray of any shape. Use a Python ``if`` on a.sum().asscalar(): autograd still works, because
    it records only the operations that actually run. The grader records piecewise(a), calls backward
    and checks both the value and a.grad.
    Returns an NDArray of the same shape as a.
    """
    raise NotImplementedError("Exercise 2.3.4: implement piecewise")


# Exercise 2.3.5 (1 point)
# In the section's control-flow example, c = f(a) for a random (3, 4) matrix a, so c is not a scalar.
# After c.backward(), a.grad equals:
#   (a) nothing: backward() raises an error for a non-scalar c
#   (b) c / a elementwise, the gradient of c.sum()
#   (c) zeros
# Answer: one letter, "a", "b" or "c".
CONTROL_FLOW_GRAD = None


# Exercise 2.3.6 (2 points)
def grad_with_head(f, x, head):
    """Return x.grad after backpropagating the non-scalar y = f(x) with the head gradient head.

    f: a function that maps an NDArray to an NDArray of the same shape (elementwise, for example nd.sin).
    x, head: NDArrays of the same shape. y.backward(head) computes the gradient of (head * y).sum(),
    that is head * dy/dx elementwise; plain y.backward() would use a head of ones.
    Returns an NDArray of x's shape.
    """
    raise NotImplementedError("Exercise 2.3.6: implement grad_with_head")
