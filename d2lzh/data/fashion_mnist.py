"""Fashion-MNIST: find (or fetch) the four IDX files, read them with numpy, serve minibatches.

Each split is converted to float32 NCHW in [0, 1] once (a vectorised ToTensor); an epoch then
gathers the shuffled order once and slices NDArray views, instead of running ``ToTensor`` per
image in worker processes as d2lzh 1.0.0 did.
"""
import gzip
import os
import struct
import zlib

import numpy as np
from mxnet import nd

from . import store

TEXT_LABELS = (
    "t-shirt", "trouser", "pullover", "dress", "coat",
    "sandal", "shirt", "sneaker", "bag", "ankle boot",
)
# (images, labels) file names per split; sha1s of the official files, as in mxnet's FashionMNIST.
FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
SHA1 = {
    "train-images-idx3-ubyte.gz": "0cf37b0d40ed5169c6b3aba31069a9770ac9043d",
    "train-labels-idx1-ubyte.gz": "236021d52f1e40852b06a4c3008d8de8aef1e40b",
    "t10k-images-idx3-ubyte.gz": "626ed6a7c06dd17c0eec72fa3be1740f146a2863",
    "t10k-labels-idx1-ubyte.gz": "17f9ab60e7257a1620f4ad76bbbaf857c3920701",
}
IDX_UINT8 = 0x08  # IDX type code for unsigned bytes, the only type Fashion-MNIST uses
DEFAULT_REPO = "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/"
# 1.0.0's default root; passing it (or None) means "search the usual places", not "only here".
LEGACY_ROOT = os.path.join("~", ".mxnet", "datasets", "fashion-mnist")


def get_fashion_mnist_labels(labels):
    """The text label of each class index in ``labels`` (ints, a numpy array or an NDArray)."""
    if isinstance(labels, nd.NDArray):
        labels = labels.asnumpy()
    return [TEXT_LABELS[int(i)] for i in np.asarray(labels).reshape(-1)]


def remote_files():
    """The four files with MXNet's download URL (``$MXNET_GLUON_REPO`` honoured) and sha1."""
    repo = os.environ.get("MXNET_GLUON_REPO", DEFAULT_REPO)
    repo = repo if repo.endswith("/") else repo + "/"
    names = FILES["train"] + FILES["test"]
    return [store.RemoteFile(n, [repo + "gluon/dataset/fashion-mnist/" + n], SHA1[n]) for n in names]


def fashion_mnist_dir(root=None):
    """Folder holding the four files: ``root`` alone if given, else $D2LZH_DATA, then MXNet's cache."""
    if root == LEGACY_ROOT:
        root = None
    dirs = store.candidate_dirs("fashion-mnist", root, [store.mxnet_cache_dir("fashion-mnist")])
    return store.fetch("Fashion-MNIST", remote_files(), dirs)


