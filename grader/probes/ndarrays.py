"""Probes of NDArray code: what a function leaves in the arrays it is given, and what kind of object it returns."""
from mxnet import nd


def arrays_after_call(fn, arrays, *args, **kwargs):
    """Call fn(*ndarrays, *args, **kwargs) on float32 NDArrays made from arrays; return what they hold afterwards.

    The values are read from the very NDArray objects fn received, so a function that rebinds a name
    (``Z = X + Y``) instead of writing into the array (``Z[:] = X + Y``) leaves them unchanged.
    """
    ndarrays = [nd.array(array, dtype="float32") for array in arrays]
    returned = fn(*ndarrays, *args, **kwargs)
    return {"returned": returned, "arrays": [array.asnumpy() for array in ndarrays]}


def result_type(fn, *args, **kwargs):
    """fn(*args, **kwargs) and the module-qualified name of its type (an NDArray and a numpy array look
    alike once they cross the process boundary)."""
    result = fn(*args, **kwargs)
    cls = type(result)
    return {"value": result, "type": "%s.%s" % (cls.__module__, cls.__name__)}
