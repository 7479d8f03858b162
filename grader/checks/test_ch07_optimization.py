"""Checks for exercises/ch07_optimization.py: chapter 7, Optimization algorithms."""
import numpy as np

from grader.checking import assert_answer, assert_close, assert_equal, checkpoint, exercise

CHAPTER = "ch07_optimization"

# Salted digests of the answer constants: python -m grader.answers <exercise id> '<answer>'.
DIGESTS = {
    "ch07.gd_final_x":
        "sha256:7620a1457de35609f00519daff14b7dfd967facf722280efa7ee60c3b4556c15",
    "ch07.adagrad_weakness":
        "sha256:0dfae516ee0d67d20cadfb826f4e3b1277e5461e8a5baee12d38925fd4196f31",
}
EPS = 1e-6  # the eps of the book's AdaGrad, RMSProp and Adam


def _momentum(p, v, g, hyperparams, _t):
    v = hyperparams["momentum"] * v + hyperparams["lr"] * g
    return p - v, v


def _adagrad(p, s, g, hyperparams, _t):
    s = s + g * g
    return p - hyperparams["lr"] * g / np.sqrt(s + EPS), s


def _rmsprop(p, s, g, hyperparams, _t):
    gamma = hyperparams["gamma"]
    s = gamma * s + (1 - gamma) * g * g
    return p - hyperparams["lr"] * g / np.sqrt(s + EPS), s


def _adam(p, state, g, hyperparams, t):
    v, s = state
    v = 0.9 * v + 0.1 * g
    s = 0.999 * s + 0.001 * g * g
    v_hat, s_hat = v / (1 - 0.9 ** t), s / (1 - 0.999 ** t)
    return p - hyperparams["lr"] * v_hat / (np.sqrt(s_hat) + EPS), (v, s)


def _reference_trace(rule, params, grads_per_step, hyperparams, zero_state):
    """NumPy oracle: parameter values after each step of rule(p, state, g, hyperparams, t), t from 1."""
    states = [zero_state(p) for p in params]
    trace = []
    for t, grads in enumerate(grads_per_step, start=1):
        updated = [rule(p, s, g, hyperparams, t) for p, s, g in zip(params, states, grads)]
        params, states = [u[0] for u in updated], [u[1] for u in updated]
        trace.append(params)
    return trace


def _random_problem(rng):
    """Two parameters and 4 steps of random gradients for them."""
    params = [rng.normal(size=(3, 4)), rng.normal(size=(5,))]
    return params, [[rng.normal(size=p.shape) for p in params] for _ in range(4)]


def _assert_trace(got, rule, params, grads_per_step, hyperparams, state_slots=1):
    """Compare the parameters after every step of the student's update with the oracle rule's."""
    if state_slots == 1:
        zero_state = np.zeros_like
    else:
        def zero_state(p):
            return tuple(np.zeros_like(p) for _ in range(state_slots))
    expected = _reference_trace(rule, params, grads_per_step, hyperparams, zero_state)
    for step, (got_params, expected_params) in enumerate(zip(got["trace"], expected), start=1):
        for index, (g, e) in enumerate(zip(got_params, expected_params)):
            assert_close(g, e, rtol=1e-4, atol=1e-5, what=f"params[{index}] after step {step}")


@exercise("ch07.gd", 2, "Repeat x -= eta * 2 * x, appending each x to the list that starts with x0.")
def test_gd(student, rng):
    eta, x0, steps = float(rng.uniform(0.01, 0.6)), float(rng.uniform(-10, 10)), int(rng.integers(5, 12))
    expected = [x0]
    for _ in range(steps):
        expected.append(expected[-1] * (1 - 2 * eta))
    got = student.call("gd", eta, x0, steps)
    assert_close(got, np.array(expected), rtol=1e-6, atol=1e-9, what=f"gd({eta:.4f}, {x0:.4f}, {steps})")


@exercise("ch07.gd_final_x", 2, "Each step multiplies x by (1 - 2 * eta); run your gd for each learning rate.")
def test_gd_final_x(student):
    got = student.value("GD_FINAL_X")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise AssertionError(f"GD_FINAL_X: expected a tuple of three floats, got {got!r}")
    assert_answer(got, DIGESTS["ch07.gd_final_x"], "ch07.gd_final_x", decimals=4, what="GD_FINAL_X")


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
    params, grads = _random_problem(rng)
    got = student.probe("optimizer_run", "sgd_momentum", params, grads, hyperparams)
    _assert_trace(got, _momentum, params, grads, hyperparams)


@exercise("ch07.adagrad", 2, "s[:] += p.grad.square(); p[:] -= lr * p.grad / (s + eps).sqrt().")
def test_adagrad(student, rng):
    hyperparams = {"lr": float(rng.uniform(0.05, 0.5))}
    params, grads = _random_problem(rng)
    got = student.probe("optimizer_run", "adagrad", params, grads, hyperparams)
    _assert_trace(got, _adagrad, params, grads, hyperparams)


@exercise("ch07.adagrad_weakness", 1, "Look at what happens to s, and so to the step size, over many iterations.")
def test_adagrad_weakness(student):
    assert_answer(student.value("ADAGRAD_WEAKNESS"), DIGESTS["ch07.adagrad_weakness"],
                  "ch07.adagrad_weakness", what="ADAGRAD_WEAKNESS")


@exercise("ch07.rmsprop", 2, "s[:] = gamma * s + (1 - gamma) * p.grad.square(); then the AdaGrad step.")
def test_rmsprop(student, rng):
    hyperparams = {"lr": float(rng.uniform(0.005, 0.05)), "gamma": float(rng.uniform(0.8, 0.99))}
    params, grads = _random_problem(rng)
    got = student.probe("optimizer_run", "rmsprop", params, grads, hyperparams)
    _assert_trace(got, _rmsprop, params, grads, hyperparams)


@exercise("ch07.adam", 3, "Update v and s, bias-correct with 1 - beta ** t, step, then hyperparams['t'] += 1.")
def test_adam(student, rng):
    hyperparams = {"lr": float(rng.uniform(0.005, 0.05)), "t": 1}
    params, grads = _random_problem(rng)
    got = student.probe("optimizer_run", "adam", params, grads, hyperparams, state_slots=2)
    with checkpoint("parameter updates", 2):
        _assert_trace(got, _adam, params, grads, hyperparams, state_slots=2)
    with checkpoint("hyperparams['t'] counts the steps", 1):
        assert_equal(got["hyperparams"]["t"], 5, what="hyperparams['t'] after 4 steps from t = 1")
