"""The floor under the all-owners due list: what plain Python pays for the same rows.

    python bench/due_floor.py DB [TODAY]

A fresh interpreter importing only `sqlite3` and `json` runs the due list's query (the open
follow-ups due by TODAY of the active customers, with their owner's login, in the same order:
most days overdue, grade, due date, code), builds one dictionary per row with the same twelve
keys as `bizops followups due --owner all --format json`, and writes them as one JSON array
(the standard library's C encoder, in one call). No visibility, no policy, no translation,
no paging: the least any Python program pays for this output on this machine. `targets.py`
times it beside bizops' due list, so that the limit (0.6 s at 100,000 rows) can be read
against what the interpreter, SQLite and the JSON encoder alone cost.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date

QUERY = """
select f.id, c.code, c.name, c.grade, c.stage, u.login, f.due, c.last_contact_on, f.kind,
       case when f.kind != 'cadence' then f.purpose end
from followups f
join customers c on c.id = f.customer_id
join users u on u.id = c.owner_id
where f.status = 'open' and f.due <= :today and c.archived_on is null
order by min(f.due, :today), c.grade, f.due, c.code
"""


def main() -> None:
    path, today = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else date.today().isoformat()
    day = date.fromisoformat(today).toordinal()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = [
        {
            "id": r[0],
            "code": r[1],
            "customer": r[2],
            "grade": r[3],
            "stage": r[4],
            "owner": r[5],
            "due": r[6],
            "days_overdue": max(0, day - date.fromisoformat(r[6]).toordinal()),
            "last_contact": r[7],
            "channel": "phone",
            "purpose": r[9],
            "kind": r[8],
        }
        for r in con.execute(QUERY, {"today": today})
    ]
    sys.stdout.write(json.dumps(rows, ensure_ascii=False))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
