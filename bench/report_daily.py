"""Time `bizops report daily --all --format json` on a large database.

    python bench/report_daily.py [N] [--runs 5] [--regenerate]

Uses the deterministic data set of bench/generate.py (N customers, default 100,000) and runs
the real command in a fresh process RUNS times. Targets: under 3 s at 100,000 customers;
under 300 MB at any size (the reports are written one recipient at a time).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from followups_due import TODAY, database  # noqa: E402
from measure import bizops_command, time_command  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    path = database(args.n, args.regenerate)
    cmd = [*bizops_command(), "--db", str(path), "--as", "root", "--today", TODAY,
           "report", "daily", "--all", "--format", "json"]  # fmt: skip
    figures = time_command(cmd, runs=args.runs)
    print(figures.line(f"report daily --all --format json ({args.n:,} customers)", 3.0, 300))
    print(f"  runs: {', '.join(f'{t:.2f}' for t in figures.runs)}; load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
