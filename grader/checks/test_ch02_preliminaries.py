"""Checks for exercises/ch02_preliminaries.py: chapter 2, Preliminaries (ndarray, autograd)."""
import mxnet as mx
import numpy as np
from mxnet import autograd

from grader.checking import assert_answer, assert_close, assert_equal, checkpoint, exercise, nd
from grader.probes.gradients import TEST_FUNCTIONS

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


def _shapes(got, count, what):
    """got as a tuple of count shape tuples, or an AssertionError naming the expected format."""
    if not isinstance(got, (list, tuple)) or len(got) != count:
        raise AssertionError(f"{what}: expected a tuple of {count} shapes, got {got!r}")
    return tuple(tuple(shape) if isinstance(shape, (list, tuple)) else shape for shape in got)


def _broadcasts(shape_a, shape_b):
    """Whether MXNet accepts zeros(shape_a) + zeros(shape_b)."""
    try:
        (mx.nd.zeros(shape_a) + mx.nd.zeros(shape_b)).wait_to_read()
    except mx.MXNetError:
        return False
    return True


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


@exercise("ch02.sum_and_norm", 1, "X.norm() is the square root of the sum of squares of all elements.")
def test_sum_and_norm(student):
    X = mx.nd.arange(12).reshape((3, 4))
    expected = [X.sum().asscalar(), X.norm().asscalar()]
    assert_close(student.value("SUM_AND_NORM"), np.array(expected, dtype=np.float64), rtol=1e-4,
                 what="SUM_AND_NORM")


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


@exercise("ch02.grad_two_xtx", 2, "Attach a gradient to x, record y = 2 * nd.dot(x.T, x), call y.backward().")
def test_grad_two_xtx(student, rng):
    x = rng.normal(size=(int(rng.integers(3, 7)), 1))
    got = student.call("grad_two_xtx", nd(x))
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
