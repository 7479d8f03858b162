"""``from grader import check``: grade the definitions live in a Jupyter kernel (or any namespace).

``check("ch03.softmax")`` writes the caller's namespace out as a chapter module and grades it with
grader.runner.grade, the same checks and the same sandbox child as any submission: nothing is
graded in the kernel. The module runs, in order: the chapter's stub from exercises/ when the grader
runs from a checkout (so what the kernel lacks stays a stub), the kernel's imports, its constants that are plain Python values, and
the source of each function and class defined in the kernel's cells, compiled under the cell's name
(``In [7]``) so that messages point into the notebook. The source comes from the kernel's own cell
cache, so the notebook need not be saved.
"""
import ast
import importlib
import inspect
import linecache
import os
import sys
import tempfile
import types
from pathlib import Path

from grader.notebooks.cells import module_source
from grader.notebooks.generate import first_line

EXERCISES_DIR = Path(__file__).resolve().parents[2] / "exercises"
MAX_VALUE_CHARS = 100000  # a constant whose repr is longer is not sent (answers are short)
PLAIN_TYPES = (bool, int, float, complex, str, bytes, type(None), tuple, list, dict, set, frozenset)


class CheckResult:
    """The GradeReport of a check: an HTML table in Jupyter, the text table anywhere else."""

    def __init__(self, report):
        self.report = report

    def __repr__(self):
        from grader.report import table
        return table(self.report).rstrip("\n")

    def _repr_html_(self):
        from grader.report import html_table
        return html_table(self.report)


def _cell_label(filename):
    """'In [7]' for a file name IPython gave the 7th cell, else the file name itself."""
    shell = _ipython_shell()
    number = getattr(getattr(shell, "compile", None), "_filename_map", {}).get(filename)
    return "In [%d]" % number if number else filename


def _ipython_shell():
    """The running IPython shell, or None (IPython is imported only when it is already loaded)."""
    if "IPython" not in sys.modules:
        return None
    return sys.modules["IPython"].get_ipython()


def _hidden_names():
    """Names IPython puts into a user namespace (In, Out, exit, ...), not the student's."""
    shell = _ipython_shell()
    return set(getattr(shell, "user_ns_hidden", {}))


def _codes(value):
    """The code objects of a function (decorators unwrapped) or of a class's methods."""
    if isinstance(value, type):
        members = []
        for member in vars(value).values():
            member = getattr(member, "__func__", member)  # staticmethod, classmethod
            members.extend([member.fget] if isinstance(member, property) else [member])
        return [member.__code__ for member in members if isinstance(member, types.FunctionType)]
    code = getattr(inspect.unwrap(value), "__code__", None)
    return [code] if code is not None else []


def _statement_at(filename, line):
    """The top-level statement of the source cached for filename that covers line (None if none)."""
    try:
        tree = ast.parse("".join(linecache.getlines(filename)))
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if first_line(node) <= line <= node.end_lineno:
            return first_line(node), node
    return None


def _definition(name, value):
    """(file name, first line, last line, name it defines) of the top-level statement in the kernel's cells
    that defines value as name, or None when there is no such statement (a closure, a REPL line)."""
    codes = _codes(value)
    if not codes:
        return None
    found = _statement_at(codes[0].co_filename, codes[0].co_firstlineno)
    if found is None:
        return None
    first, node = found
    defines = (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
               and node.name == getattr(value, "__name__", None))
    assigns = isinstance(node, (ast.Assign, ast.AnnAssign)) and name in {
        target.id for target in getattr(node, "targets", [getattr(node, "target", None)])
        if isinstance(target, ast.Name)}
    return (codes[0].co_filename, first, node.end_lineno, node.name if defines else name) \
        if defines or assigns else None


def _import_line(name, value):
    """'import x.y as name' or 'from m import q as name' that gives value, or None if there is none."""
    if isinstance(value, types.ModuleType):
        return "import %s as %s" % (value.__name__, name)
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    if not module or not qualname or "." in qualname or module == "__main__":
        return None
    try:
        if getattr(importlib.import_module(module), qualname) is value:
            return "from %s import %s as %s" % (module, qualname, name)
    except (ImportError, AttributeError):
        pass
    return None


def _plain_repr(value):
    """repr(value) when it reads back as an equal plain Python value (short enough to send), else None."""
    if not isinstance(value, PLAIN_TYPES):
        return None
    text = repr(value)
    try:
        same = len(text) <= MAX_VALUE_CHARS and ast.literal_eval(text) == value
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return text if same else None


