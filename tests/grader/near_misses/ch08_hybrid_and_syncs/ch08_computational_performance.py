"""Near misses of chapter 8, part 1: what hybrid_forward may not do, and a sync per batch."""
from solved_ch08_computational_performance import *  # noqa: F401,F403
from solved_ch08_computational_performance import HybridMLP as _HybridMLP
from mxnet import autograd, nd
from mxnet.gluon import nn


class HybridMLP(_HybridMLP):
    """nd.relu instead of F.relu: right imperatively, breaks once hybridize() passes Symbols."""

    def hybrid_forward(self, F, x):
        return self.output(nd.relu(self.hidden(x)))


class HybridPiecewise(nn.HybridBlock):
    """Builds the condition from values with asnumpy, which a Symbol does not have."""

    def hybrid_forward(self, F, x):
        positive = nd.array(x.asnumpy() > 0)
        return positive * x * x + (1 - positive) * -3 * x


HYBRID_ALLOWED = "cde"  # believes nd.relu works on Symbols too


def train_epoch(net, trainer, loss, batches):
    """Right loss and updates, but a host sync (asscalar) on every batch."""
    total, count = 0.0, 0
    for X, y in batches:
        with autograd.record():
            l = loss(net(X), y)
        l.backward()
        trainer.step(X.shape[0])
        total += l.sum().asscalar()
        count += X.shape[0]
    return total / count
