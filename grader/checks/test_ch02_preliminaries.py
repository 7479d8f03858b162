"""Checks for exercises/ch02_preliminaries.py: chapter 2, Preliminaries (ndarray, autograd)."""
import mxnet as mx
import numpy as np
from mxnet import autograd

from grader.checking import assert_answer, assert_close, assert_equal, checkpoint, exercise, is_mistake, nd
from grader.probes.gradients import ELEMENTWISE_FUNCTIONS, TEST_FUNCTIONS

CHAPTER = "ch02_preliminaries"

# Salted digests of the answer constants: python -m grader.answers <exercise id> '<answer>'.
DIGESTS = {
    "ch02.keeps_id":
        "sha256:0a7468fc74a7621054dcb2335bd3d752822ede373b4862eb0863a63890be05f7",
    "ch02.control_flow_grad":
        "sha256:8b190cc565fbc6573268f06746cdbd4025fe081ec76a81ebb5d3af4eb51e93d0",
}

# Analytic gradients of grader.probes.TEST_FUNCTIONS, the oracle for grad_of.
GRADIENTS = {
    "sum_sin_squared": lambda x: np.sin(2 * x),
    "sum_cubes": lambda x: 3 * x ** 2,
    "log_sum_exp": lambda x: np.exp(x) / np.exp(x).sum(),
}

# Analytic derivatives of grader.probes.ELEMENTWISE_FUNCTIONS, the oracle for grad_with_head.
DERIVATIVES = {
    "sin": np.cos,
    "square": lambda x: 2 * x,
    "exp": np.exp,
}


def _shapes(got, count, what):
    """got as a tuple of count shape tuples, or an AssertionError naming the expected format."""
    if not isinstance(got, (list, tuple)) or len(got) != count:
        raise AssertionError(f"{what}: expected a tuple of {count} shapes, got {got!r}")
    return tuple(tuple(shape) if isinstance(shape, (list, tuple)) else shape for shape in got)


def _pair(got, what):
    """got as a pair, or an AssertionError naming the expected format."""
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        raise AssertionError(f"{what}: expected a pair of two results, got {got!r}")
    return got


def _reshaped(size, shape):
    """The shape MXNet gives nd.zeros(size).reshape(shape), or None when it refuses."""
    try:
        return mx.nd.zeros(size).reshape(shape).shape
    except (ValueError, mx.MXNetError):  # the Python front end checks sizes first
        return None


def _broadcasts(shape_a, shape_b):
    """Whether MXNet accepts zeros(shape_a) + zeros(shape_b)."""
    try:
        (mx.nd.zeros(shape_a) + mx.nd.zeros(shape_b)).wait_to_read()
    except mx.MXNetError:
        return False
    return True


def _assert_number(got, expected, what, rtol=1e-4):
    """Fail unless got is one number (not a one-element array) close to expected."""
    if isinstance(got, np.ndarray) and got.shape != ():
        raise AssertionError(f"{what}: expected one Python number (use .asscalar()), "
                             f"got an array of shape {got.shape}")
    assert_close(got, expected, rtol=rtol, what=what)


# ---- 2.2 Data manipulation -----------------------------------------------------------------------

@exercise("ch02.concat_shapes", 1, "nd.concat joins along dim: that dimension adds up, the others stay.")
def test_concat_shapes(student):
    X = mx.nd.zeros((3, 4))
    expected = (mx.nd.concat(X, X, dim=0).shape, mx.nd.concat(X, X, dim=1).shape)
    assert_equal(_shapes(student.value("CONCAT_SHAPES"), 2, "CONCAT_SHAPES"), expected, what="CONCAT_SHAPES", reveal=False)


@exercise("ch02.broadcast_shapes", 1,
          "Align shapes from the right; each pair of dimensions must be equal or one of them 1.")
def test_broadcast_shapes(student):
    got = student.value("BROADCAST_SHAPES")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise AssertionError(f"BROADCAST_SHAPES: expected (shape, shape, bool), got {got!r}")
    expected = ((mx.nd.zeros((3, 1)) + mx.nd.zeros((1, 2))).shape,
                (mx.nd.zeros((2, 1, 3)) + mx.nd.zeros((4, 1))).shape,
                _broadcasts((3, 4), (2, 4)))
    assert_equal(_shapes(got[:2], 2, "BROADCAST_SHAPES") + (got[2],), expected, what="BROADCAST_SHAPES", reveal=False)


