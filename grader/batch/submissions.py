"""A class's submissions: one folder or one .zip per student, and zips unpacked safely for grading.

The folder or zip name (without .zip) is the student id. A zip is never unpacked into SUBMISSIONS:
it goes to a scratch folder, entry by entry, refusing absolute paths, '..', links, devices, more than
MAX_FILES entries and more than MAX_UNPACKED_BYTES of content (counted while writing, not as declared).
"""
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.runner import GraderUsageError

MAX_FILES = 2000  # entries in one student's zip
MAX_UNPACKED_BYTES = 256 << 20  # bytes written when unpacking one student's zip (against zip bombs)
CHUNK_BYTES = 1 << 20
IGNORED_TOP = ("__MACOSX",)  # what macOS's Archive Utility adds beside the zipped folder


class SubmissionError(Exception):
    """A submission that cannot be graded at all (a broken or unsafe zip): the student's record says why."""


@dataclass(frozen=True)
class Submission:
    """One student's work: the student id and the folder or .zip file that holds it."""

    student: str
    path: str

    @property
    def is_zip(self):
        """Whether the submission is a zip file (else a folder)."""
        return self.path.endswith(".zip")

    def modified(self):
        """The newest modification time of the zip, or of the folder and anything inside it."""
        newest = os.stat(self.path).st_mtime
        if not self.is_zip:
            for folder, dirs, files in os.walk(self.path):
                for name in dirs + files:
                    try:
                        newest = max(newest, os.lstat(os.path.join(folder, name)).st_mtime)
                    except OSError:  # removed while we looked
                        continue
        return newest


def find_submissions(folder, exclude=()):
    """Every student's Submission in folder, sorted by student id; hidden entries and other files ignored.

    exclude: paths not to take for a student (the output folder, when it lies inside folder).
    """
    root = Path(folder)
    if not root.is_dir():
        raise GraderUsageError("no folder %s: pass the folder holding one folder or .zip per student" % folder)
    excluded = {os.path.realpath(path) for path in exclude}
    found = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or os.path.realpath(entry) in excluded:
            continue
        if entry.is_dir():
            student = entry.name
        elif entry.is_file() and entry.name.lower().endswith(".zip"):
            student = entry.name[:-len(".zip")]
        else:
            continue
        if student in found:
            raise GraderUsageError("student %s has both a folder and a zip in %s; keep one" % (student, folder))
        found[student] = Submission(student, str(entry))
    return [found[student] for student in sorted(found)]


def _safe_parts(name):
    """The path components of a zip entry name, or SubmissionError if it could land outside the folder."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise SubmissionError("the zip holds an unsafe path %r (absolute, or with '..'); zip the files "
                              "themselves" % name)
    return [part for part in path.parts if part not in ("", ".")]


def _entry_kind(info):
    """'dir', 'file' or the refused kind ('link', 'special') of a zip entry, from its Unix mode if any."""
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip tool stored no file type
    if info.is_dir():
        return "dir"
    if kind == stat.S_IFLNK:
        return "link"
    if kind not in (0, stat.S_IFREG):
        return "special"
    return "file"


def _copy_limited(source, target_path, budget):
    """Copy an open entry to a new file at target_path (never through a link); return the budget left."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(target_path, flags, 0o644), "wb") as out:
        while True:
            chunk = source.read(CHUNK_BYTES)
            if not chunk:
                return budget
            budget -= len(chunk)
            if budget < 0:
                raise SubmissionError("the zip unpacks to more than %d MB; leave data sets and outputs out"
                                      % (MAX_UNPACKED_BYTES >> 20))
            out.write(chunk)


def unpack(zip_path, target):
    """Unpack zip_path into the new folder target and return the folder to grade.

    A zip holding a single top folder (besides __MACOSX) yields that folder. Raises SubmissionError for a
    file that is not a zip, and for unsafe or oversized contents.
    """
    os.makedirs(target)
    budget = MAX_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(zip_path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_FILES:
                raise SubmissionError("the zip holds %d entries, more than %d" % (len(entries), MAX_FILES))
            for info in entries:
                parts = _safe_parts(info.filename)
                kind = _entry_kind(info)
                if kind in ("link", "special"):
                    raise SubmissionError("the zip holds a %s %r; zip plain files only" % (
                        "symbolic link" if kind == "link" else "special file", info.filename))
                if not parts or parts[0] in IGNORED_TOP:
                    continue
                path = os.path.join(target, *parts)
                if kind == "dir":
                    os.makedirs(path, exist_ok=True)
                    continue
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with archive.open(info) as source:
                    budget = _copy_limited(source, path, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError) as exc:
        raise SubmissionError("%s is not a zip file that can be read (%s); zip the folder again"
                              % (os.path.basename(zip_path), exc))
    except (FileExistsError, IsADirectoryError, NotADirectoryError) as exc:
        raise SubmissionError("the zip holds %s twice (as a file and a folder, or two files)"
                              % os.path.relpath(exc.filename, target))
    return _single_top_folder(target)


def _single_top_folder(folder):
    """folder's only entry when that is a folder (a zipped folder), else folder itself."""
    entries = [entry for entry in os.listdir(folder) if entry not in IGNORED_TOP]
    if len(entries) == 1 and os.path.isdir(os.path.join(folder, entries[0])):
        return os.path.join(folder, entries[0])
    return folder
