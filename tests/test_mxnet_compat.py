"""_d2lzh_mxnet_compat: on Python 3.12 ``from mxnet import nd`` works in a fresh interpreter, with nothing printed.

The child interpreters start like a student's: site-packages' d2lzh_mxnet_compat.pth imports the module, and
d2lzh is never imported first.
"""
import json
import subprocess
import sys
import types

import pytest

import _d2lzh_mxnet_compat as compat

PY312 = sys.version_info >= (3, 12)


def fresh_python(code, *options):
    """Run ``code`` in a new interpreter of this environment; return its stdout's last line, parsed as JSON."""
    child = subprocess.run([sys.executable, *options, "-c", code], capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr[-3000:]
    return json.loads(child.stdout.splitlines()[-1]), child.stderr


@pytest.fixture
def fake_numpy(monkeypatch):
    """Install a stand-in ``numpy`` module (version 1.26.4, no aliases) and give the layer a fresh record."""
    numpy = types.ModuleType("numpy")
    numpy.__version__ = "1.26.4"
    monkeypatch.setitem(sys.modules, "numpy", numpy)
    monkeypatch.setattr(compat, "restored", [])
    return numpy


def test_restores_only_the_missing_aliases_as_the_builtins(fake_numpy):
    fake_numpy.str = "numpy's own str"
    assert compat.restore_numpy_aliases() == ["bool", "int", "float", "complex", "object"]
    assert fake_numpy.bool is bool and fake_numpy.object is object
    assert fake_numpy.str == "numpy's own str"
    assert compat.restore_numpy_aliases() == []  # a second import attempt changes nothing
    assert compat.restored == ["bool", "int", "float", "complex", "object"]


def test_leaves_numpy_older_than_124_alone(fake_numpy):
    fake_numpy.__version__ = "1.23.5"
    assert compat.restore_numpy_aliases() == []
    assert "bool" not in vars(fake_numpy)


def test_hook_acts_on_mxnet_only_and_finds_nothing_itself(fake_numpy):
    hook = compat.MxnetImportHook()
    assert hook.find_spec("mxnet.ndarray") is None and "bool" not in vars(fake_numpy)
    assert hook.find_spec("mxnet") is None and fake_numpy.bool is bool


def test_startup_imports_the_layer_but_not_numpy():
    """Every interpreter of the environment runs the .pth; one that never imports mxnet never pays for numpy."""
    code = ("import json, sys; c = sys.modules.get('_d2lzh_mxnet_compat');"
            "print(json.dumps([c is not None, c is not None and c.hook_installed(), 'numpy' in sys.modules]))")
    (loaded, hooked, numpy_imported), _ = fresh_python(code)
    assert loaded, "d2lzh_mxnet_compat.pth did not run: reinstall with pip install -c constraints.txt -e ."
    assert hooked == PY312 and not numpy_imported


@pytest.mark.slow
def test_from_mxnet_import_nd_in_a_fresh_interpreter_prints_nothing():
    code = ("import json, sys; from mxnet import nd, autograd, gluon; import numpy as np\n"
            "x = nd.array([1.0, 2.0]); x.attach_grad()\n"
            "with autograd.record(): y = (x * x).sum()\n"
            "y.backward(); net = gluon.nn.Dense(2); net.initialize(); out = net(nd.ones((1, 3)))\n"
            "print(json.dumps([x.grad.asnumpy().tolist(), out.shape, sys.modules['_d2lzh_mxnet_compat'].restored,"
            " 'd2lzh' in sys.modules, vars(np).get('bool') is bool]))")
    (grad, shape, restored, d2lzh_imported, np_bool_is_bool), stderr = fresh_python(code, "-W", "error::FutureWarning")
    assert grad == [2.0, 4.0] and shape == [1, 2] and not d2lzh_imported
    assert stderr == ""
    if PY312:
        assert restored == list(compat.ALIASES) and np_bool_is_bool
    else:  # the layer is inert: numpy < 1.24 keeps its own aliases
        assert restored == []
