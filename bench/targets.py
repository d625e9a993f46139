"""Every speed target of bizops, one line per figure with its limit or ratio (what run.sh prints).

python bench/targets.py [N] [--runs 5] [--regenerate] [--skip-import] [--pg URL] [--million]

- interactive reads and writes at N customers, against the floor and `task next` (interactive.py);
  `customer list --limit 20` at N against the demo's 64 customers (customer_list_limit.py);
- bulk on the ``full`` data shape (a contact on every customer, every one due this week):
  the all-owners due list against its limit and taskwarrior's due export, the daily report,
  `report receivables` (target < 2 s), the import against `sqlite-utils insert --csv` with
  every column and with three;
- ``--pg URL``: the same on PostgreSQL (a copy of the data sets, see pgload.py), each
  against its SQLite figure (target within 1.5x), and 16 writers at once (concurrency.py);
- ``--million``: the million-customer targets (long: generating the data takes a while).
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

import customer_list_limit  # noqa: E402
import interactive  # noqa: E402
import taskwarrior  # noqa: E402
from generate import ROOT, db_name, generate  # noqa: E402
from measure import Figures, bizops_command, time_command  # noqa: E402

TODAY = "2026-11-27"


def database(n: int, shape: str = "plain", regenerate: bool = False) -> Path:
    path = ROOT / "bench" / "out" / db_name(n, shape)
    if regenerate or not path.exists():
        counts = generate(path, n, today=date.fromisoformat(TODAY), shape=shape)
        print(f"generated {path}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return path


def verdict(fig: Figures, limit_s: float | None, limit_mb: int | None = None) -> str:
    parts = []
    if limit_s is not None:
        parts.append(f"limit {limit_s:g} s {'OK' if fig.median < limit_s else 'MISSED'}")
    if limit_mb is not None:
        parts.append(f"limit {limit_mb} MB {'OK' if fig.peak_mb < limit_mb else 'MISSED'}")
    return "; ".join(parts)


def bulk(db: str, n: int, runs: int, *, big: bool, task: Figures | None) -> dict[str, Figures]:
    """The bulk figures on one database; returns them for the PostgreSQL comparison."""
    base = [*bizops_command(), "--db", db, "--today", TODAY]
    due_limit, due_mb = (5.0, 150) if big else (0.6, 150)
    daily_limit, daily_mb = (30.0, 300) if big else (3.0, None)
    cases = [
        ("due", "followups due --owner all --format json",
         ["--as", "mgr", "followups", "due", "--owner", "all", "--format", "json"],
         due_limit, due_mb),
        ("grade", "customer list --grade A --format json",
         ["--as", "mgr", "customer", "list", "--grade", "A", "--format", "json"], None, None),
        ("daily", "report daily --all --format json",
         ["--as", "root", "report", "daily", "--all", "--format", "json"], daily_limit, daily_mb),
    ]  # fmt: skip
    figures = {}
    for key, label, extra, limit_s, limit_mb in cases:
        fig = time_command([*base, *extra], runs=runs)
        figures[key] = fig
        line = f"{label} ({n:,} customers, full shape): {fig.median:.3f} s (CPU "
        line += f"{fig.median_cpu:.3f} s), peak {fig.peak_mb} MB, {fig.output_bytes / 1e6:.1f} MB"
        line += f" out; {verdict(fig, limit_s, limit_mb)}" if limit_s else ""
        if key == "due" and task is not None:
            share = fig.median / task.median
            line += f"; {share:.2f}x taskwarrior's due export (target <= 0.35x "
            line += f"{'OK' if share <= 0.35 else 'MISSED'})"
        print(line)
        if key == "due" and not db.startswith("postgresql"):
            floor = time_command(
                [sys.executable, str(ROOT / "bench" / "due_floor.py"), db, TODAY], runs=runs
            )
            print(
                f"  floor: plain sqlite3 + json, the same rows and order: {floor.median:.3f} s "
                f"(CPU {floor.median_cpu:.3f} s), peak {floor.peak_mb} MB; bizops "
                f"{fig.median / floor.median:.2f}x the floor"
            )
    return figures


def imports(n: int, runs: int, pg: str | None) -> None:
    script = str(ROOT / "bench" / "import_customers.py")
    for shape in ("full", "minimal"):
        extra = ["--pg", pg] if pg else []
        cmd = [sys.executable, script, str(n), "--runs", str(runs), "--shape", shape, *extra]
        subprocess.run(cmd, check=True)


def compare(sqlite: dict[str, Figures], pg: dict[str, Figures]) -> None:
    """Wall-clock ratios (the target), and the ratio of bizops' own CPU beside them: on a
    loaded machine the wall clock mostly measures the other processes (the CPU ratio leaves
    out the PostgreSQL server's share)."""
    for key, fig in pg.items():
        ratio = fig.median / sqlite[key].median
        cpu = fig.median_cpu / sqlite[key].median_cpu if sqlite[key].median_cpu else 0.0
        print(
            f"PostgreSQL / SQLite, {key}: {ratio:.2f}x (target <= 1.5x "
            f"{'OK' if ratio <= 1.5 else 'MISSED'}); bizops CPU {cpu:.2f}x"
        )


def million(runs: int, skip_import: bool, n: int = 1_000_000) -> None:
    plain, full = database(n), database(n, "full")
    size = plain.stat().st_size
    print(f"database size: {size / 1e6:.0f} MB for {n:,} customers, {size / n:,.0f} bytes each "
          "(10 interactions, a follow-up and a stage change each; a contract per ten)")  # fmt: skip
    base = [*bizops_command(), "--db", str(plain), "--today", TODAY]
    for case in interactive.READS[:1] + interactive.READS[1:2] + interactive.READS[3:4]:
        fig = time_command(lambda i, c=case: [*base, *c.args(i)], runs=runs)
        print(f"{case.label} ({n:,} customers): {fig.median:.3f} s (CPU {fig.median_cpu:.3f} s, "
              f"peak {fig.peak_mb} MB); {verdict(fig, 0.5)}")  # fmt: skip
    bulk(str(full), n, runs, big=True, task=None)
    if not skip_import:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "import_customers.py"),
                str(n),
                "--runs",
                "1",
                "--max-mb",
                "150",
            ],
            check=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--pg", metavar="URL", help="also on this PostgreSQL server")
    parser.add_argument("--million", action="store_true", help="the 1,000,000-customer targets")
    args = parser.parse_args()
    print(
        f"bizops benchmarks, {date.today().isoformat()}, {platform.processor() or platform.machine()}"
        f", {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}; medians of {args.runs} runs"
    )
    n = args.n
    plain = database(n, regenerate=args.regenerate)
    full = database(n, "full", regenerate=args.regenerate)
    print(f"== interactive, SQLite ({n:,} customers)")
    interactive.run(str(plain), n, args.runs)
    customer_list_limit.run(n, args.runs)
    print(f"== bulk, SQLite ({n:,} customers)")
    task = None
    if taskwarrior.available():
        task = taskwarrior.due_export_figures(n, args.runs)
        print(task.line(f"taskwarrior due export ({n:,} tasks)"))
    else:
        print("taskwarrior is not installed (apt-get install taskwarrior): ratios skipped")
    on_sqlite = bulk(str(full), n, args.runs, big=False, task=task)
    receivables = [*bizops_command(), "--db", str(plain), "--as", "root", "--today", TODAY,
                   "report", "receivables", "--format", "json"]  # fmt: skip
    print(time_command(receivables, runs=args.runs).line(
        f"report receivables --format json ({n:,} customers)", 2.0))  # fmt: skip
    if not args.skip_import:
        imports(n, min(args.runs, 3), None)
    if args.pg:
        from pgload import load

        print(f"== interactive, PostgreSQL ({n:,} customers)")
        interactive.run(load(args.pg, plain), n, args.runs)
        print(f"== bulk, PostgreSQL ({n:,} customers)")
        on_pg = bulk(load(args.pg, full), n, args.runs, big=False, task=task)
        compare(on_sqlite, on_pg)
        if not args.skip_import:
            imports(n, min(args.runs, 3), args.pg)
        print("== concurrency, PostgreSQL")
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "concurrency.py"), args.pg], check=True
        )
    if args.million:
        print("== a million customers, SQLite")
        million(args.runs, args.skip_import)
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
