"""Folder resolution, downloads with checksums, offline mode and safe unpacking (d2lzh.data.store)."""
import hashlib
import io
import os
import tarfile
import urllib.error
import zipfile

import pytest

from d2lzh.data import store

PAYLOAD = b"the file a data set needs\n"
PAYLOAD_SHA1 = hashlib.sha1(PAYLOAD).hexdigest()


def remote(name="data.bin", sha1=PAYLOAD_SHA1):
    return store.RemoteFile(name, ["https://example.invalid/a/" + name, "https://example.invalid/b/" + name], sha1)


@pytest.fixture
def online(monkeypatch):
    """Downloads allowed; returns the list of URLs the (fake) network was asked for."""
    monkeypatch.delenv(store.OFFLINE_ENV, raising=False)
    asked = []
    monkeypatch.setattr(store, "_urlopen", lambda url, timeout: asked.append(url) or io.BytesIO(PAYLOAD))
    return asked


# candidate_dirs / locate ---------------------------------------------------------------------------
def test_an_explicit_root_is_the_only_folder_searched(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "env"))
    assert store.candidate_dirs("set", root=str(tmp_path / "mine"), fallbacks=[str(tmp_path / "fb")]) == [
        str(tmp_path / "mine")]


def test_without_root_env_folder_comes_before_the_fallbacks(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "env"))
    fallbacks = [str(tmp_path / "fb1"), str(tmp_path / "fb2"), str(tmp_path / "fb1")]
    assert store.candidate_dirs("set", fallbacks=fallbacks) == [
        str(tmp_path / "env" / "set"), str(tmp_path / "fb1"), str(tmp_path / "fb2")]


def test_without_env_only_the_fallbacks_are_searched(tmp_path):
    assert store.candidate_dirs("set", fallbacks=[str(tmp_path)]) == [str(tmp_path)]


def test_user_and_env_vars_in_paths_are_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("WHERE", "sub")
    assert store.candidate_dirs("set", root="~/$WHERE") == [str(tmp_path / "sub")]


def test_mxnet_cache_dir_honours_mxnet_home(tmp_path, monkeypatch):
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    assert store.mxnet_cache_dir("fashion-mnist") == str(tmp_path / "datasets" / "fashion-mnist")


def test_locate_picks_the_first_folder_holding_every_file(tmp_path):
    partial, full, later = tmp_path / "partial", tmp_path / "full", tmp_path / "later"
    for folder, names in ((partial, ["a"]), (full, ["a", "b"]), (later, ["a", "b"])):
        folder.mkdir()
        for name in names:
            (folder / name).write_bytes(b"x")
    assert store.locate(["a", "b"], [str(partial), str(full), str(later)]) == str(full)
    assert store.locate(["a", "c"], [str(partial), str(full)]) is None


# fetch -----------------------------------------------------------------------------------------------
def test_fetch_uses_files_already_present_without_checking_or_downloading(tmp_path, monkeypatch):
    monkeypatch.delenv(store.OFFLINE_ENV, raising=False)
    monkeypatch.setattr(store, "_urlopen", lambda url, timeout: pytest.fail("no download expected"))
    (tmp_path / "data.bin").write_bytes(b"my own version, other sha1")
    assert store.fetch("Set", [remote()], [str(tmp_path / "missing"), str(tmp_path)]) == str(tmp_path)


def test_fetch_downloads_into_the_first_folder_and_checks_the_sha1(tmp_path, online):
    target = tmp_path / "first"
    assert store.fetch("Set", [remote()], [str(target), str(tmp_path / "second")]) == str(target)
    assert (target / "data.bin").read_bytes() == PAYLOAD
    assert online == ["https://example.invalid/a/data.bin"]
    assert os.listdir(str(target)) == ["data.bin"]  # no partial file left behind


def test_download_tries_the_next_url_when_one_fails(tmp_path, monkeypatch):
    def flaky(url, timeout):
        if "/a/" in url:
            raise urllib.error.URLError("mirror down")
        return io.BytesIO(PAYLOAD)
    monkeypatch.setattr(store, "_urlopen", flaky)
    path = store.download(remote().urls, str(tmp_path / "data.bin"), PAYLOAD_SHA1)
    assert open(path, "rb").read() == PAYLOAD


def test_checksum_mismatch_leaves_nothing_and_names_files_and_folders(tmp_path, online):
    target = tmp_path / "first"
    with pytest.raises(store.DataNotFoundError) as err:
        store.fetch("Set", [remote(sha1="0" * 40)], [str(target)])
    message = str(err.value)
    assert "data.bin" in message and str(target) in message and "sha1 mismatch" in message
    assert not (target / "data.bin").exists()
    assert [f for f in os.listdir(str(target)) if f.endswith(".part")] == []


