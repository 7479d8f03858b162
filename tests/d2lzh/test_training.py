"""The book's training loops on synthetic Fashion-MNIST: they learn, print the book's lines, return history."""
import re

import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

import d2lzh as d2l
from d2lzh import devices, training
from d2lzh.data.synthetic import write_fashion_mnist

CH3_LINE = re.compile(r"^epoch \d+, loss \d+\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}$")
CH5_LINE = re.compile(r"^epoch \d+, loss \d+\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}, time \d+\.\d sec$")


@pytest.fixture(scope="module")
def fashion_folder(tmp_path_factory):
    return write_fashion_mnist(str(tmp_path_factory.mktemp("fmnist")), num_train=1000, num_test=300)


@pytest.fixture
def iters(fashion_folder):
    d2l.set_seed(0)
    return d2l.load_data_fashion_mnist(100, root=fashion_folder)


def softmax_regression():
    net = nn.Sequential()
    net.add(nn.Dense(10))
    net.initialize(init.Normal(sigma=0.01))
    return net


def small_lenet():
    net = nn.Sequential()
    net.add(nn.Conv2D(4, kernel_size=5, activation="relu"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(32, activation="relu"), nn.Dense(10))
    net.initialize(init.Xavier())
    return net


def sgd_trainer(net, lr):
    return gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr})


@pytest.fixture
def no_gpu(monkeypatch):
    monkeypatch.setattr(devices, "num_gpus", lambda: 0)


# evaluate_accuracy -------------------------------------------------------------------------------------
class FixedScores(nn.Block):
    """Predicts class (sum of the row's features) mod 3, so the right answers are easy to count by hand."""

    def __init__(self):
        super().__init__()
        self.unused = self.params.get("unused", shape=(1,))

    def forward(self, X):
        return nd.one_hot(X.sum(axis=1) % 3, 3)


def test_evaluate_accuracy_counts_correct_argmax_by_hand():
    X = nd.array([[0, 1], [1, 1], [2, 2], [1, 0], [5, 0]])  # predicts 1, 2, 1, 1, 2
    y = nd.array([1, 2, 0, 0, 2], dtype="int32")
    net = FixedScores()
    net.initialize()
    batches = [(X[:2], y[:2]), (X[2:], y[2:])]
    assert training.evaluate_accuracy(batches, net) == pytest.approx(3 / 5)
    assert training.evaluate_accuracy(batches, net, mx.cpu()) == pytest.approx(3 / 5)


def test_evaluate_accuracy_splits_over_several_contexts():
    X = nd.array([[0, 1], [1, 1], [2, 2], [1, 0], [5, 0]])
    y = nd.array([1, 2, 0, 0, 2], dtype="int32")
    net = FixedScores()
    net.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    assert training.evaluate_accuracy([(X, y)], net, [mx.cpu(0), mx.cpu(1)]) == pytest.approx(3 / 5)


def test_evaluate_accuracy_explains_a_context_the_net_is_not_on():
    net = FixedScores()
    net.initialize(ctx=mx.cpu(0))
    with pytest.raises(ValueError, match="reset_ctx"):
        training.evaluate_accuracy([(nd.ones((1, 2)), nd.zeros(1))], net, mx.cpu(1))


def test_evaluate_accuracy_on_no_batches_says_so():
    with pytest.raises(ValueError, match="no batches"):
        training.evaluate_accuracy([], softmax_regression())


# _get_batch ----------------------------------------------------------------------------------------------
def test_get_batch_casts_labels_and_splits_unevenly():
    X, y = nd.ones((5, 3)), nd.array([0, 1, 2, 3, 4], dtype="int32")
    Xs, ys, size = d2l._get_batch((X, y), [mx.cpu(0), mx.cpu(1)])
    assert size == 5
    assert sorted(x.shape[0] for x in Xs) == [2, 3] and [x.context for x in Xs] == [mx.cpu(0), mx.cpu(1)]
    assert all(part.dtype == np.float32 for part in ys)
    assert nd.concat(*[part.as_in_context(mx.cpu()) for part in ys], dim=0).asnumpy().tolist() == [0, 1, 2, 3, 4]


