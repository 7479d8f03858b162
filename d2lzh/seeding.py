"""One call to seed every random number generator the book's code draws from."""
import random

import mxnet as mx
import numpy as np


def set_seed(seed):
    """Seed Python's ``random``, numpy's global RNG and mxnet's generators on every device.

    That makes ``d2l.data_iter`` and the other Python-random shufflers, the (numpy) shuffling of
    ``load_data_fashion_mnist``, Gluon DataLoaders with num_workers=0, parameter initialisers,
    dropout and ``nd.random`` draws repeat from run to run on the same machine and device.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2 ** 32:
        raise ValueError("seed must be an integer in [0, 2**32), got %r" % (seed,))
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    mx.random.seed(seed, ctx="all")
