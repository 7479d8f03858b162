"""Checks for exercises/ch07_optimization.py: chapter 7, Optimization algorithms.

Oracles: NumPy re-implementations of the book's formulas for gradient descent, Newton's method and
Jensen's inequality; MXNet's own samplers for the cost of minibatch updates; MXNet's own optimizers
(mx.optimizer.*) for momentum, AdaGrad, RMSProp, AdaDelta and Adam, run on the same gradients as the
student's update functions (mxnet_trace says how each maps onto the book's formulas).
"""
import math

import mxnet as mx
import numpy as np
from mxnet import gluon

from grader.checking import assert_answer, assert_close, assert_equal, checkpoint, exercise

CHAPTER = "ch07_optimization"

# Salted digests of the answer constants: python -m grader.answers <exercise id> '<answer>'.
DIGESTS = {
    "ch07.gd_final_x":
        "sha256:7620a1457de35609f00519daff14b7dfd967facf722280efa7ee60c3b4556c15",
    "ch07.adagrad_weakness":
        "sha256:0dfae516ee0d67d20cadfb826f4e3b1277e5461e8a5baee12d38925fd4196f31",
    "ch07.convex_functions":
        "sha256:3b392a6952138c8d763928bd7bda7f96ac083ac0bf0ca7d835cd22c67abfcc28",
    "ch07.convex_sets":
        "sha256:ef92652f7a37e93756c676aa7e25b7d66ec8716ff767596027a8798aa1165f63",
    "ch07.convex_local_minimum":
        "sha256:9672f1cd1d8911ece22802b7e1a39c3a4575f9af627753ecd84f6fb6a42112ae",
    "ch07.gd_2d_max_eta":
        "sha256:33b98e981f08ac1598e52962798cf84ca89ff26109d02c502cf1093a1b8c813b",
    "ch07.newton_negative_curvature":
        "sha256:43538892a8bc6c29059ce511bb53c0aaeed68071faebe1cabecd858a5fa61715",
}
EPS = 1e-6  # the eps of the book's AdaGrad, RMSProp and Adam
ADADELTA_EPS = 1e-5
BETA1, BETA2 = 0.9, 0.999  # Adam's
ORDINARY, TINY = "ordinary gradients", "tiny gradients, where the place of eps shows"  # regimes of the updates


# ---- 7.1 convexity ---------------------------------------------------------------------------

def _letters(value, name):
    """A multiple-choice answer of several letters in a normal form: lower case, sorted, no repeats."""
    if not isinstance(value, str):
        raise AssertionError(f"{name}: expected a string of letters such as \"bd\", got {value!r}")
    return "".join(sorted(set(value.lower()) - set(" ,")))


@exercise("ch07.jensen_gap", 2, "mean = sum(p * x); the gap is -sum(p * log(x)) + log(mean), using probs as weights.")
def test_jensen_gap(student, rng):
    size = int(rng.integers(2, 8))
    xs, probs = rng.uniform(0.1, 10.0, size=size), rng.dirichlet(np.ones(size))
    got = student.call("jensen_gap", xs.tolist(), probs.tolist())
    expected = -(probs * np.log(xs)).sum() + np.log((probs * xs).sum())
    assert_close(np.reshape(got, -1), [expected], rtol=1e-6, atol=1e-9,
                 what=f"jensen_gap of {size} values with probabilities {np.round(probs, 3).tolist()} (one number)")


@exercise("ch07.convex_functions", 2, "Convex: the second derivative is never negative (or: max of convex pieces).")
def test_convex_functions(student):
    got = _letters(student.value("CONVEX_FUNCTIONS"), "CONVEX_FUNCTIONS")
    assert_answer(got, DIGESTS["ch07.convex_functions"], "ch07.convex_functions", what="CONVEX_FUNCTIONS")


