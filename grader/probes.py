"""Probes: small drivers the grader runs inside the student's child process.

A check calls ``student.probe("<probe>", "<student name>", *args, **kwargs)``; the child looks up the
student's object, calls ``<probe>(obj, *args, **kwargs)`` and sends back what the probe returns.
Probes exercise objects that cannot cross a process boundary (generators, classes, in-place updates,
autograd) and return plain data only: numbers, strings, lists, tuples, dicts, numpy arrays and
NDArrays (``protocol.encode`` turns NDArrays, also nested ones, into numpy arrays on the way out).

Probes run in the student's process, so student code can replace them: what a probe returns is
evidence to check against values computed in the grader, never a verdict to trust.
"""
import mxnet as mx
from mxnet import autograd, nd

MAX_BATCHES = 100000  # stop iterating a data iterator that never ends


def _ndarrays(value):
    """All NDArrays found in value (itself, or nested in lists, tuples and dicts)."""
    if isinstance(value, nd.NDArray):
        return [value]
    if isinstance(value, (list, tuple)):
        return [array for item in value for array in _ndarrays(item)]
    if isinstance(value, dict):
        return [array for item in value.values() for array in _ndarrays(item)]
    return []


def _arrays_with_grads(params, grads, ctx=None):
    """float32 NDArrays holding params, each with an attached gradient set to the matching grads."""
    ctx = ctx or mx.cpu()
    arrays = [nd.array(p, ctx=ctx, dtype="float32") for p in params]
    for array, grad in zip(arrays, grads):
        array.attach_grad()
        array.grad[:] = nd.array(grad, ctx=ctx, dtype="float32")
    return arrays


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

def update_in_place(update_fn, params, grads, *args, ctx=None, **kwargs):
    """Call update_fn(arrays, *args, **kwargs) on NDArrays made from params, with grads attached.

    Returns the values left in the very same NDArray objects afterwards (and their gradients), so an
    update that rebinds names instead of writing into the arrays shows up as "nothing changed".
    ctx, when given, is where the arrays live and is passed on to update_fn as ctx=.
    """
    arrays = _arrays_with_grads(params, grads, ctx)
    originals = list(arrays)
    if ctx is not None:
        kwargs["ctx"] = ctx
    update_fn(arrays, *args, **kwargs)
    return {
        "params": [array.asnumpy() for array in originals],
        "grads": [array.grad.asnumpy() for array in originals],
    }


def optimizer_run(update_fn, params, grads_per_step, hyperparams, state_slots=1):
    """Run update_fn(params, states, hyperparams) once per entry of grads_per_step, book style.

    Each state starts at zeros like its parameter: one NDArray per parameter when state_slots is 1,
    else a tuple of state_slots NDArrays (Adam's (v, s)). Returns the parameter values after every step
    and the hyperparams dict as update_fn left it (Adam increments hyperparams['t']).
    """
    arrays = _arrays_with_grads(params, grads_per_step[0])
    if state_slots == 1:
        states = [nd.zeros(array.shape) for array in arrays]
    else:
        states = [tuple(nd.zeros(array.shape) for _ in range(state_slots)) for array in arrays]
    hyperparams = dict(hyperparams)
    trace = []
    for grads in grads_per_step:
        for array, grad in zip(arrays, grads):
            array.grad[:] = nd.array(grad, dtype="float32")
        update_fn(arrays, states, hyperparams)
        trace.append([array.asnumpy() for array in arrays])
    return {"trace": trace, "hyperparams": hyperparams}


def iterate(data_iter_fn, *args, **kwargs):
    """List every batch that data_iter_fn(*args, **kwargs) yields, each batch as a tuple.

    Each NDArray is copied out when its batch is yielded, as a training loop would use it then:
    an iterator that reuses one buffer is judged by what it handed out at each step.
    """
    batches = []
    for batch in data_iter_fn(*args, **kwargs):
        batches.append(tuple(part.asnumpy() if isinstance(part, nd.NDArray) else part for part in batch))
        if len(batches) >= MAX_BATCHES:
            break
    return batches


def value_and_grad(fn, x):
    """Record y = fn(x) under autograd for a float32 x, backpropagate y, return y and dy/dx."""
    x = nd.array(x, dtype="float32")
    x.attach_grad()
    with autograd.record():
        y = fn(x)
    y.backward()
    return {"value": y.asnumpy(), "grad": x.grad.asnumpy()}


def _sum_sin_squared(x):
    return (nd.sin(x) ** 2).sum()


def _sum_cubes(x):
    return (x ** 3).sum()


def _log_sum_exp(x):
    return nd.log(nd.exp(x).sum())


TEST_FUNCTIONS = {
    "sum_sin_squared": _sum_sin_squared,
    "sum_cubes": _sum_cubes,
    "log_sum_exp": _log_sum_exp,
}


def grad_with(grad_of_fn, function_name, x):
    """Call the student's grad_of(f, x) with f one of TEST_FUNCTIONS (by name) and a float32 NDArray x."""
    return grad_of_fn(TEST_FUNCTIONS[function_name], nd.array(x, dtype="float32"))


def trace_2d(step_fn, start, steps, **hyperparams):
    """Iterate state = step_fn(*state, **hyperparams) from start, like the book's train_2d.

    Returns every state (start included) as a list of floats.
    """
    state = tuple(start)
    trace = [[float(v) for v in state]]
    for _ in range(steps):
        state = tuple(step_fn(*state, **hyperparams))
        trace.append([float(v) for v in state])
    return trace


def on_context(fn, ctx, *args, **kwargs):
    """Call fn(*args, ctx=ctx, **kwargs); return its result and the contexts of the NDArrays it returned."""
    result = fn(*args, ctx=ctx, **kwargs)
    return {
        "value": result,
        "contexts": sorted({str(array.context) for array in _ndarrays(result)}),
        "requested": str(ctx),
    }

