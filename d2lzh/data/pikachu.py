"""The Pikachu object-detection set of chapter 9: three RecordIO files read by ``image.ImageDetIter``.

Files already in ``root``, ``$D2LZH_DATA/pikachu`` or the book's ``../data/pikachu`` are used as
they are; missing ones are downloaded from MXNet's S3 bucket and sha1-checked.
"""
import os

from mxnet import image

from . import store

PIKACHU_URL = "https://apache-mxnet.s3-accelerate.amazonaws.com/gluon/dataset/pikachu/"
PIKACHU_FILES = [
    store.RemoteFile(name, [PIKACHU_URL + name], sha1) for name, sha1 in (
        ("train.rec", "e6bcb6ffba1ac04ff8a9b1115e650af56ee969c8"),
        ("train.idx", "dcf7318b2602c06428b9988470c731621716c393"),
        ("val.rec", "d6c33f799b4d058e82f2cb5bd9a976f69d72d520"),
    )
]
TITLE = "The Pikachu detection data set"


def _download_pikachu(data_dir):
    """Make ``data_dir`` hold train.rec, train.idx and val.rec (downloading missing ones); return it."""
    return store.fetch(TITLE, PIKACHU_FILES, [store.expand(data_dir)])


def load_data_pikachu(batch_size, edge_size=256, root=None):
    """Training (shuffled, random crops) and validation ``image.ImageDetIter`` of edge_size² images."""
    folder = store.fetch(
        TITLE, PIKACHU_FILES, store.candidate_dirs("pikachu", root, [store.legacy_dir("pikachu")]))
    data_shape = (3, edge_size, edge_size)
    train_iter = image.ImageDetIter(
        path_imgrec=os.path.join(folder, "train.rec"), path_imgidx=os.path.join(folder, "train.idx"),
        batch_size=batch_size, data_shape=data_shape, shuffle=True, rand_crop=1,
        min_object_covered=0.95, max_attempts=200)
    val_iter = image.ImageDetIter(
        path_imgrec=os.path.join(folder, "val.rec"), batch_size=batch_size, data_shape=data_shape,
        shuffle=False)
    return train_iter, val_iter
