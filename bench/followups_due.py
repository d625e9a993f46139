"""How fast is the morning due list at scale? `bizops followups due --owner all --format json`.

    python bench/followups_due.py [N] [--runs 5] [--regenerate]

Uses the deterministic data set of bench/generate.py (N customers, default 100,000, with ten
logged interactions each: 1,000,000 at the default size) and runs the real command in a fresh
process RUNS times. Targets at 100,000 customers: under 1.0 s and under 150 MB.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ROOT, generate  # noqa: E402
from measure import bizops_command, time_command  # noqa: E402

TODAY = "2026-11-27"


def database(n: int, regenerate: bool = False) -> Path:
    path = ROOT / "bench" / "out" / f"bench-{n}.db"
    if regenerate or not path.exists():
        counts = generate(path, n, today=date.fromisoformat(TODAY))
        print(f"generated {path}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    path = database(args.n, args.regenerate)
    cmd = [*bizops_command(), "--db", str(path), "--as", "mgr", "--today", TODAY,
           "followups", "due", "--owner", "all", "--format", "json"]  # fmt: skip
    figures = time_command(cmd, runs=args.runs)
    print(figures.line(f"followups due --owner all --format json ({args.n:,} customers)", 1.0, 150))
    print(f"  runs: {', '.join(f'{t:.2f}' for t in figures.runs)}; load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
