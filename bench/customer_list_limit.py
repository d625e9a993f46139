"""Does `customer list --limit 20` stop early? Its cost at N customers against the demo's 64.

    python bench/customer_list_limit.py [N] [--runs 5] [--regenerate]

Runs `customer list --limit 20 --format json` (and the next page, `--offset 20`) in a fresh
process on the data set of bench/generate.py (N customers, default 100,000) and on a demo
database (64 customers), and prints each CPU median and their ratio. The page is cut in the
query (LIMIT/OFFSET on the sorted select, tags read for those rows only), so at any size it
should cost about what it costs on the demo: target a CPU ratio of at most 1.15x (the
start-up, the same on both, is most of it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from followups_due import TODAY, database  # noqa: E402
from generate import ROOT  # noqa: E402
from measure import Figures, bizops_command, time_command  # noqa: E402

RATIO = 1.15
CASES = (
    ("customer list --limit 20", ["--limit", "20"]),
    ("customer list --limit 20 --offset 20", ["--limit", "20", "--offset", "20"]),
)


def demo_database(regenerate: bool = False) -> Path:
    path = ROOT / "bench" / "out" / "demo.db"
    if regenerate and path.exists():
        path.unlink()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [*bizops_command(), "--today", TODAY, "demo", "--db", str(path)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return path


def figures(db: Path, login: str, extra: list[str], runs: int) -> Figures:
    cmd = [*bizops_command(), "--db", str(db), "--as", login, "--today", TODAY,
           "customer", "list", *extra, "--format", "json"]  # fmt: skip
    return time_command(cmd, runs=runs)


def run(n: int, runs: int, regenerate: bool = False) -> None:
    big, demo = database(n, regenerate), demo_database(regenerate)
    for label, extra in CASES:
        at_n = figures(big, "mgr", extra, runs)
        small = figures(demo, "admin", extra, runs)
        ratio = at_n.median_cpu / small.median_cpu
        print(
            f"{label} ({n:,} customers): CPU {at_n.median_cpu:.3f} s, peak {at_n.peak_mb} MB; "
            f"on the demo's 64: CPU {small.median_cpu:.3f} s, peak {small.peak_mb} MB; "
            f"{ratio:.2f}x (target <= {RATIO:g}x {'OK' if ratio <= RATIO else 'MISSED'})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    run(args.n, args.runs, args.regenerate)


if __name__ == "__main__":
    main()
