"""Resource limits and process flags of a sandbox child (Linux prctl; rlimits wherever Python has them)."""
import ctypes
import resource

LOG_LIMIT_BYTES = 64 << 20  # RLIMIT_FSIZE: a student printing forever is stopped, not the disk filled
PROCESS_LIMIT = 128  # RLIMIT_NPROC inside a child's own user namespace: mxnet's threads count, a fork bomb stops
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 1, 4, 38
PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER = 36, 37


def limit_resources(memory_mb):
    """Cap the child's writable memory (RLIMIT_DATA), file sizes, and turn off core dumps.

    RLIMIT_DATA rather than RLIMIT_AS: MXNet reserves far more address space than it uses
    (about 1.5 GB after import on CPU, tens of GB with CUDA), while its data segment stays near 0.7 GB.
    """
    limit = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (LOG_LIMIT_BYTES, LOG_LIMIT_BYTES))


def limit_processes(count=PROCESS_LIMIT):
    """Cap the processes and threads of this process's user (RLIMIT_NPROC): a fork bomb stops there.

    Only meaningful in a user namespace of the child's own, where the count is the child's alone.
    """
    resource.setrlimit(resource.RLIMIT_NPROC, (count, count))


def prctl(option, value):
    """Linux prctl(option, value); does nothing elsewhere (the pipes closing still end a child there)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass
