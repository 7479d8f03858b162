"""load_data_fashion_mnist on IDX files written by the test: folders, values, batches (d2lzh.data.fashion_mnist)."""
import gzip
import io
import os
import struct
import urllib.error

import mxnet as mx
import numpy as np
import pytest
from mxnet import nd
from mxnet.gluon import data as gdata
from mxnet.gluon.data.vision import transforms

import d2lzh as d2l
from d2lzh.data import fashion_mnist as fm
from d2lzh.data import store
from d2lzh.data.synthetic import write_fashion_mnist

NUM_TRAIN, NUM_TEST = 100, 30


@pytest.fixture
def folder(tmp_path):
    return write_fashion_mnist(str(tmp_path / "fmnist"), NUM_TRAIN, NUM_TEST)


def raw_split(folder, split):
    """Images and labels read the way mxnet's MNIST dataset reads them: skip the header, frombuffer."""
    images_name, labels_name = fm.FILES[split]
    with gzip.open(os.path.join(folder, labels_name), "rb") as f:
        struct.unpack(">II", f.read(8))
        labels = np.frombuffer(f.read(), dtype=np.uint8).astype(np.int32)
    with gzip.open(os.path.join(folder, images_name), "rb") as f:
        struct.unpack(">IIII", f.read(16))
        images = np.frombuffer(f.read(), dtype=np.uint8).reshape(len(labels), 28, 28, 1)
    return images, labels


def oracle_batches(folder, split, batch_size, resize=None):
    """What 1.0.0 served: gluon's (optional Resize +) ToTensor per image through a DataLoader, in order."""
    images, labels = raw_split(folder, split)
    steps = ([transforms.Resize(resize)] if resize else []) + [transforms.ToTensor()]
    dataset = gdata.ArrayDataset(nd.array(images, dtype="uint8"), labels)
    return list(gdata.DataLoader(dataset.transform_first(transforms.Compose(steps)), batch_size, shuffle=False))


def first_labels(batches):
    return next(iter(batches))[1].asnumpy()


# text labels -----------------------------------------------------------------------------------------
def test_text_labels_from_ints_numpy_and_ndarray():
    assert d2l.get_fashion_mnist_labels([0, 9]) == ["t-shirt", "ankle boot"]
    assert d2l.get_fashion_mnist_labels(np.array([1, 2, 3])) == ["trouser", "pullover", "dress"]
    assert d2l.get_fashion_mnist_labels(nd.array([4, 5, 6, 7, 8])) == ["coat", "sandal", "shirt", "sneaker", "bag"]


# where the files are found ---------------------------------------------------------------------------
def test_loads_from_an_explicit_root(folder):
    train_iter, test_iter = d2l.load_data_fashion_mnist(32, root=folder)
    assert sum(y.shape[0] for _, y in train_iter) == NUM_TRAIN
    assert sum(y.shape[0] for _, y in test_iter) == NUM_TEST


def test_default_root_looks_in_d2lzh_data_before_the_mxnet_cache(tmp_path, monkeypatch):
    env_folder = write_fashion_mnist(str(tmp_path / "data" / "fashion-mnist"), 40, 10, seed=1)
    write_fashion_mnist(store.mxnet_cache_dir("fashion-mnist"), 40, 10, seed=2)
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "data"))
    _, test_iter = d2l.load_data_fashion_mnist(10)
    np.testing.assert_array_equal(first_labels(test_iter), raw_split(env_folder, "test")[1][:10])


def test_default_root_falls_back_to_the_mxnet_cache():
    cache = write_fashion_mnist(store.mxnet_cache_dir("fashion-mnist"), 40, 10, seed=3)  # under MXNET_HOME
    for root in (fm.LEGACY_ROOT, None):
        _, test_iter = d2l.load_data_fashion_mnist(10, root=root)
        np.testing.assert_array_equal(first_labels(test_iter), raw_split(cache, "test")[1][:10])


def test_an_explicit_root_is_not_mixed_with_other_folders(tmp_path, monkeypatch):
    write_fashion_mnist(str(tmp_path / "data" / "fashion-mnist"), 40, 10)
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "data"))
    with pytest.raises(store.DataNotFoundError) as err:
        d2l.load_data_fashion_mnist(10, root=str(tmp_path / "elsewhere"))
    assert str(tmp_path / "elsewhere") in str(err.value)


