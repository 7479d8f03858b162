"""set_seed makes Python, numpy and mxnet draws repeat."""
import random

import mxnet as mx
import numpy as np
import pytest
from mxnet import gluon, init

import d2lzh as d2l
from d2lzh.seeding import set_seed


def draws():
    """One draw from each generator the book's code uses, plus a fresh layer's initial weights."""
    net = gluon.nn.Dense(3, in_units=4)
    net.initialize(init.Normal(0.1))
    return (random.random(), np.random.rand(3).tolist(), mx.nd.random.uniform(shape=(3,)).asnumpy().tolist(),
            net.weight.data().asnumpy().tolist())


def test_set_seed_repeats_every_generator():
    set_seed(42)
    first = draws()
    set_seed(42)
    assert draws() == first
    set_seed(43)
    other = draws()
    assert all(a != b for a, b in zip(first, other))


def test_set_seed_is_exported():
    assert d2l.set_seed is set_seed


@pytest.mark.parametrize("bad", [-1, 2 ** 32, 1.5, "7", True])
def test_set_seed_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="seed must be an integer"):
        set_seed(bad)
