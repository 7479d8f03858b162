"""The two sequence samplers: the book's windows and order, batch counts, dtype and device."""
import random

import mxnet as mx
import numpy as np
import pytest

from d2lzh.data.sequences import data_iter_consecutive, data_iter_random
from d2lzh.devices import DeviceUnavailableError, num_gpus


def as_lists(batches):
    return [(X.asnumpy().tolist(), Y.asnumpy().tolist()) for X, Y in batches]


def book_random_windows(corpus, batch_size, num_steps):
    """The book's random sampler written plainly: shuffle example numbers, cut windows, Y shifted by one."""
    num_examples = (len(corpus) - 1) // num_steps
    order = list(range(num_examples))
    random.shuffle(order)
    for b in range(num_examples // batch_size):
        chosen = order[b * batch_size:(b + 1) * batch_size]
        yield ([list(corpus[j * num_steps:(j + 1) * num_steps]) for j in chosen],
               [list(corpus[j * num_steps + 1:(j + 1) * num_steps + 1]) for j in chosen])


def test_consecutive_matches_the_books_range_30_example():
    assert as_lists(data_iter_consecutive(list(range(30)), 2, 6)) == [
        ([[0, 1, 2, 3, 4, 5], [15, 16, 17, 18, 19, 20]], [[1, 2, 3, 4, 5, 6], [16, 17, 18, 19, 20, 21]]),
        ([[6, 7, 8, 9, 10, 11], [21, 22, 23, 24, 25, 26]], [[7, 8, 9, 10, 11, 12], [22, 23, 24, 25, 26, 27]]),
    ]


def test_corpus_may_be_a_numpy_array_or_an_ndarray():
    for corpus in (np.arange(30), mx.nd.arange(30)):
        assert as_lists(data_iter_consecutive(corpus, 2, 6)) == as_lists(data_iter_consecutive(list(range(30)), 2, 6))
        random.seed(3)
        ours = as_lists(data_iter_random(corpus, 2, 6))
        random.seed(3)
        assert ours == as_lists(data_iter_random(list(range(30)), 2, 6))


def test_random_uses_each_window_of_range_30_once():
    batches = as_lists(data_iter_random(list(range(30)), 2, 6))
    assert len(batches) == 2
    rows = [(x, y) for X, Y in batches for x, y in zip(X, Y)]
    assert sorted(x[0] for x, _ in rows) == [0, 6, 12, 18]
    for x, y in rows:
        assert x == list(range(int(x[0]), int(x[0]) + 6)) and y == [v + 1 for v in x]


@pytest.mark.parametrize("length,batch_size,num_steps,seed", [(30, 2, 6, 0), (101, 3, 5, 1), (500, 4, 7, 2)])
def test_random_replays_the_books_order_for_a_seed(length, batch_size, num_steps, seed):
    corpus = [(7 * i) % 23 for i in range(length)]
    random.seed(seed)
    ours = as_lists(data_iter_random(corpus, batch_size, num_steps))
    random.seed(seed)
    assert ours == [(X, Y) for X, Y in book_random_windows(corpus, batch_size, num_steps)]


@pytest.mark.parametrize("batch_size,num_steps,expected", [(32, 35, 8), (2, 35, 142)])
def test_batches_per_epoch_on_a_10000_char_corpus(batch_size, num_steps, expected):
    corpus = np.arange(10000) % 50
    assert sum(1 for _ in data_iter_random(corpus, batch_size, num_steps)) == expected
    assert sum(1 for _ in data_iter_consecutive(corpus, batch_size, num_steps)) == expected


def test_batches_are_float32_on_the_asked_context():
    for sampler in (data_iter_random, data_iter_consecutive):
        X, Y = next(sampler(np.arange(100), 2, 5, mx.cpu(0)))
        assert X.dtype == Y.dtype == np.float32
        assert X.context == Y.context == mx.cpu(0)
        assert X.shape == Y.shape == (2, 5)


@pytest.mark.skipif(num_gpus() > 0, reason="this machine has a GPU")
def test_missing_gpu_gives_the_clear_device_error():
    for sampler in (data_iter_random, data_iter_consecutive):
        with pytest.raises(DeviceUnavailableError, match="gpu"):
            next(sampler(list(range(30)), 2, 6, mx.gpu(0)))