def test_missing_files_and_a_failing_network_give_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv(store.OFFLINE_ENV)
    monkeypatch.setenv("MXNET_GLUON_REPO", "https://mirror.example.invalid/repo")
    asked = []

    def down(url, timeout):
        asked.append(url)
        raise urllib.error.URLError("connection refused")
    monkeypatch.setattr(store, "_urlopen", down)
    with pytest.raises(store.DataNotFoundError) as err:
        d2l.load_data_fashion_mnist(10, root=str(tmp_path / "empty"))
    message = str(err.value)
    for name in fm.FILES["train"] + fm.FILES["test"]:
        assert name in message
    assert str(tmp_path / "empty") in message and "connection refused" in message
    assert asked == ["https://mirror.example.invalid/repo/gluon/dataset/fashion-mnist/train-images-idx3-ubyte.gz"]


def test_missing_files_are_downloaded_sha1_checked_and_then_used(folder, tmp_path, monkeypatch):
    monkeypatch.delenv(store.OFFLINE_ENV)
    served = {}
    for name in fm.FILES["train"] + fm.FILES["test"]:
        served[fm.DEFAULT_REPO + "gluon/dataset/fashion-mnist/" + name] = open(os.path.join(folder, name), "rb").read()
        monkeypatch.setitem(fm.SHA1, name, store.file_sha1(os.path.join(folder, name)))
    monkeypatch.setattr(store, "_urlopen", lambda url, timeout: io.BytesIO(served[url]))
    target = str(tmp_path / "downloaded")
    _, test_iter = d2l.load_data_fashion_mnist(NUM_TEST, root=target)
    np.testing.assert_array_equal(first_labels(test_iter), raw_split(folder, "test")[1])
    assert sorted(os.listdir(target)) == sorted(fm.FILES["train"] + fm.FILES["test"])


def test_remote_files_carry_mxnets_official_sha1s():
    files = {f.name: f for f in fm.remote_files()}
    assert files["train-images-idx3-ubyte.gz"].sha1 == "0cf37b0d40ed5169c6b3aba31069a9770ac9043d"
    assert files["t10k-labels-idx1-ubyte.gz"].urls == [
        "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/dataset/fashion-mnist/"
        "t10k-labels-idx1-ubyte.gz"]


# values, shapes and batches --------------------------------------------------------------------------
def test_values_match_gluons_to_tensor_exactly(folder):
    _, test_iter = d2l.load_data_fashion_mnist(8, root=folder)
    ours, theirs = list(test_iter), oracle_batches(folder, "test", 8)
    assert len(ours) == len(theirs)
    for (X, y), (X_ref, y_ref) in zip(ours, theirs):
        assert X.dtype == X_ref.dtype == np.float32 and y.dtype == y_ref.dtype == np.int32
        np.testing.assert_array_equal(X.asnumpy(), X_ref.asnumpy())
        np.testing.assert_array_equal(y.asnumpy(), y_ref.asnumpy())


def test_resize_matches_gluons_resize_then_to_tensor(folder):
    _, test_iter = d2l.load_data_fashion_mnist(16, resize=40, root=folder)
    (X, y), (X_ref, y_ref) = next(iter(test_iter)), oracle_batches(folder, "test", 16, resize=40)[0]
    assert X.shape == (16, 1, 40, 40) and X.dtype == np.float32
    np.testing.assert_allclose(X.asnumpy(), X_ref.asnumpy(), atol=1e-6)
    np.testing.assert_array_equal(y.asnumpy(), y_ref.asnumpy())


def test_resize_accepts_width_and_height(folder):
    train_iter, _ = d2l.load_data_fashion_mnist(4, resize=(32, 20), root=folder)
    assert next(iter(train_iter))[0].shape == (4, 1, 20, 32)


def test_batches_shapes_len_and_short_last_batch(folder):
    train_iter, test_iter = d2l.load_data_fashion_mnist(32, root=folder)
    assert len(train_iter) == 4 and len(test_iter) == 1  # 100 = 3 * 32 + 4; 30 < 32
    batches = list(train_iter)
    assert [X.shape for X, _ in batches] == [(32, 1, 28, 28)] * 3 + [(4, 1, 28, 28)]
    assert [y.shape for _, y in batches] == [(32,)] * 3 + [(4,)]
    X = nd.concat(*[X for X, _ in batches], dim=0).asnumpy()
    assert X.min() >= 0 and X.max() <= 1 and X.max() > 0.5
    assert all(X.context == mx.cpu() for X, _ in batches)


