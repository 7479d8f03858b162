"""Training and sampling character-level RNNs, from scratch (rnn-scratch.md) and with gluon (rnn-gluon.md).

The two training loops share one epoch loop and one report. Unlike 1.0.0 they never copy a loss
or a gradient norm to the host inside an epoch: the loss sum stays on the device and is read once
per epoch (for the perplexity), and gradient clipping scales on the device, so Python keeps
queueing work while the backend computes.
"""
import math
import time

from mxnet import autograd, gluon, init, nd
from mxnet.gluon import loss as gloss

from .data.sequences import data_iter_consecutive, data_iter_random
from .devices import check_context


def to_onehot(X, size):
    """List over the time steps (columns of X, shape (batch, steps)) of one-hot (batch, size) arrays."""
    if X.ndim == 1:  # 1.0.0 treats a vector as one example of len(X) steps
        X = X.reshape((1, -1))
    steps = nd.one_hot(X.T, size)
    if X.shape[1] == 1:
        return [steps[0]]
    return nd.split(steps, num_outputs=X.shape[1], axis=0, squeeze_axis=True)


def grad_clipping(params, theta, ctx):
    """Scale the grads of ``params`` in place so their global L2 norm is at most ``theta`` (None: no-op).

    The factor min(1, theta / norm) is computed on the device, so this never waits for the backend.
    ``ctx`` is kept for 1.0.0 compatibility; the grads' own context is used.
    """
    if theta is None:
        return
    grads = [param.grad for param in params]
    norm = nd.sqrt(nd.multi_sum_sq(*grads, num_arrays=len(grads)).sum())
    scale = nd.minimum(theta / norm, 1.0)
    for grad in grads:
        nd.broadcast_mul(grad, scale, out=grad)


def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state, num_hiddens, vocab_size, ctx,
                idx_to_char, char_to_idx):
    """``prefix`` followed by ``num_chars`` greedily generated characters, with a from-scratch ``rnn``."""
    state = init_rnn_state(1, num_hiddens, check_context(ctx))

    def step(index, state):
        (Y,), state = rnn(to_onehot(nd.array([index], ctx=ctx), vocab_size), state, params)
        return Y, state
    return _generate(prefix, num_chars, step, state, idx_to_char, char_to_idx)


def predict_rnn_gluon(prefix, num_chars, model, vocab_size, ctx, idx_to_char, char_to_idx):
    """``prefix`` followed by ``num_chars`` greedily generated characters, with an RNNModel."""
    state = model.begin_state(batch_size=1, ctx=check_context(ctx))

    def step(index, state):
        return model(nd.array([[index]], ctx=ctx), state)
    return _generate(prefix, num_chars, step, state, idx_to_char, char_to_idx)


def _generate(prefix, num_chars, step, state, idx_to_char, char_to_idx):
    """Feed the prefix through ``step(index, state) -> (scores, state)``, then extend it greedily."""
    unknown = [char for char in prefix if char not in char_to_idx]
    if not prefix or unknown:
        raise ValueError("the prefix must be non-empty and use only vocabulary characters; %r is not in"
                         " char_to_idx" % (unknown[0] if unknown else prefix))
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        Y, state = step(output[-1], state)
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y.argmax(axis=1).asscalar()))  # greedy decoding needs each choice
    return "".join(idx_to_char[i] for i in output)


def train_and_predict_rnn(rnn, get_params, init_rnn_state, num_hiddens, vocab_size, ctx, corpus_indices,
                          idx_to_char, char_to_idx, is_random_iter, num_epochs, num_steps, lr,
                          clipping_theta, batch_size, pred_period, pred_len, prefixes):
    """Train a from-scratch RNN with SGD and clipping; print perplexity and samples every pred_period epochs.

    Returns the perplexity of every epoch (an addition to 1.0.0, which returned None).
    """
    check_context(ctx)
    params = get_params()

    def forward(X, state):
        outputs, state = rnn(to_onehot(X, vocab_size), state, params)
        return nd.concat(*outputs, dim=0), state

    def update():
        for param in params:  # sgd(params, lr, 1) of 1.0.0, one fused op per parameter
            nd.sgd_update(param, param.grad, lr=lr, out=param)

    def run_epoch():
        batches = (data_iter_random if is_random_iter else data_iter_consecutive)(
            corpus_indices, batch_size, num_steps, ctx)
        return _run_epoch(batches, forward, lambda: init_rnn_state(batch_size, num_hiddens, ctx),
                          is_random_iter, lambda: params, clipping_theta, update, ctx)

    def predict(prefix):
        return predict_rnn(prefix, pred_len, rnn, params, init_rnn_state, num_hiddens, vocab_size, ctx,
                           idx_to_char, char_to_idx)
    return _train_epochs(num_epochs, run_epoch, pred_period, prefixes, predict)


