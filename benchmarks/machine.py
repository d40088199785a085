"""Shared by every benchmark script: one line naming the machine a figure came from.

Why: figures from this project's machines (2-vCPU AMD EPYCs with and without
AVX-512, a 2-vCPU AVX-512 Xeon) differ by up to 5x in sgemm and 2x in disk writes;
a number printed without its CPU, core count, BLAS kernels and date cannot be
compared with another. This is a test tool, never used by synthctl itself.
"""
import datetime, os, subprocess, sys

# The kernel family OpenBLAS picks when it loads, asked in a fresh process so
# the benchmark's own process does not load a second BLAS (and its threads).
# The Prescott/Unknown rule mirrors synthctl's own (BLAS.betterKernelCore,
# SynthCtl.swift selectBLASKernels): synthctl re-executes itself with
# OPENBLAS_CORETYPE set in that case, so that is the kernel it runs.
_CORENAME = r"""
import ctypes, os
lib = ctypes.CDLL("libopenblas.so.0")
lib.openblas_get_corename.restype = ctypes.c_char_p
core = lib.openblas_get_corename().decode()
if core in ("Prescott", "Unknown") and "OPENBLAS_CORETYPE" not in os.environ:
    flags = set()
    for line in open("/proc/cpuinfo"):
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"} <= flags:
        core = "SkylakeX"
    elif {"avx2", "fma"} <= flags:
        core = "Haswell"
print(core)
"""

# numpy's own OpenBLAS (the wheel bundles one), which scikit-learn uses.
_NUMPY_CORE = r"""
import numpy, threadpoolctl
info = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
print(info[0].get("architecture", "?") if info else "none")
"""


def _run(code):
    try:
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return r.stdout.strip() or "?"


def cpu_model():
    """The first "model name" of /proc/cpuinfo (all cores are alike here)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def cpu_flags_summary():
    """The vector and hash extensions that decide kernels here: AVX-512, AVX2, SHA-NI."""
    flags = set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    break
    except OSError:
        return "?"
    vector = "AVX-512" if "avx512f" in flags else ("AVX2" if "avx2" in flags else "no AVX2")
    return vector + (", SHA-NI" if "sha_ni" in flags else ", no SHA-NI")


def machine_line():
    """One line: CPU model, core count, ISA, synthctl's and numpy's OpenBLAS kernels, UTC date."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"machine: {cpu_model()}, {os.cpu_count()} cores, {cpu_flags_summary()}; "
            f"OpenBLAS {_run(_CORENAME)} kernels (synthctl), numpy OpenBLAS {_run(_NUMPY_CORE)}; "
            f"{now}; load {os.getloadavg()[0]:.2f}")


def machine_tag():
    """The same facts in brackets, short enough to print beside each figure:
    CPU model, core count, the OpenBLAS kernels synthctl runs, UTC date.

    Why not the kernels of the library synthctl links, asked directly: on a
    CPU that OpenBLAS does not know it reports Prescott, while synthctl runs
    the kernels it asks for (see _CORENAME)."""
    day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    return f"[{cpu_model()}, {os.cpu_count()} cores, OpenBLAS {_run(_CORENAME)} kernels, {day}]"


if __name__ == "__main__":
    print(machine_line())
