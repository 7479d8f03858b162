"""Tests of grader/probes/performance.py on small stand-ins for student code."""
import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, nd
from mxnet.gluon import nn

from grader import probes
from test_probes import answered


class _Doubling(nn.HybridBlock):
    def hybrid_forward(self, F, x):
        return F.relu(x) * 2


class _PeekingAtValues(nn.HybridBlock):
    def hybrid_forward(self, F, x):
        return x * float(x.asnumpy().max())


class _Unfinished(nn.HybridBlock):
    def hybrid_forward(self, F, x):
        if isinstance(x, mx.sym.Symbol):
            raise NotImplementedError("Exercise: the hybridized part")
        return x


def test_hybridized_outputs_compares_imperative_and_hybridized_calls():
    got = answered(probes.hybridized_outputs, _Doubling, x=np.array([[1.0, -2.0]]))
    assert got["is_hybrid_block"] and got["error"] is None
    for key in ("imperative", "hybridized", "cached"):
        np.testing.assert_array_equal(got[key], [[2.0, 0.0]])


def test_hybridized_outputs_reports_what_a_symbol_cannot_do():
    got = probes.hybridized_outputs(_PeekingAtValues, x=np.ones((1, 2)))
    np.testing.assert_array_equal(got["imperative"], [[1.0, 1.0]])
    assert got["hybridized"] is None and "asnumpy" in got["error"]


def test_hybridized_outputs_keeps_a_stub_not_attempted():
    with pytest.raises(NotImplementedError):
        probes.hybridized_outputs(_Unfinished, x=np.ones((1, 2)))


def _plain_block(units):
    net = nn.Sequential()
    net.add(nn.Dense(units))
    return net


def test_hybridized_outputs_notices_a_plain_block():
    got = probes.hybridized_outputs(_plain_block, 3, x=np.ones((2, 4)))
    assert not got["is_hybrid_block"] and got["hybridized"] is None
    assert [np.shape(p) for p in got["params"]] == [(3, 4), (3,)]


def _epoch(syncs_per_batch):
    """A correct training epoch that reads the loss syncs_per_batch times per batch, then once at the end."""
    def train_epoch(net, trainer, loss, batches):
        total = nd.zeros(1)
        for X, y in batches:
            with autograd.record():
                l = loss(net(X), y)
            l.backward()
            trainer.step(X.shape[0])
            total += l.sum()
            for _ in range(syncs_per_batch):
                l.wait_to_read()
        return float(total.asscalar())
    return train_epoch


@pytest.mark.parametrize("per_batch", [0, 1, 2])
def test_linear_epoch_syncs_counts_each_sync_once(per_batch):
    batches = [(np.ones((3, 2)), np.zeros(3))] * 4
    original = nd.NDArray.asnumpy
    got = answered(probes.linear_epoch_syncs, _epoch(per_batch), np.ones((1, 2)), np.zeros(1), batches, 0.1)
    assert got["syncs"] == 1 + 4 * per_batch  # asscalar -> asnumpy counts once
    assert nd.NDArray.asnumpy is original
    prediction, total = 2.0, 0.0  # every example is x = (1, 1), y = 0: w1 + w2 + b moves as one number
    for _ in batches:
        total += 3 * prediction ** 2 / 2
        prediction -= 0.1 * prediction * 3  # three parameters, each with gradient = prediction
    assert got["result"] == pytest.approx(total, rel=1e-5)


def test_placement_lists_values_and_contexts_in_order():
    got = answered(probes.placement, lambda x, ctxs: [x[:1].as_in_context(ctxs[0]), x[1:].as_in_context(ctxs[1])],
                   nd.arange(3), [mx.cpu(1), mx.cpu(0)])
    assert got["contexts"] == ["cpu(1)", "cpu(0)"]
    np.testing.assert_array_equal(got["values"][1], [1.0, 2.0])
    assert probes.placement(lambda: "not arrays")["contexts"] is None


def test_in_place_on_devices_exposes_rebinding():
    def rebinding(data):
        data[1] = data[0] + data[1]

    got = answered(probes.in_place_on_devices, rebinding, [np.ones(2), np.ones(2)], [mx.cpu(0), mx.cpu(1)])
    np.testing.assert_array_equal(got["values"][1], [1.0, 1.0])
    assert got["contexts"] == ["cpu(0)", "cpu(1)"]


def test_replicated_step_gives_each_device_its_own_copies():
    def zero_step(X, y, device_params, ctxs, lr):
        for params, ctx in zip(device_params, ctxs):
            assert all(param.context == ctx and param.grad is not None for param in params)
            params[0][:] = 0

    got = answered(probes.replicated_step, zero_step, nd.ones((2, 2)), nd.ones(2), [np.ones((2, 1)), np.ones(1)],
                   [mx.cpu(0), mx.cpu(1)], 0.1)
    assert got["contexts"] == [["cpu(0)", "cpu(0)"], ["cpu(1)", "cpu(1)"]]
    np.testing.assert_array_equal(got["values"][1][0], [[0.0], [0.0]])
    np.testing.assert_array_equal(got["values"][1][1], [1.0])


def test_dense_step_on_devices_reports_every_replica():
    def one_row_per_device(net, trainer, loss, X, y, ctxs):
        with autograd.record():
            losses = [loss(net(X[i:i + 1].as_in_context(ctx)), y[i:i + 1].as_in_context(ctx))
                      for i, ctx in enumerate(ctxs)]
        for l in losses:
            l.backward()
        trainer.step(X.shape[0])

    X, y = nd.array([[1.0, 2.0], [1.0, 2.0]]), nd.array([0.0, 0.0])
    got = answered(probes.dense_step_on_devices, one_row_per_device, np.ones((1, 2)), np.zeros(1), X, y,
                   [mx.cpu(0), mx.cpu(1)], 0.5)
    for weight in got["weights"]:  # residual 3 on both rows; the step averages the summed gradients
        np.testing.assert_allclose(weight, [[1 - 0.5 * 3 * 1, 1 - 0.5 * 3 * 2]], rtol=1e-6)
    assert got["contexts"] == ["cpu(0)", "cpu(1)"] and len(got["biases"]) == 2
