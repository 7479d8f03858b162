"""``python -m d2lzh doctor``: check the Python / mxnet / numpy stack and the data folders, and say how to fix them.

First ``gather()`` collects facts without importing mxnet here (a child process tries it, so a crash such
as ``Illegal instruction`` or a missing CUDA library becomes a finding instead of killing the doctor).
Then every function of ``CHECKS`` turns the facts into findings, and ``render_text`` / ``render_json``
print them. Tests build ``Facts`` by hand to exercise one check at a time.
"""
import collections
import json
import os
import platform
import re
import signal
import subprocess
import sys

from . import __version__
from .data import store

OK, WARN, PROBLEM = "ok", "warn", "problem"

Finding = collections.namedtuple("Finding", "name status detail fix")
Finding.__doc__ = """One result: what was checked, ok/warn/problem, what was seen, and how to fix it ('' if nothing to do)."""

Facts = collections.namedtuple(
    "Facts", "python platform machine versions mxnet cpu_flags environ data_roots")
Facts.__doc__ = """Everything the checks look at.

python: version tuple; platform, machine: ``sys.platform``, ``platform.machine()``; versions: installed
distribution name (lower case) -> version; mxnet: the child's report (``error``, ``signal``, ``version``,
``features`` {name: enabled}, ``num_gpus``, and ``compat_hook`` / ``compat_restored``: whether the start-up
hook of ``_d2lzh_mxnet_compat`` was in place, and the numpy aliases it restored); cpu_flags: set of
/proc/cpuinfo flags or None; environ: environment mapping; data_roots: [(label, folder)] searched for data sets.
"""

REPORTED_DISTS = ("numpy", "matplotlib", "gluoncv", "ipython", "matplotlib-inline", "setuptools")
SUPPORTED_PYTHON = ((3, 8), (3, 12))
# From this Python on no numpy has the aliases mxnet 1.9.1 uses (np.bool, ...): the compat layer gives them back.
# (Not read from _d2lzh_mxnet_compat, so that the doctor still runs where that module is missing.)
COMPAT_PYTHON = (3, 12)
CPU_FLAGS = ("sse4_2", "avx", "avx2", "f16c", "fma")
X86_MACHINES = ("x86_64", "amd64", "i686", "i386")

# Data set -> paths (relative to a data folder or one of its sub-folders) that show it is there.
DATA_SETS = collections.OrderedDict([
    ("Fashion-MNIST", ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                       "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")),
    ("Jay Chou lyrics", ("jaychou_lyrics.txt.zip",)),
    ("Time machine", ("timemachine.txt",)),
    ("Airfoil", ("airfoil_self_noise.dat",)),
    ("Pikachu", ("pikachu/train.rec", "pikachu/train.idx", "pikachu/val.rec")),
    ("VOC2012", ("VOCdevkit/VOC2012",)),
    ("IMDB (aclImdb)", ("aclImdb",)),
])

NATIVE_LIB_PACKAGES = {
    "libquadmath": "libquadmath0", "libgomp": "libgomp1", "libgfortran": "libgfortran5",
    "libopenblas": "libopenblas0", "libcblas": "libatlas3-base",
}
CUDA_LIBS = ("libcudart", "libcudnn", "libnvrtc", "libcublas", "libcurand", "libcufft", "libcusolver",
             "libnccl", "libcuda.so")

_PROBE = """
import json, sys
compat = sys.modules.get("_d2lzh_mxnet_compat")  # imported at start-up by d2lzh_mxnet_compat.pth
sys.path.insert(0, sys.argv[1])
report = {"compat_hook": bool(compat and compat.hook_installed())}
try:
    import mxnet as mx
except BaseException as err:
    report["error"] = "%s: %s" % (type(err).__name__, err)
else:
    report["version"] = mx.__version__
    report["features"] = {name: f.enabled for name, f in mx.runtime.Features().items()}
    from d2lzh.devices import num_gpus
    report["num_gpus"] = num_gpus()
report["compat_restored"] = list(compat.restored) if compat else []
print(json.dumps(report))
"""


