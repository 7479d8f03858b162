"""check() in a real Jupyter kernel: a generated notebook with the solutions pasted in, then wrong answers."""
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from grader.notebooks.generate import notebook_for_module
from grader.runner import exercises_declared

ROOT = Path(__file__).resolve().parents[3]
WRONG_ANSWER = 'KEEPS_ID = "a"\ncheck("ch02.keeps_id")'
BROKEN_FUNCTION = 'def normalize_rows(X):\n    return X.no_such_method()\n\ncheck("ch02.normalize_rows")'


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The ch02 notebook, solutions pasted into its code cells and two wrong cells added, run in a kernel."""
    notebook = notebook_for_module(ROOT / "exercises" / "ch02_preliminaries.py")
    solved = notebook_for_module(ROOT / "solutions" / "ch02_preliminaries.py")
    assert [cell.id for cell in notebook.cells] == [cell.id for cell in solved.cells]
    for cell, answer in zip(notebook.cells, solved.cells):
        if cell.cell_type == "code":
            cell.source = answer.source
    notebook.cells += [nbformat.v4.new_code_cell(WRONG_ANSWER), nbformat.v4.new_code_cell(BROKEN_FUNCTION)]
    folder = tmp_path_factory.mktemp("notebook")  # never saved there: check() reads the kernel
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    assert not list(folder.iterdir())
    return notebook


def html_of(cell):
    """The text/html of the cell's result."""
    results = [output for output in cell.outputs if output.output_type == "execute_result"]
    assert results, cell.outputs
    return results[0].data["text/html"]


def exercise_rows(parsed):
    """(status, id, points) of each exercise row of a parsed check() table."""
    return [tuple(row) for row in parsed.rows if len(row) == 3 and row[1].startswith("ch")]


@pytest.mark.slow
def test_the_solutions_pass_and_the_table_shows_in_html(executed, parse_html):
    check_cell = executed.cells[-3]
    assert check_cell.source.endswith('check("ch02")')
    declared = exercises_declared(ROOT / "grader" / "checks" / "test_ch02_preliminaries.py")
    rows = exercise_rows(parse_html(html_of(check_cell)))
    assert [exercise_id for _, exercise_id, _ in rows] == [exercise_id for exercise_id, _, _ in declared]
    assert all(status == "passed" for status, _, _ in rows), rows
    total = sum(points for _, points, _ in declared)
    assert "Total %g/%g points" % (total, total) in html_of(check_cell)


@pytest.mark.slow
def test_a_wrong_answer_fails_with_its_message(executed, parse_html):
    parsed = parse_html(html_of(executed.cells[-2]))
    assert exercise_rows(parsed) == [("failed", "ch02.keeps_id", "0/1")]
    assert any("is not the right answer" in cell for row in parsed.rows for cell in row)


@pytest.mark.slow
def test_an_error_names_the_notebook_cell_and_line(executed, parse_html):
    cell = executed.cells[-1]
    parsed = parse_html(html_of(cell))
    assert exercise_rows(parsed) == [("error", "ch02.normalize_rows", "0/2")]
    message = [text for row in parsed.rows for text in row if "AttributeError" in text][0]
    assert "In [%d] line 2: AttributeError" % cell.execution_count in message
