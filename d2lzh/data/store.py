"""Where data sets live on disk, and how missing files are fetched, checked and unpacked.

Every loader resolves its folder the same way: the ``root`` argument if given, else
``$D2LZH_DATA/<name>``, else the loader's own fallbacks (MXNet's cache, the book's ``../data``).
Files already there are used as they are, offline. Missing files are downloaded (unless
``D2LZH_OFFLINE=1``), checked against their sha1, and on failure one error says which files
to put where.
"""
import collections
import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.request
import zipfile

DATA_ENV = "D2LZH_DATA"
OFFLINE_ENV = "D2LZH_OFFLINE"
DOWNLOAD_TIMEOUT_S = 30
# tarfile's "data" filter (Python 3.12, and 3.8.17+ / 3.11.4+): without it Python 3.12 warns on every
# extraction, and it refuses the same escapes as _refuse_escapes once more.
TAR_FILTER = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}

RemoteFile = collections.namedtuple("RemoteFile", "name urls sha1")
RemoteFile.__doc__ = """A file a data set needs: its name, the URLs to try in order, its sha1 (or None)."""


class DataNotFoundError(FileNotFoundError):
    """A data set's files are neither on disk nor downloadable; the message says how to fix it."""


class DownloadError(OSError):
    """A download failed or its checksum did not match."""


def expand(path):
    """``path`` with ``~`` and environment variables expanded, made absolute."""
    return os.path.abspath(os.path.expandvars(os.path.expanduser(str(path))))


def mxnet_cache_dir(name):
    """MXNet's own dataset cache for ``name`` (``$MXNET_HOME/datasets/<name>``, default ``~/.mxnet``)."""
    home = os.environ.get("MXNET_HOME", os.path.join("~", ".mxnet"))
    return expand(os.path.join(home, "datasets", name))


def legacy_dir(*parts):
    """The book's layout: data next to the chapter folders, ``../data/...`` from the working directory."""
    return expand(os.path.join("..", "data", *parts))


def candidate_dirs(name, root=None, fallbacks=()):
    """Folders searched for data set ``name``: ``root`` alone if given, else $D2LZH_DATA/name, then fallbacks."""
    if root is not None:
        return [expand(root)]
    dirs = []
    if os.environ.get(DATA_ENV):
        dirs.append(expand(os.path.join(os.environ[DATA_ENV], name)))
    dirs.extend(expand(d) for d in fallbacks)
    return list(collections.OrderedDict.fromkeys(dirs))


def locate(filenames, dirs):
    """The first folder of ``dirs`` that holds every file of ``filenames``, else None."""
    for folder in dirs:
        if all(os.path.isfile(os.path.join(folder, f)) for f in filenames):
            return folder
    return None


def fetch(title, remote_files, dirs):
    """Folder holding all ``remote_files``: found in ``dirs``, else downloaded into ``dirs[0]``.

    Raises DataNotFoundError naming the missing files, the folders searched and how to fix it.
    """
    names = [f.name for f in remote_files]
    found = locate(names, dirs)
    if found is not None:
        return found
    target = dirs[0]
    if os.environ.get(OFFLINE_ENV, "") not in ("", "0"):
        reason = "downloads are off (%s is set)" % OFFLINE_ENV
    else:
        try:
            for remote in remote_files:
                path = os.path.join(target, remote.name)
                if not os.path.isfile(path):
                    download(remote.urls, path, remote.sha1)
            return target
        except DownloadError as err:
            reason = "downloading into %s failed: %s" % (target, err)
    raise DataNotFoundError(missing_message(title, remote_files, dirs, reason))


def find_file(title, remote, root, reason):
    """Path of the single file ``remote`` in ``root`` alone, else $D2LZH_DATA, then the book's ../data.

    For data sets that are never downloaded: when it is missing, DataNotFoundError says ``reason``,
    the folders searched and where the file comes from (``remote.urls[0]``).
    """
    dirs = candidate_dirs(".", root, [legacy_dir()])
    folder = locate([remote.name], dirs)
    if folder is None:
        raise DataNotFoundError(missing_message(title, [remote], dirs, reason))
    return os.path.join(folder, remote.name)


