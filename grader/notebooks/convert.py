"""Grade notebooks: a submitted chNN_*.ipynb becomes the chapter module that the sandbox imports.

For each chapter, the grader takes the notebook where there is no chNN_*.py, or where the notebook is
newer than the module and its code differs from the module's (an untouched generated notebook is
the module). The notebook's code cells, IPython magics and shell escapes dropped (each with a note
in the report), go into a generated module that runs them in order, each under its own name
(grader/notebooks/cells.py), in a prepared folder that otherwise mirrors the submission.
"""
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import nbformat

from grader.notebooks import generate
from grader.notebooks.cells import cell_label, module_source

# Cell magics whose body is Python: the magic line is dropped and the code kept.
PYTHON_CELL_MAGICS = ("%%time", "%%timeit", "%%capture", "%%prun")
# What parsing a student's code can raise besides SyntaxError (null bytes, absurd nesting).
UNPARSABLE = (SyntaxError, ValueError, MemoryError, RecursionError)


class UnreadableNotebook(Exception):
    """A notebook file that is not a notebook the grader can read (bad JSON, a wrong nbformat)."""


@dataclass
class PreparedSubmission:
    """What to grade: the folder, which chapters come from notebooks, and what the report must say."""

    folder: str
    notebooks: Dict[str, str] = field(default_factory=dict)  # chapter -> the notebook's display path
    unreadable: Dict[str, str] = field(default_factory=dict)  # chapter -> the one message its exercises get
    notes: List[str] = field(default_factory=list)


def read_notebook(path, shown=None):
    """The notebook at path (nbformat v4), or UnreadableNotebook with what is wrong and how to fix it.

    shown: how messages name the file (default: path).
    """
    try:
        notebook = nbformat.read(str(path), as_version=4)
        if notebook.nbformat != 4:
            raise ValueError("nbformat %s, not 4" % notebook.nbformat)
        for cell in notebook.cells:
            if not isinstance(cell.source, str) or cell.cell_type not in ("code", "markdown", "raw"):
                raise ValueError("a cell without a source or of an unknown type")
    except Exception as exc:  # nbformat raises many kinds (NotJSONError, ValidationError, KeyError, ...)
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise UnreadableNotebook("%s cannot be read as a Jupyter notebook (%s); open it in Jupyter and save "
                                 "it again, or hand in the chapter as a .py module" % (shown or path, reason))
    return notebook


def without_magics(source, label):
    """(source with IPython magics and shell escapes dropped, notes saying what was dropped).

    Lines keep their numbers: a dropped line becomes 'pass' at its indentation. Code that is
    already valid Python is left alone, so '%' and '!' inside expressions and strings are safe.
    """
    lines = source.splitlines()
    if lines and lines[0].startswith("%%"):
        magic = lines[0].split()[0]
        if magic not in PYTHON_CELL_MAGICS:
            return "", ["%s: dropped the whole cell, a %s cell (not Python)" % (label, magic)]
        lines[0] = ""
        source = "\n".join(lines)
        notes = ["%s line 1: dropped the cell magic %s (the cell's code runs)" % (label, magic)]
    else:
        notes = []
    try:
        compile(source, label, "exec")
        return source, notes
    except UNPARSABLE:
        pass  # the child reports what is still wrong once the magics are gone
    for number, line in enumerate(lines, 1):
        kind = _ipython_syntax(line.strip())
        if kind:
            indent = line[:len(line) - len(line.lstrip())]
            lines[number - 1] = indent + "pass"
            notes.append("%s line %d: dropped %s `%s`" % (label, number, kind, line.strip()[:80]))
    return "\n".join(lines), notes


def _ipython_syntax(stripped):
    """'an IPython magic', 'a shell escape' or 'an IPython help request' for such a line, else None."""
    head, _, tail = stripped.partition("=")
    if stripped.startswith("%") or (tail.lstrip().startswith("%") and head.strip().isidentifier()):
        return "an IPython magic"
    if stripped.startswith("!") or (tail.lstrip().startswith("!") and head.strip().isidentifier()):
        return "a shell escape"
    if stripped.startswith("?") or (stripped.endswith("?") and not stripped.startswith("#")):
        return "an IPython help request"
    return None


def module_for_notebook(notebook, display_path):
    """(source of the chapter module that runs the notebook's code cells, notes on what was dropped)."""
    counts = [cell.get("execution_count") for cell in notebook.cells if cell.cell_type == "code"]
    cells, notes = [], []
    for position, cell in enumerate((cell for cell in notebook.cells if cell.cell_type == "code"), 1):
        count = cell.get("execution_count")
        label = cell_label(count if counts.count(count) == 1 else None, position)
        code, dropped = without_magics(cell.source, label)
        notes.extend("%s: %s" % (display_path, note) for note in dropped)
        if code.strip():
            cells.append((label, code + "\n"))
    return module_source(display_path, cells), notes


def _notebook_chosen(module, notebook):
    """(whether to grade the notebook rather than the module, a note when that choice needs saying)."""
    if not module.exists():
        return True, None
    if notebook.stat().st_mtime <= module.stat().st_mtime:
        return False, None
    try:
        if generate.code_cells(read_notebook(notebook)) == generate.code_cells(
                generate.notebook_for_module(module)):
            return False, None  # the same code either way: the module is the source
    except UnreadableNotebook:
        pass  # grading the notebook reports it
    except UNPARSABLE + (generate.NotebookLayoutError,):
        pass  # the module does not split into cells: its code differs from any notebook's
    return True, "graded %s: it is newer than %s" % (notebook.name, module.name)


def prepare_submission(folder, chapters, workdir):
    """A PreparedSubmission for grading chapters of folder; notebooks become modules under workdir.

    Without a notebook to grade, the folder is graded as it is. Otherwise a folder named like the
    submission is made in workdir, with links to the submission's files and the generated modules.
    """
    folder = Path(folder)
    display = os.path.basename(os.path.abspath(str(folder)))
    prepared = PreparedSubmission(str(folder))
    generated = {}
    for chapter in chapters:
        notebook = folder / (chapter + ".ipynb")
        if not notebook.is_file():
            continue
        chosen, note = _notebook_chosen(folder / (chapter + ".py"), notebook)
        if not chosen:
            continue
        shown = "%s/%s" % (display, notebook.name)
        prepared.notebooks[chapter] = shown
        prepared.notes.extend([shown + ": " + note] if note else [])
        try:
            generated[chapter], notes = module_for_notebook(read_notebook(notebook, shown), shown)
            prepared.notes.extend(notes)
        except UnreadableNotebook as exc:
            prepared.unreadable[chapter] = str(exc)
    if not generated:
        return prepared
    target = Path(workdir) / "notebooks" / display
    target.mkdir(parents=True)
    replaced = {chapter + suffix for chapter in prepared.notebooks for suffix in (".py", ".ipynb")}
    for entry in folder.iterdir():
        if entry.name not in replaced:
            os.symlink(str(entry.resolve()), str(target / entry.name))
    for chapter, source in generated.items():
        (target / (chapter + ".py")).write_text(source, encoding="utf-8")
    prepared.folder = str(target)
    return prepared
