"""How the child describes the student's exceptions: their file and line first, only their frames."""
import importlib.util

import pytest

from grader.sandbox import describe_exception


def raised_by(path, call=None):
    """The exception importing path (then calling call on the module, if given) raises."""
    spec = importlib.util.spec_from_file_location("student_module", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        getattr(module, call)()
    except BaseException as exc:  # the student's code may raise anything
        return exc
    pytest.fail("nothing was raised")


def test_a_syntax_error_names_file_line_and_code(tmp_path):
    path = tmp_path / "ch03_deep_learning_basics.py"
    path.write_text("x = 1\ndef linreg(X:\n    pass\n")
    text = describe_exception(raised_by(path), str(tmp_path))
    assert text.startswith("%s/ch03_deep_learning_basics.py line 2: SyntaxError: " % tmp_path.name)
    assert "def linreg(X:" in text


def test_a_traceback_keeps_only_the_students_frames(tmp_path):
    path = tmp_path / "ch03_deep_learning_basics.py"
    path.write_text("import json\n\ndef helper():\n    json.loads('{')\n\ndef linreg():\n    helper()\n")
    text = describe_exception(raised_by(path, "linreg"), str(tmp_path))
    assert text.startswith("%s/ch03_deep_learning_basics.py line 4: json.decoder.JSONDecodeError" % tmp_path.name)
    assert "in linreg" in text and "in helper" in text
    assert "json/decoder.py" not in text and __file__ not in text


def test_sys_exit_is_explained():
    assert describe_exception(SystemExit(0), "/nowhere") == (
        "called sys.exit(0); the grader needs the module to keep running")
