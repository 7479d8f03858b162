"""Isolation of a sandbox child: the plan the grader makes, the copy of the submission, and a real child.

The hostile submissions themselves are scenarios (tests/grader/scenarios, marked "isolated").
"""
import itertools
import os
import sys

import pytest

from grader import runner
from grader.sandbox import ChapterSandbox, StudentModule, isolation

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LINUX_NAMESPACES = sys.platform.startswith("linux") and isolation.plan_isolation("/nowhere").complete

SPY = """\
import os


def look():
    return {"uid": os.getuid(), "pid": os.getpid(), "root": sorted(os.listdir("/")),
            "checkout": sorted(os.listdir(%r)), "grader": sorted(os.listdir(%r)),
            "processes": sorted(name for name in os.listdir("/proc") if name.isdigit())}
"""


def test_the_plan_travels_as_json():
    plan = isolation.plan_isolation("/nowhere")
    child = plan.for_child("/copy/hw", "/work/ch02")
    again = isolation.IsolationPlan.from_json(child.to_json())
    assert again == child and again.folders == ["/copy/hw"] and again.workdir == "/work/ch02"
    assert list(plan.layers) == list(isolation.LAYERS)
    assert all(isinstance(state["active"], bool) and state["reason"] for state in plan.layers.values())


def test_the_child_sees_python_and_d2lzh_but_not_the_checkout():
    folders = isolation.bound_folders()
    assert sys.prefix in folders or any(sys.prefix.startswith(folder + os.sep) for folder in folders)
    for folder in folders:
        assert not ROOT.startswith(folder + os.sep) and folder != ROOT
        assert not folder.startswith(os.path.join(ROOT, "solutions")) and not folder.startswith(
            os.path.join(ROOT, "grader"))
    grader_files = isolation.plan_isolation("/nowhere").grader_files
    assert not any("checks" in path for path in grader_files)


def test_the_copy_follows_links_into_the_submission_only(tmp_path):
    folder, outside = tmp_path / "hw", tmp_path / "answers.py"
    (folder / "data").mkdir(parents=True)
    (folder / "ch02_preliminaries.py").write_text("x = 1\n")
    (folder / "data" / "table.csv").write_text("1,2\n")
    outside.write_text("secret = 42\n")
    os.symlink(str(folder / "ch02_preliminaries.py"), str(folder / "alias.py"))
    os.symlink(str(outside), str(folder / "answers.py"))
    os.symlink("/etc", str(folder / "etc"))
    isolation.copy_submission(str(folder), str(tmp_path / "copy"), [str(folder)])
    copied = sorted(str(path.relative_to(tmp_path / "copy")) for path in (tmp_path / "copy").rglob("*"))
    assert copied == ["alias.py", "ch02_preliminaries.py", "data", "data/table.csv"]
    assert not (tmp_path / "copy" / "alias.py").is_symlink()


def test_the_projects_own_folders_are_graded_without_isolation(tmp_path):
    assert runner.trusted_folder(os.path.join(ROOT, "solutions")) and runner.trusted_folder(
        os.path.join(ROOT, "exercises"))
    assert not runner.trusted_folder(str(tmp_path))
    plan, layers = runner.isolation_plan(os.path.join(ROOT, "exercises"), str(tmp_path), None, False, "nobody")
    assert plan is None and not any(state["active"] for state in layers.values())
    with pytest.raises(runner.GraderUsageError, match="contradict"):
        runner.isolation_plan(str(tmp_path), str(tmp_path), False, True, "nobody")


@pytest.mark.slow
@pytest.mark.skipif(not LINUX_NAMESPACES, reason="needs Linux namespaces (root, or user namespaces)")
def test_an_isolated_child_sees_only_what_it_needs(tmp_path):
    folder, work = tmp_path / "hw", tmp_path / "work"
    folder.mkdir()
    work.mkdir()
    grader_dir = os.path.join(ROOT, "grader")
    (folder / "ch99_spy.py").write_text(SPY % (ROOT, grader_dir))
    (tmp_path / "root").mkdir()
    plan = isolation.plan_isolation(str(tmp_path / "root"))
    sandbox = ChapterSandbox(str(folder), "ch99_spy", timeout=60, memory_mb=2048, workdir=str(work), isolation=plan)
    try:
        seen = StudentModule(sandbox, itertools.count()).call("look")
    finally:
        sandbox.close()
    assert seen["pid"] == 1 and seen["processes"] == ["1"]
    assert seen["uid"] != 0 or os.geteuid() != 0
    assert "solutions" not in seen["checkout"] and "exercises" not in seen["checkout"]
    assert "checks" not in seen["grader"] and "runner.py" not in seen["grader"]
    assert "protocol.py" in seen["grader"]


@pytest.mark.skipif(not LINUX_NAMESPACES or os.geteuid() != 0, reason="a sandbox user is chosen only as root")
@pytest.mark.parametrize("user, reason", [("root", "is root"), ("no-such-user", "there is no user 'no-such-user'")])
def test_a_sandbox_user_that_cannot_be_one_leaves_the_user_layer_off(user, reason):
    plan = isolation.plan_isolation("/nowhere", user)
    assert not plan.layers["user"]["active"] and reason in plan.layers["user"]["reason"]
    assert plan.uid is None and plan.layers["filesystem"]["active"]
