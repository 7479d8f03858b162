"""``python -m grader release OUT_DIR``: write what students get, and prove it gives no answer away.

The release is the project's files under RELEASED (d2lzh, the grader with its checks, the exercise
stubs and notebooks, and what ``pip install -c constraints.txt -e .`` needs), taken from ``git ls-files``
so that ignored build outputs never ship. It is built in a hidden folder next to OUT_DIR, verified
there, and renamed into place only when clean:

- no file of solutions/ is in it (same content, under any name);
- no line of a solution is in it (a module-level answer constant, or a code line of at least
  MIN_LINE_CHARS characters: signatures, imports, comments and docstrings are not answers), except
  lines that are public by design: the book's own code in d2lzh/, and lines a stub's docstring quotes as
  the task (so a line planted in d2lzh/ or in a stub's docstring goes unnoticed: review those by hand);
- the released grader, run from the release, grades every released stub not attempted (or skipped).
"""
import argparse
import ast
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import namedtuple
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
# What ships, by top-level name; anything else (solutions/, tests/, bench/, .ci/, new folders) stays home.
RELEASED = ("d2lzh", "grader", "exercises", "README.md", "setup.cfg", "pyproject.toml", "build_backend.py",
            "constraints.txt", ".gitignore")
MIN_LINE_CHARS = 40  # longer than most signatures and idioms (`with autograd.record():`), shorter than answers
MIN_CONSTANT_CHARS = 12  # an answer constant's line (`NAME = "x"`), but not a bracket line of a long one
EXPECTED_STATUSES = ("not_attempted", "skipped")
GRADING_TIMEOUT = 900  # seconds for grading every stub once (about 20 s on 2 cores)
RELEASE_NOTE = """\
> This is the student release of d2lzh-grader, made with `python -m grader release`: it holds the
> `d2lzh` package, the exercises and the grader, but not the model solutions, the project's tests or
> its benchmarks, so the commands below that use them (`--solutions`, `python -m pytest`, `bench/`)
> are for instructors working in the full project.

"""
EXIT_OK, EXIT_LEAKS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

Leak = namedtuple("Leak", "path where text source")  # released file, its line ('': whole file), what, from where


class ReleaseError(Exception):
    """An OUT_DIR or project that release cannot use (the command line's exit code 2)."""


class ReleaseRejected(Exception):
    """A release that would give answers away or does not grade as not attempted (exit code 1)."""


# -- which files ship -----------------------------------------------------------------------------


def project_files(root):
    """Relative paths of root's files: ``git ls-files`` (tracked, or untracked and not ignored) in a
    git checkout, else (or without git) a walk that skips what root's .gitignore names."""
    root = Path(root)
    if (root / ".git").exists():
        try:
            listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others",
                                     "--exclude-standard"], capture_output=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            listed = None
        if listed is not None:
            paths = [path for path in listed.decode("utf-8").split("\0") if path]
            return sorted(path for path in paths if (root / path).is_file())  # not tracked files deleted since
    return sorted(_walk(root, _ignore_patterns(root)))


