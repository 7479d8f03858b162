"""The book's training loops, ``train_ch3``, ``train_ch5`` and ``train``, sharing one epoch loop.

Each batch goes to the device(s) the model is trained on; the loss sum and the number of correct
predictions stay on the device, so the host waits once per epoch instead of twice per batch.
Every loop prints the book's line per epoch and returns the history as a list of EpochStats.
"""
import time
from dataclasses import dataclass

import mxnet as mx
from mxnet import autograd, gluon, nd

from .data.fashion_mnist import ArrayBatches
from .devices import check_context, context_of
from .scratch import sgd


@dataclass
class EpochStats:
    """One epoch: mean training loss, training and test accuracy, and seconds taken (test pass included)."""

    epoch: int
    loss: float
    train_acc: float
    test_acc: float
    time: float

    def line(self, with_time):
        """The line the book prints for this epoch (train_ch3 prints it without the time)."""
        text = "epoch %d, loss %.4f, train acc %.3f, test acc %.3f" % (
            self.epoch, self.loss, self.train_acc, self.test_acc)
        return text + (", time %.1f sec" % self.time if with_time else "")


def _contexts(ctx):
    """``ctx`` (a Context or a list of them) as a checked, non-empty list."""
    ctxs = [ctx] if isinstance(ctx, mx.Context) else list(ctx)
    if not ctxs:
        raise ValueError("ctx is an empty list: pass mx.cpu(), d2l.try_gpu() or d2l.try_all_gpus()")
    return check_context(ctxs)


def _model_contexts(net, params=None):
    """Where ``net`` computes: its parameters' contexts (a Block), ``params``' context (a function), else CPU."""
    if isinstance(net, gluon.Block):
        return context_of(net)
    return [params[0].context] if params else [mx.cpu()]


def _check_net_on(net, ctxs):
    """Raise a clear error if a Block's parameters do not live on every context in ``ctxs``."""
    if isinstance(net, gluon.Block):
        missing = [c for c in ctxs if c not in context_of(net)]
        if missing:
            raise ValueError(
                "the net's parameters live on %s but ctx asks for %s: initialize them there, e.g."
                " net.initialize(ctx=%s) or net.collect_params().reset_ctx(%s)"
                % (context_of(net), missing, ctxs, ctxs))


def _get_batch(batch, ctx):
    """Split a ``(features, labels)`` batch over ``ctx``; labels are cast to the features' dtype.

    Returns (feature parts, label parts, batch size). Parts may differ in size, so a short last
    batch works on any number of devices; a batch smaller than the device count uses fewer devices.
    """
    features, labels = batch
    if labels.dtype != features.dtype:
        labels = labels.astype(features.dtype)
    size = features.shape[0]
    ctxs = ([ctx] if isinstance(ctx, mx.Context) else list(ctx))[:size]
    if len(ctxs) == 1:  # the common case, without split_and_load's per-call checks
        return [features.as_in_context(ctxs[0])], [labels.as_in_context(ctxs[0])], size
    return (gluon.utils.split_and_load(features, ctxs, even_split=False),
            gluon.utils.split_and_load(labels, ctxs, even_split=False), size)


def _batches(data_iter):
    """Iterate ``data_iter``; d2lzh's own loaders then hand out labels already cast, saving an op per batch."""
    return data_iter.batches(cast_labels=True) if isinstance(data_iter, ArrayBatches) else data_iter


def _num_correct(y_hat, y):
    """Number of rows whose arg-max matches ``y``, as a (1,) NDArray on their device (no host sync)."""
    return (y_hat.argmax(axis=1) == y).sum()


def _host_totals(*per_device):
    """Sum each list of per-device (1,) NDArrays and read all the totals with one host sync."""
    totals = [nd.add_n(*[a.as_in_context(parts[0].context) for a in parts]) for parts in per_device]
    return nd.concat(*totals, dim=0).asnumpy().tolist()


def evaluate_accuracy(data_iter, net, ctx=None):
    """Fraction of examples in ``data_iter`` that ``net`` classifies correctly (a Python float).

    ``ctx`` (a Context or a list) defaults to where the net's parameters live.
    """
    ctxs = _model_contexts(net) if ctx is None else _contexts(ctx)
    _check_net_on(net, ctxs)
    correct, count = _count_correct(data_iter, net, ctxs)
    return _host_totals(correct)[0] / count


def _count_correct(data_iter, net, ctxs):
    """(correct predictions per device as (1,) NDArrays, number of examples), without a host sync."""
    correct = [nd.zeros((1,), ctx=c) for c in ctxs]
    count = 0
    for batch in _batches(data_iter):
        Xs, ys, size = _get_batch(batch, ctxs)
        for acc, X, y in zip(correct, Xs, ys):
            acc += _num_correct(net(X), y)
        count += size
    if count == 0:
        raise ValueError("data_iter yielded no batches, so there is no accuracy to compute")
    return correct, count


