"""Chapter 7 (optimization): the 2-D trajectory demo and the minibatch training loops.

``train_ch7`` (scratch optimiser on ``linreg``) and ``train_gluon_ch7`` (``gluon.Trainer`` on a
``Dense(1)``) share one loop. It keeps the full-data loss recorded every 100 examples on the
device and reads it back once at the end, and reports the mean time per epoch.
"""
import time

import numpy as np
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import loss as gloss, nn

from . import plotting
from .scratch import data_iter, linreg, squared_loss

RECORD_EVERY = 100  # examples between two recorded full-data losses, as in the book


def train_2d(trainer):
    """Run ``trainer(x1, x2, s1, s2)`` 20 times from (-5, -2, 0, 0); return the 21 points (x1, x2)."""
    x1, x2, s1, s2 = -5, -2, 0, 0
    results = [(x1, x2)]
    for epoch in range(1, 21):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        results.append((x1, x2))
    print('epoch %d, x1 %f, x2 %f' % (epoch, x1, x2))
    return results


def train_ch7(trainer_fn, states, hyperparams, features, labels, batch_size=10, num_epochs=2):
    """Train linear regression with the scratch optimiser ``trainer_fn([w, b], states, hyperparams)``.

    The minibatch loss is the mean squared loss. Returns the recorded full-data losses.
    """
    w = nd.random.normal(scale=0.01, shape=(features.shape[1], 1), ctx=features.context)
    b = nd.zeros(1, ctx=features.context)
    w.attach_grad()
    b.attach_grad()

    def batch_step(X, y):
        with autograd.record():
            loss = squared_loss(linreg(X, w, b), y).mean()
        loss.backward()
        trainer_fn([w, b], states, hyperparams)

    def full_loss():
        return squared_loss(linreg(features, w, b), labels).mean()

    return _train_and_plot(batch_step, full_loss, features, labels, batch_size, num_epochs)


def train_gluon_ch7(trainer_name, trainer_hyperparams, features, labels, batch_size=10,
                    num_epochs=2):
    """Train a ``Dense(1)`` with ``L2Loss`` and ``gluon.Trainer(trainer_name, trainer_hyperparams)``.

    Returns the recorded full-data losses.
    """
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=0.01), ctx=features.context)
    loss_fn = gloss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), trainer_name, trainer_hyperparams)

    def batch_step(X, y):
        with autograd.record():
            loss = loss_fn(net(X), y)
        loss.backward()
        trainer.step(batch_size)

    def full_loss():
        return loss_fn(net(features), labels).mean()

    return _train_and_plot(batch_step, full_loss, features, labels, batch_size, num_epochs)


def _train_and_plot(batch_step, full_loss, features, labels, batch_size, num_epochs):
    """The shared chapter-7 loop: shuffled minibatches, the full-data loss every 100 examples.

    Losses stay on the device until the run ends (one host sync). Prints the final loss and
    the mean seconds per epoch, plots the curve, returns the losses as a list of floats.
    """
    losses = [full_loss()]
    start = time.time()
    for _ in range(num_epochs):
        for batch_i, (X, y) in enumerate(data_iter(batch_size, features, labels)):
            batch_step(X, y)
            if (batch_i + 1) * batch_size % RECORD_EVERY == 0:
                losses.append(full_loss())
    nd.waitall()  # the run's one host sync: the last updates and every recorded loss
    seconds_per_epoch = (time.time() - start) / max(num_epochs, 1)
    history = [float(v) for v in nd.concat(*losses, dim=0).asnumpy()]
    print('loss: %f, %f sec per epoch' % (history[-1], seconds_per_epoch))
    _plot_losses(history, num_epochs)
    return history


def _plot_losses(history, num_epochs):
    """Loss against epoch, like the book's figure (works headless)."""
    import matplotlib.pyplot as plt
    plotting.set_figsize()
    plt.plot(np.linspace(0, num_epochs, len(history)), history)
    plt.xlabel('epoch')
    plt.ylabel('loss')
