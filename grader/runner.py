"""``grade()``: run the chapter checks with pytest in this process and return the results model.

pytest collects grader/checks/test_<chapter>.py, the ``GradingSession`` plugin keeps the selected
exercises, starts one sandboxed child per chapter before the first check runs (so their mxnet
imports overlap), seeds every check and every query, and turns each check's outcome into an
``ExerciseResult``.
"""
import ast
import contextlib
import hashlib
import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from grader import checking
from grader.notebooks.convert import prepare_submission
from grader.results import ERROR, FAILED, NOT_ATTEMPTED, PASSED, SKIPPED, TIMEOUT, ExerciseResult, GradeReport
from grader.sandbox import ChapterSandbox, StudentModule, forkserver, isolation

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_MB = 4096
MIN_MEMORY_MB = 1024
DEFAULT_CTX = "cpu"
DEFAULT_START = "auto"  # fork chapter children from a zygote when its self-check passes, else start them fresh
SLOW_TIMEOUT_FACTOR = 10  # the queries of a slow (training) exercise get this many times --timeout
SKIPPED_MESSAGE = "skipped (slow, run with --slow)"
CHECKS_DIR = Path(__file__).resolve().parent / "checks"
PROJECT_DIR = CHECKS_DIR.parents[1]
DEFAULT_SANDBOX_USER = "nobody"
SESSION_KEY = pytest.StashKey()


class GraderUsageError(Exception):
    """A selection, folder or context the grader cannot use (the command line's exit code 2)."""


def derive_seed(*parts):
    """A 32-bit seed from the run's seed and labels; one-way, so a child cannot guess a sibling's seed."""
    text = "\0".join(str(part) for part in parts).encode("utf-8")
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big")


def check_modules(checks_dir):
    """{chapter: path} of every test_<chapter>.py in checks_dir, in chapter order."""
    paths = sorted(Path(checks_dir).glob("test_ch*.py"))
    if not paths:
        raise GraderUsageError("no check modules (test_chNN_*.py) in %s" % checks_dir)
    return {path.stem[len("test_"):]: path for path in paths}


def parse_selection(selectors, chapters):
    """{chapter: None (all its exercises) or a set of exercise ids} for 'ch03', 'ch03.linreg', file names."""
    if not selectors:
        return {chapter: None for chapter in chapters}
    selection = {}
    for selector in selectors:
        name = os.path.basename(selector.rstrip("/"))
        name = os.path.splitext(name)[0] if name.endswith((".py", ".ipynb")) else name
        prefix, _, exercise = name.partition(".")
        matched = [c for c in chapters if c == prefix or c.split("_")[0] == prefix]
        if not matched:
            raise GraderUsageError("%r matches no chapter; choose from %s (or an exercise such as ch03.linreg)"
                                   % (selector, ", ".join(chapters)))
        for chapter in matched:
            if not exercise:
                selection[chapter] = None
            elif selection.get(chapter, set()) is not None:
                selection.setdefault(chapter, set()).add("%s.%s" % (chapter.split("_")[0], exercise))
    return {chapter: selection[chapter] for chapter in chapters if chapter in selection}


def normalise_ctx(ctx):
    """'cpu' or 'gpu:N' for --ctx, after checking that such a GPU exists (GraderUsageError if not)."""
    from d2lzh.devices import DeviceUnavailableError, parse_context
    try:
        context = parse_context(ctx)
    except (ValueError, DeviceUnavailableError) as exc:
        raise GraderUsageError("--ctx %s: %s" % (ctx, exc))
    return "cpu" if context.device_type == "cpu" else "gpu:%d" % context.device_id


def judge(exc, log, points):
    """(status, points earned, message) from the exception a check raised (or None) and its checkpoints."""
    failed = ["%s (0/%g): %s" % (name, worth, message) for name, worth, message in log.failed]
    if exc is None and not failed:
        if log.passed and abs(log.total() - points) > 1e-9:
            return ERROR, 0, "internal check error: checkpoints add up to %g, exercise is worth %g" % (
                log.total(), points)
        return PASSED, points, ""
    if exc is None or isinstance(exc, AssertionError):
        status = FAILED
    elif isinstance(exc, checking.NotAttempted):
        status = NOT_ATTEMPTED
    elif isinstance(exc, checking.StudentTimeout):
        status = TIMEOUT
    elif isinstance(exc, checking.StudentError):
        status = ERROR
    else:
        status, exc = ERROR, "internal check error: %s: %s" % (type(exc).__name__, exc)
    message = "\n".join(failed + ([str(exc)] if exc is not None else []))
    return status, log.points(), message


