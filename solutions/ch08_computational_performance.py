"""Chapter 8, Computational performance: model solutions (same names as exercises/ch08_computational_performance.py)."""
from mxnet import autograd, gluon, nd
from mxnet.gluon import nn

# ---------------------------------------------------------------------------------------------
# 8.1 Hybrid programming
# ---------------------------------------------------------------------------------------------


# Exercise 8.1.1
class HybridMLP(nn.HybridBlock):
    """Dense(num_hidden, relu) then Dense(num_outputs), hybridizable."""

    def __init__(self, num_hidden, num_outputs, **kwargs):
        super().__init__(**kwargs)
        self.hidden = nn.Dense(num_hidden)
        self.output = nn.Dense(num_outputs)

    def hybrid_forward(self, F, x):
        return self.output(F.relu(self.hidden(x)))


# Exercise 8.1.2
class HybridPiecewise(nn.HybridBlock):
    """x * x where x > 0, else -3 * x, with F.where instead of a Python if on values."""

    def hybrid_forward(self, F, x):
        return F.where(x > 0, x * x, -3 * x)


# Exercise 8.1.3: asnumpy and a Python if need values, which Symbols lack; nd.relu does not take a Symbol;
# F.where and a loop with a fixed count trace fine.
HYBRID_ALLOWED = "cd"

# ---------------------------------------------------------------------------------------------
# 8.2 Asynchronous computation
# ---------------------------------------------------------------------------------------------


# Exercise 8.2.1
def train_epoch(net, trainer, loss, batches):
    """One epoch of training; the loss sum stays on the device until the single asscalar at the end."""
    total, count = nd.zeros(1), 0
    for X, y in batches:
        with autograd.record():
            l = loss(net(X), y)
        l.backward()
        trainer.step(X.shape[0])
        total += l.sum()
        count += X.shape[0]
    return float(total.asscalar()) / count


# ---------------------------------------------------------------------------------------------
# 8.4 Multi-GPU computation
# ---------------------------------------------------------------------------------------------


# Exercise 8.4.1
def split_sizes(batch_size, num_devices):
    """The first batch_size % num_devices devices get one example more than the others."""
    each, extra = divmod(batch_size, num_devices)
    return [each + 1] * extra + [each] * (num_devices - extra)


# Exercise 8.4.2
def split_and_load(data, ctx):
    """Consecutive parts of data, sized by split_sizes, each copied to its device."""
    parts, start = [], 0
    for size, device in zip(split_sizes(data.shape[0], len(ctx)), ctx):
        parts.append(data[start:start + size].as_in_context(device))
        start += size
    return parts


# Exercise 8.4.3
def allreduce(data):
    """Sum into data[0], then copy the sum back to every other device."""
    for i in range(1, len(data)):
        data[0][:] += data[i].copyto(data[0].context)
    for i in range(1, len(data)):
        data[0].copyto(data[i])


# Exercise 8.4.4
def train_batch(X, y, device_params, ctx, lr):
    """Forward and backward on each device's part, all-reduce the gradients, SGD on every replica."""
    X_parts, y_parts = split_and_load(X, ctx), split_and_load(y, ctx)
    with autograd.record():
        losses = [(nd.dot(X_part, w) + b - y_part.reshape((-1, 1))) ** 2 / 2
                  for X_part, y_part, (w, b) in zip(X_parts, y_parts, device_params)]
    for l in losses:
        l.backward()
    for i in range(len(device_params[0])):
        allreduce([params[i].grad for params in device_params])
    for params in device_params:
        for param in params:
            param[:] = param - lr * param.grad / X.shape[0]


# ---------------------------------------------------------------------------------------------
# 8.5 Multi-GPU computation, the concise way
# ---------------------------------------------------------------------------------------------


# Exercise 8.5.1
def train_step_multi(net, trainer, loss, X, y, ctx):
    """split_and_load with even_split=False, a loss per device, one step over the whole batch."""
    X_parts = gluon.utils.split_and_load(X, ctx, even_split=False)
    y_parts = gluon.utils.split_and_load(y, ctx, even_split=False)
    with autograd.record():
        losses = [loss(net(X_part), y_part) for X_part, y_part in zip(X_parts, y_parts)]
    for l in losses:
        l.backward()
    trainer.step(X.shape[0])
