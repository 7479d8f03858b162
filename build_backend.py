"""PEP 517 build backend: setuptools, behind a check that this Python can run mxnet 1.9.1.

pip only reads ``python_requires`` after building metadata, and on Python 3.12+ that build
already fails with an unrelated ``distutils`` trace; this check fails first, with the fix.
"""
import sys

SUPPORTED = ((3, 8), (3, 11))

if not SUPPORTED[0] <= sys.version_info[:2] <= SUPPORTED[1]:
    raise SystemExit(
        "d2lzh-grader supports Python 3.8 to 3.11, not %d.%d: mxnet 1.9.1 has no wheels for newer "
        "Pythons and needs numpy < 1.24. Fix: create the environment with Python 3.11, e.g. "
        "`python3.11 -m venv .venv` (or `conda create -n d2l python=3.11`)." % sys.version_info[:2]
    )

from setuptools.build_meta import *  # noqa: E402,F401,F403  (re-export the standard hooks)
