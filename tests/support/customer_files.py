"""Customer files to import, as people bring them (English and Chinese headers)."""

from __future__ import annotations

import csv
from pathlib import Path


def write_customer_csv(path: Path, rows: int, *, owner: str, start: int = 0) -> None:
    """A customer import file with headers the importer accepts (English and Chinese)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["客户名称", "grade", "owner", "行业", "联系人", "email"])
        for i in range(start, start + rows):
            name = f"华东测试客户{i:06d}有限公司" if i % 2 else f"Reliability Test Co {i:06d}"
            out.writerow([name, "ABC"[i % 3], owner, "制造业", f"联系人{i}", f"c{i}@example.com"])
