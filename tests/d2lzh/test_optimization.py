"""train_2d trajectories (OPT-04, OPT-13) and the chapter-7 training loops (OPT-11)."""
import re

import matplotlib.pyplot as plt
import pytest
from mxnet import nd

import d2lzh as d2l
from d2lzh import optimization

LOSS_LINE = re.compile(r"^loss: (\d+\.\d{6}), (\d+\.\d{6}) sec per epoch$", re.M)


def gd_2d_trainer(eta, a1=1.0, a2=2.0):
    """The book's gd_2d on f = a1*x1^2 + a2*x2^2 with learning rate eta."""
    def gd_2d(x1, x2, s1, s2):
        return x1 - eta * 2 * a1 * x1, x2 - eta * 2 * a2 * x2, 0, 0
    return gd_2d


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("eta, a1, expected", [
    (0.1, 1.0, (-0.0576460752, -7.31231688e-05)),  # OPT-04
    (0.4, 0.1, (-0.9434666458, -7.31231688e-05)),  # OPT-13
    (0.6, 0.1, (-0.3878139682, -1673.365109)),  # OPT-13, x2 diverges
])
def test_train_2d_final_point(eta, a1, expected, capsys):
    res = d2l.train_2d(gd_2d_trainer(eta, a1))
    assert len(res) == 21 and res[0] == (-5, -2)
    assert res[-1] == pytest.approx(expected, rel=1e-8)
    assert capsys.readouterr().out == "epoch 20, x1 %f, x2 %f\n" % res[-1]


def test_train_2d_matches_closed_form_and_threads_state():
    seen = []

    def trainer(x1, x2, s1, s2):
        seen.append((s1, s2))
        return 0.8 * x1, 0.6 * x2, s1 + 1, s2 + 2

    res = d2l.train_2d(trainer)
    assert res[10] == pytest.approx((-0.536870912, -0.0120932352), rel=1e-8)
    assert seen == [(k, 2 * k) for k in range(20)]


def linear_data(n=1500, seed=0):
    d2l.set_seed(seed)
    features = nd.random.normal(shape=(n, 5))
    labels = nd.dot(features, nd.array([1.0, -2.0, 0.5, 3.0, -1.0])) + 0.3 \
        + 0.01 * nd.random.normal(shape=(n,))
    return features, labels


def sgd(params, states, hyperparams):
    for p in params:
        p[:] -= hyperparams['lr'] * p.grad


def run_scratch(batch_size, num_epochs, lr=0.05, seed=1):
    features, labels = linear_data()
    d2l.set_seed(seed)
    return d2l.train_ch7(sgd, None, {'lr': lr}, features, labels, batch_size, num_epochs)


@pytest.mark.parametrize("batch_size, num_epochs, points", [(10, 2, 31), (1500, 6, 7), (500, 1, 4)])
def test_train_ch7_records_every_100_examples(batch_size, num_epochs, points):
    history = run_scratch(batch_size, num_epochs, lr=0.5 if batch_size > 10 else 0.05)
    assert len(history) == points  # OPT-11
    assert all(isinstance(v, float) for v in history)
    assert history[-1] < 0.05 * history[0]


def test_train_ch7_loss_decreases_and_starts_at_the_initial_full_loss():
    history = run_scratch(10, 1)
    features, labels = linear_data()
    # w ~ N(0, 0.01) and b = 0, so the first record is about the mean of y^2 / 2
    assert history[0] == pytest.approx((labels ** 2 / 2).mean().asscalar(), rel=0.05)
    assert all(later <= earlier * 1.5 for earlier, later in zip(history, history[1:]))
    assert history[-1] < 1e-3


def test_train_ch7_prints_book_line(capsys):
    history = run_scratch(100, 1)
    match = LOSS_LINE.search(capsys.readouterr().out)
    assert match and match.group(1) == "%f" % history[-1]


def test_train_ch7_reports_mean_seconds_over_all_epochs(monkeypatch, capsys):
    clock = iter([100.0, 106.0])  # the loop reads the clock at the start and after the final sync
    monkeypatch.setattr(optimization.time, "time", lambda: next(clock))
    run_scratch(500, 3)
    assert LOSS_LINE.search(capsys.readouterr().out).group(2) == "2.000000"


def test_train_ch7_is_reproducible_under_set_seed():
    first, again, other = (run_scratch(100, 1, seed=seed) for seed in (7, 7, 8))
    assert first == again != other


def test_train_ch7_syncs_with_the_host_once(monkeypatch):
    features, labels = linear_data()
    calls = []
    real = nd.NDArray.asnumpy
    monkeypatch.setattr(nd.NDArray, "asnumpy", lambda self: calls.append(1) or real(self))
    d2l.train_ch7(sgd, None, {'lr': 0.05}, features, labels, 10, 1)
    assert len(calls) == 1


def test_train_ch7_plots_loss_against_epoch():
    history = run_scratch(100, 2)
    line = plt.gca().get_lines()[-1]
    assert list(line.get_ydata()) == history
    assert line.get_xdata()[0] == 0 and line.get_xdata()[-1] == 2
    assert plt.gca().get_xlabel() == "epoch" and plt.gca().get_ylabel() == "loss"


@pytest.mark.parametrize("name, hyperparams", [
    ("sgd", {"learning_rate": 0.05}), ("adam", {"learning_rate": 0.1})])
def test_train_gluon_ch7(name, hyperparams, capsys):
    features, labels = linear_data()
    d2l.set_seed(3)
    history = d2l.train_gluon_ch7(name, hyperparams, features, labels, 10, 2)
    assert len(history) == 31
    assert history[-1] < 0.01 * history[0]
    assert LOSS_LINE.search(capsys.readouterr().out).group(1) == "%f" % history[-1]


def test_train_gluon_ch7_is_reproducible_under_set_seed():
    features, labels = linear_data()
    runs = []
    for seed in (5, 5, 6):
        d2l.set_seed(seed)
        runs.append(d2l.train_gluon_ch7("sgd", {"learning_rate": 0.05}, features, labels, 100, 1))
    assert runs[0] == runs[1] != runs[2]
