"""Tests of grader.probes, called in-process on small stand-ins for student code.

``answered`` sends a probe's result through the wire as the child would, so a test sees what a check sees.
"""
import itertools
import json

import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, nd
from mxnet.gluon import nn

from grader import probes, protocol
from grader.probes import data, gradients


def _two_dense(hidden):
    net = nn.Sequential()
    net.add(nn.Dense(hidden, activation="relu"), nn.Dense(2))
    return net


def _sgd_in_place(params, lr):
    for p in params:
        p[:] = p - lr * p.grad


def _sgd_rebinding(params, lr):
    for p in params:
        p = p - lr * p.grad  # noqa: F841  (the classic mistake: rebinds a local name only)


def _momentum_like(params, states, hyperparams):
    for p, (v, s) in zip(params, states):
        v[:] = v + p.grad
        s[:] = s + 1
        p[:] = p - hyperparams["lr"] * v
    hyperparams["t"] += 1


def answered(probe, *args, **kwargs):
    """What a check receives from probe(*args, **kwargs): its result encoded in the child, decoded here."""
    return protocol.decode(json.loads(json.dumps(protocol.encode(probe(*args, **kwargs)))))


def _autograd_grad_of(f, x):
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward()
    return x.grad


def test_forward_summary_reports_shape_counts_and_layers():
    got = probes.forward_summary(_two_dense, 5, input_shape=(4, 3))
    assert got == {"output_shape": (4, 2), "param_count": 3 * 5 + 5 + 5 * 2 + 2,
                   "trainable_count": 3 * 5 + 5 + 5 * 2 + 2, "layers": ["Dense", "Dense"]}


def test_forward_summary_separates_batch_norm_statistics():
    got = probes.forward_summary(nn.BatchNorm, input_shape=(2, 3, 4, 4))
    assert (got["param_count"], got["trainable_count"]) == (4 * 3, 2 * 3)


def test_forward_zeroed_leaves_only_the_wiring():
    class Shortcut(nn.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = nn.Dense(3)

        def forward(self, X):
            return self.dense(X) + X

    x = np.array([[1.0, -2.0, 3.0]])
    np.testing.assert_array_equal(probes.forward_zeroed(Shortcut, x=x), x.astype(np.float32))
    np.testing.assert_array_equal(probes.forward_zeroed(nn.Dense, 2, x=x), np.zeros((1, 2), dtype=np.float32))

def test_forward_with_params_returns_the_parameters_that_made_the_output():
    x = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]])
    got = answered(probes.forward_with_params, nn.Dense, 2, x=x)
    (_, weight), (_, bias) = got["params"]
    assert np.abs(bias).max() > 0  # parameters are redrawn, so a forgotten bias shows
    np.testing.assert_allclose(got["output"], x @ weight.T + bias, rtol=1e-5)


def test_chain_of_dense_fills_the_container_in_order():
    x = np.ones((2, 3))
    got = probes.chain_of_dense(nn.Sequential, [4, 2], x)
    assert [np.shape(value) for _, value in got["params"]] == [(4, 3), (4,), (2, 4), (2,)]
    (_, W1), (_, b1), (_, W2), (_, b2) = got["params"]
    np.testing.assert_allclose(got["output"], np.maximum(x @ W1.T + b1, 0) @ W2.T + b2, rtol=1e-5)


def test_in_both_modes_runs_training_then_prediction_on_fresh_copies():
    def bump(x):
        x += 1
        return x, autograd.is_training()

    got = probes.in_both_modes(bump, nd.zeros(2))
    assert got["training"][1] and not got["prediction"][1]
    np.testing.assert_array_equal(got["prediction"][0].asnumpy(), np.ones(2))


def test_update_in_place_sees_in_place_writes():
    params, grads = [np.ones((2, 2)), np.zeros(3)], [np.full((2, 2), 2.0), np.ones(3)]
    got = probes.update_in_place(_sgd_in_place, params, grads, 0.5)
    np.testing.assert_allclose(got["params"][0], np.zeros((2, 2)))
    np.testing.assert_allclose(got["params"][1], np.full(3, -0.5))
    np.testing.assert_allclose(got["grads"][1], np.ones(3))


def test_update_in_place_exposes_rebinding():
    got = probes.update_in_place(_sgd_rebinding, [np.ones(2)], [np.ones(2)], 0.5)
    np.testing.assert_allclose(got["params"][0], np.ones(2))