@exercise("ch02.sum_and_norm", 2, "X.sum().asscalar() and X.norm().asscalar(); the norm is sqrt of the sum of squares.")
def test_sum_and_norm(student, rng):
    X = rng.normal(size=(int(rng.integers(2, 5)), int(rng.integers(2, 5))))
    total, norm = _pair(student.call("sum_and_norm", nd(X)), "sum_and_norm(X)")
    data = mx.nd.array(X)
    with checkpoint("sum", 1):
        _assert_number(total, float(data.sum().asscalar()), "sum of X")
    with checkpoint("norm", 1):
        expected = float(data.norm().asscalar())
        if is_mistake(norm, expected, float((data ** 2).sum().asscalar())):
            raise AssertionError("norm of X: that is the sum of squares; the L2 norm is its square root")
        _assert_number(norm, expected, "norm of X")


@exercise("ch02.normalize_rows", 2, "Divide X by X.sum(axis=1, keepdims=True): the (n, 1) sums broadcast.")
def test_normalize_rows(student, rng):
    X = rng.uniform(0.5, 2.0, size=(int(rng.integers(2, 6)), int(rng.integers(2, 6))))
    got = student.call("normalize_rows", nd(X))
    assert_close(got, X / X.sum(axis=1, keepdims=True), what="normalize_rows(X)")


@exercise("ch02.keeps_id", 1, "Run each statement and compare id(...) of the target before and after.")
def test_keeps_id(student):
    got = student.value("KEEPS_ID")
    if not isinstance(got, str):
        raise AssertionError(f'KEEPS_ID: expected a string of letters such as "ab", got {got!r}')
    letters = "".join(sorted(set(got.lower()) - set(", ")))
    assert_answer(letters, DIGESTS["ch02.keeps_id"], "ch02.keeps_id", what=f"KEEPS_ID (as {letters!r})")


@exercise("ch02.arange_matrix", 1, "nd.arange(rows * cols).reshape((rows, cols)); -1 may stand for either size.")
def test_arange_matrix(student, rng):
    rows, cols = int(rng.integers(2, 7)), int(rng.integers(2, 7))
    got = student.call("arange_matrix", rows, cols)
    expected = mx.nd.arange(rows * cols).reshape((rows, cols)).asnumpy()
    assert_close(got, expected, what=f"arange_matrix({rows}, {cols})")
    if np.asarray(got).dtype != expected.dtype:
        raise AssertionError(f"arange_matrix({rows}, {cols}) has dtype {np.asarray(got).dtype}, expected "
                             f"{expected.dtype} as nd.arange gives")


@exercise("ch02.reshape_shape", 2,
          "The product of the known sizes must divide size; -1 becomes size // that product.")
def test_reshape_shape(student, rng):
    with checkpoint("-1 inferred", 1):
        for _ in range(3):
            sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(2, 5)))]
            inferred = int(rng.integers(len(sizes)))
            shape = tuple(-1 if i == inferred else n for i, n in enumerate(sizes))
            size = int(np.prod(sizes))
            got = student.call("reshape_shape", size, shape)
            got = tuple(got) if isinstance(got, list) else got
            assert_equal(got, _reshaped(size, shape), what=f"reshape_shape({size}, {shape})")
    with checkpoint("None when no size fits", 1):
        known = int(rng.integers(3, 7))
        size = known * int(rng.integers(2, 6)) + int(rng.integers(1, known))
        shape = (-1, known) if rng.integers(2) else (known, -1)
        got = student.call("reshape_shape", size, shape)
        assert_equal(got, _reshaped(size, shape), what=f"reshape_shape({size}, {shape}) (MXNet refuses it)")


@exercise("ch02.stack_blocks", 2,
          "Concatenate A and B along dim=1, C and D along dim=1, then the two rows along dim=0.")
