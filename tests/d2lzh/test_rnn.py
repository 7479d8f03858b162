"""to_onehot, grad_clipping, greedy prediction and the two RNN training loops on a tiny corpus."""
import re

import mxnet as mx
import numpy as np
import pytest
from mxnet import nd
from mxnet.gluon import rnn as grnn

from d2lzh import rnn
from d2lzh.data.text import index_chars
from d2lzh.devices import DeviceUnavailableError, num_gpus
from d2lzh.models import RNNModel

CTX = mx.cpu()
EPOCH_LINE = re.compile(r"^epoch \d+, perplexity \d+\.\d{6}, time \d+\.\d{2} sec$")
no_gpu = pytest.mark.skipif(num_gpus() > 0, reason="this machine has a GPU")


@pytest.fixture
def corpus():
    """A tiny, very predictable corpus: (corpus_indices, char_to_idx, idx_to_char, vocab_size)."""
    return index_chars("the quick brown fox jumps over the lazy dog. " * 24)


def scratch_rnn(vocab_size, num_hiddens):
    """The book's from-scratch tanh RNN: (get_params, init_rnn_state, rnn)."""
    def get_params():
        shapes = [(vocab_size, num_hiddens), (num_hiddens, num_hiddens), (num_hiddens,),
                  (num_hiddens, vocab_size), (vocab_size,)]
        params = [nd.random.normal(scale=0.01, shape=s, ctx=CTX) if len(s) == 2 else nd.zeros(s, ctx=CTX)
                  for s in shapes]
        for param in params:
            param.attach_grad()
        return params

    def init_rnn_state(batch_size, num_hiddens, ctx):
        return (nd.zeros((batch_size, num_hiddens), ctx=ctx),)

    def step(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)
            outputs.append(nd.dot(H, W_hq) + b_q)
        return outputs, (H,)
    return get_params, init_rnn_state, step


def with_grads(*grads):
    """Parameters whose .grad holds the given values."""
    params = [nd.zeros(np.shape(g)) for g in grads]
    for param, grad in zip(params, grads):
        param.attach_grad()
        param.grad[:] = nd.array(grad)
    return params


def forbid_host_sync(monkeypatch):
    """Make every NDArray -> host copy or wait raise, so a test proves a function never syncs."""
    def refuse(*args, **kwargs):
        raise AssertionError("host sync")
    for name in ("asnumpy", "asscalar", "wait_to_read"):
        monkeypatch.setattr(nd.NDArray, name, refuse)
    monkeypatch.setattr(nd, "waitall", refuse)


def test_to_onehot_gives_one_array_per_time_step():
    X = nd.array([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]])
    steps = rnn.to_onehot(X, 12)
    assert len(steps) == 5
    for t, step in enumerate(steps):
        assert step.shape == (2, 12)
        np.testing.assert_array_equal(step.asnumpy(), nd.one_hot(X[:, t], 12).asnumpy())
    single = rnn.to_onehot(nd.array([[3], [1]]), 4)
    assert len(single) == 1 and single[0].asnumpy().tolist() == [[0, 0, 0, 1], [0, 1, 0, 0]]
    assert [s.shape for s in rnn.to_onehot(nd.array([2, 0, 1]), 3)] == [(1, 3)] * 3  # a vector: batch of one


@pytest.mark.parametrize("theta,expected", [(1, ([0.6, 0], [[0.8]])), (5, ([3, 0], [[4]])),
                                            (None, ([3, 0], [[4]]))])
def test_grad_clipping_scales_by_the_global_norm(theta, expected):
    params = with_grads([3, 0], [[4]])
    rnn.grad_clipping(params, theta, CTX)
    for param, want in zip(params, expected):
        np.testing.assert_allclose(param.grad.asnumpy(), want, rtol=1e-6)


def test_grad_clipping_leaves_a_norm_of_theta_and_keeps_directions():
    rng = np.random.RandomState(0)
    grads = [rng.randn(4, 3) * 10, rng.randn(3), rng.randn(2, 2, 2)]
    params = with_grads(*grads)
    rnn.grad_clipping(params, 2.5, CTX)
    clipped = [p.grad.asnumpy() for p in params]
    assert np.sqrt(sum((c ** 2).sum() for c in clipped)) == pytest.approx(2.5, rel=1e-5)
    scale = 2.5 / np.sqrt(sum((g ** 2).sum() for g in grads))
    for c, g in zip(clipped, grads):
        np.testing.assert_allclose(c, g * scale, rtol=1e-5)


def test_grad_clipping_never_waits_for_the_device(monkeypatch):
    params = with_grads([3, 0], [[4]])
    forbid_host_sync(monkeypatch)
    rnn.grad_clipping(params, 1, CTX)
    monkeypatch.undo()
    assert params[0].grad.asnumpy().tolist() == pytest.approx([0.6, 0])


def test_predict_rnn_extends_the_prefix(corpus):
    _, char_to_idx, idx_to_char, vocab_size = corpus
    get_params, init_rnn_state, step = scratch_rnn(vocab_size, 8)
    text = rnn.predict_rnn("the", 10, step, get_params(), init_rnn_state, 8, vocab_size, CTX, idx_to_char,
                           char_to_idx)
    assert isinstance(text, str) and text.startswith("the") and len(text) == 13
    assert set(text) <= set(idx_to_char)
    with pytest.raises(ValueError, match="'Z'"):
        rnn.predict_rnn("tZ", 3, step, get_params(), init_rnn_state, 8, vocab_size, CTX, idx_to_char,
                        char_to_idx)