def test_update_in_place_passes_ctx_on():
    seen = {}

    def record_ctx(params, ctx):
        seen["ctx"], seen["array_ctx"] = ctx, params[0].context

    probes.update_in_place(record_ctx, [np.ones(2)], [np.ones(2)], ctx=mx.cpu())
    assert seen == {"ctx": mx.cpu(), "array_ctx": mx.cpu()}


def test_optimizer_run_keeps_states_and_returns_hyperparams():
    grads = [[np.ones(2)], [np.ones(2)]]
    got = answered(probes.optimizer_run, _momentum_like, [np.zeros(2)], grads, {"lr": 0.1, "t": 1}, state_slots=2)
    np.testing.assert_allclose(got["trace"][0][0], np.full(2, -0.1), rtol=1e-6)
    np.testing.assert_allclose(got["trace"][1][0], np.full(2, -0.3), rtol=1e-6)
    assert got["hyperparams"] == {"lr": 0.1, "t": 3}


def test_iterate_lists_batches_as_numpy_tuples():
    def batches(n):
        for start in range(0, n, 2):
            yield nd.arange(start, min(start + 2, n)), nd.arange(start, min(start + 2, n)) * 10

    got = answered(probes.iterate, batches, 5)
    assert [len(y) for _, y in got] == [2, 2, 1]
    assert all(isinstance(part, np.ndarray) for batch in got for part in batch)
    np.testing.assert_array_equal(got[2][1], np.array([40.0], dtype=np.float32))


def test_iterate_keeps_what_an_iterator_reusing_one_buffer_handed_out():
    def batches():
        buffer = nd.zeros(2)
        for value in range(3):
            buffer[:] = value
            yield buffer, buffer

    assert [X.tolist() for X, _ in answered(probes.iterate, batches)] == [[0, 0], [1, 1], [2, 2]]


def test_iterate_stops_an_endless_iterator(monkeypatch):
    monkeypatch.setattr(data, "MAX_BATCHES", 7)
    got = probes.iterate(lambda: ((nd.zeros(1), nd.zeros(1)) for _ in itertools.count()))
    assert len(got) == 7


def test_value_and_grad_backpropagates_through_fn():
    got = probes.value_and_grad(lambda x: x * x * x, np.array([1.0, -2.0]))
    np.testing.assert_allclose(got["value"], [1.0, -8.0])
    np.testing.assert_allclose(got["grad"], [3.0, 12.0])


@pytest.mark.parametrize("name", sorted(gradients.TEST_FUNCTIONS))
def test_grad_with_gives_the_student_a_differentiable_function(name):
    x = np.array([[0.5, -1.0], [2.0, 0.1]])
    got = answered(probes.grad_with, _autograd_grad_of, name, x)
    assert isinstance(got, np.ndarray) and got.shape == x.shape
    step = 1e-3
    bump = np.zeros_like(x)
    bump[0, 1] = step
    f = gradients.TEST_FUNCTIONS[name]
    rise = f(nd.array(x + bump, dtype="float64")) - f(nd.array(x - bump, dtype="float64"))
    numeric = rise.asscalar() / (2 * step)
    assert got[0, 1] == pytest.approx(numeric, rel=1e-3)


def test_trace_2d_iterates_from_the_start():
    got = probes.trace_2d(lambda a, b, scale: (a * scale, b + 1), (1.0, 0.0), 3, scale=2.0)
    assert got == [[1.0, 0.0], [2.0, 1.0], [4.0, 2.0], [8.0, 3.0]]


def test_on_context_reports_where_results_live():
    got = answered(probes.on_context, lambda x, ctx: (x.as_in_context(ctx), [nd.ones(1, ctx=ctx)]), mx.cpu(),
                   nd.zeros(2))
    assert got["contexts"] == ["cpu(0)"] and got["requested"] == "cpu(0)"
    assert isinstance(got["value"], tuple) and isinstance(got["value"][1], list)
    np.testing.assert_array_equal(got["value"][0], np.zeros(2, dtype=np.float32))
    np.testing.assert_array_equal(got["value"][1][0], np.ones(1, dtype=np.float32))


