"""Probes of networks: build one, run a forward pass, report shapes, parameter counts and wiring."""
from mxnet import autograd, nd
from mxnet.gluon import nn

from .parameters import _param_values


def forward_summary(factory, *args, input_shape, **kwargs):
    """Build factory(*args, **kwargs), initialise it, run one forward pass on uniform input of input_shape.

    Returns the output shape, the parameter counts (all, and trainable only) and the class names of the
    net's direct children in order, so a check can compare an architecture without sending the net back.
    """
    net = factory(*args, **kwargs)
    net.initialize(force_reinit=True)
    output = net(nd.random.uniform(shape=tuple(input_shape)))
    params = list(net.collect_params().values())
    return {
        "output_shape": tuple(output.shape),
        "param_count": int(sum(p.data().size for p in params)),
        "trainable_count": int(sum(p.data().size for p in params if p.grad_req != "null")),
        "layers": [type(child).__name__ for child in net._children.values()],
    }


def forward_zeroed(factory, *args, x, **kwargs):
    """Build factory(*args, **kwargs), set every parameter to zero, return its output for the input x.

    With zero weights a layer's own path outputs zeros, so what is left shows the block's wiring:
    a residual block, for instance, then returns relu(x) through its shortcut.
    """
    net = factory(*args, **kwargs)
    net.initialize(force_reinit=True)
    X = nd.array(x, dtype="float32")
    net(X)  # completes deferred initialisation
    for param in net.collect_params().values():
        param.set_data(nd.zeros(param.shape))
    return net(X).asnumpy()


def _output_and_params(net, x):
    """Run the initialised net on x once (completing deferred initialisation), give every parameter
    standard normal values (so a forgotten bias shows), and return the output for x then and the
    parameters as [name, value] pairs in collect_params order."""
    X = nd.array(x, dtype="float32")
    net(X)
    for param in net.collect_params().values():
        param.set_data(nd.random.normal(shape=param.shape))
    return {"output": net(X).asnumpy(), "params": _param_values(net)}


def forward_with_params(factory, *args, x, **kwargs):
    """Build factory(*args, **kwargs), initialise it, and return its output for the input x with every
    parameter (see _output_and_params), so a check can recompute the output from the block's own parameters."""
    net = factory(*args, **kwargs)
    net.initialize(force_reinit=True)
    return _output_and_params(net, x)


def chain_of_dense(container_cls, widths, x):
    """Fill container_cls() with Dense layers of widths through its add() (relu on all but the last),
    initialise it and run it on x; return the output and every parameter (see _output_and_params)."""
    net = container_cls()
    for index, width in enumerate(widths):
        net.add(nn.Dense(width, activation="relu" if index < len(widths) - 1 else None))
    net.initialize()
    return _output_and_params(net, x)


def in_both_modes(fn, *args, **kwargs):
    """fn(*args, **kwargs) once while autograd records (training mode) and once outside (prediction mode).

    Each call gets its own copies of the NDArray arguments, so an in-place change made by the first
    call cannot leak into the second.
    """
    def fresh():
        return [arg.copy() if isinstance(arg, nd.NDArray) else arg for arg in args]

    with autograd.record():
        training = fn(*fresh(), **kwargs)
    return {"training": training, "prediction": fn(*fresh(), **kwargs)}
