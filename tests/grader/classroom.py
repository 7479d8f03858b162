"""A generated class of submissions for the batch tests and bench/batch.py, made from solutions/ and exercises/.

Each student is one of a few kinds: the solutions (correct), the stubs (not attempted), the solutions
with some answers put back to their stubs (partial) or replaced by wrong ones (wrong), hostile code at
import (sys.exit, an endless loop), and zipped variants: flat, one top folder, broken, unsafe.
"""
import ast
import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS, STUBS = ROOT / "solutions", ROOT / "exercises"
CHEAP_CHAPTERS = ("ch02_preliminaries",)  # what most batch tests grade: one chapter, one mxnet import each

# The 20 students of the tests' class: id -> (kind, how many answers the kind changes, how it is handed in).
CLASS_OF_20 = {
    "s01": ("correct", 0, "folder"), "s02": ("correct", 0, "zip"), "s03": ("correct", 0, "zip_folder"),
    "s04": ("stubs", 0, "folder"), "s05": ("stubs", 0, "zip"),
    "s06": ("partial", 2, "folder"), "s07": ("partial", 4, "folder"), "s08": ("partial", 6, "zip"),
    "s09": ("partial", 8, "folder"), "s10": ("partial", 11, "zip_folder"), "s11": ("partial", 14, "folder"),
    "s12": ("wrong", 1, "folder"), "s13": ("wrong", 3, "folder"), "s14": ("wrong", 5, "zip"),
    "s15": ("wrong", 9, "folder"),
    "s16": ("exit_at_import", 0, "folder"), "s17": ("loop_at_import", 0, "folder"),
    "s18": ("correct", 0, "broken_zip"), "s19": ("correct", 0, "unsafe_zip"), "s20": ("partial", 3, "folder"),
}
UNREADABLE = ("broken_zip", "unsafe_zip")  # ways of handing in that the grader cannot read at all


def answer_names(source):
    """Names of the module-level functions and constants of a chapter module, in order."""
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper():
            names.append(node.targets[0].id)
    return names


def _definitions(source):
    """{name: source text} of the module-level functions and constants of source."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = ast.get_source_segment(source, node)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = ast.get_source_segment(source, node)
    return found


def _wrong(name):
    """A wrong answer for name: a constant of the wrong value, or a function returning one."""
    if name.isupper():
        return "%s = -1\n" % name
    return "def %s(*args, **kwargs):\n    return [[-1.0, 2.0], [3.0, -4.0]]\n" % name


def chapter_source(chapter, kind, count):
    """The text of one chapter module handed in by a student of kind (count: answers the kind changes)."""
    solution = (SOLUTIONS / (chapter + ".py")).read_text(encoding="utf-8")
    stub = (STUBS / (chapter + ".py")).read_text(encoding="utf-8")
    names = answer_names(stub)
    if kind == "correct":
        return solution
    if kind == "stubs":
        return stub
    if kind == "partial":  # later definitions win: put the stubs of every (len/count)-th answer back
        stubs = _definitions(stub)
        chosen = names[::max(1, len(names) // count)][:count]
        return solution + "\n\n" + "\n\n".join(stubs[name] for name in chosen) + "\n"
    if kind == "wrong":
        chosen = names[1::max(1, len(names) // count)][:count]
        return solution + "\n\n" + "\n".join(_wrong(name) for name in chosen)
    if kind == "exit_at_import":
        return "import sys\nsys.exit(3)\n" + solution
    if kind == "loop_at_import":
        return "while True:\n    pass\n" + solution
    raise ValueError("unknown kind %r" % kind)


def write_submission(folder, student, kind, count, handed_in, chapters=CHEAP_CHAPTERS):
    """Write one student's submission into folder, handed in as 'folder', 'zip', 'zip_folder', 'broken_zip'
    or 'unsafe_zip' (a zip with an entry that climbs out with '..'); return its path."""
    files = {chapter + ".py": chapter_source(chapter, kind, count) for chapter in chapters}
    if handed_in == "folder":
        target = Path(folder) / student
        target.mkdir(parents=True)
        for name, text in files.items():
            (target / name).write_text(text, encoding="utf-8")
        return target
    target = Path(folder) / (student + ".zip")
    if handed_in == "broken_zip":
        with zipfile.ZipFile(target, "w") as archive:
            for name, text in files.items():
                archive.writestr(name, text)
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])  # cut in the middle
        return target
    prefix = {"zip": "", "zip_folder": student + "/", "unsafe_zip": "../"}[handed_in]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(prefix + name, text)
    return target


def build_class(folder, students=None, chapters=CHEAP_CHAPTERS):
    """Write a class of submissions (default: CLASS_OF_20) into folder; return {student: (kind, count, how)}."""
    students = CLASS_OF_20 if students is None else students
    Path(folder).mkdir(parents=True, exist_ok=True)
    for student, (kind, count, handed_in) in students.items():
        write_submission(folder, student, kind, count, handed_in, chapters)
    return dict(students)


def readable_copy(submission, folder):
    """A folder holding what a readable submission (folder or zip made here) contains, for one-by-one grading."""
    submission = Path(submission)
    if submission.is_dir():
        return submission
    target = Path(folder) / submission.stem
    with zipfile.ZipFile(submission) as archive:
        archive.extractall(target)
    inner = list(target.iterdir())
    return inner[0] if len(inner) == 1 and inner[0].is_dir() else target


def copy_class(source, target):
    """A copy of a class folder (the tests grade the same class several ways)."""
    shutil.copytree(source, target, copy_function=shutil.copy2)
    return Path(target)
