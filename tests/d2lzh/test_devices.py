"""Device helpers never crash on a CPU-only machine and explain a missing GPU (d2lzh.devices)."""
import mxnet as mx
import pytest
from mxnet.gluon import nn

import d2lzh as d2l
from d2lzh import devices


@pytest.fixture
def no_gpu(monkeypatch):
    """Behave as on a machine without GPUs, whatever this one has."""
    monkeypatch.setattr(devices, "num_gpus", lambda: 0)


def test_try_gpu_falls_back_to_the_cpu(no_gpu):
    assert d2l.try_gpu() == mx.cpu()


def test_try_all_gpus_falls_back_to_a_cpu_list(no_gpu):
    assert d2l.try_all_gpus() == [mx.cpu()]


def test_num_gpus_is_zero_on_a_cpu_build():
    if mx.runtime.Features().is_enabled("CUDA"):
        pytest.skip("this mxnet build has CUDA")
    assert devices.num_gpus() == 0


def test_check_context_refuses_a_missing_gpu_and_says_what_to_do(no_gpu):
    with pytest.raises(devices.DeviceUnavailableError) as err:
        devices.check_context(mx.gpu(0))
    message = str(err.value)
    assert "gpu(0)" in message and "mx.cpu()" in message and "try_gpu" in message


def test_check_context_checks_every_entry_of_a_list(no_gpu):
    assert devices.check_context([mx.cpu(0), mx.cpu(1)]) == [mx.cpu(0), mx.cpu(1)]
    with pytest.raises(devices.DeviceUnavailableError):
        devices.check_context([mx.cpu(), mx.gpu(1)])


def test_check_context_rejects_what_is_not_a_context():
    with pytest.raises(TypeError, match="mx.Context"):
        devices.check_context("cpu")


@pytest.mark.parametrize("spec, expected", [
    (None, mx.cpu()), ("cpu", mx.cpu()), (" CPU ", mx.cpu()), ("cpu:1", mx.cpu(1)), (mx.cpu(2), mx.cpu(2)),
])
def test_parse_context_forms(spec, expected):
    assert devices.parse_context(spec) == expected


@pytest.mark.parametrize("spec", ["gpu", "gpu:0", mx.gpu(0)])
def test_parse_context_gpu_forms_need_a_gpu(no_gpu, spec):
    with pytest.raises(devices.DeviceUnavailableError):
        devices.parse_context(spec)


@pytest.mark.parametrize("spec", ["tpu", "gpu:x", "cpu:-1", ""])
def test_parse_context_rejects_unknown_forms(spec):
    with pytest.raises(ValueError, match="cpu, gpu or gpu:N"):
        devices.parse_context(spec)


def test_context_of_reads_where_the_parameters_live():
    net = nn.Dense(2)
    assert devices.context_of(net) == [mx.cpu()]  # not initialised yet: the CPU default
    net.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    assert devices.context_of(net) == [mx.cpu(0), mx.cpu(1)]
