"""A notebook submission becomes a chapter module: magics dropped with notes, cells named in tracebacks."""
import importlib.util
import os
import time

import nbformat
import pytest

from grader.notebooks import convert, generate
from grader.sandbox import describe_exception


def notebook_of(*sources, counts=None):
    """A notebook with a markdown cell and code cells holding sources (execution counts optional)."""
    cells = [nbformat.v4.new_markdown_cell("# Title")]
    for i, source in enumerate(sources):
        cells.append(nbformat.v4.new_code_cell(source, execution_count=counts[i] if counts else None))
    return nbformat.v4.new_notebook(cells=cells)


def import_module(path):
    """(the module imported from path, None) or (None, the exception importing it raised)."""
    spec = importlib.util.spec_from_file_location(path.stem, str(path))
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # the student's code may raise anything
        return None, exc
    return module, None


def test_magics_and_shell_escapes_are_dropped_with_a_note_and_lines_keep_their_numbers():
    source = "%matplotlib inline\nimport math\nfiles = !ls\nif True:\n    !pip install x\nmath.sqrt?\nY = 7 % 4"
    code, notes = convert.without_magics(source, "In [3]")
    assert code == "pass\nimport math\npass\nif True:\n    pass\npass\nY = 7 % 4"
    assert notes == ["In [3] line 1: dropped an IPython magic `%matplotlib inline`",
                     "In [3] line 3: dropped a shell escape `files = !ls`",
                     "In [3] line 5: dropped a shell escape `!pip install x`",
                     "In [3] line 6: dropped an IPython help request `math.sqrt?`"]


def test_python_is_left_alone_and_cell_magics_keep_python_bodies_only():
    assert convert.without_magics("x = '%s!' % 1\n", "In [1]") == ("x = '%s!' % 1\n", [])
    assert convert.without_magics("%%time\nx = 1", "In [2]") == (
        "\nx = 1", ["In [2] line 1: dropped the cell magic %%time (the cell's code runs)"])
    assert convert.without_magics("%%bash\nls", "In [4]") == (
        "", ["In [4]: dropped the whole cell, a %%bash cell (not Python)"])


def test_cells_are_named_by_execution_count_or_position():
    notebook = notebook_of("a = 1", "b = 2", "c = 3", counts=[5, 5, 9])
    source, _ = convert.module_for_notebook(notebook, "hw/ch02_preliminaries.ipynb")
    assert "('code cell 1', 'a = 1\\n')" in source and "('code cell 2', 'b = 2\\n')" in source
    assert "('In [9]', 'c = 3\\n')" in source


def test_tracebacks_name_the_cell_and_line_not_the_generated_module(tmp_path):
    notebook = notebook_of("import json\n", "def helper():\n    return json.loads('{')\n",
                           "x = 1\nhelper()\n", counts=[1, 2, 7])
    source, _ = convert.module_for_notebook(notebook, "hw/ch02_preliminaries.ipynb")
    path = tmp_path / "ch02_preliminaries.py"
    path.write_text(source)
    _, exc = import_module(path)
    text = describe_exception(exc, str(tmp_path))
    assert text.startswith("In [2] line 2: json.decoder.JSONDecodeError")
    assert 'File "In [7]", line 2, in <module>\n    helper()' in text
    assert 'File "In [2]", line 2, in helper\n    return json.loads' in text
    assert "ch02_preliminaries.py" not in text and "cells.py" not in text


def test_a_syntax_error_names_the_cell_and_its_line(tmp_path):
    source, _ = convert.module_for_notebook(notebook_of("a = 1", "b = 2\nc = = 3"), "hw/ch02.ipynb")
    path = tmp_path / "ch02_preliminaries.py"
    path.write_text(source)
    _, exc = import_module(path)
    assert describe_exception(exc, str(tmp_path)).startswith("code cell 2 line 2: SyntaxError: ")


