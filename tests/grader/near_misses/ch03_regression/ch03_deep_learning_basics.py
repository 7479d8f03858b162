"""Near misses of linear regression and generalisation: no bias column, an unshuffled or broadcasting
or rebinding scratch implementation, a dropped short batch, an un-reshaped Huber loss, Gluon's weight
layout, a decay step without the learning rate, leftover rows kept in k-fold, powers from 0, a
penalty without its 1/2, dropout without rescaling, a forgotten penalty gradient, and swapped
diagnoses."""
import numpy as np
from mxnet import nd

import solved_ch03_deep_learning_basics as solved
from solved_ch03_deep_learning_basics import *  # noqa: F401,F403

DENSE_SHAPES = ((1, 8), (1,))  # Gluon's storage layout, not the book's XW + b
FIT_DIAGNOSIS = ("a", "b")
ZERO_INIT_SOFTMAX = False


def least_squares(X, y):
    theta = np.linalg.lstsq(X.asnumpy(), y.asnumpy(), rcond=None)[0]  # no column of ones: no bias
    return nd.array(theta.reshape((-1, 1))), nd.zeros(1)


def data_iter(batch_size, features, labels):
    for start in range(0, len(features), batch_size):  # never shuffled
        yield features[start:start + batch_size], labels[start:start + batch_size]


def squared_loss(y_hat, y):
    return (y_hat - y) ** 2 / 2


def sgd(params, lr, batch_size):
    for param in params:
        param = param - lr * param.grad / batch_size  # noqa: F841


def batch_sizes(num_examples, batch_size, last_batch="keep"):
    return [batch_size] * (num_examples // batch_size)


def huber_loss(y_hat, y, rho=1.0):
    a = nd.abs(y_hat - y)
    return nd.where(a < rho, 0.5 / rho * a ** 2, a - 0.5 * rho).mean(axis=1)


def poly_features(x, degree=3):
    return nd.concat(*[x ** power for power in range(degree)], dim=1)


def l2_penalty(w):
    return (w ** 2).sum()


def weight_decay_step(w, grad, lr, wd):
    return w - lr * grad - wd * w


def dropout(X, drop_prob):
    if drop_prob == 1:
        return X.zeros_like()
    return (nd.random.uniform(0, 1, X.shape) < 1 - drop_prob) * X


def backprop_grads(x, y, W1, W2, lambd):
    J, dW1, dW2 = solved.backprop_grads(x, y, W1, W2, lambd)
    return J, dW1 - lambd * W1, dW2  # the penalty's gradient forgotten for W1


def get_k_fold_data(k, i, X, y):
    fold_size = X.shape[0] // k
    valid = slice(i * fold_size, (i + 1) * fold_size)
    keep = [j for j in range(X.shape[0]) if not valid.start <= j < valid.stop]  # leftover rows kept
    return X[keep], y[keep], X[valid], y[valid]
