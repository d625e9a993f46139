"""Every speed target of bizops, one line per figure (what bench/run.sh prints).

python bench/targets.py [N] [--runs 5] [--regenerate] [--skip-import]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from followups_due import TODAY, database  # noqa: E402
from measure import ROOT, bizops_command, time_command  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    print(
        f"bizops benchmarks, {date.today().isoformat()}, {platform.processor() or platform.machine()}"
        f", {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.1f}; medians of {args.runs} runs"
    )
    path = database(args.n, args.regenerate)
    base = [*bizops_command(), "--db", str(path), "--today", TODAY]
    cases = [
        ("followups due --owner all --format json",
         ["--as", "mgr", "followups", "due", "--owner", "all", "--format", "json"], 1.0, 150),
        ("customer list --grade A --format json",
         ["--as", "mgr", "customer", "list", "--grade", "A", "--format", "json"], 1.0, None),
        ("report daily --all --format json",
         ["--as", "root", "report", "daily", "--all", "--format", "json"], 3.0, None),
    ]  # fmt: skip
    for label, extra, target_s, target_mb in cases:
        figures = time_command([*base, *extra], runs=args.runs)
        print(figures.line(f"{label} ({args.n:,} customers)", target_s, target_mb))
    figures = time_command([*bizops_command(), "--help"], runs=args.runs)
    print(figures.line("bizops --help", 0.25))
    if not args.skip_import:
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "import_customers.py"), str(args.n)], check=True
        )


if __name__ == "__main__":
    main()
