"""Benchmark times the block's computation, not just its queueing (d2lzh.timing)."""
import re
import time

import pytest
from mxnet import nd

import d2lzh as d2l


def test_prints_the_prefix_and_seconds_like_1_0_0(capsys):
    with d2l.Benchmark("Workloads are finished.") as bench:
        time.sleep(0.01)
    out = capsys.readouterr().out
    assert re.fullmatch(r"Workloads are finished\. time: \d+\.\d{4} sec\n", out)
    assert bench.elapsed >= 0.01 and out == "Workloads are finished. time: %.4f sec\n" % bench.elapsed


def test_without_prefix_prints_only_the_time(capsys):
    with d2l.Benchmark():
        pass
    assert re.fullmatch(r"time: \d+\.\d{4} sec\n", capsys.readouterr().out)


def test_waits_for_queued_mxnet_work(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(nd, "waitall", lambda: calls.append(time.perf_counter()))
    with d2l.Benchmark("x") as bench:
        calls.append("body")
    assert calls[1] == "body" and len(calls) == 3  # waits before and after the block
    assert bench.elapsed == pytest.approx(calls[2] - bench.start, abs=1e-3)


def test_covers_the_computation_it_times(capsys):
    x = nd.random.uniform(shape=(1000, 1000))
    x.wait_to_read()
    with d2l.Benchmark() as bench:
        y = nd.dot(x, x)  # tens of milliseconds of work; enqueueing it takes microseconds
    start = time.perf_counter()
    y.wait_to_read()  # already computed: the benchmark waited for it
    assert time.perf_counter() - start < 0.1 * bench.elapsed


def test_wait_false_keeps_1_0_0s_enqueue_only_timing(monkeypatch, capsys):
    monkeypatch.setattr(nd, "waitall", lambda: pytest.fail("waitall called with wait=False"))
    with d2l.Benchmark("queued", wait=False) as bench:
        pass
    assert capsys.readouterr().out.startswith("queued time: ") and bench.elapsed >= 0
