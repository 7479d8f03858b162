"""Render a GradeReport as a terminal table, JSON, Gradescope results.json, JUnit XML, CSV or HTML."""
import csv
import html
import io
import json
import os
import tempfile
import xml.etree.ElementTree as ET
from string import Template

from grader.results import ERROR, FAILED, NOT_ATTEMPTED, PASSED, SKIPPED, STATUSES, TIMEOUT

FORMATS = ("table", "json", "gradescope", "junit", "csv", "html")
MESSAGE_LINES = 8  # lines of a message the table shows; the JSON formats carry all of it


def _points(earned, available):
    """'1.5/2' with whole numbers printed without a decimal point."""
    return "%g/%g" % (earned, available)


def _counts(results):
    """'10 passed, 1 failed, ...' for the statuses that occur."""
    counts = [(status, sum(r.status == status for r in results)) for status in STATUSES]
    return ", ".join("%d %s" % (n, status.replace("_", " ")) for status, n in counts if n)


def table(report):
    """Per chapter and per exercise: status, points, and for what did not pass the message and hint."""
    lines = []
    for chapter, results in report.chapters():
        earned = sum(r.points for r in results)
        lines.append("%-60s %9s" % (chapter, _points(earned, sum(r.max_points for r in results))))
        for result in results:
            points = _points(result.points, result.max_points)
            lines.append("  %-14s %-43s %9s" % (result.status, result.id, points))
            if result.status != PASSED:
                shown = result.message.splitlines()[:MESSAGE_LINES] if result.status != NOT_ATTEMPTED else []
                lines.extend("      " + line for line in shown)
                if result.hint and result.status != SKIPPED:
                    lines.append("      hint: " + result.hint)
    lines.extend("note: " + note for note in report.notes)
    lines.extend([report.isolation_line()] if report.isolation else [])
    lines.append("")
    lines.append("Total %s points (%s) in %.1f s; reproduce with --seed %s"
                 % (_points(report.score, report.max_score), _counts(report.exercises) or "nothing graded",
                    report.duration_s, report.seed))
    return "\n".join(lines) + "\n"


def as_json(report):
    """The results model itself."""
    return json.dumps(report.to_dict(), indent=2) + "\n"


def _feedback(result):
    """Status, message and (unless it passed) hint of one exercise, one per line."""
    hint = "hint: " + result.hint if result.hint and result.status not in (PASSED, SKIPPED) else ""
    return "\n".join(filter(None, [result.status, result.message, hint]))


def _gradescope_test(result):
    """One exercise as a Gradescope test; a skipped one has no status, so Gradescope goes by its 0/0."""
    test = {"name": result.id, "score": result.points, "max_score": result.max_points,
            "output": _feedback(result), "visibility": "visible"}
    if result.status != SKIPPED:
        test["status"] = "passed" if result.status == PASSED else "failed"
    return test


def gradescope(report):
    """Gradescope's autograder results.json: score, execution_time and one test per exercise."""
    tests = [_gradescope_test(result) for result in report.exercises]
    return json.dumps({"score": report.score, "execution_time": round(report.duration_s, 3),
                       "output": "\n".join(["%s points; %s" % (_points(report.score, report.max_score),
                                                              _counts(report.exercises))] + report.notes),
                       "tests": tests}, indent=2) + "\n"


_JUNIT_OUTCOME = {FAILED: "failure", ERROR: "error", TIMEOUT: "error", NOT_ATTEMPTED: "skipped", SKIPPED: "skipped"}


