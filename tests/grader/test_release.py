"""python -m grader release: what ships, what must never ship, and how a release is written."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import release
from grader.release import ReleaseError, ReleaseRejected

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "solutions" / "ch03_deep_learning_basics.py"
STUB = Path("exercises") / "ch03_deep_learning_basics.py"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """The project's release, built once for this module (not verified: the tests below verify it)."""
    folder = tmp_path_factory.mktemp("release") / "out"
    folder.mkdir()
    release.build(ROOT, folder)
    return folder


@pytest.fixture(scope="module")
def graded(released):
    """[(id, status)] of the released stubs graded by the released grader (about 20 s, once)."""
    return release.grade_release(released)


@pytest.fixture
def copy_of_release(released, tmp_path):
    """A copy of the release that a test may plant answers in."""
    return Path(shutil.copytree(released, tmp_path / "copy"))


def _answer(kind):
    """A line of the ch03 solution that would give an answer away: a long code line, or a short constant."""
    answers = release.answer_lines(SOLUTION.read_text(encoding="utf-8"))
    if kind == "constant":
        return next(text for text in answers if text.startswith("TRAINER_STEP_ARG = "))
    return next(text for text in answers if len(text) >= release.MIN_LINE_CHARS and "lstsq" in text)


def test_release_ships_the_student_files_and_nothing_else(released):
    top = {path.name for path in released.iterdir()}
    assert top == set(release.RELEASED)
    files = {path.relative_to(released).as_posix() for path in released.rglob("*") if path.is_file()}
    assert {"exercises/ch03_deep_learning_basics.ipynb", "grader/checks/test_ch03_deep_learning_basics.py",
            "grader/answers.py", "d2lzh/__init__.py", "constraints.txt", "build_backend.py"} <= files
    assert not [name for name in files if name.split("/")[0] in ("solutions", "tests", "bench", ".ci")]
    assert not [name for name in files if "__pycache__" in name or ".egg-info" in name or ".venv" in name]


