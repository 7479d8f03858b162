"""IMDB helpers on a small aclImdb-like folder tree written by the test."""
import collections
import hashlib
import io
import tarfile

import numpy as np
import pytest

import d2lzh as d2l
from d2lzh.data import imdb, store

POS = ["A Great movie\nReally great", "I loved it, great fun", "Great acting great story"]
NEG = ["Bad plot\nbad acting", "boring and bad", "I hated it, bad", "the worst movie"]


def write_imdb(root, folder="train", pos=POS, neg=NEG):
    """<root>/aclImdb/<folder>/{pos,neg}/<id>_<rating>.txt as in the real archive; returns root."""
    for sentiment, reviews, rating in (("pos", pos, 9), ("neg", neg, 2)):
        path = root / "aclImdb" / folder / sentiment
        path.mkdir(parents=True, exist_ok=True)
        for i, review in enumerate(reviews):
            (path / ("%d_%d.txt" % (i, rating))).write_bytes(review.encode("utf-8"))
    (root / "aclImdb" / folder / "urls_pos.txt").write_text("not a review folder entry\n")
    return root


def expected_pairs():
    return sorted([r.replace("\n", "").lower(), 1] for r in POS) + \
        sorted([r.replace("\n", "").lower(), 0] for r in NEG)


def test_read_imdb_lowercases_labels_and_shuffles(tmp_path):
    write_imdb(tmp_path)
    data = d2l.read_imdb("train", data_dir=str(tmp_path))
    assert sorted(data, key=lambda p: (-p[1], p[0])) == expected_pairs()
    assert data[0][0] == data[0][0].lower() and all("\n" not in review for review, _ in data)


def test_read_imdb_order_depends_only_on_the_seed(tmp_path):
    write_imdb(tmp_path, pos=["pos review %d" % i for i in range(15)],
               neg=["neg review %d" % i for i in range(15)])

    def read(seed):
        d2l.set_seed(seed)
        return d2l.read_imdb(data_dir=str(tmp_path))

    assert read(3) == read(3)
    assert read(3) != read(4)


def test_read_imdb_finds_d2lzh_data_and_the_books_folder(tmp_path, monkeypatch):
    write_imdb(tmp_path / "store", folder="test")
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "store"))
    assert len(d2l.read_imdb("test")) == len(POS) + len(NEG)
    monkeypatch.delenv(store.DATA_ENV)
    write_imdb(tmp_path / "data")
    (tmp_path / "chapter").mkdir()
    monkeypatch.chdir(tmp_path / "chapter")
    assert len(d2l.read_imdb()) == len(POS) + len(NEG)


def test_read_imdb_missing_explains_the_fix(tmp_path):
    with pytest.raises(store.DataNotFoundError) as err:
        d2l.read_imdb("train", data_dir=str(tmp_path))
    assert str(tmp_path / "aclImdb" / "train") in str(err.value) and "download_imdb" in str(err.value)


def test_tokens_counter_and_vocabulary():
    data = [["The cat  sat", 1], ["the cat", 0]] + [["cat dog", 1]] * 3 + [["dog", 0]]
    assert d2l.get_tokenized_imdb(data[:2]) == [["the", "cat", "", "sat"], ["the", "cat"]]
    counts = d2l.count_tokens(d2l.get_tokenized_imdb(data))
    assert counts == collections.Counter({"cat": 5, "dog": 4, "the": 2, "sat": 1, "": 1})
    vocab = d2l.get_vocab_imdb(data)
    assert vocab.idx_to_token == ["<unk>", "<pad>", "cat"]  # min_freq=5 keeps only 'cat'


def test_preprocess_imdb_truncates_and_pads_to_500():
    data = [[" ".join(["cat"] * 600), 1], ["cat dog", 0]] + [["cat", 1]] * 4
    vocab = d2l.get_vocab_imdb(data)
    features, labels = d2l.preprocess_imdb(data, vocab)
    assert features.shape == (6, 500) and labels.asnumpy().tolist() == [1, 0, 1, 1, 1, 1]
    cat, pad, unk = vocab.token_to_idx["cat"], vocab.token_to_idx["<pad>"], vocab.token_to_idx["<unk>"]
    np.testing.assert_array_equal(features[0].asnumpy(), [cat] * 500)
    np.testing.assert_array_equal(features[1].asnumpy(), [cat, unk] + [pad] * 498)
    assert d2l.preprocess_imdb([], vocab)[0].shape == (0, 500)


def imdb_archive(tmp_path):
    """aclImdb_v1.tar.gz's layout: aclImdb/train/{pos,neg}/*.txt."""
    write_imdb(tmp_path / "made")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        tf.add(str(tmp_path / "made" / "aclImdb"), arcname="aclImdb")
    return buf.getvalue()


def test_download_imdb_unpacks_a_checked_archive(tmp_path, monkeypatch, fake_web):
    archive = imdb_archive(tmp_path)
    fake_web.update({imdb.IMDB_ARCHIVE.urls[0]: archive})
    checked = imdb.IMDB_ARCHIVE._replace(sha1=hashlib.sha1(archive).hexdigest())
    monkeypatch.setattr(imdb, "IMDB_ARCHIVE", checked)
    data_dir = str(tmp_path / "data")
    d2l.download_imdb(data_dir)
    assert len(d2l.read_imdb("train", data_dir=data_dir)) == len(POS) + len(NEG)
    d2l.download_imdb(data_dir)  # already unpacked: no download


def test_download_imdb_rejects_a_wrong_archive(tmp_path, monkeypatch, fake_web):
    fake_web.update({imdb.IMDB_ARCHIVE.urls[0]: imdb_archive(tmp_path)})
    with pytest.raises(store.DataNotFoundError, match="sha1 mismatch"):
        d2l.download_imdb(str(tmp_path / "data"))
    assert not (tmp_path / "data" / "aclImdb").exists()


def test_download_imdb_offline(tmp_path):
    with pytest.raises(store.DataNotFoundError, match="aclImdb_v1.tar.gz"):
        d2l.download_imdb(str(tmp_path))