def _ignore_patterns(root):
    """The patterns of root/.gitignore (plus .git), without comments and blank lines."""
    gitignore = root / ".gitignore"
    lines = gitignore.read_text(encoding="utf-8").splitlines() if gitignore.is_file() else []
    return [".git/"] + [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _ignored(name, is_dir, patterns):
    """Whether a file or folder named name matches a .gitignore name pattern ('x/' matches folders only).

    Name patterns are all this project's .gitignore uses; paths inside patterns and '!' are not read.
    """
    for pattern in patterns:
        if pattern.endswith("/") and not is_dir:
            continue
        if fnmatch.fnmatch(name, pattern.rstrip("/").lstrip("/")):
            return True
    return False


def _walk(root, patterns):
    """Relative paths of the files under root that no pattern ignores (nor any folder above them)."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if not _ignored(name, True, patterns)]
        for name in files:
            if not _ignored(name, False, patterns):
                yield os.path.relpath(os.path.join(folder, name), root)


def released_files(root):
    """The paths of root's files that ship (their first component is in RELEASED)."""
    return [path for path in project_files(root) if Path(path).parts[0] in RELEASED]


# -- where the release goes -----------------------------------------------------------------------


def _looks_like_release(folder):
    """Whether folder holds an earlier release (the only non-empty folder --force replaces)."""
    return (folder / "grader" / "__main__.py").is_file() and (folder / "exercises").is_dir() and not (
        folder / "solutions").exists() and not (folder / ".git").exists()


def check_out_dir(out_dir, project=PROJECT, force=False):
    """out_dir as an absolute Path, or ReleaseError when release must not write there."""
    out, project = Path(out_dir).resolve(), Path(project).resolve()
    if out == project or project in out.parents:
        raise ReleaseError("%s lies inside the project %s; choose a folder outside it (e.g. ../d2lzh-release)"
                           % (out_dir, project))
    if out in project.parents:
        raise ReleaseError("%s holds the project %s; choose a new folder outside it" % (out_dir, project))
    if out.exists() and not out.is_dir():
        raise ReleaseError("%s is a file, not a folder" % out_dir)
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise ReleaseError("%s is not empty; choose a new folder, or add --force to replace an earlier "
                               "release there" % out_dir)
        if not _looks_like_release(out):
            raise ReleaseError("%s is not empty and is not an earlier release; --force replaces only a "
                               "release, so choose a new folder" % out_dir)
    if not out.parent.is_dir():
        raise ReleaseError("no folder %s to put the release in" % out.parent)
    return out


def _solutions_folder(project):
    """project/solutions, or ReleaseError: the release is made from (and checked against) the solutions."""
    folder = Path(project) / "solutions"
    if not folder.is_dir():
        raise ReleaseError("no solutions/ in %s: run python -m grader release from the full project, which "
                           "the release is checked against" % project)
    return folder


# -- building -------------------------------------------------------------------------------------


def build(project, folder):
    """Copy the released files of project into folder (an existing empty folder); return their paths.

    The README gets a note under its title that says what the release leaves out.
    """
    paths = released_files(project)
    for path in paths:
        target = Path(folder, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(project, path), target)
    readme = Path(folder, "README.md")
    if readme.is_file():
        readme.write_text(_with_release_note(readme.read_text(encoding="utf-8")), encoding="utf-8")
    return paths


def _with_release_note(text):
    """The README text with RELEASE_NOTE after its '# title' line (or first, without one)."""
    title, newline, rest = text.partition("\n")
    if not title.startswith("# "):
        return RELEASE_NOTE + text
    return title + newline + "\n" + RELEASE_NOTE + rest.lstrip("\n")


# -- finding answers in a release -----------------------------------------------------------------


def _docstring_lines(tree):
    """Numbers of the lines of every string-expression statement (docstrings) of a parsed module."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def _constant_lines(tree):
    """Numbers of the lines of module-level assignments of a literal (answer constants)."""
    lines = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            try:
                ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError):
                continue
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def _is_scaffolding(text):
    """Whether a stripped code line is a signature, decorator, import or comment (no answer in it)."""
    if text.startswith(("#", "@", "import ", "from ")):
        return True
    return text.startswith(("def ", "async def ", "class ")) and text.endswith(":")


def answer_lines(source):
    """{stripped line: line number} of a solution module's lines that would give an answer away."""
    tree = ast.parse(source)
    docstrings, constants = _docstring_lines(tree), _constant_lines(tree)
    found = {}
    for number, line in enumerate(source.splitlines(), 1):
        text = line.strip()
        if not text or number in docstrings or _is_scaffolding(text):
            continue
        if len(text) >= (MIN_CONSTANT_CHARS if number in constants else MIN_LINE_CHARS):
            found.setdefault(text, number)
    return found


def _cell_text(cell):
    """A notebook cell's source and text outputs, as a reader sees them (JSON escapes undone)."""
    parts = [cell.get("source", "")]
    for output in cell.get("outputs", []):
        parts += [output.get("text", ""), output.get("data", {}).get("text/plain", "")]
    return "\n".join(part if isinstance(part, str) else "".join(part) for part in parts)


def _numbered_lines(path):
    """[(where, line)] of a released file as a reader sees it: 'N' per line, or 'cell C line N' in a
    notebook; [] for a binary file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return []
    if path.suffix == ".ipynb":
        try:
            cells = [_cell_text(cell) for cell in json.loads(text)["cells"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            cells = None  # not a notebook after all: its raw text is what a reader sees
        if cells is not None:
            return [("cell %d line %d" % (c, n), line) for c, cell in enumerate(cells, 1)
                    for n, line in enumerate(cell.splitlines(), 1)]
    return [(str(n), line) for n, line in enumerate(text.splitlines(), 1)]


def _docstrings(source):
    """The docstrings of a stub module: the tasks, which may quote a line for the student to write."""
    keep = _docstring_lines(ast.parse(source))
    return "\n".join(line for number, line in enumerate(source.splitlines(), 1) if number in keep)


def public_text(release):
    """Text in which a solution line is public by design: the book's code in d2lzh/, the stubs' docstrings."""
    release = Path(release)
    parts = [path.read_text(encoding="utf-8") for path in sorted(release.glob("d2lzh/**/*.py"))]
    parts += [_docstrings(path.read_text(encoding="utf-8")) for path in sorted(release.glob("exercises/*.py"))]
    return "\n".join(parts)


def _digest(path):
    """sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find_leaks(release, project=PROJECT):
    """Every Leak of project's solutions/ in the release folder: whole files, then answer lines."""
    release, solutions = Path(release), _solutions_folder(project)
    solution_files = [Path(project, path) for path in project_files(project) if Path(path).parts[0] == "solutions"]
    by_digest = {_digest(path): path.relative_to(project) for path in solution_files if path.stat().st_size}
    answers = {}  # stripped line -> "solutions/x.py:N"
    for path in sorted(solutions.glob("*.py")):
        for text, number in answer_lines(path.read_text(encoding="utf-8")).items():
            answers.setdefault(text, "%s:%d" % (path.relative_to(project), number))
    public = public_text(release)
    answers = {text: where for text, where in answers.items() if text not in public}
    leaks = []
    for name in project_files(release):
        path = release / name
        if _digest(path) in by_digest:
            leaks.append(Leak(name, "", "the whole file", str(by_digest[_digest(path)])))
            continue
        for where, line in _numbered_lines(path):
            leaks.extend(Leak(name, where, answer, source) for answer, source in answers.items() if answer in line)
    return leaks


# -- grading the release --------------------------------------------------------------------------


def _release_env(release):
    """The environment for a process that must import the release's grader and d2lzh, not the project's."""
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    env["PYTHONPATH"] = str(release)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # grading leaves no __pycache__ in the release
    return env


def _assert_release_imported(release):
    """ReleaseRejected unless grader and d2lzh resolve to the release's copies from the release folder."""
    probe = "import importlib.util as u; print(u.find_spec('grader').origin); print(u.find_spec('d2lzh').origin)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=str(release), env=_release_env(release),
                          capture_output=True, text=True)
    origins = [Path(line).resolve() for line in done.stdout.split()]
    if done.returncode != 0 or len(origins) != 2 or not all(Path(release).resolve() in o.parents for o in origins):
        raise ReleaseRejected("the release's grader and d2lzh are not what runs from the release (found %s); "
                              "is another copy installed in a way that shadows PYTHONPATH?"
                              % (" and ".join(map(str, origins)) or done.stderr.strip()))


