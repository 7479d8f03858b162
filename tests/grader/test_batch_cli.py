"""python -m grader batch: help, usage errors, grade()'s options built in one place, dask missing."""
import builtins
import inspect

import pytest

from grader.__main__ import main
from grader.batch import cli
from grader.runner import grade


def test_help_teaches_the_output_folder_resume_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as info:
        main(["batch", "--help"])
    text = capsys.readouterr().out
    assert info.value.code == 0
    for expected in ("SUBMISSIONS-grades", "gradebook.csv", "summary.png", "Resume", "--force", "--jobs",
                     "--dask-scheduler", "exit codes:", "130  interrupted", "--select ch02,ch03"):
        assert expected in text, expected


def test_the_main_help_lists_the_batch_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "batch      grade a class" in capsys.readouterr().out


@pytest.mark.parametrize("argv, error", [
    (["nowhere"], "no folder nowhere"),
    (["{class}", "--select", "ch42"], "'ch42' matches no chapter"),
    (["{class}", "--jobs", "0"], "--jobs must be at least 1"),
    (["{class}", "--memory-mb", "300", "-q"], "--memory-mb 300 is too small"),  # found by the first worker
])
def test_usage_errors_exit_2_with_a_message(argv, error, tmp_path, capsys):
    (tmp_path / "class" / "bob").mkdir(parents=True)
    argv = [arg.replace("{class}", str(tmp_path / "class")) for arg in argv]
    assert main(["batch"] + argv) == 2
    assert error in capsys.readouterr().err


def test_grade_options_are_built_once_for_grade(tmp_path):
    args = cli.build_parser().parse_args([str(tmp_path), "--select", "ch02,ch03.linreg", "--select", "ch04",
                                          "--timeout", "3", "--memory-mb", "2048", "--slow"])
    options = cli.grade_options(args)
    assert options == {"select": ["ch02", "ch03.linreg", "ch04"], "ctx": "cpu", "timeout": 3.0,
                       "memory_mb": 2048, "slow": True, "isolate": True, "require_isolation": False,
                       "sandbox_user": "nobody", "start": "auto"}
    assert set(options) <= set(inspect.signature(grade).parameters)


def test_every_student_is_graded_isolated_with_the_isolation_flags_given(tmp_path):
    args = cli.build_parser().parse_args([str(tmp_path), "--require-isolation", "--sandbox-user", "daemon",
                                          "--start", "fresh"])
    options = cli.grade_options(args)
    assert (options["isolate"], options["require_isolation"], options["sandbox_user"], options["start"]) == (
        True, True, "daemon", "fresh")


def test_dask_scheduler_without_dask_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    (tmp_path / "class" / "bob").mkdir(parents=True)
    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.split(".")[0] in ("distributed", "dask"):
            raise ImportError("No module named %r" % name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    code = main(["batch", str(tmp_path / "class"), "--dask-scheduler", "tcp://127.0.0.1:1", "-q"])
    assert code == 2
    assert 'needs dask.distributed: pip install -c constraints.txt -e ".[dist]"' in capsys.readouterr().err
