"""grader.batch.submissions: one folder or zip per student, and zips unpacked safely (never into SUBMISSIONS)."""
import os
import stat
import zipfile

import pytest

from grader.batch import submissions
from grader.batch.submissions import SubmissionError, find_submissions, unpack
from grader.runner import GraderUsageError


def make_zip(path, entries):
    """A zip at path with entries {name: text}."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return path


def test_students_are_folders_and_zips_sorted_by_id(tmp_path):
    (tmp_path / "bob").mkdir()
    make_zip(tmp_path / "alice.zip", {"ch02_preliminaries.py": "X = 1\n"})
    (tmp_path / ".DS_Store").write_text("")
    (tmp_path / "notes.txt").write_text("not a submission")
    (tmp_path / "grades").mkdir()
    found = find_submissions(tmp_path, exclude=[tmp_path / "grades"])
    assert [(s.student, s.is_zip) for s in found] == [("alice", True), ("bob", False)]


def test_a_student_with_a_folder_and_a_zip_is_a_usage_error(tmp_path):
    (tmp_path / "bob").mkdir()
    make_zip(tmp_path / "bob.zip", {"a.py": ""})
    with pytest.raises(GraderUsageError, match="student bob has both a folder and a zip"):
        find_submissions(tmp_path)


def test_a_missing_submissions_folder_says_what_to_pass(tmp_path):
    with pytest.raises(GraderUsageError, match="one folder or .zip per student"):
        find_submissions(tmp_path / "nowhere")


def test_a_folder_is_modified_when_any_file_inside_is(tmp_path):
    folder = tmp_path / "bob"
    (folder / "deep").mkdir(parents=True)
    (folder / "deep" / "ch02_preliminaries.py").write_text("X = 1\n")
    os.utime(folder / "deep" / "ch02_preliminaries.py", (2e9, 2e9))
    assert submissions.Submission("bob", str(folder)).modified() == 2e9


def test_a_flat_zip_and_a_zip_of_one_folder_unpack_to_the_modules(tmp_path):
    flat = unpack(make_zip(tmp_path / "a.zip", {"ch02_preliminaries.py": "X = 1\n"}), str(tmp_path / "a"))
    nested = unpack(make_zip(tmp_path / "b.zip", {"bob/ch02_preliminaries.py": "X = 2\n",
                                                   "__MACOSX/bob/._ch02_preliminaries.py": "junk"}),
                    str(tmp_path / "b"))
    assert open(os.path.join(flat, "ch02_preliminaries.py")).read() == "X = 1\n"
    assert open(os.path.join(nested, "ch02_preliminaries.py")).read() == "X = 2\n"
    assert os.path.basename(nested) == "bob" and not (tmp_path / "b" / "__MACOSX").exists()


@pytest.mark.parametrize("name", ["../evil.py", "/etc/evil.py", "a/../../evil.py", "C:/evil.py", "..\\evil.py"])
def test_entries_that_climb_out_are_refused_and_nothing_lands_outside(tmp_path, name):
    target = tmp_path / "scratch" / "student"
    with pytest.raises(SubmissionError, match="unsafe path"):
        unpack(make_zip(tmp_path / "evil.zip", {"ok.py": "", name: "import os\n"}), str(target))
    assert sorted(p.name for p in tmp_path.rglob("evil.py")) == []


def test_symbolic_links_in_a_zip_are_refused(tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("ch02_preliminaries.py")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(SubmissionError, match="symbolic link"):
        unpack(path, str(tmp_path / "out"))
    assert not (tmp_path / "out" / "ch02_preliminaries.py").exists()


def test_a_zip_bomb_stops_at_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(submissions, "MAX_UNPACKED_BYTES", 1 << 20)
    bomb = make_zip(tmp_path / "bomb.zip", {"zeros.bin": "\0" * (4 << 20)})
    assert bomb.stat().st_size < 64 << 10
    with pytest.raises(SubmissionError, match="unpacks to more than 1 MB"):
        unpack(bomb, str(tmp_path / "out"))
    assert sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file()) <= 1 << 20


def test_too_many_entries_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(submissions, "MAX_FILES", 3)
    with pytest.raises(SubmissionError, match="4 entries, more than 3"):
        unpack(make_zip(tmp_path / "many.zip", {"%d.py" % n: "" for n in range(4)}), str(tmp_path / "out"))


def test_a_file_that_is_no_zip_says_so(tmp_path):
    broken = tmp_path / "bob.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(SubmissionError, match="bob.zip is not a zip file that can be read"):
        unpack(broken, str(tmp_path / "out"))
