"""Sanity of the exercise content itself: stubs, solutions and checks agree, without running the grader.

Check modules are read with ``ast`` (not imported), so these tests need neither the engine nor a child
process; stub and solution modules are loaded by file path, as the grader loads a submission.
"""
import ast
import importlib.util
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKS = sorted((ROOT / "grader" / "checks").glob("test_ch*.py"))
STUDENT_CALLS = {"value", "call", "probe"}


def _load(path):
    """Import the module at path under a private name."""
    spec = importlib.util.spec_from_file_location(f"_content_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _literal_args(call):
    """The leading positional arguments of an ast.Call that are literals."""
    values = []
    for arg in call.args:
        if not isinstance(arg, ast.Constant):
            break
        values.append(arg.value)
    return values


def _exercises(check_path):
    """(chapter, [(exercise id, points, [student names used], hint)]) read from a check module's source."""
    tree = ast.parse(check_path.read_text())
    chapter = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                   and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["CHAPTER"])
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        decorators = [d for d in node.decorator_list if isinstance(d, ast.Call)
                      and getattr(d.func, "id", None) == "exercise"]
        if not decorators:
            continue
        exercise_id, points, hint = _literal_args(decorators[0])
        names = []
        for call in ast.walk(node):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and getattr(call.func.value, "id", None) == "student" and call.func.attr in STUDENT_CALLS):
                args = _literal_args(call)
                names.append(args[1] if call.func.attr == "probe" else args[0])
        found.append((exercise_id, points, names, hint))
    return chapter, found


CHAPTERS = {path.name: _exercises(path) for path in CHECKS}
CASES = [(chapter, entry) for chapter, entries in CHAPTERS.values() for entry in entries]


def _case_id(case):
    return case[1][0]


def _stub_points(chapter):
    """{name: points} from the '# Exercise X.Y.Z (N points)' headers of the stub module."""
    text = (ROOT / "exercises" / f"{chapter}.py").read_text()
    pattern = r"# Exercise \d+\.\d+\.\d+ \((\d+) points?\)\n(?:#.*\n)*(?:def |class )?(\w+)"
    return {name: int(points) for points, name in re.findall(pattern, text)}


def _numeric_leaves(value):
    """Numbers inside a (possibly nested) answer constant."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, (int, float)):
        return [value]
    return [number for item in value for number in _numeric_leaves(item)]


def _spellings(number):
    """Ways a check could spell number as a literal."""
    if isinstance(number, int) or float(number).is_integer():
        number = int(number)
        return {str(number), f"{number:,}", f"{number:_}"}
    return {f"{number:.4f}".rstrip("0"), repr(number)}


def test_check_modules_exist_for_every_chapter():
    chapters = {chapter for chapter, _ in CHAPTERS.values()}
    assert chapters == {"ch02_preliminaries", "ch03_deep_learning_basics", "ch04_deep_learning_computation",
                        "ch05_cnn", "ch06_rnn", "ch07_optimization", "ch08_computational_performance",
                        "ch09_computer_vision"}
    for path, (chapter, _) in CHAPTERS.items():
        assert path == f"test_{chapter}.py"


def test_exercise_ids_are_unique_and_match_their_chapter():
    ids = [exercise_id for _, (exercise_id, _, _, _) in CASES]
    assert len(ids) == len(set(ids))
    for chapter, (exercise_id, points, _, hint) in CASES:
        assert re.fullmatch(r"ch\d\d\.[a-z0-9_]+", exercise_id), exercise_id
        assert exercise_id.startswith(chapter[:4] + "."), (exercise_id, chapter)
        assert points > 0 and hint.strip(), exercise_id


def test_the_bank_is_as_large_as_the_issues_ask():
    """Issue 9: >= 100 exercises and 200 points over chapters 2-7; issue 13: >= 20 exercises in chapters 8-9."""
    counts = {chapter: len(entries) for chapter, entries in CHAPTERS.values()}
    points = {chapter: sum(entry[1] for entry in entries) for chapter, entries in CHAPTERS.values()}
    core = [chapter for chapter in counts if chapter[:4] in ("ch02", "ch03", "ch04", "ch05", "ch06", "ch07")]
    assert sum(counts[chapter] for chapter in core) >= 100
    assert sum(points[chapter] for chapter in core) >= 200
    assert counts["ch08_computational_performance"] + counts["ch09_computer_vision"] >= 20
    assert all(count >= 4 for count in counts.values()), counts


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_checked_names_exist_in_stubs_and_solutions(case):
    chapter, (exercise_id, _, names, _) = case
    assert names, f"{exercise_id} never asks the student for anything"
    for folder in ("exercises", "solutions"):
        module = _load(ROOT / folder / f"{chapter}.py")
        missing = [name for name in names if not hasattr(module, name)]
        assert not missing, f"{folder}/{chapter}.py lacks {missing} (used by {exercise_id})"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_stubs_are_unanswered(case):
    chapter, (exercise_id, _, names, _) = case
    stubs = _load(ROOT / "exercises" / f"{chapter}.py")
    for name in names:
        stub = getattr(stubs, name)
        if not callable(stub):
            assert stub is None, f"{name} should be None in the stub"
            continue
        required = [p for p in inspect.signature(stub).parameters.values()
                    if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        with pytest.raises(NotImplementedError):
            stub(*[None] * len(required))


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_solutions_answer_every_name(case):
    chapter, (_, _, names, _) = case
    solutions = _load(ROOT / "solutions" / f"{chapter}.py")
    for name in names:
        assert getattr(solutions, name) is not None, name


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_stub_states_the_points_of_each_exercise(case):
    chapter, (exercise_id, points, names, _) = case
    stated = _stub_points(chapter)
    assert names[0] in stated, f"no '# Exercise X.Y.Z (N points)' header above {names[0]} in the stub"
    assert stated[names[0]] == points, f"{exercise_id}: stub says {stated[names[0]]} points, check gives {points}"


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: p.stem)
def test_checks_do_not_spell_out_the_answers(path):
    """A numeric answer that the question does not itself state must not appear as a literal in a check."""
    chapter, _ = CHAPTERS[path.name]
    check_text = path.read_text()
    stub_text = (ROOT / "exercises" / f"{chapter}.py").read_text()
    solutions = _load(ROOT / "solutions" / f"{chapter}.py")
    for name, value in vars(solutions).items():
        if not name.isupper() or callable(value):  # MLP is a class, not an answer constant
            continue
        for number in _numeric_leaves(value):
            for spelling in _spellings(number):
                if len(spelling.strip("-0.")) >= 2 and spelling not in stub_text:
                    assert not re.search(rf"(?<![\w.]){re.escape(spelling)}(?![\w])", check_text), \
                        f"{path.name} contains {spelling!r}, the answer to {name}"


def test_quiz_answers_are_right_in_the_solutions():
    """The quiz items from the brief: Dense shapes in XW + b notation, the MLP weight count, and the
    parameter count of softmax regression on Fashion-MNIST."""
    solutions = _load(ROOT / "solutions" / "ch03_deep_learning_basics.py")
    features, outputs, hidden, classes = 8, 1, 1000, 10
    assert tuple(map(tuple, solutions.DENSE_SHAPES)) == ((features, outputs), (1, outputs))
    assert solutions.MLP_WEIGHT_COUNT == 256 * 256 * hidden + hidden * classes
    assert solutions.softmax_param_count(28, 28, classes) == 7850
