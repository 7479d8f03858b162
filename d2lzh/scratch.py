"""The book's from-scratch building blocks: minibatches, linear regression, SGD, 2-D cross-correlation."""
import random

import numpy as np
from mxnet import nd


def data_iter(batch_size, features, labels):
    """Yield shuffled minibatches ``(features.take(j), labels.take(j))``; the last one may be short.

    The order comes from Python's ``random.shuffle``, so ``d2l.set_seed`` (or ``random.seed``)
    reproduces it. The shuffled indices become one NDArray up front; each batch takes a slice of it.
    """
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    order = nd.array(indices, ctx=features.context, dtype="int64")
    for start in range(0, num_examples, batch_size):
        j = order[start:start + batch_size]
        yield features.take(j), labels.take(j.as_in_context(labels.context))


def linreg(X, w, b):
    """The linear regression model Xw + b."""
    return nd.dot(X, w) + b


def squared_loss(y_hat, y):
    """Half the squared error per example, after reshaping ``y`` to ``y_hat``'s shape (no reduction)."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch SGD in place: each param moves by -lr * grad / batch_size and stays the same NDArray."""
    for param in params:
        param[:] = param - lr * param.grad / batch_size


def corr2d(X, K):
    """2-D cross-correlation of a 2-D array X with kernel K (NDArray, numpy or lists); returns an NDArray.

    Computed as one ``nd.Convolution`` instead of the book's per-cell loop, so it is fast and works
    under ``autograd.record()`` (gradients flow to both X and K); the values equal the loop's up to float rounding.
    """
    X = _float_nd(X)
    K = _float_nd(K)
    if X.ndim != 2 or K.ndim != 2:
        raise ValueError("corr2d needs 2-D X and K, got shapes %s and %s" % (X.shape, K.shape))
    if K.shape[0] > X.shape[0] or K.shape[1] > X.shape[1]:
        raise ValueError("kernel %s is larger than the input %s" % (K.shape, X.shape))
    K = K.as_in_context(X.context).astype(X.dtype, copy=False)
    Y = nd.Convolution(X.reshape((1, 1) + X.shape), K.reshape((1, 1) + K.shape), no_bias=True,
                       kernel=K.shape, num_filter=1)
    return Y.reshape(Y.shape[2:])


def _float_nd(a):
    """``a`` as a floating-point NDArray (the book's loop also gave float32 for integer inputs)."""
    a = a if isinstance(a, nd.NDArray) else nd.array(a)
    return a if np.issubdtype(a.dtype, np.floating) else a.astype("float32")
