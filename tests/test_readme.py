"""The README's set-up commands are the ones CI runs, word for word."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _readme_commands():
    """Shell lines of the README's fenced ``bash`` blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def _ci_lines():
    return [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]


def test_readme_has_exactly_the_two_setup_commands():
    commands = _readme_commands()
    assert len(commands) == 2, commands
    main, tests = commands
    assert "constraints.txt" in main and main.endswith("python -m grader")
    assert "constraints.txt" in tests and ".[test]" in tests and tests.endswith("python -m pytest")


def test_ci_runs_both_readme_commands_as_written():
    ci_lines = _ci_lines()
    for command in _readme_commands():
        assert command in ci_lines, "CI does not run the README command %r as written" % command


def test_ci_main_command_installs_without_the_test_extra():
    main = _readme_commands()[0]
    assert "[test]" not in main