def _stub(chapter):
    """(path, source, names it defines) of the chapter's stub module in exercises/, or (None, '', set())."""
    path = EXERCISES_DIR / (chapter + ".py")
    if not path.is_file():
        return None, "", set()
    source = path.read_text(encoding="utf-8")
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        for target in getattr(node, "targets", []):
            names.update(element.id for element in ast.walk(target) if isinstance(element, ast.Name))
    return path, source, names


def _padded_cells(spans):
    """[(label, source)] per cell file: the lines of the given statements, other lines left blank."""
    cells = []
    for filename, ranges in spans.items():
        lines = linecache.getlines(filename)
        keep = set()
        for first, last in ranges:
            keep.update(range(first, last + 1))
        text = "".join(line if number in keep else "\n" for number, line in enumerate(lines, 1))
        cells.append((_cell_label(filename), text))
    return cells


def _global_names(codes):
    """Global names the code objects (and the code nested in them) use."""
    names, stack = set(), list(codes)
    while stack:
        code = stack.pop()
        names.update(code.co_names)
        stack.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    return names


def module_for_namespace(namespace, chapter):
    """(source of a chapter module holding namespace's definitions for chapter, notes on what was left out)."""
    stub_path, stub_source, stub_names = _stub(chapter)
    hidden = _hidden_names()
    imports, values, spans, aliases, left_out, codes = [], [], {}, [], {}, []
    for name, value in list(namespace.items()):
        module = str(getattr(value, "__module__", "") or "")
        if name.startswith("_") or name in hidden or module.partition(".")[0] == "grader":
            continue
        line = None if module == namespace.get("__name__") else _import_line(name, value)
        if line:  # an import that fails in the child leaves the name undefined, like a missing package
            imports.append("try:\n    %s\nexcept ImportError:\n    pass" % line)
            continue
        if isinstance(value, (types.FunctionType, type)):
            site = _definition(name, value)
            if site is None:
                left_out[name] = "its source cannot be found (define it with def or class at the top level " \
                                 "of a cell)"
                continue
            filename, first, last, defined = site
            spans.setdefault(filename, []).append((first, last))
            aliases.extend(["%s = %s" % (name, defined)] if defined != name else [])
            codes.extend(_codes(value))
            continue
        text = _plain_repr(value)
        if text is None:
            left_out[name] = "its value, of type %s, is not a plain Python value (numbers, strings, tuples, " \
                             "lists, dicts)" % type(value).__name__
        else:
            values.append("%s = %s" % (name, text))
    cells = ([(str(stub_path), stub_source)] if stub_path else []) + [
        ("kernel imports", "\n".join(imports) + "\n"), ("kernel values", "\n".join(values) + "\n")]
    cells += _padded_cells(spans) + [("kernel aliases", "\n".join(aliases) + "\n")]
    used = _global_names(codes)
    notes = ["%s was not sent to the grader: %s" % (name, why) for name, why in sorted(left_out.items())
             if name in stub_names or name in used]
    return module_source("the kernel's namespace", cells), notes


def check(what, namespace=None, **options):
    """Grade exercise or chapter what ('ch03.softmax', 'ch03') from the caller's definitions; a CheckResult.

    namespace: the definitions to grade (default: the caller's globals, a notebook's namespace).
    options: grader.grade's keyword arguments (ctx, timeout, slow, seed, memory_mb).
    Inside the grader's own child (a graded notebook that calls check) it does nothing.
    """
    from grader.runner import CHECKS_DIR, check_modules, grade, parse_selection
    from grader.sandbox import MARK_VARIABLE
    if os.environ.get(MARK_VARIABLE):
        return None
    namespace = sys._getframe(1).f_globals if namespace is None else namespace
    chapters = list(parse_selection([what], list(check_modules(CHECKS_DIR))))
    with tempfile.TemporaryDirectory(prefix="grader-check-") as scratch:
        folder = Path(scratch) / "kernel"
        folder.mkdir()
        notes = []
        for chapter in chapters:
            source, left_out = module_for_namespace(namespace, chapter)
            (folder / (chapter + ".py")).write_text(source, encoding="utf-8")
            notes.extend(left_out)
        options.setdefault("isolate", False)  # the student's own code, on the student's machine
        report = grade(str(folder), [what], **options)
    report.notes[:0] = notes
    return CheckResult(report)
