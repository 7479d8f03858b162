"""Every output format renders the one results model, and each validates as its consumers expect."""
import csv
import io
import json
import os
import stat
import xml.etree.ElementTree as ET

import pytest

from grader import report as formats
from grader.results import STATUSES, ExerciseResult, GradeReport

NUMBER = (int, float)

RESULTS_SCHEMA = {
    "type": dict, "required": {"score": NUMBER, "max_score": NUMBER, "duration_s": NUMBER, "exercises": list},
    "items": {"type": dict, "required": {"id": str, "chapter": str, "status": str, "points": NUMBER,
                                         "max_points": NUMBER, "message": str, "hint": str},
              "enum": {"status": STATUSES}},
}

GRADESCOPE_SCHEMA = {
    "type": dict, "required": {"score": NUMBER, "execution_time": NUMBER, "tests": list},
    "items": {"type": dict, "required": {"name": str, "score": NUMBER, "max_score": NUMBER,
                                         "output": str, "visibility": str},
              "enum": {"status": ("passed", "failed"), "visibility": ("hidden", "after_due_date",
                                                                      "after_published", "visible")}},
}


def validate(data, schema, list_key):
    """Check data against a tiny schema: types of required keys, the list's items, allowed values."""
    assert isinstance(data, schema["type"])
    for key, kind in schema["required"].items():
        assert isinstance(data.get(key), kind) and not isinstance(data.get(key), bool), key
    items = schema["items"]
    for item in data[list_key]:
        assert isinstance(item, items["type"])
        for key, kind in items["required"].items():
            assert isinstance(item.get(key), kind) and not isinstance(item.get(key), bool), (key, item)
        for key, allowed in items["enum"].items():
            assert item.get(key, allowed[0]) in allowed, (key, item)


@pytest.fixture
def graded():
    """A report with one exercise in every status, partial credit included."""
    return GradeReport([
        ExerciseResult("ch02.a", "ch02_preliminaries", "passed", 2, 2, "", "Hint of a passed exercise."),
        ExerciseResult("ch02.b", "ch02_preliminaries", "failed", 1, 2, "second: expected shape (3,), got (4,)",
                       "Reshape first."),
        ExerciseResult("ch03.c", "ch03_deep_learning_basics", "not_attempted", 0, 1, "stub", "Start here."),
        ExerciseResult("ch03.d", "ch03_deep_learning_basics", "error", 0, 3, "line 4: ValueError: <&>\nmore",
                       "Read the trace."),
        ExerciseResult("ch03.e", "ch03_deep_learning_basics", "timeout", 0, 1.5, "did not finish", "No loops."),
        ExerciseResult("ch03.f", "ch03_deep_learning_basics", "skipped", 0, 0, "skipped (slow, run with --slow)",
                       "Train it."),
    ], duration_s=3.21, seed=42)


def test_json_is_the_results_model(graded):
    data = json.loads(formats.render(graded, "json"))
    validate(data, RESULTS_SCHEMA, "exercises")
    assert (data["score"], data["max_score"], data["seed"]) == (3, 9.5, 42)
    assert GradeReport.from_dict(data) == graded


def test_gradescope_results_json(graded):
    data = json.loads(formats.render(graded, "gradescope"))
    validate(data, GRADESCOPE_SCHEMA, "tests")
    assert data["score"] == 3 and [t.get("status") for t in data["tests"]] == ["passed"] + ["failed"] * 4 + [None]
    assert (data["tests"][5]["score"], data["tests"][5]["max_score"]) == (0, 0)
    assert data["tests"][1]["score"] == 1 and "Reshape first." in data["tests"][1]["output"]
    assert data["tests"][0]["output"] == "passed"


