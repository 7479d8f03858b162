"""The class's results from the records: gradebook.csv, a summary table, and summary.png.

Everything here is computed from the records alone (never from how or where they were graded), so
the same records give the same gradebook byte for byte, from a local pool or from a Dask cluster.
"""
import csv
import io
import os
import statistics

from grader.batch.records import report_of
from grader.report import write_atomically
from grader.results import ERROR, PASSED, SKIPPED, TIMEOUT

GRADEBOOK, SUMMARY_PLOT = "gradebook.csv", "summary.png"
HARDEST = 5  # how many of the least-passed exercises the summary names


def _short(chapter):
    """'ch03' for 'ch03_deep_learning_basics'."""
    return chapter.split("_")[0]


def _chapters(records):
    """Every chapter graded in records, in check order (chapter modules sort in book order)."""
    return sorted({result.chapter for record in records for result in report_of(record).exercises})


def gradebook_csv(records):
    """One row per student (sorted by id): points per chapter, total, max, errors, timeouts, problem."""
    chapters = _chapters(records)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student"] + [_short(chapter) for chapter in chapters]
                    + ["total", "max", "errors", "timeouts", "problem"])
    for record in sorted(records, key=lambda record: record["student"]):
        report = report_of(record)
        points = {chapter: sum(result.points for result in results) for chapter, results in report.chapters()}
        writer.writerow([record["student"]] + ["%g" % points[c] if c in points else "" for c in chapters]
                        + ["%g" % report.score, "%g" % report.max_score,
                           sum(result.status == ERROR for result in report.exercises),
                           sum(result.status == TIMEOUT for result in report.exercises), record["problem"]])
    return out.getvalue()


def pass_rates(records):
    """{exercise id: (students who passed it, students graded on it)} in check order; skipped ones left out."""
    rates = {}
    for record in sorted(records, key=lambda record: record["student"]):
        for result in report_of(record).exercises:
            if result.status != SKIPPED:
                passed, graded = rates.get(result.id, (0, 0))
                rates[result.id] = (passed + (result.status == PASSED), graded + 1)
    order = {chapter: index for index, chapter in enumerate(_chapters(records))}
    chapter_of = {result.id: result.chapter for record in records for result in report_of(record).exercises}
    return dict(sorted(rates.items(), key=lambda item: order[chapter_of[item[0]]]))


def hardest(rates, count=HARDEST):
    """The count exercise ids with the lowest pass rate (ties in check order)."""
    order = list(rates)
    return sorted(order, key=lambda name: (rates[name][0] / rates[name][1], order.index(name)))[:count]


def summary_text(records):
    """The summary printed after a batch: count, mean and median total, pass rate per exercise, hardest."""
    if not records:
        return "No student graded yet.\n"
    totals = [report_of(record).score for record in records]
    best = max(report_of(record).max_score for record in records)
    lines = ["%d students graded; total points: mean %.2f, median %g (of %g)"
             % (len(records), statistics.mean(totals), statistics.median(totals), best)]
    problems = sorted(record["student"] for record in records if record["problem"])
    if problems:
        lines.append("%d could not be graded (see their reports): %s" % (len(problems), ", ".join(problems)))
    rates = pass_rates(records)
    width = max([len(name) for name in rates] + [8])
    lines.append("")
    lines.append("%-*s  %s" % (width, "exercise", "passed"))
    lines.extend("%-*s  %3.0f%% (%d/%d)" % (width, name, 100.0 * passed / graded, passed, graded)
                 for name, (passed, graded) in rates.items())
    lines.append("")
    lines.append("hardest: " + ", ".join("%s (%.0f%%)" % (name, 100.0 * rates[name][0] / rates[name][1])
                                         for name in hardest(rates)))
    return "\n".join(lines) + "\n"


def summary_png(records):
    """PNG bytes: a histogram of total points and a bar chart of the pass rate of each exercise."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rates = pass_rates(records)
    figure = Figure(figsize=(9, 3 + 0.18 * len(rates)))
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, gridspec_kw={"height_ratios": [3, max(3, 0.18 * len(rates))]})
    totals = [report_of(record).score for record in records]
    top.hist(totals, bins=min(20, max(1, len(set(totals)))), color="#4c72b0", edgecolor="white")
    top.set_xlabel("total points")
    top.set_ylabel("students")
    top.set_title("%d students" % len(records))
    names = list(rates)
    bottom.barh(range(len(names)), [100.0 * passed / graded for passed, graded in rates.values()],
                color="#55a868")
    bottom.set_yticks(range(len(names)))
    bottom.set_yticklabels(names, fontsize=7)
    bottom.invert_yaxis()
    bottom.set_xlim(0, 100)
    bottom.set_xlabel("students who passed (%)")
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100, metadata={"Software": None})
    return out.getvalue()


def write_gradebook(output_dir, records):
    """Write gradebook.csv and (when there are records) summary.png into output_dir; return the CSV path."""
    os.makedirs(output_dir, exist_ok=True)
    path = os.path.join(output_dir, GRADEBOOK)
    write_atomically(path, gradebook_csv(records))
    if records:
        write_atomically(os.path.join(output_dir, SUMMARY_PLOT), summary_png(records))
    return path
