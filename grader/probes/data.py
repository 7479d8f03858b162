"""Probes of data iterators: every batch they hand out, copied as it is handed out."""
from mxnet import nd

MAX_BATCHES = 100000  # stop iterating a data iterator that never ends


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
