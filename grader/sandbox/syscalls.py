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
# statvfs flags -> the mount flags a read-only remount must keep (the kernel refuses to drop locked ones)
KEPT_FLAGS = ((os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV), (os.ST_NOEXEC, MS_NOEXEC),
              (1024, 1024), (2048, 2048), (4096, 1 << 21)) if hasattr(os, "ST_NOSUID") else ()

_LIBC = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
_LIBC.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]


def _check(result, what):
    """Raise OSError(errno, what) when a libc call returned -1."""
    if result == -1:
        number = ctypes.get_errno()
        raise OSError(number, "%s: %s" % (what, os.strerror(number)))
    return result


def _path(path):
    """A path as the bytes libc takes (None stays None)."""
    return None if path is None else os.fsencode(path)


def unshare(flags):
    """Move this process into new namespaces (its children, for CLONE_NEWPID)."""
    _check(_LIBC.unshare(flags), "unshare(%#x)" % flags)


def mount(source, target, fstype=None, flags=0, data=None):
    """mount(2)."""
    _check(_LIBC.mount(_path(source), _path(target), _path(fstype), flags, _path(data)),
           "mount %s on %s" % (source, target))


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
    _check(_LIBC.umount2(_path(target), MNT_DETACH), "umount %s" % target)


def pivot_root(new_root, put_old):
    """Make new_root this mount namespace's root; the old root goes to put_old."""
    number = PIVOT_ROOT_NUMBERS.get(platform.machine())
    if number is None:
        raise OSError(38, "pivot_root: no system call number known for %s" % platform.machine())
    _check(_LIBC.syscall(number, _path(new_root), _path(put_old)), "pivot_root")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities():
    """Clear every capability of this process (in its user namespace): effective, permitted, inheritable."""
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3: two 32-bit data words
    data = (_CapData * 2)()
    _check(_LIBC.capset(ctypes.byref(header), data), "capset")