def train_and_predict_rnn_gluon(model, num_hiddens, vocab_size, ctx, corpus_indices, idx_to_char, char_to_idx,
                                num_epochs, num_steps, lr, clipping_theta, batch_size, pred_period, pred_len,
                                prefixes):
    """Train an RNNModel (re-initialised with Normal(0.01)) on consecutive batches; report like the scratch loop.

    Returns the perplexity of every epoch (an addition to 1.0.0, which returned None).
    """
    check_context(ctx)
    model.initialize(ctx=ctx, force_reinit=True, init=init.Normal(0.01))
    trainer = gluon.Trainer(model.collect_params(), "sgd", {"learning_rate": lr, "momentum": 0, "wd": 0})
    params = []

    def model_params():
        if not params:  # shapes are known only after the first forward pass
            params.extend(p.data(ctx) for p in model.collect_params().values())
        return params

    def run_epoch():
        batches = data_iter_consecutive(corpus_indices, batch_size, num_steps, ctx)
        return _run_epoch(batches, model, lambda: model.begin_state(batch_size=batch_size, ctx=ctx),
                          False, model_params, clipping_theta, lambda: trainer.step(1), ctx)

    def predict(prefix):
        return predict_rnn_gluon(prefix, pred_len, model, vocab_size, ctx, idx_to_char, char_to_idx)
    return _train_epochs(num_epochs, run_epoch, pred_period, prefixes, predict)


def _run_epoch(batches, forward, begin_state, fresh_state, get_params, clipping_theta, update, ctx):
    """One pass over ``batches``: mean cross-entropy, backward, clipping, ``update()``.

    The state starts fresh per batch if ``fresh_state`` (random sampling), else once per epoch and is
    detached between batches. Returns (sum of the batch losses on the device, number of batches).
    """
    loss = gloss.SoftmaxCrossEntropyLoss()
    total, count, state = nd.zeros((1,), ctx=ctx), 0, None
    for X, Y in batches:
        state = begin_state() if fresh_state or state is None else _detach(state)
        with autograd.record():
            outputs, state = forward(X, state)
            batch_loss = loss(outputs, Y.T.reshape((-1,))).mean()
        batch_loss.backward()
        grad_clipping(get_params(), clipping_theta, ctx)
        update()
        total += batch_loss
        count += 1
    return total, count


def _detach(state):
    """The state cut from the previous batch's graph, so gradients stop at the batch boundary."""
    if isinstance(state, nd.NDArray):
        return state.detach()
    detached = [s.detach() for s in state]
    return detached if isinstance(state, list) else tuple(detached)


def _train_epochs(num_epochs, run_epoch, pred_period, prefixes, predict):
    """Run the epochs, reading the loss once per epoch; print the book's report every pred_period epochs."""
    history = []
    for epoch in range(num_epochs):
        start = time.time()
        total, count = run_epoch()
        if count == 0:
            raise ValueError("the corpus is too short for one batch: it needs more than batch_size * num_steps"
                             " characters (consecutive sampling: batch_size * (num_steps + 1))")
        history.append(math.exp(total.asscalar() / count))
        if (epoch + 1) % pred_period == 0:
            print("epoch %d, perplexity %f, time %.2f sec" % (epoch + 1, history[-1], time.time() - start))
            for prefix in prefixes:
                print(" -", predict(prefix))
    return history
