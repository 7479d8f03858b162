"""Near misses in gradient descent, Newton's method, Jensen's gap and the cost of minibatches."""
import math

from solved_ch07_optimization import *  # noqa: F401,F403
from solved_ch07_optimization import _iterate


def gd_2d(x1, x2, s1, s2, eta):
    """Differentiates 2 * x2 ** 2 as 2 * x2, dropping the factor 2."""
    return x1 - eta * 2 * x1, x2 - eta * 2 * x2, 0, 0


def newton_cosh(c, x0, eta, steps):
    """Forgets the chain rule: f'/f'' taken as tanh(cx) instead of tanh(cx) / c."""
    return _iterate(lambda x: x - eta * math.tanh(c * x), x0, steps)


def newton_nonconvex(c, x0, eta, steps):
    """Product-rule slip in f'': -c sin(cx) - c**2 x cos(cx), one sine term short."""
    def step(x):
        gradient = math.cos(c * x) - c * x * math.sin(c * x)
        hessian = -c * math.sin(c * x) - c ** 2 * x * math.cos(c * x)
        return x - eta * gradient / hessian
    return _iterate(step, x0, steps)


def jensen_gap(xs, probs):
    """Ignores the probabilities: plain means of x and of -log x."""
    mean = sum(xs) / len(xs)
    return -sum(math.log(x) for x in xs) / len(xs) + math.log(mean)


def update_costs(num_examples, batch_size, num_epochs):
    """Drops the short last minibatch, as num_examples // batch_size does."""
    updates_per_epoch = num_examples // batch_size
    return updates_per_epoch * num_epochs, updates_per_epoch * batch_size * num_epochs
