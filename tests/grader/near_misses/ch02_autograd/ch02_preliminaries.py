"""Near misses of section 2.3: the gradient of x^T x instead of 2 x^T x, a head gradient left out,
is_training believed on outside record, and backward believed to refuse a non-scalar output."""
from mxnet import autograd, nd

from solved_ch02_preliminaries import *  # noqa: F401,F403


def grad_two_xtx(x):
    x = x.copy()
    x.attach_grad()
    with autograd.record():
        y = nd.dot(x.T, x)
    y.backward()
    return x.grad


def grad_with_head(f, x, head):
    x = x.copy()
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward()
    return x.grad


IS_TRAINING = (True, True)
CONTROL_FLOW_GRAD = "a"