def test_release_readme_says_what_it_leaves_out(released):
    text = (released / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# d2lzh-grader\n\n> This is the student release")
    assert text.endswith((ROOT / "README.md").read_text(encoding="utf-8").partition("\n")[2].lstrip("\n"))


def test_release_holds_no_solutions_file(released):
    leaks = release.find_leaks(released, ROOT)
    assert [leak for leak in leaks if not leak.where] == []


def test_release_holds_no_solution_line(released):
    """Stubs, notebooks, README, d2lzh and the grader, its checks' reference nets and hints included, give
    no answer line away."""
    assert release.find_leaks(released, ROOT) == []


def test_released_stubs_grade_not_attempted_or_skipped(graded):
    statuses = {status for _, status in graded}
    assert statuses <= set(release.EXPECTED_STATUSES) and "not_attempted" in statuses
    ids = [exercise_id for exercise_id, _ in graded]
    assert "ch03.least_squares" in ids and len(ids) == len(set(ids))


def test_released_grader_runs_from_the_release_with_a_clean_pythonpath(released):
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run([sys.executable, "-m", "grader", "--help"], cwd=str(released), env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "python -m grader ch03.linreg ch05" in done.stdout
    where = subprocess.run([sys.executable, "-c", "import grader; print(grader.__file__)"], cwd=str(released),
                           env=env, capture_output=True, text=True)
    assert Path(where.stdout.strip()).resolve() == (released / "grader" / "__init__.py").resolve()


@pytest.mark.parametrize("target", [STUB, Path("grader/checks/test_ch03_deep_learning_basics.py")])
def test_a_planted_solution_line_is_caught(copy_of_release, target):
    answer = _answer("line")
    with open(copy_of_release / target, "a", encoding="utf-8") as out:
        out.write("\n# " + answer + "\n")
    lines = len((copy_of_release / target).read_text(encoding="utf-8").splitlines())
    leaks = release.find_leaks(copy_of_release, ROOT)
    assert release.Leak(target.as_posix(), str(lines), answer, "solutions/ch03_deep_learning_basics.py:%d"
                        % release.answer_lines(SOLUTION.read_text(encoding="utf-8"))[answer]) in leaks
    with pytest.raises(ReleaseRejected) as info:
        release.verify(copy_of_release, ROOT)
    assert "%s:%d: %r" % (target.as_posix(), lines, answer) in str(info.value)


def test_a_short_answer_constant_in_a_notebook_is_caught(copy_of_release):
    notebook = copy_of_release / STUB.with_suffix(".ipynb")
    cells = json.loads(notebook.read_text(encoding="utf-8"))
    constant = _answer("constant")
    cells["cells"].append({"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                           "source": [constant + "\n"]})
    notebook.write_text(json.dumps(cells), encoding="utf-8")
    assert [leak.text for leak in release.find_leaks(copy_of_release, ROOT)
            if leak.path == notebook.relative_to(copy_of_release).as_posix()] == [constant]


def test_a_copied_solution_file_is_caught_under_any_name(copy_of_release, capsys):
    shutil.copy(SOLUTION, copy_of_release / "exercises" / "notes.txt")
    assert release.main(["--check", str(copy_of_release)]) == release.EXIT_LEAKS
    assert "exercises/notes.txt: is solutions/ch03_deep_learning_basics.py" in capsys.readouterr().err


def test_answer_lines_skip_signatures_imports_comments_and_docstrings():
    source = ('"""A module docstring long enough to count if docstrings counted at all."""\n'
              "import numpy as np\n"
              "ANSWER = (8, 1)\n"
              "def a_function_with_a_rather_long_signature(argument_one, argument_two):\n"
              '    """A docstring line that is long enough to count, were it code."""\n'
              "    # a comment line that is long enough to count, were it code\n"
              "    short = argument_one\n"
              "    return np.linalg.lstsq(argument_one, argument_two, rcond=None)[0]\n")
    assert release.answer_lines(source) == {"ANSWER = (8, 1)": 3,
                                            "return np.linalg.lstsq(argument_one, argument_two, rcond=None)[0]": 8}


@pytest.mark.parametrize("where, error", [
    (lambda tmp: ROOT / "release-out", "lies inside the project"),
    (lambda tmp: ROOT.parent, "holds the project"),
    (lambda tmp: tmp / "full", "is not empty; choose a new folder, or add --force"),
])
def test_refuses_an_out_dir_it_must_not_write(tmp_path, capsys, where, error):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "homework.py").write_text("x = 1\n")
    assert release.main([str(where(tmp_path))]) == release.EXIT_USAGE
    assert error in capsys.readouterr().err
    assert (tmp_path / "full" / "homework.py").read_text() == "x = 1\n"
    assert not (ROOT / "release-out").exists()


def test_force_replaces_only_an_earlier_release(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "homework.py").write_text("x = 1\n")
    with pytest.raises(ReleaseError, match="is not an earlier release"):
        release.check_out_dir(tmp_path / "full", ROOT, force=True)


@pytest.fixture
def unverified(monkeypatch):
    """release.verify replaced by a stand-in that passes or rejects (verify has its own tests above)."""
    outcome = {"reject": False}

    def fake_verify(folder, project=None):
        if outcome["reject"]:
            raise ReleaseRejected("planted rejection")
        return 1
    monkeypatch.setattr(release, "verify", fake_verify)
    return outcome


def test_release_is_written_whole_and_replaced_only_by_a_verified_one(tmp_path, unverified):
    out = tmp_path / "release"
    count = release.release(out, ROOT)
    assert count == len(release.released_files(ROOT)) and (out / "grader" / "release.py").is_file()
    (out / "exercises" / "mine.py").write_text("kept until a verified release replaces it\n")
    unverified["reject"] = True
    with pytest.raises(ReleaseRejected):
        release.release(out, ROOT, force=True)
    assert (out / "exercises" / "mine.py").is_file()
    unverified["reject"] = False
    release.release(out, ROOT, force=True)
    assert not (out / "exercises" / "mine.py").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["release"]  # no building or old folders left


def test_project_files_without_git_skip_what_gitignore_names(tmp_path):
    (tmp_path / ".gitignore").write_text("__pycache__/\n*.pyc\n*.egg-info/\n.venv/\n")
    for name in ("grader/__init__.py", "grader/__pycache__/x.cpython-311.pyc", "pkg.egg-info/PKG-INFO",
                 ".venv/bin/python", "exercises/ch02.py", "exercises/ch02.pyc"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert release.project_files(tmp_path) == [".gitignore", "exercises/ch02.py", "grader/__init__.py"]


def test_project_files_of_a_checkout_come_from_git(tmp_path):
    files = release.released_files(ROOT)
    assert "grader/release.py" in files and not [name for name in files if "__pycache__" in name]
    assert all((ROOT / name).is_file() for name in files)
