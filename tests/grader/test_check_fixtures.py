"""The device list that multi-device checks get (grader/checks/conftest.py's ctx_list)."""
import mxnet as mx

from d2lzh import devices
from grader import protocol
from grader.checks.conftest import device_specs
from grader.sandbox.child import _resolve


def test_a_cpu_run_spans_two_cpu_devices_that_the_child_resolves():
    specs = device_specs("cpu")
    assert specs == ["cpu:0", "cpu:1"]
    assert _resolve([protocol.ContextArg(spec) for spec in specs], mx) == [mx.cpu(0), mx.cpu(1)]


def test_a_gpu_run_spans_every_visible_gpu(monkeypatch):
    monkeypatch.setattr(devices, "num_gpus", lambda: 3)
    assert device_specs("gpu:1") == ["gpu:0", "gpu:1", "gpu:2"]
