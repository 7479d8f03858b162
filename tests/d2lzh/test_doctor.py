"""python -m d2lzh doctor: runs here, and each check turns broken setups into a problem with its fix."""
import io
import json
import os
import subprocess
import sys

import mxnet as mx
import numpy as np
import pytest

from d2lzh import __main__ as cli
from d2lzh import doctor

HEALTHY_MXNET = {"version": "1.9.1", "features": {"CUDA": False, "MKLDNN": True, "OPENMP": True}, "num_gpus": 0}


def make_facts(**changes):
    """Facts of a healthy Linux machine, with ``changes`` applied."""
    facts = doctor.Facts(
        python=(3, 11, 7), platform="linux", machine="x86_64",
        versions={"mxnet": "1.9.1", "numpy": "1.23.5", "matplotlib": "3.8.0", "gluoncv": "0.10.5"},
        mxnet=dict(HEALTHY_MXNET), cpu_flags={"sse4_2", "avx", "avx2", "f16c", "fma"}, environ={},
        data_roots=[])
    return facts._replace(**changes)


def by_name(findings, name):
    """The single finding called ``name``."""
    (found,) = [f for f in findings if f.name == name]
    return found


def test_healthy_facts_have_no_problem_or_warning():
    findings = doctor.run_checks(make_facts())
    assert {f.status for f in findings} == {doctor.OK}
    assert doctor.exit_code(findings) == 0


