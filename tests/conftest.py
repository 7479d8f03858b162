"""Project-wide test settings: headless plots, and no test ever sees the user's data or the network."""
import io
import os
import urllib.error

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def isolated_data_dirs(tmp_path_factory, monkeypatch):
    """Point every data lookup at empty temporary folders and turn downloads off.

    A test that wants data writes it itself; a test of the download path monkeypatches
    ``d2lzh.data.store._urlopen`` and deletes D2LZH_OFFLINE.
    """
    home = tmp_path_factory.mktemp("mxnet_home")
    monkeypatch.setenv("MXNET_HOME", str(home))
    monkeypatch.delenv("D2LZH_DATA", raising=False)
    monkeypatch.setenv("D2LZH_OFFLINE", "1")


@pytest.fixture
def fake_web(monkeypatch):
    """Turn downloads on and serve them from the returned dict {url: bytes}; other URLs fail like a dead host."""
    from d2lzh.data import store

    files = {}
    monkeypatch.delenv(store.OFFLINE_ENV, raising=False)

    def urlopen(url, timeout):
        if url not in files:
            raise urllib.error.URLError("no route to %s" % url)
        return io.BytesIO(files[url])

    monkeypatch.setattr(store, "_urlopen", urlopen)
    return files
