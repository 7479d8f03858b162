"""The Linux system calls isolation needs that the os module lacks, through ctypes: namespaces, mounts,
pivot_root and capabilities. Each raises OSError with the call's errno when it fails."""
import ctypes
import ctypes.util
import os
import platform

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 8, 32, 4096, 16384, 1 << 18)
MNT_DETACH = 2
PIVOT_ROOT_NUMBERS = {"x86_64": 155, "aarch64": 41, "ppc64le": 203, "s390x": 217, "riscv64": 41}
MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
ST_NOSUID, ST_NODEV, ST_NOEXEC, ST_NOATIME, ST_NODIRATIME, ST_RELATIME = 2, 4, 8, 1024, 2048, 4096
# statvfs flags -> the mount flags a read-only remount must keep (the kernel refuses to drop locked ones)
KEPT_FLAGS = ((ST_NOSUID, MS_NOSUID), (ST_NODEV, MS_NODEV), (ST_NOEXEC, MS_NOEXEC), (ST_NOATIME, MS_NOATIME),
              (ST_NODIRATIME, MS_NODIRATIME), (ST_RELATIME, MS_RELATIME))


def _load_libc():
    """The C library with the Linux calls, or None elsewhere (every call then fails with ENOSYS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.unshare  # noqa: B018  (only Linux has it)
    except (OSError, AttributeError, TypeError):
        return None
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    return libc


_LIBC = _load_libc()


def _call(name, *args):
    """libc's name(*args), raising OSError(errno) when it returns -1 (ENOSYS where there is no such call)."""
    if _LIBC is None:
        raise OSError(38, "%s: not available on this system" % name)
    result = getattr(_LIBC, name)(*args)
    if result == -1:
        number = ctypes.get_errno()
        raise OSError(number, "%s: %s" % (name, os.strerror(number)))
    return result


def _path(path):
    """A path as the bytes libc takes (None stays None)."""
    return None if path is None else os.fsencode(path)


def unshare(flags):
    """Move this process into new namespaces (its children, for CLONE_NEWPID)."""
    _call("unshare", flags)


def mount(source, target, fstype=None, flags=0, data=None):
    """mount(2)."""
    try:
        _call("mount", _path(source), _path(target), _path(fstype), flags, _path(data))
    except OSError as exc:
        raise OSError(exc.errno, "mount %s on %s: %s" % (source, target, os.strerror(exc.errno)))


def bind(source, target, readonly=True):
    """Bind source (a file or folder, with the mounts below it) onto target, read-only unless asked otherwise.

    Only source's own mount becomes read-only; those below it keep their flags (such as /sys/fs/cgroup).
    """
    mount(source, target, None, MS_BIND | MS_REC)
    if readonly:
        kept = 0
        flags = os.statvfs(target).f_flag
        for stat_flag, mount_flag in KEPT_FLAGS:
            kept |= mount_flag if flags & stat_flag else 0
        mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | kept)


def umount(target):
    """Detach target and everything under it."""
    _call("umount2", _path(target), MNT_DETACH)


def pivot_root(new_root, put_old):
    """Make new_root this mount namespace's root; the old root goes to put_old."""
    number = PIVOT_ROOT_NUMBERS.get(platform.machine())
    if number is None:
        raise OSError(38, "pivot_root: no system call number known for %s" % platform.machine())
    _call("syscall", number, _path(new_root), _path(put_old))


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities():
    """Clear every capability of this process (in its user namespace): effective, permitted, inheritable."""
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3: two 32-bit data words
    data = (_CapData * 2)()
    _call("capset", ctypes.byref(header), data)
