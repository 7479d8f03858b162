"""Probes of parameter updates: in-place steps, book-style optimizers and 2-D traces."""
import mxnet as mx
from mxnet import nd


def _arrays_with_grads(params, grads, ctx=None):
    """float32 NDArrays holding params, each with an attached gradient set to the matching grads."""
    ctx = ctx or mx.cpu()
    arrays = [nd.array(p, ctx=ctx, dtype="float32") for p in params]
    for array, grad in zip(arrays, grads):
        array.attach_grad()
        array.grad[:] = nd.array(grad, ctx=ctx, dtype="float32")
    return arrays


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
