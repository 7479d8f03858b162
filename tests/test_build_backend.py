"""build_backend: the Python guard, and the startup hook that every wheel (regular or editable) carries."""
import base64
import csv
import hashlib
import io
import pathlib
import subprocess
import sys
import textwrap
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
HOOK = "d2lzh_mxnet_compat.pth"


def backend_child(code, python_version=None):
    """Run ``code`` after ``import build_backend`` in a child from the repository root, as pip would.

    ``python_version`` (major, minor) makes the child believe it is that Python, to test the guard's refusals.
    """
    pretend = "" if python_version is None else "import sys; sys.version_info = %r + (0, 'final', 0)\n" % (
        tuple(python_version),)
    script = pretend + "import build_backend\n" + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], cwd=str(ROOT), capture_output=True, text=True, timeout=600)


def record_problems(wheel):
    """What is wrong with a wheel's RECORD: files missing from it, wrong hashes or sizes, entries without a file."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        (record_name,) = [n for n in names if n.endswith(".dist-info/RECORD")]
        rows = list(csv.reader(io.StringIO(zf.read(record_name).decode("utf-8"))))
        problems = []
        for path, digest, size in rows:
            if path == record_name:
                problems += [] if (digest, size) == ("", "") else ["RECORD lists a hash for itself"]
            elif path not in names:
                problems.append("%s is in RECORD, not in the wheel" % path)
            else:
                data = zf.read(path)
                expected = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                if (digest, size) != (expected, str(len(data))):
                    problems.append("%s: RECORD says %s,%s" % (path, digest, size))
        listed = {row[0] for row in rows}
        problems += ["%s is not in RECORD" % n for n in names if n not in listed and not n.endswith("/")]
    return problems


@pytest.mark.parametrize("version", [(3, 13), (3, 7)])
def test_guard_refuses_unsupported_pythons_with_the_fix(version):
    child = backend_child("", python_version=version)
    assert child.returncode == 1
    assert "supports Python 3.8 to 3.12, not %d.%d" % version in child.stderr
    assert "python3.12 -m venv .venv" in child.stderr


def test_guard_accepts_this_python():
    """Checked on the real Python (3.8 to 3.12 in CI): a pretended one would mislead setuptools' own checks."""
    child = backend_child("print(callable(build_backend.build_editable))")
    assert child.returncode == 0 and child.stdout.strip() == "True", child.stderr


def test_add_to_wheel_lists_the_file_in_record_before_the_dist_info(tmp_path):
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(str(wheel), "w") as zf:
        zf.writestr("demo.py", "x = 1\n")
        zf.writestr("demo-1.0.dist-info/METADATA", "Name: demo\n")
        zf.writestr("demo-1.0.dist-info/RECORD", "demo.py,sha256=%s,6\ndemo-1.0.dist-info/METADATA,sha256=%s,11\n"
                    "demo-1.0.dist-info/RECORD,,\n" % tuple(
                        base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode()
                        for d in (b"x = 1\n", b"Name: demo\n")))
    assert record_problems(str(wheel)) == []
    # in a child: importing setuptools here would put its vendored distributions on this process's sys.path
    child = backend_child("build_backend.add_to_wheel(%r, %r, b'import _d2lzh_mxnet_compat\\n')" % (str(wheel), HOOK))
    assert child.returncode == 0, child.stderr
    assert record_problems(str(wheel)) == []
    with zipfile.ZipFile(str(wheel)) as zf:
        assert zf.namelist() == ["demo.py", HOOK, "demo-1.0.dist-info/METADATA", "demo-1.0.dist-info/RECORD"]
        assert zf.read("demo-1.0.dist-info/RECORD").decode().splitlines()[-1] == "demo-1.0.dist-info/RECORD,,"
    assert list(tmp_path.iterdir()) == [wheel]  # no partial file left behind


@pytest.mark.slow
@pytest.mark.parametrize("hook", ["build_wheel", "build_editable"])
def test_wheels_carry_the_startup_hook_with_a_valid_record(tmp_path, hook):
    child = backend_child("print(build_backend.%s(%r))" % (hook, str(tmp_path)))
    assert child.returncode == 0, child.stderr[-3000:]
    wheel = tmp_path / child.stdout.strip().splitlines()[-1]
    assert record_problems(str(wheel)) == []
    with zipfile.ZipFile(str(wheel)) as zf:
        names = zf.namelist()
        assert zf.read(HOOK) == b"import _d2lzh_mxnet_compat\n"
        if hook == "build_wheel":
            assert "_d2lzh_mxnet_compat.py" in names
        else:  # the editable wheel's own .pth, which makes the module importable, must run first
            (editable_pth,) = [n for n in names if n.startswith("__editable__") and n.endswith(".pth")]
            assert sorted([HOOK, editable_pth]) == [editable_pth, HOOK]
