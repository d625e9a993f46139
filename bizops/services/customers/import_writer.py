"""The bulk writer of `customer import`: the rows of the shared row builder
(``bizops.domain.customer_rows``), written with the driver's executemany in the caller's
transaction, fast enough for 100,000 customers.

Writes are serialised, so the next codes and ids are ours: they are read once and the counter
set at the end. Chunk by chunk, the customers, contacts, tags, stage history and first
follow-ups go to a writer thread that runs executemany while the caller's thread checks and
builds the next chunk. The columns written are the fields of the builder's row types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session

from bizops.domain.customer_fields import NewCustomer
from bizops.domain.customer_rows import (
    ContactRow,
    CustomerRow,
    CustomerRowBuilder,
    CustomerRows,
    FollowUpRow,
    StageRow,
)
from bizops.domain.errors import BizopsError
from bizops.store.counters import current_value, set_value
from bizops.store.models import Contact, Customer, CustomerTag, FollowUp, StageChange

__all__ = ["BATCH", "Inserted", "insert_customers", "large_cache"]

BATCH = 5000


class Inserted(NamedTuple):
    written: int
    first_code: str | None
    last_code: str | None


def insert_customers(
    session: Session,
    rows: Iterable[NewCustomer],
    *,
    builder: CustomerRowBuilder,
    code_pattern: str,
    halted: Callable[[], bool],
) -> Inserted:
    """Insert the customers as the checked rows arrive. Once ``halted()`` (the file is known
    to be rejected whole), rows are still consumed, so that they are checked, but no longer
    written. Returns how many were written and their first and last codes."""
    conn = session.connection()
    first_seq = current_value(session, "customer") + 1
    ct = Customer.__table__  # type: ignore[attr-defined]
    first_id = int(session.execute(select(func.coalesce(func.max(ct.c.id), 0))).scalar_one()) + 1
    chunks = _Chunks(conn)
    count = 0
    with _Writer(conn) as writer:
        for new in rows:
            if halted():
                continue
            built = builder.build(new, code=code_pattern.format(seq=first_seq + count))
            chunks.add(first_id + count, built)
            count += 1
            if chunks.full():
                chunks.send(writer)
        if not halted():
            chunks.send(writer)
    if not count or halted():
        return Inserted(0, None, None)
    set_value(session, "customer", first_seq + count - 1)
    if conn.dialect.name == "postgresql":
        # The ids were given explicitly: move the sequence past them.
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('customers', 'id'), "
            "(SELECT max(id) FROM customers))"
        )
    return Inserted(
        count,
        code_pattern.format(seq=first_seq),
        code_pattern.format(seq=first_seq + count - 1),
    )


class _Chunks:
    """The parameters of the next executemany of each table, in the driver's form."""

    def __init__(self, conn: Any) -> None:
        self.customers = _Statement(conn, Customer, ("id", *CustomerRow._fields))
        self.contacts = _Statement(conn, Contact, ("customer_id", *ContactRow._fields))
        self.tags = _Statement(conn, CustomerTag, ("customer_id", "tag"))
        self.stages = _Statement(conn, StageChange, ("customer_id", *StageRow._fields))
        self.followups = _Statement(conn, FollowUp, ("customer_id", *FollowUpRow._fields))
        self.statements = (self.customers, self.contacts, self.tags, self.stages, self.followups)

    def add(self, customer_id: int, built: CustomerRows) -> None:
        self.customers.add(customer_id, built.customer)
        for contact in built.contacts:
            self.contacts.add(customer_id, contact)
        for tag in built.tags:
            self.tags.add(customer_id, (tag,))
        self.stages.add(customer_id, built.stage)
        if built.followup is not None:
            self.followups.add(customer_id, built.followup)

    def full(self) -> bool:
        return len(self.customers.pending) >= BATCH

    def send(self, writer: _Writer) -> None:
        for statement in self.statements:
            writer.put(statement, statement.pending)
            statement.pending = []


class _Memo(dict[Any, Any]):
    """A column's bind processing, computed once per distinct value (dates repeat)."""

    def __init__(self, process: Callable[[Any], Any]) -> None:
        super().__init__()
        self.process = process

    def __missing__(self, value: Any) -> Any:
        converted = self[value] = self.process(value)
        return converted


class _Statement:
    """An INSERT for the driver's executemany, without SQLAlchemy's per-row statement work.
    ``add`` puts one row's values in the driver's form: each column's own bind processing
    (money to cents, dates for SQLite), as SQLAlchemy would apply it."""

    def __init__(self, conn: Any, model: Any, keys: Sequence[str]) -> None:
        table = model.__table__
        dialect = conn.dialect
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        quote = dialect.identifier_preparer.quote
        self.sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(k) for k in keys)}) "
            f"VALUES ({', '.join([mark] * len(keys))})"
        )
        processors = [table.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in keys]
        self.converters = tuple(
            (i, _Memo(process).__getitem__) for i, process in enumerate(processors) if process
        )
        self.pending: list[list[Any]] = []

    def add(self, key: int, row: tuple[Any, ...]) -> None:
        values = [key, *row]
        for i, convert in self.converters:
            values[i] = convert(values[i])
        self.pending.append(values)


class _Writer:
    """One thread that runs the import's executemany calls in order while the caller prepares
    the next chunk: sqlite3 and psycopg let other Python threads run while the database works.
    The queue is unbounded: the writer shares the GIL with the checking thread and catches up
    once checking is done; a bounded queue made the checker wait on it (100,000 rows: the
    chunks held at once cost ~70 MB). The caller must not use the connection until the block
    ends."""

    def __init__(self, conn: Any) -> None:
        import queue
        import threading

        self.raw = conn.connection.dbapi_connection
        self.queue: queue.Queue[tuple[_Statement, list[list[Any]]] | None] = queue.Queue()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="bizops-import-writer", daemon=True)

    def __enter__(self) -> _Writer:
        self.thread.start()
        return self

    def _run(self) -> None:
        cursor = self.raw.cursor()
        try:
            while (item := self.queue.get()) is not None:
                if self.error is None:
                    statement, rows = item
                    try:
                        cursor.executemany(statement.sql, rows)
                    except BaseException as exc:  # handed to the caller in __exit__
                        self.error = exc
        finally:
            cursor.close()

    def put(self, statement: _Statement, rows: list[list[Any]]) -> None:
        if self.error is not None:
            raise self._failure()
        if rows:
            self.queue.put((statement, rows))

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.queue.put(None)
        self.thread.join()
        if exc is None and self.error is not None:
            raise self._failure()

    def _failure(self) -> BaseException:
        from bizops.domain.errors import StorageError

        error = self.error
        assert error is not None
        if isinstance(error, BizopsError | KeyboardInterrupt):
            return error
        return StorageError(f"the import could not be written: {error}")


@contextmanager
def large_cache(session: Session) -> Iterator[None]:
    """SQLite's page cache is 2 MB by default; the index inserts of a big import (name keys
    arrive in random order) churn it. 256 MB for the import, then back."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")
