"""``python -m grader notebooks``: one notebook per chapter module of exercises/, made from the module.

A chapter module reads: a docstring, imports, then sections (a banner of three comment lines) holding
exercises (``# Exercise 3.2.1 (3 points)``, the task as comments or as the stub's docstring, the stub).
Its notebook: the docstring as a title cell, the imports, a heading per section, per exercise a
markdown cell with the task and a code cell with the stub, and a last cell that checks the chapter.
The code cells hold the module's code line for line (``notebook_for_module`` verifies it), so the
module stays the one source; the notebook's metadata keeps a digest of the code it was made with,
which tells a notebook as generated from one a student has worked in.
"""
import argparse
import ast
import hashlib
import re
import sys
from pathlib import Path

import nbformat

from grader.report import write_atomically

METADATA_KEY = "d2lzh_grader"
CHAPTER_MODULE = re.compile(r"^(ch\d\d)_\w+\.py$")
BANNER_RULE = re.compile(r"^# -{10,}\s*$")
EXERCISE_MARKER = re.compile(r"^# Exercise (\d+(?:\.\d+)*)(.*)$")
CHOICE = re.compile(r"^\s+(\([a-z]\)\s.*)$")
CHECK_CELL = """\
# Check this chapter: grades the definitions above in a separate process, like `python -m grader {chapter}`.
# (check("{chapter}.<exercise>") checks one exercise.)
from grader import check
check("{chapter}")
"""
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


class NotebookLayoutError(Exception):
    """A module whose code would not survive the trip into notebook cells (a bug in the splitting)."""


def chapter_modules(folder):
    """The chapter modules (chNN_*.py) of folder, in chapter order."""
    return sorted(path for path in Path(folder).iterdir() if CHAPTER_MODULE.match(path.name))


def _markdown(text):
    """Comment or docstring text as markdown: ``code`` becomes `code`, characters that would start
    emphasis or HTML are escaped outside code spans, answer choices become a list and the 'Answer:' line its own paragraph."""
    pieces = text.replace("``", "`").split("`")
    for i in range(0, len(pieces), 2):  # outside code spans
        pieces[i] = re.sub(r"[\\*<]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", lambda m: "\\" + m.group(0), pieces[i])
    lines = []
    for line in "`".join(pieces).splitlines():
        choice = CHOICE.match(line)
        line = line.strip()
        if choice:
            line = "- " + choice.group(1)
        elif line.startswith("Answer:"):
            line = "\n**Answer:**" + line[len("Answer:"):]
        lines.append(line)
    return "\n".join(lines).strip()


def _comment_text(lines):
    """The text of '# ...' comment lines, without the '# '."""
    return "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#") for line in lines)


def _trim(lines):
    """lines without blank lines at either end, joined."""
    text = "".join(lines).strip("\n")
    return text + "\n" if text else ""


def first_line(node):
    """The line a statement starts on, its decorators included."""
    return min([node.lineno] + [decorator.lineno for decorator in getattr(node, "decorator_list", [])])


def _statement_lines(tree):
    """1-based numbers of the lines that top-level statements (decorators included) cover."""
    covered = set()
    for node in tree.body:
        covered.update(range(first_line(node), node.end_lineno + 1))
    return covered


def _cell_id(used, wanted):
    """A cell id (letters, digits, '-') from wanted, unique among used."""
    base = re.sub(r"[^A-Za-z0-9-]+", "-", wanted).strip("-")[:60] or "cell"
    cell_id, n = base, 2
    while cell_id in used:
        cell_id, n = "%s-%d" % (base, n), n + 1
    used.add(cell_id)
    return cell_id


class _Cells:
    """The notebook's cells as they are made, with unique ids."""

    def __init__(self):
        self.cells, self._ids = [], set()

    def markdown(self, text, name):
        if text.strip():
            self.cells.append(nbformat.v4.new_markdown_cell(text.strip(), id=_cell_id(self._ids, name)))

    def code(self, text, name):
        if text.strip():
            self.cells.append(nbformat.v4.new_code_cell(text.rstrip("\n"), id=_cell_id(self._ids, name)))


