"""Student code patches the grader, pytest and numpy: only its own process is affected."""
import numpy
import pytest

from solved_ch02_preliminaries import *  # noqa: F401,F403

try:  # an isolated child has neither: the grader's checking code is not in its file system
    import grader.answers
    import grader.checking
except ImportError:
    pass
else:
    grader.checking.assert_close = lambda *args, **kwargs: None
    grader.checking.assert_answer = lambda *args, **kwargs: None
    grader.answers.matches = lambda *args, **kwargs: True
numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda a, b, **kwargs: numpy.ones(numpy.shape(a), dtype=bool)
pytest.main = lambda *args, **kwargs: 0

KEEPS_ID = "a"


def normalize_rows(X):
    return X