def junit(report):
    """JUnit XML: a testsuite per chapter, a testcase per exercise with points as properties."""
    root = ET.Element("testsuites", name="d2lzh-grader", time="%.3f" % report.duration_s)
    for chapter, results in report.chapters():
        suite = ET.SubElement(root, "testsuite", name=chapter, tests=str(len(results)))
        for attribute, outcome in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            suite.set(attribute, str(sum(_JUNIT_OUTCOME.get(r.status) == outcome for r in results)))
        for result in results:
            case = ET.SubElement(suite, "testcase", classname=chapter, name=result.id)
            properties = ET.SubElement(case, "properties")
            for name, value in (("points", "%g" % result.points), ("max_points", "%g" % result.max_points),
                                ("status", result.status), ("hint", result.hint)):
                ET.SubElement(properties, "property", name=name, value=value)
            if result.status in _JUNIT_OUTCOME:
                element = ET.SubElement(case, _JUNIT_OUTCOME[result.status], type=result.status,
                                        message=(result.message.splitlines() or [result.status])[0])
                element.text = result.message
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def as_csv(report):
    """One row per exercise: id, chapter, status, points, max_points, message, hint."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "chapter", "status", "points", "max_points", "message", "hint"])
    for r in report.exercises:
        writer.writerow([r.id, r.chapter, r.status, "%g" % r.points, "%g" % r.max_points, r.message, r.hint])
    return out.getvalue()


# HTML: string.Template fills every $field with escaped text unless it is Markup (HTML made here), so
# nothing from a student (messages quote their output) can add markup; styles are inline, so the
# same table shows in a notebook and in a page that loads nothing from outside.
STATUS_COLOURS = {PASSED: "#1a7f37", FAILED: "#cf222e", NOT_ATTEMPTED: "#6e7781", ERROR: "#bc4c00",
                  TIMEOUT: "#8250df", SKIPPED: "#8c959f"}
HTML_CHAPTER = ('<tr><th colspan="2" style="text-align:left;padding:6px 4px 2px">$chapter</th>'
                '<th style="text-align:right;padding:6px 4px 2px">$points</th></tr>\n$rows')
HTML_EXERCISE = ('<tr><td style="padding:2px 4px"><span style="color:#fff;background:$colour;border-radius:3px;'
                 'padding:0 5px;font-size:90%">$status</span></td><td style="padding:2px 4px;font-family:monospace">'
                 '$id</td><td style="text-align:right;padding:2px 4px">$points</td></tr>\n$feedback')
HTML_FEEDBACK = ('<tr><td></td><td colspan="2" style="padding:0 4px 6px">$message$hint</td></tr>\n')
HTML_MESSAGE = '<pre style="margin:2px 0;white-space:pre-wrap;font-size:90%">$text</pre>'
HTML_HINT = '<div style="color:#57606a;font-size:90%">hint: $text</div>'
HTML_TABLE = ('<div class="d2lzh-grader"><table style="border-collapse:collapse">\n$chapters</table>\n'
              '$notes$isolation<p><b>Total $points points</b> ($counts) in $duration s; '
              'reproduce with --seed $seed</p></div>\n')
HTML_NOTE = '<p style="color:#57606a;margin:2px 0">$text</p>\n'
HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Grading report: $points points</title>
</head>
<body style="font-family:sans-serif;max-width:60em;margin:2em auto">
<h1>Grading report</h1>
$table</body>
</html>
"""


class Markup(str):
    """HTML made by this module, inserted into a template as it is."""


def _fill(template, **fields):
    """template with its $fields filled in: Markup as it is, anything else as escaped text."""
    return Markup(Template(template).substitute(
        {name: value if isinstance(value, Markup) else html.escape(str(value)) for name, value in fields.items()}))


def _html_exercise(result):
    """One exercise's row, and under it the message and hint when it did not pass (as the table shows)."""
    message = result.message if result.status not in (PASSED, NOT_ATTEMPTED) else ""
    hint = result.hint if result.status not in (PASSED, SKIPPED) else ""
    feedback = _fill(HTML_FEEDBACK, message=_fill(HTML_MESSAGE, text=message) if message else Markup(),
                     hint=_fill(HTML_HINT, text=hint) if hint else Markup()) if message or hint else Markup()
    return _fill(HTML_EXERCISE, colour=STATUS_COLOURS[result.status], status=result.status.replace("_", " "),
                 id=result.id, points=_points(result.points, result.max_points), feedback=feedback)


def html_table(report):
    """The report as an HTML fragment (a table per chapter, notes, totals): what check() shows in Jupyter."""
    chapters = "".join(
        _fill(HTML_CHAPTER, chapter=chapter, points=_points(sum(r.points for r in results),
                                                            sum(r.max_points for r in results)),
              rows=Markup("".join(_html_exercise(result) for result in results)))
        for chapter, results in report.chapters())
    return _fill(HTML_TABLE, chapters=Markup(chapters), points=_points(report.score, report.max_score),
                 notes=Markup("".join(_fill(HTML_NOTE, text="note: " + note) for note in report.notes)),
                 isolation=_fill(HTML_NOTE, text=report.isolation_line()) if report.isolation else Markup(),
                 counts=_counts(report.exercises) or "nothing graded", duration="%.1f" % report.duration_s,
                 seed=report.seed)


def as_html(report):
    """A standalone HTML page of the report: inline styles only, nothing loaded from elsewhere."""
    return _fill(HTML_PAGE, points=_points(report.score, report.max_score), table=html_table(report))


RENDERERS = {"table": table, "json": as_json, "gradescope": gradescope, "junit": junit, "csv": as_csv,
             "html": as_html}


def render(report, fmt):
    """report as text in one of FORMATS."""
    return RENDERERS[fmt](report)


def write_atomically(path, text):
    """Write text (str, or bytes for a binary file) to path through a temporary file in the same folder
    and os.replace.

    Readers never see half a file, and whatever stood at path before (even a file student code
    wrote there during the run) is replaced as a whole. The file gets the mode open() would give it
    (0666 less the umask), not mkstemp's 0600, so the people the report is for can read it.
    """
    folder = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix=".grader-", dir=folder)
    umask = os.umask(0o022)
    os.umask(umask)
    try:
        binary = isinstance(text, bytes)
        with os.fdopen(handle, "wb" if binary else "w", encoding=None if binary else "utf-8") as out:
            out.write(text)
            os.fchmod(out.fileno(), 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