def test_stack_blocks(student, rng):
    m, n, p, q = (int(size) for size in rng.integers(1, 5, size=4))
    A, B, C, D = (rng.normal(size=shape) for shape in ((m, p), (m, q), (n, p), (n, q)))
    got = student.call("stack_blocks", nd(A), nd(B), nd(C), nd(D))
    expected = mx.nd.concat(mx.nd.concat(mx.nd.array(A), mx.nd.array(B), dim=1),
                            mx.nd.concat(mx.nd.array(C), mx.nd.array(D), dim=1), dim=0).asnumpy()
    assert_close(got, expected, what="stack_blocks(A, B, C, D)")


@exercise("ch02.compare", 1, "X < Y and X > Y are elementwise and strict: 0 where X equals Y.")
def test_compare(student, rng):
    X = rng.integers(0, 4, size=(3, 5)).astype(np.float64)
    Y = rng.integers(0, 4, size=(3, 5)).astype(np.float64)
    tie = (int(rng.integers(3)), int(rng.integers(5)))
    Y[tie] = X[tie]  # at least one place where X equals Y, and both comparisons must give 0
    less, greater = _pair(student.call("compare", nd(X), nd(Y)), "compare(X, Y)")
    for got, expected, what in ((less, mx.nd.array(X) < mx.nd.array(Y), "X < Y"),
                                (greater, mx.nd.array(X) > mx.nd.array(Y), "X > Y")):
        expected = expected.asnumpy()
        if np.shape(got) == expected.shape and np.any((np.asarray(got) != expected) & (X == Y)):
            raise AssertionError(f"{what} is not 0 where X equals Y: the comparison must be strict")
        assert_close(got, expected, what=what)


@exercise("ch02.dot_transpose", 1, "nd.dot(X, Y.T): rows of X against rows of Y.")
def test_dot_transpose(student, rng):
    n, m, d = int(rng.integers(2, 5)), int(rng.integers(5, 8)), int(rng.integers(2, 6))
    X, Y = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    got = student.call("dot_transpose", nd(X), nd(Y))
    expected = mx.nd.dot(mx.nd.array(X), mx.nd.array(Y).T).asnumpy()
    assert_close(got, expected, rtol=1e-5, atol=1e-5, what=f"dot_transpose(X {X.shape}, Y {Y.shape})")


@exercise("ch02.fill_block", 2,
          "Assign value to a slice of X itself (rows from top, columns from left): a slice's end is "
          "its start plus its length.")
def test_fill_block(student, rng):
    rows, cols = int(rng.integers(5, 8)), int(rng.integers(5, 8))
    height, width = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    top, left = int(rng.integers(0, rows - height)), int(rng.integers(0, cols - width))
    X, value = rng.normal(size=(rows, cols)).astype(np.float32), float(rng.integers(10, 99))
    got = student.probe("arrays_after_call", "fill_block", [X], top, left, height, width, value)
    after = got["arrays"][0]
    if np.array_equal(after, X):
        raise AssertionError("X is unchanged: assign into it, X[rows, cols] = value (not a copy of it)")
    expected = mx.nd.array(X)
    expected[top:top + height, left:left + width] = value
    assert_close(after, expected.asnumpy(),
                 what=f"X after fill_block(X, {top}, {left}, {height}, {width}, {value:g})")


@exercise("ch02.add_in_place", 2, "Z[:] = X + Y, or nd.elemwise_add(X, Y, out=Z); Z = X + Y only rebinds the name.")
def test_add_in_place(student, rng):
    X, Y, Z = (rng.normal(size=(3, 4)).astype(np.float32) for _ in range(3))
    X_after, Y_after, Z_after = student.probe("arrays_after_call", "add_in_place", [X, Y, Z])["arrays"]
    if np.array_equal(Z_after, Z):
        raise AssertionError("Z still holds its old values: write into it (Z[:] = ... or out=Z); "
                             "Z = X + Y only rebinds a local name")
    assert_close(X_after, X, what="X after add_in_place (X must not change)")
    assert_close(Y_after, Y, what="Y after add_in_place (Y must not change)")
    assert_close(Z_after, (mx.nd.array(X) + mx.nd.array(Y)).asnumpy(), what="Z after add_in_place")


