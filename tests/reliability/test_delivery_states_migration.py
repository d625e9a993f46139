"""The delivery-states revision: earlier deliveries become "sent", a claim that was never
confirmed becomes "claimed" (so the next run sends it, never calling it already sent)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData, insert, select

from bizops.store.engine import Database
from bizops.store.revisions import HEAD
from tests.support.databases import add_users_before_keys, upgrade_to

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


def test_the_migration_marks_old_deliveries_sent_and_unconfirmed_claims_claimed(
    empty_url: str,
) -> None:
    database = Database(empty_url)
    upgrade_to(database, "0005_customer_pinyin")
    add_users_before_keys(database, {"alice": ["sales"]})
    meta = MetaData()
    with database.engine.begin() as conn:
        meta.reflect(conn)
        rows = [
            {"user_id": uid, "day": NOW.date(), "sent_at": NOW, "recipient": "x@example.com",
             "items": 1, "message_id": mid}
            for uid, mid in ((1, "<m@x>"), (2, None))
        ]  # fmt: skip
        conn.execute(insert(meta.tables["report_deliveries"]), rows)
    upgrade_to(database, HEAD)
    meta = MetaData()
    with database.engine.connect() as conn:
        meta.reflect(conn)
        d = meta.tables["report_deliveries"].c
        states = dict(conn.execute(select(d.user_id, d.status)).all())
    database.dispose()
    assert states == {1: "sent", 2: "claimed"}
