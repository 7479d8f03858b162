"""load_data_pikachu / _download_pikachu on a tiny RecordIO detection set written by the test."""
import hashlib

import mxnet as mx
import numpy as np
import pytest

import d2lzh as d2l
from d2lzh.data import pikachu, store

BOXES = [[0, 0.1, 0.2, 0.6, 0.7], [0, 0.3, 0.25, 0.9, 0.95], [0, 0.0, 0.5, 0.4, 1.0]]


def write_recordio(folder, prefix, count, size=32):
    """``count`` images with one box each, in ImageDetIter's format: [2, 5, cls, xmin, ymin, xmax, ymax]."""
    folder.mkdir(parents=True, exist_ok=True)
    rec = mx.recordio.MXIndexedRecordIO(
        str(folder / (prefix + ".idx")), str(folder / (prefix + ".rec")), "w")
    rng = np.random.RandomState(count)
    for i in range(count):
        img = rng.randint(0, 255, (size, size, 3)).astype(np.uint8)
        label = np.array([2, 5] + BOXES[i % len(BOXES)], dtype=np.float32)
        header = mx.recordio.IRHeader(0, label, i, 0)
        rec.write_idx(i, mx.recordio.pack_img(header, img, quality=95, img_fmt=".png"))
    rec.close()


def write_pikachu(folder):
    write_recordio(folder, "train", 6)
    write_recordio(folder, "val", 3)
    (folder / "val.idx").unlink()  # the real set has no val.idx
    return folder


def test_loads_files_on_disk_as_they_are(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "_urlopen", pytest.fail)  # never reaches the network
    train_iter, val_iter = d2l.load_data_pikachu(2, edge_size=16, root=str(write_pikachu(tmp_path)))
    batch = train_iter.next()
    assert batch.data[0].shape == (2, 3, 16, 16) and batch.label[0].shape == (2, 1, 5)
    labels = np.concatenate([b.label[0].asnumpy() for b in val_iter])
    np.testing.assert_allclose(labels[:3, 0], BOXES, atol=1e-6)  # val: in order, not cropped


def test_train_iter_shuffles_reproducibly_under_set_seed(tmp_path):
    root = str(write_pikachu(tmp_path))

    def first_batch(seed):
        d2l.set_seed(seed)
        train_iter, _ = d2l.load_data_pikachu(6, edge_size=16, root=root)
        return train_iter.next().data[0].asnumpy()

    np.testing.assert_array_equal(first_batch(0), first_batch(0))
    assert not np.array_equal(first_batch(0), first_batch(1))


def test_finds_the_set_in_d2lzh_data_and_the_books_folder(tmp_path, monkeypatch):
    write_pikachu(tmp_path / "store" / "pikachu")
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "store"))
    assert d2l.load_data_pikachu(1, 16)[1].next().data[0].shape == (1, 3, 16, 16)
    monkeypatch.delenv(store.DATA_ENV)
    write_pikachu(tmp_path / "data" / "pikachu")
    (tmp_path / "chapter").mkdir()
    monkeypatch.chdir(tmp_path / "chapter")
    assert d2l.load_data_pikachu(1, 16)[1].next().data[0].shape == (1, 3, 16, 16)


def test_missing_set_offline_names_files_and_source(tmp_path):
    with pytest.raises(store.DataNotFoundError) as err:
        d2l.load_data_pikachu(2, root=str(tmp_path / "nowhere"))
    for part in ("train.rec", "train.idx", "val.rec", str(tmp_path / "nowhere"), pikachu.PIKACHU_URL):
        assert part in str(err.value)


def fake_remote(tmp_path, fake_web):
    """Serve a tiny set at the real URLs; return {name: bytes}."""
    write_pikachu(tmp_path / "made")
    content = {f.name: (tmp_path / "made" / f.name).read_bytes() for f in pikachu.PIKACHU_FILES}
    fake_web.update({f.urls[0]: content[f.name] for f in pikachu.PIKACHU_FILES})
    return content


def test_download_checks_sha1(tmp_path, monkeypatch, fake_web):
    content = fake_remote(tmp_path, fake_web)
    monkeypatch.setattr(pikachu, "PIKACHU_FILES", [
        store.RemoteFile(f.name, f.urls, hashlib.sha1(content[f.name]).hexdigest())
        for f in pikachu.PIKACHU_FILES])
    folder = d2l._download_pikachu(str(tmp_path / "dl"))
    for name, data in content.items():
        assert (tmp_path / "dl" / name).read_bytes() == data
    assert d2l.load_data_pikachu(1, 16, root=folder)[0].next().data[0].shape == (1, 3, 16, 16)


def test_download_with_wrong_sha1_keeps_nothing(tmp_path, fake_web):
    fake_remote(tmp_path, fake_web)  # the real sha1s cannot match the fake files
    with pytest.raises(store.DataNotFoundError, match="sha1 mismatch"):
        d2l.load_data_pikachu(2, root=str(tmp_path / "dl"))
    assert not (tmp_path / "dl" / "train.rec").exists()


def test_unreachable_host_gives_clear_error(tmp_path, monkeypatch, fake_web):
    with pytest.raises(store.DataNotFoundError, match="no route to"):
        d2l._download_pikachu(str(tmp_path))
