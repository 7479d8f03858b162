"""Fixtures for the check modules: the student's chapter module, a seeded rng, the run's context(s), and a
folder the student's code can read."""
import shutil

import numpy as np
import pytest

from grader.protocol import ContextArg
from grader.runner import grading_session


@pytest.fixture
def student(request):
    """Client for the submission's module named by the check module's CHAPTER (value / call / probe)."""
    return grading_session(request.config).student(request.module.CHAPTER, request.node)


@pytest.fixture
def rng(request):
    """numpy Generator seeded from the run's seed and this exercise's id."""
    return np.random.default_rng(grading_session(request.config).check_seed(request.node))


@pytest.fixture
def ctx(request):
    """Marker for the run's --ctx; the child turns it into an mx.Context when passed to the student."""
    return ContextArg(grading_session(request.config).ctx)


@pytest.fixture
def shared_folder(request):
    """A fresh folder for files the check passes to the student's code (data sets): one its isolated child
    can read, unlike the check's own temporary folders. Removed after the check."""
    folder = grading_session(request.config).shared_folder()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def device_specs(ctx):
    """The devices of a multi-device exercise for the run's --ctx: cpu:0 and cpu:1 on the CPU (MXNet keeps
    them apart like two devices), every visible GPU when the run is on a GPU."""
    if ctx == "cpu":
        return ["cpu:0", "cpu:1"]
    from d2lzh.devices import num_gpus
    return ["gpu:%d" % index for index in range(num_gpus())]


@pytest.fixture
def ctx_list(request):
    """Markers for device_specs(--ctx); the child turns them into a list of mx.Context."""
    return [ContextArg(spec) for spec in device_specs(grading_session(request.config).ctx)]
