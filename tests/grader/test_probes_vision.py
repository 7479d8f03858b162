"""Tests of grader/probes/vision.py on small stand-ins for student code."""
import subprocess
import sys

import numpy as np
import pytest
from mxnet import nd
from mxnet.gluon import nn
from mxnet.gluon.data.vision import transforms

from grader import probes
from test_probes import answered


def test_transform_outputs_seeds_every_call_alike():
    image = np.random.default_rng(0).integers(0, 256, size=(20, 24, 3))
    got = answered(probes.transform_outputs, transforms.RandomResizedCrop, 8, image=image, seeds=[3, 3, 4])
    assert [np.shape(out) for out in got] == [(8, 8, 3)] * 3
    assert np.array_equal(got[0], got[1]) and not np.array_equal(got[0], got[2])


def _upsampler(channels):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(channels, kernel_size=1), nn.Conv2DTranspose(channels, kernel_size=4, padding=1, strides=2))
    return net


def test_symbolic_summary_infers_shapes_without_data():
    got = answered(probes.symbolic_summary, _upsampler, 3, input_shape=(2, 5, 4, 6))
    assert got == {"output_shape": (2, 3, 8, 12), "param_shapes": [(3, 5, 1, 1), (3,), (3, 3, 4, 4), (3,)],
                   "layers": ["Conv2D", "Conv2DTranspose"]}


class _Imperative(nn.Block):
    def forward(self, x):
        return nd.relu(x)


def test_symbolic_summary_asks_for_hybrid_blocks():
    with pytest.raises(TypeError, match="HybridSequential"):
        probes.symbolic_summary(_Imperative, input_shape=(1, 3))


def _finetune(model_name, pretrained, num_classes, lr_mult):
    from gluoncv import model_zoo
    net = model_zoo.get_model(model_name, classes=num_classes, pretrained=False)
    net.features = pretrained.features
    net.output.initialize()
    net.output.collect_params().setattr("lr_mult", lr_mult)
    return net


def test_finetuned_summary_tells_shared_from_new_parameters():
    got = answered(probes.finetuned_summary, _finetune, "mobilenet0.25", 7, 5.0, (1, 3, 32, 32))
    new = [param for param in got["params"] if not param["shared"]]
    assert got["output_shape"] == (1, 7)
    assert [(param["shape"], param["lr_mult"], param["initialized"]) for param in new] == [
        ((7, 256), 5.0, True), ((7,), 5.0, True)]
    assert len(got["params"]) - len(new) == got["pretrained_params"] - 2


def test_frozen_summary_lists_grad_req_of_features_and_output():
    got = probes.frozen_summary(lambda net: net.output.collect_params().setattr("grad_req", "null"), "resnet18_v1")
    assert "write" in got["features"] and got["output"] == ["null", "null"]  # batch-norm statistics are "null"


@pytest.mark.slow
def test_only_the_probes_that_build_zoo_nets_import_gluoncv():
    """Every chapter's child imports grader.probes at start; gluoncv must not slow them (nor import d2lzh)."""
    code = "import sys, d2lzh, grader.probes; print('gluoncv' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
