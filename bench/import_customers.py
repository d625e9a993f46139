"""Time `bizops customer import` of N rows against `sqlite-utils insert --csv` of the same file.

    python bench/import_customers.py 100000 [--runs 3] [--keep DIR]

Generates a realistic N-row CSV (Chinese and English names, contacts, tags; a fixed seed),
imports it with the real CLI as a subprocess into a fresh SQLite database (users created
first, not timed), loads the same file with sqlite-utils into a scratch database, alternating
the two RUNS times, and prints the medians, their ratio and the
import's peak RSS (its own, from wait4).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

ZH_PREFIX = ["华", "中", "东方", "新", "金", "长城", "天", "恒", "海", "瑞", "博", "嘉"]
ZH_MID = ["信", "达", "通", "泰", "丰", "盛", "科", "远", "合", "安", "润", "宏"]
ZH_SUFFIX = ["科技有限公司", "贸易有限公司", "制造股份有限公司", "电子有限公司", "物流有限公司"]
ZH_CITY = ["上海", "北京", "深圳", "苏州", "杭州", "成都", "武汉", "南京"]
EN_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay"]
EN_SUFFIX = ["Ltd.", "Inc.", "GmbH", "Trading Co.", "Systems"]
SURNAMES = ["张", "王", "李", "赵", "陈", "刘", "杨", "黄", "周", "吴"]
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "艳", "杰"]
EN_FIRST = ["Alice", "Brian", "Chloe", "David", "Emma", "Frank", "Grace", "Henry"]
EN_LAST = ["Smith", "Jones", "Brown", "Miller", "Davis", "Wilson"]
TITLES = ["采购经理", "总经理", "财务总监", "Purchasing Manager", "CEO", "技术主管"]
INDUSTRIES = ["制造业", "零售", "物流", "Retail", "Software", "医疗"]
REGIONS = ["华东", "华南", "华北", "西南", "North", "South"]
SOURCES = ["展会", "官网", "转介绍", "exhibition", "cold call"]
TAGS = ["vip", "重点", "新客户", "渠道", "key-account"]
HEADERS = [
    "客户名称",
    "等级",
    "阶段",
    "负责人",
    "行业",
    "地区",
    "来源",
    "预计金额",
    "意向",
    "标签",
    "联系人",
    "职务",
    "电话",
    "邮箱",
    "备注",
]
OWNERS = [f"sales{k:02d}" for k in range(10)]


def customer_row(i: int, rnd: random.Random) -> list[str]:
    if i % 3:
        name = (
            rnd.choice(ZH_CITY)
            + rnd.choice(ZH_PREFIX)
            + rnd.choice(ZH_MID)
            + rnd.choice(ZH_MID)
            + rnd.choice(ZH_SUFFIX)
            + f"（{i}）"
        )
        contact = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
    else:
        name = f"{rnd.choice(EN_WORDS)} {rnd.choice(EN_WORDS)} {rnd.choice(EN_SUFFIX)} #{i}"
        contact = f"{rnd.choice(EN_FIRST)} {rnd.choice(EN_LAST)}"
    potential = rnd.choice(["", "50万", "120000", "1,500,000", "300万", "80000.50"])
    return [
        name,
        rnd.choice("AABBBCCCCC"),
        rnd.choice(["prospect", "prospect", "contacted", "needs", "proposal"]),
        rnd.choice(OWNERS),
        rnd.choice(INDUSTRIES),
        rnd.choice(REGIONS),
        rnd.choice(SOURCES),
        potential,
        rnd.choice(["high", "medium", "low", ""]),
        ";".join(rnd.sample(TAGS, rnd.randint(0, 2))),
        contact,
        rnd.choice(TITLES),
        f"1{rnd.randint(3, 9)}{rnd.randint(0, 999_999_999):09d}",
        f"c{i}@example{i % 97}.cn",
        "" if i % 5 else "年底有采购计划",
    ]


def write_csv(path: Path, n: int, *, seed: int = 20261127, bad_lines: int = 0) -> list[int]:
    """Write N rows; with ``bad_lines`` some rows get a defect. Returns their line numbers."""
    rnd = random.Random(seed)
    bad: list[int] = []
    defects = [
        (1, "D"),  # unknown grade
        (3, "someone"),  # unknown owner
        (8, "high-ish"),  # unknown intent
        (12, "138-0"),  # malformed phone (too few digits)
        (13, "not-an-email"),  # malformed email
        (0, ""),  # empty name
    ]
    step = max(n // (bad_lines + 1), 1) if bad_lines else 0
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADERS)
        for i in range(1, n + 1):
            row = customer_row(i, rnd)
            if bad_lines and i % step == 0 and len(bad) < bad_lines:
                col, value = defects[len(bad) % len(defects)]
                row[col] = value
                bad.append(i + 1)  # line 1 is the header
            writer.writerow(row)
    return bad


def _bizops(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "bizops"), *args], env=env, capture_output=True, text=True, check=False
    )


def _bizops_peak(args: list[str], env: dict[str, str]) -> tuple[int, str, str, int]:
    """Run bizops; (exit code, stdout, stderr, the child's own peak RSS in MB)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([str(BIN / "bizops"), *args], env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return child.returncode, out.read(), err.read(), usage.ru_maxrss // 1024


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="Runs of each, alternating.")
    parser.add_argument("--keep", type=Path, help="Keep the files in this directory.")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bizops-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / f"customers-{args.n}.csv"
    base = work / "base.db"
    db_path = work / "import.db"
    scratch = work / "scratch.db"
    write_csv(csv_path, args.n)
    env = {
        **os.environ,
        "BIZOPS_DB": str(base),
        "BIZOPS_HOME": str(work),
        "BIZOPS_TODAY": "2026-11-27",
        "NO_COLOR": "1",
    }
    env.pop("BIZOPS_CONFIG", None)
    _remove(base)
    for cmd in (
        ["init", "--admin", "root"],
        *(["--as", "root", "user", "add", o, "--role", "sales"] for o in OWNERS),
    ):
        done = _bizops(cmd, env)
        if done.returncode:
            sys.exit(f"setup failed: bizops {' '.join(cmd)}: {done.stderr}")
    sqlite_utils = shutil.which("sqlite-utils", path=str(BIN)) or shutil.which("sqlite-utils")
    if not sqlite_utils:
        sys.exit("sqlite-utils is not installed (pip install sqlite-utils)")

    ours: list[tuple[float, float]] = []
    peaks: list[int] = []
    theirs: list[tuple[float, float]] = []
    result = ""
    for _ in range(args.runs):
        # bizops into a copy of the prepared database (the users exist, no customers yet)
        _remove(db_path)
        shutil.copy(base, db_path)
        cpu, started = _child_cpu(), time.perf_counter()
        code, stdout, stderr, peak = _bizops_peak(
            ["--db", str(db_path), "--as", "root", "customer", "import", str(csv_path)], env
        )
        ours.append((time.perf_counter() - started, _child_cpu() - cpu))
        peaks.append(peak)
        if code:
            sys.exit(f"bizops customer import failed ({code}): {stderr[:2000]}")
        result = (stdout + stderr).strip().splitlines()[-1]
        # sqlite-utils into an empty scratch database
        _remove(scratch)
        cpu, started = _child_cpu(), time.perf_counter()
        subprocess.run(
            [sqlite_utils, "insert", str(scratch), "customers", str(csv_path), "--csv"],
            check=True,
            capture_output=True,
        )
        theirs.append((time.perf_counter() - started, _child_cpu() - cpu))

    ours_s = statistics.median(t for t, _ in ours)
    theirs_s = statistics.median(t for t, _ in theirs)
    ours_cpu = statistics.median(c for _, c in ours)
    theirs_cpu = statistics.median(c for _, c in theirs)
    print(
        f"customer import of {args.n:,} rows: median {ours_s:.2f} s (CPU {ours_cpu:.2f} s); "
        f"sqlite-utils insert --csv: median {theirs_s:.2f} s (CPU {theirs_cpu:.2f} s); "
        f"ratio {ours_s / theirs_s:.2f}x (CPU {ours_cpu / theirs_cpu:.2f}x); "
        f"target <= 1.00x {'OK' if ours_s <= theirs_s else 'MISSED'}; "
        f"peak RSS {max(peaks)} MB (target < 150 MB {'OK' if max(peaks) < 150 else 'MISSED'})"
    )
    print(f"  runs: bizops {', '.join(f'{t:.2f}' for t, _ in ours)}; "
          f"sqlite-utils {', '.join(f'{t:.2f}' for t, _ in theirs)}; {result}")  # fmt: skip
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _remove(path: Path) -> None:
    for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        extra.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