def test_writing_into_a_batch_leaves_the_data_set_alone(folder):
    train_iter, test_iter = d2l.load_data_fashion_mnist(32, root=folder)
    def images(data_iter):
        return sorted(bytes(image) for X, _ in data_iter for image in X.asnumpy())

    for data_iter in (train_iter, test_iter):
        before = images(data_iter)
        for X, y in data_iter:
            X[:] = -1
            y[:] = -1
        assert images(data_iter) == before


def test_train_reshuffles_every_epoch_and_test_stays_in_file_order(folder):
    train_iter, test_iter = d2l.load_data_fashion_mnist(NUM_TRAIN, root=folder)
    file_labels = raw_split(folder, "train")[1]
    epochs = [first_labels(train_iter) for _ in range(3)]
    for labels in epochs:
        assert sorted(labels) == sorted(file_labels)  # every example once per epoch
    assert not np.array_equal(epochs[0], epochs[1]) and not np.array_equal(epochs[1], epochs[2])
    np.testing.assert_array_equal(first_labels(test_iter), raw_split(folder, "test")[1][:NUM_TRAIN])


def test_shuffled_images_stay_with_their_labels(folder):
    train_iter, _ = d2l.load_data_fashion_mnist(NUM_TRAIN, root=folder)
    X, y = next(iter(train_iter))
    images, labels = raw_split(folder, "train")
    flat = images.reshape(NUM_TRAIN, -1)
    for image, label in zip(np.rint(X.asnumpy().reshape(NUM_TRAIN, -1) * 255).astype(np.uint8), y.asnumpy()):
        matches = np.flatnonzero((flat == image).all(axis=1))
        assert labels[matches[0]] == label


def test_set_seed_makes_the_shuffle_repeatable(folder):
    train_iter, _ = d2l.load_data_fashion_mnist(NUM_TRAIN, root=folder)
    d2l.set_seed(7)
    first = first_labels(train_iter)
    d2l.set_seed(7)
    np.testing.assert_array_equal(first_labels(train_iter), first)


def test_training_loops_can_ask_for_labels_already_in_the_features_dtype(folder):
    _, test_iter = d2l.load_data_fashion_mnist(NUM_TEST, root=folder)
    (X, y), = list(test_iter.batches(cast_labels=True))
    assert y.dtype == X.dtype == np.float32
    np.testing.assert_array_equal(y.asnumpy(), first_labels(test_iter))
    assert first_labels(test_iter).dtype == np.int32  # plain iteration keeps 1.0.0's int32


def test_batch_size_must_be_positive(folder):
    with pytest.raises(ValueError, match="batch_size"):
        d2l.load_data_fashion_mnist(0, root=folder)


# damaged files ---------------------------------------------------------------------------------------
def damage(folder, name, how):
    path = os.path.join(folder, name)
    data = open(path, "rb").read()
    if how == "truncated gzip":
        data = data[: len(data) // 2]
    elif how == "not gzip":
        data = b"<html>proxy error</html>"
    else:
        raw = gzip.decompress(data)
        raw = raw[:-5] if how == "missing pixels" else b"\x00\x00\x0d\x03" + raw[4:]
        data = gzip.compress(raw)
    open(path, "wb").write(data)
    return path


@pytest.mark.parametrize("how, why", [
    ("truncated gzip", "not a complete gzip file"), ("not gzip", "not a complete gzip file"),
    ("missing pixels", "header promises"), ("wrong magic", "not an IDX header"),
])
def test_a_damaged_file_gives_an_error_naming_it(folder, how, why):
    path = damage(folder, "train-images-idx3-ubyte.gz", how)
    with pytest.raises(ValueError) as err:
        d2l.load_data_fashion_mnist(10, root=folder)
    assert path in str(err.value) and why in str(err.value) and "Delete it" in str(err.value)


def test_image_and_label_counts_must_agree(folder, tmp_path):
    other = write_fashion_mnist(str(tmp_path / "other"), NUM_TRAIN + 1, NUM_TEST)
    os.replace(os.path.join(other, "train-labels-idx1-ubyte.gz"), os.path.join(folder, "train-labels-idx1-ubyte.gz"))
    with pytest.raises(ValueError, match="N images for N labels"):
        d2l.load_data_fashion_mnist(10, root=folder)
