"""Chapter 7, Optimization algorithms: exercises.

How to work on these:
- Replace each ``raise NotImplementedError(...)`` with your code, and each ``None`` answer with your answer
  in the format its comment asks for. Leave the names and signatures as they are.
- Use MXNet (``from mxnet import nd``); ``import d2lzh as d2l`` is allowed too.
- The update functions follow the book: params is a list of NDArrays with gradients in param.grad,
  states holds one state per parameter (created by the grader as zeros, like the book's init_*_states),
  hyperparams is a dict. Update params and states IN PLACE (p[:] = ..., s[:] = ...) and return nothing.
- Check your work with ``python -m grader ch07``.
"""
from mxnet import nd  # noqa: F401  (you will need it)

# ---------------------------------------------------------------------------------------------
# 7.2 Gradient descent and stochastic gradient descent
# ---------------------------------------------------------------------------------------------


# Exercise 7.2.1 (2 points)
def gd(eta, x0=10.0, steps=10):
    """Run gradient descent on f(x) = x ** 2 (gradient 2x) with learning rate eta, starting at x0.

    Returns a list of steps + 1 Python floats: x0 followed by every iterate.
    """
    raise NotImplementedError("Exercise 7.2.1: implement gd")


# Exercise 7.2.2 (2 points)
# Gradient descent on f(x) = x ** 2 from x = 10 for 10 steps: what is the final x for the learning
# rates 0.2, 0.05 and 1.1 (the last one diverges)?
# Answer: a tuple of three floats; 4 decimals are enough.
GD_FINAL_X = None

# ---------------------------------------------------------------------------------------------
# 7.4 Momentum
# ---------------------------------------------------------------------------------------------


# Exercise 7.4.1 (2 points)
def momentum_2d(x1, x2, v1, v2, eta, gamma):
    """One momentum step on f(x1, x2) = 0.1 * x1 ** 2 + 2 * x2 ** 2; returns (x1, x2, v1, v2).

    v <- gamma * v + eta * (partial derivative of f), x <- x - v, for each coordinate.
    All arguments and results are Python floats. The grader runs it like the book's train_2d.
    """
    raise NotImplementedError("Exercise 7.4.1: implement momentum_2d")


# Exercise 7.4.2 (2 points)
def sgd_momentum(params, states, hyperparams):
    """Momentum update, in place: v <- momentum * v + lr * p.grad; p <- p - v.

    states: one velocity NDArray v per parameter. hyperparams: {"lr": float, "momentum": float}.
    """
    raise NotImplementedError("Exercise 7.4.2: implement sgd_momentum")


# ---------------------------------------------------------------------------------------------
# 7.5 AdaGrad
# ---------------------------------------------------------------------------------------------


# Exercise 7.5.1 (2 points)
def adagrad(params, states, hyperparams):
    """AdaGrad update, in place: s <- s + g * g; p <- p - lr * g / sqrt(s + eps) with eps = 1e-6.

    states: one NDArray s per parameter. hyperparams: {"lr": float}.
    """
    raise NotImplementedError("Exercise 7.5.1: implement adagrad")


# Exercise 7.5.2 (1 point)
# What is AdaGrad's weakness, and how does RMSProp address it?
#   (a) s only grows, so the effective learning rate keeps shrinking; RMSProp replaces the sum of
#       squared gradients by an exponential moving average
#   (b) AdaGrad has no momentum; RMSProp adds a velocity term
#   (c) AdaGrad needs second derivatives; RMSProp uses first derivatives only
# Answer: one letter, "a", "b" or "c".
ADAGRAD_WEAKNESS = None

# ---------------------------------------------------------------------------------------------
# 7.6 RMSProp
# ---------------------------------------------------------------------------------------------


# Exercise 7.6.1 (2 points)
def rmsprop(params, states, hyperparams):
    """RMSProp update, in place: s <- gamma * s + (1 - gamma) * g * g; p <- p - lr * g / sqrt(s + eps),
    eps = 1e-6.

    states: one NDArray s per parameter. hyperparams: {"lr": float, "gamma": float}.
    """
    raise NotImplementedError("Exercise 7.6.1: implement rmsprop")


# ---------------------------------------------------------------------------------------------
# 7.8 Adam
# ---------------------------------------------------------------------------------------------


# Exercise 7.8.1 (3 points)
def adam(params, states, hyperparams):
    """Adam update, in place, with beta1 = 0.9, beta2 = 0.999, eps = 1e-6, then hyperparams["t"] += 1.

    states: one tuple (v, s) of NDArrays per parameter. hyperparams: {"lr": float, "t": int}, t starting at 1.
    v <- beta1 * v + (1 - beta1) * g;  s <- beta2 * s + (1 - beta2) * g * g;
    v_hat = v / (1 - beta1 ** t);  s_hat = s / (1 - beta2 ** t);  p <- p - lr * v_hat / (sqrt(s_hat) + eps).
    """
    raise NotImplementedError("Exercise 7.8.1: implement adam")
