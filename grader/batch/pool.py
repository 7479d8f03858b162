"""A pool of warm worker processes on this machine, each grading one student after another.

Each worker imports the grader (pytest, numpy, and mxnet on its first student) once, then grades the
students it is sent with a StudentGrader. Stopping: the pool sends SIGTERM, which a worker turns into
KeyboardInterrupt, so grade() kills the student's sandbox children on the way out; a worker still
alive after STOP_SECONDS is killed. Workers ignore Ctrl-C (the pool decides) and get SIGTERM when the
batch process dies (Linux PDEATHSIG), so a batch killed with SIGKILL still leaves no worker behind.
"""
import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
from multiprocessing.connection import wait

from grader.batch.worker import RETRY_NOTE, StudentGrader, failed_record
from grader.runner import GraderUsageError

STOP_SECONDS = 20.0  # how long a stopping worker may take to close its sandboxes before it is killed
PR_SET_PDEATHSIG = 1


def _interrupt(signum, frame):
    """SIGTERM in a worker: unwind like Ctrl-C, so grade() closes the sandboxes."""
    raise KeyboardInterrupt


def _die_with_parent(parent_pid):
    """Ask Linux for SIGTERM when the batch process dies; False if it is already gone."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the closed pipe ends the worker instead
        pass
    return os.getppid() == parent_pid


def worker_main(connection, parent_pid, grade_options, scratch):
    """A worker's life: receive tasks on connection, send back ('record', ...) or ('usage', ...) until None."""
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if not _die_with_parent(parent_pid):
            return
        grader = StudentGrader(grade_options, scratch)
        while True:
            task = connection.recv()
            if task is None:
                return
            connection.send(grader.answer(task))
    except (KeyboardInterrupt, EOFError, BrokenPipeError):
        return


@contextlib.contextmanager
def _ctrl_c_ignored():
    """Ignore SIGINT in this process meanwhile (only the main thread can; elsewhere do nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class _Worker:
    """One worker process, its end of the pipe, and the task it is grading (None when idle)."""

    def __init__(self, context, grade_options, scratch):
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=worker_main, name="grader-batch-worker", daemon=True,
                                       args=(child_end, os.getpid(), grade_options, scratch))
        with _ctrl_c_ignored():  # the new process starts ignoring Ctrl-C
            self.process.start()
        child_end.close()
        self.task = None

    def give(self, task):
        """Send task (None: stop) to the worker."""
        self.task = task
        self.connection.send(task)


class WorkerPool:
    """jobs warm worker processes grading tasks (see grader.batch.worker.make_task) with grade_options."""

    def __init__(self, jobs, grade_options, scratch):
        self.jobs = max(1, int(jobs))
        self.grade_options = dict(grade_options)
        self.scratch = scratch
        self._context = multiprocessing.get_context("spawn")  # fresh interpreters: nothing of this process's state
        self._workers = []

    def run(self, tasks, on_record):
        """Grade every task, calling on_record(record) here as each student finishes.

        Raises GraderUsageError when a worker finds the options unusable; always stops every worker.
        """
        pending = list(reversed(tasks))
        try:
            for _ in range(min(self.jobs, len(pending))):
                self._workers.append(_Worker(self._context, self.grade_options, self.scratch))
            for worker in self._workers:
                worker.give(pending.pop())
            while any(worker.task is not None for worker in self._workers):
                busy = [worker for worker in self._workers if worker.task is not None]
                wait([worker.connection for worker in busy] + [worker.process.sentinel for worker in busy])
                for worker in busy:
                    record, worker = self._collect(worker)
                    if record is not None:
                        on_record(record)
                        worker.give(pending.pop() if pending else None)
        finally:
            self.stop()

    def _collect(self, worker):
        """(record, worker for the next task) once worker has finished a student, else (None, worker).

        A worker that died is replaced, and its student gets a record saying so (retried on a rerun).
        """
        if worker.connection.poll():
            try:
                kind, payload = worker.connection.recv()
            except (EOFError, OSError):
                kind, payload = None, None
            if kind == "usage":
                raise GraderUsageError(payload)
            if kind == "record":
                return payload, worker
        elif worker.process.is_alive():
            return None, worker
        worker.process.join()
        worker.connection.close()
        replacement = _Worker(self._context, self.grade_options, self.scratch)
        self._workers[self._workers.index(worker)] = replacement
        problem = "the grading process died (exit code %s) while grading this submission%s" % (
            worker.process.exitcode, RETRY_NOTE)
        return failed_record(worker.task, self.grade_options, problem, False), replacement

    def stop(self):
        """Stop every worker: SIGTERM, up to STOP_SECONDS to close its sandboxes, then SIGKILL."""
        workers, self._workers = self._workers, []
        for worker in workers:
            if worker.process.is_alive() and worker.task is not None:
                worker.process.terminate()  # idle workers were sent None and are on their way out
        for worker in workers:
            worker.process.join(STOP_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
