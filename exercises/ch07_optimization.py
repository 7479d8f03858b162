"""Chapter 7, Optimization algorithms: exercises.

Topics: convexity (Jensen's inequality, convex functions and sets, local minima of convex functions);
gradient descent in one and two dimensions (learning rates that converge and diverge, the book's
train_2d); Newton's method on cosh(cx) and on a nonconvex function; the cost of stochastic, minibatch
and full-batch updates; momentum, AdaGrad, RMSProp, AdaDelta and Adam from scratch (checked against
MXNet's own optimizers).

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
# 7.1 Optimization and deep learning: convexity (from the book's 2nd edition)
# ---------------------------------------------------------------------------------------------


# Exercise 7.1.1 (2 points)
def jensen_gap(xs, probs):
    """Return E[f(X)] - f(E[X]) for the convex f(x) = -log(x), as a Python float.

    X takes the value xs[i] > 0 with probability probs[i] (lists of floats, probs summing to 1).
    Jensen's inequality says the gap is never negative. Example: xs = [1, 4], probs = [0.5, 0.5] gives
    -(log 1 + log 4) / 2 + log 2.5 = 0.2231.
    """
    raise NotImplementedError("Exercise 7.1.1: implement jensen_gap")


# Exercise 7.1.2 (2 points)
# Which of these functions are convex on the whole of their domain?
#   (a) f(x) = x ** 2          (b) f(x) = exp(x)             (c) f(x) = -log(x), for x > 0
#   (d) f(x) = sin(x)          (e) f(x) = x ** 3, on all of R (f) f(x) = |x|
#   (g) f(x) = max(0, 1 - x), the hinge loss
# Answer: a string of the letters of all convex ones, e.g. "bd".
CONVEX_FUNCTIONS = None

# Exercise 7.1.3 (1 point)
# Which of these sets are convex?
#   (a) the ball {x : ||x|| <= 1}              (b) the ring {x : 1 <= ||x|| <= 2}
#   (c) a half-space {x : w . x <= b}          (d) the union of the intervals [0, 1] and [2, 3]
#   (e) the intersection of two convex sets    (f) {x : f(x) <= c} for a convex function f
# Answer: a string of the letters of all convex ones, e.g. "bd".
CONVEX_SETS = None

# Exercise 7.1.4 (1 point)
# f is convex on a convex set and x* is a local minimum of f there. Then x* is
#   (a) a global minimum of f on that set
#   (b) a global minimum only if f is strictly convex
#   (c) possibly a saddle point
# Answer: one letter, "a", "b" or "c".
CONVEX_LOCAL_MINIMUM = None

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


# Exercise 7.2.3 (2 points)
def gd_2d(x1, x2, s1, s2, eta):
    """One gradient-descent step on f(x1, x2) = x1 ** 2 + 2 * x2 ** 2; returns (x1, x2, 0, 0).

    s1, s2 are unused state slots, kept (and returned as 0) so that every optimizer of the chapter
    fits the book's train_2d loop. All arguments and results are Python floats. The book's run is
    eta = 0.1 from (-5, -2) for 20 steps.
    """
    raise NotImplementedError("Exercise 7.2.3: implement gd_2d")


# Exercise 7.2.4 (1 point)
# Gradient descent on f(x1, x2) = x1 ** 2 + 2 * x2 ** 2 converges from every start exactly when
# 0 < eta < ETA_MAX. What is ETA_MAX?
# Answer: a float.
GD_2D_MAX_ETA = None


# Exercise 7.2.5 (2 points)
def newton_cosh(c, x0, eta, steps):
    """Newton's method on f(x) = cosh(c * x): x <- x - eta * f'(x) / f''(x), from x0.

    Returns a list of steps + 1 Python floats: x0 followed by every iterate. Work out f' and f''
    (chain rule!). With c = 0.5, x0 = 10 and eta = 1 the first iterate is about 8.0002.
    """
    raise NotImplementedError("Exercise 7.2.5: implement newton_cosh")


# Exercise 7.2.6 (2 points)
def newton_nonconvex(c, x0, eta, steps):
    """Newton's method on the nonconvex f(x) = x * cos(c * x): x <- x - eta * f'(x) / f''(x), from x0.

    Returns a list of steps + 1 Python floats: x0 followed by every iterate. The book's 2nd edition runs
    it with c = 0.15 * pi from x0 = 10 and watches it go the wrong way.
    """
    raise NotImplementedError("Exercise 7.2.6: implement newton_nonconvex")


# Exercise 7.2.7 (1 point)
# Where f''(x) < 0, as for x * cos(0.15 * pi * x) near x = 10, what does the Newton step
# x - f'(x) / f''(x) do?
#   (a) it moves towards a point where f' = 0 that is a local maximum, increasing f; dividing by
#       |f''(x)| instead of f''(x) turns it back downhill
#   (b) it decreases f just as a gradient step does, only with a better step size
#   (c) it cannot be computed, since the square root of f'' is needed
# Answer: one letter, "a", "b" or "c".
NEWTON_NEGATIVE_CURVATURE = None

# ---------------------------------------------------------------------------------------------
# 7.3 Minibatch stochastic gradient descent
# ---------------------------------------------------------------------------------------------


# Exercise 7.3.1 (2 points)
def update_costs(num_examples, batch_size, num_epochs):
    """Return (number of parameter updates, number of per-example gradients computed) of a whole run.

    Minibatch SGD over num_examples examples for num_epochs epochs, one update per minibatch, the last
    minibatch of an epoch kept even when it is short (as gluon.data.DataLoader does by default).
    batch_size = 1 is SGD, batch_size = num_examples is gradient descent. Both numbers are ints.
    Example: 10 examples, batch size 4, 2 epochs: 6 updates and 20 per-example gradients.
    """
    raise NotImplementedError("Exercise 7.3.1: implement update_costs")

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
# 7.7 AdaDelta
# ---------------------------------------------------------------------------------------------


# Exercise 7.7.1 (2 points)
def adadelta(params, states, hyperparams):
    """AdaDelta update, in place, with eps = 1e-5 (there is no learning rate):

        s <- rho * s + (1 - rho) * g * g
        g' = sqrt(delta + eps) / sqrt(s + eps) * g
        p <- p - g'
        delta <- rho * delta + (1 - rho) * g' * g'

    states: one tuple (s, delta) of NDArrays per parameter. hyperparams: {"rho": float}.
    """
    raise NotImplementedError("Exercise 7.7.1: implement adadelta")


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