@exercise("ch07.convex_sets", 1, "A set is convex when the segment between any two of its points stays inside.")
def test_convex_sets(student):
    got = _letters(student.value("CONVEX_SETS"), "CONVEX_SETS")
    assert_answer(got, DIGESTS["ch07.convex_sets"], "ch07.convex_sets", what="CONVEX_SETS")


@exercise("ch07.convex_local_minimum", 1,
          "If some point were lower, convexity bounds f on the segment towards it below f(x*).")
def test_convex_local_minimum(student):
    assert_answer(student.value("CONVEX_LOCAL_MINIMUM"), DIGESTS["ch07.convex_local_minimum"],
                  "ch07.convex_local_minimum", what="CONVEX_LOCAL_MINIMUM")


# ---- 7.2 gradient descent and Newton's method ------------------------------------------------

def _iterates(step, x0, steps):
    """NumPy oracle of an iteration: [x0, step(x0), ...] with steps applications, as a float array."""
    xs = [x0]
    for _ in range(steps):
        xs.append(step(xs[-1]))
    return np.array(xs, dtype=np.float64)


@exercise("ch07.gd", 2, "Repeat x -= eta * 2 * x, appending each x to the list that starts with x0.")
def test_gd(student, rng):
    eta, x0, steps = float(rng.uniform(0.01, 0.6)), float(rng.uniform(-10, 10)), int(rng.integers(5, 12))
    expected = _iterates(lambda x: x * (1 - 2 * eta), x0, steps)
    got = student.call("gd", eta, x0, steps)
    assert_close(got, expected, rtol=1e-6, atol=1e-9, what=f"gd({eta:.4f}, {x0:.4f}, {steps})")


@exercise("ch07.gd_final_x", 2, "Each step multiplies x by (1 - 2 * eta); run your gd for each learning rate.")
def test_gd_final_x(student):
    got = student.value("GD_FINAL_X")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise AssertionError(f"GD_FINAL_X: expected a tuple of three floats, got {got!r}")
    assert_answer(got, DIGESTS["ch07.gd_final_x"], "ch07.gd_final_x", decimals=4, what="GD_FINAL_X")


@exercise("ch07.gd_2d", 2,
          "The gradient of x1 ** 2 + 2 * x2 ** 2 is (2 * x1, 4 * x2); return (x1, x2, 0, 0) after the step.")
def test_gd_2d(student, rng):
    runs = [("the book's run", 0.1, -5.0, -2.0),
            ("a drawn run", float(rng.uniform(0.02, 0.45)), float(rng.uniform(-5, 5)), float(rng.uniform(-5, 5)))]
    for name, eta, x1, x2 in runs:
        with checkpoint(name, 1):
            got = np.asarray(student.probe("trace_2d", "gd_2d", (x1, x2, 0.0, 0.0), 20, eta=eta))
            for column, (coordinate, start, factor, term) in enumerate((("x1", x1, 1 - 2 * eta, "x1 ** 2"),
                                                                       ("x2", x2, 1 - 4 * eta, "2 * x2 ** 2"))):
                assert_close(got[:, column], _iterates(lambda x: x * factor, start, 20), rtol=1e-6, atol=1e-12,
                             what=f"{coordinate} of the train_2d trace with eta={eta:.3f} from ({x1:.3f}, {x2:.3f}) "
                                  f"(its step uses the derivative of {term})")


@exercise("ch07.gd_2d_max_eta", 1, "Each step multiplies x1 by 1 - 2 * eta and x2 by 1 - 4 * eta; both need |.| < 1.")
def test_gd_2d_max_eta(student):
    assert_answer(student.value("GD_2D_MAX_ETA"), DIGESTS["ch07.gd_2d_max_eta"], "ch07.gd_2d_max_eta",
                  decimals=4, what="GD_2D_MAX_ETA")


@exercise("ch07.newton_cosh", 2,
          "f'(x) = c * sinh(c * x) and f''(x) = c ** 2 * cosh(c * x), so the step is eta * tanh(c * x) / c.")
