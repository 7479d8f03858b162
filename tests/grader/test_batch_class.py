"""python -m grader batch on a generated class of 20: the same points as one by one, interrupted and
resumed to the same gradebook, no process left behind, and the same gradebook from a Dask LocalCluster."""
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import classroom
from grader.__main__ import main as grader_main
from grader.batch.run import grade_class
from grader.batch.worker import student_seed
from grader.sandbox import processes

SEED = 11
OPTIONS = ["--select", "ch02", "--seed", str(SEED), "--timeout", "3", "--jobs", "2"]
GRADE_OPTIONS = {"select": ["ch02"], "timeout": 3.0, "memory_mb": 4096, "ctx": "cpu", "slow": False}
MARK = "D2LZH_BATCH_TEST"
LEFTOVER_SECONDS = 30.0  # how long stopped workers may take to close their sandboxes and exit

pytestmark = pytest.mark.slow


def batch_command(submissions, *extra):
    """The command line of a batch over submissions with the tests' options."""
    return [sys.executable, "-m", "grader", "batch", str(submissions)] + OPTIONS + list(extra)


def marked_env(token):
    """This environment with MARK=token, which every process of the batch inherits."""
    env = dict(os.environ, **{MARK: token})
    env.pop("PYTEST_ADDOPTS", None)
    return env


def marked_processes(token):
    """pids of live processes carrying MARK=token."""
    return processes.marked(("%s=%s" % (MARK, token)).encode(), processes.process_table())


def wait_until_gone(token, seconds=LEFTOVER_SECONDS):
    """The marked processes still alive after waiting up to seconds for them to end."""
    deadline = time.monotonic() + seconds
    while marked_processes(token) and time.monotonic() < deadline:
        time.sleep(0.2)
    return marked_processes(token)