@exercise("ch02.column_medians", 2, "nd.array(np.median(X.asnumpy(), axis=0)): to NumPy and back to an NDArray.")
def test_column_medians(student, rng):
    X = rng.normal(size=(int(rng.integers(3, 8)), int(rng.integers(2, 5)))).astype(np.float32)
    got = student.probe("result_type", "column_medians", nd(X))
    with checkpoint("medians", 1):
        assert_close(got["value"], np.median(X, axis=0), what="column_medians(X)")
    with checkpoint("an NDArray comes back", 1):
        ndarray = type(mx.nd.zeros(1))
        expected = "%s.%s" % (ndarray.__module__, ndarray.__name__)
        if got["type"] != expected:
            raise AssertionError(f"column_medians returned a {got['type']}, expected an {expected}: "
                                 "turn the NumPy result back into one with nd.array(...)")


# ---- 2.3 Automatic differentiation ---------------------------------------------------------------

@exercise("ch02.grad_two_xtx", 2, "Attach a gradient to x, record y = 2 * nd.dot(x.T, x), call y.backward().")
def test_grad_two_xtx(student, rng):
    x = rng.normal(size=(int(rng.integers(3, 7)), 1))
    got = student.call("grad_two_xtx", nd(x))
    if is_mistake(got, 4 * x, 2 * x):
        raise AssertionError("gradient of 2 x^T x: got 2x, the gradient of x^T x (the factor 2 is missing)")
    assert_close(got, 4 * x, rtol=1e-5, atol=1e-5, what="gradient of 2 x^T x")


@exercise("ch02.grad_of", 2, "Copy or use x, attach_grad(), record y = f(x) under autograd.record(), backward().")
def test_grad_of(student, rng):
    x = rng.normal(size=(3, 4))
    for name in sorted(TEST_FUNCTIONS):
        got = student.probe("grad_with", "grad_of", name, x)
        expected = GRADIENTS[name](x.astype(np.float32).astype(np.float64))
        assert_close(got, expected, rtol=1e-4, atol=1e-5, what=f"grad_of({name}, x)")


@exercise("ch02.is_training", 1, "Try it: print(autograd.is_training()) outside and inside the with block.")
def test_is_training(student):
    got = student.value("IS_TRAINING")
    outside = autograd.is_training()
    with autograd.record():
        inside = autograd.is_training()
    assert_equal(tuple(got) if isinstance(got, list) else got, (outside, inside), what="IS_TRAINING", reveal=False)


@exercise("ch02.piecewise", 2, "Branch with a Python if on a.sum().asscalar() > 0; return a * a or -3 * a.")
def test_piecewise(student, rng):
    a = rng.uniform(0.1, 1.0, size=(3, 4))
    with checkpoint("positive sum: a * a and gradient 2a", 1):
        got = student.probe("value_and_grad", "piecewise", a)
        assert_close(got["value"], a * a, rtol=1e-5, what="piecewise(a)")
        assert_close(got["grad"], 2 * a, rtol=1e-5, what="gradient")
    with checkpoint("negative sum: -3a and gradient -3", 1):
        got = student.probe("value_and_grad", "piecewise", -a)
        assert_close(got["value"], 3 * a, rtol=1e-5, what="piecewise(a)")
        assert_close(got["grad"], np.full(a.shape, -3.0), what="gradient")


@exercise("ch02.control_flow_grad", 1, "Run the section's example and compare a.grad with the options.")
def test_control_flow_grad(student):
    assert_answer(student.value("CONTROL_FLOW_GRAD"), DIGESTS["ch02.control_flow_grad"],
                  "ch02.control_flow_grad", what="CONTROL_FLOW_GRAD")


@exercise("ch02.head_grad", 2, "Record y = f(x), then y.backward(head): the head weights each element's gradient.")
def test_head_grad(student, rng):
    x, head = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    for name in sorted(ELEMENTWISE_FUNCTIONS):
        got = student.probe("head_grad_with", "grad_with_head", name, x, head)
        derivative = DERIVATIVES[name](x.astype(np.float32).astype(np.float64))
        expected = head.astype(np.float32) * derivative
        if is_mistake(got, expected, derivative):
            raise AssertionError(f"grad_with_head({name}, x, head) ignores head: got dy/dx, "
                                 "the gradient for a head of ones; pass head to y.backward(head)")
        assert_close(got, expected, rtol=1e-4, atol=1e-5, what=f"grad_with_head({name}, x, head)")
