"""The oracles of the chapter 6 and 7 checks agree with the book's formulas they stand for.

The checks compare students with MXNet's own layers and optimizers; these tests pin down the
mapping the checks rely on (Gluon's gate order and weight layout, the settings that make each
mx.optimizer follow the book's update) against NumPy re-implementations of the formulas, and show
that the language-model target cannot be met without memory.
"""
import math

import numpy as np
import pytest
from mxnet.gluon import rnn

from grader.checks import test_ch06_rnn as ch06
from grader.checks import test_ch07_optimization as ch07


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


# ---- chapter 6: Gluon's gate layout ----------------------------------------------------------

def test_gluon_gru_stacks_reset_update_candidate_and_resets_after_the_product():
    rng = np.random.default_rng(0)
    weights = ch06.gate_weights(rng, 3, 4, 5)
    X, H = rng.normal(size=(2, 4)), rng.normal(size=(2, 5))
    i_r, i_z, i_n = np.split(X @ weights["i2h_weight"].T + weights["i2h_bias"], 3, axis=1)
    g_r, g_z, g_n = np.split(H @ weights["h2h_weight"].T + weights["h2h_bias"], 3, axis=1)
    r, z = _sigmoid(i_r + g_r), _sigmoid(i_z + g_z)
    expected = (1 - z) * np.tanh(i_n + r * g_n) + z * H
    outputs, _ = ch06.gluon_run(rnn.GRU, weights, X[None], [H[None]])
    np.testing.assert_allclose(outputs[0], expected, rtol=1e-4, atol=1e-5)


