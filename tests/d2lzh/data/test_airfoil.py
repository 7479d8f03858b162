"""get_data_ch7 on an airfoil-like tab-separated file written by the test (OPT-10)."""
import numpy as np
import pytest

import d2lzh as d2l
from d2lzh.data import store

FILENAME = "airfoil_self_noise.dat"


def write_airfoil(folder, rows=1503, seed=0):
    """A file in the real layout: 5 feature columns and the label, tab-separated; returns the raw data."""
    rng = np.random.RandomState(seed)
    data = np.column_stack([
        rng.choice([800, 1000, 1250, 2000, 4000], rows), rng.uniform(0, 20, rows),
        rng.choice([0.0254, 0.1016, 0.3048], rows), rng.choice([31.7, 39.6, 55.5, 71.3], rows),
        rng.uniform(0.0004, 0.05, rows), rng.uniform(105, 140, rows)])
    folder.mkdir(parents=True, exist_ok=True)
    np.savetxt(str(folder / FILENAME), data, delimiter="\t", fmt="%.6g")
    return np.loadtxt(str(folder / FILENAME), delimiter="\t")


def test_returns_the_books_1500_standardised_rows(tmp_path):
    raw = write_airfoil(tmp_path)
    features, labels = d2l.get_data_ch7(root=str(tmp_path))
    assert features.shape == (1500, 5) and labels.shape == (1500,)
    expected = (raw - raw.mean(axis=0)) / raw.std(axis=0)  # standardised over the whole file
    np.testing.assert_allclose(features.asnumpy(), expected[:1500, :5], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(labels.asnumpy(), expected[:1500, 5], rtol=1e-5, atol=1e-5)


def test_finds_the_file_in_d2lzh_data(tmp_path, monkeypatch):
    raw = write_airfoil(tmp_path / "store", seed=1)
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "store"))
    monkeypatch.chdir(tmp_path)
    _, labels = d2l.get_data_ch7()
    assert labels[0].asscalar() == pytest.approx((raw[0, 5] - raw[:, 5].mean()) / raw[:, 5].std(),
                                                 rel=1e-5)


def test_finds_the_file_in_the_books_data_folder(tmp_path, monkeypatch):
    write_airfoil(tmp_path / "data")
    (tmp_path / "chapter_optimization").mkdir()
    monkeypatch.chdir(tmp_path / "chapter_optimization")
    features, _ = d2l.get_data_ch7()
    assert features.shape == (1500, 5)


def test_missing_file_says_where_to_put_it(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "store"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(store.DataNotFoundError) as err:
        d2l.get_data_ch7()
    message = str(err.value)
    for part in (FILENAME, str(tmp_path / "store"), str(tmp_path.parent / "data"), "D2LZH_DATA",
                 "https://archive.ics.uci.edu/ml/machine-learning-databases/00291/"):
        assert part in message


def test_malformed_file_is_rejected(tmp_path):
    write_airfoil(tmp_path, rows=20)
    with pytest.raises(ValueError, match="at least 1500 rows"):
        d2l.get_data_ch7(root=str(tmp_path))
