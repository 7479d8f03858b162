"""Residual, resnet18 and RNNModel: shapes, parameter counts, hybridization and the RNNModel forward."""
import mxnet as mx
import numpy as np
import pytest
from mxnet import init, nd
from mxnet.gluon import nn, rnn

from d2lzh.models import RNNModel, Residual, resnet18


def num_params(net):
    return sum(p.data().size for p in net.collect_params().values())


def conv_params(c_in, c_out, k):
    return c_in * c_out * k * k + c_out


def bn_params(c):
    return 4 * c  # gamma, beta, running mean, running var


def residual_params(c_in, c_out, use_1x1conv):
    return (conv_params(c_in, c_out, 3) + conv_params(c_out, c_out, 3) + 2 * bn_params(c_out)
            + (conv_params(c_in, c_out, 1) if use_1x1conv else 0))


def initialized(net, X):
    net.initialize(init.Xavier())
    net(X)
    return net


@pytest.mark.parametrize("channels,use_1x1conv,strides,out_shape", [
    (3, False, 1, (4, 3, 6, 6)), (6, True, 2, (4, 6, 3, 3)), (6, True, 1, (4, 6, 6, 6))])
def test_residual_shapes_and_parameter_count(channels, use_1x1conv, strides, out_shape):
    X = nd.random.uniform(shape=(4, 3, 6, 6))
    blk = initialized(Residual(channels, use_1x1conv=use_1x1conv, strides=strides), X)
    assert blk(X).shape == out_shape
    assert num_params(blk) == residual_params(3, channels, use_1x1conv)
    assert isinstance(blk, nn.HybridBlock)


def test_residual_without_shortcut_conv_adds_the_input():
    X = nd.random.normal(shape=(2, 3, 4, 4))
    blk = initialized(Residual(3), X)
    for conv in (blk.conv1, blk.conv2):
        conv.weight.set_data(nd.zeros_like(conv.weight.data()))
    assert blk.conv3 is None
    np.testing.assert_allclose(blk(X).asnumpy(), np.maximum(X.asnumpy(), 0), rtol=1e-5)  # relu(0 + X)


def test_resnet18_output_and_parameter_count():
    net = initialized(resnet18(10), nd.random.uniform(shape=(2, 3, 32, 32)))
    assert net(nd.random.uniform(shape=(2, 3, 32, 32))).shape == (2, 10)
    expected = conv_params(3, 64, 3) + bn_params(64) + 512 * 10 + 10
    c_in = 64
    for c_out, first_block in ((64, True), (128, False), (256, False), (512, False)):
        expected += residual_params(c_in, c_out, not first_block) + residual_params(c_out, c_out, False)
        c_in = c_out
    assert num_params(net) == expected


@pytest.mark.parametrize("make,shape", [(lambda: Residual(8, use_1x1conv=True, strides=2), (2, 4, 8, 8)),
                                        (lambda: resnet18(5), (2, 1, 16, 16))])
def test_hybridized_output_equals_imperative_output(make, shape):
    X = nd.random.uniform(shape=shape)
    net = initialized(make(), X)
    imperative = net(X).asnumpy()
    with mx.autograd.record():  # training-mode BatchNorm (batch statistics) too
        imperative_train = net(X).asnumpy()
    net.hybridize()
    np.testing.assert_allclose(net(X).asnumpy(), imperative, rtol=1e-4, atol=1e-5)
    with mx.autograd.record():
        np.testing.assert_allclose(net(X).asnumpy(), imperative_train, rtol=1e-4, atol=1e-5)


def test_rnnmodel_forward_is_one_hot_then_rnn_then_dense():
    vocab, hidden, batch, steps = 7, 5, 2, 4
    model = RNNModel(rnn.RNN(hidden), vocab)
    model.initialize(init.Normal(0.5))
    inputs = nd.array([[0, 3, 6, 1], [2, 2, 5, 4]])
    state = model.begin_state(batch_size=batch)
    output, new_state = model(inputs, state)
    assert output.shape == (steps * batch, vocab)
    assert len(new_state) == 1 and new_state[0].shape == (1, batch, hidden)

    p = {name.split("_", 1)[1]: param.data().asnumpy() for name, param in model.collect_params().items()}
    H = np.zeros((batch, hidden))
    expected = []
    for t in range(steps):  # gluon's RNN (relu by default), time-major rows, then the dense layer
        x = np.eye(vocab)[inputs.asnumpy()[:, t].astype(int)]
        H = np.maximum(x @ p["l0_i2h_weight"].T + p["l0_i2h_bias"] + H @ p["l0_h2h_weight"].T + p["l0_h2h_bias"], 0)
        expected.append(H)
    dense = model.dense
    logits = np.concatenate(expected) @ dense.weight.data().asnumpy().T + dense.bias.data().asnumpy()
    np.testing.assert_allclose(output.asnumpy(), logits, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(new_state[0].asnumpy()[0], H, rtol=1e-4, atol=1e-5)


def test_rnnmodel_begin_state_delegates_and_counts_parameters():
    vocab, hidden = 30, 16
    model = RNNModel(rnn.LSTM(hidden), vocab)
    model.initialize()
    state = model.begin_state(batch_size=3)
    assert [s.shape for s in state] == [(1, 3, hidden)] * 2
    model(nd.zeros((3, 2)), state)
    lstm = 4 * (vocab * hidden + hidden * hidden + 2 * hidden)
    assert num_params(model) == lstm + hidden * vocab + vocab