def exercises_declared(path, slow=True):
    """(id, points, hint) of every @exercise(...) in a check module, read without importing it.

    slow=False leaves out the slow exercises (@exercise(..., slow=True)), which a run without --slow skips.
    """
    found = []
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        for decorator in getattr(node, "decorator_list", []):
            if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) == "exercise":
                if not slow and any(keyword.arg == "slow" and getattr(keyword.value, "value", False) is True
                                    for keyword in decorator.keywords):
                    continue
                try:
                    found.append(tuple(ast.literal_eval(arg) for arg in decorator.args[:3]))
                except ValueError:
                    continue
    return found


class GradingSession:
    """The pytest plugin of one grading run: selection, sandboxes, seeds and the results."""

    def __init__(self, submission, selection, paths, ctx, timeout, memory_mb, seed, progress, workdir, slow=False,
                 plan=None, starter=None):
        self.selection, self.paths = selection, paths
        self.ctx, self.seed, self.progress, self.slow = ctx, seed, progress, slow
        self.timeout = timeout
        self.unreadable = submission.unreadable  # chapter -> why its notebook costs all its exercises
        self.shared = os.path.join(workdir, "shared")  # what checks pass to the student's code (data sets)
        os.mkdir(self.shared)
        os.chmod(self.shared, 0o755)
        if plan is not None:
            plan.binds = plan.binds + [self.shared]
        self.sandboxes = {chapter: ChapterSandbox(submission.folder, chapter, timeout, memory_mb, workdir, plan,
                                                   starter)
                          for chapter in selection}
        for chapter, notebook in submission.notebooks.items():
            self.sandboxes[chapter].path = notebook  # messages name the notebook, not the generated module
        self.results = []
        self.expected = {}  # nodeid -> (chapter, id, points, hint) of each selected check
        self.slow_items = set()  # nodeids of the selected checks marked slow (run only with --slow)
        self.total = 0
        self.usage_error = None
        self._log = checking.CheckpointLog()

    # -- what the fixtures in grader/checks/conftest.py use --

    def student(self, chapter, item):
        """The ``student`` fixture's client for item's exercise."""
        exercise_id = self.expected[item.nodeid][1]
        seeds = (derive_seed(self.seed, exercise_id, "child", n) for n in range(1 << 30))
        timeout = self.timeout * SLOW_TIMEOUT_FACTOR if item.nodeid in self.slow_items else None
        return StudentModule(self.sandboxes[chapter], seeds, timeout)

    def shared_folder(self):
        """A fresh folder, readable by everyone, inside the one every child of this run sees (read-only)."""
        folder = tempfile.mkdtemp(dir=self.shared)
        os.chmod(folder, 0o755)
        return folder

    def check_seed(self, item):
        """The seed of the ``rng`` fixture for item's exercise."""
        return derive_seed(self.seed, self.expected[item.nodeid][1], "check")

    # -- pytest hooks --

    def pytest_configure(self, config):
        """Register the exercise marker and let the fixtures find this session."""
        config.addinivalue_line("markers", "exercise(id, points, hint): the exercise a check grades")
        config.stash[SESSION_KEY] = self

    def pytest_collectreport(self, report):
        """A check module that fails to import costs its exercises an error (a grader bug, not the student's)."""
        chapter = Path(report.nodeid.split("::")[0]).stem[len("test_"):]
        if not report.failed or chapter not in self.paths:
            return
        reason = str(report.longrepr).strip().splitlines()[-1] if report.longrepr else "unknown"
        for exercise_id, points, hint in exercises_declared(self.paths[chapter]):
            if self._selected(chapter, exercise_id):
                self._record(ExerciseResult(exercise_id, chapter, ERROR, 0, points, "internal check error: "
                                            "the check module failed to import: %s" % reason, hint))

    def pytest_collection_modifyitems(self, session, config, items):
        """Keep the checks of the selected exercises; note selected ids that exist nowhere."""
        kept, known = [], {result.id for result in self.results}
        for item in items:
            marker = item.get_closest_marker("exercise")
            chapter = getattr(item.module, "CHAPTER", None)
            if marker is None or chapter not in self.selection:
                continue
            known.add(marker.kwargs["id"])
            if not self._selected(chapter, marker.kwargs["id"]):
                continue
            if chapter in self.unreadable:
                self._record(ExerciseResult(marker.kwargs["id"], chapter, ERROR, 0, marker.kwargs["points"],
                                            self.unreadable[chapter], marker.kwargs["hint"]))
                continue
            if marker.kwargs.get("slow") and not self.slow:
                self._record(ExerciseResult(marker.kwargs["id"], chapter, SKIPPED, 0, 0, SKIPPED_MESSAGE,
                                            marker.kwargs["hint"]))
                continue
            if marker.kwargs.get("slow"):
                self.slow_items.add(item.nodeid)
            self.expected[item.nodeid] = (chapter, marker.kwargs["id"], marker.kwargs["points"],
                                          marker.kwargs["hint"])
            kept.append(item)
        unknown = set().union(*[ids for ids in self.selection.values() if ids]) - known
        if unknown:
            self.usage_error = "no exercise %s; choose from %s" % (", ".join(sorted(unknown)),
                                                                    ", ".join(sorted(known)))
            kept = []
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
        self.total = len(kept) + len(self.results)
        for done, result in enumerate(self.results, 1):  # check modules that failed to import, skipped checks
            self._notify(result, done)

    def pytest_collection_finish(self, session):
        """Start every needed chapter child now, so their imports overlap each other and the first checks."""
        for chapter in dict.fromkeys(self.expected[item.nodeid][0] for item in session.items):
            self.sandboxes[chapter].start()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        """Seed the grader's generators and start a fresh checkpoint log for this check."""
        seed = derive_seed(self.seed, self.expected[item.nodeid][1], "grader")
        random.seed(seed)
        np.random.seed(seed)
        if "mxnet" in sys.modules:
            sys.modules["mxnet"].random.seed(seed)
        self._log = checking.reset_checkpoints()
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        """Turn the check's setup failure or call outcome into the exercise's result."""
        outcome = yield
        report = outcome.get_result()
        chapter, exercise_id, points, hint = self.expected[item.nodeid]
        if call.when == "call":
            status, earned, message = judge(call.excinfo.value if call.excinfo else None, self._log, points)
        elif call.when == "setup" and report.failed:
            status, earned, message = ERROR, 0, "internal check error: %s" % str(report.longrepr).splitlines()[-1]
        else:
            return
        self._record(ExerciseResult(exercise_id, chapter, status, earned, points, message, hint))

    # -- helpers --

    def _selected(self, chapter, exercise_id):
        """Whether exercise_id of chapter is part of this run."""
        if chapter not in self.selection:
            return False
        ids = self.selection[chapter]
        return ids is None or exercise_id in ids

    def _record(self, result):
        """Keep a result, and report progress once the number of exercises is known."""
        self.results.append(result)
        if self.total:
            self._notify(result, len(self.results))

    def _notify(self, result, done):
        """Tell the progress callback that result is the done-th of the run's exercises."""
        if self.progress is not None:
            self.progress(result, done, self.total)

    def close(self):
        """Kill every child of this run."""
        for sandbox in self.sandboxes.values():
            sandbox.close()


