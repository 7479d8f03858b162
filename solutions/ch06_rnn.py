"""Chapter 6, Recurrent neural networks: model solutions (same names as exercises/ch06_rnn.py)."""
import math
import random

from mxnet import autograd, gluon, init, nd
from mxnet.gluon import loss as gloss
from mxnet.gluon import rnn as grnn

import d2lzh as d2l

# ---------------------------------------------------------------------------------------------
# 6.3 Language model data sets (lyrics)
# ---------------------------------------------------------------------------------------------


# Exercise 6.3.1
def data_iter_random(corpus_indices, batch_size, num_steps, ctx=None):
    """Yield (X, Y) batches of shuffled non-overlapping windows; Y is X shifted by one step."""
    num_examples = (len(corpus_indices) - 1) // num_steps
    example_indices = list(range(num_examples))
    random.shuffle(example_indices)

    def window(start):
        return corpus_indices[start:start + num_steps]

    for i in range(0, num_examples // batch_size * batch_size, batch_size):
        starts = [j * num_steps for j in example_indices[i:i + batch_size]]
        X = nd.array([window(start) for start in starts], ctx=ctx)
        Y = nd.array([window(start + 1) for start in starts], ctx=ctx)
        yield X, Y


# Exercise 6.3.2
def data_iter_consecutive(corpus_indices, batch_size, num_steps, ctx=None):
    """Yield (X, Y) batches of num_steps consecutive indices; Y is X shifted by one step."""
    corpus_indices = nd.array(corpus_indices, ctx=ctx)
    batch_len = len(corpus_indices) // batch_size
    indices = corpus_indices[0:batch_size * batch_len].reshape((batch_size, batch_len))
    for start in range(0, (batch_len - 1) // num_steps * num_steps, num_steps):
        X = indices[:, start:start + num_steps]
        Y = indices[:, start + 1:start + num_steps + 1]
        yield X, Y


# ---------------------------------------------------------------------------------------------
# 6.4 Implementation of a recurrent neural network from scratch
# ---------------------------------------------------------------------------------------------


# Exercise 6.4.1
def to_onehot(X, size):
    """One one-hot (batch, size) array per time step of the (batch, num_steps) index array X."""
    return [nd.one_hot(x, size) for x in X.T]


# Exercise 6.4.2
def rnn(inputs, state, params):
    """The book's tanh RNN: one output per time step, and the final state (H,)."""
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)
        outputs.append(nd.dot(H, W_hq) + b_q)
    return outputs, (H,)


# Exercise 6.4.3
def grad_clipping(params, theta, ctx):
    """Rescale all gradients together so that their global L2 norm is at most theta."""
    norm = nd.array([0], ctx)
    for param in params:
        norm += (param.grad ** 2).sum()
    norm = norm.sqrt().asscalar()
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm


# Exercise 6.4.4
def perplexity(probs, labels):
    """exp of the mean negative log-probability of the true tokens."""
    return math.exp(-nd.pick(probs, labels).log().mean().asscalar())


# Exercise 6.4.5: perplexity of (uniform over 1027 characters, true-class probabilities
# 0.5, 0.25 and 1.0, a perfect model).
PERPLEXITIES = (1027.0, math.exp(-(math.log(0.5) + math.log(0.25) + math.log(1.0)) / 3), 1.0)


# Exercise 6.4.6
def detach_state(state):
    """The state (an NDArray, or a list or tuple of them) cut from the graph, in the same form."""
    if isinstance(state, nd.NDArray):
        return state.detach()
    return type(state)(s.detach() for s in state)


# Exercise 6.4.7: why detach the hidden state between consecutive batches?
DETACH_REASON = "a"

# ---------------------------------------------------------------------------------------------
# 6.5 Concise implementation of recurrent neural networks
# ---------------------------------------------------------------------------------------------

# Exercise 6.5.1: parameters of gluon rnn.RNN(256), rnn.GRU(256), rnn.LSTM(256) with input size 1027.
GLUON_RNN_PARAM_COUNTS = tuple(gates * (256 * 1027 + 256 * 256 + 2 * 256) for gates in (1, 3, 4))


# Exercise 6.5.2
def train_language_model(corpus_indices, vocab_size, ctx):
    """A GRU language model trained with Adam on random windows, with gradient clipping."""
    batch_size, num_steps, num_epochs = 16, 20, 8
    model = d2l.RNNModel(grnn.GRU(64), vocab_size)
    model.initialize(ctx=ctx, init=init.Xavier())
    trainer = gluon.Trainer(model.collect_params(), "adam", {"learning_rate": 0.01})
    loss = gloss.SoftmaxCrossEntropyLoss()
    for _ in range(num_epochs):
        for X, Y in data_iter_random(corpus_indices, batch_size, num_steps, ctx):
            state = model.begin_state(batch_size=batch_size, ctx=ctx)
            with autograd.record():
                outputs, state = model(X, state)
                batch_loss = loss(outputs, Y.T.reshape((-1,))).mean()
            batch_loss.backward()
            grad_clipping([p.data(ctx) for p in model.collect_params().values()], 1.0, ctx)
            trainer.step(1)
    return model

# ---------------------------------------------------------------------------------------------
# 6.7 Gated recurrent units (GRU)
# ---------------------------------------------------------------------------------------------


# Exercise 6.7.1
def gru_step(X, H, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
    """One step of gluon's GRU: gates in the order (reset, update, candidate), reset after the product."""
    i_r, i_z, i_n = nd.split(nd.dot(X, i2h_weight.T) + i2h_bias, num_outputs=3, axis=1)
    g_r, g_z, g_n = nd.split(nd.dot(H, h2h_weight.T) + h2h_bias, num_outputs=3, axis=1)
    r = nd.sigmoid(i_r + g_r)
    z = nd.sigmoid(i_z + g_z)
    n = nd.tanh(i_n + r * g_n)
    return (1 - z) * n + z * H

# ---------------------------------------------------------------------------------------------
# 6.8 Long short-term memory (LSTM)
# ---------------------------------------------------------------------------------------------


# Exercise 6.8.1
def lstm_step(X, H, C, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
    """One step of gluon's LSTM: gates in the order (input, forget, candidate cell, output)."""
    gates = nd.dot(X, i2h_weight.T) + i2h_bias + nd.dot(H, h2h_weight.T) + h2h_bias
    a_i, a_f, a_c, a_o = nd.split(gates, num_outputs=4, axis=1)
    C = nd.sigmoid(a_f) * C + nd.sigmoid(a_i) * nd.tanh(a_c)
    return nd.sigmoid(a_o) * nd.tanh(C), C

# ---------------------------------------------------------------------------------------------
# 6.9 and 6.10 Deep and bidirectional recurrent neural networks
# ---------------------------------------------------------------------------------------------


# Exercise 6.10.1
def rnn_param_count(mode, input_size, num_hiddens, num_layers=1, bidirectional=False):
    """Parameters of gluon's rnn.RNN / GRU / LSTM: per layer and direction, gates * (h*(in + h) + 2h)."""
    gates = {"rnn": 1, "gru": 3, "lstm": 4}[mode]
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else directions * num_hiddens
        per_direction = gates * (num_hiddens * (layer_input + num_hiddens) + 2 * num_hiddens)
        total += directions * per_direction
    return total