def book_dirs(path, book_default):
    """Folders for a 1.0.0 argument whose default is the book's ``book_default`` (e.g. '../data').

    A path the caller chose is searched alone; the default means $D2LZH_DATA first, then the book's folder.
    """
    if path != book_default:
        return [expand(path)]
    return candidate_dirs(".", None, [book_default])


def fetch_unpacked(title, archive, subdir, dirs):
    """First folder of ``dirs`` holding ``subdir``, else ``archive`` downloaded into ``dirs[0]`` and
    extracted there."""
    for folder in dirs:
        if os.path.isdir(os.path.join(folder, subdir)):
            return folder
    folder = fetch(title, [archive], dirs[:1])
    extract(os.path.join(folder, archive.name), folder)
    return folder


def missing_message(title, remote_files, dirs, reason):
    """The one error text for absent data: what is missing, where we looked, what to do."""
    lines = [
        "%s not found, and %s." % (title, reason),
        "Needed files: %s" % ", ".join(f.name for f in remote_files),
        "Folders searched, in order: %s" % "; ".join(dirs),
        "Fix: copy the files into one of those folders; to keep them elsewhere, pass root=DIR or set"
        " %s (README, 'Where data goes'). Sources:" % DATA_ENV,
    ]
    lines.extend("  %s  <-  %s" % (f.name, f.urls[0]) for f in remote_files if f.urls)
    return "\n".join(lines)


def _urlopen(url, timeout):
    """Open ``url`` for reading (tests replace this to simulate the network)."""
    return urllib.request.urlopen(url, timeout=timeout)


def download(urls, path, sha1=None):
    """Download the first of ``urls`` that works into ``path`` atomically, checking ``sha1``."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    errors = []
    for url in [urls] if isinstance(urls, str) else urls:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out, _urlopen(url, DOWNLOAD_TIMEOUT_S) as response:
                shutil.copyfileobj(response, out)
            if sha1 and file_sha1(tmp) != sha1:
                raise DownloadError("%s: sha1 mismatch (expected %s)" % (url, sha1))
            os.replace(tmp, path)
            return path
        except (OSError, ValueError) as err:  # URLError, timeouts and DownloadError are OSErrors
            errors.append("%s (%s)" % (url, err))
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    raise DownloadError("; ".join(errors) or "no URL to download from")


def file_sha1(path, chunk=1 << 20):
    """Hex sha1 of a file, read in chunks."""
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def _inside(folder, member):
    """Whether archive member name ``member`` stays inside ``folder`` once joined."""
    target = os.path.realpath(os.path.join(folder, member))
    return os.path.commonpath([os.path.realpath(folder), target]) == os.path.realpath(folder)


def extract(archive, folder):
    """Unpack a zip or tar archive into ``folder``, refusing members that would land outside it.

    Data sets hold only files and folders, so a tar member of any other kind (a link, a device)
    is refused too: links are how crafted archives write outside the folder.
    """
    os.makedirs(folder, exist_ok=True)
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            _refuse_escapes(archive, folder, zf.namelist())
            zf.extractall(folder)
        return folder
    with tarfile.open(archive) as tf:
        members = tf.getmembers()
        odd = [m.name for m in members if not (m.isreg() or m.isdir())]
        if odd:
            raise ValueError("refusing to extract %s: member %r is a link or special file, which a data set"
                             " does not need (it could write outside %s)" % (archive, odd[0], folder))
        _refuse_escapes(archive, folder, [m.name for m in members])
        tf.extractall(folder, **TAR_FILTER)
    return folder


def _refuse_escapes(archive, folder, names):
    """Raise if any member name of ``archive`` would be written outside ``folder``."""
    bad = [n for n in names if os.path.isabs(n) or not _inside(folder, n)]
    if bad:
        raise ValueError("refusing to extract %s: member %r would land outside %s" % (archive, bad[0], folder))


def mkdir_if_not_exist(path):
    """Create a folder and its parents if missing; ``path`` is a list of components (1.0.0) or a str."""
    folder = os.path.join(*path) if isinstance(path, (list, tuple)) else path
    os.makedirs(folder, exist_ok=True)