def grade_release(release, timeout=GRADING_TIMEOUT):
    """[(id, status)] of the released stubs, graded by the released grader running from the release."""
    _assert_release_imported(release)
    command = [sys.executable, "-m", "grader", "--format", "json", "--quiet"]
    try:
        done = subprocess.run(command, cwd=str(release), env=_release_env(release), capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ReleaseRejected("grading the released stubs took more than %d s" % timeout)
    try:
        exercises = json.loads(done.stdout)["exercises"]
    except (ValueError, KeyError):
        raise ReleaseRejected("the released grader did not report (exit code %d):\n%s"
                              % (done.returncode, done.stderr.strip()[-2000:]))
    return [(exercise["id"], exercise["status"]) for exercise in exercises]


def verify(release, project=PROJECT):
    """ReleaseRejected, naming each leak (or else each stub that did not grade as not attempted), unless the
    release gives no answer away and grades as not attempted; return the number of exercises graded."""
    leaks = find_leaks(release, project)
    if leaks:
        lines = ["  %s: is %s" % (leak.path, leak.source) if not leak.where else
                 "  %s:%s: %r (%s)" % (leak.path, leak.where, leak.text, leak.source) for leak in leaks]
        raise ReleaseRejected(
            "the release would give away %d answer line(s) or file(s) of solutions/:\n%s\nTake them out of "
            "those files (store an answer as a digest: python -m grader.answers; compute it another way "
            "than the solution does), then release again (the stubs are graded once no answer is found)."
            % (len(leaks), "\n".join(lines)))
    graded = grade_release(release)
    unexpected = [(exercise_id, status) for exercise_id, status in graded if status not in EXPECTED_STATUSES]
    if not graded or unexpected:
        raise ReleaseRejected(
            "the released stubs must all grade not_attempted (or skipped), but %s. A stub that passes or "
            "fails holds (part of) an answer or a bug; fix the stub in exercises/, then release again."
            % (", ".join("%s is %s" % pair for pair in unexpected) if graded else "nothing was graded"))
    return len(graded)


# -- the whole command ----------------------------------------------------------------------------


def release(out_dir, project=PROJECT, force=False):
    """Write the student release of project into out_dir, verified; return the number of files written.

    Builds and verifies in a hidden folder next to out_dir, then renames it into place, so out_dir is
    never half written, and a rejected release (ReleaseRejected) leaves out_dir as it was.
    """
    _solutions_folder(project)
    out = check_out_dir(out_dir, project, force)
    staging = Path(tempfile.mkdtemp(prefix=".%s-building-" % out.name, dir=str(out.parent)))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        count = len(build(project, staging))
        verify(staging, project)
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _umask():
    """The process's umask (read by setting it and back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _swap_into_place(staging, out):
    """Rename staging to out; an earlier release (or empty folder) at out is removed only after."""
    if not out.exists():
        os.rename(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=".%s-old-" % out.name, dir=str(out.parent)))
    os.rename(out, old / out.name)
    os.rename(staging, out)
    shutil.rmtree(old)


DESCRIPTION = """\
Write what students get into OUT_DIR: the d2lzh package, the grader with its checks, the exercise
stubs and their notebooks, README.md and what `pip install -c constraints.txt -e .` needs. Never
solutions/, the project's tests/ (they read solutions/ and hold near-solutions), bench/ or .ci/
(they run the solutions and the tests). Files come from `git ls-files`, so .venv, __pycache__
and *.egg-info never ship.

Before OUT_DIR appears, the release is checked: no file of solutions/ and no line of one (an
answer constant, or a code line of %d+ characters that is neither the book's code in d2lzh/
nor quoted by a stub's docstring) may be in it, and the released grader, run from the release,
must grade every stub not attempted (slow ones skipped). Any problem is named, and nothing is
written.
""" % MIN_LINE_CHARS

EPILOG = """\
examples:
  python -m grader release ../d2lzh-release            a new folder outside the project
  python -m grader release ../d2lzh-release --force    replace an earlier release there
  python -m grader release --check ../d2lzh-release    check a release again (after editing it)

then, in the release:  pip install -c constraints.txt -e . && python -m grader

exit codes:
  0    released (or, with --check, the release is clean)
  1    the release would give an answer away, or a stub did not grade as not attempted
  2    usage error (OUT_DIR not empty or inside the project, no solutions/ to check against, ...)
  130  interrupted (Ctrl-C); nothing was written
"""


def build_parser():
    """The argument parser of python -m grader release."""
    parser = argparse.ArgumentParser(prog="python -m grader release", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", metavar="OUT_DIR", help="a new or empty folder outside the project")
    parser.add_argument("--force", action="store_true", help="replace an earlier release in OUT_DIR "
                        "(only once the new one is verified; never a folder that is not a release)")
    parser.add_argument("--check", action="store_true", help="write nothing: check the release already in "
                        "OUT_DIR against this project's solutions/")
    return parser


def main(argv=None):
    """Run python -m grader release; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.check:
            if not Path(args.out_dir).is_dir():
                raise ReleaseError("no folder %s to check" % args.out_dir)
            count = verify(args.out_dir)
            print("%s: clean; its %d exercises grade not attempted or skipped" % (args.out_dir, count))
        else:
            count = release(args.out_dir, force=args.force)
            print("released %d files into %s; no answer in them, every stub not attempted" % (count, args.out_dir))
    except ReleaseError as exc:
        print("python -m grader release: error: %s" % exc, file=sys.stderr)
        return EXIT_USAGE
    except ReleaseRejected as exc:
        print("python -m grader release: rejected: %s" % exc, file=sys.stderr)
        return EXIT_LEAKS
    except KeyboardInterrupt:
        print("\npython -m grader release: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK
