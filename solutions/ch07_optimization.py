"""Chapter 7, Optimization algorithms: model solutions (same names as exercises/ch07_optimization.py)."""

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
