"""From-scratch blocks: values against numpy, in-place SGD, minibatch order, corr2d values and gradients."""
import random

import numpy as np
import pytest
from mxnet import autograd, nd

import d2lzh as d2l
from d2lzh import scratch


def corr2d_loop(X, K):
    """The book's definition, in numpy: one output cell at a time."""
    h, w = K.shape
    Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y


def test_names_are_exported():
    for name in ("data_iter", "linreg", "squared_loss", "sgd", "corr2d"):
        assert getattr(d2l, name) is getattr(scratch, name)


def test_linreg_matches_numpy():
    rng = np.random.RandomState(0)
    X, w, b = rng.randn(5, 3), rng.randn(3, 1), rng.randn(1)
    out = scratch.linreg(nd.array(X), nd.array(w), nd.array(b))
    assert out.shape == (5, 1)
    np.testing.assert_allclose(out.asnumpy(), X @ w + b, rtol=1e-5)


def test_squared_loss_is_half_squared_error_reshaped_without_reduction():
    y_hat = nd.array([[1.0], [2.0], [4.0]])
    y = nd.array([0.0, 2.0, 1.0])
    loss = scratch.squared_loss(y_hat, y)
    assert loss.shape == (3, 1)
    np.testing.assert_allclose(loss.asnumpy().ravel(), [0.5, 0.0, 4.5])


def test_sgd_updates_in_place():
    w = nd.array([1.0, 2.0])
    b = nd.array([3.0])
    for p in (w, b):
        p.attach_grad()
    with autograd.record():
        loss = (w * w).sum() + 4 * b.sum()
    loss.backward()
    w_id, b_id = id(w), id(b)
    scratch.sgd([w, b], lr=0.5, batch_size=2)
    assert (id(w), id(b)) == (w_id, b_id)
    np.testing.assert_allclose(w.asnumpy(), [1 - 0.5 * 2 / 2, 2 - 0.5 * 4 / 2])
    np.testing.assert_allclose(b.asnumpy(), [3 - 0.5 * 4 / 2])


def test_data_iter_covers_a_permutation_with_a_short_last_batch():
    features = nd.arange(20).reshape((10, 2))
    labels = nd.arange(10) * 10
    batches = list(scratch.data_iter(4, features, labels))
    assert [len(y) for _, y in batches] == [4, 4, 2]
    xs = np.concatenate([x.asnumpy() for x, _ in batches])
    ys = np.concatenate([y.asnumpy() for _, y in batches])
    assert sorted(ys.tolist()) == list(range(0, 100, 10))
    np.testing.assert_array_equal(xs[:, 0] / 2, ys / 10)  # each row stays with its label


def test_data_iter_follows_python_random():
    features, labels = nd.arange(7).reshape((7, 1)), nd.arange(7)
    random.seed(3)
    order = list(range(7))
    random.shuffle(order)
    random.seed(3)
    got = np.concatenate([y.asnumpy() for _, y in scratch.data_iter(3, features, labels)])
    assert got.tolist() == order


def test_data_iter_is_reproducible_under_set_seed():
    features, labels = nd.random.normal(shape=(50, 3)), nd.arange(50)

    def run():
        d2l.set_seed(7)
        return [y.asnumpy().tolist() for _, y in scratch.data_iter(8, features, labels)]

    first = run()
    assert first == run()
    assert first != [list(range(i, min(i + 8, 50))) for i in range(0, 50, 8)]


@pytest.mark.parametrize("x_shape,k_shape", [((6, 8), (1, 2)), ((3, 3), (2, 2)), ((7, 5), (3, 3)), ((4, 4), (4, 4))])
def test_corr2d_equals_the_loop(x_shape, k_shape):
    rng = np.random.RandomState(sum(x_shape))
    X, K = rng.randn(*x_shape), rng.randn(*k_shape)
    Y = scratch.corr2d(nd.array(X), nd.array(K))
    assert isinstance(Y, nd.NDArray)
    np.testing.assert_allclose(Y.asnumpy(), corr2d_loop(X, K), rtol=1e-5, atol=1e-5)


def test_corr2d_book_example_and_other_inputs():
    X = nd.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    K = nd.array([[0, 1], [2, 3]])
    np.testing.assert_array_equal(scratch.corr2d(X, K).asnumpy(), [[19, 25], [37, 43]])
    from_numpy_ints = scratch.corr2d(np.arange(9).reshape(3, 3), [[0, 1], [2, 3]])
    assert from_numpy_ints.dtype == np.float32
    np.testing.assert_array_equal(from_numpy_ints.asnumpy(), [[19, 25], [37, 43]])


def test_corr2d_rejects_a_kernel_larger_than_the_input():
    with pytest.raises(ValueError, match="larger than the input"):
        scratch.corr2d(nd.ones((2, 2)), nd.ones((3, 1)))


def test_corr2d_gradients_match_convolution():
    rng = np.random.RandomState(5)
    X, K, G = rng.randn(6, 8), rng.randn(2, 3), rng.randn(6, 7)
    x1, k1 = nd.array(X), nd.array(K)
    x2, k2 = nd.array(X), nd.array(K)
    for a in (x1, k1, x2, k2):
        a.attach_grad()
    with autograd.record():
        loss = (scratch.corr2d(x1, k1) * nd.array(G[:5, :6])).sum()
    loss.backward()
    with autograd.record():
        ref = nd.Convolution(x2.reshape((1, 1, 6, 8)), k2.reshape((1, 1, 2, 3)), no_bias=True,
                             kernel=(2, 3), num_filter=1)
        ref_loss = (ref.reshape((5, 6)) * nd.array(G[:5, :6])).sum()
    ref_loss.backward()
    np.testing.assert_allclose(x1.grad.asnumpy(), x2.grad.asnumpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(k1.grad.asnumpy(), k2.grad.asnumpy(), rtol=1e-5, atol=1e-6)
    # d loss / d K[a, b] = sum of G * X shifted by (a, b): the loop's gradient, from numpy
    expected_k = [[(X[a:a + 5, b:b + 6] * G[:5, :6]).sum() for b in range(3)] for a in range(2)]
    np.testing.assert_allclose(k1.grad.asnumpy(), expected_k, rtol=1e-4, atol=1e-4)


def test_corr2d_learns_a_kernel_like_the_book():
    X = nd.ones((6, 8))
    X[:, 2:6] = 0
    Y = scratch.corr2d(X, nd.array([[1, -1]]))
    K = nd.random.normal(shape=(1, 2))
    K.attach_grad()
    for _ in range(30):
        with autograd.record():
            loss = ((scratch.corr2d(X, K) - Y) ** 2).sum()
        loss.backward()
        K[:] -= 3e-2 * K.grad
    np.testing.assert_allclose(K.asnumpy(), [[1, -1]], atol=0.05)
