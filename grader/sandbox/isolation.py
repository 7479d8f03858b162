"""Isolation of a sandbox child from the answers, the grader, other submissions and the network (Linux).

The grader makes an ``IsolationPlan`` (``plan_isolation``): which layers this machine allows and
what the child's file system holds. The child calls ``enter(plan)`` first thing, before it starts a
thread (mxnet does at import, and unshare(2) refuses a new user or mount namespace to a threaded
process). Layers:

- user: as root, the child becomes the sandbox user (``nobody``): no groups, no capabilities,
  PR_SET_NO_NEW_PRIVS. Otherwise it gets a user namespace of its own with no capabilities outside it.
- filesystem: a mount namespace whose root is an empty tmpfs holding read-only binds of what the
  child needs (the Python install and site-packages, /usr, /lib*, /etc, /sys, d2lzh, a few device
  nodes) and of the child-side grader files only; a fresh /proc, /tmp and /dev/shm; the submission is a
  read-only copy, the child's working folder its only writable one. ``solutions/``, ``grader/checks/``,
  the rest of the checkout, other submissions and the report files are not there at all.
- network: a network namespace with no interface up (not even loopback).
- signals: a PID namespace (``enter`` forks once; the student's code runs as its pid 1 and sees no
  other process), and, in a user namespace of the child's own, RLIMIT_NPROC against fork bombs.
"""
import dataclasses
import functools
import glob
import importlib.util
import json
import os
import pwd
import shutil
import signal
import site
import sys
import warnings

from grader.sandbox import limits, syscalls

LAYERS = ("user", "filesystem", "network", "signals")
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", "/etc", "/sys")
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
GRADER_FILES = ("__init__.py", "protocol.py", "sandbox", "probes", "notebooks/__init__.py", "notebooks/cells.py")
TMP_SIZE = "size=512m"
GRADER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class IsolationError(Exception):
    """isolation was required (--require-isolation) but a layer is not available here."""


@dataclasses.dataclass
class IsolationPlan:
    """What enter() does in a child: plain data, so it travels as JSON on the child's command line.

    layers: {layer: {"active": bool, "reason": str}}. own_user_namespace: unshare a user namespace with
    the others (the grader is not root). uid/gid: the sandbox user (the grader is root), or None.
    nested_user_namespace: as that user, a user namespace of its own (RLIMIT_NPROC counted per child).
    root: an empty folder to mount the child's root on. binds: read-only, at the same path.
    grader_files: the child-side grader files, read-only. devices: device nodes to keep.
    folders: the submission copy (read-only); workdir: the child's one writable folder.
    """

    layers: dict
    namespaces: bool = False
    own_user_namespace: bool = False
    uid: int = None
    gid: int = None
    nested_user_namespace: bool = False
    root: str = ""
    binds: list = dataclasses.field(default_factory=list)
    grader_files: list = dataclasses.field(default_factory=list)
    devices: list = dataclasses.field(default_factory=list)
    folders: list = dataclasses.field(default_factory=list)
    workdir: str = ""

    @property
    def complete(self):
        """Whether every layer is active."""
        return all(self.layers[layer]["active"] for layer in LAYERS)

    def missing(self):
        """'layer (reason)' for each layer that is not active."""
        return ["%s (%s)" % (layer, self.layers[layer]["reason"]) for layer in LAYERS
                if not self.layers[layer]["active"]]

    def for_child(self, folder, workdir):
        """This plan for one child: folder (the submission copy) read-only, workdir writable."""
        return dataclasses.replace(self, folders=[folder], workdir=workdir)

    def to_json(self):
        """The plan as a JSON string (the child's --isolation argument)."""
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text):
        """Inverse of to_json."""
        return cls(**json.loads(text))


def off(reason):
    """The layers of a run without isolation, each inactive for reason."""
    return {layer: {"active": False, "reason": reason} for layer in LAYERS}


# ==== grader side ==============================================================================

