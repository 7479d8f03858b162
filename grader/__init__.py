"""python -m grader: grade the exercise modules in a trusted pytest process, student code in children.

``grader.grade(...)`` is the Python API behind the command line; it returns a ``GradeReport``.
``grader.check("ch03.softmax")`` grades the definitions of a notebook (or any namespace) the same way.
"""

__all__ = ["grade", "check", "GradeReport", "ExerciseResult"]


def __getattr__(name):
    """Import the API on first use, so the student child (grader.sandbox) starts without pytest."""
    if name == "grade":
        from grader.runner import grade
        return grade
    if name == "check":
        from grader.notebooks.kernel import check
        return check
    if name in ("GradeReport", "ExerciseResult"):
        from grader import results
        return getattr(results, name)
    raise AttributeError("module 'grader' has no attribute %r" % name)