# ---------------------------------------------------------------- gathering facts

def installed_versions():
    """Versions of the distributions the doctor reports, plus every ``mxnet*`` one (never imports them)."""
    from importlib import metadata

    versions = {}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower()
        if name in REPORTED_DISTS or name == "mxnet" or name.startswith("mxnet-"):
            versions[name] = dist.version
    return versions


def probe_mxnet(timeout=180):
    """Import mxnet in a child process and report its version, build features and GPU count, or the failure."""
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        child = subprocess.run([sys.executable, "-c", _PROBE, package_parent], capture_output=True,
                               text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": "import mxnet did not finish within %d s" % timeout}
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        return {"error": "import mxnet was killed by %s" % name, "signal": name}
    try:
        return json.loads(child.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": (child.stderr.strip() or "no output").splitlines()[-1]}


def read_cpu_flags(path="/proc/cpuinfo"):
    """The CPU feature flags listed in /proc/cpuinfo, or None where that file does not exist (macOS, Windows)."""
    try:
        with open(path) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("flags", "Features"):
                    return set(value.split())
    except OSError:
        return None
    return set()


def data_roots(environ=None):
    """The folders data sets are looked for in: $D2LZH_DATA, MXNet's dataset cache, the book's ../data."""
    environ = os.environ if environ is None else environ
    roots = []
    if environ.get(store.DATA_ENV):
        roots.append(("$" + store.DATA_ENV, store.expand(environ[store.DATA_ENV])))
    roots.append(("MXNet cache", store.mxnet_cache_dir("")))
    roots.append(("book ../data", store.legacy_dir()))
    return roots


def gather():
    """Collect the facts about this machine and environment."""
    return Facts(python=tuple(sys.version_info[:3]), platform=sys.platform, machine=platform.machine(),
                 versions=installed_versions(), mxnet=probe_mxnet(), cpu_flags=read_cpu_flags(),
                 environ=dict(os.environ), data_roots=data_roots())


# ---------------------------------------------------------------- checks

def _version_tuple(text):
    """(major, minor) of a version string such as '1.23.5' or '2.0.0rc1'."""
    numbers = re.findall(r"\d+", text or "")
    return tuple(int(n) for n in (numbers + ["0", "0"])[:2])


def _mxnet_names(versions):
    """Names of the installed mxnet distributions (mxnet, mxnet-cu112, ...)."""
    return sorted(name for name in versions if name.startswith("mxnet"))


def check_python(facts):
    """Python 3.8-3.12 is supported (the package refuses to install elsewhere): mxnet 1.9.1 needs numpy<2."""
    version = facts.python[:2]
    detail = "%s (%s %s)" % (".".join(map(str, facts.python)), facts.platform, facts.machine)
    if SUPPORTED_PYTHON[0] <= version <= SUPPORTED_PYTHON[1]:
        return [Finding("Python", OK, detail, "")]
    return [Finding("Python", PROBLEM, detail + ": d2lzh-grader with mxnet 1.9.1 supports Python 3.8-3.12",
                    "create an environment with Python 3.12, e.g. `conda create -n d2l python=3.12`")]


def check_numpy(facts):
    """numpy < 2 for mxnet 1.9.1; before Python 3.12 also < 1.24 (np.bool was removed), from 3.12 on any 1.x."""
    version = facts.versions.get("numpy")
    new_python = facts.python[:2] >= COMPAT_PYTHON
    fix = 'pip install "numpy>=1.26,<2"' if new_python else 'pip install "numpy<1.24"'
    if version is None:
        return [Finding("numpy", PROBLEM, "not installed", fix)]
    if _version_tuple(version) >= (2, 0):
        return [Finding("numpy", PROBLEM, "%s: mxnet 1.9.1 needs numpy<2" % version, fix)]
    if new_python:
        return [Finding("numpy", OK, "%s (the mxnet compat layer gives back the aliases mxnet uses)" % version, "")]
    if _version_tuple(version) < (1, 24):
        return [Finding("numpy", OK, version, "")]
    status = PROBLEM if "error" in facts.mxnet else WARN
    return [Finding("numpy", status, "%s: mxnet 1.9.1 is tested with numpy<1.24 (it uses np.bool)" % version, fix)]


def check_mxnet_compat(facts):
    """Whether ``_d2lzh_mxnet_compat`` gives mxnet the numpy aliases it uses (needed from Python 3.12 on), and why."""
    name = "mxnet compat layer"
    if facts.python[:2] < COMPAT_PYTHON:
        return [Finding(name, OK, "inactive: not needed on Python %d.%d, whose numpy (<1.24) still has np.bool, ..."
                        % facts.python[:2], "")]
    if not facts.mxnet.get("compat_hook"):
        return [Finding(name, PROBLEM, "inactive: its start-up hook (d2lzh_mxnet_compat.pth) did not run, so"
                        " import mxnet fails on numpy 1.24+",
                        "reinstall this package: pip install -c constraints.txt -e . (and restart Python;"
                        " in Colab, restart the session)")]
    restored = facts.mxnet.get("compat_restored") or []
    numpy = facts.versions.get("numpy", "not installed")
    if restored:
        return [Finding(name, OK, "active: numpy %s lacks %s; restored before mxnet was imported"
                        % (numpy, ", ".join("np." + alias for alias in restored)), "")]
    return [Finding(name, OK, "installed, restored nothing: numpy %s lacks none of the aliases mxnet uses"
                    % numpy, "")]


def _cuda_needs(versions):
    """'CUDA X.Y and cuDNN N' for the installed mxnet-cuXYZ wheel, or None for a CPU wheel."""
    for name in versions:
        match = re.match(r"mxnet-cu(\d+)(\d)", name)
        if match:
            major = int(match.group(1))
            return "CUDA %d.%s and cuDNN %d" % (major, match.group(2), 8 if major >= 11 else 7)
    return None


def _import_failure_fix(error, facts):
    """The fix for a failed ``import mxnet``, read from its error text."""
    if "signal" in facts.mxnet:
        missing = [f for f in ("avx", "avx2", "f16c") if facts.cpu_flags is not None and f not in facts.cpu_flags]
        lacks = " (this CPU lacks %s)" % ", ".join(missing) if missing else ""
        return ("the mxnet wheel uses CPU instructions this machine does not have%s: run on a newer CPU or"
                " in Colab/another machine, or build mxnet from source for this CPU" % lacks)
    if "has no attribute 'bool'" in error:  # numpy 1.24+, and the compat layer did not run or is not needed
        fix = check_numpy(facts)[0].fix or check_mxnet_compat(facts)[0].fix
        if fix:
            return fix
    if "distutils" in error:
        return "pip install setuptools"
    if any(lib in error for lib in CUDA_LIBS):
        needs = _cuda_needs(facts.versions) or "the CUDA version in its name"
        return ("this GPU wheel needs %s on the library path (LD_LIBRARY_PATH); install them, or use the"
                " CPU wheel: pip uninstall %s && pip install mxnet==1.9.1"
                % (needs, " ".join(_mxnet_names(facts.versions))))
    for lib, package in sorted(NATIVE_LIB_PACKAGES.items()):
        if lib in error:
            return "install the system library: sudo apt-get install %s (or your distribution's %s)" % (package, lib)
    return "reinstall it in this environment: pip install --force-reinstall mxnet==1.9.1"


def check_mxnet(facts):
    """mxnet is installed and imports; report its build features and how many GPUs it sees."""
    dists = ["%s==%s" % (name, facts.versions[name]) for name in _mxnet_names(facts.versions)]
    if not dists:
        fix = "pip install mxnet==1.9.1"
        if facts.platform.startswith("win") or facts.machine.lower() in ("arm64", "aarch64"):
            fix = ("mxnet 1.9.1 has no wheels for %s %s: use WSL2, Docker, Colab or a Linux x86_64 machine"
                   % (facts.platform, facts.machine))
        return [Finding("mxnet", PROBLEM, "not installed", fix)]
    if "error" in facts.mxnet:
        error = facts.mxnet["error"]
        return [Finding("mxnet", PROBLEM, "%s installed, but import mxnet fails: %s" % (", ".join(dists), error),
                        _import_failure_fix(error, facts))]
    findings = [Finding("mxnet", OK, "%s (%s)" % (facts.mxnet.get("version"), ", ".join(dists)), "")]
    if len(dists) > 1:
        findings.append(Finding("mxnet wheels", WARN, "several mxnet wheels share one mxnet/ folder: "
                                + ", ".join(dists), "pip uninstall them all, then install one"))
    return findings + _check_build(facts)


def _check_build(facts):
    """The wheel's build features (CUDA, CUDNN, MKLDNN, ...) and whether a GPU build finds a GPU."""
    features = facts.mxnet.get("features", {})
    enabled = [name for name, on in sorted(features.items()) if on]
    gpus = facts.mxnet.get("num_gpus", 0)
    detail = "features: %s; GPUs seen: %d" % (", ".join(enabled) or "none", gpus)
    if features.get("CUDA") and gpus == 0:
        return [Finding("mxnet build", WARN, detail + " (a CUDA build, but no GPU is visible)",
                        "check the NVIDIA driver with nvidia-smi; until then d2l.try_gpu() uses the CPU")]
    return [Finding("mxnet build", OK, detail, "")]


def check_cpu(facts):
    """The CPU flags prebuilt wheels rely on (pain point: 'Illegal instruction' on old CPUs)."""
    if facts.cpu_flags is None:
        return [Finding("CPU flags", OK, "unknown on this system (no /proc/cpuinfo)", "")]
    if facts.machine.lower() not in X86_MACHINES:
        return [Finding("CPU flags", OK, "not an x86 CPU (%s)" % facts.machine, "")]
    present = [f for f in CPU_FLAGS if f in facts.cpu_flags]
    missing = [f for f in CPU_FLAGS if f not in facts.cpu_flags]
    detail = "has %s" % (", ".join(present) or "none of %s" % ", ".join(CPU_FLAGS))
    if not missing:
        return [Finding("CPU flags", OK, detail, "")]
    detail += "; lacks %s" % ", ".join(missing)
    return [Finding("CPU flags", WARN, detail,
                    "if import mxnet dies with 'Illegal instruction', use a newer CPU (or Colab) or build"
                    " mxnet from source")]


def check_plotting(facts):
    """matplotlib is needed to plot; in Jupyter, matplotlib-inline gives SVG figures."""
    findings = []
    mpl = facts.versions.get("matplotlib")
    if mpl is None:
        findings.append(Finding("matplotlib", PROBLEM, "not installed", "pip install matplotlib"))
    else:
        findings.append(Finding("matplotlib", OK, mpl, ""))
    ipython, inline = facts.versions.get("ipython"), facts.versions.get("matplotlib-inline")
    if ipython is None:
        findings.append(Finding("Jupyter", OK, "IPython not installed: plots work headless"
                                " (pip install jupyter for notebooks)", ""))
    elif inline is None:
        findings.append(Finding("Jupyter", WARN, "IPython %s without matplotlib-inline: d2l.use_svg_display()"
                                " cannot switch notebooks to SVG" % ipython, "pip install matplotlib-inline"))
    else:
        findings.append(Finding("Jupyter", OK, "IPython %s, matplotlib-inline %s" % (ipython, inline), ""))
    return findings


def check_optional(facts):
    """Versions of the optional packages (gluoncv) and of d2lzh itself."""
    gluoncv = facts.versions.get("gluoncv")
    detail = "d2lzh %s; gluoncv %s" % (__version__, gluoncv or "not installed (optional)")
    return [Finding("packages", OK, detail, "")]


def check_environment(facts):
    """Environment settings that make training slow or block downloads."""
    env = facts.environ
    findings = []
    if env.get("MXNET_ENGINE_TYPE") == "NaiveEngine":
        threads = env.get("OMP_NUM_THREADS")
        detail = "MXNET_ENGINE_TYPE=NaiveEngine runs every operator synchronously"
        if threads:
            detail += "; with OMP_NUM_THREADS=%s it ran over 100x slower on a busy machine" % threads
        findings.append(Finding("environment", WARN, detail,
                                "unset MXNET_ENGINE_TYPE (and OMP_NUM_THREADS) unless you are debugging"))
    if env.get(store.OFFLINE_ENV, "") not in ("", "0"):
        findings.append(Finding("environment", OK, "%s is set: loaders never download" % store.OFFLINE_ENV, ""))
    return findings or [Finding("environment", OK, "no settings that slow mxnet down", "")]


def _found_in(root, paths):
    """The folder (``root`` or one of its sub-folders) holding every one of ``paths``, or None."""
    try:
        subdirs = sorted(e.path for e in os.scandir(root) if e.is_dir())
    except OSError:
        return None
    for base in [root] + subdirs:
        if all(os.path.exists(os.path.join(base, p)) for p in paths):
            return base
    return None


def check_data(facts):
    """Which of the book's data sets are already on disk, and where (missing ones download on first use)."""
    findings = []
    for label, root in facts.data_roots:
        if not os.path.isdir(root):
            findings.append(Finding("data: " + label, OK, "%s (does not exist)" % root, ""))
            continue
        found = [(name, _found_in(root, paths)) for name, paths in DATA_SETS.items()]
        present = ["%s in %s" % (name, where) for name, where in found if where]
        detail = "%s: %s" % (root, "; ".join(present) if present else "no data sets")
        findings.append(Finding("data: " + label, OK, detail, ""))
    return findings


CHECKS = (check_python, check_numpy, check_mxnet, check_mxnet_compat, check_cpu, check_plotting,
          check_optional, check_environment, check_data)


# ---------------------------------------------------------------- running and rendering

def run_checks(facts=None, checks=CHECKS):
    """All findings for ``facts`` (gathered from this machine when None)."""
    facts = gather() if facts is None else facts
    return [finding for check in checks for finding in check(facts)]


def exit_code(findings):
    """1 when any finding is a problem, else 0."""
    return int(any(f.status == PROBLEM for f in findings))


def render_text(findings):
    """A human-readable report: one line per finding, its fix below it, and a summary."""
    lines = ["d2lzh doctor"]
    for f in findings:
        lines.append("  %-9s %-22s %s" % ("[%s]" % f.status, f.name, f.detail))
        if f.fix:
            lines.append("  %-9s %-22s fix: %s" % ("", "", f.fix))
    problems = sum(f.status == PROBLEM for f in findings)
    warnings = sum(f.status == WARN for f in findings)
    lines.append("%d problem(s), %d warning(s)." % (problems, warnings))
    return "\n".join(lines)


def render_json(findings):
    """The findings as JSON: {"findings": [{name, status, detail, fix}, ...], "problems": n}."""
    return json.dumps({"findings": [f._asdict() for f in findings],
                       "problems": sum(f.status == PROBLEM for f in findings)}, indent=2)


def main(as_json=False, out=None):
    """Run every check, print the report, and return the exit code (0: no problem, 1: problems)."""
    findings = run_checks()
    print(render_json(findings) if as_json else render_text(findings), file=out or sys.stdout)
    return exit_code(findings)
