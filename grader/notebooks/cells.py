"""Run a notebook's code cells as a chapter module, each under its own name (``In [7]``).

The chapter module made from a notebook (grader/notebooks/convert.py) or from a kernel
(grader/notebooks/kernel.py) is one call to ``run_cells``. Each cell is compiled with its label
as the file name and put into linecache, so a traceback reads ``In [7] line 3`` with the cell's
own line, and ``is_student_frame`` lets the sandbox keep those frames and drop the generated
module's. Runs in the sandbox child: standard library only.
"""
import linecache
import os
import re

CELL_NAME = re.compile(r"^(In \[\d+\]|code cell \d+)$")
MODULE_TEMPLATE = """\
# Made by the grader from {origin}: its code, run in order, each cell under its own name.
from grader.notebooks.cells import run_cells

run_cells(globals(), [
{cells}])
"""
_RUNNERS = set()  # file names of the generated modules that ran their cells through run_cells


def cell_label(execution_count, position):
    """'In [7]' for a cell that ran as the 7th, 'code cell 3' (its position) for one that never ran."""
    return "In [%d]" % execution_count if execution_count else "code cell %d" % position


def is_cell_name(filename):
    """Whether filename is a cell label given by cell_label."""
    return bool(CELL_NAME.match(filename))


def is_student_frame(filename, folder):
    """Whether a traceback frame is the student's: a notebook cell, or a file in the submission folder
    other than a generated module that only runs cells."""
    if is_cell_name(filename):
        return True
    return filename.startswith(folder + os.sep) and filename not in _RUNNERS


def module_source(origin, cells):
    """The source of a chapter module that runs cells, [(label, source)] taken from origin."""
    return MODULE_TEMPLATE.format(origin=origin, cells="".join("    (%r, %r),\n" % cell for cell in cells))


def run_cells(namespace, cells):
    """Execute cells, a list of (label, source), in namespace (the generated module's globals), in order.

    A cell's source keeps its line numbers (a definition taken out of a longer cell is preceded by
    blank lines), so errors and tracebacks point at the line the student sees.
    """
    _RUNNERS.add(namespace.get("__file__"))
    for label, source in cells:
        linecache.cache[label] = (len(source), None, source.splitlines(True), label)
        exec(compile(source, label, "exec"), namespace)  # noqa: S102  (the student's code, in the sandbox)
