"""python -m grader --submission on notebooks gives the points of the equivalent .py modules."""
import json
from pathlib import Path

import nbformat
import pytest

from grader.__main__ import main
from grader.notebooks.generate import write_notebooks

ROOT = Path(__file__).resolve().parents[3]
# One variant per chapter: a wrong answer, the stubs, a broken cell, the solutions (with magics in the notebook).
VARIANTS = {
    "ch02_preliminaries": ("solutions", '\nKEEPS_ID = "a"\n'),
    "ch03_deep_learning_basics": ("exercises", ""),
    "ch06_rnn": ("solutions", "\nDETACH_REASON = undefined_name\n"),
    "ch07_optimization": ("solutions", ""),
}


def graded(folder, tmp_path, select):
    """The JSON report of python -m grader --submission folder on the selected chapters."""
    output = tmp_path / ("%s.json" % folder.name)
    main(select + ["--submission", str(folder), "--format", "json", "--output", str(output), "--seed", "11",
                   "--timeout", "5", "--memory-mb", "2048", "--quiet"])
    return json.loads(output.read_text())


def outcomes(report, chapters):
    """(id, status, points) of the exercises of chapters."""
    return [(r["id"], r["status"], r["points"]) for r in report["exercises"] if r["chapter"] in chapters]


@pytest.mark.slow
def test_notebooks_and_modules_get_the_same_points(tmp_path):
    modules, notebooks = tmp_path / "modules", tmp_path / "notebooks"
    modules.mkdir()
    for chapter, (origin, change) in VARIANTS.items():
        (modules / (chapter + ".py")).write_text((ROOT / origin / (chapter + ".py")).read_text() + change)
    write_notebooks(modules, notebooks)
    optimization = nbformat.read(str(notebooks / "ch07_optimization.ipynb"), as_version=4)
    optimization.cells.insert(1, nbformat.v4.new_code_cell("%matplotlib inline\n!nvidia-smi"))
    nbformat.write(optimization, str(notebooks / "ch07_optimization.ipynb"))
    (notebooks / "ch05_cnn.ipynb").write_text('{"cells": [')

    select = [chapter[:4] for chapter in VARIANTS]
    expected = graded(modules, tmp_path, select)
    got = graded(notebooks, tmp_path, select + ["ch05"])

    assert outcomes(got, VARIANTS) == outcomes(expected, VARIANTS)
    assert {status for _, status, _ in outcomes(got, VARIANTS)} >= {"passed", "failed", "not_attempted", "error"}
    broken = [r["message"] for r in got["exercises"] if r["chapter"] == "ch06_rnn" and r["status"] != "skipped"]
    assert all(message.startswith("importing the module failed: code cell ") and "NameError" in message
               for message in broken), broken[0]
    assert got["notes"] == ["notebooks/ch07_optimization.ipynb: code cell 1 line 1: dropped an IPython magic "
                            "`%matplotlib inline`",
                            "notebooks/ch07_optimization.ipynb: code cell 1 line 2: dropped a shell escape "
                            "`!nvidia-smi`"]
    unreadable = {(r["status"], r["points"], r["message"]) for r in got["exercises"] if r["chapter"] == "ch05_cnn"}
    assert len(unreadable) == 1
    status, points, message = unreadable.pop()
    assert (status, points) == ("error", 0)
    assert message.startswith("notebooks/ch05_cnn.ipynb cannot be read as a Jupyter notebook (")
