"""The sandbox: how the child describes the student's exceptions, and the grader side's limits."""
import importlib.util
import itertools
import time

import numpy as np
import pytest

from grader.sandbox import ChapterSandbox, StudentModule, StudentTimeout, describe_exception, probe_names
from grader.sandbox.client import start_fresh
from grader.sandbox.forkserver import start_forked


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
    path.write_text("x = 1\ny = = 2\n")  # an error every Python parser places on line 2
    text = describe_exception(raised_by(path), str(tmp_path))
    assert text.startswith("%s/ch03_deep_learning_basics.py line 2: SyntaxError: " % tmp_path.name)
    assert "y = = 2" in text


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


STOPS_ITSELF = """\
import os
import signal
import threading


def stop_soon(seconds):
    threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGSTOP)).start()
    return 1


def total(x):
    return float(x.sum())
"""


@pytest.mark.slow
@pytest.mark.parametrize("starter", [start_fresh, start_forked], ids=["fresh", "fork"])
def test_a_child_that_stops_reading_times_out_and_the_next_query_gets_a_fresh_one(starter, tmp_path):
    (tmp_path / "ch99_stops.py").write_text(STOPS_ITSELF)
    sandbox = ChapterSandbox(str(tmp_path), "ch99_stops", timeout=1.0, memory_mb=2048, workdir=str(tmp_path),
                             starter=starter)
    student = StudentModule(sandbox, itertools.count())
    try:
        assert student.call("stop_soon", 0.1) == 1
        time.sleep(0.5)  # the child is stopped now, waiting for the next request
        started = time.monotonic()
        with pytest.raises(StudentTimeout, match="did not finish within 1 s"):
            student.call("total", np.ones((200, 500)))  # 800 kB: more than the pipe holds
        assert time.monotonic() - started < 5
        assert student.call("total", np.ones(3)) == 3.0
    finally:
        sandbox.close()


def test_probe_names_are_the_public_functions_of_grader_probes():
    from grader import probes
    assert set(probe_names()) == set(probes.PROBES)
    assert all(getattr(probes, name) is function for name, function in probes.PROBES.items())


def test_an_unknown_probe_is_refused_before_anything_reaches_the_child():
    student = StudentModule(sandbox=None, seeds=itertools.count())
    with pytest.raises(ValueError, match="grader.probes has no probe 'ctypes'"):
        student.probe("ctypes", "CDLL")
