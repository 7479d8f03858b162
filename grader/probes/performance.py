"""Probes of computational performance: hybridization, host syncs, and work spread over several devices."""
import contextlib
import traceback

from mxnet import gluon, nd
from mxnet.gluon import nn

# The calls that make Python wait for the engine: (owner, attribute). asscalar, float(), print() and
# tolist() of an NDArray all go through asnumpy.
SYNC_POINTS = ((nd.NDArray, "asnumpy"), (nd.NDArray, "wait_to_read"), (nd, "waitall"))


def _failure(exc):
    """'ExceptionType: first line of the message' of an exception, for a check's message."""
    return "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[0][:300]


def hybridized_outputs(factory, *args, x, **kwargs):
    """Build factory(*args, **kwargs), initialise it, and run it on x before and after net.hybridize().

    Returns the outputs of an imperative call, of the first hybridized call (the one that traces
    hybrid_forward with Symbols) and of a second hybridized call (the cached graph), or the error a
    hybridized call raised; whether the net is a HybridBlock at all, and its parameters' values.
    """
    net = factory(*args, **kwargs)
    net.initialize(force_reinit=True)
    X = nd.array(x, dtype="float32")
    found = {"is_hybrid_block": isinstance(net, nn.HybridBlock), "imperative": net(X).asnumpy(),
             "params": [param.data().asnumpy() for param in net.collect_params().values()],
             "hybridized": None, "cached": None, "error": None}
    if not found["is_hybrid_block"]:
        return found
    net.hybridize()
    try:
        found["hybridized"] = net(X).asnumpy()
        found["cached"] = net(X).asnumpy()
    except NotImplementedError:  # a stub, or a part of it still left to do
        raise
    except Exception as exc:  # what hybrid_forward may not do surfaces here: report it, do not crash
        found["error"] = _failure(exc)
    return found


@contextlib.contextmanager
def _counting_syncs(counter):
    """Count every top-level call of SYNC_POINTS into counter['syncs'] while the block runs."""
    saved = [(owner, name, getattr(owner, name)) for owner, name in SYNC_POINTS]
    depth = [0]

    def counted(function):
        def wrapper(*args, **kwargs):
            counter["syncs"] += depth[0] == 0
            depth[0] += 1
            try:
                return function(*args, **kwargs)
            finally:
                depth[0] -= 1
        return wrapper

    for owner, name, function in saved:
        setattr(owner, name, counted(function))
    try:
        yield counter
    finally:
        for owner, name, function in saved:
            setattr(owner, name, function)


def _linear_net_with_sgd(weight, bias, lr, ctxs=None):
    """An nn.Dense(1) holding weight (1, d) and bias (1,) (on every context of ctxs, or the current one),
    and a plain SGD gluon.Trainer over its parameters with learning rate lr."""
    net = nn.Dense(1, in_units=len(weight[0]))
    net.initialize(ctx=ctxs)
    net.weight.set_data(nd.array(weight))
    net.bias.set_data(nd.array(bias))
    return net, gluon.Trainer(net.collect_params(), optimizer="sgd", optimizer_params={"learning_rate": lr})


def linear_epoch_syncs(train_epoch_fn, weight, bias, batches, lr):
    """Run train_epoch_fn(net, trainer, loss, batches) on a linear net, counting host syncs.

    net: nn.Dense(1) holding weight (1, d) and bias (1,); trainer: plain SGD with learning rate lr;
    loss: gluon.loss.L2Loss(); batches: a list of (X, y) NDArray pairs made from the given numpy pairs.
    Returns what the function returned, the number of host syncs it made, and the parameters after it.
    """
    net, trainer = _linear_net_with_sgd(weight, bias, lr)
    data = [(nd.array(X), nd.array(y)) for X, y in batches]
    nd.waitall()
    with _counting_syncs({"syncs": 0}) as counter:
        result = train_epoch_fn(net, trainer, gluon.loss.L2Loss(), data)
    return {"result": result, "syncs": counter["syncs"],
            "weight": net.weight.data().asnumpy(), "bias": net.bias.data().asnumpy()}


def placement(fn, *args, **kwargs):
    """Call fn(*args, **kwargs), which returns a list of NDArrays; return their values and contexts in order."""
    parts = fn(*args, **kwargs)
    if not isinstance(parts, (list, tuple)) or not all(isinstance(part, nd.NDArray) for part in parts):
        return {"values": parts, "contexts": None}
    return {"values": [part.asnumpy() for part in parts], "contexts": [str(part.context) for part in parts]}


def in_place_on_devices(fn, arrays, ctxs):
    """Put arrays[i] on ctxs[i], call fn(list of them), return what those very NDArrays hold afterwards.

    An all-reduce that rebinds list items instead of writing into the arrays shows up as unchanged arrays.
    """
    data = [nd.array(array, ctx=ctx) for array, ctx in zip(arrays, ctxs)]
    originals = list(data)
    fn(data)
    return {"values": [array.asnumpy() for array in originals],
            "contexts": [str(array.context) for array in originals]}


def replicated_step(train_batch_fn, X, y, params, ctxs, lr):
    """Copy params (numpy arrays) onto every context with gradients attached and run one training step.

    Calls train_batch_fn(X, y, device_params, ctxs, lr) with device_params[i] the copies on ctxs[i]
    (the book's get_params); returns the values and contexts of those very copies afterwards.
    """
    device_params = []
    for ctx in ctxs:
        copies = [nd.array(param, ctx=ctx) for param in params]
        for copy in copies:
            copy.attach_grad()
        device_params.append(copies)
    train_batch_fn(X, y, device_params, ctxs, lr)
    return {"values": [[copy.asnumpy() for copy in copies] for copies in device_params],
            "contexts": [[str(copy.context) for copy in copies] for copies in device_params]}


def dense_step_on_devices(step_fn, weight, bias, X, y, ctxs, lr):
    """Run step_fn(net, trainer, loss, X, y, ctxs) once on an nn.Dense(1) replicated on ctxs.

    The net holds weight (1, d) and bias (1,) on every context; trainer: plain SGD with learning rate
    lr; loss: gluon.loss.L2Loss(). Returns the weight and bias on each context afterwards.
    """
    net, trainer = _linear_net_with_sgd(weight, bias, lr, ctxs=list(ctxs))
    step_fn(net, trainer, gluon.loss.L2Loss(), X, y, list(ctxs))
    return {"weights": [net.weight.data(ctx).asnumpy() for ctx in ctxs],
            "biases": [net.bias.data(ctx).asnumpy() for ctx in ctxs],
            "contexts": [str(ctx) for ctx in ctxs]}