@pytest.mark.parametrize("content, reason", [
    ("{not json", "cannot be read as a Jupyter notebook"),
    ('{"nbformat": 3, "nbformat_minor": 0, "worksheets": 7}', "cannot be read as a Jupyter notebook"),
    ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": 5}]}',
     "cannot be read as a Jupyter notebook"),
    ("[]", "cannot be read as a Jupyter notebook"),
])
def test_an_unreadable_notebook_gives_one_clear_message(tmp_path, content, reason):
    path = tmp_path / "ch02_preliminaries.ipynb"
    path.write_text(content)
    with pytest.raises(convert.UnreadableNotebook) as info:
        convert.read_notebook(path, "hw/ch02_preliminaries.ipynb")
    message = str(info.value)
    assert message.startswith("hw/ch02_preliminaries.ipynb " + reason)
    assert message.endswith("open it in Jupyter and save it again, or hand in the chapter as a .py module")
    assert "\n" not in message


def _touch(path, age_s):
    """Set path's modification time age_s seconds into the past."""
    stamp = time.time() - age_s
    os.utime(str(path), (stamp, stamp))


def test_the_notebook_is_graded_when_it_is_the_only_or_the_newer_changed_file(tmp_path):
    module = tmp_path / "ch09_tiny.py"
    module.write_text('"""Chapter 9."""\n# Exercise 9.1.1 (1 point)\nANSWER = None\n')
    notebook = tmp_path / "ch09_tiny.ipynb"
    nbformat.write(generate.notebook_for_module(module), str(notebook))
    _touch(module, 60)
    assert convert._notebook_chosen(module, notebook) == (False, None)  # same code: the module is the source

    edited = nbformat.read(str(notebook), as_version=4)
    edited.cells[-2].source = "ANSWER = 1"
    nbformat.write(edited, str(notebook))
    assert convert._notebook_chosen(module, notebook) == (
        True, "graded ch09_tiny.ipynb: it is newer than ch09_tiny.py")
    _touch(notebook, 120)
    assert convert._notebook_chosen(module, notebook) == (False, None)  # the module is newer
    module.unlink()
    assert convert._notebook_chosen(module, notebook) == (True, None)


def test_a_prepared_submission_links_the_other_files_and_leaves_the_folder_alone(tmp_path):
    folder = tmp_path / "hw"
    folder.mkdir()
    (folder / "helpers.py").write_text("X = 1\n")
    (folder / "ch05_cnn.py").write_text("Y = 2\n")
    nbformat.write(notebook_of("%matplotlib inline\nfrom helpers import X"), str(folder / "ch02_preliminaries.ipynb"))
    (folder / "ch03_deep_learning_basics.ipynb").write_text("{")
    before = sorted(os.listdir(str(folder)))

    prepared = convert.prepare_submission(folder, ["ch02_preliminaries", "ch03_deep_learning_basics",
                                                   "ch05_cnn"], tmp_path / "work")
    target = tmp_path / "work" / "notebooks" / "hw"
    assert prepared.folder == str(target)
    assert sorted(os.listdir(str(target))) == ["ch02_preliminaries.py", "ch05_cnn.py", "helpers.py"]
    assert os.path.islink(str(target / "helpers.py")) and not os.path.islink(str(target / "ch02_preliminaries.py"))
    assert prepared.notebooks == {"ch02_preliminaries": "hw/ch02_preliminaries.ipynb",
                                  "ch03_deep_learning_basics": "hw/ch03_deep_learning_basics.ipynb"}
    assert prepared.unreadable["ch03_deep_learning_basics"].startswith(
        "hw/ch03_deep_learning_basics.ipynb cannot be read as a Jupyter notebook")
    assert prepared.notes == ["hw/ch02_preliminaries.ipynb: code cell 1 line 1: dropped an IPython magic "
                              "`%matplotlib inline`"]
    assert sorted(os.listdir(str(folder))) == before


def test_a_folder_of_modules_is_graded_as_it_is(tmp_path):
    (tmp_path / "ch02_preliminaries.py").write_text("A = 1\n")
    prepared = convert.prepare_submission(tmp_path, ["ch02_preliminaries"], tmp_path / "work")
    assert (prepared.folder, prepared.notebooks, prepared.notes) == (str(tmp_path), {}, [])
    assert not (tmp_path / "work").exists()
