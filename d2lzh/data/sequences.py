"""Minibatches of (X, Y) windows from a corpus of indices, where Y is X shifted by one step.

Both samplers follow the book exactly (same windows, same order for the same ``random`` seed) but
gather each batch with one numpy fancy index or one slice instead of Python loops over characters.
"""
import random

import mxnet as mx
import numpy as np
from mxnet import nd

from ..devices import check_context


def data_iter_random(corpus_indices, batch_size, num_steps, ctx=None):
    """Random sampling: non-overlapping windows in a shuffled order (Python ``random``, so set_seed replays it)."""
    ctx = _checked(ctx)
    corpus = _as_numpy(corpus_indices)
    num_examples = (len(corpus) - 1) // num_steps
    example_indices = list(range(num_examples))
    random.shuffle(example_indices)
    offsets = np.arange(num_steps)
    for i in range(0, num_examples // batch_size * batch_size, batch_size):
        starts = np.array(example_indices[i:i + batch_size]) * num_steps
        windows = starts[:, None] + offsets
        yield nd.array(corpus[windows], ctx=ctx), nd.array(corpus[windows + 1], ctx=ctx)


def data_iter_consecutive(corpus_indices, batch_size, num_steps, ctx=None):
    """Consecutive sampling: the corpus as (batch_size, batch_len) rows, read left to right in num_steps slices."""
    ctx = _checked(ctx)
    corpus = _as_numpy(corpus_indices)
    batch_len = len(corpus) // batch_size
    rows = nd.array(corpus[:batch_size * batch_len].reshape((batch_size, batch_len)), ctx=ctx)
    for start in range(0, (batch_len - 1) // num_steps * num_steps, num_steps):
        yield (nd.slice_axis(rows, axis=1, begin=start, end=start + num_steps),
               nd.slice_axis(rows, axis=1, begin=start + 1, end=start + num_steps + 1))


def _as_numpy(corpus_indices):
    """The corpus (a list, numpy array or NDArray of indices) as a numpy array."""
    if isinstance(corpus_indices, nd.NDArray):
        return corpus_indices.asnumpy()
    return np.asarray(corpus_indices)


def _checked(ctx):
    """``ctx`` (None: the current default context, as nd.array uses) after checking that it exists."""
    return check_context(mx.context.current_context() if ctx is None else ctx)
