"""Shared by the side-by-side scripts: run a process under GNU time."""
import subprocess, time


def timed(cmd):
    """Runs cmd under GNU time; returns (wall seconds, peak MiB, stdout)."""
    wall, peak, out, _ = timed_with_stderr(cmd)
    return wall, peak, out


def timed_with_stderr(cmd):
    """As timed, and the command's own standard error (GNU time's line removed)."""
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, check=True, capture_output=True, text=True)
    lines = r.stderr.strip().splitlines()
    return time.perf_counter() - t, int(lines[-1]) / 1024, r.stdout, "\n".join(lines[:-1])