def test_across_contexts_places_each_array_and_reports_where_results_live():
    def contexts_then_sum(arrays, ctx):
        return [str(a.context) for a in arrays], nd.add_n(*[a.as_in_context(ctx) for a in arrays])

    got = answered(probes.across_contexts, contexts_then_sum, [np.ones(2), np.ones(2)], [mx.cpu(1), mx.cpu(0)],
                   mx.cpu(0))
    assert got["value"][0] == ["cpu(1)", "cpu(0)"] and got["contexts"] == ["cpu(0)"]
    np.testing.assert_array_equal(got["value"][1], np.full(2, 2.0, dtype=np.float32))


def test_every_probe_module_contributes_its_public_functions_once():
    import importlib
    import pkgutil
    names = []
    for info in pkgutil.iter_modules(probes.__path__):
        module = importlib.import_module("grader.probes." + info.name)
        names += [name for name, value in vars(module).items()
                  if callable(value) and getattr(value, "__module__", None) == module.__name__
                  and not name.startswith("_")]
    assert sorted(names) == sorted(probes.PROBES)


# ---- probes of chapters 2 and 3: ndarrays, head gradients, evaluate_with, training -----------

def test_arrays_after_call_reads_the_arrays_the_function_received():
    def add_into(X, Y, Z):
        Z[:] = X + Y

    def rebind(X, Y, Z):
        Z = X + Y  # noqa: F841  (the classic mistake: rebinds a local name only)

    arrays = [np.ones(2), np.full(2, 2.0), np.zeros(2)]
    assert answered(probes.arrays_after_call, add_into, arrays)["arrays"][2].tolist() == [3.0, 3.0]
    assert answered(probes.arrays_after_call, rebind, arrays)["arrays"][2].tolist() == [0.0, 0.0]
    assert answered(probes.arrays_after_call, lambda X, k: X * k, [np.ones(2)], 4)["returned"].tolist() == [4.0, 4.0]


def test_result_type_tells_an_ndarray_from_a_numpy_array():
    assert answered(probes.result_type, lambda x: x + 1, nd.zeros(1))["type"] == "mxnet.ndarray.ndarray.NDArray"
    got = answered(probes.result_type, lambda x: x.asnumpy(), nd.zeros(1))
    assert got["type"] == "numpy.ndarray" and got["value"].tolist() == [0.0]


@pytest.mark.parametrize("name", sorted(gradients.ELEMENTWISE_FUNCTIONS))
def test_head_grad_with_passes_an_elementwise_function_and_the_head(name):
    def backward_with_head(f, x, head):
        x.attach_grad()
        with autograd.record():
            y = f(x)
        y.backward(head)
        return x.grad

    x, head = np.array([0.5, -1.0, 2.0]), np.array([1.0, -2.0, 0.5])
    got = answered(probes.head_grad_with, backward_with_head, name, x, head)
    f = gradients.ELEMENTWISE_FUNCTIONS[name]
    step = 1e-3
    numeric = (f(nd.array(x + step, dtype="float64")) - f(nd.array(x - step, dtype="float64"))).asnumpy() / (2 * step)
    np.testing.assert_allclose(got, head * numeric, rtol=1e-3)


def test_evaluate_with_hands_over_batches_and_a_linear_net():
    def fraction_right(data_iter, net):
        right = sum(float((net(X).argmax(axis=1) == y).sum().asscalar()) for X, y in data_iter)
        return right / sum(y.size for _, y in data_iter)

    weight = np.eye(2)
    batches = [(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0.0, 0.0])), (np.array([[0.0, 2.0]]), np.array([1.0]))]
    assert answered(probes.evaluate_with, fraction_right, batches, weight) == pytest.approx(2 / 3)


def test_outputs_after_init_runs_a_freshly_initialised_net():
    got = answered(probes.outputs_after_init, _two_dense, 4, x=np.ones((3, 5)))
    assert got.shape == (3, 2) and np.allclose(got[0], got[1])


def test_trained_predictions_classifies_with_the_returned_net_on_ctx():
    def train(bias, ctx):
        net = nn.Dense(3, in_units=2)
        net.initialize(mx.init.Zero(), ctx=ctx)
        net.bias.set_data(nd.array(bias, ctx=ctx))
        return net

    got = answered(probes.trained_predictions, train, [0.0, 0.0, 1.0], images=np.zeros((4, 2)), ctx=mx.cpu())
    assert got["predictions"].tolist() == [2, 2, 2, 2]
    assert got["contexts"] == ["cpu(0)"] and got["requested"] == "cpu(0)"
