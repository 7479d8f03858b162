"""check() outside Jupyter: a namespace's definitions written out as a chapter module and graded."""
import importlib.util
import linecache
from pathlib import Path

import numpy as np
import pytest

from grader.notebooks import kernel
from grader.sandbox import MARK_VARIABLE

ROOT = Path(__file__).resolve().parents[3]


def kernel_namespace(*cells):
    """A namespace made by running cells the way a kernel does: each compiled under its own cached name."""
    namespace = {"__name__": "__main__"}
    for number, source in enumerate(cells, 1):
        filename = "<cell %d>" % number
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), namespace)  # noqa: S102  (the test's own code)
    return namespace


def load(source, tmp_path):
    """The module made of source, imported from a file like the sandbox does."""
    path = tmp_path / "ch02_preliminaries.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("ch02_preliminaries", str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CELLS = (
    "import math as m\nfrom math import sqrt\nfrom grader import check\nKEEPS_ID = 'bcd'\nSCALE = (2, 3.5)\n",
    "import functools\n\ndef twice(f):\n    @functools.wraps(f)\n    def wrapper(*a):\n        return 2 * f(*a)\n"
    "    return wrapper\n\n@twice\ndef root(x):\n    return sqrt(x) * SCALE[0]\n",
    "class Box:\n    size = 3\n\n    def area(self):\n        return self.size ** 2\n\nhalf = lambda x: x / 2\n",
    "def normalize_rows(X):\n    return 'first try'\n",
    "def normalize_rows(X):\n    return X / X.sum(axis=1, keepdims=True)\nalias = normalize_rows\n",
)


def test_the_kernels_definitions_constants_and_imports_become_the_module(tmp_path):
    namespace = kernel_namespace(*CELLS)
    source, notes = kernel.module_for_namespace(namespace, "ch02_preliminaries")
    module = load(source, tmp_path)
    assert module.KEEPS_ID == "bcd" and module.SCALE == (2, 3.5)
    assert module.root(16) == 16.0 and module.Box().area() == 9 and module.half(3) == 1.5
    assert module.normalize_rows(np.array([[1.0, 3.0]])).tolist() == [[0.25, 0.75]]  # the latest definition
    assert module.alias is module.normalize_rows and module.m.pi == np.pi
    assert module.normalize_rows.__code__.co_filename == "<cell 5>"
    assert module.CONCAT_SHAPES is None  # not in the kernel: the stub's
    with pytest.raises(NotImplementedError):
        module.grad_of(None, None)
    assert "check" not in vars(module)  # the grader's own names stay out
    assert notes == []


def test_a_definition_keeps_the_line_numbers_of_its_cell(tmp_path):
    namespace = kernel_namespace("x = 1\n\n\ndef piecewise(a):\n    y = a\n    return y.no_such_method()\n")
    module = load(kernel.module_for_namespace(namespace, "ch02_preliminaries")[0], tmp_path)
    with pytest.raises(AttributeError) as info:
        module.piecewise(1)
    assert (info.traceback[-1].path, info.traceback[-1].lineno + 1) == ("<cell 1>", 6)


def test_what_cannot_be_sent_is_named_when_an_answer_or_a_function_needs_it(tmp_path):
    namespace = kernel_namespace(
        "import numpy as np\nIS_TRAINING = np.array([1])\nweights = np.ones(3)\nscratch = np.zeros(2)\n"
        "def make():\n    def inner(X):\n        return X\n    return inner\n"
        "normalize_rows = make()\n\ndef piecewise(a):\n    return a * weights\n")
    source, notes = kernel.module_for_namespace(namespace, "ch02_preliminaries")
    assert notes == [
        "IS_TRAINING was not sent to the grader: its value, of type ndarray, is not a plain Python value "
        "(numbers, strings, tuples, lists, dicts)",
        "normalize_rows was not sent to the grader: its source cannot be found (define it with def or class at "
        "the top level of a cell)",
        "weights was not sent to the grader: its value, of type ndarray, is not a plain Python value "
        "(numbers, strings, tuples, lists, dicts)"]
    module = load(source, tmp_path)
    assert module.IS_TRAINING is None and not hasattr(module, "scratch")


def test_check_does_nothing_inside_the_graders_child(monkeypatch):
    monkeypatch.setenv(MARK_VARIABLE, "token")
    assert kernel.check("ch02") is None


@pytest.mark.slow
def test_check_in_plain_python_grades_in_a_sandbox_and_prints_the_text_table():
    namespace = kernel_namespace((ROOT / "solutions" / "ch02_preliminaries.py").read_text(), "KEEPS_ID = 'a'\n")
    result = kernel.check("ch02.normalize_rows", namespace, seed=3)
    wrong = kernel.check("ch02.keeps_id", namespace, seed=3)
    assert [(r.id, r.status, r.points) for r in result.report.exercises] == [("ch02.normalize_rows", "passed", 2)]
    assert "passed         ch02.normalize_rows" in repr(result) and "Total 2/2 points" in repr(result)
    assert "failed         ch02.keeps_id" in repr(wrong) and ">failed<" in wrong._repr_html_()