def test_newton_cosh(student, rng):
    runs = [("the 2nd edition's run: c = 0.5 from 10, eta = 1", 0.5, 10.0, 1.0, 10),
            ("a drawn run", float(rng.uniform(0.2, 2.0)), float(rng.uniform(-10, 10)), float(rng.uniform(0.3, 1.0)),
             int(rng.integers(5, 12)))]
    for name, c, x0, eta, steps in runs:
        with checkpoint(name, 1):
            got = student.call("newton_cosh", c, x0, eta, steps)
            expected = _iterates(lambda x: x - eta * np.tanh(c * x) / c, x0, steps)
            assert_close(got, expected, rtol=1e-6, atol=1e-9,
                         what=f"newton_cosh(c={c:.3f}, x0={x0:.3f}, eta={eta:.3f}, steps={steps})")


def _newton_nonconvex_step(c, eta):
    """The Newton step on x cos(cx), with f' = cos(cx) - cx sin(cx) and f'' = -c (2 sin(cx) + cx cos(cx))."""
    def step(x):
        return x - eta * (np.cos(c * x) - c * x * np.sin(c * x)) / (-c * (2 * np.sin(c * x) + c * x * np.cos(c * x)))
    return step


def _well_conditioned_run(rng, steps):
    """(c, x0, eta) whose Newton iterates on x cos(cx) keep |f''| away from 0, so rounding cannot blow up."""
    while True:
        c, x0, eta = float(rng.uniform(0.1, 0.6)), float(rng.uniform(-10, 10)), float(rng.uniform(0.3, 1.0))
        xs = _iterates(_newton_nonconvex_step(c, eta), x0, steps)
        curvature = np.abs(c * (2 * np.sin(c * xs) + c * xs * np.cos(c * xs)))
        if np.all(np.abs(xs) < 100) and curvature.min() > 0.1 * c:
            return c, x0, eta


@exercise("ch07.newton_nonconvex", 2,
          "f'(x) = cos(c x) - c x sin(c x); differentiate again with the product rule: "
          "f''(x) = -2 c sin(c x) - c ** 2 x cos(c x).")
def test_newton_nonconvex(student, rng):
    c, x0, eta = _well_conditioned_run(rng, 5)
    runs = [("the 2nd edition's run: c = 0.15 pi from 10, eta = 1 and 0.5", [(0.15 * math.pi, 10.0, 1.0, 10),
                                                                             (0.15 * math.pi, 10.0, 0.5, 10)]),
            ("a drawn run", [(c, x0, eta, 5)])]
    for name, settings in runs:
        with checkpoint(name, 1):
            for c, x0, eta, steps in settings:
                got = student.call("newton_nonconvex", c, x0, eta, steps)
                assert_close(got, _iterates(_newton_nonconvex_step(c, eta), x0, steps), rtol=1e-6, atol=1e-9,
                             what=f"newton_nonconvex(c={c:.4f}, x0={x0:.3f}, eta={eta:.3f}, steps={steps})")


@exercise("ch07.newton_negative_curvature", 1,
          "Newton's method looks for f'(x) = 0 and cannot tell a minimum from a maximum.")
def test_newton_negative_curvature(student):
    assert_answer(student.value("NEWTON_NEGATIVE_CURVATURE"), DIGESTS["ch07.newton_negative_curvature"],
                  "ch07.newton_negative_curvature", what="NEWTON_NEGATIVE_CURVATURE")


# ---- 7.3 minibatch SGD -----------------------------------------------------------------------

def _dataloader_costs(num_examples, batch_size, num_epochs):
    """(updates, per-example gradients) counted on the batches of gluon's sampler with last_batch='keep'."""
    batches = gluon.data.BatchSampler(gluon.data.SequentialSampler(num_examples), batch_size, "keep")
    sizes = [len(batch) for batch in batches]
    return len(sizes) * num_epochs, sum(sizes) * num_epochs


