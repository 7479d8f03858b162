"""mxnet 1.9.1 on Python 3.12: give numpy back the aliases mxnet uses, just before mxnet is imported.

mxnet 1.9.1 uses ``np.bool``, ``np.int``, ``np.float``, ``np.complex``, ``np.object`` and ``np.str``, which
numpy 1.24 removed, and Python 3.12 has no numpy older than 1.24. ``d2lzh_mxnet_compat.pth``, installed with
d2lzh-grader, imports this module when any interpreter of the environment starts, so the book's
``from mxnet import nd`` works in scripts, notebooks and the grader's children without importing d2lzh first.

On Python 3.12+ it puts a finder first in ``sys.meta_path`` that waits for the first ``import mxnet`` and
then restores, as the builtins they always were, the aliases that numpy (1.24+) lacks. So a process that
never imports mxnet never imports numpy either, and nothing is printed. On Python 3.8-3.11 it does nothing.
"""
import sys

ALIASES = ("bool", "int", "float", "complex", "object", "str")
FIRST_PYTHON = (3, 12)  # the first Python without a numpy older than 1.24
FIRST_NUMPY = (1, 24)  # the first numpy without the aliases

restored = []  # the aliases this process got back, in the order of ALIASES


def _major_minor(version):
    """(major, minor) of a version string such as '1.26.4' or '2.0.0rc1'."""
    numbers = (version.split(".") + ["0"])[:2]
    return tuple(int("".join(c for c in n if c.isdigit()) or 0) for n in numbers)


def restore_numpy_aliases():
    """Give numpy 1.24+ back each alias of ALIASES it lacks; return the names restored now.

    Membership in the module's ``__dict__`` decides, not ``hasattr``: numpy 1.25+ answers ``np.bool``
    through a ``__getattr__`` that prints a FutureWarning before it fails.
    """
    try:
        import numpy
    except ImportError:  # mxnet's own import then says numpy is missing
        return []
    if _major_minor(numpy.__version__) < FIRST_NUMPY:
        return []
    import builtins

    missing = [name for name in ALIASES if name not in vars(numpy)]
    for name in missing:
        setattr(numpy, name, getattr(builtins, name))
    restored.extend(missing)
    return missing


class MxnetImportHook:
    """A ``sys.meta_path`` entry that restores numpy's aliases when ``mxnet`` is imported; it finds nothing itself.

    It stays in place (its check costs one string comparison) so that a second try, after a failed first
    ``import mxnet``, is covered too; restoring is idempotent.
    """

    def find_spec(self, fullname, path=None, target=None):
        """Restore the aliases when ``fullname`` is mxnet, and let the other finders find it."""
        if fullname == "mxnet":
            restore_numpy_aliases()
        return None


def hook_installed():
    """Whether this process's ``sys.meta_path`` holds the hook."""
    return any(isinstance(finder, MxnetImportHook) for finder in sys.meta_path)


def install():
    """Put the hook first in ``sys.meta_path`` on Python 3.12+ (once); on older Pythons do nothing."""
    if sys.version_info[:2] >= FIRST_PYTHON and not hook_installed():
        sys.meta_path.insert(0, MxnetImportHook())


install()