def test_get_batch_with_fewer_examples_than_devices_uses_fewer_devices():
    Xs, ys, size = d2l._get_batch((nd.ones((1, 3)), nd.zeros(1)), [mx.cpu(0), mx.cpu(1)])
    assert size == 1 and len(Xs) == len(ys) == 1


# train_ch3 -----------------------------------------------------------------------------------------------
def test_train_ch3_with_scratch_params_learns_and_prints_the_books_lines(iters, capsys):
    train_iter, test_iter = iters
    W = nd.random.normal(scale=0.01, shape=(784, 10))
    b = nd.zeros(10)
    W.attach_grad()
    b.attach_grad()

    def net(X):
        scores = nd.dot(X.reshape((-1, 784)), W) + b
        exp = scores.exp()
        return exp / exp.sum(axis=1, keepdims=True)

    def cross_entropy(y_hat, y):
        return -nd.pick(y_hat, y).log()

    history = d2l.train_ch3(net, train_iter, test_iter, cross_entropy, 2, 100, [W, b], 0.1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(CH3_LINE.match(line) for line in lines), lines
    assert [s.epoch for s in history] == [1, 2]
    assert history[-1].test_acc > 0.4 and history[-1].loss < history[0].loss  # chance is 0.1
    assert lines[1] == "epoch 2, loss %.4f, train acc %.3f, test acc %.3f" % (
        history[1].loss, history[1].train_acc, history[1].test_acc)


def test_train_ch3_with_a_trainer_matches_an_independent_count(iters, capsys):
    train_iter, test_iter = iters
    net = softmax_regression()
    history = d2l.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 2, 100,
                            None, None, sgd_trainer(net, 0.1))
    assert history[-1].test_acc > 0.5
    correct = sum(float((net(X).argmax(axis=1) == y.astype("float32")).sum().asscalar()) for X, y in test_iter)
    assert history[-1].test_acc == pytest.approx(correct / 300)
    assert 0 <= history[-1].train_acc <= 1 and history[-1].time > 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_train_ch3_loss_and_accuracy_are_per_example_means(capsys):
    """One batch, lr 0: the reported loss and accuracy must equal a direct computation."""
    X = nd.random.uniform(shape=(6, 1, 28, 28))
    y = nd.array([0, 1, 2, 3, 4, 5], dtype="int32")
    net = softmax_regression()
    loss = gloss.SoftmaxCrossEntropyLoss()
    history = d2l.train_ch3(net, [(X, y)], [(X, y)], loss, 1, 6, None, None, sgd_trainer(net, 0.0))
    expected_loss = loss(net(X), y).mean().asscalar()
    expected_acc = (net(X).argmax(axis=1) == y.astype("float32")).mean().asscalar()
    assert history[0].loss == pytest.approx(expected_loss, rel=1e-5)
    assert history[0].train_acc == pytest.approx(expected_acc) == history[0].test_acc


def test_train_ch3_moves_batches_to_where_the_net_lives(iters, capsys):
    """cpu(1) stands in for a GPU: batches arrive on cpu(0), the parameters live elsewhere."""
    net = nn.Sequential()
    net.add(nn.Dense(10))
    net.initialize(init.Normal(sigma=0.01), ctx=mx.cpu(1))
    history = d2l.train_ch3(net, *iters, gloss.SoftmaxCrossEntropyLoss(), 2, 100, None, None, sgd_trainer(net, 0.1))
    assert history[1].loss < history[0].loss
    assert history[1].test_acc == pytest.approx(d2l.evaluate_accuracy(iters[1], net))  # default ctx: cpu(1)


def test_train_ch3_needs_a_trainer_or_params_and_lr(iters):
    with pytest.raises(ValueError, match="trainer"):
        d2l.train_ch3(softmax_regression(), *iters, gloss.SoftmaxCrossEntropyLoss(), 1, 100)


