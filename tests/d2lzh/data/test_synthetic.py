"""The synthetic Fashion-MNIST stand-in: real IDX gzip files, deterministic, learnable (d2lzh.data.synthetic)."""
import gzip
import struct

import numpy as np

from d2lzh.data import synthetic
from d2lzh.data.fashion_mnist import FILES, read_idx, read_split

ALL_FILES = FILES["train"] + FILES["test"]


def test_writes_the_four_standard_files_in_idx_format(tmp_path):
    assert synthetic.write_fashion_mnist(str(tmp_path), num_train=30, num_test=12) == str(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(ALL_FILES)
    with gzip.open(str(tmp_path / "train-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    assert struct.unpack(">IIII", raw[:16]) == (2051, 30, 28, 28)  # the magic numbers of MNIST's files
    assert len(raw) == 16 + 30 * 28 * 28
    with gzip.open(str(tmp_path / "t10k-labels-idx1-ubyte.gz"), "rb") as f:
        raw = f.read()
    assert struct.unpack(">II", raw[:8]) == (2049, 12) and len(raw) == 8 + 12
    assert set(raw[8:]) <= set(range(10))


def test_write_idx_round_trips_through_the_reader(tmp_path):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    path = synthetic.write_idx(str(tmp_path / "x.gz"), array)
    np.testing.assert_array_equal(read_idx(path), array)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a, b, c = (synthetic.write_fashion_mnist(str(tmp_path / d), 50, 10, seed=s) for d, s in
               (("a", 0), ("b", 0), ("c", 1)))
    images = [read_split(folder, "train")[0] for folder in (a, b, c)]
    np.testing.assert_array_equal(images[0], images[1])
    assert not np.array_equal(images[0], images[2])


def test_every_class_appears_and_pixels_use_the_range(tmp_path):
    folder = synthetic.write_fashion_mnist(str(tmp_path), 500, 100)
    images, labels = read_split(folder, "train")
    assert images.dtype == np.uint8 and images.shape == (500, 28, 28)
    assert np.bincount(labels, minlength=10).min() > 20
    assert images.min() < 20 and images.max() > 200


def test_a_nearest_class_mean_classifier_beats_chance_by_far(tmp_path):
    folder = synthetic.write_fashion_mnist(str(tmp_path), 1000, 300)
    (X, y), (Xt, yt) = (read_split(folder, split) for split in ("train", "test"))
    X, Xt = X.reshape(len(X), -1) / 255.0, Xt.reshape(len(Xt), -1) / 255.0
    means = np.stack([X[y == c].mean(axis=0) for c in range(10)])
    predicted = ((Xt[:, None, :] - means[None]) ** 2).sum(axis=-1).argmin(axis=1)
    assert (predicted == yt).mean() > 0.5  # chance is 0.1

