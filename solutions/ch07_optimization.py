"""Chapter 7, Optimization algorithms: model solutions (same names as exercises/ch07_optimization.py)."""
import math

# ---------------------------------------------------------------------------------------------
# 7.1 Optimization and deep learning: convexity (from the book's 2nd edition)
# ---------------------------------------------------------------------------------------------


# Exercise 7.1.1
def jensen_gap(xs, probs):
    """E[-log X] - (-log E[X]): never negative, by Jensen's inequality."""
    mean = sum(p * x for p, x in zip(probs, xs))
    return -sum(p * math.log(x) for p, x in zip(probs, xs)) + math.log(mean)


# Exercise 7.1.2: the convex functions: x**2, exp, -log, |x| and the hinge loss.
CONVEX_FUNCTIONS = "abcfg"

# Exercise 7.1.3: the convex sets: the ball, a half-space, intersections and sublevel sets.
CONVEX_SETS = "acef"

# Exercise 7.1.4: a local minimum of a convex function is a global one.
CONVEX_LOCAL_MINIMUM = "a"

# ---------------------------------------------------------------------------------------------
# 7.2 Gradient descent and stochastic gradient descent
# ---------------------------------------------------------------------------------------------


# Exercise 7.2.1
def gd(eta, x0=10.0, steps=10):
    """Gradient descent on f(x) = x**2; the list of all iterates, x0 included."""
    x = x0
    results = [x]
    for _ in range(steps):
        x -= eta * 2 * x
        results.append(x)
    return results


# Exercise 7.2.2: final x after 10 steps from x = 10 with eta = 0.2, 0.05 and 1.1.
GD_FINAL_X = tuple(gd(eta)[-1] for eta in (0.2, 0.05, 1.1))


# Exercise 7.2.3
def gd_2d(x1, x2, s1, s2, eta):
    """One gradient step on f(x1, x2) = x1**2 + 2 * x2**2 (gradient (2 x1, 4 x2))."""
    return x1 - eta * 2 * x1, x2 - eta * 4 * x2, 0, 0


# Exercise 7.2.4: x2 is multiplied by 1 - 4 eta each step, which needs |1 - 4 eta| < 1.
GD_2D_MAX_ETA = 0.5


def _iterate(step, x0, steps):
    """[x0, step(x0), step(step(x0)), ...] with steps applications of step."""
    xs = [x0]
    for _ in range(steps):
        xs.append(step(xs[-1]))
    return xs


# Exercise 7.2.5
def newton_cosh(c, x0, eta, steps):
    """Newton on cosh(cx): f'/f'' = c sinh(cx) / (c**2 cosh(cx)) = tanh(cx) / c."""
    return _iterate(lambda x: x - eta * math.tanh(c * x) / c, x0, steps)


# Exercise 7.2.6
def newton_nonconvex(c, x0, eta, steps):
    """Newton on x cos(cx): f' = cos(cx) - c x sin(cx), f'' = -2 c sin(cx) - c**2 x cos(cx)."""
    def step(x):
        gradient = math.cos(c * x) - c * x * math.sin(c * x)
        hessian = -2 * c * math.sin(c * x) - c ** 2 * x * math.cos(c * x)
        return x - eta * gradient / hessian
    return _iterate(step, x0, steps)


# Exercise 7.2.7: with negative curvature the Newton step heads for a maximum.
NEWTON_NEGATIVE_CURVATURE = "a"

# ---------------------------------------------------------------------------------------------
# 7.3 Minibatch stochastic gradient descent
# ---------------------------------------------------------------------------------------------


# Exercise 7.3.1
def update_costs(num_examples, batch_size, num_epochs):
    """(updates, per-example gradients): ceil(n / b) updates per epoch, every example's gradient once."""
    updates_per_epoch = -(-num_examples // batch_size)
    return updates_per_epoch * num_epochs, num_examples * num_epochs

# ---------------------------------------------------------------------------------------------
# 7.4 Momentum
# ---------------------------------------------------------------------------------------------


# Exercise 7.4.1
def momentum_2d(x1, x2, v1, v2, eta, gamma):
    """One momentum step on f(x1, x2) = 0.1 * x1**2 + 2 * x2**2."""
    v1 = gamma * v1 + eta * 0.2 * x1
    v2 = gamma * v2 + eta * 4 * x2
    return x1 - v1, x2 - v2, v1, v2


# Exercise 7.4.2
def sgd_momentum(params, states, hyperparams):
    """Momentum update v = momentum * v + lr * grad, p = p - v, in place."""
    for p, v in zip(params, states):
        v[:] = hyperparams["momentum"] * v + hyperparams["lr"] * p.grad
        p[:] -= v


# ---------------------------------------------------------------------------------------------
# 7.5 AdaGrad
# ---------------------------------------------------------------------------------------------


# Exercise 7.5.1
def adagrad(params, states, hyperparams):
    """AdaGrad update: accumulate squared gradients, scale the step by their root, in place."""
    eps = 1e-6
    for p, s in zip(params, states):
        s[:] += p.grad.square()
        p[:] -= hyperparams["lr"] * p.grad / (s + eps).sqrt()


# Exercise 7.5.2: AdaGrad's weakness, and the fix that RMSProp brings.
ADAGRAD_WEAKNESS = "a"

# ---------------------------------------------------------------------------------------------
# 7.6 RMSProp
# ---------------------------------------------------------------------------------------------


# Exercise 7.6.1
def rmsprop(params, states, hyperparams):
    """RMSProp update: exponential moving average of squared gradients, in place."""
    gamma, eps = hyperparams["gamma"], 1e-6
    for p, s in zip(params, states):
        s[:] = gamma * s + (1 - gamma) * p.grad.square()
        p[:] -= hyperparams["lr"] * p.grad / (s + eps).sqrt()


# ---------------------------------------------------------------------------------------------
# 7.7 AdaDelta
# ---------------------------------------------------------------------------------------------


# Exercise 7.7.1
def adadelta(params, states, hyperparams):
    """AdaDelta update: the step is scaled by the root of the running mean of past squared steps."""
    rho, eps = hyperparams["rho"], 1e-5
    for p, (s, delta) in zip(params, states):
        s[:] = rho * s + (1 - rho) * p.grad.square()
        g = ((delta + eps).sqrt() / (s + eps).sqrt()) * p.grad
        p[:] -= g
        delta[:] = rho * delta + (1 - rho) * g * g


# ---------------------------------------------------------------------------------------------
# 7.8 Adam
# ---------------------------------------------------------------------------------------------


# Exercise 7.8.1
def adam(params, states, hyperparams):
    """Adam update with bias correction at step hyperparams['t'], then t += 1."""
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    t = hyperparams["t"]
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad
        s[:] = beta2 * s + (1 - beta2) * p.grad.square()
        v_hat = v / (1 - beta1 ** t)
        s_hat = s / (1 - beta2 ** t)
        p[:] -= hyperparams["lr"] * v_hat / (s_hat.sqrt() + eps)
    hyperparams["t"] += 1
