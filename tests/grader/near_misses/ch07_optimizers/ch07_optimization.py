"""Near misses in the update rules: eps on the wrong side of a square root, a dampened momentum, no bias
correction."""
from solved_ch07_optimization import *  # noqa: F401,F403


def sgd_momentum(params, states, hyperparams):
    """Dampened momentum, v = m v + (1 - m) lr g, as an exponential moving average would have it."""
    momentum = hyperparams["momentum"]
    for p, v in zip(params, states):
        v[:] = momentum * v + (1 - momentum) * hyperparams["lr"] * p.grad
        p[:] -= v


def adagrad(params, states, hyperparams):
    """eps added after the square root instead of inside it."""
    for p, s in zip(params, states):
        s[:] += p.grad.square()
        p[:] -= hyperparams["lr"] * p.grad / (s.sqrt() + 1e-6)


def rmsprop(params, states, hyperparams):
    """eps added after the square root instead of inside it."""
    gamma = hyperparams["gamma"]
    for p, s in zip(params, states):
        s[:] = gamma * s + (1 - gamma) * p.grad.square()
        p[:] -= hyperparams["lr"] * p.grad / (s.sqrt() + 1e-6)


def adadelta(params, states, hyperparams):
    """eps only in the denominator: delta starts at 0, so no step ever moves."""
    rho, eps = hyperparams["rho"], 1e-5
    for p, (s, delta) in zip(params, states):
        s[:] = rho * s + (1 - rho) * p.grad.square()
        g = (delta.sqrt() / (s + eps).sqrt()) * p.grad
        p[:] -= g
        delta[:] = rho * delta + (1 - rho) * g * g


def adam(params, states, hyperparams):
    """Forgets the bias correction of v and s (t is still counted)."""
    for p, (v, s) in zip(params, states):
        v[:] = 0.9 * v + 0.1 * p.grad
        s[:] = 0.999 * s + 0.001 * p.grad.square()
        p[:] -= hyperparams["lr"] * v / (s.sqrt() + 1e-6)
    hyperparams["t"] += 1