def test_offline_gives_a_clear_error_without_touching_the_network(tmp_path, monkeypatch):
    monkeypatch.setenv(store.OFFLINE_ENV, "1")
    monkeypatch.setattr(store, "_urlopen", lambda url, timeout: pytest.fail("network used while offline"))
    with pytest.raises(store.DataNotFoundError) as err:
        store.fetch("Set", [remote()], [str(tmp_path / "a"), str(tmp_path / "b")])
    message = str(err.value)
    assert store.OFFLINE_ENV in message and "data.bin" in message
    assert str(tmp_path / "a") in message and str(tmp_path / "b") in message


def test_network_failure_becomes_data_not_found(tmp_path, monkeypatch):
    monkeypatch.delenv(store.OFFLINE_ENV, raising=False)

    def down(url, timeout):
        raise urllib.error.URLError("no route to host")
    monkeypatch.setattr(store, "_urlopen", down)
    with pytest.raises(store.DataNotFoundError, match="no route to host"):
        store.fetch("Set", [remote()], [str(tmp_path)])


def test_book_dirs_searches_d2lzh_data_before_the_books_default(tmp_path, monkeypatch):
    assert store.book_dirs(str(tmp_path / "mine"), "../data") == [str(tmp_path / "mine")]
    assert store.book_dirs("../data", "../data") == [store.legacy_dir()]
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "env"))
    assert store.book_dirs("../data", "../data") == [str(tmp_path / "env"), store.legacy_dir()]
    assert store.book_dirs(str(tmp_path / "mine"), "../data") == [str(tmp_path / "mine")]


# extract ---------------------------------------------------------------------------------------------
def make_zip(path, names):
    with zipfile.ZipFile(str(path), "w") as zf:
        for name in names:
            zf.writestr(name, b"content of " + name.encode())
    return str(path)


def make_tar(path, names):
    with tarfile.open(str(path), "w:gz") as tf:
        for name in names:
            data = b"content of " + name.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return str(path)


@pytest.mark.parametrize("make", [make_zip, make_tar])
def test_extract_unpacks_a_normal_archive(tmp_path, make):
    archive = make(tmp_path / "archive", ["top.txt", "sub/inner.txt"])
    out = tmp_path / "out"
    assert store.extract(archive, str(out)) == str(out)
    assert (out / "sub" / "inner.txt").read_bytes() == b"content of sub/inner.txt"


@pytest.mark.filterwarnings("error")
def test_extract_tar_gives_no_deprecation_warning(tmp_path):
    """Python 3.12 warns when extractall is given no filter; extract names the "data" filter where it exists."""
    archive = make_tar(tmp_path / "archive", ["top.txt"])
    store.extract(archive, str(tmp_path / "out"))
    assert (tmp_path / "out" / "top.txt").exists()


@pytest.mark.parametrize("make", [make_zip, make_tar])
@pytest.mark.parametrize("evil", ["../evil.txt", "sub/../../evil.txt", "/tmp/d2lzh_abs_evil.txt"])
def test_extract_refuses_members_landing_outside_the_folder(tmp_path, make, evil):
    archive = make(tmp_path / "archive", ["fine.txt", evil])
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="outside"):
        store.extract(archive, str(out))
    assert not (tmp_path / "evil.txt").exists() and not os.path.exists("/tmp/d2lzh_abs_evil.txt")
    assert not (out / "fine.txt").exists()  # refused before writing anything


@pytest.mark.parametrize("kind, target", [(tarfile.SYMTYPE, "../../etc"), (tarfile.SYMTYPE, "inside.txt"),
                                          (tarfile.LNKTYPE, "a/../../../victim.txt")])
def test_extract_refuses_tar_links(tmp_path, kind, target):
    """A hard link resolves from the archive root, so a later file written through it escapes."""
    archive = tmp_path / "links.tar"
    with tarfile.open(str(archive), "w") as tf:
        link = tarfile.TarInfo("a/b/link")
        link.type, link.linkname = kind, target
        tf.addfile(link)
        data = b"overwritten"
        info = tarfile.TarInfo("a/b/link")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    with pytest.raises(ValueError, match="link or special file"):
        store.extract(str(archive), str(tmp_path / "x" / "y" / "out"))
    assert not list((tmp_path / "x").rglob("*.txt")) and not (tmp_path / "victim.txt").exists()


# mkdir_if_not_exist ----------------------------------------------------------------------------------
def test_mkdir_if_not_exist_takes_a_list_like_1_0_0(tmp_path):
    store.mkdir_if_not_exist([str(tmp_path), "a", "b"])
    store.mkdir_if_not_exist([str(tmp_path), "a", "b"])  # existing: no error
    assert (tmp_path / "a" / "b").is_dir()


def test_mkdir_if_not_exist_takes_a_string(tmp_path):
    store.mkdir_if_not_exist(str(tmp_path / "x" / "y"))
    assert (tmp_path / "x" / "y").is_dir()