@exercise("ch07.update_costs", 2,
          "An epoch has ceil(n / batch_size) updates (the short last batch counts); every example's gradient "
          "is computed once per epoch.")
def test_update_costs(student, rng):
    num_examples, num_epochs = int(rng.integers(50, 500)), int(rng.integers(1, 6))
    short_last = int(rng.integers(2, 10))
    while num_examples % short_last == 0:
        short_last += 1
    cases = [("SGD and gradient descent", [1, num_examples]), ("minibatches with a short last one", [short_last])]
    for name, batch_sizes in cases:
        with checkpoint(name, 1):
            for batch_size in batch_sizes:
                got = student.call("update_costs", num_examples, batch_size, num_epochs)
                assert_equal(tuple(got) if isinstance(got, list) else got,
                             _dataloader_costs(num_examples, batch_size, num_epochs),
                             what=f"update_costs({num_examples}, {batch_size}, {num_epochs})")


# ---- 7.4 to 7.8 update rules -----------------------------------------------------------------

def mxnet_trace(name, settings, params, grads_per_step, before_step=None):
    """MXNet oracle: the parameters after every step of mx.optimizer.create(name, **settings).

    rescale_grad=1 and wd=0 throughout: the book's update functions take the gradient as it is, with
    neither the 1/batch_size that gluon.Trainer puts into rescale_grad nor weight decay. How each
    optimizer maps onto the book's formulas (g the gradient, lr the learning rate):
    - "sgd" with momentum m: MXNet keeps mom <- m * mom - lr * g and w <- w + mom, so mom = -v.
    - "adagrad" with eps: history += g ** 2, w -= lr * g / sqrt(history + eps): the book's, eps inside.
    - "rmsprop" with gamma1 = gamma, epsilon, centered=False: n <- gamma1 n + (1 - gamma1) g ** 2,
      w -= lr * g / sqrt(n + epsilon): the book's, epsilon inside the square root too.
    - "adadelta" with rho, epsilon = 1e-5: the book's formulas exactly (neither has a learning rate).
    - "adam": MXNet folds the bias correction into the learning rate, lr_t = lr sqrt(1 - beta2 ** t) /
      (1 - beta1 ** t), and adds epsilon to sqrt(s) uncorrected: w -= lr_t v / (sqrt(s) + epsilon).
      The book's lr v_hat / (sqrt(s_hat) + eps) equals that with epsilon = eps sqrt(1 - beta2 ** t),
      which before_step(optimizer, t) sets (book_adam).
    """
    optimizer = mx.optimizer.create(name, rescale_grad=1.0, wd=0.0, **settings)
    weights = [mx.nd.array(p, dtype="float32") for p in params]
    states = [optimizer.create_state(index, weight) for index, weight in enumerate(weights)]
    trace = []
    for t, grads in enumerate(grads_per_step, start=1):
        if before_step is not None:
            before_step(optimizer, t)
        for index, (weight, grad, state) in enumerate(zip(weights, grads, states)):
            optimizer.update(index, weight, mx.nd.array(grad, dtype="float32"), state)
        trace.append([weight.asnumpy() for weight in weights])
    return trace


def book_adam(optimizer, t):
    """Before step t: MXNet's Adam epsilon that reproduces the book's eps added to sqrt(s_hat)."""
    optimizer.epsilon = EPS * math.sqrt(1 - BETA2 ** t)


def adam_without_bias_correction(lr):
    """before_step for MXNet's Adam that undoes its bias correction: lr v / (sqrt(s) + eps), a mix-up."""
    def before_step(optimizer, t):
        optimizer.set_learning_rate(lr * (1 - BETA1 ** t) / math.sqrt(1 - BETA2 ** t))
        optimizer.epsilon = EPS
    return before_step


