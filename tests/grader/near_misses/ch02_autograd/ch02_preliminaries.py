"""Near misses of section 2.3: the gradient of x^T x instead of 2 x^T x, a head gradient left out,
is_training believed on outside record, and backward believed to refuse a non-scalar output."""
from mxnet import nd

import solved_ch02_preliminaries as solved
from solved_ch02_preliminaries import *  # noqa: F401,F403


def grad_two_xtx(x):
    return solved.grad_of(lambda v: nd.dot(v.T, v), x)  # the factor 2 forgotten


def grad_with_head(f, x, head):
    return solved.grad_of(lambda v: f(v).sum(), x)  # y.backward() without head: a head of ones


IS_TRAINING = (True, True)
CONTROL_FLOW_GRAD = "a"
