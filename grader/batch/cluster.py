"""The batch on a Dask cluster: one task per student, graded by the same StudentGrader as the local pool.

Tasks carry the submission's path, so SUBMISSIONS must be at the same path on every worker (a shared
filesystem); records come back to this process, which writes them into the output folder. Workers must
run tasks one at a time per process (`dask worker ADDRESS --nthreads 1`): grade() runs pytest in the
process. A lock enforces that here too, so a worker with more threads grades one student at a time.
"""
import threading
import uuid

from grader.batch.worker import RETRY_NOTE, StudentGrader, failed_record
from grader.runner import GraderUsageError

INSTALL_HINT = ('--dask-scheduler needs dask.distributed: pip install -c constraints.txt -e ".[dist]" '
                "(on this machine and on every worker)")
_GRADING = threading.Lock()


def grade_task(task, grade_options):
    """Run on a Dask worker: ('record', record) or ('usage', message) for one task."""
    with _GRADING:
        return StudentGrader(grade_options).answer(task)


def _distributed():
    """The dask.distributed module (GraderUsageError saying how to install it when it is missing)."""
    try:
        import distributed
    except ImportError:
        raise GraderUsageError(INSTALL_HINT)
    return distributed


def run_on_cluster(address, tasks, grade_options, on_record):
    """Grade every task on the cluster at address, calling on_record(record) here as each finishes."""
    distributed = _distributed()
    try:
        client = distributed.Client(address, set_as_default=False, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise GraderUsageError("cannot reach the Dask scheduler at %s (%s); start one with `dask scheduler` "
                               "and pass the address it prints" % (address, exc))
    run = uuid.uuid4().hex[:8]
    futures = {client.submit(grade_task, task, grade_options, key="grade-%s-%s" % (run, task["student"]),
                             pure=False): task for task in tasks}
    try:
        for future in distributed.as_completed(futures, loop=client.loop):
            try:
                kind, payload = future.result()
            except Exception as exc:  # the task itself failed (a worker died, KilledWorker, ...)
                problem = "the Dask task failed (%s: %s)%s" % (type(exc).__name__, exc, RETRY_NOTE)
                kind, payload = "record", failed_record(futures[future], grade_options, problem, False)
            if kind == "usage":
                raise GraderUsageError(payload)
            on_record(payload)
    finally:
        client.cancel(list(futures))
        client.close()
