"""Time `bizops report daily --all --format json` on a large database.

    python bench/report_daily.py [N] [--db PATH] [--runs 5] [--regenerate]

Builds (or reuses) the deterministic data set of bench/generate.py (N customers, default
100,000; sqlite3 executemany, the schema from bizops' own migrations), then runs the real
command in a subprocess RUNS times and prints the median and the slowest wall time, the
peak memory of the child processes, the size of the JSON and how many items it holds.
Target: under 3 s at 100,000 customers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from generate import generate  # noqa: E402

TODAY = "2026-11-27"


def bizops_command() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "bizops"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "bizops"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    path = args.db or ROOT / "bench" / "out" / f"report-daily-{args.n}.db"
    if args.regenerate or not path.exists():
        started = time.perf_counter()
        counts = generate(path, args.n, today=date.fromisoformat(TODAY))
        print(f"generated {path} in {time.perf_counter() - started:.1f} s: {counts}")

    command = [
        *bizops_command(),
        "--db",
        str(path),
        "--as",
        "root",
        "--today",
        TODAY,
        "report",
        "daily",
        "--all",
        "--format",
        "json",
    ]
    env = dict(os.environ, NO_COLOR="1")
    env.pop("BIZOPS_CONFIG", None)
    times: list[float] = []
    cpu: list[float] = []
    output = b""
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode != 0:
            sys.exit(f"bizops failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
        output = done.stdout
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    reports = json.loads(output)
    items = sum(r["items"] for r in reports)
    per_section: dict[str, int] = {}
    for r in reports:
        for key, count in r["counts"].items():
            per_section[key] = per_section.get(key, 0) + count
    print(f"report daily --all --format json on {args.n:,} customers ({len(reports)} users)")
    print(
        f"  wall time: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
        f"over {args.runs} runs ({', '.join(f'{t:.2f}' for t in times)})"
    )
    print(
        f"  CPU time (user+sys): median {statistics.median(cpu):.2f} s "
        f"(wall time above includes waiting for a busy machine; load {os.getloadavg()[0]:.1f})"
    )
    print(f"  peak memory (largest child RSS): {peak_kib / 1024:.0f} MiB")
    print(
        f"  output: {len(output) / 1e6:.1f} MB of JSON, {items:,} items: "
        + ", ".join(f"{k} {v:,}" for k, v in per_section.items())
    )


if __name__ == "__main__":
    main()
