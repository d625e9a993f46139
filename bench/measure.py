"""Timing a bizops command the way a user runs it: a fresh process, median of several runs.

from measure import bizops_command, time_command
figures = time_command([*bizops_command(), "--db", db, "followups", "due"], runs=5)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = Path("/usr/bin/time")


def bizops_command() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "bizops"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("bizops")
    return [found] if found else [sys.executable, "-m", "bizops"]


@dataclass(frozen=True)
class Figures:
    runs: list[float]
    cpu: list[float]
    peak_mb: int
    output_bytes: int

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    def line(self, label: str, target_s: float | None = None, target_mb: int | None = None) -> str:
        verdicts = []
        if target_s is not None:
            verdicts.append(
                f"target < {target_s:g} s {'OK' if self.median < target_s else 'MISSED'}"
            )
        if target_mb is not None:
            verdicts.append(
                f"target < {target_mb} MB {'OK' if self.peak_mb < target_mb else 'MISSED'}"
            )
        return (
            f"{label}: median {self.median:.3f} s (CPU {self.median_cpu:.3f} s), "
            f"peak {self.peak_mb} MB, {self.output_bytes / 1e6:.1f} MB out"
            + (f"; {', '.join(verdicts)}" if verdicts else "")
        )


def _run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """(wall s, CPU s, peak RSS MB, bytes written). /usr/bin/time reports the child's own peak;
    a child forked straight from a large parent would report the parent's high-water mark."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        full = [str(TIME), "-f", "%M %U %S", "-o", report.name, *cmd] if TIME.exists() else cmd
        started = time.perf_counter()
        proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert proc.stdout is not None and proc.stderr is not None
        size = 0
        while chunk := proc.stdout.read(1 << 16):
            size += len(chunk)
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({code}): {err.decode(errors='replace')}")
        if TIME.exists():
            kb, user, system = report.read().split()[-3:]
            return elapsed, float(user) + float(system), int(kb) // 1024, size
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, size


def time_command(
    cmd: list[str] | Callable[[int], list[str]], *, runs: int = 5, warm: bool = True
) -> Figures:
    """``cmd``, or ``cmd(i)`` for run i (0 is the warm-up) when each run must differ (a write
    that may not repeat, such as adding a customer of the same name)."""
    env = {**os.environ, "NO_COLOR": "1"}
    for name in ("BIZOPS_CONFIG", "BIZOPS_USER", "BIZOPS_DB", "BIZOPS_TODAY"):
        env.pop(name, None)
    make = cmd if callable(cmd) else (lambda _i: cmd)
    if warm:
        _run_once(make(0), env)  # fill the page cache; not counted
    results = [_run_once(make(i + 1), env) for i in range(runs)]
    return Figures(
        runs=[r[0] for r in results],
        cpu=[r[1] for r in results],
        peak_mb=max(r[2] for r in results),
        output_bytes=results[-1][3],
    )