def test_train_ch3_shows_a_progress_bar_only_when_asked(iters, capsys):
    net = softmax_regression()
    d2l.train_ch3(net, *iters, gloss.SoftmaxCrossEntropyLoss(), 1, 100, trainer=sgd_trainer(net, 0.1),
                  progress=True)
    captured = capsys.readouterr()
    assert "epoch 1" in captured.err and CH3_LINE.match(captured.out.strip())


# train_ch5 / train ----------------------------------------------------------------------------------------
def test_train_ch5_prints_training_on_then_timed_lines_and_learns(iters, capsys):
    net = small_lenet()
    history = d2l.train_ch5(net, *iters, 100, sgd_trainer(net, 0.1), mx.cpu(), 4)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "training on cpu(0)"
    assert len(lines) == 5 and all(CH5_LINE.match(line) for line in lines[1:]), lines
    assert [s.epoch for s in history] == [1, 2, 3, 4] and history[-1].loss < history[0].loss
    assert history[-1].train_acc > 0.25  # chance is 0.1


def test_train_on_two_contexts_with_an_uneven_batch_size(fashion_folder, capsys):
    train_iter, test_iter = d2l.load_data_fashion_mnist(45, root=fashion_folder)  # 1000 = 22 * 45 + 10
    ctx = [mx.cpu(0), mx.cpu(1)]
    net = softmax_regression()
    net.initialize(init.Normal(sigma=0.01), ctx=ctx, force_reinit=True)
    trainer = sgd_trainer(net, 0.1)
    history = d2l.train(train_iter, test_iter, net, gloss.SoftmaxCrossEntropyLoss(), trainer, ctx, 2,
                        kvstore="local")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "training on [cpu(0), cpu(1)]"
    assert all(CH5_LINE.match(line) for line in lines[1:]) and len(lines) == 3
    assert history[-1].test_acc > 0.5
    assert trainer._kvstore is not None and trainer._kvstore.type == "local"
    w = net[0].weight
    np.testing.assert_allclose(w.data(mx.cpu(0)).asnumpy(), w.data(mx.cpu(1)).asnumpy())  # copies stay in sync


def test_train_accepts_a_single_context(iters, capsys):
    net = softmax_regression()
    history = d2l.train(*iters, net, gloss.SoftmaxCrossEntropyLoss(), sgd_trainer(net, 0.5), mx.cpu(), 1)
    assert capsys.readouterr().out.startswith("training on cpu(0)\n") and len(history) == 1


def test_train_cannot_switch_the_kvstore_of_a_trainer_that_already_stepped():
    net = softmax_regression()
    trainer = sgd_trainer(net, 0.1)
    with autograd.record():
        loss = net(nd.ones((2, 784))).sum()
    loss.backward()
    trainer.step(2)
    with pytest.raises(ValueError, match="kvstore='local'"):
        d2l.train([], [], net, gloss.SoftmaxCrossEntropyLoss(), trainer, mx.cpu(), 1, kvstore="local")


def test_a_missing_gpu_is_reported_before_any_training(iters, no_gpu):
    net = softmax_regression()
    trainer = sgd_trainer(net, 0.1)
    with pytest.raises(devices.DeviceUnavailableError, match="try_gpu"):
        d2l.train_ch5(net, *iters, 100, trainer, mx.gpu(0), 1)
    with pytest.raises(devices.DeviceUnavailableError):
        d2l.train(*iters, net, gloss.SoftmaxCrossEntropyLoss(), trainer, [mx.cpu(), mx.gpu(0)], 1)
    with pytest.raises(devices.DeviceUnavailableError):
        d2l.evaluate_accuracy(iters[1], net, mx.gpu(0))


def test_an_empty_context_list_is_refused(iters):
    net = softmax_regression()
    with pytest.raises(ValueError, match="empty"):
        d2l.train(*iters, net, gloss.SoftmaxCrossEntropyLoss(), sgd_trainer(net, 0.1), [], 1)
