"""Checks for exercises/ch06_rnn.py: chapter 6, Recurrent neural networks."""
import numpy as np
from mxnet.gluon import rnn

from grader.checking import assert_answer, assert_close, assert_equal, checkpoint, exercise, nd

CHAPTER = "ch06_rnn"

# Salted digests of the answer constants: python -m grader.answers <exercise id> '<answer>'.
DIGESTS = {
    "ch06.perplexities":
        "sha256:6039c6b0313afafdabd82a30debb80addc755fc302962a00c091064637173051",
    "ch06.detach_reason":
        "sha256:89bb7afbccf558b57c212ec5f71668e52855fc54f8f387fc155570100acfb3a9",
}


def _consecutive_batches(corpus, batch_size, num_steps):
    """NumPy oracle for consecutive sampling: the list of (X, Y) batches of section 6.3."""
    batch_len = len(corpus) // batch_size
    rows = np.asarray(corpus[:batch_size * batch_len], dtype=np.float64).reshape(batch_size, batch_len)
    starts = range(0, (batch_len - 1) // num_steps * num_steps, num_steps)
    return [(rows[:, s:s + num_steps], rows[:, s + 1:s + num_steps + 1]) for s in starts]


def _layer_param_count(layer):
    """Number of parameters of an initialised Gluon layer."""
    layer.initialize()
    return sum(p.data().size for p in layer.collect_params().values())


@exercise("ch06.data_iter_consecutive", 3,
          "Reshape the first batch_size * batch_len indices to (batch_size, batch_len), then slice columns.")
def test_data_iter_consecutive(student, rng, ctx):
    batch_size, num_steps = int(rng.integers(2, 5)), int(rng.integers(3, 7))
    corpus = [int(v) for v in rng.integers(0, 50, size=int(rng.integers(40, 90)))]
    got = student.probe("iterate", "data_iter_consecutive", corpus, batch_size, num_steps, ctx=ctx)
    expected = _consecutive_batches(corpus, batch_size, num_steps)
    if any(len(batch) != 2 for batch in got):
        raise AssertionError("data_iter_consecutive must yield (X, Y) pairs")
    with checkpoint("number of batches", 1):
        assert_equal(len(got), len(expected), what="number of batches")
    with checkpoint("X and Y of every batch", 2):
        for index, ((X, Y), (X_ref, Y_ref)) in enumerate(zip(got, expected)):
            assert_close(X, X_ref, what=f"X of batch {index}")
            assert_close(Y, Y_ref, what=f"Y of batch {index}")


@exercise("ch06.to_onehot", 2, "Iterate over the columns of X (X.T) and apply nd.one_hot(column, size).")
def test_to_onehot(student, rng):
    batch_size, num_steps, size = (int(v) for v in rng.integers(2, 7, size=3))
    X = rng.integers(0, size, size=(batch_size, num_steps)).astype(np.float64)
    got = student.call("to_onehot", nd(X), size)
    if not isinstance(got, (list, tuple)):
        raise AssertionError(f"to_onehot must return a list of arrays, got {type(got).__name__}")
    assert_equal(len(got), num_steps, what="number of time steps returned")
    for step, array in enumerate(got):
        assert_close(array, np.eye(size)[X[:, step].astype(int)], what=f"one-hot array of time step {step}")


@exercise("ch06.grad_clipping", 3, "Sum the squared gradients of all params, take the root, rescale if above theta.")
def test_grad_clipping(student, rng, ctx):
    params = [rng.normal(size=(3, 2)), rng.normal(size=(4,))]
    grads = [rng.normal(size=p.shape) for p in params]
    norm = np.sqrt(sum((g ** 2).sum() for g in grads))
    with checkpoint("global norm above theta: scaled down to theta", 2):
        theta = float(norm * rng.uniform(0.2, 0.8))
        got = student.probe("update_in_place", "grad_clipping", params, grads, theta, ctx=ctx)
        for index, (g, e) in enumerate(zip(got["grads"], grads)):
            assert_close(g, e * theta / norm, rtol=1e-4, atol=1e-6, what=f"clipped grad of params[{index}]")
    with checkpoint("global norm below theta: unchanged", 1):
        got = student.probe("update_in_place", "grad_clipping", params, grads, float(2 * norm), ctx=ctx)
        for index, (g, e) in enumerate(zip(got["grads"], grads)):
            assert_close(g, e, rtol=1e-5, what=f"grad of params[{index}]")


@exercise("ch06.perplexities", 2, "Perplexity = exp(mean of -log p(true token)).")
def test_perplexities(student):
    got = student.value("PERPLEXITIES")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise AssertionError(f"PERPLEXITIES: expected a tuple of three floats, got {got!r}")
    assert_answer(got, DIGESTS["ch06.perplexities"], "ch06.perplexities", decimals=4, what="PERPLEXITIES")


@exercise("ch06.detach_reason", 1, "Think about what backward() would traverse if the state kept its history.")
def test_detach_reason(student):
    assert_answer(student.value("DETACH_REASON"), DIGESTS["ch06.detach_reason"],
                  "ch06.detach_reason", what="DETACH_REASON")


@exercise("ch06.gluon_rnn_param_counts", 2,
          "Per gate: input weights (h x 1027), hidden weights (h x h) and two bias vectors of size h.")
def test_gluon_rnn_param_counts(student):
    got = student.value("GLUON_RNN_PARAM_COUNTS")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise AssertionError(f"GLUON_RNN_PARAM_COUNTS: expected a tuple of three ints, got {got!r}")
    expected = tuple(_layer_param_count(layer(256, input_size=1027)) for layer in (rnn.RNN, rnn.GRU, rnn.LSTM))
    assert_equal(tuple(got), expected, what="GLUON_RNN_PARAM_COUNTS (RNN, GRU, LSTM)", reveal=False)
