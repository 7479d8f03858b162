"""Chapter 6, Recurrent neural networks: model solutions (same names as exercises/ch06_rnn.py)."""
import math

from mxnet import nd

# ---------------------------------------------------------------------------------------------
# 6.3 Language model data sets (lyrics)
# ---------------------------------------------------------------------------------------------


# Exercise 6.3.1
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
def grad_clipping(params, theta, ctx):
    """Rescale all gradients together so that their global L2 norm is at most theta."""
    norm = nd.array([0], ctx)
    for param in params:
        norm += (param.grad ** 2).sum()
    norm = norm.sqrt().asscalar()
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm


# Exercise 6.4.3: perplexity of (uniform over 1027 characters, true-class probabilities
# 0.5, 0.25 and 1.0, a perfect model).
PERPLEXITIES = (1027.0, math.exp(-(math.log(0.5) + math.log(0.25) + math.log(1.0)) / 3), 1.0)

# Exercise 6.4.4: why detach the hidden state between consecutive batches?
DETACH_REASON = "a"

# ---------------------------------------------------------------------------------------------
# 6.5 Concise implementation of recurrent neural networks
# ---------------------------------------------------------------------------------------------

# Exercise 6.5.1: parameters of gluon rnn.RNN(256), rnn.GRU(256), rnn.LSTM(256) with input size 1027.
GLUON_RNN_PARAM_COUNTS = tuple(gates * (256 * 1027 + 256 * 256 + 2 * 256) for gates in (1, 3, 4))
