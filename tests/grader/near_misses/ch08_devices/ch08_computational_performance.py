"""Near misses of chapter 8, part 2: splitting a batch, the all-reduce and the multi-device step."""
from solved_ch08_computational_performance import *  # noqa: F401,F403
from solved_ch08_computational_performance import split_and_load as _split_and_load
from mxnet import autograd, gluon, nd


def split_sizes(batch_size, num_devices):
    """Gives the remainder to the last device instead of one extra example to each of the first ones."""
    each = batch_size // num_devices
    return [each] * (num_devices - 1) + [batch_size - each * (num_devices - 1)]


def split_and_load(data, ctx):
    """Right parts, but never moved off the device the batch is on."""
    return [part.copy() for part in _split_and_load(data, [data.context] * len(ctx))]


def allreduce(data):
    """Sums into data[0] and stops there: the other devices keep their own values."""
    for i in range(1, len(data)):
        data[0][:] += data[i].copyto(data[0].context)


def train_batch(X, y, device_params, ctx, lr):
    """Each device steps on the gradient of its own part: no all-reduce."""
    X_parts, y_parts = _split_and_load(X, ctx), _split_and_load(y, ctx)
    with autograd.record():
        losses = [(nd.dot(X_part, w) + b - y_part.reshape((-1, 1))) ** 2 / 2
                  for X_part, y_part, (w, b) in zip(X_parts, y_parts, device_params)]
    for l in losses:
        l.backward()
    for params in device_params:
        for param in params:
            param[:] = param - lr * param.grad / X.shape[0]


def train_step_multi(net, trainer, loss, X, y, ctx):
    """Steps with the size of one device's part instead of the whole batch's."""
    X_parts = gluon.utils.split_and_load(X, ctx, even_split=False)
    y_parts = gluon.utils.split_and_load(y, ctx, even_split=False)
    with autograd.record():
        losses = [loss(net(X_part), y_part) for X_part, y_part in zip(X_parts, y_parts)]
    for l in losses:
        l.backward()
    trainer.step(X_parts[0].shape[0])