def update_problems(rng):
    """Two regimes of 4 steps for two parameters: a list of (name, params, grads per step).

    ORDINARY: gradients of 1 to 4 in size from random parameters, where eps changes a step by less
    than the tolerance. TINY: gradients of about 1e-6 from zero parameters, where eps is as large as
    the root of the squared gradients, so where eps sits shows; the parameters then are the
    displacement itself, compared relative to its size.
    """
    shapes = [(3, 4), (5,)]

    def gradients(low, high):
        return [[rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape) for shape in shapes]
                for _ in range(4)]
    return [(ORDINARY, [rng.normal(size=shape) for shape in shapes], gradients(1.0, 4.0)),
            (TINY, [np.zeros(shape) for shape in shapes], gradients(1e-7, 4e-6))]


def _assert_trace(got, expected, tiny, mix_ups=()):
    """Compare the parameters after every step of the student's update with the oracle's.

    mix_ups: (description, trace) pairs; when the student's trace is one of them, the message names it.
    """
    if len(got["trace"]) != len(expected):
        raise AssertionError(f"expected {len(expected)} steps, got {len(got['trace'])}")
    scale = max(float(np.abs(p).max()) for step in expected for p in step)
    rtol, atol = (1e-3, 1e-3 * scale) if tiny else (1e-4, 1e-5)

    def matches(trace):
        try:
            return all(np.shape(g) == np.shape(e) and np.allclose(g, e, rtol=rtol, atol=atol)
                       for got_params, expected_params in zip(got["trace"], trace)
                       for g, e in zip(got_params, expected_params))
        except (TypeError, ValueError):  # not numbers: no mix-up to name
            return False
    try:
        for step, (got_params, expected_params) in enumerate(zip(got["trace"], expected), start=1):
            for index, (g, e) in enumerate(zip(got_params, expected_params)):
                assert_close(g, e, rtol=rtol, atol=atol, what=f"params[{index}] after step {step}")
    except AssertionError as failure:
        named = [description for description, trace in mix_ups if matches(trace)]
        if named:
            raise AssertionError(f"{failure}; that is what {named[0]} gives") from None
        raise


def _check_update(rng, run_student, optimizer, settings, before_step=None, regimes=(ORDINARY, TINY), points=1,
                  mix_ups=()):
    """Run the student's update and MXNet's optimizer on the same gradients, one checkpoint per regime.

    run_student(params, grads) runs the student's update through the optimizer_run probe; mix_ups are
    (description, before_step) pairs of the same MXNet optimizer that a failure message may name.
    Returns the probe's evidence of the last regime run (with the hyperparams dict as the update left it).
    """
    got = None
    for name, params, grads in update_problems(rng):
        if name not in regimes:
            continue
        with checkpoint(name, points):
            got = run_student(params, grads)
            _assert_trace(got, mxnet_trace(optimizer, settings, params, grads, before_step), name == TINY,
                          [(description, mxnet_trace(optimizer, settings, params, grads, hook))
                           for description, hook in mix_ups])
    return got


@exercise("ch07.momentum_2d", 2, "The gradient of 0.1 * x1 ** 2 + 2 * x2 ** 2 is (0.2 * x1, 4 * x2).")
def test_momentum_2d(student, rng):
    eta, gamma = float(rng.uniform(0.1, 0.6)), float(rng.uniform(0.3, 0.9))
    got = student.probe("trace_2d", "momentum_2d", (-5.0, -2.0, 0.0, 0.0), 20, eta=eta, gamma=gamma)
    x1, x2, v1, v2 = -5.0, -2.0, 0.0, 0.0
    expected = [[x1, x2, v1, v2]]
    for _ in range(20):
        v1, v2 = gamma * v1 + eta * 0.2 * x1, gamma * v2 + eta * 4 * x2
        x1, x2 = x1 - v1, x2 - v2
        expected.append([x1, x2, v1, v2])
    assert_close(np.array(got), np.array(expected), rtol=1e-6, atol=1e-9,
                 what=f"train_2d trace with eta={eta:.3f}, gamma={gamma:.3f}")