@functools.lru_cache(maxsize=None)
def _try_unshare(flags):
    """None if a forked process may unshare(flags) here, else the reason it may not (asked once per process:
    a batch worker plans every student's isolation, and the machine's answer does not change).

    The grader has threads by now (numpy's); Python 3.12 warns about fork() then. The forked child
    makes one system call and exits: it waits on no lock another thread could have held at fork().
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        code = 0
        try:
            syscalls.unshare(flags)
        except OSError as exc:
            code = min(exc.errno or 1, 255)
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 255
    return None if code == 0 else "unshare: %s" % os.strerror(code)


def _namespaces_refused(as_root):
    """None when this machine gives a child its mount, network and PID namespaces, else why not."""
    if syscalls.PIVOT_ROOT_NUMBERS.get(os.uname().machine) is None:
        return "pivot_root is not known on %s" % os.uname().machine
    flags = syscalls.CLONE_NEWNS | syscalls.CLONE_NEWNET | syscalls.CLONE_NEWPID
    refused = _try_unshare(flags if as_root else flags | syscalls.CLONE_NEWUSER)
    if refused and not as_root:
        try:
            with open("/proc/sys/user/max_user_namespaces") as limit:
                if limit.read().strip() == "0":
                    return "unprivileged user namespaces are disabled (/proc/sys/user/max_user_namespaces is 0)"
        except OSError:
            pass
    return refused


def _inside(path, folder):
    """Whether path is folder or lies below it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _project_root():
    """The checkout the grader runs from (its folder holds solutions/), or None for an installed grader."""
    parent = os.path.dirname(GRADER_DIR)
    return parent if os.path.isdir(os.path.join(parent, "solutions")) else None


def _package_folder(name):
    """The folder of package name, found without importing it (None if there is none)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    return os.path.abspath(locations[0]) if locations else None


def _python_folders():
    """Folders Python and its packages live in: the install, the virtual environment, site-packages.

    Not every sys.path entry: ``python -m grader`` puts the current folder there, maybe a checkout.
    """
    folders = [sys.base_prefix, sys.base_exec_prefix, sys.prefix, sys.exec_prefix,
               os.path.dirname(os.path.realpath(sys.executable))]
    return folders + site.getsitepackages() + [site.getusersitepackages()]


def _data_folders():
    """Folders the data sets are read from: $D2LZH_DATA and MXNet's cache."""
    folders = [os.environ.get("D2LZH_DATA", "")]
    folders.append(os.environ.get("MXNET_HOME") or os.path.join(os.path.expanduser("~"), ".mxnet"))
    return folders


def bound_folders():
    """The folders a child sees (read-only): system, Python, d2lzh and data, minus the checkout's others."""
    project = _project_root()
    inside_allowed = [folder for folder in (sys.prefix, _package_folder("d2lzh")) if folder]
    chosen = []
    for folder in list(SYSTEM_FOLDERS) + _python_folders() + inside_allowed + _data_folders():
        folder = os.path.abspath(folder) if folder else ""
        if not folder or folder == "/" or not os.path.exists(folder):
            continue
        if project and (_inside(project, folder) or (_inside(folder, project) and not any(
                _inside(folder, allowed) for allowed in inside_allowed))):
            continue  # the checkout itself, a folder above it, or a part of it other than the venv and d2lzh
        if _inside(folder, GRADER_DIR):
            continue  # inside the grader package: its child-side files are bound one by one (_build_root)
        chosen.append(folder)
    kept = []
    for folder in sorted(set(chosen), key=lambda path: (path.count(os.sep), path)):
        real = os.path.realpath(folder)
        if not any(_inside(folder, other) or _inside(real, os.path.realpath(other)) for other in kept):
            kept.append(folder)
    return kept


