"""Chapter 2, Preliminaries: exercises.

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import nd, autograd``); ``import d2lzh as d2l`` is allowed too.
- Check your work with ``python -m grader ch02``.
"""
from mxnet import autograd, nd  # noqa: F401  (you will need them)

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

# Exercise 2.2.3 (1 point)
# For X = nd.arange(12).reshape((3, 4)): the values of X.sum() and X.norm() (the L2 norm of all elements).
# Answer: a tuple of two Python floats, e.g. (1.0, 2.5); 4 decimals are enough.
SUM_AND_NORM = None


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