def test_doctor_command_runs_here_and_prints_versions():
    out = subprocess.run([sys.executable, "-m", "d2lzh", "doctor"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert mx.__version__ in out.stdout and np.__version__ in out.stdout
    assert "%d.%d" % sys.version_info[:2] in out.stdout
    assert "0 problem(s)" in out.stdout


def test_importing_the_doctor_does_not_import_mxnet():
    code = "import sys, d2lzh.doctor, d2lzh.__main__; print('mxnet' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_doctor_json_output(monkeypatch, capsys):
    monkeypatch.setattr(doctor, "gather", lambda: make_facts(versions={"numpy": "1.26.4", "matplotlib": "3.8"}))
    assert cli.main(["doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] >= 1
    mxnet = [f for f in report["findings"] if f["name"] == "mxnet"][0]
    assert mxnet["status"] == "problem" and mxnet["fix"] == "pip install mxnet==1.9.1"


def test_help_teaches_the_doctor(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    assert "doctor" in capsys.readouterr().out
    assert cli.main([]) == 2


def test_text_report_shows_fixes_and_exit_code():
    findings = doctor.run_checks(make_facts(versions={"mxnet": "1.9.1", "numpy": "2.0.1", "matplotlib": "3.8"}))
    text = doctor.render_text(findings)
    assert '[problem] numpy' in text
    assert 'fix: pip install "numpy<1.24"' in text
    assert doctor.exit_code(findings) == 1


def test_numpy_126_breaking_mxnet_is_a_problem_with_the_pin():
    facts = make_facts(versions={"mxnet": "1.9.1", "numpy": "1.26.4"},
                       mxnet={"error": "AttributeError: module 'numpy' has no attribute 'bool'"})
    numpy_finding = by_name(doctor.check_numpy(facts), "numpy")
    assert numpy_finding.status == doctor.PROBLEM
    assert numpy_finding.fix == 'pip install "numpy<1.24"'
    mxnet_finding = by_name(doctor.check_mxnet(facts), "mxnet")
    assert mxnet_finding.status == doctor.PROBLEM and "numpy<1.24" in mxnet_finding.fix


def test_numpy_126_with_a_working_mxnet_is_a_warning():
    finding = by_name(doctor.check_numpy(make_facts(versions={"numpy": "1.26.4"})), "numpy")
    assert finding.status == doctor.WARN


PY312_MXNET = dict(HEALTHY_MXNET, compat_hook=True, compat_restored=["bool", "int", "float", "complex", "object",
                                                                    "str"])


def test_healthy_python_312_with_numpy_126_has_no_problem_or_warning():
    facts = make_facts(python=(3, 12, 1), versions={"mxnet": "1.9.1", "numpy": "1.26.4", "matplotlib": "3.8"},
                       mxnet=dict(PY312_MXNET))
    findings = doctor.run_checks(facts)
    assert {f.status for f in findings} == {doctor.OK}
    layer = by_name(findings, "mxnet compat layer")
    assert layer.detail.startswith("active: numpy 1.26.4 lacks np.bool, np.int,")


def test_numpy_2_on_python_312_asks_for_numpy_126():
    facts = make_facts(python=(3, 12, 1), versions={"numpy": "2.1.0"}, mxnet=dict(PY312_MXNET))
    finding = by_name(doctor.check_numpy(facts), "numpy")
    assert finding.status == doctor.PROBLEM and finding.fix == 'pip install "numpy>=1.26,<2"'


def test_compat_layer_is_inactive_before_python_312():
    finding = by_name(doctor.check_mxnet_compat(make_facts()), "mxnet compat layer")
    assert finding.status == doctor.OK and finding.detail.startswith("inactive: not needed on Python 3.11")


def test_missing_compat_hook_on_python_312_is_a_problem_and_says_to_reinstall():
    error = "AttributeError: module 'numpy' has no attribute 'bool'."
    facts = make_facts(python=(3, 12, 1), versions={"mxnet": "1.9.1", "numpy": "1.26.4"},
                       mxnet={"error": error, "compat_hook": False, "compat_restored": []})
    layer = by_name(doctor.check_mxnet_compat(facts), "mxnet compat layer")
    assert layer.status == doctor.PROBLEM and "d2lzh_mxnet_compat.pth" in layer.detail
    assert "pip install -c constraints.txt -e ." in layer.fix
    mxnet_finding = by_name(doctor.check_mxnet(facts), "mxnet")
    assert mxnet_finding.status == doctor.PROBLEM and mxnet_finding.fix == layer.fix


def test_compat_hook_that_restored_nothing_says_so():
    facts = make_facts(python=(3, 12, 1), mxnet=dict(HEALTHY_MXNET, compat_hook=True, compat_restored=[]))
    finding = by_name(doctor.check_mxnet_compat(facts), "mxnet compat layer")
    assert finding.status == doctor.OK and "restored nothing" in finding.detail


def test_doctor_reports_the_compat_layer_of_this_python():
    report = doctor.probe_mxnet()
    assert report["compat_hook"] == (sys.version_info >= (3, 12))
    finding = by_name(doctor.check_mxnet_compat(make_facts(python=tuple(sys.version_info[:3]), mxnet=report,
                                                           versions={"numpy": np.__version__})),
                      "mxnet compat layer")
    assert finding.status == doctor.OK
    assert finding.detail.startswith("active" if sys.version_info >= (3, 12) else "inactive")


@pytest.mark.parametrize("version,status", [((3, 8, 0), "ok"), ((3, 11, 7), "ok"), ((3, 12, 1), "ok"),
                                            ((3, 13, 0), "problem"), ((3, 7, 9), "problem")])
def test_python_versions(version, status):
    finding = by_name(doctor.check_python(make_facts(python=version)), "Python")
    assert finding.status == status
    assert (finding.fix == "") == (status == "ok")


def test_missing_cuda_library_names_the_cuda_the_wheel_needs():
    error = "OSError: libcudart.so.11.0: cannot open shared object file: No such file or directory"
    facts = make_facts(versions={"mxnet-cu112": "1.9.1", "numpy": "1.23.5"}, mxnet={"error": error})
    finding = by_name(doctor.check_mxnet(facts), "mxnet")
    assert finding.status == doctor.PROBLEM
    assert "libcudart" in finding.detail
    assert "CUDA 11.2 and cuDNN 8" in finding.fix
    assert "pip uninstall mxnet-cu112" in finding.fix and "mxnet==1.9.1" in finding.fix


def test_cuda_10_wheel_needs_cudnn_7():
    facts = make_facts(versions={"mxnet-cu101": "1.9.1"}, mxnet={"error": "OSError: libcudnn.so.7: cannot open"})
    assert "CUDA 10.1 and cuDNN 7" in by_name(doctor.check_mxnet(facts), "mxnet").fix


def test_missing_system_library_names_the_package():
    facts = make_facts(mxnet={"error": "OSError: libquadmath.so.0: cannot open shared object file"})
    assert "apt-get install libquadmath0" in by_name(doctor.check_mxnet(facts), "mxnet").fix


def test_missing_distutils_needs_setuptools():
    facts = make_facts(mxnet={"error": "ModuleNotFoundError: No module named 'distutils'"})
    assert by_name(doctor.check_mxnet(facts), "mxnet").fix == "pip install setuptools"


def test_illegal_instruction_names_the_missing_cpu_flags():
    facts = make_facts(cpu_flags={"sse4_2"}, mxnet={"error": "import mxnet was killed by SIGILL", "signal": "SIGILL"})
    finding = by_name(doctor.check_mxnet(facts), "mxnet")
    assert finding.status == doctor.PROBLEM
    assert "lacks avx, avx2, f16c" in finding.fix


@pytest.mark.parametrize("platform,machine,fix", [("linux", "x86_64", "pip install mxnet==1.9.1"),
                                                  ("win32", "AMD64", "WSL2"), ("darwin", "arm64", "WSL2")])
def test_mxnet_not_installed(platform, machine, fix):
    facts = make_facts(platform=platform, machine=machine, versions={"numpy": "1.23.5"},
                       mxnet={"error": "ModuleNotFoundError: No module named 'mxnet'"})
    finding = by_name(doctor.check_mxnet(facts), "mxnet")
    assert finding.status == doctor.PROBLEM and fix in finding.fix


def test_two_mxnet_wheels_warn():
    findings = doctor.check_mxnet(make_facts(versions={"mxnet": "1.9.1", "mxnet-cu112": "1.9.1"}))
    assert by_name(findings, "mxnet wheels").status == doctor.WARN


def test_build_features_and_gpu_count_are_reported():
    facts = make_facts(mxnet={"version": "1.9.1", "features": {"CUDA": True, "CUDNN": True, "MKLDNN": False},
                              "num_gpus": 2})
    finding = by_name(doctor.check_mxnet(facts), "mxnet build")
    assert finding.status == doctor.OK
    assert "CUDA, CUDNN" in finding.detail and "MKLDNN" not in finding.detail and "GPUs seen: 2" in finding.detail


def test_cuda_build_without_a_visible_gpu_warns():
    facts = make_facts(mxnet={"version": "1.9.1", "features": {"CUDA": True}, "num_gpus": 0})
    finding = by_name(doctor.check_mxnet(facts), "mxnet build")
    assert finding.status == doctor.WARN and "nvidia-smi" in finding.fix


def test_cpu_flags():
    assert by_name(doctor.check_cpu(make_facts(cpu_flags=None)), "CPU flags").status == doctor.OK
    finding = by_name(doctor.check_cpu(make_facts(cpu_flags={"sse4_2", "fma"})), "CPU flags")
    assert finding.status == doctor.WARN and "lacks avx, avx2, f16c" in finding.detail
    arm = by_name(doctor.check_cpu(make_facts(machine="aarch64", cpu_flags={"fp", "asimd"})), "CPU flags")
    assert arm.status == doctor.OK and "not an x86 CPU" in arm.detail


def test_read_cpu_flags(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse4_2 avx\n\nprocessor\t: 1\nflags\t\t: fpu sse4_2 avx\n")
    assert doctor.read_cpu_flags(str(cpuinfo)) == {"fpu", "sse4_2", "avx"}
    assert doctor.read_cpu_flags(str(tmp_path / "absent")) is None


def test_naive_engine_with_omp_threads_warns():
    facts = make_facts(environ={"MXNET_ENGINE_TYPE": "NaiveEngine", "OMP_NUM_THREADS": "2"})
    (finding,) = doctor.check_environment(facts)
    assert finding.status == doctor.WARN
    assert "OMP_NUM_THREADS=2" in finding.detail and "unset MXNET_ENGINE_TYPE" in finding.fix
    assert doctor.check_environment(make_facts(environ={"MXNET_ENGINE_TYPE": "ThreadedEnginePerDevice"}))[0].status \
        == doctor.OK


def test_ipython_without_matplotlib_inline_warns():
    facts = make_facts(versions={"matplotlib": "3.8.0", "ipython": "9.1.0"})
    finding = by_name(doctor.check_plotting(facts), "Jupyter")
    assert finding.status == doctor.WARN and finding.fix == "pip install matplotlib-inline"
    facts = make_facts(versions={"ipython": "9.1.0", "matplotlib-inline": "0.1.7"})
    findings = doctor.check_plotting(facts)
    assert by_name(findings, "Jupyter").status == doctor.OK
    assert by_name(findings, "matplotlib").status == doctor.PROBLEM


def test_data_sets_found_in_folders_and_subfolders(tmp_path):
    root = tmp_path / "data"
    fashion = root / "fashion-mnist"
    fashion.mkdir(parents=True)
    for name in doctor.DATA_SETS["Fashion-MNIST"]:
        (fashion / name).write_bytes(b"")
    (root / "airfoil_self_noise.dat").write_text("1\t2\n")
    (root / "voc" / "VOCdevkit" / "VOC2012").mkdir(parents=True)
    (root / "aclImdb.tar.gz").write_bytes(b"")  # the archive alone is not the data set
    facts = make_facts(data_roots=[("here", str(root)), ("gone", str(tmp_path / "missing"))])
    here, gone = doctor.check_data(facts)
    assert "Fashion-MNIST in %s" % fashion in here.detail
    assert "Airfoil in %s" % root in here.detail
    assert "VOC2012 in %s" % (root / "voc") in here.detail
    assert "IMDB" not in here.detail and "Pikachu" not in here.detail
    assert "does not exist" in gone.detail


def test_data_roots_follow_the_environment(tmp_path):
    roots = dict(doctor.data_roots({"D2LZH_DATA": str(tmp_path)}))
    assert roots["$D2LZH_DATA"] == str(tmp_path)
    assert roots["MXNet cache"] == os.path.join(os.environ["MXNET_HOME"], "datasets")  # set by conftest
    assert roots["book ../data"] == os.path.abspath(os.path.join("..", "data"))
    assert "$D2LZH_DATA" not in dict(doctor.data_roots({}))


def test_installed_versions_match_the_imported_packages():
    versions = doctor.installed_versions()
    assert versions["numpy"] == np.__version__
    assert versions["mxnet"] == mx.__version__


def test_probe_reports_a_crash_by_signal(monkeypatch):
    crashed = subprocess.CompletedProcess([], returncode=-4, stdout="", stderr="")
    monkeypatch.setattr(doctor.subprocess, "run", lambda *a, **k: crashed)
    assert doctor.probe_mxnet() == {"error": "import mxnet was killed by SIGILL", "signal": "SIGILL"}


def test_probe_reports_an_import_error(monkeypatch):
    failed = subprocess.CompletedProcess([], returncode=1, stdout="", stderr="Traceback\nOSError: libgomp.so.1: x\n")
    monkeypatch.setattr(doctor.subprocess, "run", lambda *a, **k: failed)
    assert doctor.probe_mxnet() == {"error": "OSError: libgomp.so.1: x"}


def test_main_prints_the_report_to_a_stream(monkeypatch):
    monkeypatch.setattr(doctor, "gather", lambda: make_facts(environ={"MXNET_ENGINE_TYPE": "NaiveEngine"}))
    out = io.StringIO()
    assert doctor.main(out=out) == 0
    assert "[warn]    environment" in out.getvalue()