def _train_epoch(net, batches, loss, ctxs, step):
    """One pass over ``batches``: forward, backward, ``step(batch_size)``.

    Returns (loss sums, correct predictions) per device as (1,) NDArrays, and the example count.
    """
    loss_sums = [nd.zeros((1,), ctx=c) for c in ctxs]
    correct = [nd.zeros((1,), ctx=c) for c in ctxs]
    count = 0
    for batch in batches:
        Xs, ys, size = _get_batch(batch, ctxs)
        with autograd.record():
            y_hats = [net(X) for X in Xs]
            losses = [loss(y_hat, y) for y_hat, y in zip(y_hats, ys)]
        autograd.backward(losses)
        step(size)
        for loss_sum, acc, l, y_hat, y in zip(loss_sums, correct, losses, y_hats, ys):
            loss_sum += l.sum()
            acc += _num_correct(y_hat, y)
        count += size
    if count == 0:
        raise ValueError("train_iter yielded no batches: check the data set and batch_size")
    return loss_sums, correct, count


def _with_progress(data_iter, epoch, progress):
    """One pass of ``data_iter``, in a tqdm bar for this epoch when ``progress`` is on (tqdm loads only then)."""
    if not progress:
        return _batches(data_iter)
    from tqdm.auto import tqdm
    total = len(data_iter) if hasattr(data_iter, "__len__") else None
    return tqdm(_batches(data_iter), desc="epoch %d" % epoch, total=total, leave=False)


def _fit(net, train_iter, test_iter, loss, num_epochs, ctxs, step, with_time, progress):
    """The epoch loop all three trainers share: train, evaluate, print the book's line, keep stats."""
    _check_net_on(net, ctxs)
    history = []
    for epoch in range(1, num_epochs + 1):
        start = time.time()
        loss_sums, correct, count = _train_epoch(
            net, _with_progress(train_iter, epoch, progress), loss, ctxs, step)
        test_correct, test_count = _count_correct(test_iter, net, ctxs)
        loss_sum, num_correct, num_test_correct = _host_totals(loss_sums, correct, test_correct)  # one sync
        stats = EpochStats(epoch, loss_sum / count, num_correct / count, num_test_correct / test_count,
                           time.time() - start)
        print(stats.line(with_time))
        history.append(stats)
    return history


def train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size,
              params=None, lr=None, trainer=None, *, progress=False):
    """Train a classifier (ch. 3) with the scratch ``sgd(params, lr, batch_size)`` or a Gluon ``trainer``.

    Batches move to where the model lives (a Block's parameters, or ``params``), so a net on a
    GPU works. Prints one line per epoch; returns a list of EpochStats.
    """
    ctxs = check_context(_model_contexts(net, params))
    if trainer is None:
        if params is None or lr is None:
            raise ValueError("train_ch3 needs either trainer=... or both params=[...] and lr=...")
        def step(_):
            sgd(params, lr, batch_size)
    else:
        def step(_):
            trainer.step(batch_size)
    return _fit(net, train_iter, test_iter, loss, num_epochs, ctxs, step, False, progress)


def train_ch5(net, train_iter, test_iter, batch_size, trainer, ctx, num_epochs, *, progress=False):
    """Train a CNN (ch. 5) on ``ctx`` with softmax cross-entropy; prints 'training on', then one line per epoch.

    Returns a list of EpochStats.
    """
    ctxs = _contexts(ctx)
    print("training on", ctx)
    return _fit(net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(), num_epochs, ctxs,
                lambda _: trainer.step(batch_size), True, progress)


def train(train_iter, test_iter, net, loss, trainer, ctx, num_epochs, *, kvstore=None, progress=False):
    """Train on one or several devices (ch. 9): each batch is split over ``ctx`` (uneven splits allowed).

    Prints 'training on', then one line per epoch; returns a list of EpochStats. ``kvstore``
    (e.g. 'device', 'local') sets how the trainer aggregates gradients across devices; it is
    applied to a trainer that has not stepped yet. For distributed training create the trainer
    as ``gluon.Trainer(params, 'sgd', {...}, kvstore='dist_sync')`` and leave ``kvstore`` None.
    """
    ctxs = _contexts(ctx)
    if kvstore is not None:
        _set_kvstore(trainer, kvstore)
    print("training on", ctx)
    return _fit(net, train_iter, test_iter, loss, num_epochs, ctxs, trainer.step, True, progress)


def _set_kvstore(trainer, kvstore):
    """Make ``trainer`` aggregate through ``kvstore``; only possible before its first step."""
    current = trainer._kvstore_params["kvstore"]
    if current == kvstore:
        return
    if trainer._kv_initialized:
        raise ValueError(
            "this trainer already uses kvstore %r and cannot switch to %r after stepping: create it"
            " as gluon.Trainer(..., kvstore=%r)" % (current, kvstore, kvstore))
    trainer._kvstore_params["kvstore"] = kvstore