def read_idx(path):
    """The uint8 array stored in a gzipped IDX file, after checking its header against its size."""
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, zlib.error) as err:
        raise _corrupt(path, "it is not a complete gzip file (%s)" % err) from err
    if len(raw) < 4 or raw[:3] != bytes([0, 0, IDX_UINT8]) or raw[3] == 0:
        raise _corrupt(path, "its header is not an IDX header of unsigned bytes")
    ndim = raw[3]
    if len(raw) < 4 + 4 * ndim:
        raise _corrupt(path, "its header is cut short")
    shape = struct.unpack(">%dI" % ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise _corrupt(path, "the header promises %s bytes of shape %s, found %d" % (np.prod(shape), shape, data.size))
    return data.reshape(shape)


def _corrupt(path, why):
    """The error for an unreadable data file: which file, why, and how to get a good copy."""
    return ValueError("cannot read %s: %s. Delete it and run again to download it, or copy a good"
                      " copy there." % (path, why))


def read_split(folder, split):
    """Images (N x 28 x 28 uint8) and labels (N int32) of ``split`` ('train' or 'test') in ``folder``."""
    images_name, labels_name = FILES[split]
    images = read_idx(os.path.join(folder, images_name))
    labels = read_idx(os.path.join(folder, labels_name))
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise _corrupt(os.path.join(folder, images_name),
                       "expected N images for N labels, got shapes %s and %s" % (images.shape, labels.shape))
    return images, labels.astype(np.int32)


class ArrayBatches:
    """Re-iterable ``(X, y)`` NDArray minibatches over in-memory numpy arrays, used like 1.0.0's DataLoader.

    ``len()`` is the number of batches; the last one may be short. With ``shuffle`` each pass
    draws a new order from ``np.random`` when it starts (so ``d2l.set_seed`` makes it repeatable).
    ``transform``, if given, maps each batch of features (used for resizing on the fly).
    """

    def __init__(self, features, labels, batch_size, shuffle=False, transform=None):
        if int(batch_size) < 1:
            raise ValueError("batch_size must be a positive integer, got %r" % (batch_size,))
        self.features, self.labels = features, labels
        self.batch_size, self.shuffle, self.transform = int(batch_size), shuffle, transform

    def __len__(self):
        return -(-len(self.labels) // self.batch_size)

    def __iter__(self):
        return self.batches()

    def batches(self, cast_labels=False):
        """One pass of ``(X, y)`` batches; ``cast_labels`` gives y the features' dtype (without a transform).

        The training loops ask for that cast (their ``_get_batch`` would do it anyway): here it is
        one numpy cast per pass instead of one MXNet op per batch.
        """
        labels = self.labels
        if cast_labels and not self.transform:
            labels = labels.astype(self.features.dtype)
        order = np.random.permutation(len(labels)) if self.shuffle else np.arange(len(labels))
        # one gather per pass (fancy indexing copies, so batches never alias the data set), then
        # zero-copy NDArrays whose slices are the batches
        features, labels = nd.from_numpy(self.features[order]), nd.from_numpy(labels[order])
        for start in range(0, len(order), self.batch_size):
            X = features[start:start + self.batch_size]
            yield (self.transform(X) if self.transform else X), labels[start:start + self.batch_size]


def to_tensor(images):
    """ToTensor for a whole uint8 N x H x W array at once: float32 N x 1 x H x W in [0, 1]."""
    return (images.astype(np.float32) / np.float32(255))[:, np.newaxis]


def _resize_to_tensor(size):
    """Per-batch transform matching 1.0.0's Resize(size) then ToTensor on uint8 N x H x W x 1 batches."""
    return lambda X: nd.image.to_tensor(nd.image.resize(X, size))


def to_batches(images, labels, batch_size, shuffle, resize=None):
    """ArrayBatches of ToTensor'd images; resized ones are made per batch, as 60k 224x224 images need 12 GB."""
    if resize is None:
        return ArrayBatches(to_tensor(images), labels, batch_size, shuffle)
    return ArrayBatches(images[..., np.newaxis], labels, batch_size, shuffle, _resize_to_tensor(resize))


def load_data_fashion_mnist(batch_size, resize=None, root=LEGACY_ROOT):
    """``(train_iter, test_iter)`` over Fashion-MNIST: X float32 (b, 1, h, w) in [0, 1], y int32.

    Files are looked for in ``root`` if you pass one, else in $D2LZH_DATA/fashion-mnist, then in
    MXNet's cache ($MXNET_HOME/datasets/fashion-mnist), and downloaded (sha1-checked) only when
    missing. ``resize`` (int or (width, height)) gives the same pixels as 1.0.0's Resize + ToTensor.
    Batches come from memory in the main process: 1.0.0's ``num_workers`` no longer exists, so
    there are no worker processes to tune (and no D2LZH_NUM_WORKERS to set).
    """
    folder = fashion_mnist_dir(root)
    train = read_split(folder, "train")
    test = read_split(folder, "test")
    return (to_batches(*train, batch_size, shuffle=True, resize=resize),
            to_batches(*test, batch_size, shuffle=False, resize=resize))
