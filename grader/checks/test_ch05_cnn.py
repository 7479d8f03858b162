"""Checks for exercises/ch05_cnn.py: chapter 5, Convolutional neural networks."""
import mxnet as mx
import numpy as np
from mxnet.gluon import nn

from grader.checking import assert_answer, assert_close, assert_equal, checkpoint, exercise, nd
from grader.probes import forward_summary

CHAPTER = "ch05_cnn"

# Salted digests of the answer constants: python -m grader.answers <exercise id> '<answer>'.
DIGESTS = {
    "ch05.batchnorm_in_channels":
        "sha256:daae963c2ed02777e780d90ffe37bd79324a60c6eeba2c27a1a7d63126fbe698",
    "ch05.dense_block_channels":
        "sha256:7f73ebaf43c06d43fa4e8f6e67fc6a97a8e0801cff1d950ec6d726e79f75246b",
}


def _convolve(X, K, **options):
    """MXNet oracle: cross-correlate a (c_i, h, w) X with a (c_o, c_i, k_h, k_w) bank K, no bias."""
    out = mx.nd.Convolution(mx.nd.array(X[None]), mx.nd.array(K), kernel=K.shape[2:], num_filter=K.shape[0],
                            no_bias=True, **options)
    return out[0].asnumpy()


def _reference_lenet():
    """The book's LeNet (section 5.5), the reference for build_lenet."""
    net = nn.Sequential()
    net.add(nn.Conv2D(6, kernel_size=5, activation="sigmoid"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(16, kernel_size=5, activation="sigmoid"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation="sigmoid"), nn.Dense(84, activation="sigmoid"), nn.Dense(10))
    return net


def _main_layers(layer_names):
    """The conv, pooling and dense layers among a net's children (activations may be separate layers)."""
    return [name for name in layer_names if name in ("Conv2D", "MaxPool2D", "AvgPool2D", "Dense")]


def _residual_param_count(in_channels, channels, use_1x1conv):
    """Parameters of the book's Residual block, batch-norm running statistics included."""
    convs = 9 * channels * (in_channels + channels) + 2 * channels
    shortcut = channels * in_channels + channels if use_1x1conv else 0
    return convs + shortcut + 2 * 4 * channels


def _pair(got, what):
    """got as a tuple of two values, or an AssertionError naming the expected format."""
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        raise AssertionError(f"{what}: expected a tuple (height, width), got {got!r}")
    return tuple(got)


@exercise("ch05.corr2d", 2, "Loop over output positions: Y[i, j] = (X[i:i + h, j:j + w] * K).sum().")
def test_corr2d(student, rng):
    X = rng.normal(size=(int(rng.integers(4, 8)), int(rng.integers(4, 8))))
    K = rng.normal(size=(int(rng.integers(1, 4)), int(rng.integers(1, 4))))
    got = student.call("corr2d", nd(X), nd(K))
    assert_close(got, _convolve(X[None], K[None, None])[0], rtol=1e-4, atol=1e-5, what="corr2d(X, K)")


@exercise("ch05.conv_out_shape", 2, "Each dimension: (n - k + 2p) // s + 1, with p the padding on one side.")
def test_conv_out_shape(student, rng):
    for _ in range(5):
        n_h, n_w = (int(v) for v in rng.integers(5, 20, size=2))
        k_h, k_w = (int(v) for v in rng.integers(1, 6, size=2))
        p_h, p_w = (int(v) for v in rng.integers(0, 3, size=2))
        s_h, s_w = (int(v) for v in rng.integers(1, 4, size=2))
        expected = mx.nd.Convolution(mx.nd.zeros((1, 1, n_h, n_w)), mx.nd.zeros((1, 1, k_h, k_w)),
                                     kernel=(k_h, k_w), pad=(p_h, p_w), stride=(s_h, s_w), num_filter=1,
                                     no_bias=True).shape[2:]
        args = (n_h, n_w, k_h, k_w, p_h, p_w, s_h, s_w)
        got = student.call("conv_out_shape", *args)
        assert_equal(_pair(got, f"conv_out_shape{args}"), tuple(expected), what=f"conv_out_shape{args}")


@exercise("ch05.corr2d_multi_in_out", 3, "nd.stack over output kernels of nd.add_n over input channels of corr2d.")
def test_corr2d_multi_in_out(student, rng):
    c_i, c_o = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    X = rng.normal(size=(c_i, int(rng.integers(3, 6)), int(rng.integers(3, 6))))
    K = rng.normal(size=(c_o, c_i, 2, 2))
    got = student.call("corr2d_multi_in_out", nd(X), nd(K))
    assert_close(got, _convolve(X, K), rtol=1e-4, atol=1e-5, what="corr2d_multi_in_out(X, K)")


@exercise("ch05.pool2d", 2, "Same loop as corr2d, taking window.max() or window.mean() instead of a product.")
def test_pool2d(student, rng):
    X = rng.normal(size=(int(rng.integers(4, 7)), int(rng.integers(4, 7))))
    pool_size = (int(rng.integers(1, 4)), int(rng.integers(2, 4)))
    for mode in ("max", "avg"):
        with checkpoint(f"{mode} pooling", 1):
            expected = mx.nd.Pooling(mx.nd.array(X[None, None]), kernel=pool_size, pool_type=mode, stride=(1, 1))
            got = student.call("pool2d", nd(X), pool_size, mode)
            assert_close(got, expected[0, 0].asnumpy(), rtol=1e-5, atol=1e-6,
                         what=f"pool2d(X, {pool_size}, {mode!r})")


@exercise("ch05.build_lenet", 3, "Two Conv2D + MaxPool2D stages, then Dense(120), Dense(84), Dense(10).")
def test_build_lenet(student, rng):
    input_shape = (int(rng.integers(1, 5)), 1, 28, 28)
    got = student.probe("forward_summary", "build_lenet", input_shape=input_shape)
    expected = forward_summary(_reference_lenet, input_shape=input_shape)
    with checkpoint("output shape", 1):
        assert_equal(got["output_shape"], expected["output_shape"], what="output shape")
    with checkpoint("number of parameters", 1):
        assert_equal(got["param_count"], expected["param_count"], what="number of parameters")
    with checkpoint("conv, pooling and dense layers in the book's order", 1):
        assert_equal(_main_layers(got["layers"]), _main_layers(expected["layers"]), what="layer types in order")


@exercise("ch05.batchnorm_in_channels", 1,
          "Compare the parameter shapes of nn.BatchNorm() and nn.BatchNorm(in_channels=6) before a forward pass.")
def test_batchnorm_in_channels(student):
    assert_answer(student.value("BATCHNORM_IN_CHANNELS"), DIGESTS["ch05.batchnorm_in_channels"],
                  "ch05.batchnorm_in_channels", what="BATCHNORM_IN_CHANNELS")


@exercise("ch05.residual", 4, "Main path conv-bn-relu-conv-bn; 1x1 conv on the shortcut when asked; relu(Y + X).")
def test_residual(student, rng):
    channels, size = int(rng.integers(2, 5)), int(rng.integers(5, 9))
    input_shape = (2, channels, size, size)
    plain = student.probe("forward_summary", "Residual", channels, input_shape=input_shape)
    down = student.probe("forward_summary", "Residual", 2 * channels, use_1x1conv=True, strides=2,
                         input_shape=input_shape)
    with checkpoint("Residual(c) keeps the input shape", 1):
        assert_equal(plain["output_shape"], input_shape, what=f"Residual({channels}) output shape")
    with checkpoint("Residual(2c, use_1x1conv=True, strides=2) halves height and width", 1):
        half = (size + 1) // 2
        assert_equal(down["output_shape"], (2, 2 * channels, half, half), what="output shape")
    with checkpoint("the shortcut adds the input: with all parameters zero, Residual(c)(X) = relu(X)", 1):
        X = rng.normal(size=input_shape)
        got = student.probe("forward_zeroed", "Residual", channels, x=X)
        assert_close(got, np.maximum(X, 0), rtol=1e-5, atol=1e-6, what=f"Residual({channels}) with zero parameters")
    with checkpoint("parameter counts", 1):
        assert_equal(plain["param_count"], _residual_param_count(channels, channels, False),
                     what=f"parameters of Residual({channels})")
        assert_equal(down["param_count"], _residual_param_count(channels, 2 * channels, True),
                     what=f"parameters of Residual({2 * channels}, use_1x1conv=True, strides=2)")


@exercise("ch05.dense_block_channels", 2, "Each conv block concatenates its output channels to its input.")
def test_dense_block_channels(student):
    assert_answer(student.value("DENSE_BLOCK_CHANNELS"), DIGESTS["ch05.dense_block_channels"],
                  "ch05.dense_block_channels", what="DENSE_BLOCK_CHANNELS")
