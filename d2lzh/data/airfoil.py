"""NASA's airfoil self-noise data (UCI), the regression set of chapter 7's optimisers.

The file is small but is not downloaded automatically (1.0.0 never did): put it in the data
folder. ``$D2LZH_DATA`` is laid out like the book's ``../data``, so the file is looked for as
``root/``, ``$D2LZH_DATA/``, then ``../data/`` + ``airfoil_self_noise.dat``.
"""
import numpy as np
from mxnet import nd

from . import store

AIRFOIL = store.RemoteFile(
    "airfoil_self_noise.dat",
    ["https://archive.ics.uci.edu/ml/machine-learning-databases/00291/airfoil_self_noise.dat"],
    None,
)
NUM_EXAMPLES = 1500  # the book's minibatch-sgd.md uses the first 1500 of the 1503 rows
NUM_COLUMNS = 6  # 5 features, then the label (sound pressure)


def get_data_ch7(root=None):
    """Features (1500, 5) and labels (1500,), every column standardised over the whole file."""
    path = store.find_file("The airfoil self-noise data (get_data_ch7)", AIRFOIL, root,
                           "it is not downloaded automatically")
    data = np.genfromtxt(path, delimiter='\t')
    if data.ndim != 2 or data.shape[0] < NUM_EXAMPLES or data.shape[1] != NUM_COLUMNS \
            or np.isnan(data).any():
        raise ValueError("%s is not the airfoil data: expected at least %d rows of %d tab-separated "
                         "numbers, got an array of shape %s (empty fields count as missing)."
                         " Replace it with a fresh copy from %s"
                         % (path, NUM_EXAMPLES, NUM_COLUMNS, data.shape, AIRFOIL.urls[0]))
    data = (data - data.mean(axis=0)) / data.std(axis=0)
    return nd.array(data[:NUM_EXAMPLES, :-1]), nd.array(data[:NUM_EXAMPLES, -1])
