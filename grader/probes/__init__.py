"""Probes: small drivers the grader runs inside the student's child process.

A check calls ``student.probe("<probe>", "<student name>", *args, **kwargs)``; the child looks up the
student's object, calls ``<probe>(obj, *args, **kwargs)`` and sends back what the probe returns.
Probes exercise objects that cannot cross a process boundary (generators, classes, in-place updates,
autograd) and return plain data only: numbers, strings, lists, tuples, dicts, numpy arrays and
NDArrays (``protocol.encode`` turns NDArrays, also nested ones, into numpy arrays on the way out).

Probes run in the student's process, so student code can replace them: what a probe returns is
evidence to check against values computed in the grader, never a verdict to trust.

One module per concern (nets, updates, data, gradients, devices, ...). Every public function of
every module here is a probe, re-exported from this package under its own name, so probe names are
unique across modules (tests/grader/test_probes.py checks it).
"""
import importlib
import inspect
import pkgutil

PROBES = {}  # probe name -> function


def _collect():
    """Import every module of this package and register its public functions as probes."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module("%s.%s" % (__name__, info.name))
        for name, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == module.__name__ and not name.startswith("_"):
                if name in PROBES:
                    raise ImportError("probe %r is defined in two modules of grader.probes" % name)
                PROBES[name] = value
    globals().update(PROBES)


_collect()