@contextlib.contextmanager
def _isolated_pytest_environment():
    """No third-party pytest plugins and no PYTEST_ADDOPTS for the checks; the grader's own settings only."""
    saved = {name: os.environ.get(name) for name in ("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_ADDOPTS")}
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    os.environ.pop("PYTEST_ADDOPTS", None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _run_pytest(session, paths):
    """Run the check modules under pytest with the session plugin; raise what a bad run means for the CLI."""
    args = [str(path) for path in paths] + [
        "-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:stepwise", "--import-mode=importlib",
        "--capture=sys", "--continue-on-collection-errors", "--rootdir", str(paths[0].parent), "-c", os.devnull,
        "-W", "ignore::DeprecationWarning"]
    with _isolated_pytest_environment():
        code = pytest.main(args, plugins=[session])
    if code == pytest.ExitCode.INTERRUPTED:
        raise KeyboardInterrupt
    if session.usage_error:
        raise GraderUsageError(session.usage_error)
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise RuntimeError("pytest could not run the checks (exit code %s)" % code)


def trusted_folder(folder):
    """Whether folder is the project's own exercises/ or solutions/ (or ./exercises): graded without isolation."""
    trusted = [PROJECT_DIR / "exercises", PROJECT_DIR / "solutions", Path("exercises")]
    return any(Path(folder).resolve() == path.resolve() for path in trusted)


def isolation_plan(folder, workdir, isolate, require_isolation, sandbox_user):
    """(IsolationPlan or None, the layers for the report) for grading folder; GraderUsageError when a required
    layer is missing. isolate None: isolate unless folder is trusted (trusted_folder)."""
    if isolate is False and require_isolation:
        raise GraderUsageError("--require-isolation and --no-isolation contradict each other")
    if isolate is False:
        return None, isolation.off("turned off (--no-isolation)")
    if isolate is None and not require_isolation and trusted_folder(folder):
        return None, isolation.off("not needed for the project's own exercises and solutions")
    root = os.path.join(workdir, "root")
    os.mkdir(root)
    plan = isolation.plan_isolation(root, sandbox_user)
    if require_isolation and not plan.complete:
        raise GraderUsageError("--require-isolation: this machine cannot isolate %s" % "; ".join(plan.missing()))
    return plan, plan.layers


def grade(exercises_dir="exercises", select=(), ctx=DEFAULT_CTX, timeout=DEFAULT_TIMEOUT,
          memory_mb=DEFAULT_MEMORY_MB, seed=None, progress=None, checks_dir=CHECKS_DIR, slow=False,
          isolate=None, require_isolation=False, sandbox_user=DEFAULT_SANDBOX_USER, start=DEFAULT_START):
    """Grade the chapter modules (or notebooks) in exercises_dir and return a GradeReport.

    select: chapters or exercises ('ch03', 'ch03.linreg', 'ch03_deep_learning_basics'); empty = all.
    ctx: 'cpu', 'gpu' or 'gpu:N', passed to exercises that train. timeout: seconds per query.
    slow: also grade the slow (training) exercises, else report them as skipped.
    memory_mb: cap on each child's memory. seed: reproduce a run (default: a fresh random seed).
    progress: called as progress(result, done, total) after each exercise.
    isolate: run the student's code isolated (grader.sandbox.isolation): True, False, or None (automatic:
    every folder but the project's own exercises/ and solutions/ and ./exercises; the command line
    isolates every --submission). require_isolation: a usage error
    when a layer is missing, before anything is graded. sandbox_user: whom the code runs as when root.
    start: how chapter children start: 'fork' (from this process's zygote, see grader.sandbox.forkserver),
    'fresh' (a new python each), or 'auto' (fork, else fresh with a note saying why).
    """
    started = time.monotonic()
    if memory_mb < MIN_MEMORY_MB:
        raise GraderUsageError("--memory-mb %d is too small: importing mxnet alone needs about 700 MB; use at "
                               "least %d" % (memory_mb, MIN_MEMORY_MB))
    if timeout <= 0:
        raise GraderUsageError("--timeout must be a positive number of seconds, got %g" % timeout)
    folder = Path(exercises_dir)
    if not folder.is_dir():
        raise GraderUsageError("no folder %s: run from the project root, or pass the folder of your chapter "
                               "modules (--submission PATH)" % folder)
    chapters = check_modules(checks_dir)
    selection = parse_selection(list(select), list(chapters))
    if start not in forkserver.START_METHODS:
        raise GraderUsageError("--start %s: choose from %s" % (start, ", ".join(forkserver.START_METHODS)))
    forkserver.launch(start)  # its mxnet import overlaps this process's own (normalise_ctx)
    run_seed = secrets.randbits(32) if seed is None else int(seed)
    with tempfile.TemporaryDirectory(prefix="grader-") as workdir:
        plan, layers = isolation_plan(folder, workdir, isolate, require_isolation, sandbox_user)
        submission = prepare_submission(folder, selection, workdir)
        if plan is not None:  # the child reads a copy, made of the submission's own files only
            copy = os.path.join(workdir, "submission", os.path.basename(os.path.abspath(str(folder))))
            isolation.copy_submission(submission.folder, copy, [str(folder), submission.folder])
            submission.folder = copy
        ctx = normalise_ctx(ctx)
        try:
            starter, start_notes = forkserver.choose_starter(start)
        except forkserver.ForkServerUnavailable as exc:
            raise GraderUsageError("--start fork: the fork server cannot be used here: %s" % exc)
        session = GradingSession(submission, selection, chapters, ctx, timeout, memory_mb,
                                 run_seed, progress, workdir, slow, plan, starter)
        try:
            _run_pytest(session, [chapters[chapter] for chapter in selection])
        finally:
            session.close()
    order = list(chapters)
    results = sorted(session.results, key=lambda result: order.index(result.chapter))
    return GradeReport(results, time.monotonic() - started, run_seed, submission.notes + start_notes, layers)


def grading_session(config):
    """The GradingSession running these checks (the fixtures' way in); a clear error under plain pytest."""
    session = config.stash.get(SESSION_KEY, None)
    if session is None:
        raise RuntimeError("the checks in grader/checks run under the grader: use python -m grader")
    return session