def test_predict_rnn_gluon_extends_the_prefix(corpus):
    _, char_to_idx, idx_to_char, vocab_size = corpus
    model = RNNModel(grnn.RNN(8), vocab_size)
    model.initialize(ctx=CTX)
    text = rnn.predict_rnn_gluon("fox", 6, model, vocab_size, CTX, idx_to_char, char_to_idx)
    assert text.startswith("fox") and len(text) == 9


def check_report(printed, num_epochs, pred_period, prefixes):
    """The book's report: an epoch line every pred_period epochs, then ' - <sample>' per prefix."""
    lines = printed.splitlines()
    reports = num_epochs // pred_period
    assert len(lines) == reports * (1 + len(prefixes))
    for r in range(reports):
        block = lines[r * (1 + len(prefixes)):(r + 1) * (1 + len(prefixes))]
        assert EPOCH_LINE.match(block[0]) and block[0].startswith("epoch %d," % ((r + 1) * pred_period))
        for prefix, line in zip(prefixes, block[1:]):
            assert line.startswith(" - " + prefix)


@pytest.mark.parametrize("is_random_iter", [True, False])
def test_train_and_predict_rnn_learns_and_reports_like_the_book(corpus, capsys, is_random_iter):
    corpus_indices, char_to_idx, idx_to_char, vocab_size = corpus
    get_params, init_rnn_state, step = scratch_rnn(vocab_size, 32)
    mx.random.seed(0)
    history = rnn.train_and_predict_rnn(
        step, get_params, init_rnn_state, 32, vocab_size, CTX, corpus_indices, idx_to_char, char_to_idx,
        is_random_iter, 4, 8, 1e2, 1e-2, 8, 2, 5, ["the", "fox"])
    assert len(history) == 4 and history[-1] < history[0] < vocab_size * 1.5
    check_report(capsys.readouterr().out, 4, 2, ["the", "fox"])


def test_train_and_predict_rnn_gluon_learns_and_reports_like_the_book(corpus, capsys):
    corpus_indices, char_to_idx, idx_to_char, vocab_size = corpus
    model = RNNModel(grnn.RNN(32), vocab_size)
    mx.random.seed(0)
    history = rnn.train_and_predict_rnn_gluon(
        model, 32, vocab_size, CTX, corpus_indices, idx_to_char, char_to_idx, 3, 8, 1e2, 1e-2, 8, 1, 4, ["the"])
    assert len(history) == 3 and history[-1] < history[0]
    check_report(capsys.readouterr().out, 3, 1, ["the"])


def test_training_reads_the_loss_once_per_epoch(corpus, monkeypatch):
    corpus_indices, char_to_idx, idx_to_char, vocab_size = corpus
    get_params, init_rnn_state, step = scratch_rnn(vocab_size, 8)
    reads = []
    original = nd.NDArray.asnumpy
    monkeypatch.setattr(nd.NDArray, "asnumpy", lambda self: reads.append(1) or original(self))
    rnn.train_and_predict_rnn(step, get_params, init_rnn_state, 8, vocab_size, CTX, corpus_indices,
                              idx_to_char, char_to_idx, False, 3, 5, 1.0, 1.0, 4, 10, 5, ["the"])
    assert len(reads) == 3  # 3 epochs of many batches, no report (pred_period 10)


def test_too_short_corpus_is_a_clear_error(corpus):
    _, char_to_idx, idx_to_char, vocab_size = corpus
    get_params, init_rnn_state, step = scratch_rnn(vocab_size, 4)
    with pytest.raises(ValueError, match="too short"):
        rnn.train_and_predict_rnn(step, get_params, init_rnn_state, 4, vocab_size, CTX, [0, 1, 2], idx_to_char,
                                  char_to_idx, False, 1, 5, 1.0, None, 2, 1, 1, [])


@no_gpu
def test_gpu_context_gives_the_clear_device_error(corpus):
    corpus_indices, char_to_idx, idx_to_char, vocab_size = corpus
    get_params, init_rnn_state, step = scratch_rnn(vocab_size, 4)
    with pytest.raises(DeviceUnavailableError, match="gpu"):
        rnn.train_and_predict_rnn(step, get_params, init_rnn_state, 4, vocab_size, mx.gpu(0), corpus_indices,
                                  idx_to_char, char_to_idx, True, 1, 5, 1.0, None, 2, 1, 1, [])
    with pytest.raises(DeviceUnavailableError):
        rnn.train_and_predict_rnn_gluon(RNNModel(grnn.RNN(4), vocab_size), 4, vocab_size, mx.gpu(0),
                                        corpus_indices, idx_to_char, char_to_idx, 1, 5, 1.0, None, 2, 1, 1, [])
    with pytest.raises(DeviceUnavailableError):
        rnn.predict_rnn("t", 2, step, get_params(), init_rnn_state, 4, vocab_size, mx.gpu(0), idx_to_char,
                        char_to_idx)
