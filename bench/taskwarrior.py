"""The reference point of the interactive targets: taskwarrior's `task next` on N tasks.

    python bench/taskwarrior.py [N] [--runs 5]

Writes N pending tasks (every one with a due date in the past week, a project and a tag)
straight into a private data directory in taskwarrior 2.x's file format, then times
`task next` and the due export (`task status:pending due.before:tomorrow export`). Skips,
saying so, when the `task` program is not installed (apt-get install taskwarrior).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import ROOT, Figures, time_command  # noqa: E402

TODAY = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def available() -> bool:
    return shutil.which("task") is not None


def setup(n: int) -> Path:
    """The rc file of a data directory holding N pending tasks (built once, then reused)."""
    where = ROOT / "bench" / "out" / f"task-{n}"
    rc = where / "taskrc"
    if rc.exists():
        return rc
    data = where / "data"
    data.mkdir(parents=True, exist_ok=True)
    entry = int((TODAY - timedelta(days=200)).timestamp())
    with open(data / "pending.data", "w", encoding="utf-8") as out:
        for i in range(1, n + 1):
            due = int((TODAY - timedelta(days=i % 7)).timestamp())
            out.write(
                f'[description:"Follow up customer C{i:06d}: discuss needs and next steps" '
                f'due:"{due}" entry:"{entry}" modified:"{entry}" project:"sales{i % 20:02d}" '
                f'status:"pending" tags:"grade{"ABC"[i % 3]}" '
                f'uuid:"{uuid.UUID(int=i)}"]\n'
            )
    for name in ("completed.data", "undo.data", "backlog.data"):
        (data / name).touch()
    rc.write_text(
        f"data.location={data}\nconfirmation=off\nhooks=off\nverbose=nothing\n"
        "gc=off\nrecurrence=off\ndetection=off\ncolor=off\nnews.version=2.6.0\n",
        encoding="utf-8",
    )
    return rc


def command(rc: Path, *args: str) -> list[str]:
    return ["task", f"rc:{rc}", *args]


def next_figures(n: int, runs: int) -> Figures:
    return time_command(command(setup(n), "next"), runs=runs)


def due_export_figures(n: int, runs: int) -> Figures:
    return time_command(
        command(setup(n), "status:pending", "due.before:tomorrow", "export"), runs=runs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not available():
        print("taskwarrior is not installed (apt-get install taskwarrior): skipped")
        return
    print(next_figures(args.n, args.runs).line(f"task next ({args.n:,} tasks)"))
    print(due_export_figures(args.n, args.runs).line(f"task due export ({args.n:,} tasks)"))


if __name__ == "__main__":
    main()