@exercise("ch07.sgd_momentum", 2, "v[:] = momentum * v + lr * p.grad; p[:] -= v.")
def test_sgd_momentum(student, rng):
    hyperparams = {"lr": float(rng.uniform(0.01, 0.2)), "momentum": float(rng.uniform(0.5, 0.95))}
    _check_update(rng, lambda params, grads: student.probe("optimizer_run", "sgd_momentum", params, grads, hyperparams),
                  "sgd", {"learning_rate": hyperparams["lr"], "momentum": hyperparams["momentum"]},
                  regimes=(ORDINARY,), points=2,
                  mix_ups=[("a dampened momentum, v = momentum * v + (1 - momentum) * lr * g,",
                            lambda optimizer, t: optimizer.set_learning_rate(
                                (1 - hyperparams["momentum"]) * hyperparams["lr"]))])


@exercise("ch07.adagrad", 2, "s[:] += p.grad.square(); p[:] -= lr * p.grad / (s + eps).sqrt(): eps inside the root.")
def test_adagrad(student, rng):
    hyperparams = {"lr": float(rng.uniform(0.05, 0.5))}
    _check_update(rng, lambda params, grads: student.probe("optimizer_run", "adagrad", params, grads, hyperparams),
                  "adagrad", {"learning_rate": hyperparams["lr"], "eps": EPS})


@exercise("ch07.adagrad_weakness", 1, "Look at what happens to s, and so to the step size, over many iterations.")
def test_adagrad_weakness(student):
    assert_answer(student.value("ADAGRAD_WEAKNESS"), DIGESTS["ch07.adagrad_weakness"],
                  "ch07.adagrad_weakness", what="ADAGRAD_WEAKNESS")


@exercise("ch07.rmsprop", 2,
          "Write the moving average gamma * s + (1 - gamma) * g * g into s (s[:] = ...); then the AdaGrad step, "
          "eps inside the root.")
def test_rmsprop(student, rng):
    hyperparams = {"lr": float(rng.uniform(0.005, 0.05)), "gamma": float(rng.uniform(0.8, 0.99))}
    _check_update(rng, lambda params, grads: student.probe("optimizer_run", "rmsprop", params, grads, hyperparams),
                  "rmsprop", {"learning_rate": hyperparams["lr"], "gamma1": hyperparams["gamma"], "epsilon": EPS})


@exercise("ch07.adadelta", 2,
          "Update s first; the step is sqrt(delta + eps) / sqrt(s + eps) * p.grad (eps in both roots); "
          "subtract it from p in place; then update delta with that step.")
def test_adadelta(student, rng):
    hyperparams = {"rho": float(rng.uniform(0.8, 0.99))}
    _check_update(rng, lambda params, grads: student.probe("optimizer_run", "adadelta", params, grads, hyperparams,
                                                           state_slots=2),
                  "adadelta", {"rho": hyperparams["rho"], "epsilon": ADADELTA_EPS})


@exercise("ch07.adam", 3,
          "Update v and s, bias-correct both with 1 - beta ** t, add eps after the square root, "
          "then hyperparams['t'] += 1.")
def test_adam(student, rng):
    hyperparams = {"lr": float(rng.uniform(0.005, 0.05)), "t": 1}
    got = _check_update(rng, lambda params, grads: student.probe("optimizer_run", "adam", params, grads, hyperparams,
                                                                 state_slots=2),
                        "adam", {"learning_rate": hyperparams["lr"], "beta1": BETA1, "beta2": BETA2},
                        before_step=book_adam,
                        mix_ups=[("Adam without bias correction", adam_without_bias_correction(hyperparams["lr"]))])
    with checkpoint("hyperparams['t'] counts the steps", 1):
        if got is None:
            raise AssertionError("no run of adam came back")
        assert_equal(got["hyperparams"]["t"], 5, what="hyperparams['t'] after 4 steps from t = 1")
