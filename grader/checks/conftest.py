"""Fixtures for the check modules: the student's chapter module, a seeded rng, and the run's context(s)."""
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
def ctx_list(request):
    """Markers for the devices of a multi-device exercise: cpu:0 and cpu:1 when the run's --ctx is the CPU
    (MXNet keeps them apart like two devices), every visible GPU when it is a GPU."""
    spec = grading_session(request.config).ctx
    if spec == "cpu":
        return [ContextArg("cpu:0"), ContextArg("cpu:1")]
    from d2lzh.devices import num_gpus
    return [ContextArg("gpu:%d" % index) for index in range(num_gpus())]