def _task(number, title_rest, comments, code):
    """The markdown of one exercise: a heading, the task comments, the docstring of its stub."""
    parts = ["### Exercise %s%s" % (number, title_rest.rstrip())]
    if comments:
        parts.append(_markdown(_comment_text(comments)))
    try:
        stubs = [node for node in ast.parse(code).body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    except SyntaxError:
        stubs = []
    if stubs and ast.get_docstring(stubs[0]):
        parts.append("`%s`: %s" % (stubs[0].name, _markdown(ast.get_docstring(stubs[0]))))
    return "\n\n".join(parts)


def _is_banner(lines, i):
    """Whether lines[i:i + 3] is a section banner: a rule, '# <title>', a rule."""
    return (i + 2 < len(lines) and BANNER_RULE.match(lines[i]) is not None and lines[i + 1].startswith("# ")
            and BANNER_RULE.match(lines[i + 2]) is not None)


def _chunks(lines, covered, start):
    """lines[start:] split at banners and exercise markers that stand outside statements.

    Returns (kind, info, code lines) triples: ('code', None, ...) for what precedes the first banner,
    ('section', title, ...) per banner and ('exercise', (number, rest of the marker line, comment
    lines), ...) per exercise; the code lines are those up to the next banner or marker.
    """
    chunks = [("code", None, [])]
    i = start
    while i < len(lines):
        free = (i + 1) not in covered
        if free and _is_banner(lines, i):
            chunks.append(("section", lines[i + 1][2:].strip(), []))
            i += 3
            continue
        marker = EXERCISE_MARKER.match(lines[i]) if free else None
        if marker:
            i += 1
            comments = []
            while (i < len(lines) and (i + 1) not in covered and lines[i].startswith("#")
                   and not EXERCISE_MARKER.match(lines[i]) and not _is_banner(lines, i)):
                comments.append(lines[i].rstrip("\n"))
                i += 1
            chunks.append(("exercise", (marker.group(1), marker.group(2), comments), []))
            continue
        chunks[-1][2].append(lines[i])
        i += 1
    return chunks


def notebook_for_module(path):
    """The notebook of the chapter module at path (nbformat v4), checked to hold the module's code."""
    path = Path(path)
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    chapter = CHAPTER_MODULE.match(path.name).group(1)
    docstring = ast.get_docstring(tree)
    start = tree.body[0].end_lineno if docstring else 0
    cells = _Cells()
    if docstring:
        title, _, rest = docstring.partition("\n")
        cells.markdown("# %s\n\n%s\n\nRun the last cell to check your work: `check(\"%s\")` grades this chapter "
                       "and `check(\"%s.<exercise>\")` one exercise." % (title, _markdown(rest), chapter, chapter),
                       "intro")
    for kind, info, lines in _chunks(source.splitlines(True), _statement_lines(tree), start):
        code = _trim(lines)
        if kind == "section":
            cells.markdown("## " + info, "section-" + info.split()[0])
        elif kind == "exercise":
            cells.markdown(_task(info[0], info[1], info[2], code), "exercise-%s-task" % info[0])
        cells.code(code, {"code": "setup", "section": "section-code", "exercise": "exercise-%s" % (info or [""])[0]}[kind])
    _verify(tree, cells.cells, path)
    cells.code(CHECK_CELL.format(chapter=chapter), "check")
    notebook = nbformat.v4.new_notebook(cells=cells.cells)
    notebook.metadata.update({"kernelspec": KERNELSPEC, "language_info": {"name": "python"},
                              METADATA_KEY: {"module": path.name, "code_sha256": code_digest(notebook)}})
    return notebook


def _verify(tree, cells, path):
    """Raise NotebookLayoutError unless the code cells together are the module (docstring aside)."""
    body = tree.body[1:] if ast.get_docstring(tree) else tree.body
    code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    if ast.dump(ast.Module(body=body, type_ignores=[])) != ast.dump(ast.parse(code)):
        raise NotebookLayoutError("the code cells made from %s differ from the module; please report this "
                                  "grader bug with the module" % path)


def code_cells(notebook):
    """The sources of the notebook's code cells, in order."""
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def code_digest(notebook):
    """sha256 of the notebook's code cells: what tells a generated notebook from an edited one."""
    return hashlib.sha256("\0".join(code_cells(notebook)).encode("utf-8")).hexdigest()


def same_cells(a, b):
    """Whether two notebooks have the same cells (ids, kinds and sources; outputs and counts aside)."""
    def key(notebook):
        return [(cell.get("id"), cell.cell_type, cell.source) for cell in notebook.cells]
    return key(a) == key(b)


def as_generated(notebook):
    """Whether the notebook's code is still the code it was generated with (no student work in it)."""
    stored = notebook.metadata.get(METADATA_KEY, {}).get("code_sha256")
    return stored is not None and stored == code_digest(notebook)


def write_notebooks(source_dir, out_dir, force=False, dry_run=False):
    """Write (or with dry_run only compare) the notebook of every chapter module of source_dir into out_dir.

    Returns [(path, what happened)] with 'wrote', 'up to date', 'out of step' (dry_run) or
    'kept: ...' for a notebook holding a student's work (overwritten only with force).
    """
    out_dir = Path(out_dir)
    modules = chapter_modules(source_dir)
    if not modules:
        raise FileNotFoundError("no chapter modules (chNN_*.py) in %s" % source_dir)
    if not dry_run:
        out_dir.mkdir(parents=True, exist_ok=True)
    done = []
    for module in modules:
        notebook = notebook_for_module(module)
        target = out_dir / (module.stem + ".ipynb")
        existing = _read_existing(target)
        if existing is not None and same_cells(existing, notebook):
            done.append((target, "up to date"))
        elif dry_run:
            done.append((target, "out of step" if target.exists() else "missing"))
        elif existing is None and target.exists() and not force:
            done.append((target, "kept: it cannot be read as a notebook; move it away or pass --force"))
        elif existing is not None and not as_generated(existing) and not force:
            done.append((target, "kept: it holds your work (its code differs from what was generated); move it "
                                 "away or pass --force to overwrite it"))
        else:
            write_atomically(str(target), nbformat.writes(notebook))
            done.append((target, "wrote"))
    return done


def _read_existing(path):
    """The notebook at path, or None when there is none or it cannot be read."""
    try:
        return nbformat.read(str(path), as_version=4)
    except (OSError, ValueError, nbformat.reader.NotJSONError):
        return None


def main(argv):
    """python -m grader notebooks [OUT_DIR] [--source DIR] [--check] [--force]; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m grader notebooks",
        description="Write one Jupyter notebook per chapter module: the task of each exercise, its stub "
                    "to fill in, and a last cell that checks the chapter with `from grader import check`. "
                    "The .py modules stay the source; a notebook you have worked in is never overwritten "
                    "unless you pass --force.")
    parser.add_argument("out_dir", nargs="?", metavar="OUT_DIR", help="where to write (default: next to "
                        "the modules)")
    parser.add_argument("--source", default="exercises", metavar="DIR",
                        help="the folder of chapter modules (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a notebook is missing "
                        "or out of step with its module")
    parser.add_argument("--force", action="store_true", help="overwrite notebooks even when they hold work")
    args = parser.parse_args(argv)
    try:
        done = write_notebooks(args.source, args.out_dir or args.source, args.force, args.check)
    except (OSError, SyntaxError, NotebookLayoutError) as exc:
        print("python -m grader notebooks: error: %s" % exc, file=sys.stderr)
        return 2
    for path, what in done:
        print("%s: %s" % (path, what))
    return 1 if any(what not in ("wrote", "up to date") for _, what in done) else 0