def _sandbox_account(name):
    """(the passwd entry of user name, None), or (None, why it cannot be the sandbox user)."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None, "there is no user %r (--sandbox-user)" % name
    if entry.pw_uid == 0:
        return None, "--sandbox-user %s is root" % name
    return entry, None


def plan_isolation(root, sandbox_user="nobody"):
    """The IsolationPlan of this machine for children whose file system is mounted on the folder root."""
    if not sys.platform.startswith("linux"):
        return IsolationPlan(off("needs Linux namespaces, not %s" % sys.platform))
    as_root = os.geteuid() == 0
    refused = _namespaces_refused(as_root)
    namespace_layer = {"active": refused is None, "reason": refused or ""}
    layers = {"filesystem": dict(namespace_layer), "network": dict(namespace_layer),
              "signals": dict(namespace_layer)}
    plan = IsolationPlan(layers, namespaces=refused is None, root=root)
    if refused is None:
        layers["filesystem"]["reason"] = "a mount namespace without the answers, the grader or other submissions"
        layers["network"]["reason"] = "a network namespace with no interface"
        layers["signals"]["reason"] = "a PID namespace of its own"
        plan.binds = bound_folders()
        plan.grader_files = [os.path.join(GRADER_DIR, name) for name in GRADER_FILES]
        plan.devices = [path for path in list(DEVICES) + sorted(glob.glob("/dev/nvidia*")) if os.path.exists(path)]
    if not as_root:
        plan.own_user_namespace = refused is None
        layers["user"] = {"active": refused is None,
                          "reason": "a user namespace of its own" if refused is None else refused}
    else:
        entry, refused_user = _sandbox_account(sandbox_user)
        layers["user"] = {"active": entry is not None, "reason": refused_user or (
            "runs as %s (uid %d), no groups, no capabilities" % (sandbox_user, entry.pw_uid))}
        if entry is not None:
            plan.uid, plan.gid = entry.pw_uid, entry.pw_gid
            plan.nested_user_namespace = refused is None and _try_unshare(syscalls.CLONE_NEWUSER) is None
    if plan.own_user_namespace or plan.nested_user_namespace:
        layers["signals"]["reason"] += ", at most %d processes" % limits.PROCESS_LIMIT
    plan.layers = {layer: layers[layer] for layer in LAYERS}
    return plan


def _link_target_inside(path, folders):
    """The real path a link leads to when that lies inside one of folders, else None."""
    real = os.path.realpath(path)
    return real if any(_inside(real, os.path.realpath(folder)) for folder in folders) else None


def copy_submission(folder, target, allowed):
    """Copy folder into target (made here), readable by everyone; links are followed only into allowed.

    A link that leads anywhere else (another student's files, the answers) is left out.
    """
    os.makedirs(target)
    for entry in sorted(os.listdir(folder)):
        source, destination = os.path.join(folder, entry), os.path.join(target, entry)
        if os.path.islink(source):
            source = _link_target_inside(source, allowed)
            if source is None:
                continue
        if os.path.isdir(source):
            copy_submission(source, destination, allowed)
        elif os.path.isfile(source):
            shutil.copyfile(source, destination)
            os.chmod(destination, 0o644)
    os.chmod(target, 0o755)


# ==== child side ==============================================================================

def _map_ids(uid, gid):
    """In a fresh user namespace: map uid and gid to themselves, and nothing else."""
    for name, text in (("setgroups", "deny"), ("uid_map", "%d %d 1" % (uid, uid)), ("gid_map", "%d %d 1" % (gid, gid))):
        with open("/proc/self/" + name, "w") as stream:
            stream.write(text)


def _mirror(pid):
    """Wait for the namespace's pid 1 and end the same way (an exit code, or the same signal)."""
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _bind_here(root, path, readonly=True):
    """Bind path at the same place under root (a link is copied as a link)."""
    target = root + path
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.islink(path):
        os.symlink(os.readlink(path), target)
        return
    if os.path.isdir(path):
        os.makedirs(target, exist_ok=True)
    elif not os.path.exists(target):
        open(target, "a").close()
    syscalls.bind(path, target, readonly)


def _build_root(plan):
    """Mount the child's file system on plan.root and make it the root; the old one is detached."""
    root = plan.root
    syscalls.mount(None, "/", None, syscalls.MS_REC | syscalls.MS_PRIVATE)
    syscalls.mount("tmpfs", root, "tmpfs", syscalls.MS_NOSUID | syscalls.MS_NODEV, "mode=755")
    for path in ("/tmp", "/dev/shm"):  # first: what is bound below /tmp (data, the submission) goes on top
        os.makedirs(root + path)
        syscalls.mount("tmpfs", root + path, "tmpfs", syscalls.MS_NOSUID | syscalls.MS_NODEV, "mode=1777," + TMP_SIZE)
    for path in plan.binds:
        _bind_here(root, path)
    grader_dir = root + GRADER_DIR
    if os.path.isdir(grader_dir):  # the grader is installed inside a bound folder: cover it first
        syscalls.mount("tmpfs", grader_dir, "tmpfs", syscalls.MS_NOSUID | syscalls.MS_NODEV, "mode=755")
    for path in plan.grader_files:
        _bind_here(root, path)
    for path in plan.devices:
        _bind_here(root, path, readonly=False)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, os.path.join(root, "dev", name))
    os.makedirs(root + "/proc")
    syscalls.mount("proc", root + "/proc", "proc", syscalls.MS_NOSUID | syscalls.MS_NODEV | syscalls.MS_NOEXEC)
    for path in plan.folders:
        _bind_here(root, path)
    _bind_here(root, plan.workdir, readonly=False)
    os.mkdir(root + "/.old")
    syscalls.pivot_root(root, root + "/.old")
    os.chdir("/")
    syscalls.umount("/.old")
    os.rmdir("/.old")
    syscalls.mount(None, "/", None, syscalls.MS_REMOUNT | syscalls.MS_BIND | syscalls.MS_RDONLY
                   | syscalls.MS_NOSUID | syscalls.MS_NODEV)
    os.chdir(plan.workdir)
    os.environ["TMPDIR"] = "/tmp"  # the grader's may not exist here
    sys.path[:] = [entry for entry in sys.path if entry and os.path.exists(entry)]