def records_in(output):
    """Students with a results record in the output folder."""
    folder = Path(output) / "results"
    return sorted(path.stem for path in folder.glob("*.json")) if folder.is_dir() else []


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(class folder, output folder, exit code, stdout) of one batch over the class of 20, run to the end."""
    folder = tmp_path_factory.mktemp("class") / "hw"
    classroom.build_class(folder)
    token = secrets.token_hex(6)
    done = subprocess.run(batch_command(folder), env=marked_env(token), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=900)
    assert not wait_until_gone(token, 5.0), "the batch left processes behind"
    return folder, Path(str(folder) + "-grades"), done.returncode, done.stdout


def test_every_student_has_a_record_a_report_and_a_gradebook_row(graded):
    folder, output, code, stdout = graded
    assert code == 1, stdout  # the broken and the unsafe zip could not be graded
    assert records_in(output) == sorted(classroom.CLASS_OF_20)
    assert sorted(path.name for path in (output / "reports").iterdir()) == [
        student + ".txt" for student in sorted(classroom.CLASS_OF_20)]
    rows = (output / "gradebook.csv").read_text().splitlines()
    assert rows[0] == "student,ch02,total,max,errors,timeouts,problem"
    assert [row.split(",")[0] for row in rows[1:]] == sorted(classroom.CLASS_OF_20)
    assert (output / "summary.png").read_bytes().startswith(b"\x89PNG")
    assert "20 students graded" in stdout and "could not be graded (see their reports): s18, s19" in stdout


def test_each_student_gets_the_points_of_grading_them_one_by_one(graded, tmp_path, capsys):
    folder, output, _, _ = graded
    for student, (kind, _, handed_in) in classroom.CLASS_OF_20.items():
        record = json.loads((output / "results" / (student + ".json")).read_text())
        batch = [(r["id"], r["status"], r["points"]) for r in record["report"]["exercises"]]
        if handed_in in classroom.UNREADABLE:
            assert record["problem"].startswith("the submission could not be read"), student
            assert {status for _, status, _ in batch} == {"error"} and record["report"]["score"] == 0
            continue
        submission = next(path for path in folder.iterdir() if path.name.split(".")[0] == student)
        alone = tmp_path / (student + ".json")
        grader_main(["--submission", str(classroom.readable_copy(submission, tmp_path)), "ch02", "--timeout", "3",
                     "--seed", str(student_seed(SEED, student)), "--format", "json", "--output", str(alone)])
        single = json.loads(alone.read_text())
        assert batch == [(r["id"], r["status"], r["points"]) for r in single["exercises"]], (student, kind)
        assert record["problem"] == "" and record["report"]["seed"] == single["seed"]
    capsys.readouterr()


def test_the_kinds_of_students_get_what_they_deserve(graded):
    _, output, _, _ = graded
    rows = {row.split(",")[0]: row.split(",") for row in (output / "gradebook.csv").read_text().splitlines()[1:]}
    assert rows["s01"][1:4] == ["30", "30", "30"] and rows["s03"][1:4] == ["30", "30", "30"]
    assert rows["s04"][1:3] == ["0", "0"]
    assert 0 < float(rows["s11"][2]) < float(rows["s06"][2]) < 30
    assert rows["s16"][4] == "19" and "sys.exit" in (output / "reports" / "s16.txt").read_text()
    assert rows["s17"][5] == "19"  # the endless loop at import: every exercise timed out


def test_interrupted_then_killed_then_resumed_gives_the_same_gradebook(graded, tmp_path):
    folder, reference, _, _ = graded
    copy = classroom.copy_class(folder, tmp_path / "hw")
    output = Path(str(copy) + "-grades")
    token = secrets.token_hex(6)

    def run_until(records, sig):
        """Start the batch, send sig once `records` students are done; return (exit code, stdout)."""
        proc = subprocess.Popen(batch_command(copy), env=marked_env(token), stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, universal_newlines=True)
        deadline = time.monotonic() + 600
        while len(records_in(output)) < records and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        proc.send_signal(sig)
        stdout, _ = proc.communicate(timeout=120)
        return proc.returncode, stdout

    code, stdout = run_until(2, signal.SIGINT)
    assert code == 130 and "run the same command again to resume" in stdout
    assert not wait_until_gone(token), "Ctrl-C left processes behind"
    first = records_in(output)
    assert 2 <= len(first) < 20

    code, _ = run_until(len(first) + 2, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert not wait_until_gone(token), "a killed batch left processes behind"
    second = records_in(output)
    assert set(first) < set(second) and len(second) < 20

    done = subprocess.run(batch_command(copy), env=marked_env(token), stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, universal_newlines=True, timeout=900)
    assert "%d graded now, %d already graded" % (20 - len(second), len(second)) in done.stdout
    assert (output / "gradebook.csv").read_bytes() == (reference / "gradebook.csv").read_bytes()
    assert not wait_until_gone(token, 5.0)


def test_a_rerun_regrades_only_the_student_who_changed_the_submission(graded, tmp_path):
    folder, reference, _, _ = graded
    copy = classroom.copy_class(folder, tmp_path / "hw")
    output = tmp_path / "out"
    classroom.copy_class(reference, output)
    (copy / "s06" / "ch02_preliminaries.py").write_text(classroom.chapter_source("ch02_preliminaries", "correct", 0))
    result = grade_class(copy, GRADE_OPTIONS, output_dir=output, jobs=1, seed=SEED, progress=False)
    assert result.graded == ["s06"] and len(result.skipped) == 19  # the unreadable zips' records are final
    assert "s06,30,30,30" in (output / "gradebook.csv").read_text()


def test_a_dask_local_cluster_gives_the_same_gradebook_byte_for_byte(graded, tmp_path):
    distributed = pytest.importorskip("distributed")
    folder, reference, _, _ = graded
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        result = grade_class(folder, GRADE_OPTIONS, output_dir=tmp_path / "out", seed=SEED, progress=False,
                             dask_scheduler=cluster.scheduler_address)
    assert sorted(result.graded) == sorted(classroom.CLASS_OF_20)
    assert (tmp_path / "out" / "gradebook.csv").read_bytes() == (reference / "gradebook.csv").read_bytes()
