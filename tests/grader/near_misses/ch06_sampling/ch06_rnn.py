"""Near misses in sampling and the from-scratch RNN's helpers: each is one plausible slip away from right."""
import random

from mxnet import nd

from solved_ch06_rnn import *  # noqa: F401,F403


def data_iter_random(corpus_indices, batch_size, num_steps, ctx=None):
    """Windows at random offsets instead of at multiples of num_steps: they overlap and repeat."""
    for _ in range((len(corpus_indices) - 1) // num_steps // batch_size):
        starts = [random.randrange(len(corpus_indices) - num_steps) for _ in range(batch_size)]
        X = nd.array([corpus_indices[s:s + num_steps] for s in starts], ctx=ctx)
        Y = nd.array([corpus_indices[s + 1:s + num_steps + 1] for s in starts], ctx=ctx)
        yield X, Y


def data_iter_consecutive(corpus_indices, batch_size, num_steps, ctx=None):
    """Off by one: batch_len // num_steps batches, one too many when no column is left for the last Y."""
    corpus_indices = nd.array(corpus_indices, ctx=ctx)
    batch_len = len(corpus_indices) // batch_size
    indices = corpus_indices[0:batch_size * batch_len].reshape((batch_size, batch_len))
    for start in range(0, batch_len // num_steps * num_steps, num_steps):
        yield indices[:, start:start + num_steps], indices[:, start + 1:start + num_steps + 1]


def to_onehot(X, size):
    """Iterates over the rows (examples) of X instead of its columns (time steps)."""
    return [nd.one_hot(x, size) for x in X]


def grad_clipping(params, theta, ctx):
    """Clips each parameter's gradient to norm theta on its own instead of their global norm."""
    for param in params:
        norm = param.grad.norm().asscalar()
        if norm > theta:
            param.grad[:] *= theta / norm


def perplexity(probs, labels):
    """Averages the probabilities before the log instead of averaging the log-probabilities."""
    return 1 / nd.pick(probs, labels).mean().asscalar()


def detach_state(state):
    """Calls s.detach() but throws away the detached copies it returns: the state stays in the graph."""
    if isinstance(state, nd.NDArray):
        state.detach()
        return state
    for s in state:
        s.detach()
    return state

