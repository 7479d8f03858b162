"""Project-wide test settings: headless plots, and no test ever sees the user's data or the network."""
import os

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
