"""Seconds per epoch of d2lzh's RNN training loops against loops written the 1.0.0 way, in one run.

The 1.0.0 way copies the loss to the host after every batch (``l.asscalar()``) and reads the gradient
norm on the host in every clipping call; ours keeps both on the device and syncs once per epoch.
Both train the book's from-scratch RNN (and an RNNModel, unless --no-gluon) on the same synthetic
10,000-character corpus with the same seeds and the same batch sampler, taking turns.
Run: ``python bench/rnn.py [--epochs N] [--repeats N]``.

On a CPU these small matmuls dominate, so the gain depends on whether the Python thread has a core
to itself while the backend computes: compare with ``OMP_NUM_THREADS=1 python bench/rnn.py``.
"""
import argparse
import math
import os
import random
import sys
import time

import mxnet as mx
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import loss as gloss
from mxnet.gluon import rnn as grnn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import d2lzh as d2l  # noqa: E402
from d2lzh.data.text import index_chars  # noqa: E402

NUM_HIDDENS, NUM_STEPS, BATCH_SIZE, LR, THETA = 256, 35, 32, 1e2, 1e-2
CTX = mx.cpu()


def synthetic_corpus(num_chars=10000, vocab=300, seed=0):
    """Deterministic lyrics-like text: Zipf-distributed CJK characters in short space-separated lines."""
    rng = random.Random(seed)
    chars = [chr(0x4E00 + 7 * k) for k in range(vocab - 1)]
    weights = [1.0 / (rank + 1) for rank in range(len(chars))]
    text = []
    while len(text) < num_chars:
        text.extend(rng.choices(chars, weights, k=rng.randint(4, 12)) + [" "])
    return index_chars(text[:num_chars])


# The book's from-scratch RNN (rnn-scratch.md), as a user would define it.
def make_scratch_rnn(vocab_size):
    """(get_params, init_rnn_state, rnn) of the book's tanh RNN."""
    def get_params():
        def _one(shape):
            return nd.random.normal(scale=0.01, shape=shape, ctx=CTX)
        params = [_one((vocab_size, NUM_HIDDENS)), _one((NUM_HIDDENS, NUM_HIDDENS)), nd.zeros(NUM_HIDDENS, ctx=CTX),
                  _one((NUM_HIDDENS, vocab_size)), nd.zeros(vocab_size, ctx=CTX)]
        for param in params:
            param.attach_grad()
        return params

    def init_rnn_state(batch_size, num_hiddens, ctx):
        return (nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx),)

    def rnn(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)
            outputs.append(nd.dot(H, W_hq) + b_q)
        return outputs, (H,)
    return get_params, init_rnn_state, rnn


# Baseline: the loops as d2lzh 1.0.0 runs them (host sync per batch and per clipping call).
def old_to_onehot(X, size):
    return [nd.one_hot(x, size) for x in X.T]


def old_grad_clipping(params, theta, ctx):
    norm = nd.array([0], ctx)
    for param in params:
        norm += (param.grad ** 2).sum()
    norm = norm.sqrt().asscalar()
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm


def old_sgd(params, lr, batch_size):
    for param in params:
        param[:] = param - lr * param.grad / batch_size


def old_train_scratch(rnn, get_params, init_rnn_state, vocab_size, corpus_indices, num_epochs):
    params, loss = get_params(), gloss.SoftmaxCrossEntropyLoss()
    for _ in range(num_epochs):
        state = init_rnn_state(BATCH_SIZE, NUM_HIDDENS, CTX)
        l_sum, n = 0.0, 0
        for X, Y in d2l.data_iter_consecutive(corpus_indices, BATCH_SIZE, NUM_STEPS, CTX):
            state = tuple(s.detach() for s in state)
            with autograd.record():
                outputs, state = rnn(old_to_onehot(X, vocab_size), state, params)
                y = Y.T.reshape((-1,))
                l = loss(nd.concat(*outputs, dim=0), y).mean()
            l.backward()
            old_grad_clipping(params, THETA, CTX)
            old_sgd(params, LR, 1)
            l_sum += l.asscalar() * y.size
            n += y.size
        perplexity = math.exp(l_sum / n)
    return perplexity


def old_train_gluon(model, corpus_indices, num_epochs):
    loss = gloss.SoftmaxCrossEntropyLoss()
    model.initialize(ctx=CTX, force_reinit=True, init=init.Normal(0.01))
    trainer = gluon.Trainer(model.collect_params(), "sgd", {"learning_rate": LR, "momentum": 0, "wd": 0})
    for _ in range(num_epochs):
        l_sum, n = 0.0, 0
        state = model.begin_state(batch_size=BATCH_SIZE, ctx=CTX)
        for X, Y in d2l.data_iter_consecutive(corpus_indices, BATCH_SIZE, NUM_STEPS, CTX):
            state = [s.detach() for s in state]
            with autograd.record():
                output, state = model(X, state)
                y = Y.T.reshape((-1,))
                l = loss(output, y).mean()
            l.backward()
            old_grad_clipping([p.data() for p in model.collect_params().values()], THETA, CTX)
            trainer.step(1)
            l_sum += l.asscalar() * y.size
            n += y.size
        perplexity = math.exp(l_sum / n)
    return perplexity


