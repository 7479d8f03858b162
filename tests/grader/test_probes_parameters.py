"""Tests of grader/probes/parameters.py: initialisers, re-initialisation and the save and load round trip."""
import numpy as np
from mxnet import init

from grader import probes


def _save_and_load(net, make_net, filename):
    net.save_parameters(filename)
    clone = make_net()
    clone.load_parameters(filename)
    return clone


def test_initializer_sample_applies_the_initializer_to_the_weight_only():
    got = probes.initializer_sample(init.Constant, 3.0, units=4, in_units=5)
    np.testing.assert_array_equal(got["weight"], np.full((4, 5), 3.0, dtype=np.float32))
    np.testing.assert_array_equal(got["bias"], np.zeros(4, dtype=np.float32))


def test_reinitialized_shows_parameters_before_and_after():
    def constant_weights(net, value):
        for layer in net:
            layer.weight.initialize(init=init.Constant(value), force_reinit=True)

    got = probes.reinitialized(constant_weights, 2.0, in_units=3, widths=[4, 2])
    assert [np.shape(value) for _, value in got["before"]] == [(4, 3), (4,), (2, 4), (2,)]
    assert np.abs(got["before"][0][1]).max() <= 0.07  # the default Uniform(0.07)
    np.testing.assert_array_equal(got["after"][2][1], np.full((2, 4), 2.0, dtype=np.float32))
    np.testing.assert_array_equal(got["after"][1][1], got["before"][1][1])


def test_save_load_round_trip_keeps_the_output_and_reports_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    x = np.random.default_rng(0).normal(size=(2, 3))
    got = probes.save_load_round_trip(_save_and_load, "net.params", in_units=3, widths=[4, 2], x=x)
    np.testing.assert_allclose(got["loaded"], got["original"], rtol=1e-6)
    assert sorted(np.shape(array) for array in got["saved"].values()) == [(2,), (2, 4), (4,), (4, 3)]


def test_save_load_round_trip_exposes_a_net_that_shares_the_saved_parameters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    x = np.ones((2, 3))
    got = probes.save_load_round_trip(lambda net, make_net, filename: net, "net.params", in_units=3, widths=[4, 2],
                                      x=x)
    assert got["saved"] is None
    assert not np.allclose(got["loaded"], got["original"])
