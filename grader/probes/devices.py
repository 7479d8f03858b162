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


def on_context(fn, ctx, *args, **kwargs):
    """Call fn(*args, ctx=ctx, **kwargs); return its result and the contexts of the NDArrays it returned."""
    result = fn(*args, ctx=ctx, **kwargs)
    return {
        "value": result,
        "contexts": sorted({str(array.context) for array in _ndarrays(result)}),
        "requested": str(ctx),
    }