def test_gluon_lstm_stacks_input_forget_cell_output():
    rng = np.random.default_rng(1)
    weights = ch06.gate_weights(rng, 4, 3, 5)
    X, H, C = rng.normal(size=(2, 3)), rng.normal(size=(2, 5)), rng.normal(size=(2, 5))
    a = X @ weights["i2h_weight"].T + weights["i2h_bias"] + H @ weights["h2h_weight"].T + weights["h2h_bias"]
    a_i, a_f, a_c, a_o = np.split(a, 4, axis=1)
    C_new = _sigmoid(a_f) * C + _sigmoid(a_i) * np.tanh(a_c)
    _, (H_got, C_got) = ch06.gluon_run(rnn.LSTM, weights, X[None], [H[None], C[None]])
    np.testing.assert_allclose(C_got[0], C_new, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(H_got[0], _sigmoid(a_o) * np.tanh(C_new), rtol=1e-4, atol=1e-5)


def test_permuted_weights_reorder_whole_gate_blocks():
    weights = {"b": np.arange(6.0)}
    np.testing.assert_array_equal(ch06.permuted(weights, 3, [1, 0, 2])["b"], [2, 3, 0, 1, 4, 5])


def _bigram_perplexity(train, text, vocab_size):
    """Perplexity on text of add-0.01 smoothed bigram counts from train: the best a memoryless model does."""
    counts = np.full((vocab_size, vocab_size), 0.01)
    np.add.at(counts, (train[:-1], train[1:]), 1)
    probs = counts / counts.sum(axis=1, keepdims=True)
    return math.exp(-np.log(probs[text[:-1], text[1:]]).mean())


@pytest.mark.parametrize("seed", range(20))
def test_the_language_model_target_needs_more_than_the_previous_character(seed):
    rng = np.random.default_rng(seed)
    words = ch06.random_words(rng)
    train = np.array(ch06.word_text(rng, words, ch06.LM_CORPUS_LENGTH))
    text = np.array(ch06.word_text(rng, words, ch06.LM_TEST_BATCH * ch06.LM_TEST_STEPS + 1))
    assert _bigram_perplexity(train, text, ch06.LM_VOCAB) > 1.1 * ch06.LM_TARGET_PERPLEXITY


# ---- chapter 7: MXNet's optimizers against the book's update rules ---------------------------

def _momentum(p, v, g, hyperparams, _t):
    v = hyperparams["momentum"] * v + hyperparams["lr"] * g
    return p - v, v


def _adagrad(p, s, g, hyperparams, _t):
    s = s + g * g
    return p - hyperparams["lr"] * g / np.sqrt(s + ch07.EPS), s


def _rmsprop(p, s, g, hyperparams, _t):
    gamma = hyperparams["gamma"]
    s = gamma * s + (1 - gamma) * g * g
    return p - hyperparams["lr"] * g / np.sqrt(s + ch07.EPS), s


def _adadelta(p, state, g, hyperparams, _t):
    s, delta = state
    rho, eps = hyperparams["rho"], ch07.ADADELTA_EPS
    s = rho * s + (1 - rho) * g * g
    step = np.sqrt(delta + eps) / np.sqrt(s + eps) * g
    return p - step, (s, rho * delta + (1 - rho) * step * step)


def _adam(p, state, g, hyperparams, t, bias_correction=True):
    v, s = state
    v = ch07.BETA1 * v + (1 - ch07.BETA1) * g
    s = ch07.BETA2 * s + (1 - ch07.BETA2) * g * g
    v_hat, s_hat = (v / (1 - ch07.BETA1 ** t), s / (1 - ch07.BETA2 ** t)) if bias_correction else (v, s)
    return p - hyperparams["lr"] * v_hat / (np.sqrt(s_hat) + ch07.EPS), (v, s)


def _book_trace(rule, params, grads_per_step, hyperparams, state_slots):
    """Parameters after each step of the NumPy rule(p, state, g, hyperparams, t), t from 1, states from 0."""
    states = [np.zeros_like(p) if state_slots == 1 else (np.zeros_like(p),) * state_slots for p in params]
    trace = []
    for t, grads in enumerate(grads_per_step, start=1):
        updated = [rule(p, s, g, hyperparams, t) for p, s, g in zip(params, states, grads)]
        params, states = [u[0] for u in updated], [u[1] for u in updated]
        trace.append(params)
    return trace


HYPERPARAMS = {"lr": 0.03, "momentum": 0.8, "gamma": 0.95, "rho": 0.9}
CASES = [
    ("sgd", {"learning_rate": 0.03, "momentum": 0.8}, None, _momentum, 1),
    ("adagrad", {"learning_rate": 0.03, "eps": ch07.EPS}, None, _adagrad, 1),
    ("rmsprop", {"learning_rate": 0.03, "gamma1": 0.95, "epsilon": ch07.EPS}, None, _rmsprop, 1),
    ("adadelta", {"rho": 0.9, "epsilon": ch07.ADADELTA_EPS}, None, _adadelta, 2),
    ("adam", {"learning_rate": 0.03, "beta1": ch07.BETA1, "beta2": ch07.BETA2}, ch07.book_adam, _adam, 2),
    ("adam", {"learning_rate": 0.03, "beta1": ch07.BETA1, "beta2": ch07.BETA2},
     ch07.adam_without_bias_correction(0.03), lambda *args: _adam(*args, bias_correction=False), 2),
]


@pytest.mark.parametrize("optimizer, settings, before_step, rule, state_slots", CASES,
                         ids=["momentum", "adagrad", "rmsprop", "adadelta", "adam", "adam_without_bias_correction"])
def test_mxnet_optimizer_follows_the_book_in_both_regimes(optimizer, settings, before_step, rule, state_slots):
    for name, params, grads in ch07.update_problems(np.random.default_rng(3)):
        got = ch07.mxnet_trace(optimizer, settings, params, grads, before_step)
        expected = _book_trace(rule, params, grads, HYPERPARAMS, state_slots)
        scale = max(float(np.abs(p).max()) for step in expected for p in step)
        for got_params, expected_params in zip(got, expected):
            for g, e in zip(got_params, expected_params):
                np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6 * scale, err_msg=name)


def test_eps_placement_shows_only_with_tiny_gradients():
    """The regimes of the update checks: eps inside or outside the root differ only in the tiny one."""
    def eps_outside(p, s, g, hyperparams, _t):
        s = s + g * g
        return p - hyperparams["lr"] * g / (np.sqrt(s) + ch07.EPS), s

    for name, params, grads in ch07.update_problems(np.random.default_rng(4)):
        right = _book_trace(_adagrad, params, grads, HYPERPARAMS, 1)[-1][0]
        wrong = _book_trace(eps_outside, params, grads, HYPERPARAMS, 1)[-1][0]
        scale = float(np.abs(right).max())
        differs = not np.allclose(wrong, right, rtol=1e-3 if name == ch07.TINY else 1e-4,
                                  atol=1e-3 * scale if name == ch07.TINY else 1e-5)
        assert differs == (name == ch07.TINY), name
