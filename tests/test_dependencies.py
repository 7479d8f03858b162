"""Every module of d2lzh and grader imports, and the CLIs run, with install_requires alone.

An installed package that install_requires does not pull in (IPython, matplotlib-inline, nbclient,
dask, ...) is hidden from a child interpreter by an import hook, which then imports every module,
touches every public d2lzh name, runs the doctor and the grader's --help. Whatever needs an optional
package must import it lazily and say which package to install when it is missing.
"""
import json
import pathlib
import subprocess
import sys
import textwrap

import pytest
from packaging.requirements import Requirement

try:
    from importlib import metadata
except ImportError:  # Python 3.7
    import importlib_metadata as metadata

ROOT = pathlib.Path(__file__).resolve().parents[1]
DISTRIBUTION = "d2lzh-grader"


def _key(name):
    """A distribution name in PEP 503 normal form."""
    return name.lower().replace("_", "-").replace(".", "-")


def _required_closure(name):
    """Normalised names of name and every distribution its requirements pull in (no extras)."""
    seen, stack = set(), [name]
    while stack:
        current = _key(stack.pop())
        if current in seen:
            continue
        seen.add(current)
        try:
            requires = metadata.distribution(current).requires or []
        except metadata.PackageNotFoundError:
            continue  # an optional platform dependency that is not installed here
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                stack.append(requirement.name)
    return seen


def _top_level_names(dist):
    """Import names a distribution provides (top_level.txt, else the first part of its files)."""
    text = dist.read_text("top_level.txt")
    if text:
        return {line.strip() for line in text.splitlines() if line.strip()}
    names = set()
    for path in dist.files or ():
        first = path.parts[0]
        if first.endswith((".dist-info", ".egg-info", ".pth", ".data")) or first in ("..", "__pycache__"):
            continue
        names.add(first[:-3] if first.endswith(".py") else first.split(".")[0])
    return names


def _fresh_sys_path(cwd):
    """``sys.path`` of a new interpreter started in ``cwd``, as the child will have it.

    This process's may have grown: on Python 3.12 the first ``import mxnet`` imports setuptools (for
    distutils), which appends its ``_vendor`` folder, whose distributions the child never sees.
    """
    code = "import json, sys; print(json.dumps(sys.path))"
    out = subprocess.run([sys.executable, "-c", code], cwd=str(cwd), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _hidden_import_names(cwd):
    """Top-level import names of distributions installed for a child in ``cwd`` that install_requires does not pull in."""
    allowed = _required_closure(DISTRIBUTION)
    hidden, kept = set(), set()
    for dist in metadata.distributions(path=_fresh_sys_path(cwd)):
        names = _top_level_names(dist)
        (kept if _key(dist.metadata["Name"]) in allowed else hidden).update(names)
    return sorted(hidden - kept - {"d2lzh", "grader", "_distutils_hack"})


CHILD = textwrap.dedent("""
    import importlib, io, json, pkgutil, sys, contextlib

    HIDDEN = set(json.loads(sys.argv[1]))

    class HideOptional:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in HIDDEN:
                raise ModuleNotFoundError("No module named %r (hidden: not in install_requires)" % name, name=name)
            return None

    sys.meta_path.insert(0, HideOptional())
    import d2lzh, grader
    for package in (d2lzh, grader):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".checks" not in info.name:
                importlib.import_module(info.name)
    for name in dir(d2lzh):
        getattr(d2lzh, name)
    import d2lzh.doctor, grader.__main__
    d2lzh.doctor.render_text(d2lzh.doctor.run_checks())
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            grader.__main__.main(["--help"])
        except SystemExit as exit:
            assert exit.code == 0, exit.code
    assert "python -m grader" in out.getvalue()
    print(json.dumps(sorted(name for name in sys.modules if name.partition(".")[0] in HIDDEN)))
""")


def test_install_requires_names_pytest():
    """The grader runs its checks with pytest, so a plain install must bring it."""
    requires = [Requirement(line) for line in metadata.distribution(DISTRIBUTION).requires or []]
    assert "pytest" in {_key(r.name) for r in requires if r.marker is None or r.marker.evaluate({"extra": ""})}


@pytest.mark.slow
def test_every_module_imports_with_install_requires_alone(tmp_path):
    hidden = _hidden_import_names(tmp_path)
    result = subprocess.run([sys.executable, "-c", CHILD, json.dumps(hidden)], cwd=str(tmp_path),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.splitlines()[-1]) == []