def _become_unprivileged(plan):
    """Drop to the sandbox user (as root), give up every capability, and forbid regaining any."""
    if plan.uid is not None:
        os.setgroups([])
        os.setresgid(plan.gid, plan.gid, plan.gid)
        os.setresuid(plan.uid, plan.uid, plan.uid)
        limits.prctl(limits.PR_SET_DUMPABLE, 1)  # setresuid cleared it; /proc/self/uid_map needs it
        if plan.nested_user_namespace:
            syscalls.unshare(syscalls.CLONE_NEWUSER)
            _map_ids(plan.uid, plan.gid)
    syscalls.drop_capabilities()
    limits.prctl(limits.PR_SET_NO_NEW_PRIVS, 1)
    if plan.own_user_namespace or plan.nested_user_namespace:
        limits.limit_processes()


def enter(plan):
    """Put this (single-threaded) process into the plan's isolation; return in the isolated process.

    With namespaces, this forks: the caller's process stays outside, waits, and ends as the isolated
    one ends; the isolated one (pid 1 of its PID namespace, in a session of its own) returns.
    """
    if plan.namespaces:
        uid, gid = os.getuid(), os.getgid()
        flags = syscalls.CLONE_NEWNS | syscalls.CLONE_NEWNET | syscalls.CLONE_NEWPID
        syscalls.unshare(flags | (syscalls.CLONE_NEWUSER if plan.own_user_namespace else 0))
        if plan.own_user_namespace:
            _map_ids(uid, gid)
        pid = os.fork()
        if pid:
            _mirror(pid)
        limits.prctl(limits.PR_SET_PDEATHSIG, signal.SIGKILL)
        os.setsid()
        _build_root(plan)
    if plan.uid is not None or plan.namespaces:
        _become_unprivileged(plan)
