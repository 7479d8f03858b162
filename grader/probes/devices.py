"""Probes of contexts: where the NDArrays a function returns live."""
from mxnet import nd


def _ndarrays(value):
    """All NDArrays found in value (itself, or nested in lists, tuples and dicts)."""
    if isinstance(value, nd.NDArray):
        return [value]
    if isinstance(value, (list, tuple)):
        return [array for item in value for array in _ndarrays(item)]
    if isinstance(value, dict):
        return [array for item in value.values() for array in _ndarrays(item)]
    return []


def _with_contexts(result, ctx):
    """result with the contexts its NDArrays live on, and the context that was asked for."""
    return {
        "value": result,
        "contexts": sorted({str(array.context) for array in _ndarrays(result)}),
        "requested": str(ctx),
    }


def on_context(fn, ctx, *args, **kwargs):
    """Call fn(*args, ctx=ctx, **kwargs); return its result and the contexts of the NDArrays it returned."""
    return _with_contexts(fn(*args, ctx=ctx, **kwargs), ctx)


def across_contexts(fn, arrays, contexts, ctx):
    """Call fn(placed, ctx) with placed[i] a float32 NDArray of arrays[i] on the Context contexts[i].

    Returns fn's result and the context of each NDArray in it, as on_context does.
    """
    placed = [nd.array(array, ctx=context, dtype="float32") for array, context in zip(arrays, contexts)]
    return _with_contexts(fn(placed, ctx), ctx)

