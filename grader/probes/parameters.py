"""Probes of parameters: how they are initialised, and what survives a save and load round trip."""
import os

from mxnet import nd
from mxnet.gluon import nn


def _dense_stack(in_units, widths):
    """nn.Sequential of Dense layers of widths (relu between them), input size in_units, not initialised."""
    net = nn.Sequential()
    for index, width in enumerate(widths):
        activation = "relu" if index < len(widths) - 1 else None
        net.add(nn.Dense(width, activation=activation, in_units=in_units))
        in_units = width
    return net


def _param_values(net):
    """Every parameter of net as [name, value] pairs, in the order collect_params lists them."""
    return [[name, param.data().asnumpy()] for name, param in net.collect_params().items()]


def initializer_sample(initializer_cls, *args, units, in_units, **kwargs):
    """Initialise nn.Dense(units, in_units=in_units) with initializer_cls(*args, **kwargs), as the book's
    net.initialize(MyInit()) does; return the weight and the bias it got."""
    layer = nn.Dense(units, in_units=in_units)
    layer.initialize(initializer_cls(*args, **kwargs))
    return {"weight": layer.weight.data().asnumpy(), "bias": layer.bias.data().asnumpy()}


def reinitialized(init_fn, *args, in_units, widths, **kwargs):
    """Build a Dense stack (relu between layers), initialise it with the defaults and run it once; then
    call init_fn(net, *args, **kwargs) to re-initialise it and return every parameter before and after."""
    net = _dense_stack(in_units, widths)
    net.initialize()
    net(nd.ones((1, in_units)))
    before = _param_values(net)
    init_fn(net, *args, **kwargs)
    return {"before": before, "after": _param_values(net)}


def save_load_round_trip(save_and_load_fn, filename, *, in_units, widths, x):
    """Hand save_and_load_fn(net, make_net, filename) an initialised Dense stack and its factory.

    Afterwards the original net is re-initialised with fresh random values, so a returned net that
    shares the original's parameters (or is the original) no longer gives the original's output.
    Returns the original output, the returned net's output, and the arrays filename holds (None if
    there is no such file).
    """
    def make_net():
        return _dense_stack(in_units, widths)

    net = make_net()
    net.initialize()
    X = nd.array(x, dtype="float32")
    original = net(X).asnumpy()
    clone = save_and_load_fn(net, make_net, filename)
    net.initialize(force_reinit=True)
    saved = None
    if os.path.isfile(filename):
        arrays = nd.load(filename)
        named = arrays.items() if isinstance(arrays, dict) else enumerate(arrays)
        saved = {str(name): array.asnumpy() for name, array in named}
    return {"original": original, "loaded": clone(X).asnumpy(), "saved": saved}
