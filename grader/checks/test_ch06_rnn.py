"""Checks for exercises/ch06_rnn.py: chapter 6, Recurrent neural networks.

Oracles: NumPy re-implementations of the book's samplers; Gluon's own rnn.RNN / rnn.GRU / rnn.LSTM
layers, loaded with the student's weights, for the recurrent steps and the parameter counts (counted
from the declared parameter shapes, never allocated).
"""
import math

import mxnet as mx
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
LAYERS = {"rnn": rnn.RNN, "gru": rnn.GRU, "lstm": rnn.LSTM}
WEIGHT_NAMES = ("i2h_weight", "h2h_weight", "i2h_bias", "h2h_bias")

# The language-model exercise: text of random words over LM_VOCAB - 1 letters, separated by spaces.
LM_VOCAB, LM_WORDS, LM_CORPUS_LENGTH = 8, 6, 4000
LM_TEST_BATCH, LM_TEST_STEPS = 8, 40
LM_TARGET_PERPLEXITY = 2.0


# ---- oracles ---------------------------------------------------------------------------------

def _consecutive_batches(corpus, batch_size, num_steps):
    """NumPy oracle for consecutive sampling: the list of (X, Y) batches of section 6.3."""
    batch_len = len(corpus) // batch_size
    rows = np.asarray(corpus[:batch_size * batch_len], dtype=np.float64).reshape(batch_size, batch_len)
    starts = range(0, (batch_len - 1) // num_steps * num_steps, num_steps)
    return [(rows[:, s:s + num_steps], rows[:, s + 1:s + num_steps + 1]) for s in starts]


def _layer_size(layer):
    """Number of parameters of a Gluon layer, from its declared shapes (nothing is allocated)."""
    return sum(int(np.prod(param.shape)) for param in layer.collect_params().values())


def gluon_run(layer_class, weights, inputs, states, **kwargs):
    """Run a one-layer Gluon recurrent layer holding weights (keys WEIGHT_NAMES) on TNC inputs.

    Returns the outputs (T, N, h) and the final states, as numpy arrays.
    """
    hidden, input_size = weights["h2h_weight"].shape[1], weights["i2h_weight"].shape[1]
    layer = layer_class(hidden, input_size=input_size, **kwargs)
    layer.initialize()
    for name, param in layer.collect_params().items():
        param.set_data(mx.nd.array(weights[name.split("l0_", 1)[1]]))
    outputs, new_states = layer(mx.nd.array(inputs), [mx.nd.array(s) for s in states])
    return outputs.asnumpy(), [s.asnumpy() for s in new_states]


def gate_weights(rng, gates, input_size, hidden):
    """Random weights in Gluon's layout for a layer with the given number of gates."""
    return {
        "i2h_weight": rng.normal(scale=0.5, size=(gates * hidden, input_size)),
        "h2h_weight": rng.normal(scale=0.5, size=(gates * hidden, hidden)),
        "i2h_bias": rng.normal(scale=0.5, size=gates * hidden),
        "h2h_bias": rng.normal(scale=0.5, size=gates * hidden),
    }


def permuted(weights, gates, order):
    """weights with their gate blocks of rows reordered: what a student reading the gates in order gets."""
    return {name: np.concatenate([np.split(value, gates)[i] for i in order]) for name, value in weights.items()}


def _assert_matches(got, expected, what, mix_ups=()):
    """assert_close at float32 tolerance; when got is what a known mix-up gives, the message names the mix-up.

    mix_ups: (description, what that mix-up returns) pairs, computed by the same oracle on altered inputs.
    """
    try:
        assert_close(got, expected, rtol=1e-4, atol=1e-5, what=what)
    except AssertionError as failure:
        for description, wrong in mix_ups:
            if (isinstance(got, np.ndarray) and got.shape == np.shape(wrong)
                    and np.allclose(got, wrong, rtol=1e-4, atol=1e-5)):
                raise AssertionError(f"{failure}; that is what {description} gives") from None
        raise


def random_words(rng, vocab_size=LM_VOCAB, count=LM_WORDS):
    """count random words of 3 to 5 letters; letters are 0 .. vocab_size - 2 (vocab_size - 1 is the space)."""
    return [[int(c) for c in rng.integers(0, vocab_size - 1, size=int(rng.integers(3, 6)))] for _ in range(count)]


def word_text(rng, words, length, vocab_size=LM_VOCAB):
    """length indices of text: words drawn uniformly at random, each followed by a space."""
    text = []
    while len(text) < length:
        text.extend(words[int(rng.integers(len(words)))] + [vocab_size - 1])
    return text[:length]


def _softmax(scores):
    """Row-wise softmax in float64."""
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


# ---- 6.3 sampling ----------------------------------------------------------------------------

def _batches(got):
    """The student's batches, after checking that each is an (X, Y) pair."""
    if any(len(batch) != 2 for batch in got):
        raise AssertionError("the iterator must yield (X, Y) pairs")
    return got


@exercise("ch06.data_iter_random", 3,
          "Window j starts at j * num_steps; shuffle range((len(corpus) - 1) // num_steps) with random.shuffle "
          "and take batch_size window indices at a time.")
def test_data_iter_random(student, rng, ctx):
    batch_size, num_steps = int(rng.integers(2, 4)), int(rng.integers(3, 6))
    num_windows = int(rng.integers(12, 20))
    corpus = [int(v) for v in rng.permutation(num_windows * num_steps + 1 + int(rng.integers(0, num_steps)))]
    got = _batches(student.probe("iterate", "data_iter_random", corpus, batch_size, num_steps, ctx=ctx))
    position = {value: index for index, value in enumerate(corpus)}  # values are distinct
    with checkpoint("number of batches and their shapes", 1):
        assert_equal(len(got), num_windows // batch_size, what="number of batches")
        for index, (X, Y) in enumerate(got):
            assert_equal((np.shape(X), np.shape(Y)), ((batch_size, num_steps),) * 2,
                         what=f"shapes of X and Y in batch {index}")
    starts = []
    with checkpoint("rows are distinct windows at multiples of num_steps, Y one step ahead", 1):
        if any(np.shape(part) != (batch_size, num_steps) for batch in got for part in batch):
            raise AssertionError("windows not judged: the batches have the wrong shapes")
        for index, (X, Y) in enumerate(got):
            for row in range(batch_size):
                start = position.get(int(np.asarray(X)[row][0]))
                if start is None:
                    raise AssertionError(f"X of batch {index}, row {row} does not start with a value of the corpus")
                if start % num_steps or start in starts:
                    raise AssertionError(f"batch {index}, row {row} starts at corpus position {start}: windows must "
                                         f"start at a multiple of num_steps={num_steps}, each window at most once")
                assert_close(X[row], corpus[start:start + num_steps], what=f"X of batch {index}, row {row}")
                assert_close(Y[row], corpus[start + 1:start + num_steps + 1], what=f"Y of batch {index}, row {row}")
                starts.append(start)
    with checkpoint("windows come in a shuffled order", 1):
        if len(starts) != batch_size * len(got) or len(starts) < 2:
            raise AssertionError("order not judged: the windows themselves are not right")
        if starts == sorted(starts):
            raise AssertionError(f"the {len(starts)} windows came in corpus order; shuffle them (random.shuffle)")


@exercise("ch06.data_iter_consecutive", 3,
          "Reshape the first batch_size * batch_len indices to (batch_size, batch_len), then slice columns; "
          "the last batch must still have a full Y.")
def test_data_iter_consecutive(student, rng, ctx):
    batch_size, num_steps = int(rng.integers(2, 5)), int(rng.integers(3, 7))
    lengths = (int(rng.integers(40, 90)), batch_size * num_steps * int(rng.integers(3, 6)))  # the 2nd: no spare column
    runs = []
    for length in lengths:
        corpus = [int(v) for v in rng.integers(0, 50, size=length)]
        got = _batches(student.probe("iterate", "data_iter_consecutive", corpus, batch_size, num_steps, ctx=ctx))
        runs.append((length, got, _consecutive_batches(corpus, batch_size, num_steps)))
    with checkpoint("number of batches", 1):
        for length, got, expected in runs:
            assert_equal(len(got), len(expected), what=f"number of batches for a corpus of {length}")
    with checkpoint("X and Y of every batch", 2):
        for length, got, expected in runs:
            for index, ((X, Y), (X_ref, Y_ref)) in enumerate(zip(got, expected)):
                assert_close(X, X_ref, what=f"X of batch {index} (corpus of {length})")
                assert_close(Y, Y_ref, what=f"Y of batch {index} (corpus of {length})")


# ---- 6.4 an RNN from scratch -----------------------------------------------------------------

@exercise("ch06.to_onehot", 2, "Iterate over the columns of X (X.T) and apply nd.one_hot(column, size).")
def test_to_onehot(student, rng):
    batch_size, size = (int(v) for v in rng.integers(2, 7, size=2))
    num_steps = batch_size + int(rng.integers(1, 4))  # never square, so rows and columns cannot be mixed up
    X = rng.integers(0, size, size=(batch_size, num_steps)).astype(np.float64)
    got = student.call("to_onehot", nd(X), size)
    if not isinstance(got, (list, tuple)):
        raise AssertionError(f"to_onehot must return a list of arrays, got {type(got).__name__}")
    assert_equal(len(got), num_steps, what="number of time steps returned")
    for step, array in enumerate(got):
        assert_close(array, np.eye(size)[X[:, step].astype(int)], what=f"one-hot array of time step {step}")


@exercise("ch06.rnn", 3,
          "For each X, update H = tanh(X W_xh + H W_hh + b_h) with nd.tanh and nd.dot, then append the output "
          "H W_hq + b_q; return (outputs, (H,)).")
def test_rnn(student, rng):
    batch, vocab, hidden, num_outputs, steps = (int(v) for v in rng.integers(2, 7, size=5))
    W_xh, W_hh = rng.normal(scale=0.5, size=(vocab, hidden)), rng.normal(scale=0.5, size=(hidden, hidden))
    b_h, W_hq, b_q = rng.normal(size=hidden), rng.normal(size=(hidden, num_outputs)), rng.normal(size=num_outputs)
    inputs = np.eye(vocab)[rng.integers(0, vocab, size=(steps, batch))]
    H0 = rng.normal(size=(batch, hidden))
    got = student.call("rnn", [nd(X) for X in inputs], (nd(H0),),
                       [nd(p) for p in (W_xh, W_hh, b_h, W_hq, b_q)])
    if not isinstance(got, (list, tuple)) or len(got) != 2 or not isinstance(got[1], (list, tuple)):
        raise AssertionError("rnn must return (outputs, (H,)): a list of outputs and the state tuple")
    weights = {"i2h_weight": W_xh.T, "h2h_weight": W_hh.T, "i2h_bias": b_h, "h2h_bias": np.zeros(hidden)}
    hiddens, (H_last,) = gluon_run(rnn.RNN, weights, inputs, [H0[None]], activation="tanh")
    transposed, (H_transposed,) = gluon_run(rnn.RNN, dict(weights, h2h_weight=W_hh), inputs, [H0[None]],
                                             activation="tanh")
    mix_up = "multiplying H by W_hh transposed"
    outputs, state = got
    with checkpoint("the output of every time step", 2):
        assert_equal(len(outputs), steps, what="number of outputs")
        for step, Y in enumerate(outputs):
            _assert_matches(Y, hiddens[step] @ W_hq + b_q, f"output of time step {step}",
                            [(mix_up, transposed[step] @ W_hq + b_q)])
    with checkpoint("the final state (H,)", 1):
        assert_equal(len(state), 1, what="number of arrays in the returned state")
        _assert_matches(state[0], H_last[0], "final H", [(mix_up, H_transposed[0])])


@exercise("ch06.grad_clipping", 3, "Sum the squared gradients of all params, take the root, rescale if above theta.")
def test_grad_clipping(student, rng, ctx):
    params = [rng.normal(size=(3, 2)), rng.normal(size=(4,))]
    grads = [rng.normal(size=p.shape) for p in params]
    norm = np.sqrt(sum((g ** 2).sum() for g in grads))
    with checkpoint("global norm above theta: scaled down to theta", 2):
        theta = float(norm * rng.uniform(0.2, 0.8))
        got = student.probe("update_in_place", "grad_clipping", params, grads, theta, ctx=ctx)
        for index, (g, e) in enumerate(zip(got["grads"], grads)):
            own_norm = np.sqrt((e ** 2).sum())
            _assert_matches(g, e * theta / norm, f"clipped grad of params[{index}]",
                            [("clipping each gradient by its own norm instead of the global norm",
                              e * min(1.0, theta / own_norm))])
    with checkpoint("global norm below theta: unchanged", 1):
        got = student.probe("update_in_place", "grad_clipping", params, grads, float(2 * norm), ctx=ctx)
        for index, (g, e) in enumerate(zip(got["grads"], grads)):
            assert_close(g, e, rtol=1e-5, what=f"grad of params[{index}]")


@exercise("ch06.perplexity", 2, "Pick each row's probability of its label (nd.pick), average -log of those, exp().")
def test_perplexity(student, rng):
    rows, vocab = int(rng.integers(5, 20)), int(rng.integers(3, 10))
    probs = rng.dirichlet(np.ones(vocab), size=rows)
    labels = rng.integers(0, vocab, size=rows)
    got = student.call("perplexity", nd(probs), nd(labels))
    expected = math.exp(-np.log(probs[np.arange(rows), labels]).mean())
    assert_close(np.reshape(got, -1), [expected], rtol=1e-4,
                 what=f"perplexity, exp(mean(-log p)), of {rows} predictions (one number)")


@exercise("ch06.perplexities", 2, "Perplexity = exp(mean of -log p(true token)).")
def test_perplexities(student):
    got = student.value("PERPLEXITIES")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise AssertionError(f"PERPLEXITIES: expected a tuple of three floats, got {got!r}")
    assert_answer(got, DIGESTS["ch06.perplexities"], "ch06.perplexities", decimals=4, what="PERPLEXITIES")


def _assert_detached(got, x, form, kind):
    """The probe's evidence shows a state of the same kind, the same values, and a gradient that stopped."""
    assert_equal(got["kind"], kind, what=f"type returned for a state that is a {form}")
    states = [2 * x, 3 * x] if form != "array" else [2 * x]
    assert_equal(len(got["values"]), len(states), what=f"number of arrays returned for a {form}")
    for index, (value, expected) in enumerate(zip(got["values"], states)):
        assert_close(value, expected, what=f"values of state[{index}]")
    detached_grad = sum(states)
    if np.allclose(got["grad"], 2 * detached_grad, rtol=1e-4):
        raise AssertionError(f"backward() went through the returned {form} into the earlier graph: it was not "
                             "detached (s.detach() returns a detached copy; use the copy)")
    assert_close(got["grad"], detached_grad, rtol=1e-4, what="gradient of sum(s * x) over the returned state")


@exercise("ch06.detach_state", 2,
          "s.detach() returns a new array: build the result from what it returns, e.g. [s.detach() for s in state].")
def test_detach_state(student, rng):
    x = rng.normal(size=int(rng.integers(2, 6)))
    with checkpoint("a list [H, C]", 1):
        _assert_detached(student.probe("gradient_through_state", "detach_state", x, "list"), x, "list", "list")
    with checkpoint("a single NDArray and a tuple", 1):
        _assert_detached(student.probe("gradient_through_state", "detach_state", x, "array"), x, "array", "NDArray")
        _assert_detached(student.probe("gradient_through_state", "detach_state", x, "tuple"), x, "tuple", "tuple")


@exercise("ch06.detach_reason", 1, "Think about what backward() would traverse if the state kept its history.")
def test_detach_reason(student):
    assert_answer(student.value("DETACH_REASON"), DIGESTS["ch06.detach_reason"],
                  "ch06.detach_reason", what="DETACH_REASON")


# ---- 6.5 Gluon's recurrent layers ------------------------------------------------------------

@exercise("ch06.gluon_rnn_param_counts", 2,
          "Per gate: input weights (h x 1027), hidden weights (h x h) and two bias vectors of size h.")
def test_gluon_rnn_param_counts(student):
    got = student.value("GLUON_RNN_PARAM_COUNTS")
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        raise AssertionError(f"GLUON_RNN_PARAM_COUNTS: expected a tuple of three ints, got {got!r}")
    expected = tuple(_layer_size(layer(256, input_size=1027)) for layer in (rnn.RNN, rnn.GRU, rnn.LSTM))
    assert_equal(tuple(got), expected, what="GLUON_RNN_PARAM_COUNTS (RNN, GRU, LSTM)", reveal=False)


@exercise("ch06.train_language_model", 5,
          "d2l.RNNModel(rnn.GRU(64), vocab_size) initialised on ctx, Adam (lr 0.01), clipping, ~8 epochs of "
          "random batches (batch 16, 20 steps); loss on outputs against Y.T.reshape((-1,)).", slow=True)
def test_train_language_model(student, rng, ctx):
    words = random_words(rng)
    corpus = word_text(rng, words, LM_CORPUS_LENGTH)
    text = np.array(word_text(rng, words, LM_TEST_BATCH * LM_TEST_STEPS + 1))
    X = text[:-1].reshape(LM_TEST_BATCH, LM_TEST_STEPS)
    labels = text[1:].reshape(LM_TEST_BATCH, LM_TEST_STEPS).T.reshape(-1)  # time-major, like the outputs
    got = student.probe("trained_model_outputs", "train_language_model", corpus, LM_VOCAB, X, ctx)
    with checkpoint("parameters live on ctx", 1):
        assert_equal(got["contexts"], [got["requested"]], what="contexts of the model's parameters")
    shape = (LM_TEST_STEPS * LM_TEST_BATCH, LM_VOCAB)
    with checkpoint("outputs of shape (num_steps * batch_size, vocab_size)", 1):
        assert_equal(np.shape(got["outputs"]), shape, what="shape of the model's outputs")
    with checkpoint(f"perplexity below {LM_TARGET_PERPLEXITY} on fresh text", 3):
        if np.shape(got["outputs"]) != shape:
            raise AssertionError("perplexity not measured: the outputs have the wrong shape")
        probs = _softmax(np.asarray(got["outputs"], dtype=np.float64))
        perplexity = math.exp(-np.log(np.maximum(probs[np.arange(len(labels)), labels], 1e-300)).mean())
        if not perplexity < LM_TARGET_PERPLEXITY:
            raise AssertionError(f"perplexity {perplexity:.3f} on {LM_TEST_BATCH} fresh sequences of "
                                 f"{LM_TEST_STEPS} characters is not below {LM_TARGET_PERPLEXITY}")


# ---- 6.7, 6.8 GRU and LSTM gates -------------------------------------------------------------

def _cell_problem(rng, gates):
    """(batch_size, hidden size, Gluon-layout weights, input X) for one GRU (3 gates) or LSTM (4 gates) step."""
    batch, n, h = (int(v) for v in rng.integers(2, 7, size=3))
    return batch, h, gate_weights(rng, gates, n, h), rng.normal(size=(batch, n))


def _gru_book_reset(X, H, weights):
    """NumPy GRU step with the book's reset, tanh(X W_xh + (R * H) W_hh + b_h), on Gluon's weights."""
    def sigmoid(a):
        return 1 / (1 + np.exp(-a))
    i_r, i_z, i_n = np.split(X @ weights["i2h_weight"].T + weights["i2h_bias"], 3, axis=1)
    W_hr, W_hz, W_hn = np.split(weights["h2h_weight"], 3)
    b_hr, b_hz, b_hn = np.split(weights["h2h_bias"], 3)
    r, z = sigmoid(i_r + H @ W_hr.T + b_hr), sigmoid(i_z + H @ W_hz.T + b_hz)
    n = np.tanh(i_n + (r * H) @ W_hn.T + b_hn)
    return (1 - z) * n + z * H


@exercise("ch06.gru_step", 3,
          "Rows of the weights are stacked (r, z, n); split X W_i^T + b_i and H W_h^T + b_h into 3 parts each; "
          "r multiplies the hidden part of n: tanh(i_n + r * g_n).")
def test_gru_step(student, rng):
    batch, h, weights, X = _cell_problem(rng, 3)
    arguments = [nd(weights[name]) for name in WEIGHT_NAMES]
    starts = (("from H = 0", np.zeros((batch, h)), 1), ("from a random H", rng.normal(size=(batch, h)), 2))
    for name, H, points in starts:
        with checkpoint(f"one step {name}", points):
            got = student.call("gru_step", nd(X), nd(H), *arguments)
            outputs, _ = gluon_run(rnn.GRU, weights, X[None], [H[None]])
            swapped, _ = gluon_run(rnn.GRU, permuted(weights, 3, [1, 0, 2]), X[None], [H[None]])
            _assert_matches(got, outputs[0], f"H after one GRU step {name} (reference: gluon rnn.GRU, your weights)",
                            [("reading the gate rows as (z, r, n) instead of Gluon's (r, z, n)", swapped[0]),
                             ("the book's reset r * H before the product (Gluon resets H W_hn^T + b_hn)",
                              _gru_book_reset(X, H, weights))])


@exercise("ch06.lstm_step", 3,
          "Rows of the weights are stacked (i, f, c, o); split the sum of both products and biases into 4 parts; "
          "C = f * C + i * tanh(a_c), H = o * tanh(C).")
def test_lstm_step(student, rng):
    batch, h, weights, X = _cell_problem(rng, 4)
    H, C = rng.normal(size=(batch, h)), rng.normal(size=(batch, h))
    got = student.call("lstm_step", nd(X), nd(H), nd(C), *[nd(weights[name]) for name in WEIGHT_NAMES])
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        raise AssertionError("lstm_step must return the pair (H_new, C_new)")
    _, (H_new, C_new) = gluon_run(rnn.LSTM, weights, X[None], [H[None], C[None]])
    _, (H_book, C_book) = gluon_run(rnn.LSTM, permuted(weights, 4, [0, 1, 3, 2]), X[None], [H[None], C[None]])
    mix_up = "reading the gate rows in the order (i, f, o, c) instead of Gluon's (i, f, c, o)"
    with checkpoint("C_new", 1):
        _assert_matches(got[1], C_new[0], "C after one LSTM step (reference: gluon rnn.LSTM)", [(mix_up, C_book[0])])
    with checkpoint("H_new", 2):
        _assert_matches(got[0], H_new[0], "H after one LSTM step (reference: gluon rnn.LSTM)", [(mix_up, H_book[0])])


# ---- 6.9, 6.10 deep and bidirectional layers -------------------------------------------------

@exercise("ch06.rnn_param_count", 3,
          "Per layer and direction: gates * (h * (layer input + h) + 2 * h); a layer above the first gets "
          "h inputs, or 2 * h when the layer below is bidirectional.")
def test_rnn_param_count(student, rng):
    cases = [
        ("one layer, one direction", 1, [(mode, 1, False) for mode in LAYERS]),
        ("several layers", 1, [(str(rng.choice(list(LAYERS))), int(rng.integers(2, 5)), False)]),
        ("bidirectional, one and several layers", 1,
         [(str(rng.choice(list(LAYERS))), 1, True), (str(rng.choice(list(LAYERS))), int(rng.integers(2, 5)), True)]),
    ]
    for name, points, layers in cases:
        with checkpoint(name, points):
            for mode, num_layers, bidirectional in layers:
                input_size, hidden = int(rng.integers(5, 300)), int(rng.integers(4, 300))
                got = student.call("rnn_param_count", mode, input_size, hidden, num_layers, bidirectional)
                layer = LAYERS[mode](hidden, num_layers=num_layers, bidirectional=bidirectional, input_size=input_size)
                assert_equal(got, _layer_size(layer), what=f"rnn_param_count({mode!r}, {input_size}, {hidden}, "
                                                           f"num_layers={num_layers}, bidirectional={bidirectional})")
