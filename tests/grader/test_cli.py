"""python -m grader: help, exit codes, and clean stdout for machine-readable formats."""
import json
import os
from pathlib import Path

import pytest

from grader.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def at_project_root(monkeypatch):
    """Run the command line from the project root, where ./exercises and ./solutions are."""
    monkeypatch.chdir(ROOT)


def test_help_teaches_with_examples_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    text = capsys.readouterr().out
    assert info.value.code == 0
    for expected in ("python -m grader ch03.linreg ch05", "--solutions", "--submission", "--format",
                     "exit codes:", "2    usage or internal error", "default: 10"):
        assert expected in text, expected


@pytest.mark.parametrize("argv, error", [
    (["ch42"], "'ch42' matches no chapter"),
    (["--ctx", "gpu:99"], "--ctx gpu:99: gpu(99) is not available"),
    (["--ctx", "gpu:99", "--start", "fork"], "--ctx gpu:99: gpu(99) is not available"),
    (["--ctx", "tpu"], "unknown context 'tpu'"),
    (["--submission", "no/such/folder"], "no folder no/such/folder"),
    (["--memory-mb", "300"], "--memory-mb 300 is too small"),
    (["--timeout", "0"], "--timeout must be a positive number"),
])
def test_usage_errors_exit_2_with_a_message(argv, error, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert error in captured.err and captured.out == ""


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="a sandbox user is chosen only as root")
def test_require_isolation_exits_2_before_grading_when_a_layer_is_missing(tmp_path, capsys):
    argv = ["--submission", str(tmp_path), "--require-isolation", "--sandbox-user", "no-such-user"]
    assert main(argv) == 2
    assert "--require-isolation: this machine cannot isolate user (there is no user 'no-such-user'" in (
        capsys.readouterr().err)


def test_require_isolation_and_no_isolation_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--submission", "x", "--require-isolation", "--no-isolation"])
    assert info.value.code == 2 and "not allowed with argument" in capsys.readouterr().err


def test_solutions_and_submission_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--solutions", "--submission", "x"])
    assert info.value.code == 2 and "not allowed with" in capsys.readouterr().err


@pytest.mark.slow
def test_json_on_stdout_is_only_the_report(capsys):
    assert main(["ch02.keeps_id", "ch02.is_training", "--solutions", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["status"]) for r in report["exercises"]] == [
        ("ch02.keeps_id", "passed"), ("ch02.is_training", "passed")]


@pytest.mark.slow
def test_stubs_exit_1_and_the_table_goes_to_the_output_file(tmp_path, capsys):
    output = tmp_path / "table.txt"
    assert main(["ch02.keeps_id", "--output", str(output)]) == 1
    assert capsys.readouterr().out == ""
    assert "not_attempted  ch02.keeps_id" in output.read_text()
