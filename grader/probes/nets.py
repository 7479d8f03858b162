"""Probes of networks: build one, run a forward pass, report shapes, parameter counts and wiring."""
from mxnet import nd


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
