"""Shared by the side-by-side scripts: run a process under GNU time."""
import subprocess, time


def timed(cmd):
    """Runs cmd under GNU time; returns (wall seconds, peak MiB, stdout)."""
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, check=True, capture_output=True, text=True)
    return time.perf_counter() - t, int(r.stderr.strip().splitlines()[-1]) / 1024, r.stdout