def ours_scratch(rnn, get_params, init_rnn_state, vocab_size, corpus, num_epochs):
    """d2l.train_and_predict_rnn, consecutive sampling, no report; returns the last perplexity."""
    corpus_indices, char_to_idx, idx_to_char, _ = corpus
    return d2l.train_and_predict_rnn(
        rnn, get_params, init_rnn_state, NUM_HIDDENS, vocab_size, CTX, corpus_indices, idx_to_char, char_to_idx,
        False, num_epochs, NUM_STEPS, LR, THETA, BATCH_SIZE, num_epochs + 1, 0, [])[-1]


def ours_gluon(model, vocab_size, corpus, num_epochs):
    """d2l.train_and_predict_rnn_gluon, no report; returns the last perplexity."""
    corpus_indices, char_to_idx, idx_to_char, _ = corpus
    return d2l.train_and_predict_rnn_gluon(
        model, NUM_HIDDENS, vocab_size, CTX, corpus_indices, idx_to_char, char_to_idx, num_epochs, NUM_STEPS,
        LR, THETA, BATCH_SIZE, num_epochs + 1, 0, [])[-1]


def race(repeats, num_epochs, runs):
    """Best seconds per epoch of each seeded ``run()``, taking turns so load from other processes hits both."""
    best, perplexity = [float("inf")] * len(runs), [None] * len(runs)
    for _ in range(repeats):
        for i, run in enumerate(runs):
            d2l.set_seed(0)
            start = time.perf_counter()
            perplexity[i] = run()
            best[i] = min(best[i], (time.perf_counter() - start) / num_epochs)
    return best, perplexity


def breakdown(rnn, get_params, init_rnn_state, vocab_size, corpus_indices, repeats):
    """Milliseconds per epoch of each stage of a scratch batch, waiting after each, 1.0.0 helpers vs ours."""
    params, loss, spent = get_params(), gloss.SoftmaxCrossEntropyLoss(), {}

    def stage(name, work):
        nd.waitall()
        start = time.perf_counter()
        result = work()
        nd.waitall()
        spent[name] = spent.get(name, 0.0) + (time.perf_counter() - start) * 1000 / repeats
        return result
    for _ in range(repeats):
        state = init_rnn_state(BATCH_SIZE, NUM_HIDDENS, CTX)
        for X, Y in d2l.data_iter_consecutive(corpus_indices, BATCH_SIZE, NUM_STEPS, CTX):
            state = tuple(s.detach() for s in state)
            stage("to_onehot, 1.0.0", lambda: old_to_onehot(X, vocab_size))
            with autograd.record():
                inputs = stage("to_onehot, ours", lambda: d2l.to_onehot(X, vocab_size))
                outputs, state = stage("user rnn forward", lambda: rnn(inputs, state, params))
                l = stage("loss", lambda: loss(nd.concat(*outputs, dim=0), Y.T.reshape((-1,))).mean())
            stage("backward", l.backward)
            stage("grad_clipping, ours", lambda: d2l.grad_clipping(params, THETA, CTX))
            stage("grad_clipping, 1.0.0", lambda: old_grad_clipping(params, THETA, CTX))
            stage("sgd, 1.0.0", lambda: old_sgd(params, 0.0, 1))
            stage("sgd_update, ours", lambda: [nd.sgd_update(p, p.grad, lr=0.0, out=p) for p in params])
    for name, ms in spent.items():
        print("  %-22s %7.1f ms/epoch" % (name, ms))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-gluon", action="store_true", help="skip the RNNModel comparison")
    parser.add_argument("--breakdown", action="store_true", help="also time each stage of a scratch batch")
    args = parser.parse_args()
    corpus = synthetic_corpus()
    vocab_size = corpus[3]
    get_params, init_rnn_state, rnn = make_scratch_rnn(vocab_size)
    print("corpus: %d chars, vocab %d; hidden %d, steps %d, batch %d, %d epochs, best of %d; OMP_NUM_THREADS=%s"
          % (len(corpus[0]), vocab_size, NUM_HIDDENS, NUM_STEPS, BATCH_SIZE, args.epochs, args.repeats,
             os.environ.get("OMP_NUM_THREADS", "unset")))
    cases = [("scratch RNN",
              lambda: old_train_scratch(rnn, get_params, init_rnn_state, vocab_size, corpus[0], args.epochs),
              lambda: ours_scratch(rnn, get_params, init_rnn_state, vocab_size, corpus, args.epochs))]
    if not args.no_gluon:
        cases.append(("gluon RNNModel",
                      lambda: old_train_gluon(d2l.RNNModel(grnn.RNN(NUM_HIDDENS), vocab_size), corpus[0],
                                              args.epochs),
                      lambda: ours_gluon(d2l.RNNModel(grnn.RNN(NUM_HIDDENS), vocab_size), vocab_size, corpus,
                                         args.epochs)))
    for name, old, ours in cases:
        (t_old, t_ours), (p_old, p_ours) = race(args.repeats, args.epochs, [old, ours])
        print("%-15s 1.0.0 way %.3f s/epoch (perplexity %.2f) | d2lzh %.3f s/epoch (perplexity %.2f) | %.2fx"
              % (name, t_old, p_old, t_ours, p_ours, t_old / t_ours))
    if args.breakdown:
        print("scratch batch stages (synchronised after each, so no overlap):")
        breakdown(rnn, get_params, init_rnn_state, vocab_size, corpus[0], args.repeats)


if __name__ == "__main__":
    main()
