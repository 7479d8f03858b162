"""Notebooks: the exercises as Jupyter notebooks, notebook submissions, and ``check()`` inside a kernel.

- ``generate``: exercises/chNN_*.py -> chNN_*.ipynb (``python -m grader notebooks``); the .py module
  stays the one source, and a notebook knows whether its code still is the module's.
- ``convert``: a submitted chNN_*.ipynb -> a chapter module the sandbox imports like any other.
- ``cells``: what that module runs in the sandbox child: each cell compiled under its own name
  (``In [7]``), so messages and tracebacks name the cell. Imports nothing heavy.
- ``kernel``: ``from grader import check``; the definitions live in a kernel, graded in a sandbox child.

Nothing here imports nbformat or IPython at package import: the child imports ``cells`` only.
"""
