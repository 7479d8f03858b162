"""Tests of grader/probes/sequences.py: detaching evidence and a trained model's outputs, called in-process."""
import mxnet as mx
import numpy as np
import pytest
from mxnet.gluon import rnn

import d2lzh as d2l
from grader import probes
from test_probes import answered


def _detach(state):
    if isinstance(state, mx.nd.NDArray):
        return state.detach()
    return type(state)(s.detach() for s in state)


def _detach_in_name_only(state):
    for s in state if isinstance(state, (list, tuple)) else [state]:
        s.detach()  # the classic mistake: the detached copy is thrown away
    return state


@pytest.mark.parametrize("form, kind, multiples", [("list", "list", [2, 3]), ("tuple", "tuple", [2, 3]),
                                                   ("array", "NDArray", [2])])
def test_gradient_through_state_stops_at_a_detached_state(form, kind, multiples):
    x = np.array([1.0, -2.0, 0.5])
    got = answered(probes.gradient_through_state, _detach, x, form)
    assert got["kind"] == kind
    for value, multiple in zip(got["values"], multiples):
        np.testing.assert_allclose(value, multiple * x, rtol=1e-6)
    np.testing.assert_allclose(got["grad"], sum(multiples) * x, rtol=1e-6)


def test_gradient_through_state_shows_a_state_left_in_the_graph():
    x = np.array([1.0, -2.0, 0.5])
    got = answered(probes.gradient_through_state, _detach_in_name_only, x, "list")
    np.testing.assert_allclose(got["grad"], 2 * (2 + 3) * x, rtol=1e-6)


def test_trained_model_outputs_runs_the_model_from_its_begin_state():
    def untrained(corpus_indices, vocab_size, ctx):
        model = d2l.RNNModel(rnn.GRU(4), vocab_size)
        model.initialize(ctx=ctx)
        return model

    inputs = np.array([[0, 1, 2], [2, 1, 0]])
    got = answered(probes.trained_model_outputs, untrained, [0, 1, 2, 1], 3, inputs, mx.cpu())
    assert np.shape(got["outputs"]) == (3 * 2, 3)
    assert got["contexts"] == ["cpu(0)"] and got["requested"] == "cpu(0)"