def test_junit_parses_and_carries_points(graded):
    root = ET.fromstring(formats.render(graded, "junit"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["ch02_preliminaries", "ch03_deep_learning_basics"]
    assert [(s.get("tests"), s.get("failures"), s.get("errors"), s.get("skipped")) for s in suites] == [
        ("2", "1", "0", "0"), ("4", "0", "2", "2")]
    case = root.find(".//testcase[@name='ch02.b']")
    properties = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert properties == {"points": "1", "max_points": "2", "status": "failed", "hint": "Reshape first."}
    assert case.find("failure").get("message") == "second: expected shape (3,), got (4,)"
    assert root.find(".//testcase[@name='ch03.d']/error").text == "line 4: ValueError: <&>\nmore"


def test_csv_has_one_row_per_exercise(graded):
    rows = list(csv.DictReader(io.StringIO(formats.render(graded, "csv"))))
    assert [row["status"] for row in rows] == list(STATUSES)
    assert rows[4]["max_points"] == "1.5" and rows[3]["message"] == "line 4: ValueError: <&>\nmore"


def test_table_shows_chapters_hints_for_what_did_not_pass_and_the_totals(graded):
    table = formats.render(graded, "table")
    assert "ch02_preliminaries" in table and "ch03_deep_learning_basics" in table
    assert table.count("hint: ") == 4 and "Reshape first." in table and "Hint of a passed" not in table
    assert "skipped (slow, run with --slow)" in table and "Train it." not in table
    assert "expected shape (3,), got (4,)" in table and "stub" not in table
    assert table.rstrip().splitlines()[-1] == (
        "Total 3/9.5 points (1 passed, 1 failed, 1 not attempted, 1 error, 1 timeout, 1 skipped) in 3.2 s; "
        "reproduce with --seed 42")


def test_notes_follow_the_table_and_travel_in_json_and_gradescope(graded):
    graded.notes = ["hw/ch02_preliminaries.ipynb: In [3] line 1: dropped an IPython magic `%matplotlib inline`"]
    lines = formats.render(graded, "table").rstrip().splitlines()
    assert lines[-3:-1] == ["note: " + graded.notes[0], ""]
    assert GradeReport.from_dict(json.loads(formats.render(graded, "json"))).notes == graded.notes
    assert json.loads(formats.render(graded, "gradescope"))["output"].endswith("\n" + graded.notes[0])


def test_html_is_a_standalone_page_with_every_exercise_hints_and_totals(graded, parse_html):
    page = formats.render(graded, "html")
    parsed = parse_html(page)
    rows = [tuple(row) for row in parsed.rows if len(row) == 3 and row[1].startswith("ch0")]
    assert rows == [(r.status.replace("_", " "), r.id, "%g/%g" % (r.points, r.max_points)) for r in graded.exercises]
    chapters = [tuple(row) for row in parsed.rows if len(row) == 2 and row[0]]
    assert chapters == [("ch02_preliminaries", "3/4"), ("ch03_deep_learning_basics", "0/5.5")]
    text = "".join(cell for row in parsed.rows for cell in row)
    assert "hint: Reshape first." in text and "Hint of a passed" not in text and "Train it." not in text
    assert "Total 3/9.5 points (1 passed, 1 failed, 1 not attempted, 1 error, 1 timeout, 1 skipped) in 3.2 s; " \
           "reproduce with --seed 42" in page.replace("<b>", "").replace("</b>", "")
    colours = {tag[1]["style"].split("background:")[1].split(";")[0] for tag in parsed.tags
               if tag[0] == "span" and "background:" in tag[1].get("style", "")}
    assert colours == set(formats.STATUS_COLOURS.values())


def test_html_loads_nothing_from_outside_and_escapes_student_output(graded, parse_html):
    graded.exercises[1].message = 'got <script>alert("x")</script> & <img src=x onerror=alert(1)>'
    graded.notes = ["<b>note</b>"]
    page = formats.render(graded, "html")
    parsed = parse_html(page)
    assert {tag for tag, _ in parsed.tags} <= {"html", "head", "meta", "title", "body", "h1", "div", "table", "tr",
                                                "th", "td", "span", "pre", "p", "b"}
    assert not any(name in ("src", "href", "action") or name.startswith("on") for _, attributes in parsed.tags
                   for name in attributes)
    for outside in ("http:", "https:", "//", "url(", "@import"):
        assert outside not in page.replace("<!DOCTYPE html>", "")
    assert '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x' in page
    assert any('got <script>alert("x")</script>' in cell for row in parsed.rows for cell in row)
    assert "&lt;b&gt;note&lt;/b&gt;" in page


def test_write_atomically_replaces_the_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "results.json"
    target.write_text("a fake report written by student code, longer than the real one")
    formats.write_atomically(str(target), "{}\n")
    assert target.read_text() == "{}\n" and os.listdir(tmp_path) == ["results.json"]


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_write_atomically_gives_the_mode_open_would(tmp_path, umask):
    saved = os.umask(umask)
    try:
        formats.write_atomically(str(tmp_path / "grades.csv"), "id\n")
    finally:
        os.umask(saved)
    assert stat.S_IMODE(os.stat(tmp_path / "grades.csv").st_mode) == 0o666 & ~umask


def test_isolation_is_a_line_under_the_table_in_json_and_in_html(graded, parse_html):
    graded.isolation = {"user": {"active": True, "reason": "runs as nobody"},
                        "filesystem": {"active": True, "reason": "a mount namespace"},
                        "network": {"active": False, "reason": "unshare: Operation not permitted"},
                        "signals": {"active": True, "reason": "a PID namespace"}}
    line = "Isolated: user, filesystem, signals; not isolated: network (unshare: Operation not permitted)"
    assert formats.render(graded, "table").rstrip().splitlines()[-3:-1] == [line, ""]
    assert GradeReport.from_dict(json.loads(formats.render(graded, "json"))).isolation == graded.isolation
    assert line in formats.render(graded, "html")


def test_a_run_without_isolation_says_why_once():
    report = GradeReport(isolation={layer: {"active": False, "reason": "turned off (--no-isolation)"}
                                    for layer in ("user", "filesystem", "network", "signals")})
    assert report.isolation_line() == "Isolated: no (turned off (--no-isolation))"
    assert GradeReport().isolation_line() == ""
