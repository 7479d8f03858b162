"""PEP 517 build backend: setuptools, behind a check that this Python can run mxnet 1.9.1, plus a startup hook.

pip only reads ``python_requires`` after building metadata, and on an unsupported Python that build may
already fail with an unrelated trace; this check fails first, with the fix.

Every wheel it builds, regular or editable, also carries ``d2lzh_mxnet_compat.pth`` (listed in its RECORD),
which Python runs at start-up from site-packages: it imports ``_d2lzh_mxnet_compat``, which lets mxnet 1.9.1
import on Python 3.12 (and does nothing on older Pythons). setuptools has no option that installs a ``.pth``
in both kinds of wheel, hence these two wrapped hooks.
"""
import base64
import hashlib
import os
import sys
import zipfile

SUPPORTED = ((3, 8), (3, 12))

if not SUPPORTED[0] <= sys.version_info[:2] <= SUPPORTED[1]:
    raise SystemExit(
        "d2lzh-grader supports Python 3.8 to 3.12, not %d.%d (mxnet 1.9.1 needs numpy < 2, and numpy 1.x has "
        "no wheels for Python 3.13+). Fix: create the environment with Python 3.12, e.g. "
        "`python3.12 -m venv .venv` (or `conda create -n d2l python=3.12`)." % sys.version_info[:2]
    )

from setuptools import build_meta as _setuptools  # noqa: E402
from setuptools.build_meta import *  # noqa: E402,F401,F403  (re-export the standard hooks)

STARTUP_HOOK = "d2lzh_mxnet_compat.pth"
STARTUP_HOOK_LINE = b"import _d2lzh_mxnet_compat\n"


def _record_line(name, data):
    """The RECORD line of a file: path, urlsafe-base64 sha256 without padding, size (the wheel format)."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def add_to_wheel(wheel, name, data):
    """Rewrite the wheel file ``wheel`` with one more top-level file ``name``, listed in its RECORD.

    The new file goes just before the .dist-info folder, which stays last, and the wheel is replaced
    atomically.
    """
    with zipfile.ZipFile(wheel) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    first_dist_info = next(i for i, (info, _) in enumerate(entries) if ".dist-info/" in info.filename)
    added = zipfile.ZipInfo(name, date_time=entries[first_dist_info][0].date_time)
    added.external_attr = 0o644 << 16
    added.compress_type = zipfile.ZIP_DEFLATED
    entries.insert(first_dist_info, (added, data))
    partial = wheel + ".part"
    with zipfile.ZipFile(partial, "w") as target:
        for info, content in entries:
            if info.filename.endswith(".dist-info/RECORD"):
                lines = [line for line in content.decode("utf-8").splitlines() if line]
                own = [line for line in lines if line.startswith(info.filename + ",")]  # stays last
                lines = [line for line in lines if line not in own] + [_record_line(name, data)] + own
                content = ("\n".join(lines) + "\n").encode("utf-8")
            target.writestr(info, content)
    os.replace(partial, wheel)


def _with_startup_hook(build):
    """The PEP 517 hook that runs setuptools' ``build`` (a wheel or editable-wheel hook) and adds the startup hook.

    For editable wheels, ``__editable__.*.pth``, which makes ``_d2lzh_mxnet_compat`` importable, sorts
    before the startup hook and so runs first (site reads the .pth files of a folder in sorted order).
    """
    def hook(wheel_directory, config_settings=None, metadata_directory=None):
        name = build(wheel_directory, config_settings, metadata_directory)
        add_to_wheel(os.path.join(wheel_directory, name), STARTUP_HOOK, STARTUP_HOOK_LINE)
        return name

    hook.__name__ = build.__name__
    hook.__doc__ = "setuptools' %s, with the startup hook added." % build.__name__
    return hook


build_wheel = _with_startup_hook(_setuptools.build_wheel)
build_editable = _with_startup_hook(_setuptools.build_editable)
