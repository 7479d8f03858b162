"""python -m grader notebooks: a notebook per chapter module, holding the module's code, never out of step."""
import ast
from pathlib import Path

import nbformat
import pytest

from grader.__main__ import main
from grader.notebooks import generate

ROOT = Path(__file__).resolve().parents[3]
MODULES = generate.chapter_modules(ROOT / "exercises") + generate.chapter_modules(ROOT / "solutions")


def test_the_committed_notebooks_are_in_step_with_their_modules():
    done = generate.write_notebooks(ROOT / "exercises", ROOT / "exercises", dry_run=True)
    stale = ["%s: %s" % (path.name, what) for path, what in done if what != "up to date"]
    assert not stale, "regenerate with `python -m grader notebooks`: %s" % ", ".join(stale)


@pytest.mark.parametrize("module", MODULES, ids=[path.parent.name + "/" + path.name for path in MODULES])
def test_a_notebook_holds_its_modules_code_a_task_per_exercise_and_a_check(module):
    notebook = generate.notebook_for_module(module)
    nbformat.validate(notebook)
    code = generate.code_cells(notebook)
    tree = ast.parse(module.read_text(encoding="utf-8"))
    assert ast.dump(ast.parse("\n".join(code[:-1]))) == ast.dump(ast.Module(body=tree.body[1:], type_ignores=[]))
    assert code[-1].endswith('from grader import check\ncheck("%s")' % module.name[:4])
    markers = [line for line in module.read_text(encoding="utf-8").splitlines() if line.startswith("# Exercise ")]
    tasks = [cell for cell in notebook.cells if cell.id.endswith("-task")]
    assert len(tasks) == len(markers) and all(cell.cell_type == "markdown" for cell in tasks)
    for task in tasks:  # each task is followed by its stub
        following = notebook.cells[notebook.cells.index(task) + 1]
        assert (following.cell_type, following.id) == ("code", task.id[:-len("-task")])


def test_the_task_of_a_function_is_its_docstring_and_of_a_constant_its_comments():
    cells = {cell.id: cell.source for cell in generate.notebook_for_module(
        ROOT / "exercises" / "ch02_preliminaries.py").cells}
    assert cells["exercise-2-2-4-task"].startswith("### Exercise 2.2.4 (2 points)\n\n`normalize_rows`: Divide")
    assert "- (b) Z[:] = X + Y" in cells["exercise-2-2-5-task"]  # answer choices become a list
    assert "\n\n**Answer:** a string" in cells["exercise-2-2-5-task"]
    assert cells["exercise-2-2-5"] == "KEEPS_ID = None"


def test_markdown_escapes_what_would_become_emphasis_or_html():
    assert generate._markdown("x**2 and __init__ in <b>, ``a_b*`` and num_channels") == \
        "x\\*\\*2 and \\_\\_init\\_\\_ in \\<b>, `a_b*` and num_channels"


def test_generating_twice_gives_the_same_notebook():
    module = ROOT / "exercises" / "ch03_deep_learning_basics.py"
    assert nbformat.writes(generate.notebook_for_module(module)) == nbformat.writes(
        generate.notebook_for_module(module))


def _chapter(tmp_path, body='# Exercise 9.1.1 (1 point)\n# What?\n# Answer: an int.\nANSWER = None\n'):
    """A folder holding a small chapter module."""
    source = tmp_path / "src"
    source.mkdir(exist_ok=True)
    (source / "ch09_tiny.py").write_text('"""Chapter 9: exercises."""\nimport math\n\n' + body)
    return source


def test_a_notebook_with_work_in_it_is_kept_unless_forced(tmp_path, capsys):
    source = _chapter(tmp_path)
    out = tmp_path / "out"
    assert main(["notebooks", str(out), "--source", str(source)]) == 0
    target = out / "ch09_tiny.ipynb"
    assert capsys.readouterr().out == "%s: wrote\n" % target

    notebook = nbformat.read(str(target), as_version=4)
    notebook.cells[-2].source = "ANSWER = 42"  # the student's work
    nbformat.write(notebook, str(target))
    _chapter(tmp_path, '# Exercise 9.1.1 (1 point)\n# What, exactly?\nANSWER = None\n')  # the module changed
    assert main(["notebooks", str(out), "--source", str(source)]) == 1
    assert "kept: it holds your work" in capsys.readouterr().out
    assert "ANSWER = 42" in target.read_text()

    assert main(["notebooks", str(out), "--source", str(source), "--force"]) == 0
    assert "What, exactly?" in target.read_text() and "ANSWER = 42" not in target.read_text()


def test_an_untouched_notebook_follows_its_module_and_check_reports_staleness(tmp_path, capsys):
    source = _chapter(tmp_path)
    assert main(["notebooks", "--source", str(source)]) == 0
    assert main(["notebooks", "--source", str(source), "--check"]) == 0
    _chapter(tmp_path, '# Exercise 9.1.1 (2 points)\nANSWER = None\n')
    capsys.readouterr()
    assert main(["notebooks", "--source", str(source), "--check"]) == 1
    assert capsys.readouterr().out.endswith("ch09_tiny.ipynb: out of step\n")
    assert main(["notebooks", "--source", str(source)]) == 0  # as generated: safe to overwrite
    assert "(2 points)" in (source / "ch09_tiny.ipynb").read_text()


def test_a_folder_without_chapter_modules_or_a_module_that_does_not_parse_is_an_error(tmp_path, capsys):
    assert main(["notebooks", "--source", str(tmp_path)]) == 2
    assert "no chapter modules (chNN_*.py) in %s" % tmp_path in capsys.readouterr().err
    (tmp_path / "ch09_tiny.py").write_text("def broken(:\n")
    assert main(["notebooks", "--source", str(tmp_path)]) == 2
    assert "ch09_tiny.py" in capsys.readouterr().err and not (tmp_path / "ch09_tiny.ipynb").exists()
